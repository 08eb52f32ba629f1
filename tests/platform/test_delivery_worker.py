"""The delivery worker: requests queued while it works go out together, and one failure stops nobody else."""

from __future__ import annotations

import threading
from collections.abc import Callable

from bot.platform.delivery import DeliveryWorker, Landed
from bot.platform.outbox import Delivered


class GatedDelivery:
    """A deliver function that records each pass and holds the first one until told to go on."""

    def __init__(self, fail: bool = False) -> None:
        self.passes: list[list[str]] = []
        self.started, self.go = threading.Event(), threading.Event()
        self.fail = fail

    def __call__(self, keys: list[str]) -> Landed:
        self.passes.append(keys)
        self.started.set()
        assert self.go.wait(30)
        if self.fail:
            raise RuntimeError("the database went away")
        return {key: Delivered("C0KUDOS", f"1.{n}") for n, key in enumerate(keys)}


def test_requests_queued_during_a_pass_go_out_together_in_the_next():
    deliver = GatedDelivery()
    worker = DeliveryWorker(deliver)
    try:
        worker.submit(["a"])
        assert deliver.started.wait(30)
        replies: list[Delivered | None] = []

        def reply_for(key: str) -> Callable[[Landed], None]:
            return lambda landed: replies.append(landed.get(key))

        later = [worker.submit([key], then=reply_for(key)) for key in ("b", "c", "d")]
        deliver.go.set()
        for done in later:
            done.result(30)
        assert deliver.passes == [["a"], ["b", "c", "d"]]
        assert replies == [Delivered("C0KUDOS", "1.0"), Delivered("C0KUDOS", "1.1"), Delivered("C0KUDOS", "1.2")]
        assert worker.wait_idle(30)
    finally:
        worker.stop()


def test_a_failing_reply_does_not_keep_the_others_from_theirs():
    deliver = GatedDelivery()
    deliver.go.set()
    worker = DeliveryWorker(deliver)
    replies: list[str] = []

    def broken(_landed: Landed) -> None:
        raise ValueError("a renderer bug")

    try:
        first = worker.submit(["a"], then=broken)
        second = worker.submit(["b"], then=lambda landed: replies.append("b" if "b" in landed else "-"))
        assert isinstance(first.exception(30), ValueError)
        second.result(30)
        assert replies == ["b"]
    finally:
        worker.stop()


def test_when_a_pass_fails_replies_say_nothing_landed_and_waiters_hear_why():
    deliver = GatedDelivery(fail=True)
    deliver.go.set()
    worker = DeliveryWorker(deliver)
    replies: list[Landed] = []
    try:
        worker.submit(["a"], then=replies.append).result(30)
        assert replies == [{}]  # the giver is told the card follows; the row waits for the next tick
        assert isinstance(worker.submit(["b"]).exception(30), RuntimeError)
    finally:
        worker.stop()
