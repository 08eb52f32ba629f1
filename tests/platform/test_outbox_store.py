"""The outbox delivers each logical message once, retries what is transient, and keeps what fails."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.care.cards import PraiseCard
from bot.platform import outbox
from bot.platform.outbox import Delivered, DeliveryError, Method
from storage.platform.outbox import OutboxStatus, get_message, list_messages

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


class RecordingSender:
    """A Sender that records calls and can be told to fail."""

    def __init__(self, failures: list[DeliveryError] | None = None, pause: float = 0.0) -> None:
        self.calls: list[tuple[Method, dict[str, Any], Delivered | None]] = []
        self.failures = list(failures or [])
        self.pause = pause
        self.lock = threading.Lock()

    def send(self, method: Method, payload: dict[str, Any], original: Delivered | None) -> Delivered:
        with self.lock:
            self.calls.append((method, payload, original))
            failure = self.failures.pop(0) if self.failures else None
            number = len(self.calls)
        if self.pause:
            threading.Event().wait(self.pause)
        if failure:
            raise failure
        return Delivered(payload.get("channel", "D1"), f"1700000000.{number:06d}")


def a_card(n: int = 1, reason: str = "thanks") -> PraiseCard:
    return PraiseCard(praise_id=n, giver="U0ALICE", users=("U0BOB",), groups=(), reason=reason)


def queue_card(db, key: str = "praise:1:card", n: int = 1, reason: str = "thanks") -> None:
    with db.session() as session:
        outbox.post(session, key=key, channel="C0KUDOS", card=a_card(n, reason), now=NOW)


def test_the_same_key_is_queued_and_sent_once(db):
    queue_card(db)
    queue_card(db)
    sender = RecordingSender()
    report = outbox.deliver_due(db, sender, now=NOW)
    outbox.deliver_due(db, sender, now=NOW + timedelta(minutes=5))
    assert len(sender.calls) == 1
    assert report.sent == ["praise:1:card"]
    with db.session() as session:
        assert outbox.delivered(session, key="praise:1:card") == Delivered("C0KUDOS", "1700000000.000001")


def test_two_deliveries_at_the_same_moment_send_a_due_message_once(db):
    for n in range(20):
        queue_card(db, key=f"card:{n}", n=n)
    sender = RecordingSender(pause=0.01)
    threads = [threading.Thread(target=outbox.deliver_due, args=(db, sender), kwargs={"now": NOW, "owner": f"p{i}"})
               for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    sent_keys = sorted(call[1]["data"]["praise_id"] for call in sender.calls)
    assert sent_keys == list(range(20))
    with db.session() as session:
        assert {m.status for m in list_messages(session)} == {OutboxStatus.SENT}


def test_rate_limit_is_retried_after_retry_after(db):
    queue_card(db)
    sender = RecordingSender([DeliveryError("ratelimited", transient=True, retry_after=30)])
    first = outbox.deliver_due(db, sender, now=NOW)
    too_soon = outbox.deliver_due(db, sender, now=NOW + timedelta(seconds=10))
    later = outbox.deliver_due(db, sender, now=NOW + timedelta(seconds=31))
    assert first.retried == ["praise:1:card"] and too_soon.sent == [] and later.sent == ["praise:1:card"]
    assert len(sender.calls) == 2


def test_server_errors_back_off_and_finally_fail_with_admins_told_once(db):
    queue_card(db)
    failures = [DeliveryError("http_503", transient=True) for _ in range(outbox.MAX_ATTEMPTS)]
    sender = RecordingSender(failures)
    moment = NOW
    for _ in range(outbox.MAX_ATTEMPTS + 2):
        outbox.deliver_due(db, sender, now=moment, admins=("U0CAROL",))
        moment += outbox.MAX_BACKOFF
    with db.session() as session:
        failed = get_message(session, key="praise:1:card")
        assert failed is not None
        alert = get_message(session, key=f"{outbox.FAILURE_ALERT_PREFIX}{failed.id}:U0CAROL")
    assert alert is not None
    assert failed.status == OutboxStatus.FAILED and failed.last_error == "http_503"
    assert failed.attempts == outbox.MAX_ATTEMPTS
    assert alert.status == OutboxStatus.SENT and alert.payload["user"] == "U0CAROL"
    card_calls = [call for call in sender.calls if call[1]["kind"] == "praise_card"]
    alert_calls = [call for call in sender.calls if call[1]["kind"] == "delivery_failed"]
    assert len(card_calls) == outbox.MAX_ATTEMPTS and len(alert_calls) == 1


def test_permanent_errors_fail_at_once(db):
    queue_card(db)
    sender = RecordingSender([DeliveryError("channel_not_found", transient=False)])
    report = outbox.deliver_due(db, sender, now=NOW)
    assert report.failed == ["praise:1:card"] and len(sender.calls) == 1


def test_an_update_waits_for_its_original_and_edits_where_it_landed(db):
    with db.session() as session:
        outbox.post(session, key="card", channel="C0KUDOS", card=a_card(1), now=NOW,
                    not_before=NOW + timedelta(seconds=10))
        outbox.update(session, key="card:v2", original_key="card", card=a_card(2), now=NOW)
    sender = RecordingSender()
    assert outbox.deliver_due(db, sender, now=NOW).sent == []
    outbox.deliver_due(db, sender, now=NOW + outbox.WAIT_FOR_ORIGINAL + timedelta(seconds=1))
    methods = [(method, original) for method, _payload, original in sender.calls]
    assert methods == [(Method.POST, None), (Method.UPDATE, Delivered("C0KUDOS", "1700000000.000001"))]


def test_a_message_and_its_edit_due_together_go_out_in_one_pass(db):
    # The post's send is recorded before the edit looks for it, though a batch records its sends together.
    queue_card(db, key="card")
    with db.session() as session:
        outbox.update(session, key="card:v2", original_key="card", card=a_card(2), now=NOW)
    sender = RecordingSender()
    report = outbox.deliver_due(db, sender, now=NOW)
    assert report.sent == ["card", "card:v2"]
    assert [(method, original) for method, _payload, original in sender.calls] == [
        (Method.POST, None), (Method.UPDATE, Delivered("C0KUDOS", "1700000000.000001"))]


def test_every_message_of_a_batch_is_recorded_where_it_landed(db):
    with db.session() as session:
        for n in range(12):
            outbox.post(session, key=f"card:{n}", channel=f"C0CHAN{n:02d}", card=a_card(n), now=NOW)
    sender = RecordingSender()
    assert len(outbox.deliver_due(db, sender, now=NOW, batch=50).sent) == 12
    assert outbox.deliver_due(db, sender, now=NOW + outbox.LEASE * 2).sent == []  # nothing left to send twice
    with db.session() as session:
        landed = outbox.delivered_many(session, keys=[f"card:{n}" for n in range(12)])
    assert {key: where.channel for key, where in landed.items()} == {f"card:{n}": f"C0CHAN{n:02d}" for n in range(12)}


def test_an_update_of_a_message_that_failed_gives_up(db):
    queue_card(db, key="card")
    with db.session() as session:
        outbox.update(session, key="card:v2", original_key="card", card=a_card(2), now=NOW)
    sender = RecordingSender([DeliveryError("channel_not_found", transient=False)])
    report = outbox.deliver_due(db, sender, now=NOW)
    assert report.failed == ["card", "card:v2"] and len(sender.calls) == 1


def test_a_crashed_sender_is_taken_over_after_its_lease(db):
    queue_card(db)
    from storage.platform.outbox import claim_due_messages

    with db.session() as session:
        claimed = claim_due_messages(session, now=NOW, owner="crashed", lease=outbox.LEASE, limit=10)
    assert len(claimed) == 1
    sender = RecordingSender()
    assert outbox.deliver_due(db, sender, now=NOW + timedelta(seconds=5)).sent == []
    assert outbox.deliver_due(db, sender, now=NOW + outbox.LEASE + timedelta(seconds=1)).sent == ["praise:1:card"]


class BrokenRendererSender(RecordingSender):
    """Fails like a renderer bug on one kind of message."""

    def send(self, method: Method, payload: dict[str, Any], original: Delivered | None) -> Delivered:
        if payload["data"].get("reason") == "broken":
            raise KeyError("reason")
        return super().send(method, payload, original)


def test_a_message_that_cannot_be_rendered_fails_alone_and_admins_are_told(db):
    queue_card(db, key="bad", reason="broken")
    queue_card(db, key="good")
    sender = BrokenRendererSender()
    report = outbox.deliver_due(db, sender, now=NOW, admins=("U0CAROL",))
    assert report.failed == ["bad"] and "good" in report.sent
    with db.session() as session:
        bad = get_message(session, key="bad")
        assert bad is not None and bad.status == OutboxStatus.FAILED and "KeyError" in (bad.last_error or "")
        alert = get_message(session, key=f"{outbox.FAILURE_ALERT_PREFIX}{bad.id}:U0CAROL")
        assert alert is not None and alert.status == OutboxStatus.SENT

def test_a_reader_does_not_wait_for_a_writer(db):
    queue_card(db)
    if db.dialect != "sqlite":
        return  # PostgreSQL readers never wait for writers; SQLite's BEGIN IMMEDIATE would make them
    writing, release = threading.Event(), threading.Event()

    def hold_the_write_lock() -> None:
        with db.session() as session:
            outbox.post(session, key="praise:2:card", channel="C0KUDOS", card=a_card(2), now=NOW)
            writing.set()
            release.wait(30)

    writer = threading.Thread(target=hold_the_write_lock)
    writer.start()
    try:
        assert writing.wait(30)
        with db.session(read_only=True) as session:  # would wait out the busy timeout, then fail, with the lock
            assert outbox.queued_card(session, key="praise:1:card", card_type=PraiseCard) == a_card()
            assert get_message(session, key="praise:2:card") is None  # not committed yet
    finally:
        release.set()
        writer.join()


def test_a_pass_for_a_key_reaches_it_behind_more_than_follow_on_others_in_its_channel(db):
    # Under load, cards committed by other requests sit ahead in #kudos; the giver's own must still go
    # out in their pass, so the receipt can link it (not "it will appear shortly").
    from bot.platform.services import ManualClock

    ahead = [f"praise:{n}:card" for n in range(outbox.FOLLOW_ON + 3)]
    for n, key in enumerate(ahead):
        queue_card(db, key=key, n=n)
    queue_card(db, key="mine", n=99)
    report = outbox.deliver_due(db, RecordingSender(), now=NOW, keys=["mine"], clock=ManualClock(NOW))
    assert report.sent == [*ahead, "mine"]  # in queue order, the giver's card last
    with db.session() as session:
        assert outbox.delivered(session, key="mine") is not None


def test_a_pass_for_a_key_already_sent_follows_on_no_further_than_before(db):
    # Its card went out with another pass: this one must not drain the channel's backlog on the worker.
    from bot.platform.services import ManualClock

    queue_card(db, key="mine", n=99)
    outbox.deliver_due(db, RecordingSender(), now=NOW, keys=["mine"], clock=ManualClock(NOW))
    for n in range(outbox.FOLLOW_ON + 10):
        queue_card(db, key=f"praise:{n}:card", n=n)
    report = outbox.deliver_due(db, RecordingSender(), now=NOW, keys=["mine"], clock=ManualClock(NOW))
    assert len(report.sent) == 1 + outbox.FOLLOW_ON
