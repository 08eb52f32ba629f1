"""/need: the needs register (需求) — log a need, list them, show one, move it on, its supplementary agreement."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.care.need_agreements import close_agreement, record_agreement
from bot.care.need_commands import (
    AskAgreement,
    ChangeNeedStatus,
    CloseAgreement,
    ListNeeds,
    LogNeed,
    NeedHelp,
    ShowNeed,
    parse_need_command,
)
from bot.care.needs import account_of_need, change_status, list_needs_page, log_need, require_need
from bot.platform import people
from bot.platform.text import mentioned_users
from handlers.blocks.care.needs import (
    build_agreement_changed,
    build_need_card,
    build_need_changed,
    build_need_list,
    build_need_logged,
)
from handlers.blocks.platform.help import build_help
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Command


def register(app: App) -> None:
    """Listen for /need (internal only)."""
    app.command(Command.NEED, middleware=[internal_only])(handle_need_command)


def handle_need_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    """Route `/need …`."""
    ack()
    services = services_of(context)
    actor, now, zone = actor_of(context).id, services.now(), services.settings.zone
    blocks: list[dict[str, Any]] = []
    match parse_need_command(command.get("text", "")):
        case NeedHelp():
            reply, blocks = build_help(Command.NEED)
        case ListNeeds(account=name, page=page):
            with services.db.session(read_only=True) as session:
                listing = list_needs_page(session, name=name, channel_id=command.get("channel_id"), page=page)
            reply, blocks = build_need_list(listing, zone=zone)
        case ShowNeed(need_id=need_id):
            with services.db.session(read_only=True) as session:
                need = require_need(session, need_id)
                reply, blocks = build_need_card(need, account_of_need(session, need), zone=zone)
        case ChangeNeedStatus(need_id=need_id, status=status, reason=reason):
            with services.db.session() as session:
                changed = change_status(session, need_id=need_id, status=status, actor_id=actor, now=now,
                                        reason=reason)
            reply, blocks = build_need_changed(changed, zone=zone)
        case AskAgreement(need_id=need_id, when=when_text):
            with services.db.session() as session:
                asked = record_agreement(session, need_id=need_id, when_text=when_text, actor_id=actor, now=now,
                                         services=services)
            reply = build_agreement_changed(asked, zone=zone)
        case CloseAgreement(need_id=need_id, signed=signed):
            with services.db.session() as session:
                closed = close_agreement(session, need_id=need_id, signed=signed, actor_id=actor, now=now,
                                         services=services)
            services.deliver(keys=closed.keys)
            reply = build_agreement_changed(closed, zone=zone)
        case LogNeed(text=text):
            customers = people.customers(services.slack, mentioned_users(text))
            with services.db.session() as session:
                logged = log_need(session, actor_id=actor, text=text, channel_id=command.get("channel_id"), now=now,
                                  customer_id=customers[0] if customers else None)
            reply, blocks = build_need_logged(logged, zone=zone)
    respond(text=reply, blocks=blocks or None)
