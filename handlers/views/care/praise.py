"""Submission of the Log praise modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.praise import Receivers
from bot.platform import people
from bot.platform.i18n import _
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import Block, View
from handlers.shortcuts.care.message import PickedMessage
from handlers.shortcuts.care.praise import log_praise_from_message
from handlers.views.state import input_state, malformed, metadata


def register(app: App) -> None:
    """Listen for the praise receivers modal."""
    app.view(View.PRAISE_RECEIVERS, middleware=[internal_only])(handle_praise_receivers_submission)


def handle_praise_receivers_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                                       client: WebClient) -> None:
    """Close the modal at once, then keep our own people among those chosen, record and publish.

    Who is one of ours takes users.info, which may be slow (429): it runs after the ack, so Slack
    never closes the modal with an error while the praise is being saved.
    """
    services = services_of(context)
    message = read_praised_message(view)
    author = message.author
    chosen = input_state(view, Block.RECEIVERS).get("selected_users") or []
    if not [user_id for user_id in chosen if user_id != author]:
        ack(response_action="errors", errors={Block.RECEIVERS: _("Pick at least one of our people (not the author).")})
        return
    ack()
    body = {**body, "channel": {"id": message.channel_id}}
    receivers = people.internal_people(services.slack, chosen, exclude=author)
    if not receivers:
        reply(body, client, _("None of the people you picked is one of ours, so nothing was logged. Use *Log praise* "
                              "again and pick the colleagues who helped."))
        return
    log_praise_from_message(message, Receivers(users=receivers), services, actor_of(context).id, body, client)


def read_praised_message(view: dict[str, Any]) -> PickedMessage:
    """The message whose praise the modal asks about, as *Log praise* put it in the metadata."""
    source = metadata(view)
    if not source.get("channel") or not source.get("ts"):
        raise malformed()
    return PickedMessage(channel_id=str(source["channel"]), ts=str(source["ts"]), author=str(source.get("author", "")),
                         text=str(source.get("text", "")))
