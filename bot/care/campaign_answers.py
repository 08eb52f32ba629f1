"""Answering an open survey: in Slack by the people it addresses (once each, changeable until the close), or
recorded from a phone call, a visit or a web form; low scores alert the account owner. The rules, free of Slack.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.care.campaigns import (
    LOW,
    MAX_TEXT_ANSWER,
    SCALES,
    Question,
    QuestionKind,
    questions_of,
    require_campaign,
    respondent_key,
)
from bot.care.cards import CampaignLowScoreCard
from bot.care.surveys import alert_recipients
from bot.platform import outbox
from bot.platform.errors import InvalidInput, NotFound
from bot.platform.i18n import _
from storage.accounts import Account, list_accounts_named
from storage.care import campaigns as store
from storage.care.campaigns import AnswerChannel, CampaignRecipient, CampaignResponse, CampaignStatus, SurveyCampaign
from storage.platform.audit import record_change

ANONYMOUS_ACTOR = "anonymous"  # the audit log's actor for an anonymous answer: never the person


class Outcome(StrEnum):
    """What became of an answer."""

    RECORDED = "recorded"
    CHANGED = "changed"
    NOT_ADDRESSED = "not_addressed"
    NOT_OPEN = "not_open"
    CLOSED = "closed"


@dataclass(frozen=True)
class AnswerResult:
    """The outcome of an answer, and the outbox keys to deliver at once (alerts)."""

    outcome: Outcome
    campaign: SurveyCampaign
    keys: list[str] = field(default_factory=list)



def check_answers(campaign: SurveyCampaign, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers, read against the questions (keys are question numbers from 0); InvalidInput when wrong."""
    questions = questions_of(campaign)
    kept: dict[str, Any] = {}
    for key, value in answers.items():
        if value in (None, ""):
            continue
        index = int(key) if str(key).isdigit() else -1
        if not 0 <= index < len(questions):
            raise InvalidInput(_("That survey has no question {number}.").format(number=key))
        kept[str(index)] = _answer(questions[index], value)
    if not kept:
        raise InvalidInput(_("Answer at least one question."))
    return kept


def _answer(question: Question, value: Any) -> Any:
    if question.kind in SCALES:
        scale = SCALES[question.kind]
        number = int(value) if str(value).strip().isdigit() else -1
        if number not in scale:
            raise InvalidInput(_("“{question}” takes a whole number from {low} to {high}.").format(
                question=question.text, low=scale[0], high=scale[-1]))
        return number
    text = str(value).strip()
    if question.kind == QuestionKind.CHOICE and text not in question.options:
        raise InvalidInput(_("“{question}” takes one of: {options}.").format(
            question=question.text, options=", ".join(question.options)))
    return text[:MAX_TEXT_ANSWER]




def answerable(session: Session, *, campaign_id: int, user_id: str,
               now: datetime) -> tuple[Outcome | None, SurveyCampaign]:
    """Whether this person may answer now (None) or why not, with the campaign."""
    campaign = require_campaign(session, campaign_id)
    if campaign.status == CampaignStatus.SCHEDULED:
        return Outcome.NOT_OPEN, campaign
    # Past its closing moment it is closed, even if the tick that closes it has not run yet.
    if campaign.status == CampaignStatus.CLOSED or now >= campaign.closes_at:
        return Outcome.CLOSED, campaign
    if store.get_recipient(session, campaign_id=campaign_id, user_id=user_id) is None:
        return Outcome.NOT_ADDRESSED, campaign
    return None, campaign


def current_answers(session: Session, *, campaign: SurveyCampaign, user_id: str) -> dict[str, Any]:
    """What this person answered so far (to prefill the modal), found by their keyed hash."""
    assert campaign.id is not None  # a stored campaign
    if campaign.respondent_salt is None:
        return {}
    response = store.get_response_by_key(session, campaign_id=campaign.id, key=respondent_key(campaign, user_id))
    return dict(response.answers) if response else {}


def record_answers(session: Session, *, campaign_id: int, user_id: str, answers: dict[str, Any], now: datetime,
                   managers: Sequence[str]) -> AnswerResult:
    """Keep an addressed person's answers (merged with earlier ones); anyone else's change nothing."""
    refusal, campaign = answerable(session, campaign_id=campaign_id, user_id=user_id, now=now)
    if refusal is not None:
        return AnswerResult(refusal, campaign)
    kept = check_answers(campaign, answers)
    recipient = store.get_recipient(session, campaign_id=campaign_id, user_id=user_id)
    assert recipient is not None  # answerable said so
    key = respondent_key(campaign, user_id)
    outcome, response = _upsert(session, campaign, recipient, key, kept, now)
    # Anonymous: the audit log knows an answer came, never from whom (nor what).
    actor = ANONYMOUS_ACTOR if campaign.anonymous else user_id
    record_change(session, actor_id=actor, action=f"campaign.{outcome.value}", object_type="survey_campaign",
                  object_id=campaign_id, at=now)
    keys = alert_low_scores(session, campaign, response, now=now, managers=managers)
    return AnswerResult(outcome, campaign, keys)


