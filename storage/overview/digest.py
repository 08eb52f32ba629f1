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
from typing import Any

from sqlalchemy import Column, case, func, or_
from sqlmodel import Field, Session, SQLModel, select

from storage.accounts import Account, AccountTier
from storage.care.complaints import ACTIVE, Complaint, ComplaintSeverity
from storage.care.praise import Praise, PraiseReceiver
from storage.care.surveys import Survey
from storage.db import insert_ignoring_conflicts
from storage.rhythm.action_items import ActionItem, ActionStatus
from storage.rhythm.meetings import Meeting, MeetingOccurrence, MeetingSlot, OccurrenceStatus
from storage.types import UTCDateTime

LOW_SCORE = 2  # a score of 1 or 2 needs attention (SPEC §4: close the loop)


class DigestSubscription(SQLModel, table=True):
    """Someone's own choice about the morning digest: managers get it unless off, others only if on."""

    __tablename__ = "digest_subscription"

    user_id: str = Field(primary_key=True, max_length=32)
    enabled: bool = True
    changed_by: str = Field(max_length=32)
    changed_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


@dataclass(frozen=True)
class Page:
    """The first rows of a list and how many rows the whole list holds."""

    rows: list[Any]
    total: int


def get_subscription(session: Session, *, user_id: str) -> bool | None:
    """Someone's recorded choice: on, off, or None when they never chose."""
    row = session.get(DigestSubscription, user_id, populate_existing=True)
    return None if row is None else row.enabled


def set_subscription(session: Session, *, user_id: str, enabled: bool, actor_id: str, now: datetime) -> None:
    """Record someone's choice (the latest of two at once wins)."""
    values = {"user_id": user_id, "enabled": enabled, "changed_by": actor_id, "changed_at": now}
    if insert_ignoring_conflicts(session, DigestSubscription.__table__, values, key="user_id"):
        return
    row = session.get(DigestSubscription, user_id, populate_existing=True)
    row.enabled, row.changed_by, row.changed_at = enabled, actor_id, now
    session.add(row)
    session.flush()


def list_subscriptions(session: Session) -> dict[str, bool]:
    """Every recorded choice: user id -> on or off (one row per person who ever chose)."""
    return dict(session.exec(select(DigestSubscription.user_id, DigestSubscription.enabled)).all())


def _page(session: Session, query: Any, limit: int, width: int) -> Page:
    """Run `query` (whose last column is a window count) and split rows from the total."""
    rows = session.exec(query.limit(limit)).all()
    total = rows[0][width] if rows else 0
    return Page(rows=[tuple(row[:width]) if width > 1 else row[0] for row in rows], total=total)


def _severity_rank() -> Any:
    return case({s.value: rank for rank, s in enumerate(ComplaintSeverity)}, value=Complaint.severity, else_=9)


def _complaints(owner_id: str | None) -> Any:
    query = (select(Complaint, Account.name, func.count().over())
             .join(Account, Account.id == Complaint.account_id))
    if owner_id is not None:
        # The person's accounts only: their complaints are then read by ix_complaint_account_created. (An OR with
        # "complaints they handle" made both databases scan every complaint; App Home lists those.)
        query = query.where(Account.owner_id == owner_id)
    return query


def breached_complaints(session: Session, *, owner_id: str | None, limit: int) -> Page:
    """Active complaints past either SLA clock, most severe first: rows of (Complaint, account name)."""
    breached = or_(Complaint.ack_breached_at.is_not(None), Complaint.resolve_breached_at.is_not(None))
    query = (_complaints(owner_id).where(Complaint.status.in_(ACTIVE), breached)
             .order_by(_severity_rank(), Complaint.created_at, Complaint.id))
    return _page(session, query, limit, 2)


def complaints_between(session: Session, *, column: str, since: datetime, until: datetime, owner_id: str | None,
                       limit: int) -> Page:
    """Complaints whose `column` ("created_at" or "resolved_at") is from `since` to `until` (included), newest first."""
    moment = getattr(Complaint, column)
    query = (_complaints(owner_id).where(moment >= since, moment <= until)
             .order_by(moment.desc(), Complaint.id.desc()))
    return _page(session, query, limit, 2)


def handled_complaints(session: Session, *, user_id: str, limit: int) -> Page:
    """The active complaints a person handles (App Home), the soonest deadline first."""
    deadline = case((Complaint.acknowledged_at.is_(None), Complaint.ack_due_at), else_=Complaint.resolve_due_at)
    query = (select(Complaint, Account.name, func.count().over()).join(Account, Account.id == Complaint.account_id)
             .where(Complaint.owner_id == user_id, Complaint.status.in_(ACTIVE))
             .order_by(deadline, Complaint.id))
    return _page(session, query, limit, 2)


@dataclass(frozen=True)
class Answers:
    """Survey answers in a period: how many, their average (CSAT) and how many scored low."""

    count: int
    average: float | None
    low: int


