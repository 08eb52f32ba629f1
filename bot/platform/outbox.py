"""Durable delivery: queue with a dedupe key, then deliver with retries, backoff and leases."""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any, ClassVar, Protocol

from sqlmodel import Session

from bot.platform import cards
from bot.platform.cards import C, Card, CardKind
from storage.accounts import channel_account_language
from storage.db import Database
from storage.platform import outbox as store

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
WAIT_FOR_ORIGINAL = timedelta(seconds=30)
FAILURE_ALERT_PREFIX = "outbox-failed:"


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
    """An admin's notice that a message failed for good."""

    kind: ClassVar[CardKind] = CardKind.DELIVERY_FAILED
    message_id: int
    key: str
    error: str
    attempts: int


class Sender(Protocol):
    """The port that turns a queued payload into a Slack call."""

    def send(self, method: Method, payload: dict[str, Any], original: Delivered | None) -> Delivered: ...


@dataclass
class DeliveryReport:
    """What one delivery pass did."""

    sent: list[str] = field(default_factory=list)
    retried: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)


def _content(card: Card) -> dict[str, Any]:
    return {"kind": str(card.kind), "data": cards.dump(card)}


def post(session: Session, *, key: str, channel: str, card: Card, now: datetime,
         not_before: datetime | None = None, thread_ts: str | None = None, language: str | None = None) -> bool:
    """Queue a card for a channel (a thread reply with `thread_ts`); False if already queued.

    It is rendered in `language`, else the language of the account the channel belongs to, else the default.
    """
    payload = {"channel": channel, **_content(card)}
    if thread_ts:
        payload["thread_ts"] = thread_ts
    language = language or channel_language(session, channel)
    if language:
        payload["language"] = language
    return store.add_message(session, key=key, method=Method.POST, payload=payload, now=now, not_before=not_before)


def dm(session: Session, *, key: str, user: str, card: Card, now: datetime, not_before: datetime | None = None,
       language: str | None = None) -> bool:
    """Queue a card as a direct message to a user; False if already queued.

    It is rendered in `language` (e.g. a customer's account's), else in the reader's own, looked up at delivery.
    """
    payload = {"user": user, **_content(card)}
    if language:
        payload["language"] = language
    return store.add_message(session, key=key, method=Method.DM, payload=payload, now=now, not_before=not_before)


def update(session: Session, *, key: str, original_key: str, card: Card, now: datetime) -> bool:
    """Queue an edit of the message queued under `original_key`, showing `card`; False if already queued."""
    payload = {"original_key": original_key, **_content(card)}
    original = store.get_message(session, key=original_key)
    if original is not None:  # an edit speaks as the message it edits
        payload.update({name: original.payload[name] for name in ("language", "user") if name in original.payload})
    return store.add_message(session, key=key, method=Method.UPDATE, payload=payload, now=now)


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


def default_owner() -> str:
    """A lease owner name unique to this process."""
    return f"{socket.gethostname()}:{os.getpid()}"


def deliver_due(db: Database, sender: Sender, *, now: datetime, owner: str | None = None, admins: tuple[str, ...] = (),
                keys: list[str] | None = None, batch: int = 50, max_batches: int = 20) -> DeliveryReport:
    """Deliver every due message (or only `keys`), each exactly once across processes."""
    owner = owner or default_owner()
    report = DeliveryReport()
    for _ in range(max_batches):
        with db.session() as session:
            claimed = store.claim_due_messages(session, now=now, owner=owner, lease=LEASE, limit=batch, keys=keys)
        if not claimed:
            break
        for message in claimed:
            _deliver_one(db, sender, message, now=now, owner=owner, admins=admins, report=report)
        keys = None if keys is None else [key for key in keys if key not in report.sent + report.failed]
    return report


def _deliver_one(db: Database, sender: Sender, message: store.OutboxMessage, *, now: datetime, owner: str,
                 admins: tuple[str, ...], report: DeliveryReport) -> None:
    assert message.id is not None  # claimed rows come from the database
    original = None
    if message.method == Method.UPDATE:
        with db.session() as session:
            original_row = store.get_message(session, key=message.payload["original_key"])
            if original_row is None or original_row.status == store.OutboxStatus.FAILED:
                _give_up(session, message, "the original message was never delivered", owner, admins, now, report)
                return
            if original_row.status != store.OutboxStatus.SENT:
                store.mark_postponed(session, message_id=message.id, owner=owner, not_before=now + WAIT_FOR_ORIGINAL)
                return
            original = Delivered(original_row.result_channel, original_row.result_ts)
    try:
        result = sender.send(Method(message.method), message.payload, original)
    except DeliveryError as exc:
        with db.session() as session:
            if exc.transient and message.attempts < MAX_ATTEMPTS:
                wait = timedelta(seconds=exc.retry_after) if exc.retry_after else _backoff(message.attempts)
                store.mark_retry(session, message_id=message.id, owner=owner, error=exc.error, not_before=now + wait)
                report.retried.append(message.dedupe_key)
            else:
                _give_up(session, message, exc.error, owner, admins, now, report)
        return
    except Exception as exc:  # a bug in a renderer must fail its own message, not stall the queue
        log.exception("outbox message %s (%s) could not be rendered or sent", message.id, message.dedupe_key)
        with db.session() as session:
            _give_up(session, message, f"could not render or send: {exc!r}", owner, admins, now, report)
        return
    with db.session() as session:
        store.mark_sent(session, message_id=message.id, owner=owner, now=now, channel=result.channel, ts=result.ts)
    report.sent.append(message.dedupe_key)


def _backoff(attempts: int) -> timedelta:
    return min(BASE_BACKOFF * (1 << max(attempts - 1, 0)), MAX_BACKOFF)


def _give_up(session: Session, message: store.OutboxMessage, error: str, owner: str, admins: tuple[str, ...],
             now: datetime, report: DeliveryReport) -> None:
    """Keep the failed message with its error and tell the admins once."""
    assert message.id is not None
    if not store.mark_failed(session, message_id=message.id, owner=owner, error=error):
        return
    report.failed.append(message.dedupe_key)
    log.warning("outbox message %s (%s) failed for good: %s", message.id, message.dedupe_key, error)
    if message.dedupe_key.startswith(FAILURE_ALERT_PREFIX):
        return  # an alert about an alert would loop
    card = DeliveryFailedCard(message_id=message.id, key=message.dedupe_key, error=error, attempts=message.attempts)
    for admin in admins:
        dm(session, key=f"{FAILURE_ALERT_PREFIX}{message.id}:{admin}", user=admin, card=card, now=now)
