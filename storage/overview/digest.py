"""The morning digest and App Home: who turned the digest on or off, and the read queries both show.

Every query here is one statement whatever the number of accounts a person owns: lists are read with
their total (a window count) in the same statement, and "theirs" is a condition on the account's owner
(a join, or `account_id IN (their accounts)`), never a loop over accounts. `owner_id=None` means the
whole team (what managers see). Where "theirs" is an OR, both sides are on the row's own indexed
columns: an OR across two tables made SQLite and PostgreSQL scan the whole table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Generic, TypeVar

from sqlalchemy import Column, ColumnElement, case, func, or_
from sqlmodel import Field, Session, SQLModel, col, select
from sqlmodel.sql.expression import Select

from storage.accounts import Account, AccountTier
from storage.care.complaints import ACTIVE, Complaint, ComplaintSeverity
from storage.care.praise import Praise, PraiseReceiver
from storage.care.surveys import Survey
from storage.db import insert_ignoring_conflicts
from storage.rhythm.action_items import ActionItem, ActionStatus
from storage.rhythm.meetings import Meeting, MeetingOccurrence, MeetingSlot, OccurrenceStatus
from storage.types import UTCDateTime

LOW_SCORE = 2  # a score of 1 or 2 needs attention (SPEC §4: close the loop)

Row = TypeVar("Row")
First = TypeVar("First")
Second = TypeVar("Second")


class DigestSubscription(SQLModel, table=True):
    """Someone's own choice about the morning digest: managers get it unless off, others only if on."""

    __tablename__ = "digest_subscription"

    user_id: str = Field(primary_key=True, max_length=32)
    enabled: bool = True
    changed_by: str = Field(max_length=32)
    changed_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


@dataclass(frozen=True)
class Page(Generic[Row]):
    """The first rows of a list and how many rows the whole list holds."""

    rows: list[Row]
    total: int


def get_subscription(session: Session, *, user_id: str) -> bool | None:
    """Someone's recorded choice: on, off, or None when they never chose."""
    row = session.get(DigestSubscription, user_id, populate_existing=True)
    return None if row is None else row.enabled


def set_subscription(session: Session, *, user_id: str, enabled: bool, actor_id: str, now: datetime) -> None:
    """Record someone's choice (the latest of two at once wins)."""
    values = {"user_id": user_id, "enabled": enabled, "changed_by": actor_id, "changed_at": now}
    if insert_ignoring_conflicts(session, DigestSubscription, values, key="user_id"):
        return
    row = session.get(DigestSubscription, user_id, populate_existing=True)
    assert row is not None  # the insert above met it
    row.enabled, row.changed_by, row.changed_at = enabled, actor_id, now
    session.add(row)
    session.flush()


def list_subscriptions(session: Session) -> dict[str, bool]:
    """Every recorded choice: user id -> on or off (one row per person who ever chose)."""
    return dict(session.exec(select(DigestSubscription.user_id, DigestSubscription.enabled)).all())


def _pairs(session: Session, query: Select[First, Second, int], limit: int) -> Page[tuple[First, Second]]:
    """Run `query` (rows of two entities and a window count) and split the pairs from the total."""
    rows = session.exec(query.limit(limit)).all()
    return Page(rows=[(first, second) for first, second, _total in rows], total=rows[0][2] if rows else 0)


def _singles(session: Session, query: Select[First, int], limit: int) -> Page[First]:
    """Run `query` (rows of one entity and a window count) and split the entities from the total."""
    rows = session.exec(query.limit(limit)).all()
    return Page(rows=[first for first, _total in rows], total=rows[0][1] if rows else 0)


def _severity_rank() -> ColumnElement[int]:
    return case({s.value: rank for rank, s in enumerate(ComplaintSeverity)}, value=col(Complaint.severity), else_=9)


