"""/service: value-added services (增值服务) — propose one for an account (a modal), help. Internal only."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.care.services_added import start_proposal
from bot.care.services_added_schedule import record_done
from bot.platform.arguments import parse_id
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from handlers.blocks.care.services_added import build_proposal_modal, build_service_done, proposal_metadata
from handlers.blocks.platform.help import build_help
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Command


def register(app: App) -> None:
    """Listen for /service."""
    app.command(Command.SERVICE, middleware=[internal_only])(handle_service_command)


def handle_service_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond,
                           client: WebClient) -> None:
    """Route `/service …`."""
    ack()
    services = services_of(context)
    verb, _space, rest = command.get("text", "").strip().partition(" ")
    verb = verb.lower()
    if verb in ("", "help"):
        text, blocks = build_help(Command.SERVICE)
        respond(text=text, blocks=blocks)
        return
    if verb == "done":
        number, _space, note = rest.strip().partition(" ")
        service_id = parse_id(number, example="/service done 3 report sent")
        if service_id is None:
            raise InvalidInput(_("Give the service's number and what was delivered: `/service done 3 health check "
                                 "report sent`"))
        with services.db.session() as session:
            delivered = record_done(session, service_id=service_id, note=note, actor_id=actor_of(context).id,
                                    now=services.now())
        respond(text=build_service_done(delivered))
        return
    if verb != "propose":
        raise InvalidInput(_("Propose a value-added service with `/service propose Acme Corp`; see `/service help`."))
    with services.db.session() as session:
        account = start_proposal(session, name=rest, managers=tuple(services.settings.rapport_managers))
    client.views_open(trigger_id=command["trigger_id"], view=build_proposal_modal(
        account_name=account.name, private_metadata=proposal_metadata(account.id, command.get("channel_id"))))