def survey_answers(session: Session, *, since: datetime, until: datetime, owner_id: str | None) -> Answers:
    """CSAT of the answers given from `since` to `until` (of the person's accounts, or the team's)."""
    query = (select(func.count(Survey.score), func.avg(Survey.score), func.count().filter(Survey.score <= LOW_SCORE))
             .select_from(Survey)
             .where(Survey.answered_at >= since, Survey.answered_at <= until, Survey.score.is_not(None)))
    if owner_id is not None:
        query = query.join(Account, Account.id == Survey.account_id).where(Account.owner_id == owner_id)
    count, average, low = session.exec(query).one()
    return Answers(count=count, average=float(average) if average is not None else None, low=low)


def low_score_answers(session: Session, *, since: datetime, until: datetime, owner_id: str | None,
                      limit: int) -> Page:
    """Answers of 1 or 2 given from `since` to `until`, newest first: rows of (Survey, account name)."""
    query = (select(Survey, Account.name, func.count().over()).join(Account, Account.id == Survey.account_id)
             .where(Survey.answered_at >= since, Survey.answered_at <= until, Survey.score <= LOW_SCORE)
             .order_by(Survey.answered_at.desc(), Survey.id.desc()))
    if owner_id is not None:
        query = query.where(Account.owner_id == owner_id)
    return _page(session, query, limit, 2)


def overdue_action_items(session: Session, *, now: datetime, owner_id: str | None, limit: int) -> Page:
    """Open action items past due, longest overdue first (the person's, or on their accounts): (item, account name)."""
    query = (select(ActionItem, Account.name, func.count().over()).join(Account, Account.id == ActionItem.account_id)
             .where(ActionItem.status == ActionStatus.OPEN, ActionItem.due_at < now)
             .order_by(ActionItem.due_at, ActionItem.id))
    if owner_id is not None:
        owned = select(Account.id).where(Account.owner_id == owner_id)
        query = query.where(or_(ActionItem.owner_id == owner_id, ActionItem.account_id.in_(owned)))
    return _page(session, query, limit, 2)


def cold_accounts(session: Session, *, now: datetime, owner_id: str | None, key_only: bool, limit: int) -> Page:
    """Accounts not contacted within their cadence (key accounts only with `key_only`), longest overdue first."""
    query = (select(Account, func.count().over()).where(Account.contact_due_at <= now)
             .order_by(Account.contact_due_at, Account.id))
    if key_only:
        query = query.where(Account.tier == AccountTier.KEY)
    if owner_id is not None:
        query = query.where(Account.owner_id == owner_id)
    return _page(session, query, limit, 1)


def team_meetings_between(session: Session, *, start: datetime, end: datetime, limit: int) -> list[MeetingSlot]:
    """Every meeting from `start` to before `end`, soonest first (cancelled ones left out)."""
    query = (select(MeetingOccurrence, Meeting, Account)
             .join(Meeting, Meeting.id == MeetingOccurrence.meeting_id)
             .join(Account, Account.id == MeetingOccurrence.account_id)
             .where(MeetingOccurrence.starts_at >= start, MeetingOccurrence.starts_at < end,
                    MeetingOccurrence.status != OccurrenceStatus.CANCELLED)
             .order_by(MeetingOccurrence.starts_at, MeetingOccurrence.id).limit(limit))
    return [MeetingSlot(o.id, m.id, a.id, a.name, m.title, m.kind, m.rule, o.starts_at, OccurrenceStatus(o.status))
            for o, m, a in session.exec(query)]


def praise_between(session: Session, *, since: datetime, owner_id: str | None, limit: int,
                   receiver_id: str | None = None) -> Page:
    """Praise given since a moment, newest first: rows of (Praise, account name or None).

    `owner_id`: praise from the person's accounts or for them; `receiver_id`: only praise for that person.
    """
    query = (select(Praise, Account.name, func.count().over()).outerjoin(Account, Account.id == Praise.account_id)
             .where(Praise.created_at >= since).order_by(Praise.created_at.desc(), Praise.id.desc()))
    if receiver_id is not None:
        for_them = select(PraiseReceiver.praise_id).where(PraiseReceiver.user_id == receiver_id)
        query = query.where(Praise.id.in_(for_them))
    if owner_id is not None:
        for_them = select(PraiseReceiver.praise_id).where(PraiseReceiver.user_id == owner_id)
        owned = select(Account.id).where(Account.owner_id == owner_id)
        query = query.where(or_(Praise.account_id.in_(owned), Praise.id.in_(for_them)))
    return _page(session, query, limit, 2)


def receivers_of(session: Session, *, praise_ids: Sequence[int]) -> dict[int, list[PraiseReceiver]]:
    """The receivers of several praises, read in one query: praise id -> receivers."""
    if not praise_ids:
        return {}
    found: dict[int, list[PraiseReceiver]] = {praise_id: [] for praise_id in praise_ids}
    query = select(PraiseReceiver).where(PraiseReceiver.praise_id.in_(list(praise_ids))).order_by(PraiseReceiver.id)
    for receiver in session.exec(query):
        found[receiver.praise_id].append(receiver)
    return found
