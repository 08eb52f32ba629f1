"""A whole Rapport in one process: the Slack stand-in, the real Bolt app on waitress, a manual clock.

Shared by the end-to-end tests, the benchmarks and `rapport sandbox`.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ParamSpec, TypeVar

from bot.platform import i18n
from bot.platform.app import create_app, listener_pool
from bot.platform.assemble import build_services
from bot.platform.config import Settings
from bot.platform.gate import Gate, replay_memory
from bot.platform.http import THREADS, create_server, listening_port
from bot.platform.scheduler import TickReport, next_due_at, tick
from bot.platform.services import ManualClock, Services
from bot.sandbox.stand_in.driver import SlackDriver
from bot.sandbox.stand_in.web_api import SlackStandIn
from bot.sandbox.stand_in.workspace import BOT_TOKEN
from bot.sandbox.stand_in.wsgi import ServingInTurns
from storage.migrate import ensure_current

SIGNING_SECRET = "stand-in-signing-secret"
IDLE_TIMEOUT = 30.0  # seconds the app may take to finish what it was sent (generous: test machines get busy)
MAX_TICKS = 500  # scheduler runs in one `travel`; more means something stays due and keeps failing
DEFAULTS: dict[str, Any] = {
    "rapport_kudos_channel": "C0KUDOS",
    "rapport_escalation_channel": "C0ESCAL",
    "rapport_managers": ["U0CAROL"],
    "rapport_timezone": "Asia/Shanghai",
    "rapport_country": "CN",
}


P = ParamSpec("P")
T = TypeVar("T")


class ListenerWatch(Executor):
    """Wraps Bolt's listener executor to tell when the app has finished every request it acked.

    Bolt acks a request, then runs the listener's work on this executor before it answers the HTTP
    request, so once a request has been answered its work is counted here until it is done.
    """

    def __init__(self, inner: Executor) -> None:
        self._inner = inner
        self._busy = 0
        self._changed = threading.Condition()

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Run `fn` on the wrapped executor, counting it as work in progress."""
        with self._changed:
            self._busy += 1
        try:
            future = self._inner.submit(fn, *args, **kwargs)
        except BaseException:
            self._finished()
            raise
        future.add_done_callback(self._finished)
        return future

    def _finished(self, _future: Future[Any] | None = None) -> None:
        with self._changed:
            self._busy -= 1
            self._changed.notify_all()

    def wait_idle(self, timeout: float) -> bool:
        """Wait until no listener is running; False if one still is after `timeout` seconds."""
        with self._changed:
            return self._changed.wait_for(lambda: self._busy == 0, timeout)

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Shut the wrapped executor down."""
        self._inner.shutdown(wait=wait, cancel_futures=cancel_futures)


@dataclass
class Travel:
    """What `World.travel` did on the way: when the scheduler ran, and which of its features failed."""

    ticks: list[datetime] = field(default_factory=list)
    errors: set[str] = field(default_factory=set)
    cut_short: bool = False  # MAX_TICKS were run and the clock jumped the rest of the way


class World:
    """Stand-in Slack + Rapport over signed HTTP; use as a context manager."""

    def __init__(self, database_url: str, *, start: datetime, migrate: bool = False, **settings: Any) -> None:
        self.stand_in = SlackStandIn().start()
        values = {**DEFAULTS, **settings}
        self.settings = Settings(
            _env_file=None, slack_bot_token=BOT_TOKEN, slack_signing_secret=SIGNING_SECRET,
            slack_api_url=self.stand_in.api_url, database_url=database_url, **values,
        )
        self.clock = ManualClock(start)
        self._language_before = i18n.default_language()
        self.services: Services = build_services(self.settings, clock=self.clock, metrics=True)
        if migrate:
            ensure_current(self.services.db.engine)
        # Counting the listeners' work tells exactly when the app is done with what it was sent.
        self.listeners = ListenerWatch(listener_pool())
        self.app = create_app(self.services, listener_executor=self.listeners)
        sockets: dict[int, Any] = {}
        self.gate = Gate(SIGNING_SECRET, replay_memory(database_url))
        self.server = create_server(self.app, self.gate, services=self.services, host="127.0.0.1", port=0,
                                    threads=THREADS, map=sockets)
        self._serving = ServingInTurns(self.server, sockets, name="rapport-http")
        self.port = listening_port(self.server)
        self.url = f"http://127.0.0.1:{self.port}"
        self.slack = SlackDriver(self.url, SIGNING_SECRET, self.stand_in)

    def now(self) -> datetime:
        """The world's clock."""
        return self.clock.now()

    def wait_until_idle(self, timeout: float = IDLE_TIMEOUT) -> None:
        """Wait until the app has finished handling every request sent so far (for checks that nothing happened).

        Idle means no listener is running and the delivery worker has nothing queued or in flight; a
        listener hands deliveries to the worker before it finishes, so checking in this order suffices.
        """
        until = time.monotonic() + timeout
        if not (self.listeners.wait_idle(timeout)
                and self.services.deliveries_idle(max(until - time.monotonic(), 0.0))):
            raise AssertionError(f"the app was still busy after {timeout} s\n\n{self.stand_in.dump()}")

    def advance(self, by: timedelta) -> TickReport:
        """Move the clock forward and run one tick, as the scheduler would."""
        return self.tick(self.clock.advance(by))

    def travel(self, to: datetime, *, max_ticks: int = MAX_TICKS) -> Travel:
        """Move the clock to `to`, running the scheduler at each moment something falls due on the way, then at `to`.

        Production ticks every RAPPORT_TICK_SECONDS, so it acts within that interval of each due moment;
        ticking at the due moments themselves shows what it does, at the minute it does it. Work still
        waiting after a tick (Slack refused, a batch was full) is tried a tick interval later, as there.
        """
        now, journey = self.now(), Travel()
        retry = timedelta(seconds=self.settings.rapport_tick_seconds)
        while (due := next_due_at(self.services, now)) is not None:
            moment = due if due > now else now + retry
            if moment >= to:
                break
            if len(journey.ticks) == max_ticks:
                journey.cut_short = True
                break
            now = moment
            self.clock.set(now)
            journey.errors.update(self.tick(now).errors)
            journey.ticks.append(now)
        self.clock.set(to)
        journey.errors.update(self.tick(to).errors)
        journey.ticks.append(to)
        return journey

    def tick(self, at: datetime | None = None) -> TickReport:
        """Run one scheduler pass at `at` (default: the clock's now), once the app has finished what it was sent.

        A listener still delivering holds its channel's lane in the outbox, and the tick leaves that lane to it;
        waiting first makes what a tick sends the same on every run.
        """
        self.wait_until_idle()
        return tick(self.services, at or self.now())

    def close(self) -> None:
        """Stop the app server and the stand-in; release the database."""
        self._serving.stop()
        self.listeners.shutdown(wait=False)
        self.services.stop_delivery_worker()
        self.stand_in.stop()
        self.services.slack.people.flush()  # nothing half-written once the database is let go
        self.gate.memory.close()
        self.services.db.dispose()
        i18n.activate(self._language_before)  # a World in another language leaves the process's default as it was

    def __enter__(self) -> World:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()
