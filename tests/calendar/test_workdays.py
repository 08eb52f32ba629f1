"""Working days, business hours and SLA clocks (bot.calendar.workdays)."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.calendar.workdays import WorkCalendar, parse_business_hours

SHANGHAI = ZoneInfo("Asia/Shanghai")
NEW_YORK = ZoneInfo("America/New_York")

CN = WorkCalendar.from_settings("CN", "Asia/Shanghai", "09:00-18:00")
US = WorkCalendar.from_settings("US", "America/New_York", "09:00-18:00")
PLAIN = WorkCalendar.from_settings(None, "UTC", "08:00-16:30")
CALENDARS = [
    CN,
    US,
    PLAIN,
    WorkCalendar.from_settings("GB", "Europe/London", "09:30-17:30"),
]


def at(zone: ZoneInfo, year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """Build an aware datetime in a zone."""
    return datetime(year, month, day, hour, minute, tzinfo=zone)


def naive(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    """A wall-clock time without a zone: what the calendar must refuse, and hypothesis takes as bounds."""
    return datetime(year, month, day, hour, minute, tzinfo=UTC).replace(tzinfo=None)


# Working days ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "working"),
    [
        # Spring Festival 2026: make-up Saturdays 14 and 28 Feb, days off 15-23 Feb.
        (date(2026, 2, 13), True),
        (date(2026, 2, 14), True),
        (date(2026, 2, 15), False),
        (date(2026, 2, 16), False),
        (date(2026, 2, 17), False),
        (date(2026, 2, 18), False),
        (date(2026, 2, 19), False),
        (date(2026, 2, 20), False),
        (date(2026, 2, 23), False),
        (date(2026, 2, 24), True),
        (date(2026, 2, 28), True),
        (date(2026, 3, 1), False),
        # Golden week 2026: make-up Sunday 20 Sep and Saturday 10 Oct, off 1-7 Oct.
        (date(2026, 9, 20), True),
        (date(2026, 9, 25), False),
        (date(2026, 10, 1), False),
        (date(2026, 10, 7), False),
        (date(2026, 10, 8), True),
        (date(2026, 10, 10), True),
        (date(2026, 10, 11), False),
        # Golden week 2025: make-up Sunday 28 Sep and Saturday 11 Oct, off 1-8 Oct.
        (date(2025, 9, 28), True),
        (date(2025, 10, 8), False),
        (date(2025, 10, 11), True),
        # New Year 2026: 2 Jan is off in exchange for Sunday 4 Jan.
        (date(2026, 1, 2), False),
        (date(2026, 1, 4), True),
    ],
)
def test_china_holidays_and_make_up_days(day: date, working: bool) -> None:
    assert CN.is_working_day(day) is working


def test_china_holiday_names() -> None:
    assert CN.holiday_name(date(2026, 2, 17)) == "Chinese New Year (Spring Festival)"
    assert CN.holiday_name(date(2026, 2, 14)) is None
    chinese = WorkCalendar.from_settings("CN", "Asia/Shanghai", language="zh_CN")
    assert chinese.holiday_name(date(2026, 2, 17)) == "春节"


@pytest.mark.parametrize(
    ("day", "working", "name"),
    [
        (date(2026, 7, 3), False, "Independence Day (observed)"),
        (date(2026, 7, 4), False, "Independence Day"),
        (date(2026, 11, 26), False, "Thanksgiving Day"),
        (date(2026, 11, 27), True, None),
        (date(2026, 11, 28), False, None),
    ],
)
def test_us_holidays(day: date, working: bool, name: str | None) -> None:
    assert US.is_working_day(day) is working
    assert US.holiday_name(day) == name


def test_no_country_means_monday_to_friday() -> None:
    week = [date(2026, 12, 21) + timedelta(days=i) for i in range(7)]
    assert [PLAIN.is_working_day(day) for day in week] == [True] * 5 + [False] * 2
    assert PLAIN.holiday_name(date(2026, 12, 25)) is None
    assert PLAIN.missing_years([2026, 2090]) == []


def test_missing_years_flags_unpublished_china_calendars() -> None:
    assert CN.missing_years([2028, 2026, 2027, 2026]) == [2027, 2028]
    assert US.missing_years([2026, 2030]) == []
    assert US.missing_years([1700, 2026]) == [1700]


@pytest.mark.parametrize(
    ("day", "n", "expected"),
    [
        (date(2026, 2, 13), 1, date(2026, 2, 14)),
        (date(2026, 2, 14), 1, date(2026, 2, 24)),
        (date(2026, 2, 24), -1, date(2026, 2, 14)),
        (date(2026, 2, 17), 0, date(2026, 2, 24)),
        (date(2026, 2, 13), 0, date(2026, 2, 13)),
        (date(2026, 9, 30), 3, date(2026, 10, 10)),
    ],
)
def test_add_working_days(day: date, n: int, expected: date) -> None:
    assert CN.add_working_days(day, n) == expected


def test_working_days_between() -> None:
    assert CN.working_days_between(date(2026, 2, 13), date(2026, 2, 24)) == 2
    assert CN.working_days_between(date(2026, 2, 24), date(2026, 2, 13)) == -2
    assert CN.working_days_between(date(2026, 2, 24), date(2026, 2, 24)) == 0


# Business hours ----------------------------------------------------------------------------


def test_sla_started_friday_evening_ends_monday_noon() -> None:
    start = at(SHANGHAI, 2026, 3, 6, 17, 0)
    assert CN.add_business_time(start, timedelta(hours=4)) == at(SHANGHAI, 2026, 3, 9, 12, 0)


def test_sla_runs_on_a_make_up_saturday_and_skips_the_festival() -> None:
    start = at(SHANGHAI, 2026, 2, 13, 17, 0)
    assert CN.add_business_time(start, timedelta(hours=4)) == at(SHANGHAI, 2026, 2, 14, 12, 0)
    assert CN.add_business_time(start, timedelta(hours=12)) == at(SHANGHAI, 2026, 2, 24, 11, 0)


def test_results_are_utc_and_an_sla_may_end_at_closing() -> None:
    result = CN.add_business_time(at(SHANGHAI, 2026, 3, 9, 14, 0), timedelta(hours=4))
    assert result.tzinfo is UTC
    assert result == at(SHANGHAI, 2026, 3, 9, 18, 0)


def test_long_sla_of_120_business_hours() -> None:
    start = at(SHANGHAI, 2026, 9, 28, 9, 0)
    # 120 h is 13 days and 3 h; golden week pauses the clock from 1 to 7 October.
    assert CN.add_business_time(start, timedelta(hours=120)) == at(SHANGHAI, 2026, 10, 21, 12, 0)


def test_business_day_across_the_march_dst_switch() -> None:
    friday_open = at(NEW_YORK, 2026, 3, 6, 9, 0)
    monday_open = at(NEW_YORK, 2026, 3, 9, 9, 0)
    assert friday_open.astimezone(UTC).hour == 14
    assert monday_open.astimezone(UTC).hour == 13
    assert US.next_opening(at(NEW_YORK, 2026, 3, 6, 18, 0)) == monday_open
    assert US.add_business_time(at(NEW_YORK, 2026, 3, 6, 17, 0), timedelta(hours=2)) == at(
        NEW_YORK, 2026, 3, 9, 10, 0
    )
    week = US.business_time_between(friday_open, at(NEW_YORK, 2026, 3, 10, 9, 0))
    assert week == timedelta(hours=18)


def test_next_opening_and_is_business_time() -> None:
    inside = at(SHANGHAI, 2026, 3, 9, 10, 30)
    assert CN.is_business_time(inside)
    assert CN.next_opening(inside) == inside
    assert not CN.is_business_time(at(SHANGHAI, 2026, 3, 9, 18, 0))
    assert CN.next_opening(at(SHANGHAI, 2026, 3, 9, 18, 0)) == at(SHANGHAI, 2026, 3, 10, 9, 0)
    assert CN.next_opening(at(SHANGHAI, 2026, 2, 15, 9, 0)) == at(SHANGHAI, 2026, 2, 24, 9, 0)


def test_naive_datetimes_are_refused() -> None:
    naive_moment = naive(2026, 3, 9, 10, 0)
    with pytest.raises(ValueError, match="no time zone"):
        CN.add_business_time(naive_moment, timedelta(hours=1))
    with pytest.raises(ValueError, match="no time zone"):
        CN.is_business_time(naive_moment)


@pytest.mark.parametrize(
    ("country", "zone", "hours", "message"),
    [
        ("XX", "UTC", "09:00-18:00", "Unknown country code 'XX'"),
        ("CN", "Mars/Olympus", "09:00-18:00", "Unknown time zone"),
        ("CN", "Asia/Shanghai", "9 to 6", "not like 09:00-18:00"),
        ("CN", "Asia/Shanghai", "18:00-09:00", "open before they close"),
        ("CN", "Asia/Shanghai", "09:00-25:00", "impossible time"),
    ],
)
def test_bad_settings_are_refused_clearly(
    country: str, zone: str, hours: str, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        WorkCalendar.from_settings(country, zone, hours)


def test_settings_are_normalised() -> None:
    calendar = WorkCalendar.from_settings(" cn ", "Asia/Shanghai", "8:30 - 17:00")
    assert (calendar.country, calendar.day_start, calendar.day_end) == ("CN", time(8, 30), time(17))
    assert WorkCalendar.from_settings("", "UTC").country is None
    assert parse_business_hours("09:00–18:00") == (time(9), time(18))


# Properties --------------------------------------------------------------------------------

calendars = st.sampled_from(CALENDARS)
moments = st.datetimes(
    min_value=naive(2025, 1, 1), max_value=naive(2026, 12, 31), timezones=st.just(UTC)
)
durations = st.integers(min_value=0, max_value=200 * 60).map(lambda m: timedelta(minutes=m))
days = st.dates(min_value=date(2025, 1, 1), max_value=date(2026, 12, 31))
FEW = settings(max_examples=150, deadline=None)


@FEW
@given(calendars, moments, durations)
def test_business_time_added_is_business_time_elapsed(
    calendar: WorkCalendar, start: datetime, duration: timedelta
) -> None:
    end = calendar.add_business_time(start, duration)
    assert end >= start
    assert calendar.business_time_between(start, end) == duration
    assert calendar.business_time_between(calendar.next_opening(start), end) == duration


@FEW
@given(calendars, moments, durations)
def test_a_clock_ends_within_business_hours_or_at_closing(
    calendar: WorkCalendar, start: datetime, duration: timedelta
) -> None:
    end = calendar.add_business_time(start, duration)
    local = end.astimezone(calendar.timezone)
    assert calendar.is_working_day(local.date())
    assert calendar.is_business_time(end) or local.time() == calendar.day_end


@FEW
@given(calendars, moments, moments, durations, durations)
def test_business_time_is_monotonic(
    calendar: WorkCalendar, a: datetime, b: datetime, d1: timedelta, d2: timedelta
) -> None:
    (a, b), (d1, d2) = sorted((a, b)), sorted((d1, d2))
    assert calendar.add_business_time(a, d1) <= calendar.add_business_time(a, d2)
    assert calendar.add_business_time(a, d1) <= calendar.add_business_time(b, d1)


@FEW
@given(calendars, moments, moments, moments)
def test_elapsed_business_time_adds_up(
    calendar: WorkCalendar, a: datetime, b: datetime, c: datetime
) -> None:
    a, b, c = sorted((a, b, c))
    whole = calendar.business_time_between(a, c)
    assert whole == calendar.business_time_between(a, b) + calendar.business_time_between(b, c)
    assert calendar.business_time_between(c, a) == timedelta(0)


@FEW
@given(calendars, moments)
def test_next_opening_is_the_first_business_moment(
    calendar: WorkCalendar, moment: datetime
) -> None:
    opening = calendar.next_opening(moment)
    assert opening >= moment
    assert calendar.is_business_time(opening)
    assert calendar.business_time_between(moment, opening) == timedelta(0)
    assert (opening == moment) is calendar.is_business_time(moment)


@FEW
@given(calendars, days, st.integers(min_value=-40, max_value=40))
def test_working_days_round_trip(calendar: WorkCalendar, day: date, n: int) -> None:
    landed = calendar.add_working_days(day, n)
    assert calendar.is_working_day(landed)
    working = calendar.add_working_days(day, 0)
    assert calendar.working_days_between(working, calendar.add_working_days(working, n)) == n
