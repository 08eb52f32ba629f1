"""Repeating times for meetings and deadlines: read rules (English, Chinese), list their occurrences.

Pure domain code: no Slack, no database, no reading of the current time. Two kinds of rule:
- On a weekday: `every tuesday 15:00`, `每周二 15:00`. A public holiday on that weekday is skipped
  (nobody is in); a weekend day asked for on purpose (`every saturday`) is kept.
- On the n-th working day of a period: `every month on working day 10 at 10:00`,
  `每月第10个工作日 10:00`, `every quarter on working day 3 at 14:00`, `每周第1个工作日 9:00`.
  Working days are the calendar's: holidays skipped, official make-up working days (调休) counted.
  The n-th working day is counted from the period's first day; a period with fewer than n working
  days (a week of Spring Festival) spills into the next one, and a moment reached twice so comes once.
Each occurrence of a working-day rule carries its *home period*: a review held on working day 10
of December reviews November, and the report due by working day 5 of December reports on November.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from bot.calendar.when import DEFAULT_TIME, foreign_digits, split_time_of_day, unreadable
from bot.calendar.workdays import WorkCalendar
from bot.platform import formatting
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _

RULE_EXAMPLES: tuple[str, ...] = ("every tuesday 15:00", "every month on working day 10 at 10:00",
                                  "every quarter on working day 3 at 14:00", "每周二 15:00",
                                  "每月第10个工作日 10:00", "每季度第3个工作日 14:00")  # fmt: skip
# Enough to find the next occurrence of any rule, even one whose weekday is a holiday for weeks.
_SEARCH_DAYS = 400


class Frequency(StrEnum):
    """How often a rule comes round, and the period its working days are counted in."""

    WEEK = "week"
    MONTH = "month"
    QUARTER = "quarter"


# The most working days a period can hold (a week with a make-up Saturday and Sunday has 7).
MAX_WORKING_DAY = {Frequency.WEEK: 7, Frequency.MONTH: 23, Frequency.QUARTER: 66}

_WEEKDAY_NAMES = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_EN_WEEKDAY = r"(?P<wd>mon|tue|wed|thu|fri|sat|sun)(?:day|s|sday|nesday|r|rs|rsday|urday)?s?"
_ZH_WEEKDAYS = {"1": 0, "2": 1, "3": 2, "4": 3, "5": 4, "6": 5, "7": 6, "日": 6, "天": 6}
_ZH_FREQUENCIES = {"周": Frequency.WEEK, "星期": Frequency.WEEK, "礼拜": Frequency.WEEK, "月": Frequency.MONTH,
                   "季度": Frequency.QUARTER, "季": Frequency.QUARTER}  # fmt: skip
_EN_FREQUENCIES = {"week": Frequency.WEEK, "weekly": Frequency.WEEK, "month": Frequency.MONTH,
                   "monthly": Frequency.MONTH, "quarter": Frequency.QUARTER, "quarterly": Frequency.QUARTER}
_WORKING_DAY = r"(?:working|business|work) day"
_PATTERNS = (
    re.compile(rf"(?:(?:every|each)(?: week)?|weekly)(?: on)? {_EN_WEEKDAY}"),
    re.compile(rf"(?:(?:every|each) (?P<freq>week|month|quarter)|(?P<adv>weekly|monthly|quarterly))(?: on)? "
               rf"(?:{_WORKING_DAY} (?P<n>[0-9]+)|(?P<nth>[0-9]+)(?:st|nd|rd|th)? {_WORKING_DAY}"
               rf"(?: of (?:week|month|quarter))?)"),
    re.compile(r"每个?(?:周|星期|礼拜)(?P<zh_wd>[1-7日天])"),
    re.compile(r"每个?(?P<zh_freq>周|星期|礼拜|月|季度|季)的?第(?P<zh_n>[0-9]+)个?工作日"),
)
# Where a rule may begin inside longer text ("Monthly review every month on working day 10").
RULE_START = re.compile(r"(?i)\b(?:every|each|weekly|monthly|quarterly)\b|每个?(?:周|星期|礼拜|月|季)")


class UnreadableRule(InvalidInput):
    """The text is not a repeating time we can read; the message shows forms that work."""

    def __init__(self, text: str, reason: str = "") -> None:
        super().__init__(unreadable(_("I couldn't read “{text}” as a repeating time.").format(text=text.strip()),
                                    reason, RULE_EXAMPLES))


class ImpossibleRule(UnreadableRule):
    """A repeating time that was read but cannot happen (working day 99 of a month): never folded into a title."""


@dataclass(frozen=True, order=True)
class Period:
    """A week (from Monday), month or quarter, from its first day."""

    frequency: Frequency
    start: date

    @classmethod
    def containing(cls, frequency: Frequency, day: date) -> Period:
        """The period of this frequency that a day falls in."""
        if frequency == Frequency.WEEK:
            return cls(frequency, day - timedelta(days=day.weekday()))
        if frequency == Frequency.MONTH:
            return cls(frequency, day.replace(day=1))
        return cls(frequency, date(day.year, (day.month - 1) // 3 * 3 + 1, 1))

    def next(self) -> Period:
        """The period after this one."""
        return Period(self.frequency, self.end)

    def previous(self) -> Period:
        """The period before this one."""
        return Period.containing(self.frequency, self.start - timedelta(days=1))

    @property
    def end(self) -> date:
        """The first day after the period."""
        if self.frequency == Frequency.WEEK:
            return self.start + timedelta(days=7)
        months = 1 if self.frequency == Frequency.MONTH else 3
        index = self.start.month - 1 + months
        return date(self.start.year + index // 12, index % 12 + 1, 1)


@dataclass(frozen=True)
class Occurrence:
    """One moment a rule comes round (UTC), and its home period for working-day rules."""

    at: datetime
    period: Period | None = None


@dataclass(frozen=True)
class Rule:
    """A repeating time: on a weekday every week, or on the n-th working day of each period."""

    frequency: Frequency
    at: time
    weekday: int | None = None
    working_day: int | None = None

    def __post_init__(self) -> None:
        if (self.weekday is None) == (self.working_day is None):
            raise ValueError("a rule repeats on a weekday or on a working day, not both")
        if self.weekday is not None and self.frequency != Frequency.WEEK:
            raise ValueError("a weekday rule repeats every week")

    def text(self) -> str:
        """The rule in canonical English, as stored; parse_rule reads it back."""
        clock = f"{self.at:%H:%M}"
        if self.weekday is not None:
            return f"every {_WEEKDAY_NAMES[self.weekday]} at {clock}"
        return f"every {self.frequency.value} on working day {self.working_day} at {clock}"

    def occurrences(self, calendar: WorkCalendar, *, after: datetime, count: int = 1) -> list[Occurrence]:
        """The next `count` occurrences strictly after a moment."""
        found: list[Occurrence] = []
        for occurrence in self._iterate(calendar, after):
            found.append(occurrence)
            if len(found) == count:
                break
        return found

    def next_after(self, calendar: WorkCalendar, *, after: datetime) -> Occurrence:
        """The first occurrence strictly after a moment."""
        return self.occurrences(calendar, after=after, count=1)[0]

    def _iterate(self, calendar: WorkCalendar, after: datetime) -> Iterator[Occurrence]:
        first = after.astimezone(calendar.timezone).date()
        if self.weekday is not None:
            day = first + timedelta(days=(self.weekday - first.weekday()) % 7)
            for _week in range(_SEARCH_DAYS // 7):
                # A public holiday on a weekday is skipped; a weekend day was asked for on purpose.
                if calendar.is_working_day(day) or day.weekday() >= 5:
                    moment = _at(calendar, day, self.at)
                    if moment > after:
                        yield Occurrence(moment)
                day += timedelta(days=7)
            return
        n = self.working_day
        assert n is not None  # __post_init__: a rule without a weekday has a working day
        # Start one period early: its n-th working day may have spilled past `after`.
        period = Period.containing(self.frequency, first).previous()
        latest = after
        while True:
            day = working_day_of(calendar, period, n)
            moment = _at(calendar, day, self.at)
            # A period without working days spills onto the next one's day: that moment comes once.
            if moment > latest:
                yield Occurrence(moment, period)
                latest = moment
            period = period.next()


def working_day_of(calendar: WorkCalendar, period: Period, n: int) -> date:
    """The n-th working day counted from a period's first day (spilling into the next if short)."""
    return calendar.add_working_days(period.start - timedelta(days=1), n)


