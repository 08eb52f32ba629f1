"""The outbox table: every message Rapport sends on its own waits here until Slack has it."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, ColumnElement, Index, String, and_, bindparam, exists, func, or_, update
from sqlalchemy.orm import aliased
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


def claim_due_messages(
    session: Session, *, now: datetime, owner: str, lease: timedelta, limit: int, keys: list[str] | None = None
) -> list[ClaimedMessage]:
    """Lease up to `limit` due messages to `owner`, the first of each lane; others skip them until the lease ends.

    With `keys`, only those messages and others in their lanes.
    """
    message, earlier = OutboxMessage, aliased(OutboxMessage)
    status = col(message.status)
    due = or_(
        and_(status == OutboxStatus.PENDING, col(message.not_before) <= now),
        and_(status == OutboxStatus.SENDING, col(message.lease_until) < now),
    )
    # A lane's next message waits for every unsent one ahead of it there: one in flight, one Slack
    # asked to wait (429) or the pacer held back. So a channel gets its messages in order, and one
    # deliverer (of all processes) holds a lane at a time.
    ahead = exists().where(
        col(earlier.lane) == col(message.lane),
        col(earlier.status).in_((OutboxStatus.PENDING, OutboxStatus.SENDING)),
        or_(col(earlier.lane_position) < col(message.lane_position),
            and_(col(earlier.lane_position) == col(message.lane_position), col(earlier.id) < col(message.id))),
    )
    query = (select(message.id).where(due, ~ahead).order_by(col(message.not_before), col(message.id))
             .limit(limit))
    if keys is not None:
        # These messages, and the ones of their lanes (queued before them, or after while they were in flight).
        lanes = select(OutboxMessage.lane).where(col(OutboxMessage.dedupe_key).in_(keys),
                                                 col(OutboxMessage.lane).is_not(None))
        query = query.where(or_(col(message.dedupe_key).in_(keys), col(message.lane).in_(lanes)))
    # SKIP LOCKED lets concurrent ticks on PostgreSQL take disjoint batches;
    # SQLite ignores it and serialises the claim with BEGIN IMMEDIATE instead.
    ids = list(session.exec(query.with_for_update(skip_locked=True, of=message)))
    if not ids:
        return []
    # One UPDATE … RETURNING leases the rows and reads what sending needs, as plain tuples: building
    # ORM objects for them cost more CPU than the statements (issue 10).
    leased = session.execute(
        update(_TABLE)
        .where(_TABLE.c.id.in_(ids))
        .values(status=OutboxStatus.SENDING, lease_owner=owner, lease_until=now + lease,
                attempts=_TABLE.c.attempts + 1)
        .returning(*(_TABLE.c[name] for name in _CLAIMED))
    )
    return sorted((ClaimedMessage(*row) for row in leased), key=lambda claimed: claimed.id)


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


def get_messages(session: Session, *, keys: list[str]) -> list[OutboxMessage]:
    """The messages queued under any of these dedupe keys."""
    if not keys:
        return []
    return list(session.exec(select(OutboxMessage).where(col(OutboxMessage.dedupe_key).in_(keys))))


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
