"""Touchpoints (日常沟通): each contact with an account's people, and the account's last-contact marks."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Column, Index, Text, UniqueConstraint, func, or_, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from storage.accounts import Account
from storage.types import UTCDateTime


class Touchpoint(SQLModel, table=True):
    """One contact with an account: what was said, who logged it, with whom, from which message."""

    __tablename__ = "touchpoint"
    __table_args__ = (
        UniqueConstraint("source_channel_id", "source_ts", name="uq_touchpoint_source"),
        # "The latest touchpoints of an account" and "who we talk to at an account" read this index only.
        Index("ix_touchpoint_account_occurred", "account_id", "occurred_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    summary: str = Field(sa_column=Column(Text, nullable=False))
    logged_by: str = Field(max_length=32)
    customer_id: str | None = Field(default=None, max_length=32)
    source_channel_id: str | None = Field(default=None, max_length=32)
    source_ts: str | None = Field(default=None, max_length=32)
    permalink: str | None = Field(default=None, max_length=500)
    occurred_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


def add_touchpoint(session: Session, touchpoint: Touchpoint) -> Touchpoint | None:
    """Store a touchpoint; None when its source message was logged already (even by a concurrent request)."""
    try:
        with session.begin_nested():
            session.add(touchpoint)
            session.flush()
    except IntegrityError:
        if touchpoint.source_ts is None:
            raise
        return None
    return touchpoint


def get_touchpoint_from_message(session: Session, *, channel_id: str, ts: str) -> Touchpoint | None:
    """The touchpoint already logged from a Slack message, if any."""
    query = select(Touchpoint).where(Touchpoint.source_channel_id == channel_id, Touchpoint.source_ts == ts)
    return session.exec(query).first()


def mark_contacted(session: Session, *, account_id: int, at: datetime, due_at: datetime | None) -> bool:
    """Move the account's last contact to `at` (and its due date) unless a later one is recorded; True if moved.

    One conditional UPDATE, so two touchpoints logged at once leave the later of the two.
    """
    statement = (
        update(Account)
        .where(col(Account.id) == account_id,
               or_(col(Account.last_contact_at).is_(None), col(Account.last_contact_at) < at))
        .values(last_contact_at=at, contact_due_at=due_at)
        .execution_options(synchronize_session=False)
    )
    moved = session.exec(statement).rowcount == 1
    account = session.get(Account, account_id)
    if account is not None:
        session.refresh(account)
    return moved


def set_contact_due(session: Session, *, account_id: int, due_at: datetime | None) -> None:
    """Set when an account goes cold (after its cadence or tier changed)."""
    account = session.get_one(Account, account_id)
    account.contact_due_at = due_at
    session.add(account)


def list_due_accounts(session: Session, *, now: datetime, owner_id: str | None = None, offset: int = 0,
                      limit: int = 50) -> list[Account]:
    """Accounts whose next contact was due by `now`, longest overdue first (read by index, not touchpoints)."""
    query = select(Account).where(col(Account.contact_due_at) <= now).order_by(col(Account.contact_due_at),
                                                                              col(Account.id))
    if owner_id:
        query = query.where(Account.owner_id == owner_id)
    return list(session.exec(query.offset(offset).limit(limit)))


def count_due_accounts(session: Session, *, now: datetime, owner_id: str | None = None) -> int:
    """How many accounts are overdue for a contact."""
    query = select(func.count()).select_from(Account).where(col(Account.contact_due_at) <= now)
    if owner_id:
        query = query.where(Account.owner_id == owner_id)
    return session.exec(query).one()


def top_customers(session: Session, *, account_id: int, since: datetime, limit: int = 3) -> list[tuple[str, int]]:
    """(customer user id, touchpoints) for the people most often in an account's touchpoints since a moment."""
    count = func.count(col(Touchpoint.id)).label("n")
    query = (
        select(Touchpoint.customer_id, count)
        .where(Touchpoint.account_id == account_id, Touchpoint.occurred_at >= since,
               col(Touchpoint.customer_id).is_not(None))
        .group_by(col(Touchpoint.customer_id))
        .order_by(count.desc(), col(Touchpoint.customer_id))
        .limit(limit)
    )
    return [(customer, n) for customer, n in session.exec(query) if customer is not None]


def forget_customer(session: Session, *, user_id: str, placeholder: str) -> int:
    """Remove a customer's name from touchpoints, and their words from those logged from their message."""
    from_message = session.exec(update(Touchpoint).where(col(Touchpoint.customer_id) == user_id,
                                                         col(Touchpoint.source_ts).is_not(None))
                                .values(summary=placeholder, customer_id=None)
                                .execution_options(synchronize_session=False)).rowcount
    named = session.exec(update(Touchpoint).where(col(Touchpoint.customer_id) == user_id)
                         .values(customer_id=None)
                         .execution_options(synchronize_session=False)).rowcount
    return int(from_message) + int(named)


def last_touchpoints(session: Session, *, account_ids: Sequence[int] | None, before: datetime) -> dict[int, datetime]:
    """Each account's latest touchpoint up to `before` (every account when `account_ids` is None), in one query."""
    query = (select(Touchpoint.account_id, func.max(Touchpoint.occurred_at))
             .where(col(Touchpoint.occurred_at) <= before).group_by(col(Touchpoint.account_id)))
    if account_ids is not None:
        query = query.where(col(Touchpoint.account_id).in_(list(account_ids)))
    return {account_id: latest for account_id, latest in session.exec(query) if latest is not None}


def list_contact_moments(session: Session, *, account_id: int, since: datetime, until: datetime) -> list[datetime]:
    """When an account's touchpoints happened from `since` to before `until`, oldest first (the index alone)."""
    query = (select(Touchpoint.occurred_at)
             .where(Touchpoint.account_id == account_id, col(Touchpoint.occurred_at) >= since,
                    col(Touchpoint.occurred_at) < until)
             .order_by(col(Touchpoint.occurred_at)))
    return list(session.exec(query))


def last_contact_before(session: Session, *, account_id: int, before: datetime) -> datetime | None:
    """The latest touchpoint of an account before a moment."""
    query = select(func.max(Touchpoint.occurred_at)).where(Touchpoint.account_id == account_id,
                                                            col(Touchpoint.occurred_at) < before)
    return session.exec(query).one()
