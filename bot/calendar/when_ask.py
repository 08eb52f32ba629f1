"""What every reading of a plain-language date shares: the question asked, its errors and its echo.

Pure domain code, used by bot.calendar.when and bot.calendar.when_workdays.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol

from bot.platform.errors import InvalidInput
from bot.platform.i18n import _

DEFAULT_TIME = time(9, 0)

EXAMPLES: tuple[str, ...] = ("tomorrow 3pm", "next tuesday 15:00", "in 2 working days",
                              "dec 5 14:00", "明天下午3点", "下周一上午10点", "3天后", "月底")  # fmt: skip


class UnreadableDate(InvalidInput, ValueError):
    """The text is not a date we can read; the message shows forms that work."""

    def __init__(self, text: str, reason: str = "") -> None:
        super().__init__(unreadable(_("I couldn't read “{text}” as a date.").format(text=text.strip()), reason,
                                    EXAMPLES))
        self.text = text


class ImpossibleDate(UnreadableDate):
    """The text is a date, but not one to schedule: no such day, already past, or beyond the horizon.

    Unlike a plain UnreadableDate, it is never folded into a title: the date was read and refused.
    """


def unreadable(what: str, reason: str, examples: Iterable[str]) -> str:
    """An unreadable-input message: what could not be read, why (if known), and forms that work."""
    tried = ", ".join(f"“{example}”" for example in examples)
    return " ".join(filter(None, [what, reason, _("Try for example: {examples}.").format(examples=tried)]))


class WorkingDays(Protocol):
    """A team calendar: working days, holidays and closing time (bot.calendar.workdays.WorkCalendar is one)."""

    @property
    def day_end(self) -> time: ...

    def add_working_days(self, day: date, n: int) -> date: ...

    def is_working_day(self, day: date) -> bool: ...

    def holiday_name(self, day: date) -> str | None: ...


class AmbiguousDate(UnreadableDate):
    """The text has more than one reading: the message says which one was understood and how to say each."""

    def __init__(self, text: str, reading: str, fix: str) -> None:
        super().__init__(text)
        self.message = " ".join([_("I read “{text}” as {reading}.").format(text=text.strip(), reading=reading), fix])
        self.args = (self.message,)


@dataclass(frozen=True)
class Ask:
    """What one reading knows: the text, the local now, the calendar and any time of day given."""

    text: str
    now: datetime
    calendar: WorkingDays | None
    clock: time | None
    # The time of a day named without one: DEFAULT_TIME, or closing time for a deadline ("周五前").
    day_time: time = DEFAULT_TIME

    @property
    def minute(self) -> time:
        """The current time of day, to the minute."""
        return self.now.time().replace(second=0, microsecond=0)

    def at(self, day: date, default: time | None = None) -> datetime:
        """The given day at the time of day asked for, or at `default` (else the day's usual time)."""
        moment = datetime.combine(day, self.clock or default or self.day_time, tzinfo=self.now.tzinfo)
        # The round trip moves a time skipped by a DST change (02:30 in spring) to a real one.
        return moment.astimezone(UTC).astimezone(self.now.tzinfo)

    def team(self) -> WorkingDays:
        """The team's calendar, which working-day forms need."""
        if self.calendar is None:
            raise UnreadableDate(self.text, _("Working days need the team's calendar here."))
        return self.calendar

    def soonest(self, first: date, step: timedelta = timedelta(days=1)) -> datetime:
        """The first of first, first+step, ... whose moment is still ahead."""
        moment = self.at(first)
        while moment <= self.now:
            first += step
            moment = self.at(first)
        return moment