def _upsert(session: Session, campaign: SurveyCampaign, recipient: CampaignRecipient, key: str,
            answers: dict[str, Any], now: datetime) -> tuple[Outcome, CampaignResponse]:
    earlier = store.get_response_by_key(session, campaign_id=recipient.campaign_id, key=key)
    if earlier is None:
        response = CampaignResponse(
            campaign_id=recipient.campaign_id, account_id=recipient.account_id,
            respondent_id=None if campaign.anonymous else recipient.user_id, respondent_key=key,
            channel=AnswerChannel.SLACK, answers=answers, answered_at=answered_at(campaign, now))
        try:
            with session.begin_nested():
                return Outcome.RECORDED, store.add_response(session, response)
        except IntegrityError:  # a double click got there first: this one changes it
            earlier = store.get_response_by_key(session, campaign_id=recipient.campaign_id, key=key)
            assert earlier is not None  # the unique key was taken by it
    assert earlier.id is not None  # a stored response
    store.change_answers(session, response_id=earlier.id, answers={**earlier.answers, **answers})
    session.refresh(earlier)
    return Outcome.CHANGED, earlier


def answered_at(campaign: SurveyCampaign, now: datetime) -> datetime:
    """When an answer came: to the day when anonymous, so its time cannot be matched with a click or a message."""
    if campaign.anonymous:
        return datetime.combine(now.date(), time(0), tzinfo=now.tzinfo)
    return now


def record_elsewhere(session: Session, *, campaign_id: int, account_name: str, channel: AnswerChannel,
                     answers: list[str], actor_id: str, now: datetime, managers: Sequence[str]) -> list[str]:
    """Record answers collected by phone, a visit or a web form (`/survey record`), marked with how they came;
    the outbox keys of any low-score alert."""
    campaign = require_campaign(session, campaign_id)
    if campaign.status == CampaignStatus.CLOSED:
        raise InvalidInput(_("Survey #{id} has closed; it takes no more answers.").format(id=campaign_id))
    named = list_accounts_named(session, names=[account_name])
    account = named[0] if named else None
    if account is None or account.id is None:
        raise NotFound(_("No account called “{name}”. See `/account list`.").format(name=account_name))
    if len(answers) > len(campaign.questions):
        raise InvalidInput(_("Survey #{id} has {count} questions; separate the answers with `;` and skip one with "
                             "`-`.").format(id=campaign_id, count=len(campaign.questions)))
    given = {str(i): value.strip() for i, value in enumerate(answers) if value.strip() not in ("", "-")}
    kept = check_answers(campaign, given)
    response = store.add_response(session, CampaignResponse(
        campaign_id=campaign_id, account_id=account.id, channel=channel, answers=kept,
        answered_at=answered_at(campaign, now), recorded_by=actor_id))
    record_change(session, actor_id=actor_id, action="campaign.record", object_type="survey_campaign",
                  object_id=campaign_id, at=now, after={"account_id": account.id, "channel": channel.value})
    return alert_low_scores(session, campaign, response, now=now, managers=managers)


def alert_low_scores(session: Session, campaign: SurveyCampaign, response: CampaignResponse, *, now: datetime,
                     managers: Sequence[str]) -> list[str]:
    """Alert the account owner (and managers) once about a detractor or a CSAT of 1–2 in this response."""
    low = [(q, response.answers[str(i)]) for i, q in enumerate(questions_of(campaign))
           if q.kind in LOW and isinstance(response.answers.get(str(i)), int)
           and response.answers[str(i)] <= LOW[q.kind]]
    if not low:
        return []
    assert response.id is not None and campaign.id is not None  # both stored
    if not store.mark_alerted(session, response_id=response.id):
        return []
    account = session.get_one(Account, response.account_id)
    question, score = low[0]
    card = CampaignLowScoreCard(campaign_id=campaign.id, title=campaign.title, account=account.name,
                                respondent=response.respondent_id, question=question.text,
                                question_kind=question.kind.value, score=score)
    keys = []
    for user in alert_recipients(account, managers):
        key = f"campaign:{campaign.id}:low:{response.id}:{user}"
        outbox.dm(session, key=key, user=user, card=card, now=now)
        keys.append(key)
    return keys
