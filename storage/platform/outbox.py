"""The outbox table: every message Rapport sends on its own waits here until Slack has it."""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, ColumnElement, Index, String, and_, bindparam, func, or_, update
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
    __table_args__ = (Index("ix_outbox_due", "status", "not_before"),)

    id: int | None = Field(default=None, primary_key=True)
    dedupe_key: str = Field(max_length=200, unique=True)
    method: str = Field(max_length=32)
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


def add_message(session: Session, *, key: str, method: str, payload: dict[str, Any], now: datetime,
                not_before: datetime | None = None) -> bool:
    """Queue a message unless its key is already queued; True if queued now."""
    values = {
        "dedupe_key": key,
        "method": method,
        "payload": payload,
        "status": OutboxStatus.PENDING,
        "attempts": 0,
        "not_before": not_before or now,
        "created_at": now,
    }
    return insert_ignoring_conflicts(session, OutboxMessage, values, key="dedupe_key")


def claim_due_messages(
    session: Session, *, now: datetime, owner: str, lease: timedelta, limit: int, keys: list[str] | None = None
) -> list[OutboxMessage]:
    """Lease up to `limit` due messages to `owner`; other processes skip them until the lease ends."""
    status = col(OutboxMessage.status)
    due = or_(
        and_(status == OutboxStatus.PENDING, col(OutboxMessage.not_before) <= now),
        and_(status == OutboxStatus.SENDING, col(OutboxMessage.lease_until) < now),
    )
    query = (select(OutboxMessage.id).where(due).order_by(col(OutboxMessage.not_before), col(OutboxMessage.id))
             .limit(limit))
    if keys is not None:
        query = query.where(col(OutboxMessage.dedupe_key).in_(keys))
    # SKIP LOCKED lets concurrent ticks on PostgreSQL take disjoint batches;
    # SQLite ignores it and serialises the claim with BEGIN IMMEDIATE instead.
    ids = list(session.exec(query.with_for_update(skip_locked=True)))
    if not ids:
        return []
    session.execute(
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(ids))
        .values(
            status=OutboxStatus.SENDING,
            lease_owner=owner,
            lease_until=now + lease,
            attempts=col(OutboxMessage.attempts) + 1,
        )
    )
    session.flush()
    claimed = select(OutboxMessage).where(col(OutboxMessage.id).in_(ids)).order_by(col(OutboxMessage.id))
    return list(session.exec(claimed.execution_options(populate_existing=True)))


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


def mark_sent(session: Session, *, message_id: int, owner: str, now: datetime, channel: str | None,
              ts: str | None) -> None:
    """Record a delivered message and where it landed."""
    session.execute(_MARK_SENT, {"sent_id": message_id, "sent_owner": owner, "sent_now": now, "sent_channel": channel,
                                 "sent_ts": ts})


# Built once, values passed apart: it runs once per message sent, and building the statement each
# time cost more CPU than running it (issue 10). Parameter names differ from the columns they set.
_TABLE = table_of(OutboxMessage)
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


def mark_postponed(session: Session, *, message_id: int, owner: str, not_before: datetime) -> None:
    """Wait for something else first, without counting an attempt."""
    session.execute(
        update(OutboxMessage)
        .where(_owned(message_id, owner))
        .values(status=OutboxStatus.PENDING, not_before=not_before, lease_until=None,
                attempts=col(OutboxMessage.attempts) - 1)
    )


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
