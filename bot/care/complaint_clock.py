"""Complaint SLA clocks: targets by severity, the account's calendar, and when to look again.

Two clocks run in business time on the account's calendar (SPEC §4): *acknowledge* from the
moment a complaint is logged until someone acknowledges it, and *resolve* until it is resolved.
Reopening restarts the resolve clock with its full target. Each clock warns the owner at 80% and
escalates once when it runs out; `next_check_at` holds the earliest of those moments still to come,
so the scheduler only reads complaints with something due.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum
from functools import lru_cache

from bot.calendar.workdays import WorkCalendar
from bot.platform.config import Settings
from storage.accounts import Account
from storage.care.complaints import ACTIVE, Complaint, ComplaintSeverity, ComplaintStatus

DEFAULT_TARGETS: dict[ComplaintSeverity, tuple[timedelta, timedelta]] = {
    ComplaintSeverity.CRITICAL: (timedelta(hours=1), timedelta(hours=4)),
    ComplaintSeverity.HIGH: (timedelta(hours=4), timedelta(hours=24)),
    ComplaintSeverity.NORMAL: (timedelta(hours=8), timedelta(hours=48)),
    ComplaintSeverity.LOW: (timedelta(hours=24), timedelta(hours=120)),
}
WARN_SHARE = 0.8
# A resolved complaint closes once its survey has had its chance (sent 2 h later, open 7 days).
CLOSE_AFTER = timedelta(days=7, hours=2)
NO_COUNTRY = "none"  # an account override meaning Monday–Friday, whatever RAPPORT_COUNTRY says


class Clock(StrEnum):
    """The two SLA clocks of a complaint (their names prefix the complaint's columns: `ack_due_at`)."""

    ACK = "ack"
    RESOLVE = "resolve"


@dataclass(frozen=True)
class ComplaintPolicy:
    """Team-wide complaint settings: where escalations go, who manages, the default calendar."""

    escalation_channel: str | None
    managers: tuple[str, ...]
    country: str | None
    timezone: str
    business_hours: str

    @classmethod
    def from_settings(cls, settings: Settings) -> ComplaintPolicy:
        """The policy configured in the environment."""
        return cls(settings.rapport_escalation_channel, tuple(settings.rapport_managers), settings.rapport_country,
                   settings.rapport_timezone, settings.rapport_business_hours)


def card_channel(account: Account, policy: ComplaintPolicy) -> str | None:
    """Where an account's complaint cards go: its internal channel, else the escalation channel."""
    return account.internal_channel_id or policy.escalation_channel


@lru_cache(maxsize=64)
def _calendar(country: str | None, timezone: str, hours: str) -> WorkCalendar:
    return WorkCalendar.from_settings(country, timezone, hours)


def calendar_for(account: Account, policy: ComplaintPolicy) -> WorkCalendar:
    """The calendar an account's SLA clocks run on: its own overrides, else the team's."""
    country = account.calendar_country or policy.country
    return _calendar(None if country == NO_COUNTRY else country, account.calendar_timezone or policy.timezone,
                     account.business_hours or policy.business_hours)


def targets_for(account: Account, severity: ComplaintSeverity) -> tuple[timedelta, timedelta]:
    """(acknowledge, resolve) business time allowed for a severity on this account."""
    override = (account.sla_overrides or {}).get(ComplaintSeverity(severity).value)
    if override:
        return timedelta(minutes=override[0]), timedelta(minutes=override[1])
    return DEFAULT_TARGETS[ComplaintSeverity(severity)]


def start_clocks(complaint: Complaint, *, calendar: WorkCalendar, targets: tuple[timedelta, timedelta],
                 start: datetime) -> None:
    """Start both clocks of a new complaint at `start`."""
    ack, resolve = targets
    complaint.clock_started_at = start
    complaint.ack_warn_at = calendar.add_business_time(start, ack * WARN_SHARE)
    complaint.ack_due_at = calendar.add_business_time(start, ack)
    complaint.ack_warned_at = complaint.ack_breached_at = None
    restart_resolve_clock(complaint, calendar=calendar, resolve=resolve, start=start)


def restart_resolve_clock(complaint: Complaint, *, calendar: WorkCalendar, resolve: timedelta,
                          start: datetime) -> None:
    """Run the resolve clock afresh from `start` (a new complaint, or a reopened one)."""
    complaint.clock_started_at = start
    complaint.resolve_warn_at = calendar.add_business_time(start, resolve * WARN_SHARE)
    complaint.resolve_due_at = calendar.add_business_time(start, resolve)
    complaint.resolve_warned_at = complaint.resolve_breached_at = None


def running_clocks(complaint: Complaint) -> list[Clock]:
    """The clocks still running: acknowledge until acknowledged, resolve until resolved."""
    if complaint.status not in ACTIVE:
        return []
    clocks = [Clock.RESOLVE]
    if complaint.acknowledged_at is None:
        clocks.insert(0, Clock.ACK)
    return clocks


def clock_times(complaint: Complaint, clock: Clock) -> tuple[datetime | None, datetime | None]:
    """(warn at, due at) of one clock."""
    return getattr(complaint, f"{clock}_warn_at"), getattr(complaint, f"{clock}_due_at")


def clock_marks(complaint: Complaint, clock: Clock) -> tuple[datetime | None, datetime | None]:
    """(warned at, breached at) of one clock: when each notice was queued, if it was."""
    return getattr(complaint, f"{clock}_warned_at"), getattr(complaint, f"{clock}_breached_at")


def schedule_next_check(complaint: Complaint) -> None:
    """Set `next_check_at` to the earliest warning, breach or closing still to come (None: nothing)."""
    moments: list[datetime] = []
    for clock in running_clocks(complaint):
        warn_at, due_at = clock_times(complaint, clock)
        warned, breached = clock_marks(complaint, clock)
        if warned is None and breached is None and warn_at:
            moments.append(warn_at)
        if breached is None and due_at:
            moments.append(due_at)
    if complaint.status == ComplaintStatus.RESOLVED and complaint.resolved_at:
        moments.append(complaint.resolved_at + CLOSE_AFTER)
    complaint.next_check_at = min(moments, default=None)