def _complaints(owner_id: str | None) -> Select[Complaint, str, int]:
    query = (select(Complaint, Account.name, func.count().over())
             .join(Account, col(Account.id) == col(Complaint.account_id)))
    if owner_id is not None:
        # The person's accounts only: their complaints are then read by ix_complaint_account_created. (An OR with
        # "complaints they handle" made both databases scan every complaint; App Home lists those.)
        query = query.where(col(Account.owner_id) == owner_id)
    return query


def breached_complaints(session: Session, *, owner_id: str | None,
                        limit: int) -> Page[tuple[Complaint, str]]:
    """Active complaints past either SLA clock, most severe first: rows of (Complaint, account name)."""
    breached = or_(col(Complaint.ack_breached_at).is_not(None), col(Complaint.resolve_breached_at).is_not(None))
    query = (_complaints(owner_id).where(col(Complaint.status).in_(ACTIVE), breached)
             .order_by(_severity_rank(), col(Complaint.created_at), col(Complaint.id)))
    return _pairs(session, query, limit)


def complaints_between(session: Session, *, column: str, since: datetime, until: datetime, owner_id: str | None,
                       limit: int) -> Page[tuple[Complaint, str]]:
    """Complaints whose `column` ("created_at" or "resolved_at") is from `since` to `until` (included), newest first."""
    moment = col(Complaint.resolved_at) if column == "resolved_at" else col(Complaint.created_at)
    query = (_complaints(owner_id).where(moment >= since, moment <= until)
             .order_by(moment.desc(), col(Complaint.id).desc()))
    return _pairs(session, query, limit)


def handled_complaints(session: Session, *, user_id: str, limit: int) -> Page[tuple[Complaint, str]]:
    """The active complaints a person handles (App Home), the soonest deadline first."""
    deadline = case((col(Complaint.acknowledged_at).is_(None), col(Complaint.ack_due_at)),
                    else_=col(Complaint.resolve_due_at))
    query = (select(Complaint, Account.name, func.count().over())
             .join(Account, col(Account.id) == col(Complaint.account_id))
             .where(col(Complaint.owner_id) == user_id, col(Complaint.status).in_(ACTIVE))
             .order_by(deadline, col(Complaint.id)))
    return _pairs(session, query, limit)


@dataclass(frozen=True)
class Answers:
    """Survey answers in a period: how many, their average (CSAT) and how many scored low."""

    count: int
    average: float | None
    low: int


def survey_answers(session: Session, *, since: datetime, until: datetime, owner_id: str | None) -> Answers:
    """CSAT of the answers given from `since` to `until` (of the person's accounts, or the team's)."""
    score = col(Survey.score)
    query = (select(func.count(score), func.avg(score), func.count().filter(score <= LOW_SCORE))
             .select_from(Survey)
             .where(col(Survey.answered_at) >= since, col(Survey.answered_at) <= until, score.is_not(None)))
    if owner_id is not None:
        query = query.join(Account, col(Account.id) == col(Survey.account_id)).where(col(Account.owner_id) == owner_id)
    count, average, low = session.execute(query).one()
    return Answers(count=count, average=float(average) if average is not None else None, low=low)


def low_score_answers(session: Session, *, since: datetime, until: datetime, owner_id: str | None,
                      limit: int) -> Page[tuple[Survey, str]]:
    """Answers of 1 or 2 given from `since` to `until`, newest first: rows of (Survey, account name)."""
    answered = col(Survey.answered_at)
    query = (select(Survey, Account.name, func.count().over())
             .join(Account, col(Account.id) == col(Survey.account_id))
             .where(answered >= since, answered <= until, col(Survey.score) <= LOW_SCORE)
             .order_by(answered.desc(), col(Survey.id).desc()))
    if owner_id is not None:
        query = query.where(col(Account.owner_id) == owner_id)
    return _pairs(session, query, limit)


