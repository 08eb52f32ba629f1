"""Dates, times, weekdays, numbers and durations in the language spoken here, by Babel (never by hand).

One module, so a reply to a Chinese reader says `12月7日 周一 10:00 CST` and `2 个工作日` and an
English one `Mon 7 Dec 10:00 CST` and `2 working days`, whichever code builds the text.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Literal
from zoneinfo import ZoneInfo

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_datetime, format_time
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit

from bot.platform.i18n import current_language, is_chinese, ngettext

# Patterns as people check a moment: the weekday first in English, month-day first in Chinese.
_MOMENT = {"en": "EEE d MMM HH:mm", "zh": "M月d日 EEE HH:mm"}
_MOMENT_WITH_YEAR = {"en": "EEE d MMM y HH:mm", "zh": "y年M月d日 EEE HH:mm"}
_DATE = {"en": "d MMM y", "zh": "y年M月d日"}
_MONTH = {"en": "LLLL y", "zh": "y年M月"}
_DAY = {"en": "EEE d MMM y", "zh": "y年M月d日 EEE"}
_SHORT_DAY = {"en": "EEE d MMM", "zh": "M月d日 EEE"}


@cache
def _locale(language: str) -> Locale:
    try:
        return Locale.parse(language)
    except (ValueError, LookupError, UnknownLocaleError):  # a test language such as xx
        return Locale.parse("en")


def locale(language: str | None = None) -> Locale:
    """Babel's locale for `language` (default: the language spoken here)."""
    return _locale(language or current_language())


def _family(language: str | None) -> str:
    return "zh" if is_chinese(language) else "en"


def moment(when: datetime, zone: ZoneInfo, *, language: str | None = None, year: bool = False) -> str:
    """A moment in `zone` with its zone: "Mon 7 Dec 10:00 CST" or "12月7日 周一 10:00 CST" (`year`: with it)."""
    local = when.astimezone(zone)
    pattern = (_MOMENT_WITH_YEAR if year else _MOMENT)[_family(language)]
    text = format_datetime(local, pattern, tzinfo=zone, locale=locale(language))
    return f"{text} {zone_name(local)}"


def zone_name(local: datetime) -> str:
    """"CST", or "UTC+08:00" for zones whose abbreviation is only a number."""
    name = local.tzname() or ""
    if name and name[0] not in "+-":
        return name
    minutes = int((local.utcoffset() or timedelta()).total_seconds() // 60)
    sign = "-" if minutes < 0 else "+"
    return f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"


def day(value: date, *, language: str | None = None) -> str:
    """A date: "Sat 27 Feb 2027" or "2027年2月27日 周六"."""
    return format_date(value, _DAY[_family(language)], locale=locale(language))


def short_day(value: date, *, language: str | None = None) -> str:
    """A date within the year: "Sat 27 Feb" or "2月27日 周六"."""
    return format_date(value, _SHORT_DAY[_family(language)], locale=locale(language))


def plain_date(value: date, *, language: str | None = None) -> str:
    """A date without its weekday: "23 Nov 2026" or "2026年11月23日"."""
    return format_date(value, _DATE[_family(language)], locale=locale(language))


def month(value: date, *, language: str | None = None) -> str:
    """A month: "November 2026" or "2026年11月"."""
    return format_date(value, _MONTH[_family(language)], locale=locale(language))


def clock(value: time | datetime) -> str:
    """A time of day, 24-hour: "10:00"."""
    return format_time(value, "HH:mm", locale=locale())


def weekday(index: int, *, width: str = "abbreviated", language: str | None = None) -> str:
    """A weekday name, Monday = 0: "Mon" / "周一" ("Monday" / "星期一" with width="wide")."""
    return str(locale(language).days["format"][width][index])


def weekday_long(index: int) -> str:
    """A weekday as said in a sentence: "Tuesday" / "周二" (星期二 reads stiffly in "every …")."""
    return weekday(index, width="abbreviated" if is_chinese() else "wide")


def number(value: int | float | Decimal, *, language: str | None = None) -> str:
    """A number with the locale's separators: "1,234.5"."""
    return format_decimal(value, locale=locale(language))


def percent(value: int | float, *, language: str | None = None) -> str:
    """A share given in per cent (96 → "96%"), with the locale's sign and separators."""
    return format_percent(value / 100, locale=locale(language))


def duration(span: timedelta, *, language: str | None = None) -> str:
    """A span in hours and minutes: "1h30m" or "1小时30分钟" (minutes when under an hour)."""
    minutes = int(span.total_seconds() // 60)
    hours, rest = divmod(minutes, 60)
    chinese = is_chinese(language)
    length: Literal["short", "narrow"] = "short" if chinese else "narrow"  # Babel's Chinese has no narrow units
    parts = []
    if hours:
        parts.append(format_unit(hours, "duration-hour", length=length, locale=locale(language)))
    if rest or not hours:
        parts.append(format_unit(rest, "duration-minute", length=length, locale=locale(language)))
    return "".join(part.replace(" ", "") for part in parts) if not chinese else "".join(parts)


def days(count: int) -> str:
    """A number of calendar days: "3 days" / "3天"."""
    # Babel's Chinese has no long day unit (it would print "3 duration-day").
    return format_unit(count, "duration-day", length="short" if is_chinese() else "long", locale=locale())


def working_days(count: int) -> str:
    """A number of working days: "2 working days" / "2 个工作日"."""
    return ngettext("{count} working day", "{count} working days", count).format(count=number(count))


def language_name(language: str) -> str:
    """A language's own name in the reader's language: "Chinese (Simplified)" / "中文 (简体)"."""
    name = _locale(language).get_display_name(locale())
    return str(name) if name else language
