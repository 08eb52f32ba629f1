"""Working days, business hours and SLA clocks for a team's calendar.

Pure domain code: no Slack, no database, no reading of the current time. Holidays and official
make-up working days (China's 调休) come from the `holidays` package.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from functools import cache, lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays

ONE_DAY = timedelta(days=1)

# Countries whose government fixes the year's holidays and make-up working days by a notice
# published shortly before the year starts (China's State Council notice each November). For them
# the package's rule-based guess for a later year lacks the make-up days, so such a year counts as
# missing until a package release carries the notice.
YEARLY_NOTICE_COUNTRIES = frozenset({"BY", "CN", "RU"})

_HOURS_PATTERN = re.compile(r"^\s*([0-9]{1,2}):([0-9]{2})\s*[-–~]\s*([0-9]{1,2}):([0-9]{2})\s*$")


@cache
def _country_holidays(country: str, language: str) -> holidays.HolidayBase:
    """Return the package's holiday object for a country, raising ValueError if unknown."""
    try:
        calendar = holidays.country_holidays(country, language=language)
    except NotImplementedError:  # how the holidays package says it has no such country
        raise ValueError(
            f"Unknown country code {country!r}: use an ISO 3166 code such as CN, US or GB."
        ) from None
    if language in calendar.supported_languages:
        return calendar
    # Given a language it lacks, the package would guess one from the LANG variables; the
    # country's own language keeps names the same on every machine.
    return holidays.country_holidays(country, language=calendar.default_language)


@lru_cache(maxsize=256)
def _year_data(
    country: str, language: str, year: int
) -> tuple[frozenset[date], dict[date, str]]:
    """Return the non-working days and the holiday names of one year, computed once."""
    # A fresh object per year keeps lookups from populating (and growing) a shared one.
    resolved = _country_holidays(country, language).language
    calendar = holidays.country_holidays(country, years=year, language=resolved)
    first = date(year, 1, 1)
    days = (first + timedelta(days=i) for i in range((date(year + 1, 1, 1) - first).days))
    # The package's own test honours the country's weekend and its make-up working days.
    off_days = frozenset(day for day in days if not calendar.is_working_day(day))
    return off_days, dict(calendar.items())


def _last_notice_year(calendar: holidays.HolidayBase) -> int | None:
    """Return the last year for which the package carries make-up working days."""
    specials = getattr(calendar, "special_public_holidays", {})
    # Substituted entries are (month, day, from_month, from_day[, from_year]); plain specials
    # are (month, day, name).
    years = []
    for year, entries in specials.items():
        rows = entries if isinstance(entries[0], tuple) else (entries,)
        if any(len(row) >= 4 for row in rows):
            years.append(year)
    return max(years, default=None)


def _estimated_marker(calendar: holidays.HolidayBase) -> str | None:
    """Return the text the package adds to holiday names whose date is only estimated."""
    label = getattr(calendar, "estimated_label", None)
    if not label:
        # Translating an empty label would return the gettext catalogue header.
        return None
    # The same stripping the package applies itself, e.g. "%s (estimated)" -> "estimated".
    return calendar.tr(label).strip("%s ()（）") or None