def _at(calendar: WorkCalendar, day: date, clock: time) -> datetime:
    """A local day and time of day on the calendar, in UTC."""
    return datetime.combine(day, clock, tzinfo=calendar.timezone).astimezone(UTC)


def parse_rule(text: str) -> Rule:
    """Read a repeating time such as `every tuesday 15:00` or `每月第10个工作日 10:00`; raise UnreadableRule."""
    if foreign_digits(text):
        raise ImpossibleRule(text, _("Write its numbers with the digits 0-9."))
    try:
        day_text, clock = split_time_of_day(text)
    except InvalidInput:
        raise UnreadableRule(text) from None
    day_text = re.sub(r"^(?:on|at)\s+|\s+(?:at|on)$", "", day_text.strip()).strip()
    for pattern in _PATTERNS:
        match = pattern.fullmatch(day_text)
        if match:
            return _rule_of(match, clock or DEFAULT_TIME, text)
    raise UnreadableRule(text)


def _rule_of(match: re.Match[str], clock: time, text: str) -> Rule:
    """The rule a pattern match stands for, with the working day checked against its period."""
    groups = match.groupdict()
    if groups.get("wd"):
        return Rule(Frequency.WEEK, clock, weekday=[name[:3] for name in _WEEKDAY_NAMES].index(groups["wd"]))
    if groups.get("zh_wd"):
        return Rule(Frequency.WEEK, clock, weekday=_ZH_WEEKDAYS[groups["zh_wd"]])
    if groups.get("zh_freq"):
        frequency, n = _ZH_FREQUENCIES[groups["zh_freq"]], int(groups["zh_n"])
    else:
        frequency = _EN_FREQUENCIES[groups["freq"] or groups["adv"]]
        n = int(groups["n"] or groups["nth"])
    return Rule(frequency, clock, working_day=check_working_day(frequency, n, text))


