"""Plain-language dates in English and Chinese: read them, echo them back.

Pure domain code: no Slack, no reading of the current time. `read_when` first splits off a time
of day ("3pm", "下午3点": bot.calendar.time_of_day), then tries a short list of named rules on what is
left, then falls back to dateparser for the forms it reads well (month names, ISO stamps) and checks
its answer.

Readings, all in the user's zone and preferring the future when a form is ambiguous:
- A day without a time of day means DEFAULT_TIME (09:00); durations ("in 3 days", "3天后",
  "in 2 working days") keep the current time of day.
- A bare weekday ("tuesday", "周五下午") is its soonest occurrence still ahead, so "friday
  afternoon" said on a Friday morning is that afternoon; "next tuesday" and "下周二" are the
  Tuesday of next week (weeks start on Monday), "下下周三" the week after.
- A bare time ("3pm", "15:00") is today if still ahead, else tomorrow.
- "12/05" is month/day, like dateparser's default; a date without a year is this year's, or
  next year's once it has passed.
- An hour 1-6 without am/pm or 上午/下午 ("3点", "at 3") is afternoon: nobody books 3 a.m.
  without saying so. "3:00" and "3.00" are read as a 24-hour clock.
- Dates are for things to come: a day already past, or more than five years ahead, is refused.
"""

from __future__ import annotations

import calendar as _monthdays
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Protocol
from zoneinfo import ZoneInfo

from dateparser.date import DateDataParser

from bot.calendar import time_of_day, when_zh
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _

DEFAULT_TIME = time(9, 0)

EXAMPLES: tuple[str, ...] = ("tomorrow 3pm", "next tuesday 15:00", "in 2 working days",
                              "dec 5 14:00", "明天下午3点", "下周一上午10点", "3天后", "月底")  # fmt: skip

_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_WEEKDAYS.update(when_zh.WEEKDAYS)
_EN_WEEKDAY = r"(?P<wd>mon|tue|wed|thu|fri|sat|sun)(?:day|s|sday|nesday|r|rs|rsday|urday)?"
_COUNT = r"(?P<n>[0-9]+|an?)"
_EN_UNIT = r"minutes?|mins?|hours?|hrs?|days?|weeks?"
_UNIT_MINUTES = {"minute": 1, "hour": 60, "day": 24 * 60, "week": 7 * 24 * 60}
# Durations beyond this are typos, and would overflow datetime or loop a calendar for long.
_HORIZON_DAYS = 5 * 366
_EN_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

class UnreadableDate(InvalidInput, ValueError):
    """The text is not a date we can read; the message shows forms that work."""

    def __init__(self, text: str, reason: str = "") -> None:
        super().__init__(unreadable(_("I couldn't read “{text}” as a date.").format(text=text.strip()), reason,
                                    EXAMPLES))
        self.text = text


class ImpossibleDate(UnreadableDate):
    """The text is a date, but not one to schedule: no such day, already past, or beyond the horizon.

    Unlike a plain UnreadableDate, it is never folded into a title: the date was read and refused.
    """


def unreadable(what: str, reason: str, examples: Iterable[str]) -> str:
    """An unreadable-input message: what could not be read, why (if known), and forms that work."""
    tried = ", ".join(f"“{example}”" for example in examples)
    return " ".join(filter(None, [what, reason, _("Try for example: {examples}.").format(examples=tried)]))


class WorkingDays(Protocol):
    """A team calendar that can count working days (bot.calendar.workdays.WorkCalendar is one)."""

    def add_working_days(self, day: date, n: int) -> date: ...


@dataclass(frozen=True)
class _Ask:
    """What one reading knows: the text, the local now, the calendar and any time of day given."""

    text: str
    now: datetime
    calendar: WorkingDays | None
    clock: time | None

    @property
    def minute(self) -> time:
        """The current time of day, to the minute."""
        return self.now.time().replace(second=0, microsecond=0)

    def at(self, day: date, default: time = DEFAULT_TIME) -> datetime:
        """The given day at the time of day asked for, or at `default`."""
        moment = datetime.combine(day, self.clock or default, tzinfo=self.now.tzinfo)
        # The round trip moves a time skipped by a DST change (02:30 in spring) to a real one.
        return moment.astimezone(UTC).astimezone(self.now.tzinfo)

    def soonest(self, first: date, step: timedelta = timedelta(days=1)) -> datetime:
        """The first of first, first+step, ... whose moment is still ahead."""
        moment = self.at(first)
        while moment <= self.now:
            first += step
            moment = self.at(first)
        return moment


