"""/rapport: help and the workspace's configuration."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.i18n import _
from handlers.blocks.help import build_help
from handlers.blocks.rapport import build_config
from bot.services import Services
from handlers.context import internal_only, services_of
from handlers.ids import Command


def register(app: App) -> None:
    """Listen for /rapport."""
    app.command(Command.RAPPORT, middleware=[internal_only])(handle_rapport_command)


def handle_rapport_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    """Route `/rapport …`."""
    ack()
    verb = command.get("text", "").strip().lower()
    if verb == "config":
        services = services_of(context)
        text, blocks = build_config(services.settings, missing_years=calendar_gaps(services))
    elif verb in ("", "help"):
        text, blocks = build_help(Command.RAPPORT)
    else:
        text, blocks = build_help(Command.RAPPORT)
        text = _("I don't know `/rapport {verb}`.").format(verb=verb) + "\n" + text
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text.split("\n")[0]}}, *blocks]
    respond(text=text, blocks=blocks)


def calendar_gaps(services: Services) -> list[int]:
    """This year and next, where the team's holiday calendar lacks official data."""
    year = services.now().astimezone(services.settings.zone).year
    return services.team_calendar().missing_years([year, year + 1])
