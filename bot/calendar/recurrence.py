"""Repeating times for meetings and deadlines: read rules (English, Chinese), list their occurrences.

Pure domain code: no Slack, no database, no reading of the current time. Two kinds of rule:
- On a weekday: `every tuesday 15:00`, `每周二 15:00`. A public holiday on that weekday is skipped
  (nobody is in); a weekend day asked for on purpose (`every saturday`) is kept.
- On the n-th working day of a period: `every month on working day 10 at 10:00`,
  `每月第10个工作日 10:00`, `every quarter on working day 3 at 14:00`, `每周第1个工作日 9:00`.
  Working days are the calendar's: holidays skipped, official make-up working days (调休) counted.
  The n-th working day is counted from the period's first day; a period with fewer than n working
  days (a week of Spring Festival) spills into the next one, and a moment reached twice so comes once.
  The last working day (`last working day of every month`, `每月最后一个工作日`) is counted back from its end.
- Every day or every working day: `every day 9:00`, `每个工作日 上午10点` (holidays skipped, 调休 kept).
- On a day of the month: `every month on the 5th`, `每月5号`. A day a month lacks (the 31st) is that month's
  last day; a day that is not a working day moves to the next working day (顺延, as a deadline would).
- Every other week: `every other wednesday`, `每两周周三`; the stored rule names its first date, so the
  fortnight keeps its rhythm across restarts (`every other wednesday from 2026-12-09 at 10:00`).
Each occurrence of a working-day rule carries its *home period*: a review held on working day 10
of December reviews November, and the report due by working day 5 of December reports on November.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from bot.calendar.when import DEFAULT_TIME, foreign_digits, split_time_of_day, unreadable
from bot.calendar.workdays import WorkCalendar
from bot.platform import formatting
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _

RULE_EXAMPLES: tuple[str, ...] = ("every tuesday 15:00", "every month on working day 10 at 10:00",
                                  "every quarter on working day 3 at 14:00", "every working day 9:30",
                                  "last working day of every month 16:00", "every other wednesday 10:00",
                                  "每周二 15:00", "每月第10个工作日 10:00", "每季度第3个工作日 14:00",
                                  "每个工作日 9:30", "每月最后一个工作日 16:00", "每月5号 上午10点",
                                  "每两周周三 10:00")  # fmt: skip
# The working day a rule means by "last": counted back from the period's end.
LAST = -1
# The most days a month has; a rule on a day a month lacks falls on that month's last day.
MAX_MONTH_DAY = 31
# Enough to find the next occurrence of any rule, even one whose weekday is a holiday for weeks.
_SEARCH_DAYS = 400


class Frequency(StrEnum):
    """How often a rule comes round, and the period its working days are counted in."""

    DAY = "day"
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
_WORKING_DAY = r"(?:working|business|work) ?day"
_EVERY = r"(?:every|each)"
_EN_PERIOD = r"(?P<lfreq>week|month|quarter)"
_ANCHOR = r"(?: from (?P<anchor>[0-9]{4}-[0-9]{2}-[0-9]{2}))?"
_ORDINAL = r"(?:st|nd|rd|th)"
_ZH_PERIOD = r"每个?(?P<lfreq_zh>周|星期|礼拜|月|季度|季)的?"
# Rules beyond a weekday or the n-th working day, each read by _special_rule under its kind.
_SPECIAL = (
    ("daily", re.compile(rf"{_EVERY} day|daily|每天|每日")),
    ("working", re.compile(rf"{_EVERY} {_WORKING_DAY}|每个?工作日")),
    ("last", re.compile(rf"(?:last {_WORKING_DAY} of {_EVERY} {_EN_PERIOD}"
                        rf"|(?:{_EVERY} (?P<freq>week|month|quarter)|(?P<adv>weekly|monthly|quarterly))"
                        rf"(?: on)? last {_WORKING_DAY})")),
    ("last_zh", re.compile(rf"{_ZH_PERIOD}最后1?个?工作日")),
    ("nth_of", re.compile(rf"(?P<nth>[0-9]+){_ORDINAL}? {_WORKING_DAY} of {_EVERY} {_EN_PERIOD}")),
    ("month_day", re.compile(rf"(?:(?:{_EVERY} month|monthly)(?: on)? "
                             rf"(?:day (?P<md>[0-9]+)|(?P<md_th>[0-9]+){_ORDINAL})"
                             rf"|(?:day (?P<md_of>[0-9]+)|(?P<md_th_of>[0-9]+){_ORDINAL}) of {_EVERY} month)")),
    ("month_day_zh", re.compile(r"每个?月的?(?P<md_zh>[0-9]+)[号日]")),
    ("fortnight", re.compile(rf"(?:{_EVERY} other|{_EVERY} 2 weeks(?: on)?|fortnightly(?: on)?|biweekly on) "
                             rf"{_EN_WEEKDAY}{_ANCHOR}")),
    ("fortnight_zh", re.compile(r"(?:每2周|每隔1周|隔周|双周)的?(?:周|星期|礼拜)(?P<zh_wd>[1-7日天])"
                                r"(?: ?从 ?(?P<anchor_zh>[0-9]{4}-[0-9]{2}-[0-9]{2})起?)?")),
)
_PATTERNS = (
    re.compile(rf"(?:(?:every|each)(?: week)?|weekly)(?: on)? {_EN_WEEKDAY}"),
    re.compile(rf"(?:(?:every|each) (?P<freq>week|month|quarter)|(?P<adv>weekly|monthly|quarterly))(?: on)? "
               rf"(?:{_WORKING_DAY} (?P<n>[0-9]+)|(?P<nth>[0-9]+)(?:st|nd|rd|th)? {_WORKING_DAY}"
               rf"(?: of (?:week|month|quarter))?)"),
    re.compile(r"每个?(?:周|星期|礼拜)(?P<zh_wd>[1-7日天])"),
    re.compile(r"每个?(?P<zh_freq>周|星期|礼拜|月|季度|季)的?第(?P<zh_n>[0-9]+)个?工作日"),
)
# Where a rule may begin inside longer text ("Monthly review every month on working day 10").
RULE_START = re.compile(r"(?i)\b(?:every|each|weekly|monthly|quarterly|daily|fortnightly|biweekly)\b"
                        r"|\b(?:the )?(?:first|last|[0-9]+(?:st|nd|rd|th)) (?:working|business|work) ?day of\b"
                        r"|\b(?:the )?(?:day [0-9]+|[0-9]+(?:st|nd|rd|th)) of (?:every|each) month\b"
                        r"|每个?(?:周|星期|礼拜|月|季|工作日)|每天|每日|每两周|每2周|每隔一周|每隔1周|隔周|双周")


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
    """A repeating time: every (working) day, on a weekday every week or fortnight, on the n-th (or last)
    working day of each period, or on a day of each month."""

    frequency: Frequency
    at: time
    weekday: int | None = None
    working_day: int | None = None
    month_day: int | None = None
    interval: int = 1
    anchor: date | None = None

    def __post_init__(self) -> None:
        chosen = [value for value in (self.weekday, self.working_day, self.month_day) if value is not None]
        if len(chosen) > 1 or (not chosen and self.frequency != Frequency.DAY):
            raise ValueError("a rule repeats on one of a weekday, a working day or a day of the month")
        if self.weekday is not None and self.frequency != Frequency.WEEK:
            raise ValueError("a weekday rule repeats every week")
        if self.month_day is not None and self.frequency != Frequency.MONTH:
            raise ValueError("a day-of-month rule repeats every month")
        if self.frequency == Frequency.DAY and self.working_day not in (None, 1):
            raise ValueError("a daily rule is on every day or every working day")
        if (self.interval != 1 or self.anchor is not None) and self.weekday is None:
            raise ValueError("only a weekday rule skips weeks")

    def text(self) -> str:
        """The rule in canonical English, as stored; parse_rule reads it back."""
        clock = f"{self.at:%H:%M}"
        if self.frequency == Frequency.DAY:
            return f"every working day at {clock}" if self.working_day else f"every day at {clock}"
        if self.weekday is not None and self.interval == 2:
            since = f" from {self.anchor.isoformat()}" if self.anchor else ""
            return f"every other {_WEEKDAY_NAMES[self.weekday]}{since} at {clock}"
        if self.weekday is not None:
            return f"every {_WEEKDAY_NAMES[self.weekday]} at {clock}"
        if self.month_day is not None:
            return f"every month on day {self.month_day} at {clock}"
        if self.working_day == LAST:
            return f"last working day of every {self.frequency.value} at {clock}"
        return f"every {self.frequency.value} on working day {self.working_day} at {clock}"

    def anchored(self, calendar: WorkCalendar, *, after: datetime) -> Rule:
        """A fortnightly rule pinned to its first date after a moment (stored so); any other rule as it is."""
        if self.interval == 1 or self.anchor is not None:
            return self
        first = self.next_after(calendar, after=after).at.astimezone(calendar.timezone).date()
        return replace(self, anchor=first)

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
        if self.frequency == Frequency.DAY:
            yield from self._daily(calendar, first, after)
            return
        if self.weekday is not None:
            yield from self._weekly(calendar, first, after)
            return
        # Start one period early: its n-th working day may have spilled past `after`.
        period = Period.containing(self.frequency, first).previous()
        latest = after
        while True:
            moment = _at(calendar, self._day_in(calendar, period), self.at)
            # A period without working days spills onto the next one's day: that moment comes once.
            if moment > latest:
                yield Occurrence(moment, period)
                latest = moment
            period = period.next()

    def _daily(self, calendar: WorkCalendar, first: date, after: datetime) -> Iterator[Occurrence]:
        """Every day, or every working day of the calendar (holidays skipped, make-up days kept)."""
        for offset in range(_SEARCH_DAYS):
            day = first + timedelta(days=offset)
            if not self.working_day or calendar.is_working_day(day):
                moment = _at(calendar, day, self.at)
                if moment > after:
                    yield Occurrence(moment)

    def _weekly(self, calendar: WorkCalendar, first: date, after: datetime) -> Iterator[Occurrence]:
        """The weekday each week (or each other week from the anchor's), public holidays skipped."""
        assert self.weekday is not None  # called for weekday rules
        day = first + timedelta(days=(self.weekday - first.weekday()) % 7)
        if self.anchor is not None:
            # Land on a week of the anchor's rhythm: a whole number of intervals from it.
            day += timedelta(days=7 * (((self.anchor - day).days // 7) % self.interval))
        on_rhythm = self.anchor is not None or self.interval == 1
        for _week in range(_SEARCH_DAYS // 7):
            # A public holiday on a weekday is skipped; a weekend day was asked for on purpose.
            if (calendar.is_working_day(day) or day.weekday() >= 5) and (self.anchor is None or day >= self.anchor):
                moment = _at(calendar, day, self.at)
                if moment > after:
                    yield Occurrence(moment)
                    if not on_rhythm:  # an unanchored fortnight starts at its first date
                        yield from replace(self, anchor=day)._weekly(calendar, day + timedelta(days=1), moment)
                        return
            day += timedelta(days=7 * (self.interval if on_rhythm else 1))

    def _day_in(self, calendar: WorkCalendar, period: Period) -> date:
        """The day this rule falls on in a period (possibly spilling past it)."""
        if self.month_day is not None:
            last = period.end - timedelta(days=1)
            # A day the month lacks is its last day; a day off moves on to the next working day.
            return calendar.add_working_days(period.start.replace(day=min(self.month_day, last.day)), 0)
        assert self.working_day is not None  # __post_init__: a period rule has a working day or a month day
        if self.working_day == LAST:
            return calendar.add_working_days(period.end, -1)
        return working_day_of(calendar, period, self.working_day)


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
    for kind, pattern in _SPECIAL:
        match = pattern.fullmatch(day_text)
        if match:
            return _special_rule(kind, match, clock or DEFAULT_TIME, text)
    raise UnreadableRule(text)


def _special_rule(kind: str, match: re.Match[str], clock: time, text: str) -> Rule:
    """The rule a match of one of the _SPECIAL patterns stands for."""
    groups = {name: value for name, value in match.groupdict().items() if value}
    if kind in ("daily", "working"):
        return Rule(Frequency.DAY, clock, working_day=1 if kind == "working" else None)
    if kind in ("last", "last_zh"):
        word = groups.get("lfreq") or groups.get("freq") or groups.get("adv")
        frequency = _ZH_FREQUENCIES[groups["lfreq_zh"]] if kind == "last_zh" else _EN_FREQUENCIES[str(word)]
        return Rule(frequency, clock, working_day=LAST)
    if kind == "nth_of":
        frequency = _EN_FREQUENCIES[groups["lfreq"]]
        return Rule(frequency, clock, working_day=check_working_day(frequency, int(groups["nth"]), text))
    if kind in ("month_day", "month_day_zh"):
        day = int(next(groups[name] for name in ("md", "md_th", "md_of", "md_th_of", "md_zh") if name in groups))
        if not 1 <= day <= MAX_MONTH_DAY:
            raise ImpossibleRule(text, _("Pick a day of the month from 1 to 31."))
        return Rule(Frequency.MONTH, clock, month_day=day)
    weekday = (_ZH_WEEKDAYS[groups["zh_wd"]] if "zh_wd" in groups
               else [name[:3] for name in _WEEKDAY_NAMES].index(groups["wd"]))
    anchor = _anchor_of(groups.get("anchor") or groups.get("anchor_zh"), weekday, text)
    return Rule(Frequency.WEEK, clock, weekday=weekday, interval=2, anchor=anchor)


def _anchor_of(written: str | None, weekday: int, text: str) -> date | None:
    """The first date a stored fortnightly rule names, which must fall on its weekday."""
    if written is None:
        return None
    try:
        anchor = date.fromisoformat(written)
    except ValueError:
        raise ImpossibleRule(text) from None
    if anchor.weekday() != weekday:
        raise ImpossibleRule(text, _("The first date must fall on the rule's weekday."))
    return anchor


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
    return {Frequency.DAY: _("day"), Frequency.WEEK: _("week"), Frequency.MONTH: _("month"),
            Frequency.QUARTER: _("quarter")}[frequency]


def rule_start_positions(text: str) -> list[int]:
    """Where a repeating time may begin in `text`, leftmost first."""
    return [match.start() for match in RULE_START.finditer(text)]


def describe_rule(rule: Rule) -> str:
    """The rule for people: "every Tuesday at 15:00", "on working day 10 of every month at 10:00"."""
    clock = f"{rule.at:%H:%M}"
    if rule.frequency == Frequency.DAY:
        if rule.working_day:
            return _("every working day at {time}").format(time=clock)
        return _("every day at {time}").format(time=clock)
    if rule.weekday is not None and rule.interval == 2:
        return _("every other {weekday} at {time}").format(weekday=formatting.weekday_long(rule.weekday),
                                                           time=clock)
    if rule.weekday is not None:
        return _("every {weekday} at {time}").format(weekday=formatting.weekday_long(rule.weekday),
                                                     time=clock)
    if rule.month_day is not None:
        return _describe_month_day(rule.month_day, clock)
    if rule.working_day == LAST:
        return _("on the last working day of every {period} at {time}").format(
            period=period_word(rule.frequency), time=clock)
    return _("on working day {n} of every {period} at {time}").format(
        n=rule.working_day, period=period_word(rule.frequency), time=clock)


def _describe_month_day(day: int, clock: str) -> str:
    """"on day 31 of every month …", saying where a short month and a day off move it."""
    if day > 28:
        return _("on day {day} of every month at {time} (the month's last day when it is shorter; the next "
                 "working day when that is a day off)").format(day=day, time=clock)
    return _("on day {day} of every month at {time} (the next working day when that is a day off)").format(
        day=day, time=clock)


def period_label(period: Period) -> str:
    """"November 2026", "Q4 2026" or "the week of 23 Nov 2026"."""
    start = period.start
    if period.frequency == Frequency.MONTH:
        return formatting.month(start)
    if period.frequency == Frequency.QUARTER:
        return _("Q{quarter} {year}").format(quarter=(start.month - 1) // 3 + 1, year=start.year)
    return _("the week of {day}").format(day=formatting.plain_date(start))
