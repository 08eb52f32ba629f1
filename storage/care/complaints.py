"""Complaints (投诉管理) and their SLA clocks, with the queries the rules and the scheduler need."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TypeVar

from sqlalchemy import Column, ColumnElement, Index, String, Text, UniqueConstraint, case, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, SQLModel, col, select
from sqlmodel.sql.expression import SelectOfScalar

from storage.db import earliest, storable_id
from storage.types import UTCDateTime


class ComplaintSeverity(StrEnum):
    """How urgent a complaint is; it sets the SLA targets."""

    CRITICAL = "critical"
    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"


class ComplaintStatus(StrEnum):
    """Where a complaint is in its life: open → acknowledged → resolved → closed (or reopened)."""

    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"
    CLOSED = "closed"


ACTIVE = (ComplaintStatus.OPEN, ComplaintStatus.ACKNOWLEDGED)


class Complaint(SQLModel, table=True):
    """A customer's complaint, its owner and its two SLA clocks (acknowledge, resolve)."""

    __tablename__ = "complaint"
    __table_args__ = (
        UniqueConstraint("source_channel_id", "source_ts", name="uq_complaint_source"),
        Index("ix_complaint_account_created", "account_id", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    summary: str = Field(sa_column=Column(Text, nullable=False))
    severity: ComplaintSeverity = Field(default=ComplaintSeverity.NORMAL, sa_type=String(16))
    status: ComplaintStatus = Field(default=ComplaintStatus.OPEN, sa_type=String(16), index=True)
    owner_id: str | None = Field(default=None, max_length=32, index=True)
    complainant_id: str | None = Field(default=None, max_length=32)
    source_channel_id: str | None = Field(default=None, max_length=32)
    source_ts: str | None = Field(default=None, max_length=32)
    # The thread of the source message (its parent's ts when it is a reply): the customer's line goes there.
    source_thread_ts: str | None = Field(default=None, max_length=32)
    permalink: str | None = Field(default=None, max_length=500)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    acknowledged_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    acknowledged_by: str | None = Field(default=None, max_length=32)
    resolved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    resolved_by: str | None = Field(default=None, max_length=32)
    resolution: str | None = Field(default=None, sa_column=Column(Text))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    reopen_count: int = 0
    # Bumped on every change; names the card's in-place updates in the outbox.
    version: int = 0
    # SLA clocks, in business time on the account's calendar. The acknowledge clock runs from
    # creation; the resolve clock from creation, or from the latest reopening.
    clock_started_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    ack_warn_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    ack_due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    ack_warned_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    ack_breached_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    resolve_warn_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    resolve_due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    resolve_warned_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    resolve_breached_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    # The next moment the scheduler has something to do (warn, escalate, close); None when nothing.
    next_check_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))

    @property
    def breached(self) -> bool:
        """True once either clock of the current cycle has run out."""
        return self.ack_breached_at is not None or self.resolve_breached_at is not None


def add_complaint(session: Session, complaint: Complaint) -> Complaint:
    """Store a complaint; its id is set on return."""
    session.add(complaint)
    session.flush()
    return complaint


def get_complaint(session: Session, *, complaint_id: int, for_update: bool = False) -> Complaint | None:
    """A complaint by id, locked against concurrent changes when `for_update`."""
    if not storable_id(complaint_id):
        return None  # no row can have it; the database would refuse to compare
    query = select(Complaint).where(Complaint.id == complaint_id)
    if for_update:
        query = query.with_for_update()
    return session.exec(query.execution_options(populate_existing=True)).first()


def get_complaint_from_message(session: Session, *, channel_id: str, ts: str) -> Complaint | None:
    """The complaint already logged from a Slack message, if any."""
    query = select(Complaint).where(Complaint.source_channel_id == channel_id, Complaint.source_ts == ts)
    return session.exec(query).first()


class ComplaintFilter(StrEnum):
    """The lists `/complaint list` offers."""

    MINE = "mine"
    OPEN = "open"
    BREACHED = "breached"


T = TypeVar("T")


def _breached() -> ColumnElement[bool]:
    return or_(col(Complaint.ack_breached_at).is_not(None), col(Complaint.resolve_breached_at).is_not(None))


