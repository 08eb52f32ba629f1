"""Submissions of the praise follow-up modals: the thank-you note, and the shared story."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.care.praise_followups import send_thanks, share_story
from bot.platform.arguments import whole_number
from bot.platform.errors import RapportError
from bot.platform.text import cut
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Block, View
from handlers.views.state import input_state, input_value

ERROR_LIMIT = 300


def field(name: str) -> str:
    """The block id of one field of the praise follow-up modals."""
    return f"{Block.PRAISE_FIELD}_{name}"


def register(app: App) -> None:
    """Listen for the praise follow-up modals."""
    app.view(View.PRAISE_THANKS, middleware=[internal_only])(handle_thanks_submission)
    app.view(View.PRAISE_STORY, middleware=[internal_only])(handle_story_submission)


def handle_thanks_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    """Send the edited note to the customer and record it on the account; a problem shows on the note."""
    services = services_of(context)
    praise_id = whole_number(view.get("private_metadata") or "") or 0
    try:
        with services.db.session() as session:
            key = send_thanks(session, praise_id=praise_id, actor_id=actor_of(context).id,
                              text=str(input_value(view, field("text")) or ""),
                              managers=services.settings.rapport_managers, now=services.now())
    except RapportError as error:
        ack(response_action="errors", errors={field("text"): cut(error.message, ERROR_LIMIT)})
        return
    ack()
    services.deliver(keys=[key])


def handle_story_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    """Post the story in the chosen internal channel; a shared channel is refused next to the choice."""
    services = services_of(context)
    praise_id = whole_number(view.get("private_metadata") or "") or 0
    channel = str(input_state(view, field("channel")).get("selected_conversation") or "")
    try:
        with services.db.session() as session:
            key = share_story(session, praise_id=praise_id, actor_id=actor_of(context).id, channel_id=channel,
                              done=str(input_value(view, field("done")) or ""),
                              lessons=str(input_value(view, field("lessons")) or ""),
                              is_shared=services.slack.is_shared_channel, now=services.now())
    except RapportError as error:
        ack(response_action="errors", errors={field("channel"): cut(error.message, ERROR_LIMIT)})
        return
    ack()
    services.deliver(keys=[key])
