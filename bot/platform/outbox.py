"""Durable delivery: queue with a dedupe key, then deliver with retries, backoff and leases."""

from __future__ import annotations

import itertools
import logging
import os
import re
import socket
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar, Protocol

from sqlmodel import Session

from bot.platform import cards
from bot.platform.cards import C, Card, CardKind
from bot.platform.pacing import CHANNEL_PACE, TIER_3_PACE, Clock, Pace, Pacer, RealTime
from storage.accounts import channel_account_language
from storage.db import Database
from storage.platform import outbox as store

log = logging.getLogger(__name__)
deliveries_log = logging.getLogger("rapport.delivery")

Observer = Callable[[str, "str | None"], None]  # (outcome, Slack's error) of each send, for the metrics

# A claimed batch is held this long from the claim, renewed whenever less than LEASE_MARGIN is left
# before a send: far more than one send can take (a 10 s timeout, no inline retries on 429).
LEASE = timedelta(minutes=2)
LEASE_MARGIN = timedelta(minutes=1)
MAX_PACING_WAIT = 2.0  # seconds a delivery pass sleeps for a channel's turn; longer waits go back to the queue
FOLLOW_ON = 5  # messages of their lanes a pass for given keys delivers beyond those keys
MAX_AHEAD = 50  # others' messages a pass for given keys sends ahead of them in their lanes, at most
MAX_TRIES_IN_PASS = 3  # sends of one message in one pass when Slack keeps answering 429 with a short wait
MAX_ATTEMPTS = 8
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
WAIT_FOR_ORIGINAL = timedelta(seconds=30)
FAILURE_ALERT_PREFIX = "outbox-failed:"
_PASSES = itertools.count(1)
_PERSON = re.compile(r"[UW][A-Z0-9]+")  # a Slack user id


class Method(StrEnum):
    """How a queued message reaches Slack."""

    POST = "post"  # a message in a channel
    DM = "dm"  # a direct message to a user
    UPDATE = "update"  # edit a message sent earlier through the outbox


@dataclass(frozen=True)
class Delivered:
    """Where Slack put a message."""

    channel: str | None
    ts: str | None


class DeliveryError(Exception):
    """Slack refused or could not be reached; `transient` errors are retried."""

    def __init__(self, error: str, *, transient: bool, retry_after: float | None = None) -> None:
        super().__init__(error)
        self.error = error
        self.transient = transient
        self.retry_after = retry_after


@dataclass(frozen=True)
class DeliveryFailedCard:
    """The notice that a message failed for good: to an admin, or (`to_actor`) to the person whose action sent it."""

    kind: ClassVar[CardKind] = CardKind.DELIVERY_FAILED
    message_id: int
    key: str
    error: str
    attempts: int
    to_actor: bool = False
    card_kind: str | None = None  # what failed (praise_card, complaint_card…), to name it for the person
    channel: str | None = None  # where it was going


class Sender(Protocol):
    """The port that turns a queued payload into a Slack call."""

    def send(self, method: Method, payload: dict[str, Any], original: Delivered | None) -> Delivered: ...


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    sent: list[str] = field(default_factory=list)
    retried: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _content(card: Card, actor: str | None) -> dict[str, Any]:
    content = {"kind": str(card.kind), "data": cards.dump(card)}
    if actor:
        content["actor"] = actor  # who is told if it fails for good
    return content


def _lane(method: Method, payload: dict[str, Any]) -> str:
    """Which messages must reach Slack in queue order: a channel's, a person's DMs, one message's edits."""
    if method == Method.POST:
        return f"channel:{payload['channel']}"
    if method == Method.DM:
        return f"dm:{payload['user']}"
    return f"edit:{payload['original_key']}"[:240]


def _paces(message: store.ClaimedMessage) -> dict[str, Pace]:
    """What Slack limits when this message is sent."""
    if message.method == Method.UPDATE:
        return {"chat.update": TIER_3_PACE}
    key = f"dm:{message.payload['user']}" if message.method == Method.DM else f"channel:{message.payload['channel']}"
    return {key: CHANNEL_PACE}


def post(session: Session, *, key: str, channel: str, card: Card, now: datetime,
         not_before: datetime | None = None, thread_ts: str | None = None, language: str | None = None,
         actor: str | None = None) -> bool:
    """Queue a card for a channel (a thread reply with `thread_ts`); False if already queued.

    It is rendered in `language`, else the language of the account the channel belongs to, else the default.
    `actor`, the person whose action sent it, is told (as well as the admins) if it fails for good.
    """
    payload = {"channel": channel, **_content(card, actor)}
    if thread_ts:
        payload["thread_ts"] = thread_ts
    language = language or channel_language(session, channel)
    if language:
        payload["language"] = language
    return store.add_message(session, key=key, method=Method.POST, payload=payload, now=now, not_before=not_before,
                             lane=_lane(Method.POST, payload))


