"""Days that plain-language dates name on a team's working calendar: the Nth working day of a month,
the first working day after the next public holiday. Pure: the calendar is passed in.
"""

from __future__ import annotations

import calendar as _monthdays
from datetime import date, timedelta
from typing import Protocol

# How far ahead to look for the next public holiday: a country has one at least yearly.
_HOLIDAY_SEARCH_DAYS = 400


class TeamDays(Protocol):
    """What these readings need of a team calendar (bot.calendar.workdays.WorkCalendar has it)."""

    def is_working_day(self, day: date) -> bool: ...

    def holiday_name(self, day: date) -> str | None: ...


def month_start(day: date, months: int = 0) -> date:
    """The first day of the month `months` after day's month."""
    index = day.year * 12 + day.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


def month_end(first: date) -> date:
    """The last day of first's month."""
    return first.replace(day=_monthdays.monthrange(first.year, first.month)[1])


def working_days_of_month(calendar: TeamDays, first: date) -> list[date]:
    """The working days of first's month, in order."""
    return [day for day in (first + timedelta(days=i) for i in range(month_end(first).day))
            if calendar.is_working_day(day)]


def nth_working_day(calendar: TeamDays, first: date, n: int) -> date | None:
    """The nth (1-based) working day of first's month; None if the month has fewer."""
    days = working_days_of_month(calendar, first)
    return days[n - 1] if 1 <= n <= len(days) else None


def after_next_holiday(calendar: TeamDays, today: date) -> date | None:
    """The first working day after the next public holiday (today's included), 调休 make-up days counting."""
    for offset in range(_HOLIDAY_SEARCH_DAYS):
        day = today + timedelta(days=offset)
        if calendar.holiday_name(day) is not None and not calendar.is_working_day(day):
            while not calendar.is_working_day(day):
                day += timedelta(days=1)
            return day
    return None
