"""Captured conversation: each message in a linked channel, its direction, and its first-response clock.

One row per Slack message (unique channel + ts), so a retried or duplicated event never counts twice.
Text is kept only when the account opted in; `next_check_at` holds the clock's next warning or breach,
so the scheduler reads only messages with something due.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, ColumnElement, Index, String, Text, UniqueConstraint, and_, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from storage.accounts import Account
from storage.db import earliest
from storage.types import UTCDateTime


class Direction(StrEnum):
    """Who wrote a captured message: the customer's side (inbound) or ours (outbound)."""

    INBOUND = "inbound"
    OUTBOUND = "outbound"


class CapturedMessage(SQLModel, table=True):
    """One message in a channel linked to an account, and, for a customer's question, its first-response clock."""

    __tablename__ = "captured_message"
    __table_args__ = (
        UniqueConstraint("channel_id", "ts", name="uq_captured_message_source"),
        # Counting an account's conversation and its response times read this index only.
        Index("ix_captured_message_account_posted", "account_id", "posted_at"),
        # "What is waiting in this thread / channel" when a reply comes in.
        Index("ix_captured_message_waiting", "channel_id", "root_ts", "answered_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    channel_id: str = Field(max_length=32)
    ts: str = Field(max_length=32)
    thread_ts: str | None = Field(default=None, max_length=32)  # None: a message in the channel itself
    root_ts: str = Field(max_length=32)  # the thread it belongs to: thread_ts, or its own ts
    broadcast: bool = False  # a thread reply also sent to the channel
    direction: Direction = Field(sa_type=String(16))
    author_id: str | None = Field(default=None, max_length=32)  # None once the person is forgotten
    permalink: str | None = Field(default=None, max_length=500)
    text: str | None = Field(default=None, sa_column=Column(Text, nullable=True))  # only with `capture text`
    posted_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    edited_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    deleted_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    # First response (inbound messages that started a clock): business-time deadlines, the notices
    # queued, and the reply that stopped it.
    target_minutes: int | None = None
    warn_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    warned_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    breached_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    answered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    answered_by: str | None = Field(default=None, max_length=32)
    next_check_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True, index=True))


def add_message(session: Session, message: CapturedMessage) -> CapturedMessage | None:
    """Store a captured message; None when it was captured already (a retry, or a concurrent delivery)."""
    try:
        with session.begin_nested():
            session.add(message)
            session.flush()
    except IntegrityError:
        return None
    return message


def get_message(session: Session, *, channel_id: str, ts: str) -> CapturedMessage | None:
    """The captured message with this channel and ts, if any."""
    query = select(CapturedMessage).where(CapturedMessage.channel_id == channel_id, CapturedMessage.ts == ts)
    return session.exec(query).first()


def _waiting() -> ColumnElement[bool]:
    """A customer message whose clock runs: started, unanswered, not deleted."""
    return and_(col(CapturedMessage.due_at).is_not(None), col(CapturedMessage.answered_at).is_(None),
                col(CapturedMessage.deleted_at).is_(None))


def waiting_in_thread(session: Session, *, channel_id: str, root_ts: str) -> CapturedMessage | None:
    """The customer message waiting for us in a thread (its root or a reply), if any."""
    query = select(CapturedMessage).where(CapturedMessage.channel_id == channel_id,
                                          CapturedMessage.root_ts == root_ts, _waiting())
    return session.exec(query.order_by(col(CapturedMessage.posted_at))).first()


def waiting_in_channel(session: Session, *, channel_id: str) -> CapturedMessage | None:
    """The customer message waiting for us in the channel itself (not in a thread), if any."""
    query = select(CapturedMessage).where(CapturedMessage.channel_id == channel_id,
                                          col(CapturedMessage.thread_ts).is_(None), _waiting())
    return session.exec(query.order_by(col(CapturedMessage.posted_at))).first()


def answer_waiting(session: Session, *, channel_id: str, root_ts: str | None, before: datetime, by: str,
                   at: datetime) -> int:
    """Stop the clocks a reply answers: in its thread (`root_ts`), else the channel's own; returns how many."""
    where = and_(col(CapturedMessage.channel_id) == channel_id, col(CapturedMessage.posted_at) <= before, _waiting(),
                 col(CapturedMessage.root_ts) == root_ts if root_ts else col(CapturedMessage.thread_ts).is_(None))
    statement = (update(CapturedMessage).where(where)
                 .values(answered_at=at, answered_by=by, next_check_at=None)
                 .execution_options(synchronize_session=False))
    return int(session.exec(statement).rowcount)


def list_due_messages(session: Session, *, now: datetime, limit: int) -> list[CapturedMessage]:
    """Messages whose clock has a warning or breach due by `now`, locked; other processes skip them."""
    query = (
        select(CapturedMessage)
        .where(col(CapturedMessage.next_check_at) <= now)
        .order_by(col(CapturedMessage.next_check_at), col(CapturedMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(query.execution_options(populate_existing=True)))


def next_message_check_at(session: Session) -> datetime | None:
    """When the earliest first-response clock has a warning or breach due."""
    return earliest(session, CapturedMessage.next_check_at)


def list_waiting(session: Session, *, owner_id: str | None = None, limit: int = 50,
                 offset: int = 0) -> list[tuple[CapturedMessage, Account]]:
    """Customer messages waiting for our first response, oldest first, with their account (`owner_id`'s only)."""
    query = select(CapturedMessage, Account).join(Account).where(_waiting())
    if owner_id:
        query = query.where(Account.owner_id == owner_id)
    query = query.order_by(col(CapturedMessage.posted_at), col(CapturedMessage.id))
    return [(message, account) for message, account in session.exec(query.offset(offset).limit(limit))]


def count_waiting(session: Session, *, owner_id: str | None = None) -> int:
    """How many customer messages wait for our first response (on `owner_id`'s accounts only)."""
    query = select(func.count()).select_from(CapturedMessage).join(Account).where(_waiting())
    if owner_id:
        query = query.where(Account.owner_id == owner_id)
    return session.exec(query).one()


def count_by_direction(session: Session, *, account_id: int, since: datetime) -> dict[Direction, int]:
    """Captured messages of an account since a moment, by direction (deleted ones left out)."""
    query = (select(CapturedMessage.direction, func.count())
             .where(CapturedMessage.account_id == account_id, col(CapturedMessage.posted_at) >= since,
                    col(CapturedMessage.deleted_at).is_(None))
             .group_by(col(CapturedMessage.direction)))
    return {Direction(direction): n for direction, n in session.exec(query)}


def list_clocked(session: Session, *, account_id: int, since: datetime) -> list[CapturedMessage]:
    """An account's messages that started a first-response clock since a moment (deleted ones left out)."""
    query = select(CapturedMessage).where(
        CapturedMessage.account_id == account_id, col(CapturedMessage.posted_at) >= since,
        col(CapturedMessage.due_at).is_not(None), col(CapturedMessage.deleted_at).is_(None))
    return list(session.exec(query))



def forget_person(session: Session, *, user_id: str) -> int:
    """Remove a person's captured text and their name from captured messages; the counts stay. Returns rows touched."""
    authored = session.exec(update(CapturedMessage).where(col(CapturedMessage.author_id) == user_id)
                            .values(text=None, author_id=None)
                            .execution_options(synchronize_session=False)).rowcount
    answered = session.exec(update(CapturedMessage).where(col(CapturedMessage.answered_by) == user_id)
                            .values(answered_by=None)
                            .execution_options(synchronize_session=False)).rowcount
    return int(authored) + int(answered)