def read_when(
    text: str, *, now: datetime, tz: ZoneInfo, calendar: WorkingDays | None = None
) -> datetime:
    """Read a plain-language date as an aware datetime in tz, or raise UnreadableDate."""
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    if foreign_digits(text):
        numeric = any(foreign_digits(word) and not re.search(r"[^\W\d_]", word) for word in text.split())
        # "٢٠٢٧-٠١-٠٥" is a date refused, not a title word; "m²" may be a word of the title before the date.
        raise (ImpossibleDate if numeric else UnreadableDate)(text, _("Write its numbers with the digits 0-9."))
    cleaned = _normalize(text)
    if not cleaned:
        raise UnreadableDate(text)
    day_text, clock = _split_clock(cleaned, text)
    ask = _Ask(text, now.astimezone(tz), calendar, clock)
    if not day_text:
        return ask.soonest(ask.now.date())
    moment = _read_by_rules(day_text, ask) or _read_with_dateparser(day_text, ask)
    # Dates are for things to come: a past day is a misreading ("friday 13" as the 13th gone by).
    if moment.date() < ask.now.date():
        raise ImpossibleDate(text, _("It reads as a day that has passed."))
    if moment - ask.now > timedelta(days=_HORIZON_DAYS):
        raise _too_far(ask)
    return moment


def describe(moment: datetime, tz: ZoneInfo, *, language: str = "en") -> str:
    """Echo a moment the way users check it: "Tue 1 Dec 15:00 CST" or "12月1日（周二）15:00 CST"."""
    local = moment.astimezone(tz)
    zone = local.tzname() or ""
    if not zone or zone[0] in "+-":
        zone = _utc_offset(local)
    if language.startswith("zh"):
        weekday = "一二三四五六日"[local.weekday()]
        return f"{local.month}月{local.day}日（周{weekday}）{local:%H:%M} {zone}"
    weekday = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"][local.weekday()]
    month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][local.month - 1]
    return f"{weekday} {local.day} {month} {local:%H:%M} {zone}"


def to_iso(moment: datetime) -> str:
    """ISO-8601 with its UTC offset, to the second."""
    return moment.isoformat(timespec="seconds")


def split_time_of_day(text: str) -> tuple[str, time | None]:
    """Normalise text and split off a time of day: "每周二 下午3点" -> ("每周2", 15:00); for recurrence rules."""
    return _split_clock(_normalize(text), text)


