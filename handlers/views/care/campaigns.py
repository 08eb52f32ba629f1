"""Submissions of the open-survey modals: `/survey new` (our people), and answers (the addressed customers)."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from slack_sdk.models.blocks import PlainTextObject
from slack_sdk.models.views import View as SlackView

from bot.care.campaign_answers import record_answers
from bot.care.campaign_schedule import run_due_campaigns
from bot.care.campaigns import CampaignDraft, create_campaign, questions_of, require_campaign
from bot.platform.arguments import whole_number
from bot.platform.errors import FormErrors, RapportError
from bot.platform.i18n import _
from bot.platform.text import cut
from handlers.blocks.care.campaigns import (
    build_answer_note,
    build_campaign_scheduled,
    field_block,
    question_block,
)
from handlers.blocks.common import section
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import View
from handlers.views.state import input_value

ERROR_LIMIT = 300


def register(app: App) -> None:
    """Listen for the campaign modals."""
    app.view(View.CAMPAIGN_NEW, middleware=[internal_only])(handle_new_campaign_submission)
    app.view(View.CAMPAIGN_ANSWER)(handle_answer_submission)


def read_draft(view: dict[str, Any]) -> CampaignDraft:
    """The `/survey new` modal as typed."""
    def value(name: str) -> str:
        return str(input_value(view, field_block(name)) or "")

    return CampaignDraft(title=value("title"), questions=value("questions"),
                         anonymous=value("anonymous") == "anonymous", by_dm=value("delivery") == "dm",
                         audience=value("audience"), opens=value("opens"), closes=value("closes"),
                         remind=value("remind"))


def handle_new_campaign_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                                   client: WebClient) -> None:
    """Schedule the survey (problems show next to their field); open it now if it opens now."""
    services = services_of(context)
    meta = json.loads(view.get("private_metadata") or "{}")
    try:
        with services.db.session() as session:
            campaign = create_campaign(session, read_draft(view), actor_id=actor_of(context).id, now=services.now(),
                                       calendar=services.team_calendar())
    except FormErrors as problem:
        ack(response_action="errors",
            errors={field_block(name): cut(message, ERROR_LIMIT) for name, message in problem.fields.items()})
        return
    ack()
    if campaign.opens_at <= services.now():
        with services.db.session() as session:
            run_due_campaigns(session, services.now(), services)
        services.deliver()
    where = {**body, "channel": {"id": meta.get("channel")}}
    text, blocks = build_campaign_scheduled(campaign, services.settings.zone)
    reply(where, client, text, blocks)


def read_answers(view: dict[str, Any], count: int) -> dict[str, Any]:
    """The answer modal's values by question number."""
    return {str(number): input_value(view, question_block(number)) for number in range(count)}


def handle_answer_submission(ack: Ack, view: dict[str, Any], context: BoltContext) -> None:
    """Keep the answers and thank the person in the modal; a problem shows on the first question."""
    services = services_of(context)
    campaign_id = whole_number(view.get("private_metadata") or "") or 0
    user_id = actor_of(context).id
    try:
        with services.db.session() as session:
            count = len(questions_of(require_campaign(session, campaign_id)))
            result = record_answers(session, campaign_id=campaign_id, user_id=user_id,
                                    answers=read_answers(view, count), now=services.now(),
                                    managers=services.settings.rapport_managers)
    except RapportError as error:
        ack(response_action="errors", errors={question_block(0): cut(error.message, ERROR_LIMIT)})
        return
    thanks = SlackView(type="modal", title=PlainTextObject(text=_("Survey")),
                       close=PlainTextObject(text=_("Close")), blocks=[section(build_answer_note(result))]).to_dict()
    ack(response_action="update", view=thanks)
    services.deliver(keys=result.keys)
