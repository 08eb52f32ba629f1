"""/praise: give praise, show the leaderboard, help."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.care.praise import PERIODS, Given, PraisePolicy, give_praise, leaderboard
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.platform.services import Services
from handlers.blocks.care.praise import build_leaderboard, build_praise_confirmation, build_praise_queued
from handlers.blocks.platform.help import build_help
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Command


def register(app: App) -> None:
    """Listen for /praise."""
    app.command(Command.PRAISE, middleware=[internal_only])(handle_praise_command)


def handle_praise_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    """Route `/praise …` to help, the leaderboard or a new praise."""
    ack()
    text = command.get("text", "").strip()
    words = text.split()
    if not words or words[0].lower() == "help":
        text, blocks = build_help(Command.PRAISE)
        respond(text=text, blocks=blocks)
    elif words[0].lower() == "top":
        show_leaderboard(words[1:], context, respond)
    else:
        publish_praise(text, context, respond)


def show_leaderboard(args: list[str], context: BoltContext, respond: Respond) -> None:
    """Answer `/praise top [period]` ephemerally."""
    services = services_of(context)
    period = args[0].lower() if args else "month"
    if period not in PERIODS or len(args) > 1:
        raise InvalidInput(_("Choose week, month or quarter: `/praise top month`"))
    with services.db.session() as session:
        entries = leaderboard(session, period=period, now=services.now(), timezone=services.settings.zone)
    reply, blocks = build_leaderboard(entries, period=period)
    respond(text=reply, blocks=blocks)


def publish_praise(text: str, context: BoltContext, respond: Respond) -> None:
    """Record the praise, publish its card at once, and confirm with a link."""
    services = services_of(context)
    policy = PraisePolicy.from_settings(services.settings)
    with services.db.session() as session:
        given = give_praise(session, giver_id=actor_of(context).id, text=text, now=services.now(), policy=policy)
    confirm_published(given, services, respond)


def confirm_published(given: Given, services: Services, respond: Respond) -> None:
    """Deliver the card now and tell the giver where it is (or that it follows shortly)."""
    landing = services.deliver_and_link(given.card_key)
    channel = services.settings.rapport_kudos_channel
    if landing.delivered:
        text, blocks = build_praise_confirmation(given.card, channel=channel, link=landing.link)
    else:
        text, blocks = build_praise_queued(given.card, channel=channel)
    respond(text=text, blocks=blocks)