def dm(session: Session, *, key: str, user: str, card: Card, now: datetime, not_before: datetime | None = None,
       language: str | None = None, actor: str | None = None) -> bool:
    """Queue a card as a direct message to a user; False if already queued.

    It is rendered in `language` (e.g. a customer's account's), else in the reader's own, looked up at delivery.
    `actor` is told (as well as the admins) if it fails for good.
    """
    payload = {"user": user, **_content(card, actor)}
    if language:
        payload["language"] = language
    return store.add_message(session, key=key, method=Method.DM, payload=payload, now=now, not_before=not_before,
                             lane=_lane(Method.DM, payload))


def update(session: Session, *, key: str, original_key: str, card: Card, now: datetime) -> bool:
    """Queue an edit of the message queued under `original_key`, showing `card`; False if already queued."""
    payload = {"original_key": original_key, **_content(card, None)}
    original = store.get_message(session, key=original_key)
    if original is not None:  # an edit speaks as the message it edits
        payload.update({name: original.payload[name] for name in ("language", "user") if name in original.payload})
    return store.add_message(session, key=key, method=Method.UPDATE, payload=payload, now=now,
                             lane=_lane(Method.UPDATE, payload))


def update_queued(session: Session, *, original_keys: Iterable[str], suffix: str, card: Card,
                  now: datetime) -> list[str]:
    """Queue an edit showing `card` (key `<original>:<suffix>`) of each of `original_keys` queued; the edits' keys."""
    keys = []
    for original in original_keys:
        if store.get_message(session, key=original) is not None:
            update(session, key=f"{original}:{suffix}", original_key=original, card=card, now=now)
            keys.append(f"{original}:{suffix}")
    return keys


def channel_language(session: Session, channel: str) -> str | None:
    """The language of the account a channel belongs to (None: the workspace default)."""
    return channel_account_language(session, channel_id=channel)


def queued_card(session: Session, *, key: str, card_type: type[C]) -> C | None:
    """The card queued under `key`, as its dataclass (None when nothing was queued there)."""
    message = store.get_message(session, key=key)
    if message is None:
        return None
    return cards.load(card_type, message.payload["data"])


def delivered(session: Session, *, key: str) -> Delivered | None:
    """Where the message queued under `key` landed, once it has been sent."""
    message = store.get_message(session, key=key)
    if message is None or message.status != store.OutboxStatus.SENT:
        return None
    return Delivered(message.result_channel, message.result_ts)


def delivered_many(session: Session, *, keys: Iterable[str]) -> dict[str, Delivered]:
    """Where each of the messages queued under `keys` landed, for those sent (one read)."""
    return {key: Delivered(channel, ts) for key, channel, ts in store.sent_messages(session, keys=list(keys))}


def failed(session: Session, *, key: str) -> str | None:
    """Why the message queued under `key` failed for good (None while it is queued, sent, or was never queued)."""
    message = store.get_message(session, key=key)
    if message is None or message.status != store.OutboxStatus.FAILED:
        return None
    return message.last_error or "unknown"


def default_owner() -> str:
    """A lease owner name unique to this delivery pass (passes in one process must not share leases either)."""
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{next(_PASSES)}"


def deliver_due(db: Database, sender: Sender, *, now: datetime, owner: str | None = None, admins: tuple[str, ...] = (),
                keys: list[str] | None = None, batch: int = 50, max_messages: int = 1000, clock: Clock | None = None,
                pacer: Pacer | None = None, max_wait: float = MAX_PACING_WAIT,
                observe: Observer | None = None) -> DeliveryReport:
    """Deliver every due message (or only `keys`), each exactly once across processes, at Slack's pace.

    Time runs from `now` as `clock` moves (real time by default). Waits of up to `max_wait` seconds for a
    channel's turn are slept; a longer wait, or a 429, puts the message back until then, and the rest go on.
    """
    run = _Run(db, sender, owner=owner or default_owner(), admins=admins, clock=_Elapsed(now, clock or RealTime()),
               pacer=pacer or Pacer(), max_wait=max_wait, observe=observe)
    report = DeliveryReport()
    # A message waits for the ones ahead in its lane: a pass for given keys goes on until each of them
    # still unsent has had its turn (up to MAX_AHEAD others' messages ahead of them go first), then follows
    # on with FOLLOW_ON more, so concurrent senders to one channel do not leave theirs to the next tick.
    follow_on = max_messages
    if keys is not None:
        follow_on = len(keys) + FOLLOW_ON
        max_messages = min(max_messages, follow_on + MAX_AHEAD)
    awaited = set(keys or ())
    handled, scope = 0, None
    try:
        while handled < max_messages and (handled < follow_on or awaited) and keys != []:
            with db.session() as session:
                # The last batch's sends are recorded in the next claim's transaction (nothing is sent in
                # between), before the claim, so the messages behind them in their lanes can be claimed.
                store.mark_sent(session, owner=run.owner, sent=run.unrecorded)
                if keys is not None and scope is None:
                    # The keys' lanes, read once: a pass's claims then filter by a lane or two, not by every key.
                    scope = store.claim_scope(session, keys=keys)
                    awaited &= scope.unsent
                claimed = store.claim_due_messages(session, now=run.clock.now(), owner=run.owner, lease=LEASE,
                                                   limit=min(batch, max_messages - handled), scope=scope)
            run.unrecorded = []  # committed (on an error they stay, for the `finally` below)
            if not claimed:
                break
            handled += len(claimed)
            run.deliver_batch(claimed, report)
            awaited.difference_update(message.dedupe_key for message in claimed)
    finally:
        run.record_sent()
    return report


