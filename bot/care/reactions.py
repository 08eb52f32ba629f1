"""Emoji that log a customer's message: a complaint (:rotating_light:) or praise (:raised_hands:) by default.

Only a reaction from one of our people on a customer's message counts; what it does is what the
*Log complaint* and *Log praise* shortcuts do, without their modal (a reaction carries no trigger).
"""

from __future__ import annotations

from enum import StrEnum

from bot.care.complaint_commands import Draft
from bot.care.complaints import MAX_SUMMARY
from bot.platform.config import Settings
from bot.platform.i18n import _
from bot.platform.text import cut


class ReactionKind(StrEnum):
    """What an emoji on a customer's message logs."""

    COMPLAINT = "complaint"
    PRAISE = "praise"


def emoji_name(reaction: str) -> str:
    """The emoji without colons or skin tone: `+1::skin-tone-2` is `+1`."""
    return reaction.strip(":").split("::", 1)[0].lower()


def reaction_kind(reaction: str, settings: Settings) -> ReactionKind | None:
    """What this reaction logs, per RAPPORT_COMPLAINT_EMOJI and RAPPORT_PRAISE_EMOJI; None for any other emoji."""
    name = emoji_name(reaction)
    if name == emoji_name(settings.rapport_complaint_emoji):
        return ReactionKind.COMPLAINT
    if name == emoji_name(settings.rapport_praise_emoji):
        return ReactionKind.PRAISE
    return None


def complaint_draft(text: str) -> Draft:
    """The complaint a reacted-to message makes: its text as the summary, normal severity, the channel's account."""
    return Draft(summary=cut(text.strip(), MAX_SUMMARY) or _("(a message without text)"))
