"""Message shortcut *Log need*: a customer's message becomes a need of the channel's account, after a modal."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.needs import existing_need, linked_account
from bot.platform import people
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from handlers.blocks.care.needs import build_new_need_modal
from handlers.context import internal_only, reply, services_of
from handlers.ids import Shortcut
from handlers.shortcuts.care.message import picked_message


def register(app: App) -> None:
    """Listen for the Log need shortcut."""
    app.message_shortcut(Shortcut.LOG_NEED, middleware=[internal_only])(handle_log_need_shortcut)


def handle_log_need_shortcut(ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Open the modal with the message's text (account from the channel link), unless it was logged before.

    What Slack knows about the message (is its author a customer, its permalink) is asked here, after the
    ack, and carried in the modal: its submission must answer Slack within 3 s.
    """
    ack()
    services = services_of(context)
    message = picked_message(shortcut)
    if not message.author or message.by_app:
        raise InvalidInput(_("Log needs from a customer's message — this one was posted by an app."))
    with services.db.session(read_only=True) as session:
        account = linked_account(session, channel_id=message.channel_id)
        earlier = existing_need(session, channel_id=message.channel_id, ts=message.ts)
    if earlier:
        reply(shortcut, client, _("This message is already need #{id}. `/need {id}` shows it.").format(id=earlier.id))
        return
    customer = message.author if people.is_customer(services.slack, message.author) else None
    metadata = json.dumps({"channel": message.channel_id, "ts": message.ts, "customer": customer,
                           "permalink": services.slack.permalink(message.channel_id, message.ts)})
    client.views_open(trigger_id=shortcut["trigger_id"], view=build_new_need_modal(
        private_metadata=metadata, account_name=account.name, text=message.text, customer=customer))
