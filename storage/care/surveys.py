"""Case-by-case satisfaction surveys (满意度调查): one customer asked about one service event."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import Column, Index, String, Text, UniqueConstraint, case, func, or_, update
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, SQLModel, col, select

from storage.db import earliest, storable_id
from storage.types import UTCDateTime


class SurveyStatus(StrEnum):
    """Where a survey is in its life."""

    PENDING = "pending"  # scheduled, not sent yet
    SENT = "sent"
    REMINDED = "reminded"
    ANSWERED = "answered"
    EXPIRED = "expired"
    CANCELLED = "cancelled"


OPEN = (SurveyStatus.SENT, SurveyStatus.REMINDED)  # the respondent can answer
LIVE = (SurveyStatus.PENDING, *OPEN)


class SurveyDelivery(StrEnum):
    """Where the survey card goes."""

    CHANNEL = "channel"  # the account's shared channel, mentioning the respondent
    DM = "dm"


class Survey(SQLModel, table=True):
    """One question to one customer: about a complaint, or about any service event (a message)."""

    __tablename__ = "survey"
    __table_args__ = (
        UniqueConstraint("source_channel_id", "source_ts", name="uq_survey_source"),
        Index("ix_survey_account_answered", "account_id", "answered_at"),
        Index("ix_survey_respondent_sent", "respondent_id", "sent_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    respondent_id: str = Field(max_length=32)
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id", index=True)
    source_channel_id: str | None = Field(default=None, max_length=32)
    source_ts: str | None = Field(default=None, max_length=32)
    source_permalink: str | None = Field(default=None, max_length=500)
    delivery: SurveyDelivery | None = Field(default=None, sa_type=String(16))
    channel_id: str | None = Field(default=None, max_length=32)
    status: SurveyStatus = Field(default=SurveyStatus.PENDING, sa_type=String(16))
    send_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    reminded_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    expires_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    # The next moment tick has work for this survey (send, remind, expire, alert); NULL when none.
    next_check_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    score: int | None = None
    comment: str | None = Field(default=None, sa_column=Column(Text))
    answered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    answered_by: str | None = Field(default=None, max_length=32)
    alerted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    card_key: str | None = Field(default=None, max_length=64)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


@dataclass(frozen=True)
class Csat:
    """Average score (1–5) and the number of answers behind it."""

    average: float | None
    count: int


def add_survey(session: Session, survey: Survey) -> Survey:
    """Store a survey; the id is set on return."""
    session.add(survey)
    session.flush()
    return survey


def get_survey(session: Session, *, survey_id: int) -> Survey | None:
    """One survey by id, read fresh from the database."""
    if not storable_id(survey_id):
        return None  # no row can have it; the database would refuse to compare
    query = select(Survey).where(Survey.id == survey_id).execution_options(populate_existing=True)
    return session.exec(query).first()


def get_survey_for_message(session: Session, *, channel_id: str, ts: str) -> Survey | None:
    """The survey already asked about a Slack message, if any."""
    query = select(Survey).where(Survey.source_channel_id == channel_id, Survey.source_ts == ts)
    return session.exec(query).first()


def claim_due_surveys(session: Session, *, now: datetime, limit: int) -> list[Survey]:
    """Surveys with work due at `now`, locked for this transaction (others skip them)."""
    query = (
        select(Survey)
        .where(col(Survey.next_check_at) <= now)
        .order_by(col(Survey.next_check_at), col(Survey.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return list(session.exec(query))


def next_survey_check_at(session: Session) -> datetime | None:
    """When the earliest survey has scheduled work (in the past when some is waiting)."""
    return earliest(session, Survey.next_check_at)


def change_survey(session: Session, *, survey_id: int, statuses: tuple[SurveyStatus, ...],
                  values: dict[str, Any]) -> bool:
    """Apply `values` only if the survey is still in one of `statuses`; True if this call changed it."""
    result = session.exec(
        update(Survey).where(col(Survey.id) == survey_id, col(Survey.status).in_(statuses)).values(**values)
    )
    return result.rowcount == 1


def set_comment(session: Session, *, survey_id: int, comment: str) -> bool:
    """Keep the respondent's comment on an answered survey unless one is there; True if kept."""
    result = session.exec(
        update(Survey)
        .where(col(Survey.id) == survey_id, col(Survey.status) == SurveyStatus.ANSWERED, col(Survey.comment).is_(None))
        .values(comment=comment)
    )
    return result.rowcount == 1


