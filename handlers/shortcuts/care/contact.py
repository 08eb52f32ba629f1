"""Message shortcut *Log contact*: the message becomes a touchpoint with the channel's account."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.contacts import log_contact_from_message
from bot.platform import people
from handlers.blocks.care.contacts import build_contact_already_logged, build_contact_logged
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import Shortcut
from handlers.shortcuts.care.message import picked_message


def register(app: App) -> None:
    """Listen for the Log contact shortcut."""
    app.message_shortcut(Shortcut.LOG_CONTACT, middleware=[internal_only])(handle_log_contact_shortcut)


def handle_log_contact_shortcut(ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Log the message once: the account from the channel link, the customer from its author, its permalink kept."""
    ack()
    services = services_of(context)
    message = picked_message(shortcut)
    customers = people.customers(services.slack, [message.author]) if message.author else []
    with services.db.session() as session:
        logged = log_contact_from_message(
            session, actor_id=actor_of(context).id, channel_id=message.channel_id, message_ts=message.ts,
            text=message.text, customer_id=customers[0] if customers else None,
            permalink=services.slack.permalink(message.channel_id, message.ts), now=services.now(),
        )
    if not logged.new:
        text, blocks = build_contact_already_logged(logged.account.name)
    else:
        text, blocks = build_contact_logged(logged, zone=services.settings.zone)
    reply(shortcut, client, text, blocks)
