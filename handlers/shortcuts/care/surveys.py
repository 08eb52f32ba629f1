"""Message shortcut *Ask for feedback*: survey the customer who wrote a message about the service there."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.surveys import ask_for_feedback
from bot.platform import people
from handlers.blocks.care.surveys import build_feedback_asked
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import Shortcut
from handlers.shortcuts.care.message import picked_message


def register(app: App) -> None:
    """Listen for the Ask for feedback shortcut."""
    app.message_shortcut(Shortcut.ASK_FOR_FEEDBACK, middleware=[internal_only])(handle_ask_for_feedback_shortcut)


def handle_ask_for_feedback_shortcut(ack: Ack, shortcut: dict[str, Any], context: BoltContext,
                                     client: WebClient) -> None:
    """Send the message's author a survey now, in the account's shared channel (or by DM), and say where."""
    ack()
    services = services_of(context)
    message = picked_message(shortcut)
    author = None if message.by_app else message.author
    with services.db.session() as session:
        asked = ask_for_feedback(
            session, actor_id=actor_of(context).id, channel_id=message.channel_id, message_ts=message.ts,
            author_id=author, author_is_external=bool(author and people.is_customer(services.slack, author)),
            permalink=services.slack.permalink(message.channel_id, message.ts), now=services.now(),
            timezone=services.settings.zone,
        )
    landing = services.deliver_and_link(asked.card_key)
    text, blocks = build_feedback_asked(asked.survey, link=landing.link)
    reply(shortcut, client, text, blocks)
