"""The generated half of the date table: what users type, each with the moment worked out here.

Expected moments are computed independently of bot.calendar: plain datetime arithmetic and a small
working-day walker over a known holiday set, read at NOW (Friday 27 Nov 2026, 10:00 Asia/Shanghai).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 27, 10, 0, tzinfo=SHANGHAI)
TODAY = NOW.date()
# The team's calendar for the table: New Year's Day off Friday to Sunday, and a made-up working Saturday
# (调休) in December, so counts across both differ from a plain Monday-to-Friday count.
HOLIDAYS = frozenset({date(2027, 1, 1), date(2027, 1, 2), date(2027, 1, 3)})
MAKEUP = frozenset({date(2026, 12, 19)})
CLOSING = (18, 0)

ZH_DIGITS = "零一二三四五六七八九"
EN_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
EN_SHORT = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ZH_DAYS = ("一", "二", "三", "四", "五", "六", "日")
ZH_WEEK = ("周", "星期", "礼拜")

Row = tuple[str, datetime]


def at(day: date, hour: int = 9, minute: int = 0) -> datetime:
    """A Shanghai moment."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=SHANGHAI)


def is_working(day: date) -> bool:
    """Monday to Friday, plus the make-up days, less the holidays."""
    return (day.weekday() < 5 or day in MAKEUP) and day not in HOLIDAYS


def working_days_after(day: date, n: int) -> date:
    """Walk n working days on from day."""
    while n:
        day += timedelta(days=1)
        n -= is_working(day)
    return day


def nth_of_month(year: int, month: int, n: int) -> date:
    """The nth working day of a month, by listing the month's days."""
    days = [date(year, month, d) for d in range(1, 32) if _exists(year, month, d)]
    return [day for day in days if is_working(day)][n - 1]


def _exists(year: int, month: int, day: int) -> bool:
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def monday_of(day: date) -> date:
    """The Monday of day's week."""
    return day - timedelta(days=day.weekday())


def soonest_weekday(weekday: int, hour: int, minute: int) -> datetime:
    """The next weekday at a time that is still ahead of NOW."""
    day = TODAY + timedelta(days=(weekday - TODAY.weekday()) % 7)
    moment = at(day, hour, minute)
    return moment if moment > NOW else at(day + timedelta(days=7), hour, minute)


def zh_number(n: int) -> str:
    """一, 十, 十二, 二十, 二十三: how Chinese writes small numbers."""
    tens, units = divmod(n, 10)
    if tens == 0:
        return ZH_DIGITS[units]
    return (ZH_DIGITS[tens] if tens > 1 else "") + "十" + (ZH_DIGITS[units] if units else "")


def ordinal(n: int) -> str:
    """1st, 2nd, 3rd, 4th, 11th, 21st."""
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def english_rows() -> list[Row]:
    """At least 200 English forms with their moments."""
    rows: list[Row] = []
    times = [("", 9, 0), (" 3pm", 15, 0), (" 15:00", 15, 0), (" 9:30am", 9, 30), (" morning", 9, 0),
             (" afternoon", 14, 0), (" evening", 18, 0)]
    for weekday, name in enumerate(EN_DAYS):
        for said, hour, minute in times:
            rows.append((f"{name}{said}", soonest_weekday(weekday, hour, minute)))
            for weeks, rel in ((1, "next "), (2, "next next ")):
                rows.append((f"{rel}{name}{said}", at(monday_of(TODAY) + timedelta(weeks=weeks, days=weekday),
                                                       hour, minute)))
    for weekday, name in enumerate(EN_SHORT):
        rows.append((f"{name} 4pm", soonest_weekday(weekday, 16, 0)))
        rows.append((f"next {name} 11:15", at(monday_of(TODAY) + timedelta(weeks=1, days=weekday), 11, 15)))
        for weeks in (1, 2, 3):
            rows.append((f"{EN_DAYS[weekday]} in {weeks} weeks",
                         at(monday_of(TODAY) + timedelta(weeks=weeks, days=weekday))))
    rows += [(f"in {n} days", at(TODAY + timedelta(days=n), 10)) for n in range(1, 11)]
    rows += [(f"in {n} weeks", at(TODAY + timedelta(weeks=n), 10)) for n in range(1, 5)]
    rows += [(f"in {n} hours", NOW + timedelta(hours=n)) for n in range(1, 9)]
    rows += [(f"in {n} minutes", NOW + timedelta(minutes=n)) for n in (5, 10, 15, 30, 45, 90)]
    rows += [(f"in {n} working days", at(working_days_after(TODAY, n), 10)) for n in range(1, 21)]
    rows += [(f"{n} business days from now", at(working_days_after(TODAY, n), 10)) for n in range(1, 6)]
    rows += [("next working day", at(working_days_after(TODAY, 1))),
             ("next business day 2pm", at(working_days_after(TODAY, 1), 14))]
    rows += [(f"{ordinal(n)} working day of next month", at(nth_of_month(2026, 12, n))) for n in range(1, 13)]
    rows += [("first working day of next month", at(nth_of_month(2026, 12, 1))),
             ("third business day of next month 10am", at(nth_of_month(2026, 12, 3), 10)),
             ("2nd working day of next next month", at(nth_of_month(2027, 1, 2)))]
    rows += [(f"{ordinal(d)} of next month", at(date(2026, 12, d))) for d in range(1, 11)]
    rows += [("next month on the 15th", at(date(2026, 12, 15))), ("20th of next month 3pm", at(date(2026, 12, 20), 15))]
    rows += [("start of next month", at(nth_of_month(2026, 12, 1))),
             ("beginning of month", at(nth_of_month(2026, 12, 1))),
             ("start of next next month", at(nth_of_month(2027, 1, 1)))]
    rows += [("eod", at(TODAY, *CLOSING)), ("end of day", at(TODAY, *CLOSING)), ("by eod", at(TODAY, *CLOSING)),
             ("friday eod", at(TODAY, *CLOSING)), ("monday end of day", at(date(2026, 11, 30), *CLOSING)),
             ("tomorrow end of day", at(TODAY + timedelta(days=1), *CLOSING)),
             ("close of business", at(TODAY, *CLOSING)), ("before friday", at(TODAY, *CLOSING)),
             ("before next tuesday", at(date(2026, 12, 1), *CLOSING)),
             ("in 2 weeks on monday", at(monday_of(TODAY) + timedelta(weeks=2)))]
    after_new_year = date(2027, 1, 4)  # Friday 1 Jan to Sunday 3 Jan are off
    rows += [("first working day after the holiday", at(after_new_year)),
             ("2nd working day after the holiday", at(working_days_after(after_new_year, 1))),
             ("after the holidays", at(after_new_year)),
             ("first business day after the next public holiday 10:30", at(after_new_year, 10, 30))]
    rows += [(f"12/{d:02d}", at(date(2026, 12, d))) for d in range(1, 32, 3)]
    return rows