def overdue_action_items(session: Session, *, now: datetime, owner_id: str | None,
                         limit: int) -> Page[tuple[ActionItem, str]]:
    """Open action items past due, longest overdue first (the person's, or on their accounts): (item, account name)."""
    query = (select(ActionItem, Account.name, func.count().over())
             .join(Account, col(Account.id) == col(ActionItem.account_id))
             .where(col(ActionItem.status) == ActionStatus.OPEN, col(ActionItem.due_at) < now)
             .order_by(col(ActionItem.due_at), col(ActionItem.id)))
    if owner_id is not None:
        owned = select(Account.id).where(col(Account.owner_id) == owner_id)
        query = query.where(or_(col(ActionItem.owner_id) == owner_id, col(ActionItem.account_id).in_(owned)))
    return _pairs(session, query, limit)


def cold_accounts(session: Session, *, now: datetime, owner_id: str | None, key_only: bool,
                  limit: int) -> Page[Account]:
    """Accounts not contacted within their cadence (key accounts only with `key_only`), longest overdue first."""
    query = (select(Account, func.count().over()).where(col(Account.contact_due_at) <= now)
             .order_by(col(Account.contact_due_at), col(Account.id)))
    if key_only:
        query = query.where(col(Account.tier) == AccountTier.KEY)
    if owner_id is not None:
        query = query.where(col(Account.owner_id) == owner_id)
    return _singles(session, query, limit)


def team_meetings_between(session: Session, *, start: datetime, end: datetime, limit: int) -> list[MeetingSlot]:
    """Every meeting from `start` to before `end`, soonest first (cancelled ones left out)."""
    starts = col(MeetingOccurrence.starts_at)
    query = (select(MeetingOccurrence, Meeting, Account)
             .join(Meeting, col(Meeting.id) == col(MeetingOccurrence.meeting_id))
             .join(Account, col(Account.id) == col(MeetingOccurrence.account_id))
             .where(starts >= start, starts < end, col(MeetingOccurrence.status) != OccurrenceStatus.CANCELLED)
             .order_by(starts, col(MeetingOccurrence.id)).limit(limit))
    slots = []
    for occurrence, meeting, account in session.exec(query):
        assert occurrence.id is not None and meeting.id is not None and account.id is not None
        slots.append(MeetingSlot(occurrence.id, meeting.id, account.id, account.name, meeting.title, meeting.kind,
                                 meeting.rule, occurrence.starts_at, OccurrenceStatus(occurrence.status)))
    return slots


def praise_between(session: Session, *, since: datetime, owner_id: str | None, limit: int,
                   receiver_id: str | None = None) -> Page[tuple[Praise, str | None]]:
    """Praise given since a moment, newest first: rows of (Praise, account name or None).

    `owner_id`: praise from the person's accounts or for them; `receiver_id`: only praise for that person.
    """
    query = (select(Praise, Account.name, func.count().over())
             .outerjoin(Account, col(Account.id) == col(Praise.account_id))
             .where(col(Praise.created_at) >= since).order_by(col(Praise.created_at).desc(), col(Praise.id).desc()))
    if receiver_id is not None:
        for_them = select(PraiseReceiver.praise_id).where(col(PraiseReceiver.user_id) == receiver_id)
        query = query.where(col(Praise.id).in_(for_them))
    if owner_id is not None:
        for_them = select(PraiseReceiver.praise_id).where(col(PraiseReceiver.user_id) == owner_id)
        owned = select(Account.id).where(col(Account.owner_id) == owner_id)
        query = query.where(or_(col(Praise.account_id).in_(owned), col(Praise.id).in_(for_them)))
    return _pairs(session, query, limit)


def receivers_of(session: Session, *, praise_ids: Sequence[int]) -> dict[int, list[PraiseReceiver]]:
    """The receivers of several praises, read in one query: praise id -> receivers."""
    if not praise_ids:
        return {}
    found: dict[int, list[PraiseReceiver]] = {praise_id: [] for praise_id in praise_ids}
    query = (select(PraiseReceiver).where(col(PraiseReceiver.praise_id).in_(list(praise_ids)))
             .order_by(col(PraiseReceiver.id)))
    for receiver in session.exec(query):
        found[receiver.praise_id].append(receiver)
    return found
