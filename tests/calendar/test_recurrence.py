"""Repeating times: what users type, and the occurrences the team's calendar (CN 2026) gives them."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.calendar.recurrence import (
    MAX_WORKING_DAY,
    Frequency,
    Period,
    Rule,
    UnreadableRule,
    describe_rule,
    parse_rule,
    period_label,
    rule_start_positions,
    working_day_of,
)
from bot.calendar.workdays import WorkCalendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
CN = WorkCalendar.from_settings("CN", "Asia/Shanghai", "09:00-18:00")
PLAIN = WorkCalendar.from_settings(None, "Europe/London", "09:00-17:00")


def local(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    """A Shanghai moment."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


PARSED: list[tuple[str, Rule]] = [
    ("every tuesday 15:00", Rule(Frequency.WEEK, time(15), weekday=1)),
    ("every Tuesday at 3pm", Rule(Frequency.WEEK, time(15), weekday=1)),
    ("weekly on fridays 16:30", Rule(Frequency.WEEK, time(16, 30), weekday=4)),
    ("every week on monday at 9am", Rule(Frequency.WEEK, time(9), weekday=0)),
    ("every month on working day 10 at 10:00", Rule(Frequency.MONTH, time(10), working_day=10)),
    ("every month on the 10th working day at 10am", Rule(Frequency.MONTH, time(10), working_day=10)),
    ("monthly on working day 5", Rule(Frequency.MONTH, time(9), working_day=5)),
    ("every quarter on working day 3 at 14:00", Rule(Frequency.QUARTER, time(14), working_day=3)),
    ("every week on working day 1 at 09:30", Rule(Frequency.WEEK, time(9, 30), working_day=1)),
    ("每周二 15:00", Rule(Frequency.WEEK, time(15), weekday=1)),
    ("每周二下午3点", Rule(Frequency.WEEK, time(15), weekday=1)),
    ("每星期五 上午10点", Rule(Frequency.WEEK, time(10), weekday=4)),
    ("每周日", Rule(Frequency.WEEK, time(9), weekday=6)),
    ("每月第10个工作日 10:00", Rule(Frequency.MONTH, time(10), working_day=10)),
    ("每个月第五个工作日 9:30", Rule(Frequency.MONTH, time(9, 30), working_day=5)),
    ("每季度第3个工作日 14:00", Rule(Frequency.QUARTER, time(14), working_day=3)),
    ("每周第1个工作日 9:00", Rule(Frequency.WEEK, time(9), working_day=1)),
]


@pytest.mark.parametrize(("text", "rule"), PARSED, ids=[text for text, _rule in PARSED])
def test_rules_read_in_english_and_chinese(text, rule):
    assert parse_rule(text) == rule
    assert parse_rule(rule.text()) == rule  # the stored form reads back the same


@pytest.mark.parametrize("text", ["every blue moon", "every month on working day 30", "every tuesday 25:00",
                                  "每月第0个工作日", "every month on day 32", "每月32号",
                                  "every other wednesday from 2026-12-10", "tuesday 15:00", ""])
def test_unreadable_rules_answer_with_examples(text):
    with pytest.raises(UnreadableRule) as raised:
        parse_rule(text)
    assert "every month on working day 10 at 10:00" in raised.value.message
    assert "每月第10个工作日 10:00" in raised.value.message


def test_a_working_day_beyond_the_period_says_the_range():
    with pytest.raises(UnreadableRule, match="from 1 to 23 of the month"):
        parse_rule("every month on working day 24")
    assert MAX_WORKING_DAY[Frequency.QUARTER] == 66


def moments(text: str, after: datetime, count: int = 3, calendar: WorkCalendar = CN) -> list[datetime]:
    return [o.at.astimezone(calendar.timezone) for o in parse_rule(text).occurrences(calendar, after=after,
                                                                                   count=count)]


# (rule, after, the next occurrences; none in 2027, whose notice the holidays package lacks) — CN 2026: Spring
# Festival 15–23 Feb with Sat 14 Feb and Sat 28 Feb worked; National Day 1–7 Oct with Sun 20 Sep and Sat 10 Oct
# worked; New Year 1–2 Jan 2026 with Sun 4 Jan worked.
OCCURRENCES: list[tuple[str, datetime, list[datetime]]] = [
    # Weekly: a public holiday on the weekday is skipped; the week after goes on.
    ("every tuesday 15:00", local(2, 10, 16), [local(2, 24, 15), local(3, 3, 15), local(3, 10, 15)]),
    ("每周一 10:00", local(2, 14, 9), [local(3, 2, 10), local(3, 9, 10), local(3, 16, 10)]),
    ("every thursday 15:00", local(12, 30, 16, year=2025), [local(1, 8, 15), local(1, 15, 15), local(1, 22, 15)]),
    # Across a month end, and the same day later on.
    ("every friday at 17:00", local(1, 30, 17), [local(2, 6, 17), local(2, 13, 17), local(2, 27, 17)]),
    ("every tuesday 15:00", local(12, 1, 14), [local(12, 1, 15), local(12, 8, 15), local(12, 15, 15)]),
    # Monthly by working day: make-up Sundays and Saturdays count, holidays do not.
    ("every month on working day 1 at 10:00", local(12, 15, 0, year=2025),
     [local(1, 4, 10), local(2, 2, 10), local(3, 2, 10)]),
    ("every month on working day 11 at 10:00", local(2, 1, 0), [local(2, 14, 10), local(3, 16, 10),
                                                                 local(4, 16, 10)]),
    ("每月第10个工作日 10:00", local(1, 15, 11), [local(2, 13, 10), local(3, 13, 10), local(4, 15, 10)]),
    ("every month on working day 10 at 10:00", local(11, 27, 10), [local(12, 14, 10)]),
    # Quarterly: Q4 2026's third working day is the make-up Saturday after National Day.
    ("every quarter on working day 3 at 14:00", local(7, 3, 15), [local(10, 10, 14)]),
    ("每季度第3个工作日 14:00", local(1, 1, 0), [local(1, 6, 14), local(4, 3, 14), local(7, 3, 14)]),
    # Weekly by working day: Spring Festival week has none, so its first working day spills into the next week.
    ("every week on working day 1 at 09:00", local(2, 10, 0), [local(2, 24, 9), local(3, 2, 9), local(3, 9, 9)]),
]


