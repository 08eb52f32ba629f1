"""Service agreements' rhythm (定期沟通) and the service report deadlines it plans, period after period."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Index, String, UniqueConstraint, update
from sqlmodel import Field, Session, SQLModel, col, select

from storage.accounts import Account
from storage.db import earliest, insert_new_id, rows_changed, storable_id
from storage.rhythm.meetings import MeetingOccurrence, list_scheduled_occurrences
from storage.types import JSONData, UTCDateTime


class ReportStatus(StrEnum):
    """Where a service report deadline is."""

    PENDING = "pending"
    SUBMITTED = "submitted"
    CANCELLED = "cancelled"  # the agreement changed its cycle or day before it was due


class ServiceAgreement(SQLModel, table=True):
    """An account's review cycle: report due by working day N, review meeting by working day M of the next period."""

    __tablename__ = "service_agreement"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", unique=True, index=True)
    cycle: str = Field(max_length=16)  # bot.calendar.recurrence.Frequency
    report_day: int
    review_day: int
    review_time: str = Field(max_length=5)  # "10:00", in the account's calendar's zone
    review_meeting_id: int | None = Field(default=None, foreign_key="meeting.id")
    # The due moment of the latest planned report deadline; once passed, plan the next period's.
    report_roll_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    # The dispute clause (争议条款) agreed with the customer ([{"decider": ..., "days": ...}], one per level);
    # None: disputes with the customer follow the default ladder.
    dispute_clause: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSONData, nullable=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_by: str = Field(max_length=32)
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class ReportDeadline(SQLModel, table=True):
    """The service report on one period of an account, due by a working day of the next period."""

    __tablename__ = "report_deadline"
    __table_args__ = (
        UniqueConstraint("account_id", "cycle", "period_start", name="uq_report_deadline_period"),
        Index("ix_report_deadline_status_due", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    cycle: str = Field(max_length=16)
    period_start: date
    period_end: date  # the day after the period's last
    due_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    status: ReportStatus = Field(default=ReportStatus.PENDING, sa_type=String(16))
    # Planned reminder moments (None: not sent, as the deadline was planned after it) and the latest sent.
    before_reminder_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    due_reminder_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    reminded_stage: str | None = Field(default=None, max_length=8)
    next_check_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    # When the report is drafted and sent to the owner (the opening of the first working day after the period).
    draft_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    submitted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    submitted_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


@dataclass(frozen=True)
class DeadlineSlot:
    """A report deadline with its account's name and owner, read in one query."""

    deadline_id: int
    account_id: int
    account_name: str
    owner_id: str | None
    cycle: str
    period_start: date
    period_end: date
    due_at: datetime
    status: ReportStatus


def get_agreement(session: Session, *, account_id: int) -> ServiceAgreement | None:
    """An account's agreement, if set."""
    query = select(ServiceAgreement).where(ServiceAgreement.account_id == account_id)
    return session.exec(query.execution_options(populate_existing=True)).first()


def claim_due_agreements(session: Session, *, now: datetime, limit: int) -> list[ServiceAgreement]:
    """Agreements whose latest report deadline has passed, locked; other processes skip them."""
    query = (select(ServiceAgreement).where(col(ServiceAgreement.report_roll_at) <= now)
             .order_by(col(ServiceAgreement.report_roll_at), col(ServiceAgreement.id)).limit(limit)
             .with_for_update(skip_locked=True))
    return list(session.exec(query.execution_options(populate_existing=True)))


def set_report_roll_at(session: Session, *, agreement_id: int, roll_at: datetime | None) -> None:
    """Record when the agreement plans its next report deadline."""
    statement = update(ServiceAgreement).where(col(ServiceAgreement.id) == agreement_id).values(report_roll_at=roll_at)
    session.execute(statement.execution_options(synchronize_session=False))


def add_deadline(session: Session, values: dict[str, Any]) -> ReportDeadline | None:
    """Plan a deadline unless the period has one already (two ticks at once); None then."""
    new_id = insert_new_id(session, ReportDeadline, values, keys=("account_id", "cycle", "period_start"))
    return None if new_id is None else get_deadline(session, deadline_id=new_id)


def get_deadline(session: Session, *, deadline_id: int) -> ReportDeadline | None:
    """One report deadline by id, read fresh."""
    if not storable_id(deadline_id):
        return None  # no row can have it; the database would refuse to compare
    query = select(ReportDeadline).where(col(ReportDeadline.id) == deadline_id)
    return session.exec(query.execution_options(populate_existing=True)).first()


def get_deadline_for_period(session: Session, *, account_id: int, cycle: str,
                            period_start: date) -> ReportDeadline | None:
    """The deadline of one period, whatever its status."""
    query = select(ReportDeadline).where(ReportDeadline.account_id == account_id, ReportDeadline.cycle == cycle,
                                         ReportDeadline.period_start == period_start)
    return session.exec(query.execution_options(populate_existing=True)).first()


def list_account_pending_deadlines(session: Session, *, account_id: int) -> list[ReportDeadline]:
    """An account's report deadlines not yet submitted, earliest first."""
    query = select(ReportDeadline).where(ReportDeadline.account_id == account_id,
                                         ReportDeadline.status == ReportStatus.PENDING)
    return list(session.exec(query.order_by(col(ReportDeadline.due_at)).execution_options(populate_existing=True)))


def change_deadline(session: Session, *, deadline_id: int, statuses: tuple[ReportStatus, ...],
                    values: dict[str, Any]) -> bool:
    """Apply `values` only while the deadline is in one of `statuses`; True if this call changed it."""
    statement = update(ReportDeadline).where(col(ReportDeadline.id) == deadline_id,
                                             col(ReportDeadline.status).in_(statuses)).values(**values)
    return rows_changed(session, statement.execution_options(synchronize_session=False)) == 1


def claim_due_deadlines(session: Session, *, now: datetime, limit: int) -> list[ReportDeadline]:
    """Deadlines with a reminder due, locked; other processes skip them."""
    query = (select(ReportDeadline).where(col(ReportDeadline.next_check_at) <= now)
             .order_by(col(ReportDeadline.next_check_at), col(ReportDeadline.id)).limit(limit)
             .with_for_update(skip_locked=True))
    return list(session.exec(query.execution_options(populate_existing=True)))


def claim_due_drafts(session: Session, *, now: datetime, limit: int) -> list[ReportDeadline]:
    """Deadlines whose report is due to be drafted, locked; other processes skip them."""
    query = (select(ReportDeadline).where(col(ReportDeadline.draft_at) <= now)
             .order_by(col(ReportDeadline.draft_at), col(ReportDeadline.id)).limit(limit)
             .with_for_update(skip_locked=True))
    return list(session.exec(query.execution_options(populate_existing=True)))


def next_draft_at(session: Session) -> datetime | None:
    """When the next report is to be drafted."""
    return earliest(session, ReportDeadline.draft_at)


def next_report_work_at(session: Session) -> datetime | None:
    """When the next report deadline is planned or a report reminder is due, whichever is first."""
    return earliest(session, ServiceAgreement.report_roll_at, ReportDeadline.next_check_at)


def list_pending_deadlines(session: Session, *, owner_id: str | None = None, account_id: int | None = None,
                           due_before: datetime | None = None, limit: int = 50) -> list[DeadlineSlot]:
    """Report deadlines not yet submitted (of accounts a person owns, or of one account), earliest first.

    `due_before` keeps those due before a moment (e.g. the end of today). One query.
    """
    query = (select(ReportDeadline, Account).join(Account, col(Account.id) == ReportDeadline.account_id)
             .where(ReportDeadline.status == ReportStatus.PENDING))
    if owner_id is not None:
        query = query.where(Account.owner_id == owner_id)
    if account_id is not None:
        query = query.where(ReportDeadline.account_id == account_id)
    if due_before is not None:
        query = query.where(col(ReportDeadline.due_at) < due_before)
    query = query.order_by(col(ReportDeadline.due_at), col(ReportDeadline.id)).limit(limit)
    return [_slot(deadline, account) for deadline, account in session.exec(query)]


def _slot(deadline: ReportDeadline, account: Account) -> DeadlineSlot:
    assert deadline.id is not None and account.id is not None  # read from the database
    return DeadlineSlot(deadline.id, account.id, account.name, account.owner_id, deadline.cycle, deadline.period_start,
                        deadline.period_end, deadline.due_at, ReportStatus(deadline.status))


@dataclass(frozen=True)
class AgreementSummary:
    """An account's agreement at a glance: its rhythm, the next review and the next report due."""

    agreement: ServiceAgreement | None
    next_review: MeetingOccurrence | None
    next_report: ReportDeadline | None


def agreement_summary(session: Session, *, account_id: int, now: datetime) -> AgreementSummary:
    """The agreement of an account, its next review meeting and its earliest pending report deadline."""
    agreement = get_agreement(session, account_id=account_id)
    if agreement is None:
        return AgreementSummary(None, None, None)
    next_review = None
    if agreement.review_meeting_id is not None:
        upcoming = list_scheduled_occurrences(session, meeting_id=agreement.review_meeting_id, after=now)
        next_review = upcoming[0] if upcoming else None
    pending = list_account_pending_deadlines(session, account_id=account_id)
    return AgreementSummary(agreement, next_review, pending[0] if pending else None)
