"""Which period a report covers, as typed: `2026-11`, `2026-Q4`, `last month`, `上个月`, `last quarter`, `本月`."""

from __future__ import annotations

import re
from datetime import date

from bot.calendar.recurrence import Frequency, Period
from bot.platform.i18n import _

PERIOD_EXAMPLES = "`2026-11`, `2026-Q4`, `last month`, `上个月`, `last quarter`, `上季度`, `本月`"
_MONTH = re.compile(r"^(?P<year>\d{4})\s*(?:-|/|年)\s*(?P<month>\d{1,2})\s*月?$")
_QUARTER = re.compile(r"^(?:(?P<year>\d{4})\s*(?:-|/|年)?\s*(?:q|第)\s*(?P<quarter>[1-4])\s*(?:季度)?"
                      r"|q(?P<quarter2>[1-4])\s+(?P<year2>\d{4}))$", re.IGNORECASE)
# Words for "the period before" and "this period", by frequency.
_RELATIVE: dict[str, tuple[Frequency, int]] = {
    "last month": (Frequency.MONTH, -1), "previous month": (Frequency.MONTH, -1), "上个月": (Frequency.MONTH, -1),
    "上月": (Frequency.MONTH, -1), "this month": (Frequency.MONTH, 0), "本月": (Frequency.MONTH, 0),
    "这个月": (Frequency.MONTH, 0), "last quarter": (Frequency.QUARTER, -1),
    "previous quarter": (Frequency.QUARTER, -1), "上季度": (Frequency.QUARTER, -1),
    "上个季度": (Frequency.QUARTER, -1), "this quarter": (Frequency.QUARTER, 0), "本季度": (Frequency.QUARTER, 0),
    "last week": (Frequency.WEEK, -1), "上周": (Frequency.WEEK, -1), "this week": (Frequency.WEEK, 0),
    "本周": (Frequency.WEEK, 0),
}
LONGEST_PERIOD_WORDS = 3  # "Q4 2026", "last month", "2026 年 11 月"


def read_period(text: str, *, today: date) -> Period | None:
    """The period `text` names, relative to `today` (the account's calendar day); None when it names none."""
    cleaned = " ".join(text.split()).casefold()
    relative = _RELATIVE.get(cleaned)
    if relative is not None:
        frequency, step = relative
        period = Period.containing(frequency, today)
        return period.previous() if step < 0 else period
    if match := _MONTH.match(cleaned):
        month = int(match["month"])
        return Period(Frequency.MONTH, date(int(match["year"]), month, 1)) if 1 <= month <= 12 else None
    if match := _QUARTER.match(cleaned):
        year, quarter = int(match["year"] or match["year2"]), int(match["quarter"] or match["quarter2"])
        return Period(Frequency.QUARTER, date(year, (quarter - 1) * 3 + 1, 1))
    return None


def unreadable_period_message(text: str) -> str:
    """What to say when a period cannot be read."""
    return _("I can't read “{text}” as a period. Try a month or a quarter, such as {examples}.").format(
        text=text, examples=PERIOD_EXAMPLES)


def period_slug(period: Period) -> str:
    """The period in file names: 2026-11, 2026-Q4, or the week's first day."""
    if period.frequency == Frequency.MONTH:
        return f"{period.start:%Y-%m}"
    if period.frequency == Frequency.QUARTER:
        return f"{period.start.year}-Q{(period.start.month - 1) // 3 + 1}"
    return period.start.isoformat()
