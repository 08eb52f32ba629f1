"""What every section of the report reads first: the account, and its period as moments on the account's calendar.

A period is calendar days in the account's time zone (`period.start` ≤ day < `period.end`), so a complaint logged at
23:30 Shanghai time on the month's last day belongs to that month even though it is 15:30 UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.recurrence import Period, period_label
from bot.calendar.workdays import WorkCalendar
from bot.care.campaign_results import whole_percent
from bot.platform import formatting
from bot.platform.config import Settings
from bot.platform.text import USER_MENTION, cut, mentioned_users, neutralise_mentions
from bot.report.model import ReportScope
from bot.rhythm.meetings import account_calendar, account_of
from storage.accounts import Account

# How many earlier periods of the same frequency a trend looks back over, the reported one included.
TREND_PERIODS = 6


@dataclass(frozen=True)
class Window:
    """A period as UTC-aware moments: `since` ≤ moment < `until` (midnight to midnight on the account's calendar)."""

    period: Period
    since: datetime
    until: datetime

    @property
    def label(self) -> str:
        """"November 2026", "Q4 2026", …"""
        return period_label(self.period)


@dataclass(frozen=True)
class Reading:
    """The account a report is about, its calendar, the reported period and `now` (clocks not yet due are left)."""

    account: Account
    account_id: int
    calendar: WorkCalendar
    window: Window
    now: datetime

    @property
    def zone(self) -> ZoneInfo:
        """The account's time zone."""
        return self.calendar.timezone

    @property
    def decided_until(self) -> datetime:
        """The end of the period, or now when the period is still running: what is due later is not decided yet."""
        return min(self.window.until, self.now)

    def window_of(self, period: Period) -> Window:
        """Another period (a trend's) on the same calendar."""
        return window_of(period, self.zone)

    def trend(self, count: int = TREND_PERIODS) -> list[Window]:
        """The `count` periods ending with the reported one, oldest first."""
        periods = [self.window.period]
        while len(periods) < count:
            periods.insert(0, periods[0].previous())
        return [self.window_of(period) for period in periods]


def window_of(period: Period, zone: ZoneInfo) -> Window:
    """A period from its first day's midnight to the midnight after its last, in `zone`."""
    return Window(period, datetime.combine(period.start, time(0), tzinfo=zone),
                  datetime.combine(period.end, time(0), tzinfo=zone))


def read_scope(session: Session, scope: ReportScope, settings: Settings) -> Reading:
    """The account and the period's moments a section builder works from."""
    account = account_of(session, scope.account_id)
    assert account.id is not None  # a stored account
    calendar = account_calendar(account, settings)
    return Reading(account, account.id, calendar, window_of(scope.period, calendar.timezone), scope.now)


def share(part: int, whole: int) -> str:
    """part of whole in whole per cent ("96%"); a dash when there is nothing to divide."""
    return formatting.percent(whole_percent(part, whole)) if whole else "—"


def count(value: int) -> str:
    """A count with the locale's separators."""
    return formatting.number(value)


def name_of(names: dict[str, str], user_id: str | None) -> str:
    """A person's name as Rapport last saw it in Slack, else their user id (a report is read outside Slack)."""
    if not user_id:
        return "—"
    return names.get(user_id) or user_id


def people_in(texts: list[str]) -> set[str]:
    """Everyone mentioned in these texts."""
    return {user_id for text in texts for user_id in mentioned_users(text)}


def readable(text: str, names: dict[str, str], limit: int) -> str:
    """Slack text as a report reads it: mentions as "@name", no markup, at most `limit` characters."""
    named = USER_MENTION.sub(lambda match: "@" + name_of(names, match.group(1)), text)
    return cut(" ".join(neutralise_mentions(named).split()), limit)
