"""The gate in front of Bolt: a request acts only when Slack signed it recently and it was not seen before."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import Enum
from typing import Any, Protocol

from slack_sdk.signature import SignatureVerifier
from sqlalchemy import create_engine, event, make_url

from storage.db import make_engine
from storage.platform.seen import forget_expired, remember_all

SIGNATURE_WINDOW = 300  # seconds; Slack's own rule: a timestamp further than this from now is refused
# Slack retries an event it got no answer to up to three times, the last about 5 minutes after the first;
# an event id is remembered well past that.
EVENT_RETRY_WINDOW = timedelta(minutes=15)
PRUNE_EVERY = 60.0  # seconds between deletions of expired memories, per process
POOL_SIZE = 16  # connections of the replay memory: one per HTTP thread (bot/platform/http.py THREADS)
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # ASCII digits only: int() would also take " 1", "+1", "1_0" and "١"
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


class Verdict(Enum):
    """What to do with a request."""

    ACCEPT = "accept"  # signed, fresh and new: hand it to Bolt
    REFUSE = "refuse"  # not signed by Slack within the window: 401, nothing from it is used
    REPLAY = "replay"  # signed but already accepted once: 200, nothing done


class ReplayMemory(Protocol):
    """Where accepted requests are remembered."""

    def remember(self, keys: dict[str, datetime], now: datetime) -> bool:
        """Remember each key until its moment; False when any was remembered already and has not expired."""
        ...

    def close(self) -> None:
        """Release what the memory holds (connections)."""
        ...


class ProcessMemory:
    """Accepted requests remembered in this process: for SQLite, which serves one process.

    A write to SQLite on every request queued each ack behind the listeners' write transactions
    (p50 26 -> 107 ms in bench/praise_ack.py); a dict answers in microseconds.
    """

    def __init__(self, *, prune_every: float = PRUNE_EVERY) -> None:
        self._until: dict[str, datetime] = {}
        self._lock = threading.Lock()
        self._prune_every = timedelta(seconds=prune_every)
        self._pruned_at: datetime | None = None

    def remember(self, keys: dict[str, datetime], now: datetime) -> bool:
        """Remember each key until its moment; False when any was remembered already and has not expired."""
        with self._lock:
            if self._pruned_at is None or now - self._pruned_at >= self._prune_every:
                self._until = {key: until for key, until in self._until.items() if until > now}
                self._pruned_at = now
            seen = [key for key in keys if key in self._until and self._until[key] > now]
            self._until.update(keys)
            return not seen

    def close(self) -> None:
        """Forget everything."""
        with self._lock:
            self._until.clear()


class DatabaseMemory:
    """Accepted requests remembered in the `seen_request` table: every process on the database shares it."""

    def __init__(self, url: str, *, prune_every: float = PRUNE_EVERY) -> None:
        # An engine of its own: listeners holding pooled connections must never make an ack wait for one.
        if make_url(url).get_backend_name() != "postgresql":
            self.engine = make_engine(url)
        else:
            # One round trip per request: no BEGIN/COMMIT (autocommit) and no liveness ping (a dead connection
            # fails one request with 503, and the pool replaces it). Losing the last few memories in a crash
            # costs nothing (their signatures expire within minutes), so commits do not wait for the WAL flush.
            self.engine = create_engine(url, pool_size=POOL_SIZE, max_overflow=POOL_SIZE,
                                        isolation_level="AUTOCOMMIT")
            event.listen(self.engine, "connect", _no_synchronous_commit)
        self._prune_every = prune_every
        self._pruned_at = float("-inf")
        self._prune_lock = threading.Lock()

    def remember(self, keys: dict[str, datetime], now: datetime) -> bool:
        """Remember each key until its moment; False when any was remembered already and has not expired."""
        with self.engine.begin() as connection:
            if self._prune_due(now.timestamp()):
                forget_expired(connection, now=now)
            return remember_all(connection, keys, now=now)

    def close(self) -> None:
        """Close the memory's connections."""
        self.engine.dispose()

    def _prune_due(self, now: float) -> bool:
        with self._prune_lock:
            if now - self._pruned_at < self._prune_every:
                return False
            self._pruned_at = now
            return True


def _no_synchronous_commit(dbapi_connection: Any, _record: Any) -> None:
    with dbapi_connection.cursor() as cursor:
        cursor.execute("SET synchronous_commit = off")
    dbapi_connection.commit()


def replay_memory(database_url: str) -> ReplayMemory:
    """The shared table on PostgreSQL (several processes); this process's memory on SQLite (one process)."""
    if make_url(database_url).get_backend_name() == "sqlite":
        return ProcessMemory()
    return DatabaseMemory(database_url)


@dataclass
class Gate:
    """Checks each request's signature and remembers accepted ones for the signature window."""

    signing_secret: str
    memory: ReplayMemory
    clock: Callable[[], float] = time.time

    def admit(self, body: bytes, headers: Mapping[str, str]) -> Verdict:
        """Decide on one request from its raw body and headers (lower-case names)."""
        timestamp = headers.get("x-slack-request-timestamp", "")
        signature = headers.get("x-slack-signature", "")
        if not self.signed(body, timestamp, signature):
            return Verdict.REFUSE
        return Verdict.ACCEPT if self._first_time(body, timestamp, signature) else Verdict.REPLAY

    def signed(self, body: bytes, timestamp: str, signature: str) -> bool:
        """True when Slack signed this body with our secret within the signature window."""
        if not self.signing_secret or not _TIMESTAMP.fullmatch(timestamp) or not _SIGNATURE.fullmatch(signature):
            return False
        if abs(self.clock() - int(timestamp)) > SIGNATURE_WINDOW:
            return False
        try:
            decoded = body.decode("utf-8")
        except UnicodeDecodeError:  # Slack only sends UTF-8; anything else was not signed by it
            return False
        # The window was checked above on our clock; slack_sdk computes the signature, compared in constant time.
        expected = SignatureVerifier(self.signing_secret).generate_signature(timestamp=timestamp, body=decoded)
        return expected is not None and hmac.compare_digest(expected, signature)

    def _first_time(self, body: bytes, timestamp: str, signature: str) -> bool:
        """Remember the request (and its event id); False when either was remembered already."""
        now = _moment(self.clock())
        keys = {_signature_key(timestamp, signature): _moment(int(timestamp) + SIGNATURE_WINDOW)}
        event_id = _event_id(body)
        if event_id:  # Slack's retries of an event are signed afresh but carry the same event id
            keys[_event_key(event_id)] = now + EVENT_RETRY_WINDOW
        return self.memory.remember(keys, now)


def _moment(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def _signature_key(timestamp: str, signature: str) -> str:
    return "sig:" + hashlib.sha256(f"{timestamp}:{signature}".encode()).hexdigest()


def _event_key(event_id: str) -> str:
    return "event:" + hashlib.sha256(event_id.encode()).hexdigest()


def _event_id(body: bytes) -> str | None:
    """The Events API envelope's event id, if the (already verified) body is one."""
    if not body.lstrip().startswith(b"{"):
        return None  # form-encoded: commands and interactions, which Slack never retries
    try:
        envelope = json.loads(body)
    except ValueError:
        return None
    event_id = envelope.get("event_id") if isinstance(envelope, dict) else None
    return event_id if isinstance(event_id, str) and event_id else None