class _Elapsed:
    """`start` moved on by as much as `clock` has moved since."""

    def __init__(self, start: datetime, clock: Clock) -> None:
        self._start, self._clock, self._origin = start, clock, clock.now()

    def now(self) -> datetime:
        return self._start + (self._clock.now() - self._origin)

    def sleep(self, seconds: float) -> None:
        self._clock.sleep(seconds)


@dataclass
class _Run:
    """One delivery pass: who holds the leases, where it sends, and the pace it keeps."""

    db: Database
    sender: Sender
    owner: str
    admins: tuple[str, ...]
    clock: _Elapsed
    pacer: Pacer
    max_wait: float
    observe: Observer | None = None
    unrecorded: list[store.Sent] = field(default_factory=list)  # sent, not yet marked so in the database

    def deliver_batch(self, claimed: list[store.ClaimedMessage], report: DeliveryReport) -> None:
        """Send a claimed batch (one message per lane), the lane whose turn comes first first, keeping the leases.

        What was sent is recorded in one transaction after the batch (with the next claim, or when the pass
        ends), or before the pass waits, renews its leases or edits a message, so a crash resends at most the
        sends since then (never a row in flight elsewhere: they stay leased to this pass until recorded).
        """
        waiting = list(claimed)
        lease_until = self.clock.now() + LEASE
        tries: dict[int, int] = {}
        while waiting:
            now = self.clock.now()
            turns = [(self.pacer.ready_at(_paces(message), now), index) for index, message in enumerate(waiting)]
            turn, index = min(turns)
            if turn > now:
                if (turn - now).total_seconds() > self.max_wait:
                    self._put_back(waiting, [at for at, _ in turns], now)
                    return
                self.record_sent()  # before idling, so what Slack has is known while the pass waits
                self.clock.sleep((turn - now).total_seconds())
                continue
            if lease_until - now < LEASE_MARGIN:
                self.record_sent()
                # Renewed before any send that could outlast the lease, so no other tick takes a row in flight.
                waiting, lease_until = self._renew(waiting, now), now + LEASE
                continue
            message = waiting.pop(index)
            self.pacer.take(_paces(message), now)
            tries[message.id] = tries.get(message.id, 0) + 1
            keep = self.max_wait if tries[message.id] < MAX_TRIES_IN_PASS else 0.0
            started = time.perf_counter()
            outcome = _deliver_one(self, message, now=now, report=report, keep_for=keep)
            self._record(message, outcome, time.perf_counter() - started)
            if outcome.keep:
                waiting.insert(index, message)

    def record_sent(self) -> None:
        """Mark the messages sent since the last time as sent, in one transaction."""
        if self.unrecorded:
            with self.db.session() as session:
                store.mark_sent(session, owner=self.owner, sent=self.unrecorded)
            self.unrecorded = []

    def _record(self, message: store.ClaimedMessage, outcome: _Outcome, seconds: float) -> None:
        """One log line per send (JSON fields with `--log-format json`), and the metrics."""
        if self.observe is not None:
            self.observe(outcome.name, outcome.error)
        deliveries_log.info("delivery %s %s", message.dedupe_key, outcome.name, extra={
            "key": message.dedupe_key, "method": message.method, "lane": message.lane, "outcome": outcome.name,
            "error": outcome.error, "attempt": message.attempts, "ms": round(seconds * 1000, 1)})

    def _renew(self, waiting: list[store.ClaimedMessage], now: datetime) -> list[store.ClaimedMessage]:
        ids = [message.id for message in waiting]
        with self.db.session() as session:
            held = set(store.extend_lease(session, message_ids=ids, owner=self.owner, until=now + LEASE))
        lost = [message.dedupe_key for message in waiting if message.id not in held]
        if lost:
            log.warning("outbox lease lost before sending %s; another deliverer has them", ", ".join(lost))
        return [message for message in waiting if message.id in held]

    def _put_back(self, waiting: list[store.ClaimedMessage], turns: list[datetime], now: datetime) -> None:
        """Release messages whose channel's turn is too far off; they keep their place in their lane."""
        with self.db.session() as session:
            for message, turn in zip(waiting, turns, strict=True):
                store.mark_postponed(session, message_id=message.id, owner=self.owner, not_before=max(turn, now))


