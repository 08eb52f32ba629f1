"""The delivery worker: one thread per process that sends queued messages in batches, off the request threads."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field

from bot.platform.outbox import Delivered

log = logging.getLogger(__name__)

MAX_KEYS_PER_PASS = 100  # keys handed to one deliver_due pass; the rest wait for the next pass
# How long a listener waits for the worker before replying anyway. Bolt acks on the listener threads,
# so listeners all waiting behind a slow Slack would keep new requests from acking in time.
WAIT_FOR_WORKER = 2.0

Landed = Mapping[str, Delivered]  # where each delivered key of a pass landed (undelivered keys are absent)
Deliver = Callable[[list[str]], Landed]
FollowUp = Callable[[Landed], object]


@dataclass
class Request:
    """Keys to deliver now and, once they are, what to do next (on the worker)."""

    keys: list[str]
    then: FollowUp | None = None
    done: Future[None] = field(default_factory=Future)


class DeliveryWorker:
    """Delivers the keys handed to it on one thread, many requests in one pass; woken by `submit`.

    Requests wait in memory only: their rows are already committed in the outbox, so a request lost
    with the process is delivered by the next tick.
    """

    def __init__(self, deliver: Deliver, *, name: str = "rapport-delivery") -> None:
        self._deliver = deliver
        self._queue: list[Request] = []
        self._busy = False
        self._stopping = False
        self._changed = threading.Condition()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()

    def submit(self, keys: list[str], then: FollowUp | None = None) -> Future[None]:
        """Deliver `keys` soon, then call `then` on the worker with where they landed; done after both."""
        request = Request(list(keys), then)
        with self._changed:
            if self._stopping:
                raise RuntimeError("the delivery worker has stopped")
            self._queue.append(request)
            self._changed.notify_all()
        return request.done

    def deliver_now(self, keys: list[str], timeout: float = WAIT_FOR_WORKER) -> bool:
        """Deliver `keys` on the worker and wait for it (inline on the worker itself); False if it took too long."""
        if threading.current_thread() is self._thread:
            self._deliver(keys)
            return True
        try:
            self.submit(keys).result(timeout)
        except FutureTimeout:
            return False  # still queued: the worker sends it when it gets there
        return True

    def wait_idle(self, timeout: float) -> bool:
        """Wait until nothing is queued or in flight; False if something still is after `timeout` seconds."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._queue and not self._busy, timeout)

    def stop(self, timeout: float = 5.0) -> None:
        """Finish what is queued, then end the thread."""
        with self._changed:
            self._stopping = True
            self._changed.notify_all()
        self._thread.join(timeout)

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            try:
                landed = self._deliver([key for request in batch for key in request.keys])
            except Exception as exc:  # the rows stay queued for the next tick; waiters must not hang
                log.exception("delivery pass failed")
                self._finish(batch, {}, exc)
                continue
            self._finish(batch, landed, None)

    def _next_batch(self) -> list[Request] | None:
        """Take queued requests up to MAX_KEYS_PER_PASS keys (at least one); None once stopped and drained."""
        with self._changed:
            self._busy = False
            self._changed.notify_all()
            self._changed.wait_for(lambda: self._queue or self._stopping)
            if not self._queue:
                return None
            taken, size = 0, 0
            while taken < len(self._queue) and (taken == 0 or size + len(self._queue[taken].keys) <= MAX_KEYS_PER_PASS):
                size += len(self._queue[taken].keys)
                taken += 1
            batch, self._queue = self._queue[:taken], self._queue[taken:]
            self._busy = True
            return batch

    def _finish(self, batch: list[Request], landed: Landed, error: Exception | None) -> None:
        """Run each request's follow-up (told nothing landed when the pass failed) and complete its future."""
        for request in batch:
            if error is not None and request.then is None:
                request.done.set_exception(error)
                continue
            try:
                if request.then is not None:
                    request.then(landed)
            except Exception as exc:  # one reply failing must not keep the others from theirs
                log.exception("follow-up after delivering %s failed", request.keys)
                request.done.set_exception(exc)
                continue
            request.done.set_result(None)