def chinese_rows() -> list[Row]:
    """At least 200 Chinese forms with their moments, numerals in both scripts."""
    rows: list[Row] = []
    times = [("", 9, 0), ("下午3点", 15, 0), ("15:00", 15, 0), ("上午十点", 10, 0), ("下午三点半", 15, 30),
             ("晚上8点", 20, 0)]
    count = 0
    for weekday, name in enumerate(ZH_DAYS):
        for said, hour, minute in times:
            week = ZH_WEEK[count % 3]
            count += 1
            rows.append((f"{week}{name}{said}", soonest_weekday(weekday, hour, minute)))
            for weeks, rel in ((1, "下"), (2, "下下")):
                rows.append((f"{rel}{week}{name}{said}",
                             at(monday_of(TODAY) + timedelta(weeks=weeks, days=weekday), hour, minute)))
    for weekday, name in enumerate(ZH_DAYS):
        for weeks in (1, 2, 3):
            numeral = "两" if weeks == 2 else zh_number(weeks)
            rows.append((f"{numeral}周后的周{name}", at(monday_of(TODAY) + timedelta(weeks=weeks, days=weekday))))
    rows += [(f"{n if n % 2 else zh_number(n)}天后", at(TODAY + timedelta(days=n), 10)) for n in range(1, 11)]
    rows += [(f"{n if n % 2 else zh_number(n)}个工作日后", at(working_days_after(TODAY, n), 10)) for n in range(1, 21)]
    rows += [("下个工作日", at(working_days_after(TODAY, 1))), ("下一个工作日", at(working_days_after(TODAY, 1))),
             ("下个工作日下午2点", at(working_days_after(TODAY, 1), 14))]
    rows += [(f"{'下月' if n % 2 else '下个月'}第{n if n % 3 else zh_number(n)}个工作日", at(nth_of_month(2026, 12, n)))
             for n in range(1, 21)]
    rows += [("下下个月第二个工作日", at(nth_of_month(2027, 1, 2))),
             ("下月第3个工作日上午10点", at(nth_of_month(2026, 12, 3), 10))]
    rows += [(f"下个月{d if d % 2 else zh_number(d)}{'号' if d % 3 else '日'}", at(date(2026, 12, d)))
             for d in range(1, 29)]
    rows += [("月初", at(nth_of_month(2026, 12, 1))), ("下月初", at(nth_of_month(2026, 12, 1))),
             ("下下个月初", at(nth_of_month(2027, 1, 1)))]
    rows += [("下班前", at(TODAY, *CLOSING)), ("今天下班前", at(TODAY, *CLOSING)),
             ("本周五下班前", at(TODAY, *CLOSING)), ("下周一下班前", at(date(2026, 11, 30), *CLOSING)),
             ("周五前", at(TODAY, *CLOSING)), ("下周三前", at(date(2026, 12, 2), *CLOSING)),
             ("月底前", at(date(2026, 11, 30), *CLOSING)), ("明天下午3点前", at(TODAY + timedelta(days=1), 15)),
             ("本周五", at(TODAY)), ("本周六下午", at(TODAY + timedelta(days=1), 14)),
             ("这周日", at(TODAY + timedelta(days=2)))]
    after_new_year = date(2027, 1, 4)
    rows += [("节后第一个工作日", at(after_new_year)), ("节后第二个工作日", at(working_days_after(after_new_year, 1))),
             ("节后", at(after_new_year)), ("假期后第一个工作日上午10点", at(after_new_year, 10))]
    rows += [(f"12月{d if d % 4 == 1 else zh_number(d)}{'日' if d % 3 else '号'}", at(date(2026, 12, d)))
             for d in range(1, 32, 2)]
    rows += [(f"{d}号", at(date(2026, 12, d))) for d in range(1, 27, 3)]
    return rows
