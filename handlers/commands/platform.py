"""/rapport: help, my morning digest (now, or on/off), a service report on demand and the workspace's configuration."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.overview.digest import digest_now, set_digest
from bot.platform.i18n import _
from bot.platform.text import ECHO_LIMIT, cut
from handlers.blocks.overview.digest import build_digest, build_subscription
from handlers.blocks.platform.help import build_help
from handlers.blocks.platform.rapport import build_config
from handlers.commands.report import send_report
from handlers.commands.risks import answer_risks
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Command


def register(app: App) -> None:
    """Listen for /rapport."""
    app.command(Command.RAPPORT, middleware=[internal_only])(handle_rapport_command)


def handle_rapport_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    """Route `/rapport …`."""
    ack()
    text = command.get("text", "").strip()
    verb, _space, rest = text.partition(" ")
    verb = verb.lower()
    if verb == "digest":
        text, blocks = _digest(context, rest.strip().lower())
    elif verb == "report":
        text, blocks = send_report(context, rest)
    elif verb == "risks":
        text, blocks = answer_risks(context, rest)
    elif verb == "config":
        services = services_of(context)
        text, blocks = build_config(services.settings, missing_years=services.calendar_gaps())
    elif verb in ("", "help"):
        text, blocks = build_help(Command.RAPPORT)
    else:
        text, blocks = build_help(Command.RAPPORT)
        text = _("I don't know `/rapport {verb}`.").format(verb=cut(verb, ECHO_LIMIT)) + "\n" + text
        blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": text.split("\n")[0]}}, *blocks]
    respond(text=text, blocks=blocks)


def _digest(context: BoltContext, choice: str) -> tuple[str, list[dict[str, Any]]]:
    """`/rapport digest`: my digest now; `/rapport digest on|off`: get it each working morning, or not."""
    services, actor = services_of(context), actor_of(context)
    now = services.now()
    with services.db.session() as session:
        if not choice:
            return build_digest(digest_now(session, user_id=actor.id, services=services, now=now))
        subscription = set_digest(session, user_id=actor.id, choice=choice,
                                  managers=services.settings.rapport_managers, now=now)
    return build_subscription(subscription)

