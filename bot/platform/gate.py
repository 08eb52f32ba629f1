"""The gate in front of Bolt: a request acts only when Slack signed it recently and it was not seen before."""

from __future__ import annotations

import hashlib
import hmac
import json
import re
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from enum import Enum

from slack_sdk.signature import SignatureVerifier

from storage.db import Database
from storage.platform.seen import forget_expired, remember

SIGNATURE_WINDOW = 300  # seconds; Slack's own rule: a timestamp further than this from now is refused
# Slack retries an event it got no answer to up to three times, the last about 5 minutes after the first;
# an event id is remembered well past that.
EVENT_RETRY_WINDOW = timedelta(minutes=15)
PRUNE_EVERY = 60.0  # seconds between deletions of expired memories, per process
_TIMESTAMP = re.compile(r"[0-9]{1,12}")  # ASCII digits only: int() would also take " 1", "+1", "1_0" and "١"
_SIGNATURE = re.compile(r"v0=[0-9a-f]{64}")


class Verdict(Enum):
    """What to do with a request."""

    ACCEPT = "accept"  # signed, fresh and new: hand it to Bolt
    REFUSE = "refuse"  # not signed by Slack within the window: 401, nothing from it is used
    REPLAY = "replay"  # signed but already accepted once: 200, nothing done


@dataclass
class Gate:
    """Checks each request's signature and remembers accepted ones in the database for the signature window."""

    signing_secret: str
    db: Database
    clock: Callable[[], float] = time.time
    _pruned_at: float = field(default=float("-inf"), init=False)
    _prune_lock: threading.Lock = field(default_factory=threading.Lock, init=False)

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
            text = body.decode("utf-8")
        except UnicodeDecodeError:  # Slack only sends UTF-8; anything else was not signed by it
            return False
        # The window was checked above on our clock; slack_sdk computes the signature, compared in constant time.
        expected = SignatureVerifier(self.signing_secret).generate_signature(timestamp=timestamp, body=text)
        return expected is not None and hmac.compare_digest(expected, signature)

    def _first_time(self, body: bytes, timestamp: str, signature: str) -> bool:
        """Remember the request (and its event id); False when either was remembered already."""
        now = self.clock()
        keys = {_signature_key(timestamp, signature): _moment(int(timestamp) + SIGNATURE_WINDOW)}
        event_id = _event_id(body)
        if event_id:  # Slack's retries of an event are signed afresh but carry the same event id
            keys[_event_key(event_id)] = _moment(now) + EVENT_RETRY_WINDOW
        with self.db.session() as session:
            if self._prune_due(now):
                forget_expired(session, now=_moment(now))
            fresh = [remember(session, key=key, now=_moment(now), until=until) for key, until in keys.items()]
        return all(fresh)

    def _prune_due(self, now: float) -> bool:
        with self._prune_lock:
            if now - self._pruned_at < PRUNE_EVERY:
                return False
            self._pruned_at = now
            return True


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
