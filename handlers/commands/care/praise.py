"""/praise: give praise, show the leaderboard, help."""

from __future__ import annotations

from functools import partial
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.care.praise import (
    Given,
    GivePraise,
    PraiseHelp,
    PraiseLeaderboard,
    PraisePolicy,
    give_praise,
    leaderboard,
    parse_praise_command,
)
from bot.platform.services import Landing
from handlers.blocks.care.praise import (
    build_leaderboard,
    build_praise_confirmation,
    build_praise_failed,
    build_praise_queued,
)
from handlers.blocks.platform.help import build_help
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Command


def register(app: App) -> None:
    """Listen for /praise."""
    app.command(Command.PRAISE, middleware=[internal_only])(handle_praise_command)


def handle_praise_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    """Route `/praise …` to help, the leaderboard or a new praise."""
    ack()
    services = services_of(context)
    match parse_praise_command(command.get("text", "")):
        case PraiseHelp():
            text, blocks = build_help(Command.PRAISE)
        case PraiseLeaderboard(period=period):
            with services.db.session(read_only=True) as session:
                entries = leaderboard(session, period=period, now=services.now(), timezone=services.settings.zone)
            text, blocks = build_leaderboard(entries, period=period)
        case GivePraise(text=praise_text):
            policy = PraisePolicy.from_settings(services.settings)
            with services.db.session() as session:
                given = give_praise(session, giver_id=actor_of(context).id, text=praise_text, now=services.now(),
                                    policy=policy)
            # The card goes out on the delivery worker, which then sends the receipt: this thread is done.
            services.deliver_then(given.card_key, partial(send_receipt, given, respond))
            return
    respond(text=text, blocks=blocks)


def send_receipt(given: Given, respond: Respond, landing: Landing) -> None:
    """Tell the giver where the card is (or that it follows shortly)."""
    text, blocks = published_receipt(given, landing)
    respond(text=text, blocks=blocks)


def published_receipt(given: Given, landing: Landing) -> tuple[str, list[dict[str, Any]]]:
    """The receipt for a praise: where its card is (or that it follows shortly)."""
    if landing.delivered:
        return build_praise_confirmation(given.card, channel=given.channel, link=landing.link)
    if landing.failed:
        return build_praise_failed(given.card, channel=given.channel, error=landing.failed)
    return build_praise_queued(given.card, channel=given.channel)
