"""Slack's pace: token buckets per channel and per method tier, and a clock the outbox can wait on."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol


class Clock(Protocol):
    """Tells the time and waits (the real one, or a manual one in the sandbox and tests)."""

    def now(self) -> datetime: ...

    def sleep(self, seconds: float) -> None: ...


class RealTime:
    """The real clock."""

    def now(self) -> datetime:
        """Now, UTC-aware."""
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        """Wait for real."""
        time.sleep(seconds)


@dataclass(frozen=True)
class Pace:
    """How fast one bucket refills (calls a second) and how many calls may go at once."""

    rate: float
    burst: int


# chat.postMessage: about one message a second per channel, short bursts tolerated (Slack's docs). A burst of
# two keeps one of Slack's tolerated burst in reserve, so a request that arrives late (and the next on time)
# is not answered 429.
CHANNEL_PACE = Pace(rate=1.0, burst=2)
# Tier 3 methods (chat.update): 50+ calls a minute per workspace, with bursts.
TIER_3_PACE = Pace(rate=50 / 60, burst=10)


@dataclass
class _Bucket:
    tokens: float
    at: datetime


class Pacer:
    """Token buckets for this process, keyed by what Slack limits ("channel:C1", "chat.update"); time is passed in."""

    def __init__(self) -> None:
        self._buckets: dict[str, _Bucket] = {}
        self._held: dict[str, datetime] = {}
        self._lock = threading.Lock()

    def _tokens(self, key: str, pace: Pace, now: datetime) -> float:
        bucket = self._buckets.get(key)
        if bucket is None:
            return float(pace.burst)
        elapsed = max((now - bucket.at).total_seconds(), 0.0)
        return min(float(pace.burst), bucket.tokens + elapsed * pace.rate)

    def ready_at(self, paces: dict[str, Pace], now: datetime) -> datetime:
        """The earliest moment a call limited by every one of `paces` may go."""
        moment = now
        with self._lock:
            for key, pace in paces.items():
                moment = max(moment, self._held.get(key, now))
                missing = 1.0 - self._tokens(key, pace, now)
                if missing > 0:
                    moment = max(moment, now + timedelta(seconds=missing / pace.rate))
        return moment

    def take(self, paces: dict[str, Pace], now: datetime) -> None:
        """Count one call against each of `paces` (made at `now`)."""
        with self._lock:
            for key, pace in paces.items():
                self._buckets[key] = _Bucket(self._tokens(key, pace, now) - 1.0, now)

    def hold(self, paces: dict[str, Pace], until: datetime) -> None:
        """Slack said to wait (429 Retry-After): nothing limited by `paces` goes before `until`."""
        with self._lock:
            for key in paces:
                self._held[key] = max(until, self._held.get(key, until))
