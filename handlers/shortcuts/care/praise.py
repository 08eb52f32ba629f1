"""Message shortcut *Log praise*: a customer's praise, taken from their message."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.praise import PraisePolicy, Receivers, log_customer_praise
from bot.platform import people
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.platform.services import Services
from bot.platform.text import mentioned_users
from handlers.blocks.care.praise_modal import build_receivers_modal
from handlers.commands.care.praise import published_receipt
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import Shortcut
from handlers.shortcuts.care.message import PickedMessage, picked_message


def register(app: App) -> None:
    """Listen for the Log praise shortcut."""
    app.message_shortcut(Shortcut.LOG_PRAISE, middleware=[internal_only])(handle_log_praise_shortcut)


def handle_log_praise_shortcut(ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Record the message's praise for the engineers it mentions, or ask whom it is for."""
    ack()
    services = services_of(context)
    message = picked_message(shortcut)
    author = message.author
    if not author:
        raise InvalidInput(_("That message has no author Rapport can credit (was it posted by a bot?)."))
    receivers = people.internal_people(services.slack, mentioned_users(message.text), exclude=author)
    if not receivers:
        # The modal carries the message (its ts, author and text) to the submission.
        metadata = json.dumps({"channel": message.channel_id, "ts": message.ts, "author": author,
                               "text": message.text})
        client.views_open(trigger_id=shortcut["trigger_id"], view=build_receivers_modal(metadata))
        return
    log_praise_from_message(message, Receivers(users=receivers), services, actor_of(context).id, shortcut, client)


def log_praise_from_message(message: PickedMessage, receivers: Receivers, services: Services, actor_id: str,
                            body: dict[str, Any], client: WebClient) -> None:
    """Record and publish praise from one message, once, and tell the person who logged it."""
    assert message.author is not None  # checked before the praise is asked for
    with services.db.session() as session:
        given = log_customer_praise(
            session, logged_by=actor_id, author_id=message.author, message_text=message.text, receivers=receivers,
            channel_id=message.channel_id, message_ts=message.ts, now=services.now(),
            policy=PraisePolicy.from_settings(services.settings),
        )
    if given is None:
        reply(body, client, _("This message's praise was logged already — nothing more to do."))
        return
    services.deliver_then(given.card_key, lambda landing: reply(body, client, *published_receipt(given, landing)))
