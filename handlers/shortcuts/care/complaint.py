"""Message shortcut *Log complaint*: a customer's message becomes a complaint, after a confirming modal."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.complaints import draft_from_message
from bot.platform import people
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from handlers.blocks.care.complaint_modal import build_new_complaint_modal
from handlers.context import internal_only, reply, services_of
from handlers.ids import Shortcut
from handlers.shortcuts.care.message import picked_message


def register(app: App) -> None:
    """Listen for the Log complaint shortcut."""
    app.message_shortcut(Shortcut.LOG_COMPLAINT, middleware=[internal_only])(handle_log_complaint_shortcut)


def handle_log_complaint_shortcut(ack: Ack, shortcut: dict[str, Any], context: BoltContext,
                                  client: WebClient) -> None:
    """Open the modal prefilled from the message (account from the channel link), unless it was logged before.

    What Slack must be asked about the message (is its author a customer, its permalink) is asked
    here, after the ack, and carried in the modal: its submission must answer Slack within 3 s.
    """
    ack()
    services = services_of(context)
    message = picked_message(shortcut)
    author = message.author
    if not author or message.by_app:
        raise InvalidInput(_("Log complaints from a customer's message — this one was posted by an app."))
    with services.db.session() as session:
        draft = draft_from_message(session, channel_id=message.channel_id, ts=message.ts)
    if draft.existing:
        reply(shortcut, client, _("This message is already complaint #{id}. `/complaint {id}` shows it.").format(
            id=draft.existing.id))
        return
    metadata = json.dumps({
        "channel": message.channel_id, "ts": message.ts, "thread_ts": message.thread_ts or message.ts,
        "complainant": author if people.is_customer(services.slack, author) else None,
        "permalink": services.slack.permalink(message.channel_id, message.ts),
    })
    client.views_open(trigger_id=shortcut["trigger_id"], view=build_new_complaint_modal(
        private_metadata=metadata, account_name=draft.account_name, summary=message.text, complainant=author))