def check_working_day(frequency: Frequency, n: int, text: str = "") -> int:
    """n itself if a period of this frequency can have an n-th working day, else UnreadableRule."""
    most = MAX_WORKING_DAY[frequency]
    if 1 <= n <= most:
        return n
    reason = _("Pick a working day from 1 to {most} of the {period}.").format(most=most, period=period_word(frequency))
    raise ImpossibleRule(text or str(n), reason)


def period_word(frequency: Frequency) -> str:
    """"week", "month" or "quarter", translated."""
    return {Frequency.WEEK: _("week"), Frequency.MONTH: _("month"), Frequency.QUARTER: _("quarter")}[frequency]


def rule_start_positions(text: str) -> list[int]:
    """Where a repeating time may begin in `text`, leftmost first."""
    return [match.start() for match in RULE_START.finditer(text)]


def describe_rule(rule: Rule) -> str:
    """The rule for people: "every Tuesday at 15:00", "on working day 10 of every month at 10:00"."""
    clock = f"{rule.at:%H:%M}"
    if rule.weekday is not None:
        return _("every {weekday} at {time}").format(weekday=formatting.weekday_long(rule.weekday),
                                                     time=clock)
    return _("on working day {n} of every {period} at {time}").format(
        n=rule.working_day, period=period_word(rule.frequency), time=clock)


def period_label(period: Period) -> str:
    """"November 2026", "Q4 2026" or "the week of 23 Nov 2026"."""
    start = period.start
    if period.frequency == Frequency.MONTH:
        return formatting.month(start)
    if period.frequency == Frequency.QUARTER:
        return _("Q{quarter} {year}").format(quarter=(start.month - 1) // 3 + 1, year=start.year)
    return _("the week of {day}").format(day=formatting.plain_date(start))
