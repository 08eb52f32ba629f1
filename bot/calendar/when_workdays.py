"""The working-calendar forms of plain-language dates, in Chinese and English.

下个工作日 / next working day, 本月第3个工作日 / 3rd working day of next month, 月初 / start of month,
下个月5号 / 5th of next month, 两周后的周一 / monday in 2 weeks, 节后第一个工作日 / first working day after
the holiday, and deadlines: 下班前 / end of day (closing time on the team's calendar), 周五前 (that day at
closing time). A time range (下周二 14:00-15:00) is answered with its start, since a meeting has one start
time. Read on text bot.calendar.when has normalised (lower case, digits, Chinese numerals as digits).
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from typing import cast
from zoneinfo import ZoneInfo

from bot.calendar import when_zh, working_dates
from bot.calendar.when_ask import AmbiguousDate, Ask, UnreadableDate
from bot.platform.i18n import _

CLOSING = "closing"  # 下班前, end of day: closing time, today if still ahead
BEFORE = "before"  # 周五前: the day named, at closing time

_ORDINAL = r"(?:st|nd|rd|th)"
_EN_WEEKDAY = r"(?P<wd>mon|tue|wed|thu|fri|sat|sun)(?:day|s|sday|nesday|r|rs|rsday|urday)?"
_EN_WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
# 本月, 这个月, 下月, 下个月, 下下个月; this month, next month.
_ZH_MONTH = r"(?P<which>本|这个?|(?:下个?)+)月"
_EN_MONTH = r"(?P<which>this|next(?: next)*) month"

_CLOSING_ZH = re.compile(r"\s*下班(?:之?前|以前)?$")
_CLOSING_EN = re.compile(r"(?:^|\s+)(?:by )?(?:end of (?:business|day|work)|close of business|eod|cob)$")
_CLOSING_EN_FIRST = re.compile(r"^(?:by )?(?:end of (?:business|day)|close of business|eod|cob)\s+")
_BEFORE = re.compile(r"\s*(?:之前|以前|前)$")
# "3天前", "半小时前" are "ago", not a deadline: left for the reading to refuse as passed. ("5日前" after a
# month, "12月5日前", is a deadline.)
_AGO = re.compile(r"(?:(?<!月)\d+|半)\s*个?半?个?(?:分钟|小时|钟头|天|日|周|星期|礼拜|月|年|工作日)$")
_BEFORE_EN = re.compile(r"^before\s+")
_CLOCK_TEXT = r"\d{1,2}(?:[:.]\d{2})?\s*(?:am|pm)|\d{1,2}[:.]\d{2}|\d{1,2}[点时](?:半|\d{1,2}分?)?"
_RANGE = re.compile(rf"(?<=[0-9点时半分amp])\s*(?:-|–|—|~|～|到|至|to|until)\s*(?P<end>{_CLOCK_TEXT})$")


def split_deadline(cleaned: str) -> tuple[str, str | None]:
    """"本周5下班前" -> ("本周5", CLOSING); "周5前" -> ("周5", BEFORE); other text is returned as is."""
    for pattern in (_CLOSING_ZH, _CLOSING_EN, _CLOSING_EN_FIRST):
        if match := pattern.search(cleaned):
            return (cleaned[: match.start()] + cleaned[match.end() :]).strip(), CLOSING
    for pattern in (_BEFORE, _BEFORE_EN):
        if (match := pattern.search(cleaned)) and not _AGO.search(cleaned[: match.start()]):
            return (cleaned[: match.start()] + cleaned[match.end() :]).strip(), BEFORE
    return cleaned, None


def split_range(cleaned: str) -> tuple[str, str | None]:
    """"下周2 14:00-15:00" -> ("下周2 14:00", "15:00"); text without a time range is returned as is."""
    match = _RANGE.search(cleaned)
    if match is None or not re.search(rf"(?:{_CLOCK_TEXT})$", cleaned[: match.start()]):
        return cleaned, None
    return cleaned[: match.start()].strip(), match["end"]


def range_answer(ask: Ask, start: datetime, end: str) -> AmbiguousDate:
    """A time range is answered with its start: Rapport keeps one start time per meeting or deadline."""
    return AmbiguousDate(ask.text, _echo(ask, start), _(
        "Rapport keeps one start time, so “{end}” was left out: write the start alone to go ahead.").format(end=end))


def closing_today(ask: Ask) -> datetime:
    """下班前 alone: closing time today if today is a working day still open, else the next working day's."""
    team, day = ask.team(), ask.now.date()
    while not team.is_working_day(day) or ask.at(day) <= ask.now:
        day += timedelta(days=1)
    return ask.at(day)


def next_working_day(match: re.Match[str], ask: Ask) -> datetime:
    """下个工作日, next working day: the first working day after today."""
    return ask.at(ask.team().add_working_days(ask.now.date(), 1))


