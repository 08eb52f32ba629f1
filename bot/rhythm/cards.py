"""The rhythm's cards for the outbox: meeting reminders (with a review's agenda), the customer's reminder,
action item and report deadline DMs."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar
from zoneinfo import ZoneInfo

from bot.calendar.recurrence import Frequency
from bot.platform.cards import CardKind
from storage.care.complaints import ComplaintSeverity
from storage.rhythm.meetings import ReminderStage


class ActionItemStage(StrEnum):
    """Which message about an action item its owner gets."""

    ASSIGNED = "assigned"
    DUE = "due"
    OVERDUE = "overdue"
    DONE = "done"  # the earlier messages, updated in place


class ReportStage(StrEnum):
    """Which message about a report deadline the account's owner gets."""

    BEFORE = "before"  # two working days before
    DUE = "due"
    SUBMITTED = "submitted"  # the earlier messages, updated in place


@dataclass(frozen=True)
class ComplaintCounts:
    """An account's complaints in the period under review."""

    opened: int
    resolved: int
    breached: int


@dataclass(frozen=True)
class Satisfaction:
    """An account's survey answers in the period under review."""

    average: float | None
    answers: int


@dataclass(frozen=True)
class AgendaIssue:
    """A complaint still open, as the agenda lists it."""

    id: int
    summary: str
    severity: ComplaintSeverity
    breached: bool


@dataclass(frozen=True)
class AgendaAction:
    """An open action item, as the agenda lists it."""

    id: int
    text: str
    owner: str
    due_at: datetime
    overdue: bool


@dataclass(frozen=True)
class ReviewAgenda:
    """The internal agenda of a service review: service achieved in the period, issues and actions still open."""

    period_start: date
    period_end: date  # the day after the period's last
    complaints: ComplaintCounts
    csat: Satisfaction
    praise: int
    issues: tuple[AgendaIssue, ...]
    actions: tuple[AgendaAction, ...]
    actions_total: int


@dataclass(frozen=True)
class MeetingReminderCard:
    """An internal reminder DM of a meeting; a snoozed copy carries its generation, a review's first its agenda."""

    kind: ClassVar[CardKind] = CardKind.MEETING_REMINDER
    occurrence_id: int
    meeting_id: int
    account: str
    title: str
    starts_at: datetime
    zone: ZoneInfo
    stage: ReminderStage
    generation: int = 0
    agenda: ReviewAgenda | None = None
    parties: tuple[str, ...] = ()  # a multi-party meeting's accounts, the meeting's own first


@dataclass(frozen=True)
class MeetingCustomerReminderCard:
    """The reminder in the account's shared channel: only the title and the time."""

    kind: ClassVar[CardKind] = CardKind.MEETING_CUSTOMER_REMINDER
    title: str
    starts_at: datetime
    zone: ZoneInfo


@dataclass(frozen=True)
class MeetingPartyReminderCard:
    """A multi-party meeting's reminder to one party (its shared channel, or its people by DM): only the title,
    the time and the parties' names."""

    kind: ClassVar[CardKind] = CardKind.MEETING_PARTY_REMINDER
    title: str
    starts_at: datetime
    zone: ZoneInfo
    parties: tuple[str, ...]


@dataclass(frozen=True)
class ActionItemReminderCard:
    """An action item DM to its owner: assigned, due, overdue, or done."""

    kind: ClassVar[CardKind] = CardKind.ACTION_ITEM_REMINDER
    item_id: int
    account: str
    text: str
    owner: str
    due_at: datetime
    zone: ZoneInfo
    stage: ActionItemStage
    assigned_by: str | None = None
    done_by: str | None = None


@dataclass(frozen=True)
class ReportReminderCard:
    """A report deadline DM: before, due, or submitted."""

    kind: ClassVar[CardKind] = CardKind.REPORT_REMINDER
    deadline_id: int
    account: str
    cycle: Frequency
    period_start: date
    due_at: datetime
    zone: ZoneInfo
    stage: ReportStage
    submitted_by: str | None = None
