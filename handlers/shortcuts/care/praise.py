"""Message shortcut *Log praise*: a customer's praise, taken from their message."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.praise import PraisePolicy, Receivers, log_customer_praise, mentioned_users
from bot.platform import people
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.platform.services import Services
from handlers.blocks.care.praise_modal import build_receivers_modal
from handlers.commands.care.praise import published_receipt
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import Shortcut


def register(app: App) -> None:
    """Listen for the Log praise shortcut."""
    app.message_shortcut(Shortcut.LOG_PRAISE, middleware=[internal_only])(handle_log_praise_shortcut)


def handle_log_praise_shortcut(ack: Ack, shortcut: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Record the message's praise for the engineers it mentions, or ask whom it is for."""
    ack()
    services = services_of(context)
    message = shortcut.get("message") or {}
    author = message.get("user")
    if not author:
        raise InvalidInput(_("That message has no author Rapport can credit (was it posted by a bot?)."))
    source = {"channel": shortcut["channel"]["id"], "ts": message["ts"], "author": author,
              "text": message.get("text", "")}
    receivers = people.internal_people(services.slack, mentioned_users(source["text"]), exclude=author)
    if not receivers:
        client.views_open(trigger_id=shortcut["trigger_id"], view=build_receivers_modal(json.dumps(source)))
        return
    log_praise_from_message(source, Receivers(users=receivers), services, actor_of(context).id, shortcut, client)


def log_praise_from_message(source: dict[str, str], receivers: Receivers, services: Services, actor_id: str,
                            body: dict[str, Any], client: WebClient) -> None:
    """Record and publish praise from one message, once, and tell the person who logged it."""
    with services.db.session() as session:
        given = log_customer_praise(
            session, logged_by=actor_id, author_id=source["author"], message_text=source["text"], receivers=receivers,
            channel_id=source["channel"], message_ts=source["ts"], now=services.now(),
            policy=PraisePolicy.from_settings(services.settings),
        )
    if given is None:
        reply(body, client, _("This message's praise was logged already — nothing more to do."))
        return
    text, blocks = published_receipt(given, services)
    reply(body, client, text, blocks)
