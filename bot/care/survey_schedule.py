"""The scheduler's part of surveys: send those due, remind once after 48 h, expire after 7 days, alert on low scores.

`run_due_surveys` reads only surveys whose indexed `next_check_at` has come, locked with SKIP
LOCKED; each step is a conditional update on the survey's status, so a repeated tick (or two
processes at once) does each one once.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.care.cards import SurveyCardState
from bot.care.surveys import (
    ONCE_PER,
    alert_low_score,
    cancel_pending,
    queue_card,
    queue_card_updates,
    reminder_key,
    require_survey,
    send_survey,
)
from storage.accounts import Account
from storage.care import surveys as store
from storage.care.surveys import Survey, SurveyStatus
from storage.platform.audit import SCHEDULER, record_change

if TYPE_CHECKING:
    from bot.platform.services import Services

DUE_BATCH = 200  # surveys handled per tick; the rest wait for the next one


def run_due_surveys(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: send due surveys, remind once after 48 h, expire after 7 days, alert on low scores."""
    return handle_due_surveys(session, now=now, managers=services.settings.rapport_managers)


def next_due_surveys(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_surveys next has work (survey to send, remind, expire or alert on); past when some waits."""
    return store.next_survey_check_at(session)


def handle_due_surveys(session: Session, *, now: datetime, managers: Sequence[str]) -> int:
    """Do what each due survey needs at `now`; returns how many surveys were handled."""
    handled = 0
    for survey in store.claim_due_surveys(session, now=now, limit=DUE_BATCH):
        assert survey.id is not None  # a stored survey
        account = session.get_one(Account, survey.account_id)
        status = SurveyStatus(survey.status)
        if status == SurveyStatus.PENDING:
            _send_unless_asked_lately(session, survey, account, now)
        elif status == SurveyStatus.SENT and survey.expires_at and now < survey.expires_at:
            _remind(session, survey, now)
        elif status in store.OPEN:
            _expire(session, survey, now)
        elif status == SurveyStatus.ANSWERED and store.mark_alerted(session, survey_id=survey.id, now=now):
            alert_low_score(session, survey=survey, account=account, managers=managers, now=now)
        else:
            store.change_survey(session, survey_id=survey.id, statuses=(status,), values={"next_check_at": None})
        handled += 1
    return handled


def _send_unless_asked_lately(session: Session, survey: Survey, account: Account, now: datetime) -> None:
    """Send, unless another survey reached the same person in the last 7 days meanwhile."""
    assert survey.id is not None  # a stored survey
    other = store.recent_survey_for(session, respondent_id=survey.respondent_id, since=now - ONCE_PER, pending=False,
                                    exclude_id=survey.id)
    if other is None:
        send_survey(session, survey=survey, account=account, now=now)
        return
    cancel_pending(session, survey_id=survey.id, now=now, actor_id=SCHEDULER,
                   why={"reason": "asked recently", "recent_survey_id": other.id})


def _remind(session: Session, survey: Survey, now: datetime) -> None:
    """Post the card once more, saying it is a reminder; answering either copy counts."""
    survey_id = survey.id
    assert survey_id is not None  # a stored survey
    values = {"status": SurveyStatus.REMINDED, "reminded_at": now, "next_check_at": survey.expires_at}
    if not store.change_survey(session, survey_id=survey_id, statuses=(SurveyStatus.SENT,), values=values):
        return
    reminded = require_survey(session, survey_id)
    queue_card(session, reminded, key=reminder_key(survey_id), state=SurveyCardState.REMINDER, now=now)
    record_change(session, actor_id=SCHEDULER, action="survey.remind", object_type="survey", object_id=survey_id,
                  at=now, before={"status": SurveyStatus.SENT.value}, after={"status": SurveyStatus.REMINDED.value})


def _expire(session: Session, survey: Survey, now: datetime) -> None:
    """Close an unanswered survey and say so on its card(s)."""
    survey_id = survey.id
    assert survey_id is not None  # a stored survey
    before = SurveyStatus(survey.status)
    values = {"status": SurveyStatus.EXPIRED, "next_check_at": None}
    if not store.change_survey(session, survey_id=survey_id, statuses=store.OPEN, values=values):
        return
    queue_card_updates(session, require_survey(session, survey_id), state=SurveyCardState.EXPIRED, now=now)
    record_change(session, actor_id=SCHEDULER, action="survey.expire", object_type="survey", object_id=survey_id,
                  at=now, before={"status": before.value}, after={"status": SurveyStatus.EXPIRED.value})
