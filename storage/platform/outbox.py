"""The outbox table: every message Rapport sends on its own waits here until Slack has it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, ColumnElement, Index, String, and_, bindparam, exists, func, or_, update
from sqlalchemy import select as core_select
from sqlmodel import Field, Session, SQLModel, col, select

from storage.db import insert_ignoring_conflicts, table_of
from storage.types import JSONData, UTCDateTime


class OutboxStatus(StrEnum):
    """Where a message is on its way to Slack."""

    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"


class OutboxMessage(SQLModel, table=True):
    """One logical notification, unique by its dedupe key."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_due", "status", "not_before"),
                      Index("ix_outbox_lane", "lane", "status", "lane_position"))

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=200, unique=True)
    method: str = Field(max_length=32)
    # Messages in one lane (a channel, a person's DMs, the edits of one message) reach Slack in queue order.
    lane: str | None = Field(default=None, max_length=240)
    # Its place in the lane: when it was first due. A retry moves `not_before`, never this.
    lane_position: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    payload: dict[str, Any] = Field(sa_column=Column(JSONData, nullable=False))
    status: OutboxStatus = Field(default=OutboxStatus.PENDING, sa_type=String(16))
    attempts: int = 0
    not_before: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    lease_owner: str | None = Field(default=None, max_length=64)
    lease_until: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    last_error: str | None = Field(default=None, max_length=500)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    sent_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    result_channel: str | None = Field(default=None, max_length=32)
    result_ts: str | None = Field(default=None, max_length=32)


_TABLE = table_of(OutboxMessage)


def add_message(session: Session, *, key: str, method: str, payload: dict[str, Any], now: datetime,
                not_before: datetime | None = None, lane: str | None = None) -> bool:
    """Queue a message unless its key is already queued; True if queued now."""
    values = {
        "dedupe_key": key,
        "method": method,
        "lane": lane,
        "lane_position": not_before or now,
        "payload": payload,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "not_before": not_before or now,
        "created_at": now,
    }
    return insert_ignoring_conflicts(session, OutboxMessage, values, key="dedupe_key")


@dataclass(frozen=True, slots=True)
class ClaimedMessage:
    """A message leased to one deliverer: what sending it needs."""

    id: int
    dedupe_key: str
    method: str
    lane: str | None
    payload: dict[str, Any]
    attempts: int


_CLAIMED = tuple(item.name for item in fields(ClaimedMessage))


@dataclass(frozen=True, slots=True)
class ClaimScope:
    """What a pass for given keys may claim: messages in these lanes, and these lane-less messages."""

    lanes: tuple[str, ...]
    keys: tuple[str, ...]
    unsent: frozenset[str] = frozenset()  # of the keys asked for, those still waiting or in flight


def claim_scope(session: Session, *, keys: list[str]) -> ClaimScope:
    """The lanes of the messages queued under `keys`, those of them without a lane, and which are unsent (one read)."""
    lanes: set[str] = set()
    lane_less: list[str] = []
    unsent: set[str] = set()
    for key, lane, status in session.execute(_SCOPE, {"scope_keys": keys}) if keys else ():
        if lane is None:
            lane_less.append(key)
        else:
            lanes.add(lane)
        if status in (OutboxStatus.PENDING, OutboxStatus.SENDING):
            unsent.add(key)
    return ClaimScope(tuple(sorted(lanes)), tuple(lane_less), frozenset(unsent))


def claim_due_messages(
    session: Session, *, now: datetime, owner: str, lease: timedelta, limit: int, scope: ClaimScope | None = None
) -> list[ClaimedMessage]:
    """Lease up to `limit` due messages to `owner`, the first of each lane; others skip them until the lease ends.

    With `scope`, only messages of its lanes and its lane-less keys.
    """
    params: dict[str, Any] = {"claim_now": now, "claim_limit": limit}
    if scope is None:
        query = _CLAIM_ANY
    else:
        query = _CLAIM_SCOPED
        params.update(claim_lanes=list(scope.lanes), claim_keys=list(scope.keys))
    ids = [row[0] for row in session.execute(query, params)]
    if not ids:
        return []
    leased = session.execute(_LEASE, {"lease_ids": ids, "lease_owner_": owner, "lease_until_": now + lease})
    return sorted((ClaimedMessage(*row) for row in leased), key=lambda claimed: claimed.id)


