"""Repeating rules IT-service people type, in English and Chinese, against dates this test computes by hand.

The expected dates come from plain loops over the calendar's working days (holidays off, 调休 on), not from
the rule code: every day, every working day, the last working day of a month, a day of the month (a day a
month lacks is its last day; a day off moves to the next working day), every other Wednesday and the first
working day of a quarter.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, datetime, time, timedelta
from itertools import islice
from zoneinfo import ZoneInfo

import pytest

from bot.calendar.recurrence import Frequency, Rule, describe_rule, parse_rule
from bot.calendar.workdays import WorkCalendar
from bot.platform import i18n

SHANGHAI = ZoneInfo("Asia/Shanghai")
CN = WorkCalendar.from_settings("CN", "Asia/Shanghai", "09:00-18:00")
ONE = timedelta(days=1)
# Moments near the Spring Festival, May Day and National Day of 2026 (make-up Saturdays and Sundays around them).
AFTER = [datetime(2026, 2, 10, 12, tzinfo=SHANGHAI), datetime(2026, 4, 28, 12, tzinfo=SHANGHAI),
         datetime(2026, 9, 28, 12, tzinfo=SHANGHAI), datetime(2026, 12, 3, 8, tzinfo=SHANGHAI)]


def days_from(start: date) -> Iterator[date]:
    """Every day from `start` on."""
    day = start
    while True:
        yield day
        day += ONE


def month_starts(start: date) -> Iterator[date]:
    """The first day of `start`'s month (the one before, to catch a spill), then of each month after it."""
    year, month = (start.year, start.month - 1) if start.month > 1 else (start.year - 1, 12)
    while True:
        yield date(year, month, 1)
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)


def month_end(first: date) -> date:
    """The last day of the month starting on `first`."""
    return (first.replace(day=28) + timedelta(days=4)).replace(day=1) - ONE


def next_working(day: date) -> date:
    """`day` itself if a working day, else the next one."""
    while not CN.is_working_day(day):
        day += ONE
    return day


def every_day(start: date) -> Iterator[date]:
    return days_from(start)


def every_working_day(start: date) -> Iterator[date]:
    return (day for day in days_from(start) if CN.is_working_day(day))


def last_working_day_of_month(start: date) -> Iterator[date]:
    for first in month_starts(start):
        day = month_end(first)
        while not CN.is_working_day(day):
            day -= ONE
        yield day


def day_of_month(n: int) -> Callable[[date], Iterator[date]]:
    def days(start: date) -> Iterator[date]:
        for first in month_starts(start):
            yield next_working(first.replace(day=min(n, month_end(first).day)))
    return days


def every_other_wednesday(start: date) -> Iterator[date]:
    # The rhythm starts at the first Wednesday on or after `start` that is not a public holiday.
    day = start + timedelta(days=(2 - start.weekday()) % 7)
    while not CN.is_working_day(day):
        day += timedelta(days=7)
    while True:
        if CN.is_working_day(day):
            yield day
        day += timedelta(days=14)


def first_working_day_of_quarter(start: date) -> Iterator[date]:
    for first in month_starts(start):
        if first.month in (1, 4, 7, 10):
            yield next_working(first)


