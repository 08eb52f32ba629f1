"""Survey buttons: a score, and "Add a comment". The one thing external users may do, so no internal_only:
the rules check that the person clicking is the survey's respondent.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.complaint_clock import ComplaintPolicy
from bot.care.complaints import answer_survey
from bot.care.surveys import check_can_comment
from bot.platform.i18n import _
from handlers.blocks.care.surveys import build_answer_note, build_comment_modal
from handlers.context import actor_of, button_numbers, reply, services_of
from handlers.ids import Action

SCORE_ACTION = re.compile(rf"^{Action.SURVEY_SCORE}_[1-5]$")


def register(app: App) -> None:
    """Listen for the survey card's buttons."""
    app.action(SCORE_ACTION)(handle_survey_score)
    app.action(Action.SURVEY_COMMENT)(handle_add_comment)


def handle_survey_score(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                        client: WebClient) -> None:
    """Record the respondent's score once and update the card; anyone else gets a polite note."""
    ack()
    services = services_of(context)
    survey_id, score = button_numbers(action, count=2, hint=_("The survey can't be read."))
    with services.db.session() as session:
        answer = answer_survey(session, survey_id=survey_id, user_id=actor_of(context).id, score=score,
                               now=services.now(), policy=ComplaintPolicy.from_settings(services.settings))
    services.deliver(keys=answer.keys)
    note = build_answer_note(answer)
    if note:
        reply(body, client, note)


def handle_add_comment(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                       client: WebClient) -> None:
    """Open the comment modal for the respondent of an answered survey."""
    ack()
    services = services_of(context)
    (survey_id,) = button_numbers(action, hint=_("The survey can't be read."))
    with services.db.session() as session:
        check_can_comment(session, survey_id=survey_id, user_id=actor_of(context).id)
    client.views_open(trigger_id=body["trigger_id"], view=build_comment_modal(survey_id))