def _filtered(query: SelectOfScalar[T], *, which: ComplaintFilter, user_id: str) -> SelectOfScalar[T]:
    query = query.where(col(Complaint.status).in_(ACTIVE))
    if which == ComplaintFilter.MINE:
        query = query.where(col(Complaint.owner_id) == user_id)
    elif which == ComplaintFilter.BREACHED:
        query = query.where(_breached())
    return query


def list_complaints(session: Session, *, which: ComplaintFilter, user_id: str, offset: int = 0,
                    limit: int = 10) -> list[Complaint]:
    """Active complaints of one list, newest first, one page at a time."""
    query = _filtered(select(Complaint), which=which, user_id=user_id)
    query = query.order_by(col(Complaint.created_at).desc(), col(Complaint.id).desc()).offset(offset).limit(limit)
    return list(session.exec(query))


def count_complaints(session: Session, *, which: ComplaintFilter, user_id: str) -> int:
    """How many active complaints one list holds."""
    query = _filtered(select(func.count()).select_from(Complaint), which=which, user_id=user_id)
    return session.exec(query).one()


def list_due_complaints(session: Session, *, now: datetime, limit: int) -> list[Complaint]:
    """Complaints with scheduled work at or before `now`, locked; other processes skip them."""
    query = (
        select(Complaint)
        .where(col(Complaint.next_check_at) <= now)
        .order_by(col(Complaint.next_check_at), col(Complaint.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(query.execution_options(populate_existing=True)))


def next_complaint_check_at(session: Session) -> datetime | None:
    """When the earliest complaint has scheduled work (in the past when some is waiting)."""
    return earliest(session, Complaint.next_check_at)


def count_account_complaints_since(session: Session, *, account_id: int, since: datetime) -> int:
    """Complaints an account raised since a moment."""
    query = select(func.count()).select_from(Complaint).where(
        Complaint.account_id == account_id, Complaint.created_at >= since)
    return session.exec(query).one()


@dataclass(frozen=True)
class AccountComplaints:
    """An account's active complaints at a glance."""

    open: int = 0
    breached: int = 0


def account_complaint_counts(session: Session, *, account_id: int) -> AccountComplaints:
    """Active and breached complaints of one account."""
    query = select(func.count(), func.count().filter(_breached())).select_from(Complaint).where(
        Complaint.account_id == account_id, col(Complaint.status).in_(ACTIVE))
    total, late = session.exec(query).one()
    return AccountComplaints(open=total, breached=late)


@dataclass(frozen=True)
class ComplaintPeriod:
    """What happened to an account's complaints in a period (a review's "service achieved")."""

    opened: int = 0
    resolved: int = 0
    breached: int = 0


def account_complaint_period(session: Session, *, account_id: int, since: datetime,
                             until: datetime) -> ComplaintPeriod:
    """Complaints of one account opened, resolved and breached (either clock) from `since` to before `until`."""

    def within(moment: datetime | None) -> ColumnElement[bool]:
        column = col(moment)
        return (column >= since) & (column < until)

    query = select(
        func.count().filter(within(Complaint.created_at)),
        func.count().filter(within(Complaint.resolved_at)),
        func.count().filter(within(Complaint.ack_breached_at) | within(Complaint.resolve_breached_at)),
    ).select_from(Complaint).where(Complaint.account_id == account_id)
    opened, resolved, breached = session.exec(query).one()
    return ComplaintPeriod(opened=opened, resolved=resolved, breached=breached)


def list_active_account_complaints(session: Session, *, account_id: int, limit: int = 5) -> list[Complaint]:
    """An account's complaints still open or acknowledged, most severe and oldest first."""
    severity = case({s.value: rank for rank, s in enumerate(ComplaintSeverity)}, value=Complaint.severity, else_=9)
    query = (select(Complaint).where(Complaint.account_id == account_id, col(Complaint.status).in_(ACTIVE))
             .order_by(severity, col(Complaint.created_at), col(Complaint.id)).limit(limit))
    return list(session.exec(query))


@dataclass(frozen=True)
class ComplaintCounts:
    """One account's complaints in a window: opened, SLA clocks breached, and critical ones open at its end."""

    opened: int
    breaches: int
    open_critical: int


def complaint_counts(session: Session, *, account_ids: Sequence[int] | None, since: datetime,
                     until: datetime) -> dict[int, ComplaintCounts]:
    """Complaint counts per account from `since` to `until`, in one grouped query (every account when None).

    A complaint still open at `until` is active now or was resolved after it; a clock breached in the window
    belongs to a complaint active now or resolved since: so only those rows and the window's new ones are read.
    """
    created, resolved = col(Complaint.created_at), col(Complaint.resolved_at)
    ack, resolve = col(Complaint.ack_breached_at), col(Complaint.resolve_breached_at)
    open_then = or_(col(Complaint.status).in_(ACTIVE), resolved > until)
    query = (sa_select(col(Complaint.account_id),
                    func.count().filter(created >= since),
                    func.count().filter(ack >= since, ack <= until),
                    func.count().filter(resolve >= since, resolve <= until),
                    func.count().filter(col(Complaint.severity) == ComplaintSeverity.CRITICAL, open_then))
             .where(created <= until, or_(created >= since, col(Complaint.status).in_(ACTIVE), resolved >= since))
             .group_by(col(Complaint.account_id)))
    if account_ids is not None:
        query = query.where(col(Complaint.account_id).in_(list(account_ids)))
    return {account_id: ComplaintCounts(opened, acks + resolves, critical)
            for account_id, opened, acks, resolves, critical in session.execute(query)}


def count_opened_by_severity_status(session: Session, *, account_id: int, since: datetime,
                                    until: datetime) -> list[tuple[str, str, int]]:
    """(severity, status now, how many) of the complaints an account opened from `since` to before `until`."""
    query = (select(Complaint.severity, Complaint.status, func.count())
             .where(Complaint.account_id == account_id, col(Complaint.created_at) >= since,
                    col(Complaint.created_at) < until)
             .group_by(col(Complaint.severity), col(Complaint.status)))
    return [(str(severity), str(status), int(n)) for severity, status, n in session.exec(query)]


@dataclass(frozen=True)
class ClockCounts:
    """SLA clocks of an account that fell due in a period, and how many of them were met."""

    ack_due: int = 0
    ack_met: int = 0
    resolve_due: int = 0
    resolve_met: int = 0


def _due(column: datetime | None, since: datetime, until: datetime) -> ColumnElement[bool]:
    return (col(column) >= since) & (col(column) < until)


def _met(done: datetime | None, due: datetime | None) -> ColumnElement[bool]:
    return col(done).is_not(None) & (col(done) <= col(due))


def count_clocks_due(session: Session, *, account_id: int, since: datetime, until: datetime) -> ClockCounts:
    """Acknowledge and resolve clocks of an account due from `since` to before `until`, and those met in time.

    A clock is met when its complaint was acknowledged (resolved) by the clock's due moment; reopening restarts the
    resolve clock, so a reopened complaint counts its latest resolve clock. Counted in SQL, read by the account's
    index (a clock falls due after its complaint was logged).
    """
    ack_due = _due(Complaint.ack_due_at, since, until)
    resolve_due = _due(Complaint.resolve_due_at, since, until)
    query = select(
        func.count().filter(ack_due),
        func.count().filter(ack_due & _met(Complaint.acknowledged_at, Complaint.ack_due_at)),
        func.count().filter(resolve_due),
        func.count().filter(resolve_due & _met(Complaint.resolved_at, Complaint.resolve_due_at)),
    ).select_from(Complaint).where(Complaint.account_id == account_id, col(Complaint.created_at) < until)
    ack, ack_met, resolve, resolve_met = session.exec(query).one()
    return ClockCounts(ack, ack_met, resolve, resolve_met)


def list_clock_breaches(session: Session, *, account_id: int, since: datetime, until: datetime,
                        limit: int) -> list[Complaint]:
    """Complaints of an account with a clock due from `since` to before `until` and not met, oldest first."""
    late_ack = _due(Complaint.ack_due_at, since, until) & ~_met(Complaint.acknowledged_at, Complaint.ack_due_at)
    late_resolve = (_due(Complaint.resolve_due_at, since, until)
                    & ~_met(Complaint.resolved_at, Complaint.resolve_due_at))
    query = (select(Complaint)
             .where(Complaint.account_id == account_id, col(Complaint.created_at) < until, or_(late_ack, late_resolve))
             .order_by(col(Complaint.created_at), col(Complaint.id)).limit(limit))
    return list(session.exec(query))
