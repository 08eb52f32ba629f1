"""Meetings (定期沟通): series (one-off or by a rule), their occurrences, attendees and snoozed reminders.

A series keeps one occurrence ahead: `roll_at` is the start of its latest occurrence, and once it
has passed the scheduler plans the next. Each occurrence holds its own reminder moments and a
`next_check_at` the scheduler reads by index, so a tick costs what is due, not what is stored.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Index, String, Text, UniqueConstraint, func, or_, update
from sqlmodel import Field, Session, SQLModel, col, select

from storage.accounts import Account
from storage.db import earliest, insert_new_id, rows_changed, storable_id
from storage.types import UTCDateTime


class MeetingKind(StrEnum):
    """A service review planned by the agreement, or any meeting scheduled with /meeting."""

    REVIEW = "review"
    MEETING = "meeting"


class OccurrenceStatus(StrEnum):
    """Where one occurrence of a meeting is."""

    SCHEDULED = "scheduled"
    DONE = "done"  # held; its minutes are recorded
    CANCELLED = "cancelled"


class ReminderStage(StrEnum):
    """The two reminders of a meeting: one working day before, and one hour before."""

    DAY = "day"
    HOUR = "hour"


class Meeting(SQLModel, table=True):
    """A meeting with an account: one-off, or repeating by a rule (canonical text of bot.calendar.recurrence)."""

    __tablename__ = "meeting"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    kind: MeetingKind = Field(default=MeetingKind.MEETING, sa_type=String(16))
    title: str = Field(max_length=200)
    rule: str | None = Field(default=None, max_length=100)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    cancelled_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    # The start of the latest planned occurrence of a repeating series; once passed, plan the next.
    roll_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))


class MeetingAttendee(SQLModel, table=True):
    """One of our people invited to a meeting (reminded along with the account's owner)."""

    __tablename__ = "meeting_attendee"

    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True)
    user_id: str = Field(max_length=32, primary_key=True, index=True)