def _utc_offset(local: datetime) -> str:
    """"UTC+08:00" for zones whose abbreviation is only a number."""
    minutes = int((local.utcoffset() or timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def foreign_digits(text: str) -> bool:
    """Whether the text has digits we do not read: "²", "٣" (full-width "１５", typed with Chinese input, we do)."""
    return any(c.isdigit() and not ("0" <= c <= "9" or "０" <= c <= "９") for c in text)


def _normalize(text: str) -> str:
    """Lower-case, ASCII digits and punctuation, Chinese numerals as digits, single spaces."""
    # NFKC turns full-width "１５：００" and "（" into their ASCII forms.
    cleaned = unicodedata.normalize("NFKC", text).lower().strip(" \t\n.,;!?。，！？")
    cleaned = when_zh.normalize(cleaned)
    cleaned = re.sub(r"\b(a|p)\.m\b\.?", r"\1m", cleaned)
    cleaned = re.sub(r"\btonight\b", "today night", cleaned)
    for value, word in enumerate(_EN_NUMBERS, start=1):
        cleaned = re.sub(rf"\b{word}\b", str(value), cleaned)
    cleaned = re.sub(r"^(?:on|by)\s+|\bthe\s+", "", cleaned)
    return re.sub(r"\s+", " ", cleaned).strip()


def _split_clock(cleaned: str, text: str) -> tuple[str, time | None]:
    """Split "tomorrow 3pm" into ("tomorrow", 15:00); the day part may be empty."""
    try:
        return time_of_day.split_off(cleaned)
    except ValueError:
        raise UnreadableDate(text) from None


def _too_far(ask: _Ask) -> UnreadableDate:
    """The error for a reading beyond the horizon."""
    return ImpossibleDate(ask.text, _("That is more than five years ahead; pick a date within five years."))


def _number(word: str) -> int:
    """An English count: digits, "a" or "an"."""
    return 1 if word in ("a", "an") else int(word)


def _relative_day(match: re.Match[str], ask: _Ask) -> datetime:
    """today, tomorrow, 后天, 大后天: that day at the time asked for."""
    offsets = {"today": 0, "tomorrow": 1, "day after tomorrow": 2, **when_zh.DAY_OFFSETS}
    return ask.at(ask.now.date() + timedelta(days=offsets[match["word"]]))


def _weekday(match: re.Match[str], ask: _Ask) -> datetime:
    """A weekday, bare (soonest ahead) or with "next"/下 (that many weeks on, Monday-based)."""
    weekday = _WEEKDAYS[match["wd"]]
    today = ask.now.date()
    weeks = (match["rel"] or "").count("next") + (match["rel"] or "").count("下")
    if weeks == 0:
        return ask.soonest(today + timedelta(days=(weekday - today.weekday()) % 7), timedelta(7))
    monday = today - timedelta(days=today.weekday())
    return ask.at(monday + timedelta(weeks=weeks, days=weekday))


def _next_week(match: re.Match[str], ask: _Ask) -> datetime:
    """"next week" or 下周 alone: Monday of next week (下下周: the week after)."""
    today = ask.now.date()
    weeks = (match["rel"] or "").count("next") + (match["rel_zh"] or "").count("下")
    return ask.at(today - timedelta(days=today.weekday()) + timedelta(weeks=weeks))


def _calendar_date(match: re.Match[str], ask: _Ask) -> datetime:
    """A numbered date; without a year it is this year's, or next year's once it has passed."""
    today = ask.now.date()
    year = int(match["y"]) if match["y"] else today.year
    if year < 100:
        year += 2000
    if year > today.year + _HORIZON_DAYS // 366:
        raise _too_far(ask)
    month = int(match["mo"]) if match["mo"] else today.month
    try:
        day = date(year, month, int(match["d"]))
        if day < today and not match["y"]:
            day = date(year + 1, month, day.day) if match["mo"] else _month_later(day)
    except ValueError:
        raise ImpossibleDate(ask.text, _("There is no such day in the calendar.")) from None
    return ask.at(day)


def _month_later(day: date) -> date:
    """The same day of the next month (raises ValueError if it has no such day)."""
    return date(day.year + day.month // 12, day.month % 12 + 1, day.day)


def _duration(match: re.Match[str], ask: _Ask) -> datetime | None:
    """"in 2 hours", "3天后": hours and minutes exactly, days and weeks keep the time of day."""
    half = match.groupdict().get("half")
    amount = (_number(match["n"]) if match["n"] else 0) + (0.5 if half else 0)
    unit = match["unit"].rstrip("s")
    unit = when_zh.UNITS.get(unit) or {"min": "minute", "hr": "hour"}.get(unit, unit)
    minutes = amount * _UNIT_MINUTES[unit]
    if minutes > _HORIZON_DAYS * _UNIT_MINUTES["day"]:
        raise _too_far(ask)
    if unit in ("day", "week"):
        days = minutes / _UNIT_MINUTES["day"]
        if days != int(days):
            return None
        return ask.at(ask.now.date() + timedelta(days=int(days)), ask.minute)
    if ask.clock:
        return None
    # Exact durations count real minutes, so they are added in UTC across a DST change.
    moment = ask.now.astimezone(UTC) + timedelta(minutes=minutes)
    return moment.astimezone(ask.now.tzinfo).replace(second=0, microsecond=0)


def _working_days(match: re.Match[str], ask: _Ask) -> datetime:
    """"in 2 working days", "三个工作日后": counted on the team's calendar."""
    if ask.calendar is None:
        raise UnreadableDate(ask.text, _("Working days need the team's calendar here."))
    count = _number(match["n"])
    if count > _HORIZON_DAYS:
        raise _too_far(ask)
    return ask.at(ask.calendar.add_working_days(ask.now.date(), count), ask.minute)


def _end_of_month(match: re.Match[str], ask: _Ask) -> datetime:
    """"end of month", 月底, 下个月底: the last day of the month, rolled on once it has passed."""
    first = ask.now.date().replace(day=1)
    if match["next"]:
        first = _month_later(first)
    while True:
        last = first.replace(day=_monthdays.monthrange(first.year, first.month)[1])
        if ask.at(last) > ask.now:
            return ask.at(last)
        first = _month_later(first)


def _end_of_week(match: re.Match[str], ask: _Ask) -> datetime:
    """"end of (next) week": the Friday of that week."""
    today = ask.now.date()
    friday = today + timedelta(days=4 - today.weekday() + (7 if match["next"] else 0))
    return ask.soonest(friday, timedelta(7))


def _right_now(match: re.Match[str], ask: _Ask) -> datetime | None:
    """"now", 现在: this minute."""
    return None if ask.clock else ask.now.replace(second=0, microsecond=0)


@dataclass(frozen=True)
class _Rule:
    """A form we read ourselves: a pattern for the day part and the function that reads it."""

    name: str
    pattern: re.Pattern[str]
    read: Callable[[re.Match[str], _Ask], datetime | None]


_RULES = tuple(
    _Rule(name, re.compile(pattern), read)
    for name, pattern, read in (
        ("now", r"now|right now|现在|马上|立刻", _right_now),
        ("relative day", r"(?P<word>today|tomorrow|day after tomorrow|今天|明天|大?后天)",
         _relative_day),
        ("weekday", rf"(?:(?P<rel>this coming|this|coming|next(?: next)*) )?{_EN_WEEKDAY}",
         _weekday),
        ("周几", rf"(?P<rel>(?:下个?)*|这个?|本)\s*{when_zh.WEEKDAY}", _weekday),
        ("next week", r"(?P<rel>next(?: next)*) week|(?P<rel_zh>(?:下个?)+)(?:周|星期|礼拜)",
         _next_week),
        ("iso date", r"(?P<y>[0-9]{4})[-/.](?P<mo>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})", _calendar_date),
        ("month/day", r"(?P<mo>[0-9]{1,2})/(?P<d>[0-9]{1,2})(?:/(?P<y>[0-9]{4}|[0-9]{2}))?", _calendar_date),
        ("年月日", r"(?:(?P<y>[0-9]{4})年)?(?:(?P<mo>[0-9]{1,2})月)?(?P<d>[0-9]{1,2})[日号]", _calendar_date),
        ("working days", rf"in {_COUNT} (?:working|business) days?", _working_days),
        ("working days from now", rf"{_COUNT} (?:working|business) days? from (?:now|today)",
         _working_days),
        ("工作日后", rf"(?P<n>[0-9]+)\s*个?工作日(?:{when_zh.LATER}|内)", _working_days),
        ("in duration", rf"in (?:{_COUNT} |(?P<half>half an? ))(?P<unit>{_EN_UNIT})", _duration),
        ("duration from now", rf"{_COUNT} (?P<unit>{_EN_UNIT}) from now", _duration),
        ("时长后", when_zh.DURATION, _duration),
        ("end of month", r"end of (?:this )?(?P<next>next )?month", _end_of_month),
        ("月底", r"(?P<next>下个?)?月[底末]", _end_of_month),
        ("end of week", r"end of (?:this )?(?P<next>next )?week", _end_of_week),
    )
)


def _read_by_rules(day_text: str, ask: _Ask) -> datetime | None:
    """The reading of the first rule that matches and accepts the text."""
    for rule in _RULES:
        match = rule.pattern.fullmatch(day_text)
        if match and (moment := rule.read(match, ask)) is not None:
            return moment
    return None


@lru_cache(maxsize=64)
def _dateparser(zone: str, base: datetime) -> DateDataParser:
    """A parser for one zone and minute; its language data stays loaded between parsers."""
    settings = {
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": True,
        "TIMEZONE": zone,
        "TO_TIMEZONE": zone,
        # Naive local time, read in TIMEZONE: with an aware base dateparser drops bare times.
        "RELATIVE_BASE": base,
    }
    return DateDataParser(languages=["en", "zh"], settings=settings)


def _read_with_dateparser(day_text: str, ask: _Ask) -> datetime:
    """Let dateparser read what no rule matched, and refuse its guesses at garbage."""
    tz = ask.now.tzinfo
    zone = getattr(tz, "key", None)
    if zone is None:
        raise UnreadableDate(ask.text)
    now = ask.now.replace(second=0, microsecond=0)
    data = _dateparser(zone, now.replace(tzinfo=None)).get_date_data(day_text)
    if data.date_obj is None:
        raise UnreadableDate(ask.text)
    found: datetime = data.date_obj.astimezone(tz)
    # "a", "5", "42" and "dec 45" come back as month or year readings at midnight; a real
    # relative month ("next month") keeps the time of day of the base.
    shifted = (found.hour, found.minute) == (now.hour, now.minute)
    if data.period not in ("day", "week") and not shifted:
        raise UnreadableDate(ask.text)
    # An answer equal to now is dateparser giving up without saying so.
    if abs(found - now) < timedelta(minutes=1):
        raise UnreadableDate(ask.text)
    if ask.clock or found.time() == time(0):
        return ask.at(found.date())
    return found.replace(second=0, microsecond=0)