def mark_alerted(session: Session, *, survey_id: int, now: datetime) -> bool:
    """Claim the low-score alert of a survey; True for the one caller that should send it."""
    result = session.exec(
        update(Survey).where(col(Survey.id) == survey_id, col(Survey.alerted_at).is_(None)).values(alerted_at=now,
                                                                                                 next_check_at=None)
    )
    return result.rowcount == 1


def recent_survey_for(session: Session, *, respondent_id: str, since: datetime, pending: bool = True,
                      exclude_id: int | None = None) -> Survey | None:
    """A survey sent to this person after `since`, or (with `pending`) still waiting to go out."""
    sent = col(Survey.sent_at) > since
    query = (
        select(Survey)
        .where(Survey.respondent_id == respondent_id, Survey.status != SurveyStatus.CANCELLED,
               or_(sent, col(Survey.status) == SurveyStatus.PENDING) if pending else sent)
        .order_by(col(Survey.id).desc())
    )
    if exclude_id is not None:
        query = query.where(Survey.id != exclude_id)
    return session.exec(query).first()


def list_surveys_for_complaint(session: Session, *, complaint_id: int,
                               statuses: tuple[SurveyStatus, ...] | None = None) -> list[Survey]:
    """A complaint's surveys (of some statuses), oldest first."""
    query = select(Survey).where(Survey.complaint_id == complaint_id).order_by(col(Survey.id))
    if statuses:
        query = query.where(col(Survey.status).in_(statuses))
    return list(session.exec(query))


def csat_for_account(session: Session, *, account_id: int, since: datetime, until: datetime | None = None) -> Csat:
    """CSAT of one account: the average score of answers given since `since` (and before `until`)."""
    query = select(func.avg(Survey.score), func.count(col(Survey.score))).where(
        Survey.account_id == account_id, col(Survey.answered_at) >= since, col(Survey.score).is_not(None)
    )
    if until is not None:
        query = query.where(col(Survey.answered_at) < until)
    average, count = session.exec(query).one()
    return Csat(average=float(average) if average is not None else None, count=count)


def csat_in_two_windows(session: Session, *, account_ids: Sequence[int] | None, start: datetime, middle: datetime,
                        end: datetime) -> dict[int, tuple[Csat, Csat]]:
    """Each account's CSAT from `start` to before `middle` and from `middle` to before `end`, in one query."""
    answered, score = col(Survey.answered_at), col(Survey.score)
    earlier = case((answered < middle, score))
    later = case((answered >= middle, score))
    query = (sa_select(col(Survey.account_id), func.avg(earlier), func.count(earlier), func.avg(later),
                       func.count(later))
             .where(answered >= start, answered < end, score.is_not(None)).group_by(col(Survey.account_id)))
    if account_ids is not None:
        query = query.where(col(Survey.account_id).in_(list(account_ids)))
    return {account_id: (Csat(float(avg_before) if avg_before is not None else None, count_before),
                         Csat(float(avg_now) if avg_now is not None else None, count_now))
            for account_id, avg_before, count_before, avg_now, count_now in session.execute(query)}


class ScoreBucket(NamedTuple):
    """Case-survey answers in one span: how many, the sum of their scores (1–5), and how many scored 4 or 5."""

    answers: int
    total: int
    satisfied: int


def case_scores_between(session: Session, *, account_id: int, bounds: Sequence[datetime]) -> list[ScoreBucket]:
    """An account's answered case surveys in each span between consecutive `bounds` (ascending), in one query."""
    if len(bounds) < 2:
        return []
    answered = col(Survey.answered_at)
    span = case(*[(answered < bound, index) for index, bound in enumerate(bounds[1:])])
    query = (select(span, func.count(), func.sum(Survey.score), func.count().filter(col(Survey.score) >= 4))
             .where(Survey.account_id == account_id, answered >= bounds[0], answered < bounds[-1],
                    col(Survey.score).is_not(None))
             .group_by(span))
    buckets = [ScoreBucket(0, 0, 0)] * (len(bounds) - 1)
    for index, answers, total, satisfied in session.exec(query):
        buckets[int(index)] = ScoreBucket(int(answers), int(total or 0), int(satisfied))
    return buckets