FORMS: list[tuple[str, str, Rule, Callable[[date], Iterator[date]], str]] = [
    ("every day 09:00", "每天 上午9点", Rule(Frequency.DAY, time(9)), every_day, "every day at 09:00"),
    ("daily at 8:30", "每日 8:30", Rule(Frequency.DAY, time(8, 30)), every_day, "every day at 08:30"),
    ("every working day at 10am", "每个工作日 上午10点", Rule(Frequency.DAY, time(10), working_day=1),
     every_working_day, "every working day at 10:00"),
    ("every business day 15:00", "每工作日 15:00", Rule(Frequency.DAY, time(15), working_day=1),
     every_working_day, "every working day at 15:00"),
    ("last working day of every month at 4pm", "每月最后一个工作日 下午4点",
     Rule(Frequency.MONTH, time(16), working_day=-1), last_working_day_of_month,
     "on the last working day of every month at 16:00"),
    ("every month on the last working day 16:00", "每个月的最后一个工作日 16:00",
     Rule(Frequency.MONTH, time(16), working_day=-1), last_working_day_of_month,
     "on the last working day of every month at 16:00"),
    ("every month on the 5th at 10:00", "每月5号 上午10点", Rule(Frequency.MONTH, time(10), month_day=5),
     day_of_month(5), "on day 5 of every month at 10:00"),
    ("the 5th of every month 15:00", "每月五日 15:00", Rule(Frequency.MONTH, time(15), month_day=5),
     day_of_month(5), "on day 5 of every month at 15:00"),
    ("monthly on the 31st at 10:00", "每月31号 10:00", Rule(Frequency.MONTH, time(10), month_day=31),
     day_of_month(31), "the month's last day when it is shorter"),
    ("every other wednesday 10:00", "每两周周三 10:00", Rule(Frequency.WEEK, time(10), weekday=2, interval=2),
     every_other_wednesday, "every other Wednesday at 10:00"),
    ("every two weeks on wednesday at 10am", "每隔一周的星期三 上午10点",
     Rule(Frequency.WEEK, time(10), weekday=2, interval=2), every_other_wednesday, "every other Wednesday at 10:00"),
    ("first working day of every quarter at 10:00", "每季度第一个工作日 上午10点",
     Rule(Frequency.QUARTER, time(10), working_day=1), first_working_day_of_quarter,
     "on working day 1 of every quarter at 10:00"),
]
CASES = [(text, rule, expected, described) for en, zh, rule, expected, described in FORMS for text in (en, zh)]


@pytest.mark.parametrize(("text", "rule", "expected", "described"), CASES, ids=[case[0] for case in CASES])
@pytest.mark.parametrize("after", AFTER, ids=[f"{moment:%m-%d}" for moment in AFTER])
def test_each_form_reads_and_gives_the_next_three_dates(text, rule, expected, described, after):
    read = parse_rule(text)
    assert read == rule
    pinned = read.anchored(CN, after=after)
    assert parse_rule(pinned.text()) == pinned  # the stored form reads back, a fortnight with its first date
    got = [o.at.astimezone(SHANGHAI) for o in pinned.occurrences(CN, after=after, count=3)]
    moments = (datetime.combine(day, rule.at, tzinfo=SHANGHAI) for day in expected(after.date()))
    assert got == list(islice((moment for moment in moments if moment > after), 3))
    assert described in describe_rule(read)


def test_the_31st_falls_on_the_last_day_of_a_shorter_month():
    rule = parse_rule("每月31号 10:00")
    got = [o.at.astimezone(SHANGHAI).date() for o in rule.occurrences(
        CN, after=datetime(2026, 2, 1, tzinfo=SHANGHAI), count=6)]
    # 31 January is a Saturday: the next working day. February has 28 days (the 28th, a Saturday, is a 调休
    # working day); 31 May is a Sunday: the next working day; June has 30 days.
    assert got == [date(2026, 2, 2), date(2026, 2, 28), date(2026, 3, 31), date(2026, 4, 30), date(2026, 6, 1),
                   date(2026, 6, 30)]


def test_a_fortnight_keeps_its_rhythm_from_the_stored_first_date():
    stored = parse_rule("every other wednesday from 2026-12-09 at 10:00")
    later = [o.at.astimezone(SHANGHAI).date() for o in stored.occurrences(
        CN, after=datetime(2026, 12, 14, tzinfo=SHANGHAI), count=3)]
    assert later == [date(2026, 12, 23), date(2027, 1, 6), date(2027, 1, 20)]


@pytest.mark.parametrize(("text", "words"), [
    ("每天 9:00", "每天"), ("每个工作日 10:00", "每个工作日"), ("每月最后一个工作日 16:00", "最后一个工作日"),
    ("每月5号 10:00", "5"), ("每两周周三 10:00", "隔周"), ("每季度第一个工作日 10:00", "季度")])
def test_rules_are_described_in_chinese(text, words):
    with i18n.speaking("zh"):
        described = describe_rule(parse_rule(text))
    assert words in described
    assert not any("a" <= char <= "z" for char in described.lower())