def _require_aware(moment: datetime) -> datetime:
    """Return the moment in UTC, refusing naive datetimes."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"Datetime {moment.isoformat()} has no time zone; pass an aware one.")
    return moment.astimezone(UTC)


def parse_business_hours(text: str) -> tuple[time, time]:
    """Parse "09:00-18:00" into opening and closing times, raising ValueError if unreadable."""
    match = _HOURS_PATTERN.match(text or "")
    if not match:
        raise ValueError(f"Business hours {text!r} are not like 09:00-18:00.")
    h1, m1, h2, m2 = (int(part) for part in match.groups())
    if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
        raise ValueError(f"Business hours {text!r} contain an impossible time.")
    start, end = time(h1, m1), time(h2, m2)
    if start >= end:
        raise ValueError(f"Business hours {text!r} must open before they close on the same day.")
    return start, end


@dataclass(frozen=True)
class WorkCalendar:
    """A team's working days (country holidays and make-up days) and daily business hours."""

    country: str | None
    timezone: ZoneInfo
    day_start: time
    day_end: time
    # Language of holiday names; a country without it falls back to its own language.
    language: str = "en_US"

    def __post_init__(self) -> None:
        if self.country is not None:
            _country_holidays(self.country, self.language)
        if self.day_start >= self.day_end:
            raise ValueError("Business hours must open before they close on the same day.")

    @classmethod
    def from_settings(
        cls,
        country: str | None,
        timezone: str,
        business_hours: str = "09:00-18:00",
        language: str = "en_US",
    ) -> WorkCalendar:
        """Build a calendar from settings text, raising ValueError with a clear message."""
        code = country.strip().upper() if country and country.strip() else None
        try:
            zone = ZoneInfo(timezone)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(
                f"Unknown time zone {timezone!r}: use an IANA name such as Asia/Shanghai."
            ) from None
        day_start, day_end = parse_business_hours(business_hours)
        return cls(code, zone, day_start, day_end, language)

    # Working days

    def is_working_day(self, day: date) -> bool:
        """Tell whether a date is worked: not a weekend or holiday, or an official make-up day."""
        if self.country is None:
            return day.weekday() < 5
        return day not in _year_data(self.country, self.language, day.year)[0]

    def holiday_name(self, day: date) -> str | None:
        """Return the name of the public holiday on a date, if any."""
        if self.country is None:
            return None
        return _year_data(self.country, self.language, day.year)[1].get(day)

    def missing_years(self, years: Iterable[int]) -> list[int]:
        """Return the years for which the package has no official holiday data for the country."""
        if self.country is None:
            return []
        calendar = _country_holidays(self.country, self.language)
        yearly = calendar.country in YEARLY_NOTICE_COUNTRIES
        last_notice = _last_notice_year(calendar) if yearly else None
        marker = _estimated_marker(calendar)
        missing = []
        for year in sorted(set(years)):
            names = _year_data(self.country, self.language, year)[1].values()
            if (
                not calendar.start_year <= year <= calendar.end_year
                or (last_notice is not None and year > last_notice)
                or (marker is not None and any(marker in name for name in names))
            ):
                missing.append(year)
        return missing

    def add_working_days(self, day: date, n: int) -> date:
        """Return the date n working days after day (before it if n < 0); n=0 rolls forward."""
        step = ONE_DAY if n >= 0 else -ONE_DAY
        # The start day itself never counts; with n=0 a day off rolls to the next working day.
        for _ in range(abs(n)):
            day += step
            while not self.is_working_day(day):
                day += step
        while not self.is_working_day(day):
            day += step
        return day

    def working_days_between(self, start: date, end: date) -> int:
        """Count working days after start up to and including end; negative if end < start."""
        if end < start:
            return -self.working_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += ONE_DAY
            count += self.is_working_day(day)
        return count

    # Business hours

    def _window(self, day: date) -> tuple[datetime, datetime] | None:
        """Return a local day's business hours as UTC opening and closing, or None if off."""
        if not self.is_working_day(day):
            return None
        # Wall-clock hours become instants per day, so a DST switch moves them in UTC.
        opens = datetime.combine(day, self.day_start, tzinfo=self.timezone).astimezone(UTC)
        closes = datetime.combine(day, self.day_end, tzinfo=self.timezone).astimezone(UTC)
        return (opens, closes) if opens < closes else None

    def _local_date(self, moment: datetime) -> date:
        """Return the date a UTC moment falls on in the calendar's zone."""
        return moment.astimezone(self.timezone).date()

    def is_business_time(self, moment: datetime) -> bool:
        """Tell whether the clock runs at a moment (opening included, closing excluded)."""
        moment = _require_aware(moment)
        window = self._window(self._local_date(moment))
        return window is not None and window[0] <= moment < window[1]

    def add_business_time(self, start: datetime, duration: timedelta) -> datetime:
        """Return when a clock started at start has run for duration of business time (UTC)."""
        moment = _require_aware(start)
        if duration < timedelta(0):
            raise ValueError("A business-time duration cannot be negative.")
        remaining = duration
        day = self._local_date(moment)
        # One step per calendar day: a long SLA costs days, never minutes.
        while True:
            window = self._window(day)
            if window is not None:
                begin = max(window[0], moment)
                if begin < window[1]:
                    available = window[1] - begin
                    if remaining <= available:
                        return begin + remaining
                    remaining -= available
            day += ONE_DAY

    def business_time_between(self, start: datetime, end: datetime) -> timedelta:
        """Return the business time elapsed from start to end (zero if end <= start)."""
        start, end = _require_aware(start), _require_aware(end)
        total = timedelta(0)
        if end <= start:
            return total
        day, last = self._local_date(start), self._local_date(end)
        while day <= last:
            window = self._window(day)
            if window is not None:
                low, high = max(window[0], start), min(window[1], end)
                if high > low:
                    total += high - low
            day += ONE_DAY
        return total

    def next_opening(self, moment: datetime) -> datetime:
        """Return the moment itself if the clock runs then, else the next opening (UTC)."""
        return self.add_business_time(moment, timedelta(0))
