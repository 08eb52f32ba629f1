"""Open-survey card buttons: a score for the first question, *Answer the survey*. One of the few things external
users may do, so no internal_only: the rules check the person is one the survey is addressed to."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.campaign_answers import AnswerResult, Outcome, answerable, current_answers, record_answers
from bot.care.campaigns import questions_of
from bot.platform.i18n import _
from handlers.blocks.care.campaigns import build_answer_modal, build_answer_note
from handlers.context import actor_of, button_numbers, reply, services_of
from handlers.ids import Action

SCORE_ACTION = re.compile(rf"^{Action.CAMPAIGN_SCORE}_(?:[0-9]|10)$")


def register(app: App) -> None:
    """Listen for the campaign card's buttons."""
    app.action(SCORE_ACTION)(handle_campaign_score)
    app.action(Action.CAMPAIGN_ANSWER)(handle_campaign_answer)


def handle_campaign_score(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                          client: WebClient) -> None:
    """Keep the score for the first question; with more questions, open the modal for the rest."""
    ack()
    services = services_of(context)
    campaign_id, score = button_numbers(action, count=2, hint=_("The survey can't be read."))
    user_id = actor_of(context).id
    with services.db.session() as session:
        result = record_answers(session, campaign_id=campaign_id, user_id=user_id, answers={"0": score},
                                now=services.now(), managers=services.settings.rapport_managers)
        more = len(result.campaign.questions) > 1 and result.outcome in (Outcome.RECORDED, Outcome.CHANGED)
        view = build_answer_modal(result.campaign, questions_of(result.campaign),
                                  current_answers(session, campaign=result.campaign, user_id=user_id)) if more else None
    services.deliver(keys=result.keys)
    if view is not None:
        client.views_open(trigger_id=body["trigger_id"], view=view)
    reply(body, client, build_answer_note(result))


def handle_campaign_answer(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                           client: WebClient) -> None:
    """Open the answer modal, prefilled with the person's answers so far; others get a polite note."""
    ack()
    services = services_of(context)
    (campaign_id,) = button_numbers(action, hint=_("The survey can't be read."))
    user_id = actor_of(context).id
    with services.db.session() as session:
        refusal, campaign = answerable(session, campaign_id=campaign_id, user_id=user_id, now=services.now())
        view = None if refusal else build_answer_modal(campaign, questions_of(campaign),
                                                       current_answers(session, campaign=campaign, user_id=user_id))
    if view is None:
        assert refusal is not None  # no view: a refusal
        reply(body, client, build_answer_note(AnswerResult(refusal, campaign)))
        return
    client.views_open(trigger_id=body["trigger_id"], view=view)
