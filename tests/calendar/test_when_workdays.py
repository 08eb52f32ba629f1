"""Working-calendar dates: the real Chinese calendar with 调休, deadlines, and ambiguous input answered, not guessed."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.calendar.when import AmbiguousDate, UnreadableDate, read_when
from bot.calendar.workdays import WorkCalendar
from bot.rhythm.commands import read_title_and_when
from tests.calendar.test_when import NOW, TEAM, read

SHANGHAI = ZoneInfo("Asia/Shanghai")
# The State Council's 2026 notice: National Day 1-7 Oct off, Sunday 20 Sep and Saturday 10 Oct worked.
CN = WorkCalendar.from_settings("CN", "Asia/Shanghai")
BEFORE_NATIONAL_DAY = datetime(2026, 9, 28, 10, 0, tzinfo=SHANGHAI)


def cn(text: str, now: datetime = BEFORE_NATIONAL_DAY) -> datetime:
    return read_when(text, now=now, tz=SHANGHAI, calendar=CN)


def local(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("节后第一个工作日", local(2026, 10, 8)),
        ("节后第三个工作日", local(2026, 10, 10)),  # the make-up Saturday counts
        ("first working day after the holiday", local(2026, 10, 8)),
        ("下个工作日", local(2026, 9, 29)),
        ("3个工作日后", local(2026, 10, 8, 10)),
        ("下月第3个工作日", local(2026, 10, 10)),  # 8 Oct, 9 Oct, then the make-up Saturday
    ],
)
def test_the_chinese_calendar_with_make_up_days(text: str, expected: datetime) -> None:
    assert cn(text) == expected


def test_the_next_working_day_after_a_friday_before_a_make_up_saturday() -> None:
    assert cn("下个工作日", local(2026, 10, 9, 10)) == local(2026, 10, 10)
    assert cn("next working day", local(2026, 9, 30, 10)) == local(2026, 10, 8)


def test_closing_time_comes_from_the_teams_business_hours() -> None:
    late = WorkCalendar.from_settings("CN", "Asia/Shanghai", "08:30-17:30")
    assert read_when("下班前", now=BEFORE_NATIONAL_DAY, tz=SHANGHAI, calendar=late) == local(2026, 9, 28, 17, 30)
    # After closing, or on a day off, 下班前 is the next working day's closing time.
    assert cn("下班前", local(2026, 9, 30, 19)) == local(2026, 10, 8, 18)


@pytest.mark.parametrize("text", ["第三个工作日", "第3个工作日", "third working day", "3rd working day"])
def test_a_working_day_without_its_month_is_answered_with_the_reading_and_how_to_say_it(text: str) -> None:
    with pytest.raises(AmbiguousDate) as raised:
        read(text)
    message = raised.value.message
    assert text in message and ("12月3日" in message or "3 Dec" in message)
    assert ("下月第3个工作日" in message and "3个工作日后" in message) or (
        "3rd working day of next month" in message and "in 3 working days" in message)


@pytest.mark.parametrize(("text", "start"), [("下周二 14:00-15:00", "Tue 1 Dec 14:00"),
                                             ("下午2点到3点", "Fri 27 Nov 14:00"),
                                             ("next tuesday 2pm-3pm", "Tue 1 Dec 14:00")])
def test_a_time_range_is_answered_with_its_start(text: str, start: str) -> None:
    with pytest.raises(AmbiguousDate) as raised:
        read(text)
    assert start in raised.value.message and "start" in raised.value.message


def test_a_meeting_with_a_range_gets_the_answer_not_a_guess() -> None:
    with pytest.raises(AmbiguousDate, match="14:00"):
        read_title_and_when("周会 下周二 14:00-15:00", now=BEFORE_NATIONAL_DAY, calendar=CN)
    title, rule, dates = read_title_and_when("周会 下周二 14:00", now=BEFORE_NATIONAL_DAY, calendar=CN)
    assert title == "周会" and rule is None and dates[0].at == local(2026, 10, 6, 14)


@pytest.mark.parametrize("text", ["本周三", "这周一下午3点", "本月第3个工作日"])
def test_this_weeks_or_months_day_gone_by_is_refused_as_passed(text: str) -> None:
    with pytest.raises(UnreadableDate, match="passed"):
        read(text)


def test_a_month_with_fewer_working_days_says_how_many() -> None:
    with pytest.raises(UnreadableDate, match="only 24 working days"):
        read("下月第25个工作日")


@pytest.mark.parametrize("text", ["下个工作日", "下班前", "周五前", "下月第3个工作日", "节后第一个工作日", "月初"])
def test_working_calendar_forms_need_the_calendar(text: str) -> None:
    with pytest.raises(UnreadableDate, match="calendar"):
        read_when(text, now=NOW, tz=SHANGHAI)


def test_no_holiday_ahead_is_said() -> None:
    weekdays_only = WorkCalendar.from_settings(None, "Asia/Shanghai")
    with pytest.raises(UnreadableDate, match="no public holiday"):
        read_when("节后第一个工作日", now=NOW, tz=SHANGHAI, calendar=weekdays_only)


def test_the_table_calendar_counts_its_make_up_saturday() -> None:
    assert TEAM.is_working_day(date(2026, 12, 19)) and not TEAM.is_working_day(date(2027, 1, 1))


@pytest.mark.parametrize("text", ["3天前", "两周前", "一个月前"])
def test_ago_is_not_a_deadline(text: str) -> None:
    with pytest.raises(UnreadableDate, match="passed"):
        read(text)


def test_hours_ago_never_read_as_ahead() -> None:
    assert read("两小时前") <= NOW


@pytest.mark.parametrize("text", ["12月5日前", "5号前", "下月5日前"])
def test_a_date_before_which_is_a_deadline(text: str) -> None:
    assert read(text) == local(2026, 12, 5, 18)