def nth_working_day(match: re.Match[str], ask: Ask) -> datetime:
    """本月第3个工作日, 3rd working day of next month; without the month it is ambiguous and answered so."""
    n, today = int(match["n"]), ask.now.date()
    which = match.groupdict().get("which")
    months = _months_on(which) if which else 0
    moment = _nth_of_month(ask, working_dates.month_start(today, months), n)
    if which:
        return moment
    if moment <= ask.now:
        moment = _nth_of_month(ask, working_dates.month_start(today, 1), n)
    chinese = when_zh.is_chinese(ask.text)
    forms = (f"本月第{n}个工作日", f"下月第{n}个工作日", f"{n}个工作日后") if chinese else (
        f"{_ordinal(n)} working day of this month", f"{_ordinal(n)} working day of next month",
        f"in {n} working days")
    raise AmbiguousDate(ask.text, _echo(ask, moment), _(
        "Name the month to go ahead: “{this}” or “{next}”; for {n} working days from today, “{later}”.").format(
            this=forms[0], next=forms[1], n=n, later=forms[2]))


def start_of_month(match: re.Match[str], ask: Ask) -> datetime:
    """月初, start of next month: the month's first working day, next month's once this one's has passed."""
    which, today = match.groupdict().get("which"), ask.now.date()
    moment = _nth_of_month(ask, working_dates.month_start(today, _months_on(which) if which else 0), 1)
    if moment <= ask.now and not which:
        moment = _nth_of_month(ask, working_dates.month_start(today, 1), 1)
    return moment


def day_of_month(match: re.Match[str], ask: Ask) -> datetime:
    """下个月5号, 5th of next month: that day of the month named."""
    first = working_dates.month_start(ask.now.date(), _months_on(match["which"]))
    try:
        return ask.at(first.replace(day=int(match["d"])))
    except ValueError:
        raise UnreadableDate(ask.text) from None


def weekday_weeks_on(match: re.Match[str], ask: Ask) -> datetime:
    """两周后的周一, monday in 2 weeks: that weekday of the week n weeks from this one (weeks start on Monday)."""
    weekday = when_zh.WEEKDAYS[match["wd"]] if match["wd"] in when_zh.WEEKDAYS else _EN_WEEKDAYS[match["wd"]]
    today = ask.now.date()
    return ask.at(today - timedelta(days=today.weekday()) + timedelta(weeks=int(match["n"]), days=weekday))


def after_holiday(match: re.Match[str], ask: Ask) -> datetime:
    """节后第一个工作日: the first (or nth) working day after the next public holiday, 调休 included."""
    team = ask.team()
    first = working_dates.after_next_holiday(team, ask.now.date())
    if first is None:
        raise UnreadableDate(ask.text, _("The team's calendar has no public holiday in the coming year."))
    n = int(match["n"] or 1)
    return ask.at(team.add_working_days(first, n - 1) if n > 1 else first)


RULES = (
    ("下个工作日", r"下1?个?工作日|next (?:working|business) day", next_working_day),
    ("第N个工作日", rf"(?:{_ZH_MONTH}的?)?第(?P<n>\d+)个?工作日", nth_working_day),
    ("nth working day", rf"(?P<n>\d+){_ORDINAL} (?:working|business) day(?: of {_EN_MONTH})?", nth_working_day),
    ("月初", rf"(?:{_ZH_MONTH}|月)初", start_of_month),
    ("start of month", r"(?:start|beginning) of (?:(?P<which>this|next(?: next)*) )?month", start_of_month),
    ("下个月5号", rf"{_ZH_MONTH}的?(?P<d>\d{{1,2}})[号日]", day_of_month),
    ("5th of next month", rf"(?P<d>\d{{1,2}}){_ORDINAL}? of {_EN_MONTH}", day_of_month),
    ("next month on the 5th", rf"{_EN_MONTH} on (?P<d>\d{{1,2}}){_ORDINAL}?", day_of_month),
    ("两周后的周一", rf"(?P<n>\d+)\s*个?(?:周|星期|礼拜){when_zh.LATER}的?\s*{when_zh.WEEKDAY}", weekday_weeks_on),
    ("monday in 2 weeks", rf"{_EN_WEEKDAY} in (?P<n>\d+) weeks?", weekday_weeks_on),
    ("in 2 weeks on monday", rf"in (?P<n>\d+) weeks? on {_EN_WEEKDAY}", weekday_weeks_on),
    ("节后", r"(?:节|节日|节假日|假期|长假|假|放假)(?:后|以后|之后)的?(?:第(?P<n>\d+)个?工作日|上班|1?个?工作日)?",
     after_holiday),
    ("after the holiday", r"(?:(?P<n>\d+)" + _ORDINAL + r" )?(?:working |business )?day after (?:next )?(?:public )?"
     r"holidays?|after (?:next )?(?:public )?holidays?", after_holiday),
)


def _months_on(which: str) -> int:
    """How many months on 本月/下个月/下下个月/this month/next month is."""
    return which.count("下") + which.count("next")


def _nth_of_month(ask: Ask, first: date, n: int) -> datetime:
    """The nth working day of first's month at the time asked; refused when the month has fewer."""
    team = ask.team()
    day = working_dates.nth_working_day(team, first, n)
    if day is None:
        count = len(working_dates.working_days_of_month(team, first))
        raise UnreadableDate(ask.text, _("That month has only {count} working days.").format(count=count))
    return ask.at(day)


def _ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def _echo(ask: Ask, moment: datetime) -> str:
    """The moment as the person checks it, in the language of the answer around it."""
    from bot.calendar.when import describe  # when imports this module: describe is ready by the time it runs

    return describe(moment, cast(ZoneInfo, ask.now.tzinfo))