# The claim's statements are built once, values passed apart: building them per claim (ORM
# attributes, an aliased entity, keys in an IN list) cost several times the SQL (issue 10).
_EARLIER = _TABLE.alias("earlier")
_c, _e = _TABLE.c, _EARLIER.c
_NOW = bindparam("claim_now", type_=UTCDateTime())
_DUE = or_(
    and_(_c.status == OutboxStatus.PENDING, _c.not_before <= _NOW),
    and_(_c.status == OutboxStatus.SENDING, _c.lease_until < _NOW),
)
# A lane's next message waits for every unsent one ahead of it there: one in flight, one Slack
# asked to wait (429) or the pacer held back. So a channel gets its messages in order, and one
# deliverer (of all processes) holds a lane at a time.
_AHEAD = exists().where(
    _e.lane == _c.lane,
    _e.status.in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
    or_(_e.lane_position < _c.lane_position, and_(_e.lane_position == _c.lane_position, _e.id < _c.id)),
)
# SKIP LOCKED lets concurrent ticks on PostgreSQL take disjoint batches;
# SQLite ignores it and serialises the claim with BEGIN IMMEDIATE instead.
_CLAIM_ANY = (core_select(_c.id).where(_DUE, ~_AHEAD).order_by(_c.not_before, _c.id).limit(bindparam("claim_limit"))
              .with_for_update(skip_locked=True, of=_TABLE))
_CLAIM_SCOPED = _CLAIM_ANY.where(or_(_c.lane.in_(bindparam("claim_lanes", expanding=True)),
                                     _c.dedupe_key.in_(bindparam("claim_keys", expanding=True))))
_SCOPE = core_select(_c.dedupe_key, _c.lane, _c.status).where(
    _c.dedupe_key.in_(bindparam("scope_keys", expanding=True)))
# One UPDATE … RETURNING leases the rows and reads what sending needs, as plain tuples: building
# ORM objects for them cost more CPU than the statements (issue 10).
_LEASE = (
    update(_TABLE)
    .where(_c.id.in_(bindparam("lease_ids", expanding=True)))
    .values(status=OutboxStatus.SENDING, lease_owner=bindparam("lease_owner_"),
            lease_until=bindparam("lease_until_"), attempts=_c.attempts + 1)
    .returning(*(_c[name] for name in _CLAIMED))
)


def extend_lease(session: Session, *, message_ids: list[int], owner: str, until: datetime) -> list[int]:
    """Keep holding messages still leased to `owner` until `until`; the ids still held."""
    result = session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(message_ids), col(OutboxMessage.status) == OutboxStatus.SENDING,
               col(OutboxMessage.lease_owner) == owner)
        .values(lease_until=until)
        .returning(col(OutboxMessage.id))
    )
    return [row[0] for row in result]


def next_delivery_at(session: Session) -> datetime | None:
    """When a message is next due to Slack: the earliest waiting one, or a lease running out."""
    waiting = select(func.min(OutboxMessage.not_before)).where(OutboxMessage.status == OutboxStatus.PENDING)
    leased = select(func.min(OutboxMessage.lease_until)).where(OutboxMessage.status == OutboxStatus.SENDING)
    found = [session.exec(waiting).one(), session.exec(leased).one()]
    return min((moment for moment in found if moment is not None), default=None)


def _owned(message_id: int, owner: str) -> ColumnElement[bool]:
    return and_(
        col(OutboxMessage.id) == message_id,
        col(OutboxMessage.status) == OutboxStatus.SENDING,
        col(OutboxMessage.lease_owner) == owner,
    )


@dataclass(frozen=True, slots=True)
class Sent:
    """A message Slack has, when and where it landed."""

    message_id: int
    at: datetime
    channel: str | None
    ts: str | None


def mark_sent(session: Session, *, owner: str, sent: Sequence[Sent]) -> None:
    """Record delivered messages and where they landed (one statement, executed for each)."""
    if sent:
        session.execute(_MARK_SENT, [{"sent_id": item.message_id, "sent_owner": owner, "sent_now": item.at,
                                      "sent_channel": item.channel, "sent_ts": item.ts} for item in sent])


