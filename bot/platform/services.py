"""What handlers, tick and the CLI share: settings, database, the Slack port and the clock."""

from __future__ import annotations

import contextvars
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from bot.calendar.workdays import WorkCalendar
from bot.platform import outbox
from bot.platform.config import Settings
from bot.platform.delivery import DeliveryWorker, Landed
from bot.platform.pacing import Pacer
from bot.platform.slack import SlackPort
from storage.db import Database

if TYPE_CHECKING:
    from bot.platform.metrics import Metrics


@dataclass(frozen=True)
class Landing:
    """Where a message delivered at once went: sent or still queued, and a link to it."""

    delivered: bool
    link: str | None
    failed: str | None = None  # Slack's error when it was refused for good (the person and admins are told)


class SystemClock:
    """The real time, in UTC."""

    def now(self) -> datetime:
        """Now, UTC-aware."""
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        """Wait for real."""
        time.sleep(seconds)


class ManualClock:
    """A clock that only moves when told to (sandbox and tests)."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("start must be timezone-aware")
        self._now = start.astimezone(UTC)
        self._lock = threading.Lock()

    def now(self) -> datetime:
        """The clock's current time."""
        with self._lock:
            return self._now

    def advance(self, by: timedelta) -> datetime:
        """Move forward by `by` and return the new time."""
        with self._lock:
            self._now += by
            return self._now

    def sleep(self, seconds: float) -> None:
        """Waiting moves the clock on, at once (so paced delivery takes no real time)."""
        self.advance(timedelta(seconds=seconds))

    def set(self, moment: datetime) -> None:
        """Jump to a moment."""
        with self._lock:
            self._now = moment.astimezone(UTC)


@dataclass
class Services:
    """The running parts of Rapport, passed explicitly to whoever needs them."""

    settings: Settings
    db: Database
    slack: SlackPort
    clock: SystemClock | ManualClock = field(default_factory=SystemClock)
    # Slack's pace as this process has used it: shared by every delivery pass (ticks, listeners).
    pacer: Pacer = field(default_factory=Pacer, repr=False)
    metrics: Metrics | None = field(default=None, repr=False)  # serving processes only: a cron tick has no scrape
    _calendar: WorkCalendar | None = field(default=None, init=False, repr=False)
    _worker: DeliveryWorker | None = field(default=None, init=False, repr=False)

    def now(self) -> datetime:
        """Now, by this deployment's clock."""
        return self.clock.now()

    def team_calendar(self) -> WorkCalendar:
        """The team's working calendar from the settings (built once)."""
        if self._calendar is None:
            settings = self.settings
            self._calendar = WorkCalendar.from_settings(
                settings.rapport_country, settings.rapport_timezone, settings.rapport_business_hours
            )
        return self._calendar

    def calendar_gaps(self) -> list[int]:
        """This year and next, where the team's holiday calendar lacks official data (make-up days unknown)."""
        year = self.now().astimezone(self.settings.zone).year
        return self.team_calendar().missing_years([year, year + 1])

    def start_delivery_worker(self) -> DeliveryWorker:
        """Deliver on this process's delivery worker from now on (started once; request threads only queue)."""
        if self._worker is None:
            self._worker = DeliveryWorker(self._deliver_and_locate)
        return self._worker

    def stop_delivery_worker(self) -> None:
        """Finish queued deliveries and stop the worker; later deliveries run on the caller's thread."""
        worker, self._worker = self._worker, None
        if worker is not None:
            worker.stop()

    def deliveries_idle(self, timeout: float) -> bool:
        """Wait until the delivery worker has nothing queued or in flight; False if it still has after `timeout` s."""
        return self._worker is None or self._worker.wait_idle(timeout)

    def deliver_and_link(self, key: str) -> Landing:
        """Deliver the message queued under `key` now, and say where it landed (a link, when Slack gives one)."""
        if self._worker is None:
            return self._landing(self._deliver_and_locate([key]), key)
        if not self._worker.deliver_now([key]):
            return Landing(delivered=False, link=None)  # Slack is slow: the reply says the card follows
        return self._landing(self._locate([key]), key)

    def deliver_then(self, key: str, reply: Callable[[Landing], object]) -> None:
        """Deliver `key` on the worker and then `reply` with where it landed, without waiting here."""
        if self._worker is None:
            reply(self._landing(self._deliver_and_locate([key]), key))
            return
        # The reply runs on the worker's thread but speaks for this request: in its language, with its context.
        request = contextvars.copy_context()
        self._worker.submit([key], then=lambda landed: request.run(reply, self._landing(landed, key)))

    def deliver(self, keys: list[str] | None = None) -> None:
        """Deliver due outbox messages now (only `keys` when given; an empty list delivers nothing)."""
        if keys is not None and not keys:
            return
        if keys is None or self._worker is None:
            self._deliver_due(keys)
            return
        self._worker.deliver_now(keys)

    def _deliver_due(self, keys: list[str] | None) -> outbox.DeliveryReport:
        return outbox.deliver_due(self.db, self.slack, now=self.now(), admins=tuple(self.settings.admins), keys=keys,
                                  clock=self.clock, pacer=self.pacer, observe=self.observe_delivery)

    def _deliver_and_locate(self, keys: list[str]) -> Landed:
        """Deliver `keys` and read, in one read-only session, where each of them landed."""
        self._deliver_due(keys)
        return self._locate(keys)

    def _locate(self, keys: list[str]) -> Landed:
        with self.db.session(read_only=True) as session:
            return outbox.delivered_many(session, keys=keys)

    def _landing(self, landed: Landed, key: str) -> Landing:
        """Where `key` landed, with a link to it when Slack gives one."""
        where = landed.get(key)
        if where is None:
            with self.db.session(read_only=True) as session:
                return Landing(delivered=False, link=None, failed=outbox.failed(session, key=key))
        link = self.slack.permalink(where.channel, where.ts) if where.channel and where.ts else None
        return Landing(delivered=True, link=link)

    @property
    def observe_delivery(self) -> outbox.Observer | None:
        """Where the outbox counts its sends (the metrics, when this process has them)."""
        return self.metrics.delivery if self.metrics is not None else None
