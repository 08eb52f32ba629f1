"""Submission of the survey comment modal (by the survey's respondent, who may be external)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext

from bot.care.surveys import record_comment
from bot.platform.arguments import whole_number
from bot.platform.errors import RapportError
from handlers.context import actor_of, services_of
from handlers.ids import Block, View
from handlers.views.state import input_value


def register(app: App) -> None:
    """Listen for the survey comment modal."""
    app.view(View.SURVEY_COMMENT)(handle_survey_comment_submission)


def handle_survey_comment_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    """Keep the comment, close the modal, then update the card (and pass a low score's comment on)."""
    services = services_of(context)
    survey_id = whole_number(view.get("private_metadata") or "") or 0  # 0: no survey, refused as gone
    text = input_value(view, Block.SURVEY_COMMENT)
    try:
        with services.db.session() as session:
            keys = record_comment(session, survey_id=survey_id, user_id=actor_of(context).id, text=text,
                                  now=services.now(), managers=services.settings.rapport_managers)
    except RapportError as error:  # shown on the input, so the modal stays open with the text typed
        ack(response_action="errors", errors={Block.SURVEY_COMMENT: error.message})
        return
    ack()
    services.deliver(keys=keys)