# Built once, values passed apart: it runs once per message sent, and building the statement each
# time cost more CPU than running it (issue 10). Parameter names differ from the columns they set.
_MARK_SENT = (
    update(_TABLE)
    .where(_TABLE.c.id == bindparam("sent_id"), _TABLE.c.status == OutboxStatus.SENDING,
           _TABLE.c.lease_owner == bindparam("sent_owner"))
    .values(status=OutboxStatus.SENT, sent_at=bindparam("sent_now"), result_channel=bindparam("sent_channel"),
            result_ts=bindparam("sent_ts"), lease_until=None, last_error=None)
)


def mark_retry(session: Session, *, message_id: int, owner: str, error: str, not_before: datetime) -> None:
    """Put a message back in the queue to try again later."""
    session.execute(
        update(OutboxMessage)
        .where(_owned(message_id, owner))
        .values(status=OutboxStatus.PENDING, not_before=not_before, last_error=error[:500], lease_until=None)
    )


def mark_postponed(session: Session, *, message_id: int, owner: str, not_before: datetime,
                   error: str | None = None) -> None:
    """Wait for something else first (Slack's pace, the original message), without counting an attempt."""
    values: dict[str, Any] = {"status": OutboxStatus.PENDING, "not_before": not_before, "lease_until": None,
                              "attempts": col(OutboxMessage.attempts) - 1}
    if error is not None:
        values["last_error"] = error[:500]
    session.execute(update(OutboxMessage).where(_owned(message_id, owner)).values(**values))


def mark_failed(session: Session, *, message_id: int, owner: str, error: str) -> bool:
    """Give up on a message, keeping its error; True if this owner still held it."""
    result = session.execute(
        update(OutboxMessage)
        .where(_owned(message_id, owner))
        .values(status=OutboxStatus.FAILED, last_error=error[:500], lease_until=None)
        .returning(col(OutboxMessage.id))
    )
    return result.first() is not None


def get_message(session: Session, *, key: str) -> OutboxMessage | None:
    """The message queued under a dedupe key."""
    return session.exec(select(OutboxMessage).where(col(OutboxMessage.dedupe_key) == key)).first()


def sent_messages(session: Session, *, keys: list[str]) -> list[tuple[str, str | None, str | None]]:
    """(dedupe key, channel, ts) of the messages queued under these keys that Slack has (one read)."""
    if not keys:
        return []
    return [(key, channel, ts) for key, channel, ts in session.execute(_SENT, {"sent_keys": keys})]


# Built once: the delivery worker reads where each pass's keys landed after every pass (issue 10).
_SENT = core_select(_c.dedupe_key, _c.result_channel, _c.result_ts).where(
    _c.dedupe_key.in_(bindparam("sent_keys", expanding=True)), _c.status == OutboxStatus.SENT)


def list_messages(
    session: Session, *, status: OutboxStatus | None = None, offset: int = 0, limit: int = 50
) -> list[OutboxMessage]:
    """Messages newest first, optionally of one status."""
    query = select(OutboxMessage).order_by(col(OutboxMessage.id).desc()).offset(offset).limit(limit)
    if status:
        query = query.where(col(OutboxMessage.status) == status)
    return list(session.exec(query))


def backlog(session: Session, *, now: datetime) -> dict[str, Any]:
    """How many messages wait by status, how many are due now, and since when the oldest due one has waited."""
    counts = dict(session.exec(select(OutboxMessage.status, func.count()).where(
        col(OutboxMessage.status) != OutboxStatus.SENT).group_by(OutboxMessage.status)).all())
    due = and_(col(OutboxMessage.status) == OutboxStatus.PENDING, col(OutboxMessage.not_before) <= now)
    due_count, oldest = session.exec(select(func.count(), func.min(OutboxMessage.not_before)).where(due)).one()
    return {"pending": counts.get(OutboxStatus.PENDING, 0), "sending": counts.get(OutboxStatus.SENDING, 0),
            "failed": counts.get(OutboxStatus.FAILED, 0), "due": due_count,
            "oldest_due_seconds": (now - oldest).total_seconds() if oldest is not None else 0.0}
