"""Typed errors whose text is safe to show the person who acted."""

from __future__ import annotations

import re

from bot.platform.text import ELLIPSIS, cut

MESSAGE_LIMIT = 3000  # what one Slack section shows
QUOTE_LIMIT = 100  # a name (80) or a date typed, quoted back whole; a pasted page, not
_QUOTED = re.compile(r"“([^”]{%d,})”" % (QUOTE_LIMIT + 1))  # noqa: UP031 (braces would clash with the regex's)


def bounded(message: str) -> str:
    """A refusal that quotes what was typed (“…”) quotes at most QUOTE_LIMIT characters of it, and fits a section."""
    message = _QUOTED.sub(lambda m: f"“{m.group(1)[:QUOTE_LIMIT].rstrip()}{ELLIPSIS}”", message)
    return cut(message, MESSAGE_LIMIT)


class RapportError(Exception):
    """A problem the user can fix; `message` is shown to them (a pasted novel quoted back is cut short)."""

    def __init__(self, message: str) -> None:
        message = bounded(message)
        super().__init__(message)
        self.message = message


class NotFound(RapportError):
    """Something named by the user does not exist."""


class InvalidInput(RapportError):
    """The user's text cannot be read; the message says what to type instead."""


class Refused(RapportError):
    """The action is not allowed for this user or right now."""


class NotConfigured(RapportError):
    """A setting the action needs is missing; the message names it."""


class SlackUnavailable(RapportError):
    """Slack could not answer a question Rapport must not guess (e.g. is this channel shared?)."""


class FormErrors(InvalidInput):
    """Fields of a submitted form that need fixing: `fields` maps each field to what to do."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(" ".join(dict.fromkeys(fields.values())))
        self.fields = fields


class FieldError(InvalidInput):
    """One input of a submitted modal is wrong: `block` is the block id the message shows under."""

    def __init__(self, block: str, message: str) -> None:
        super().__init__(message)
        self.block = block


class MalformedForm(InvalidInput):
    """A submitted modal came back without what its own form sends (missing blocks, bad metadata)."""
