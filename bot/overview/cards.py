"""The morning digest as a typed card: what one person's digest shows, as the outbox keeps it.

Field names are those of the digest's earlier dictionaries, so digests already queued still load.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar, Generic, TypeVar
from zoneinfo import ZoneInfo

from bot.calendar.recurrence import Frequency
from bot.overview.health import Band, Deduction
from bot.platform.cards import CardKind
from storage.care.complaints import ComplaintSeverity, ComplaintStatus
from storage.rhythm.meetings import MeetingKind

Item_co = TypeVar("Item_co", covariant=True)  # a list of complaints is a list of objects


class SlaClock(StrEnum):
    """Which SLA clock a breached complaint missed."""

    ACK = "ack"
    RESOLVE = "resolve"


@dataclass(frozen=True)
class Listing(Generic[Item_co]):
    """The first items of a list and how many the whole list holds ("… and 3 more")."""

    total: int
    items: tuple[Item_co, ...]


@dataclass(frozen=True)
class ComplaintItem:
    """A complaint: breached, opened or resolved."""

    id: int
    account: str
    summary: str
    severity: ComplaintSeverity
    owner: str | None
    status: ComplaintStatus
    clock: SlaClock  # the clock that matters: resolve once its resolve clock is breached, else ack
    due_at: datetime | None
    created_at: datetime
    resolved_at: datetime | None
    resolved_by: str | None


@dataclass(frozen=True)
class LowScoreItem:
    """A survey answered with a low score."""

    account: str
    score: int
    comment: str
    respondent: str
    complaint_id: int | None
    answered_at: datetime


@dataclass(frozen=True)
class ActionItemDue:
    """An action item past due."""

    id: int
    account: str
    text: str
    owner: str
    due_at: datetime


@dataclass(frozen=True)
class ColdAccountItem:
    """A key account not contacted within its cadence."""

    account: str
    owner: str | None
    last_contact_at: datetime | None
    due_at: datetime | None


@dataclass(frozen=True)
class AuditItem:
    """A supplier whose audit is past due."""

    supplier: str
    owner: str | None
    due_at: datetime


@dataclass(frozen=True)
class MeetingItem:
    """A meeting on the day."""

    title: str
    account: str
    kind: MeetingKind
    starts_at: datetime


@dataclass(frozen=True)
class ReportItem:
    """A service report due on the day, or overdue."""

    account: str
    owner: str | None
    cycle: Frequency
    period_start: date
    due_at: datetime
    overdue: bool


@dataclass(frozen=True)
class PraiseItem:
    """Praise given: by whom, to which people and groups, and why."""

    giver: str
    account: str | None
    reason: str
    users: tuple[str, ...]
    groups: tuple[str, ...]


@dataclass(frozen=True)
class SurveyTally:
    """The survey answers given in the period: how many, their average and how many scored low."""

    count: int
    average: float | None
    low: int


@dataclass(frozen=True)
class CampaignResultItem:
    """An open survey that closed in the period, with its headline figures."""

    id: int
    title: str
    answered: int
    addressed: int
    nps: int | None
    csat: float | None


@dataclass(frozen=True)
class HealthItem:
    """An account that fell into the red since the reader's previous digest, with its health now."""

    account: str
    owner: str | None
    score: int
    band: Band
    deductions: tuple[Deduction, ...]


def _no_falls() -> Listing[HealthItem]:
    return Listing(total=0, items=())


@dataclass(frozen=True)
class Attention:
    """What needs attention."""

    breached: Listing[ComplaintItem]
    low_scores: Listing[LowScoreItem]
    overdue_actions: Listing[ActionItemDue]
    cold_accounts: Listing[ColdAccountItem]
    overdue_audits: Listing[AuditItem]
    waiting: int = 0  # customer messages waiting for our first response (cards queued before it default to 0)
    fell_red: Listing[HealthItem] = field(default_factory=_no_falls)  # accounts that fell into the red

    def listings(self) -> tuple[Listing[object], ...]:
        """Every list, in the order the digest shows them."""
        return (self.fell_red, self.breached, self.low_scores, self.overdue_actions, self.cold_accounts,
                self.overdue_audits)


@dataclass(frozen=True)
class Today:
    """What is on today."""

    meetings: Listing[MeetingItem]
    reports: Listing[ReportItem]


@dataclass(frozen=True)
class Recent:
    """What happened since the previous working day's digest."""

    opened: Listing[ComplaintItem]
    resolved: Listing[ComplaintItem]
    surveys: SurveyTally
    praise: Listing[PraiseItem]
    campaigns: tuple[CampaignResultItem, ...] = ()  # open surveys that closed: "new survey results"


@dataclass(frozen=True)
class DigestCard:
    """One person's morning digest (also shown by `/rapport digest`)."""

    kind: ClassVar[CardKind] = CardKind.DIGEST
    user: str
    tz: ZoneInfo  # the reader's zone: times are shown in it
    team: bool  # a manager's digest of the whole team, else of the reader's own accounts
    day: date
    since: datetime
    now: datetime
    attention: Attention
    today: Today
    recent: Recent

    @property
    def quiet(self) -> bool:
        """True when the digest has nothing to say (the all-clear)."""
        lists: tuple[Listing[object], ...] = (
            *self.attention.listings(), self.today.meetings, self.today.reports,
            self.recent.opened, self.recent.resolved, self.recent.praise,
        )
        return (all(listing.total == 0 for listing in lists) and self.recent.surveys.count == 0
                and self.attention.waiting == 0 and not self.recent.campaigns)
