"""/contact: log a touchpoint with an account, list the accounts gone cold or the messages waiting for us, help."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.care.complaint_clock import ComplaintPolicy
from bot.care.contacts import (
    ContactHelp,
    LogContact,
    ShowColdAccounts,
    ShowWaiting,
    cold_accounts_for,
    log_contact,
    parse_contact_command,
)
from bot.care.waiting import waiting_for
from bot.platform import people
from bot.platform.text import mentioned_users
from handlers.blocks.care.capture import build_waiting
from handlers.blocks.care.contacts import build_cold_accounts, build_contact_logged
from handlers.blocks.platform.help import build_help
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Command


def register(app: App) -> None:
    """Listen for /contact."""
    app.command(Command.CONTACT, middleware=[internal_only])(handle_contact_command)


def handle_contact_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    """Route `/contact …` to help, the cold-accounts list or a new touchpoint."""
    ack()
    match parse_contact_command(command.get("text", "")):
        case ContactHelp():
            reply, blocks = build_help(Command.CONTACT)
        case ShowColdAccounts(page=page):
            reply, blocks = show_cold_accounts(context, page=page)
        case ShowWaiting(page=page):
            reply, blocks = show_waiting(context, page=page)
        case LogContact(text=text):
            reply, blocks = record_contact(text, command["channel_id"], context)
    respond(text=reply, blocks=blocks)


def show_cold_accounts(context: BoltContext, *, page: int) -> tuple[str, list[dict[str, Any]]]:
    """The accounts gone cold that the person asking looks after."""
    services = services_of(context)
    now = services.now()
    with services.db.session() as session:
        cold = cold_accounts_for(session, viewer_id=actor_of(context).id, managers=services.settings.rapport_managers,
                                 admins=services.settings.admins, now=now, page=page)
    return build_cold_accounts(cold, now=now, zone=services.settings.zone)


def show_waiting(context: BoltContext, *, page: int) -> tuple[str, list[dict[str, Any]]]:
    """Customer messages waiting for our first response, oldest first, with their clocks."""
    services = services_of(context)
    now = services.now()
    with services.db.session() as session:
        waiting = waiting_for(session, viewer_id=actor_of(context).id, managers=services.settings.rapport_managers,
                              admins=services.settings.admins, now=now,
                              policy=ComplaintPolicy.from_settings(services.settings), page=page)
    return build_waiting(waiting, now=now)


def record_contact(text: str, channel_id: str, context: BoltContext) -> tuple[str, list[dict[str, Any]]]:
    """Log the touchpoint; the first customer mentioned in the text is the person it was with."""
    services = services_of(context)
    customers = people.customers(services.slack, mentioned_users(text))
    with services.db.session() as session:
        logged = log_contact(session, actor_id=actor_of(context).id, text=text, channel_id=channel_id,
                             now=services.now(), customer_id=customers[0] if customers else None)
    return build_contact_logged(logged, zone=services.settings.zone)