@dataclass(frozen=True)
class _Outcome:
    """What became of one send: sent, retried, failed, or waiting for its original; `keep`: try again in this pass."""

    name: str
    error: str | None = None
    keep: bool = False


def _deliver_one(run: _Run, message: store.ClaimedMessage, *, now: datetime, report: DeliveryReport,
                 keep_for: float) -> _Outcome:
    """Send one claimed message and record the outcome in the database."""
    db, owner, admins = run.db, run.owner, run.admins
    original = None
    if message.method == Method.UPDATE:
        run.record_sent()  # its original may have been sent in this very batch
        with db.session() as session:
            original_row = store.get_message(session, key=message.payload["original_key"])
            if original_row is None or original_row.status == store.OutboxStatus.FAILED:
                _give_up(session, message, "the original message was never delivered", owner, admins, now, report)
                return _Outcome("failed", "original_not_delivered")
            if original_row.status != store.OutboxStatus.SENT:
                store.mark_postponed(session, message_id=message.id, owner=owner, not_before=now + WAIT_FOR_ORIGINAL)
                return _Outcome("waiting")
            original = Delivered(original_row.result_channel, original_row.result_ts)
    try:
        result = run.sender.send(Method(message.method), message.payload, original)
    except DeliveryError as exc:
        with db.session() as session:
            if exc.retry_after:
                # Slack said when (429): that channel waits, this message keeps its place and its attempts;
                # a wait up to `keep_for` is kept in this pass (tried again at its turn), a longer one queued.
                until = now + timedelta(seconds=exc.retry_after)
                run.pacer.hold(_paces(message), until)
                report.retried.append(message.dedupe_key)
                if exc.retry_after <= keep_for:
                    return _Outcome("retried", exc.error, keep=True)
                store.mark_postponed(session, message_id=message.id, owner=owner, not_before=until, error=exc.error)
                return _Outcome("retried", exc.error)
            if exc.transient and message.attempts < MAX_ATTEMPTS:
                store.mark_retry(session, message_id=message.id, owner=owner, error=exc.error,
                                 not_before=now + _backoff(message.attempts))
                report.retried.append(message.dedupe_key)
                return _Outcome("retried", exc.error)
            _give_up(session, message, exc.error, owner, admins, now, report)
        return _Outcome("failed", exc.error)
    except Exception as exc:  # a bug in a renderer must fail its own message, not stall the queue
        log.exception("outbox message %s (%s) could not be rendered or sent", message.id, message.dedupe_key)
        with db.session() as session:
            _give_up(session, message, f"could not render or send: {exc!r}", owner, admins, now, report)
        return _Outcome("failed", "render_error")
    run.unrecorded.append(store.Sent(message.id, run.clock.now(), result.channel, result.ts))
    report.sent.append(message.dedupe_key)
    return _Outcome("sent")


def _backoff(attempts: int) -> timedelta:
    return min(BASE_BACKOFF * (1 << max(attempts - 1, 0)), MAX_BACKOFF)


def _give_up(session: Session, message: store.ClaimedMessage, error: str, owner: str, admins: tuple[str, ...],
             now: datetime, report: DeliveryReport) -> None:
    """Keep the failed message with its error and tell the admins, and the person whose action sent it, once."""
    if not store.mark_failed(session, message_id=message.id, owner=owner, error=error):
        return
    report.failed.append(message.dedupe_key)
    log.warning("outbox message %s (%s) failed for good: %s", message.id, message.dedupe_key, error)
    if message.dedupe_key.startswith(FAILURE_ALERT_PREFIX):
        return  # an alert about an alert would loop
    card = DeliveryFailedCard(message_id=message.id, key=message.dedupe_key, error=error, attempts=message.attempts)
    actor = message.payload.get("actor")
    if isinstance(actor, str) and _PERSON.fullmatch(actor):  # a person, not the scheduler
        told = replace(card, to_actor=True, card_kind=message.payload.get("kind"),
                       channel=message.payload.get("channel") or message.payload.get("user"))
        dm(session, key=f"{FAILURE_ALERT_PREFIX}{message.id}:{actor}", user=actor, card=told, now=now)
    for admin in admins:
        if admin != actor:  # an admin who acted gets the personal notice only
            dm(session, key=f"{FAILURE_ALERT_PREFIX}{message.id}:{admin}", user=admin, card=card, now=now)
