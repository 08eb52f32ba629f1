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
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from bot.calendar import time_of_day, when_workdays, when_zh
from bot.calendar.when_ask import (
    DEFAULT_TIME,
    EXAMPLES,
    AmbiguousDate,
    ImpossibleDate,
    UnreadableDate,
    WorkingDays,
    unreadable,
)
from bot.calendar.when_ask import Ask as _Ask
from bot.platform import formatting
from bot.platform.i18n import _

if TYPE_CHECKING:
    from dateparser.date import DateDataParser

__all__ = ["DEFAULT_TIME", "EXAMPLES", "AmbiguousDate", "ImpossibleDate", "UnreadableDate", "WorkingDays", "describe",
           "foreign_digits", "read_when", "split_time_of_day", "to_iso", "unreadable"]

_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
_WEEKDAYS.update(when_zh.WEEKDAYS)
_EN_WEEKDAY = r"(?P<wd>mon|tue|wed|thu|fri|sat|sun)(?:day|s|sday|nesday|r|rs|rsday|urday)?"
_COUNT = r"(?P<n>[0-9]+|an?)"
_EN_UNIT = r"minutes?|mins?|hours?|hrs?|days?|weeks?"
_UNIT_MINUTES = {"minute": 1, "hour": 60, "day": 24 * 60, "week": 7 * 24 * 60}
# Durations beyond this are typos, and would overflow datetime or loop a calendar for long.
_HORIZON_DAYS = 5 * 366
_EN_ORDINALS = {"first": "1st", "second": "2nd", "third": "3rd", "fourth": "4th", "fifth": "5th", "sixth": "6th",
                "seventh": "7th", "eighth": "8th", "ninth": "9th", "tenth": "10th"}  # fmt: skip
_EN_NUMBERS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")

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
    cleaned, range_end = when_workdays.split_range(cleaned)
    cleaned, deadline = when_workdays.split_deadline(cleaned)
    day_text, clock = _split_clock(cleaned, text)
    ask = _Ask(text, now.astimezone(tz), calendar, clock)
    if deadline and clock is None:
        ask = replace(ask, day_time=ask.team().day_end)
    if day_text:
        moment = _read_by_rules(day_text, ask) or _read_with_dateparser(day_text, ask)
    elif deadline == when_workdays.CLOSING and clock is None:
        moment = when_workdays.closing_today(ask)
    elif deadline and clock is None:
        raise UnreadableDate(text)
    else:
        moment = ask.soonest(ask.now.date())
    # Dates are for things to come: a past day is a misreading ("friday 13" as the 13th gone by).
    if moment.date() < ask.now.date():
        raise ImpossibleDate(text, _("It reads as a day that has passed."))
    if moment - ask.now > timedelta(days=_HORIZON_DAYS):
        raise _too_far(ask)
    if range_end:
        raise when_workdays.range_answer(ask, moment, range_end)
    return moment


def describe(moment: datetime, tz: ZoneInfo, *, language: str | None = None) -> str:
    """Echo a moment the way users check it: "Tue 1 Dec 15:00 CST" or "12月1日 周二 15:00 CST" (Babel)."""
    return formatting.moment(moment, tz, language=language)


def to_iso(moment: datetime) -> str:
    """ISO-8601 with its UTC offset, to the second."""
    return moment.isoformat(timespec="seconds")


def split_time_of_day(text: str) -> tuple[str, time | None]:
    """Normalise text and split off a time of day: "每周二 下午3点" -> ("每周2", 15:00); for recurrence rules."""
    return _split_clock(_normalize(text), text)


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
    for word, ordinal in _EN_ORDINALS.items():
        cleaned = re.sub(rf"\b{word}\b", ordinal, cleaned)
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
    """A weekday, bare (soonest ahead), with 本/这 (this week's), or with "next"/下 (weeks on, Monday-based)."""
    weekday = _WEEKDAYS[match["wd"]]
    today = ask.now.date()
    weeks = (match["rel"] or "").count("next") + (match["rel"] or "").count("下")
    if weeks == 0 and (match["rel"] or "").startswith(("本", "这")):
        # 本周五 said on Saturday is the day gone by, refused as passed, not next week's.
        return ask.at(today + timedelta(days=weekday - today.weekday()))
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


_RULES = (*(_Rule(name, re.compile(pattern), read) for name, pattern, read in when_workdays.RULES), *(
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
))


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
    # Imported here: dateparser costs a fifth of a second to load, and a cron tick never reads typed dates.
    from dateparser.date import DateDataParser

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