@pytest.mark.parametrize(("text", "after", "expected"), OCCURRENCES,
                         ids=[f"{t}@{a:%Y-%m-%d}" for t, a, _e in OCCURRENCES])
def test_occurrences_follow_the_calendar(text, after, expected):
    assert moments(text, after, count=len(expected)) == expected


US = WorkCalendar.from_settings("US", "America/New_York", "09:00-18:00")


@pytest.mark.parametrize(
    ("calendar", "month_start", "n", "expected"),
    [
        (CN, date(2026, 1, 1), 1, date(2026, 1, 4)),  # New Year off, the make-up Sunday worked
        (CN, date(2026, 2, 1), 11, date(2026, 2, 14)),
        (CN, date(2026, 2, 1), 12, date(2026, 2, 24)),
        (CN, date(2026, 2, 1), 16, date(2026, 2, 28)),  # February's last
        (CN, date(2026, 5, 1), 1, date(2026, 5, 6)),
        (CN, date(2026, 10, 1), 1, date(2026, 10, 8)),
        (US, date(2026, 1, 1), 1, date(2026, 1, 2)),
        (US, date(2026, 12, 1), 22, date(2026, 12, 31)),  # December's last
    ],
)
def test_the_working_day_of_a_month(calendar, month_start, n, expected):
    assert working_day_of(calendar, Period(Frequency.MONTH, month_start), n) == expected


def test_a_month_short_of_working_days_spills_into_the_next():
    assert working_day_of(CN, Period(Frequency.MONTH, date(2026, 2, 1)), 17) == date(2026, 3, 2)


@pytest.mark.parametrize("calendar", [CN, US, PLAIN, WorkCalendar.from_settings("GB", "Europe/London", "09:30-17:30")],
                         ids=["CN", "US", "plain", "GB"])
def test_the_working_days_of_a_month_are_its_worked_days_in_order(calendar):
    for year, month in ((year, month) for year in (2025, 2026) for month in range(1, 13)):
        period = Period(Frequency.MONTH, date(year, month, 1))
        days = (period.start + timedelta(days=i) for i in range((period.end - period.start).days))
        worked = [day for day in days if calendar.is_working_day(day)]
        assert [working_day_of(calendar, period, n) for n in range(1, len(worked) + 1)] == worked
        assert working_day_of(calendar, period, len(worked) + 1) >= period.end


def test_a_week_of_holidays_spills_its_working_day_and_the_moment_comes_once():
    rule = parse_rule("every week on working day 1 at 09:00")
    found = rule.occurrences(CN, after=local(2, 1, 0), count=5)
    # The week of 16 Feb has no working day and the week of 23 Feb starts on Tue 24: one review, on Tue 24.
    assert [o.at.astimezone(SHANGHAI) for o in found] == [local(2, 2, 9), local(2, 9, 9), local(2, 24, 9),
                                                          local(3, 2, 9), local(3, 9, 9)]
    assert [o.period.start if o.period else None for o in found] == [
        date(2026, 2, 2), date(2026, 2, 9), date(2026, 2, 16), date(2026, 3, 2), date(2026, 3, 9)]


def test_occurrences_keep_the_local_time_across_a_dst_change():
    found = moments("every sunday 10:00", datetime(2026, 3, 20, tzinfo=ZoneInfo("Europe/London")), calendar=PLAIN)
    assert [m.hour for m in found] == [10, 10, 10]
    assert [m.utcoffset() for m in found] == [timedelta(0), timedelta(hours=1), timedelta(hours=1)]


def test_a_moment_exactly_at_an_occurrence_gives_the_next_one():
    assert moments("every tuesday 15:00", local(12, 1, 15), count=1) == [local(12, 8, 15)]


def test_working_day_occurrences_carry_their_home_period():
    rule = parse_rule("every month on working day 10 at 10:00")
    occurrence = rule.next_after(CN, after=local(11, 27, 10))
    assert occurrence.period == Period(Frequency.MONTH, date(2026, 12, 1))
    assert period_label(occurrence.period.previous()) == "November 2026"
    assert period_label(Period(Frequency.QUARTER, date(2026, 10, 1))) == "Q4 2026"
    assert period_label(Period.containing(Frequency.WEEK, date(2026, 11, 26))) == "the week of 23 Nov 2026"
    assert Period(Frequency.QUARTER, date(2026, 10, 1)).next() == Period(Frequency.QUARTER, date(2027, 1, 1))


def test_rules_are_described_for_people():
    assert describe_rule(parse_rule("每周二 15:00")) == "every Tuesday at 15:00"
    assert describe_rule(parse_rule("每月第10个工作日 10:00")) == "on working day 10 of every month at 10:00"


def test_a_rule_is_found_after_a_title():
    text = "Weekly sync every tuesday 15:00"
    assert rule_start_positions(text) == [0, 12]
    assert rule_start_positions("月度评审 每月第10个工作日 10:00") == [5]