class MeetingOccurrence(SQLModel, table=True):
    """One time a meeting is held: its reminders, and once done its notes."""

    __tablename__ = "meeting_occurrence"
    __table_args__ = (
        UniqueConstraint("meeting_id", "starts_at", name="uq_meeting_occurrence_start"),
        Index("ix_meeting_occurrence_account_start", "account_id", "starts_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    meeting_id: int = Field(foreign_key="meeting.id")
    account_id: int = Field(foreign_key="account.id")
    starts_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    status: OccurrenceStatus = Field(default=OccurrenceStatus.SCHEDULED, sa_type=String(16))
    # A review's period under review (first day, and the day after its last).
    period_start: date | None = None
    period_end: date | None = None
    # Planned reminder moments (None: not sent, as the occurrence was planned after it) and the latest sent.
    day_reminder_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    hour_reminder_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    reminded_stage: ReminderStage | None = Field(default=None, sa_type=String(8))
    next_check_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    notes: str | None = Field(default=None, sa_column=Column(Text))
    done_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    done_by: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class MeetingSnooze(SQLModel, table=True):
    """A reminder one person snoozed: sent to them once more at `remind_at` (None once handled)."""

    __tablename__ = "meeting_snooze"
    __table_args__ = (
        UniqueConstraint("occurrence_id", "user_id", "stage", "generation", name="uq_meeting_snooze"),
    )

    id: int | None = Field(default=None, primary_key=True)
    occurrence_id: int = Field(foreign_key="meeting_occurrence.id")
    user_id: str = Field(max_length=32)
    stage: ReminderStage = Field(sa_type=String(8))
    # 1 for a snooze of the first reminder, 2 for a snooze of that snoozed copy, and so on.
    generation: int
    remind_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


@dataclass(frozen=True)
class MeetingSlot:
    """One occurrence with what a list or a digest shows about it, read in one query."""

    occurrence_id: int
    meeting_id: int
    account_id: int
    account_name: str
    title: str
    kind: MeetingKind
    rule: str | None
    starts_at: datetime
    status: OccurrenceStatus


def add_meeting(session: Session, meeting: Meeting, *, attendees: Sequence[str] = ()) -> Meeting:
    """Store a meeting series and its attendees; the id is set on return."""
    session.add(meeting)
    session.flush()
    assert meeting.id is not None  # flushed
    for user_id in dict.fromkeys(attendees):
        session.add(MeetingAttendee(meeting_id=meeting.id, user_id=user_id))
    session.flush()
    return meeting


def get_meeting(session: Session, *, meeting_id: int) -> Meeting | None:
    """A meeting series by id, read fresh."""
    if not storable_id(meeting_id):
        return None  # no row can have it; the database would refuse to compare
    query = select(Meeting).where(col(Meeting.id) == meeting_id).execution_options(populate_existing=True)
    return session.exec(query).first()


def list_attendees(session: Session, *, meeting_id: int) -> list[str]:
    """The people invited to a meeting."""
    query = select(MeetingAttendee.user_id).where(MeetingAttendee.meeting_id == meeting_id)
    return list(session.exec(query.order_by(MeetingAttendee.user_id)))


def add_occurrence(session: Session, values: dict[str, Any]) -> MeetingOccurrence | None:
    """Plan an occurrence unless the series already has one at that moment (two ticks at once); None then."""
    new_id = insert_new_id(session, MeetingOccurrence, values, keys=("meeting_id", "starts_at"))
    return None if new_id is None else get_occurrence(session, occurrence_id=new_id)


def get_occurrence(session: Session, *, occurrence_id: int) -> MeetingOccurrence | None:
    """One occurrence by id, read fresh."""
    if not storable_id(occurrence_id):
        return None  # no row can have it; the database would refuse to compare
    query = select(MeetingOccurrence).where(col(MeetingOccurrence.id) == occurrence_id)
    return session.exec(query.execution_options(populate_existing=True)).first()


def get_occurrence_at(session: Session, *, meeting_id: int, starts_at: datetime) -> MeetingOccurrence | None:
    """A series' occurrence at a moment, if planned."""
    query = select(MeetingOccurrence).where(MeetingOccurrence.meeting_id == meeting_id,
                                            MeetingOccurrence.starts_at == starts_at)
    return session.exec(query.execution_options(populate_existing=True)).first()


def list_scheduled_occurrences(session: Session, *, meeting_id: int, after: datetime) -> list[MeetingOccurrence]:
    """A series' occurrences still to come, soonest first."""
    query = select(MeetingOccurrence).where(
        MeetingOccurrence.meeting_id == meeting_id, MeetingOccurrence.starts_at > after,
        MeetingOccurrence.status == OccurrenceStatus.SCHEDULED).order_by(col(MeetingOccurrence.starts_at))
    return list(session.exec(query.execution_options(populate_existing=True)))


def change_occurrence(session: Session, *, occurrence_id: int, statuses: tuple[OccurrenceStatus, ...],
                      values: dict[str, Any]) -> bool:
    """Apply `values` only while the occurrence is in one of `statuses`; True if this call changed it."""
    statement = update(MeetingOccurrence).where(col(MeetingOccurrence.id) == occurrence_id,
                                                col(MeetingOccurrence.status).in_(statuses)).values(**values)
    return rows_changed(session, statement.execution_options(synchronize_session=False)) == 1


def set_roll_at(session: Session, *, meeting_id: int, roll_at: datetime | None) -> None:
    """Record when the series plans its next occurrence (None: never)."""
    statement = update(Meeting).where(col(Meeting.id) == meeting_id).values(roll_at=roll_at)
    session.execute(statement.execution_options(synchronize_session=False))


def claim_due_meetings(session: Session, *, now: datetime, limit: int) -> list[Meeting]:
    """Series whose latest occurrence has started, locked; other processes skip them."""
    query = (select(Meeting).where(col(Meeting.roll_at) <= now).order_by(col(Meeting.roll_at), col(Meeting.id))
             .limit(limit).with_for_update(skip_locked=True))
    return list(session.exec(query.execution_options(populate_existing=True)))


def claim_due_occurrences(session: Session, *, now: datetime, limit: int) -> list[MeetingOccurrence]:
    """Occurrences with a reminder due, locked; other processes skip them."""
    query = (select(MeetingOccurrence).where(col(MeetingOccurrence.next_check_at) <= now)
             .order_by(col(MeetingOccurrence.next_check_at), col(MeetingOccurrence.id)).limit(limit)
             .with_for_update(skip_locked=True))
    return list(session.exec(query.execution_options(populate_existing=True)))


def add_snooze(session: Session, *, occurrence_id: int, user_id: str, stage: ReminderStage, generation: int,
               remind_at: datetime, now: datetime) -> bool:
    """Record a snooze unless the same reminder was snoozed already (a double click); True if recorded."""
    values = {"occurrence_id": occurrence_id, "user_id": user_id, "stage": stage, "generation": generation,
              "remind_at": remind_at, "created_at": now}
    keys = ("occurrence_id", "user_id", "stage", "generation")
    return insert_new_id(session, MeetingSnooze, values, keys=keys) is not None


def get_snooze(session: Session, *, occurrence_id: int, user_id: str, stage: ReminderStage,
               generation: int) -> MeetingSnooze | None:
    """A snooze by what it snoozed."""
    query = select(MeetingSnooze).where(MeetingSnooze.occurrence_id == occurrence_id, MeetingSnooze.user_id == user_id,
                                        MeetingSnooze.stage == stage, MeetingSnooze.generation == generation)
    return session.exec(query).first()


def claim_due_snoozes(session: Session, *, now: datetime, limit: int) -> list[MeetingSnooze]:
    """Snoozed reminders due again, locked; other processes skip them."""
    query = (select(MeetingSnooze).where(col(MeetingSnooze.remind_at) <= now)
             .order_by(col(MeetingSnooze.remind_at), col(MeetingSnooze.id)).limit(limit)
             .with_for_update(skip_locked=True))
    return list(session.exec(query.execution_options(populate_existing=True)))


def next_meeting_work_at(session: Session) -> datetime | None:
    """When a series next rolls on, a reminder is due or a snooze ends, whichever is first."""
    return earliest(session, Meeting.roll_at, MeetingOccurrence.next_check_at, MeetingSnooze.remind_at)


def clear_snooze(session: Session, *, snooze_id: int) -> bool:
    """Mark a snooze handled; True for the one caller that should send it."""
    statement = update(MeetingSnooze).where(col(MeetingSnooze.id) == snooze_id,
                                            col(MeetingSnooze.remind_at).is_not(None))
    return rows_changed(session, statement.values(remind_at=None)) == 1


def _slots(session: Session, query: Any) -> list[MeetingSlot]:
    return [MeetingSlot(occurrence.id, meeting.id, account.id, account.name, meeting.title, MeetingKind(meeting.kind),
                        meeting.rule, occurrence.starts_at, OccurrenceStatus(occurrence.status))
            for occurrence, meeting, account in session.exec(query)]


def _slot_query() -> Any:
    return (select(MeetingOccurrence, Meeting, Account)
            .join(Meeting, col(Meeting.id) == MeetingOccurrence.meeting_id)
            .join(Account, col(Account.id) == MeetingOccurrence.account_id))


def list_upcoming_meetings(session: Session, *, now: datetime, account_id: int | None = None,
                           limit: int = 20) -> list[MeetingSlot]:
    """Scheduled occurrences from now on (of one account), soonest first."""
    query = _slot_query().where(col(MeetingOccurrence.starts_at) >= now,
                                MeetingOccurrence.status == OccurrenceStatus.SCHEDULED)
    if account_id is not None:
        query = query.where(MeetingOccurrence.account_id == account_id)
    return _slots(session, query.order_by(col(MeetingOccurrence.starts_at), col(MeetingOccurrence.id)).limit(limit))


def list_user_meetings(session: Session, *, user_id: str, start: datetime, end: datetime,
                       limit: int = 50) -> list[MeetingSlot]:
    """A person's meetings from `start` to before `end` (today, this week): as the account's owner or an attendee.

    Cancelled occurrences are left out; held ones (done) are kept. One query, whatever the number of accounts.
    """
    invited = select(MeetingAttendee.meeting_id).where(MeetingAttendee.user_id == user_id)
    query = _slot_query().where(
        col(MeetingOccurrence.starts_at) >= start, col(MeetingOccurrence.starts_at) < end,
        MeetingOccurrence.status != OccurrenceStatus.CANCELLED,
        or_(col(Account.owner_id) == user_id, col(MeetingOccurrence.meeting_id).in_(invited)))
    return _slots(session, query.order_by(col(MeetingOccurrence.starts_at), col(MeetingOccurrence.id)).limit(limit))


def get_review_meeting(session: Session, *, account_id: int) -> Meeting | None:
    """The account's live review series, if its agreement planned one."""
    query = select(Meeting).where(Meeting.account_id == account_id, Meeting.kind == MeetingKind.REVIEW,
                                  col(Meeting.cancelled_at).is_(None))
    return session.exec(query.order_by(col(Meeting.id).desc())).first()


def list_account_occurrences(session: Session, *, account_id: int, since: datetime, until: datetime,
                             limit: int = 50) -> list[MeetingSlot]:
    """An account's meeting occurrences starting from `since` to before `until` (held, planned or cancelled)."""
    query = _slot_query().where(MeetingOccurrence.account_id == account_id,
                                col(MeetingOccurrence.starts_at) >= since, col(MeetingOccurrence.starts_at) < until)
    return _slots(session, query.order_by(col(MeetingOccurrence.starts_at), col(MeetingOccurrence.id)).limit(limit))


def count_account_occurrences(session: Session, *, account_id: int, since: datetime,
                              until: datetime) -> dict[OccurrenceStatus, int]:
    """How many of an account's occurrences starting from `since` to before `until` are in each status."""
    query = (select(MeetingOccurrence.status, func.count())
             .where(MeetingOccurrence.account_id == account_id, col(MeetingOccurrence.starts_at) >= since,
                    col(MeetingOccurrence.starts_at) < until)
             .group_by(col(MeetingOccurrence.status)))
    return {OccurrenceStatus(status): int(n) for status, n in session.exec(query)}
