"""Slack's pace as the stand-in enforces it, and gates that hold a call in flight until a test lets it go."""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field

GATE_TIMEOUT = 30.0  # seconds a held call waits for release before answering anyway (a test that forgot it)


@dataclass
class ChannelPace:
    """chat.postMessage at `per_second` per channel, `burst` at once; faster calls are answered 429."""

    per_second: float = 1.0
    burst: int = 3
    _buckets: dict[str, tuple[float, float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def retry_after(self, channel: str, now: float) -> int | None:
        """None if a message to `channel` may go at `now` (and count it); else the seconds to wait, as Slack says."""
        with self._lock:
            tokens, at = self._buckets.get(channel, (float(self.burst), now))
            tokens = min(float(self.burst), tokens + max(now - at, 0.0) * self.per_second)
            if tokens < 1.0:
                self._buckets[channel] = (tokens, now)
                return max(1, math.ceil((1.0 - tokens) / self.per_second))
            self._buckets[channel] = (tokens - 1.0, now)
            return None


class Gate:
    """Holds the next call of one method until released: a call that stays in flight as long as a test needs."""

    def __init__(self) -> None:
        self._arrived = threading.Event()
        self._released = threading.Event()

    def pass_through(self) -> None:
        """Called by the stand-in: say the call arrived, then wait to be let go."""
        self._arrived.set()
        self._released.wait(GATE_TIMEOUT)

    def wait_arrived(self, timeout: float = GATE_TIMEOUT) -> None:
        """Block until the held call has arrived; fail if it never does."""
        if not self._arrived.wait(timeout):
            raise AssertionError("the held call never arrived")

    def release(self) -> None:
        """Let the held call be answered."""
        self._released.set()
