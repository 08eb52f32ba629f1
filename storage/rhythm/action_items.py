"""Action items agreed in meetings: who does what by when, reminded on the due day and once when overdue."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Index, String, Text, func, or_, update
from sqlmodel import Field, Session, SQLModel, col, select

from storage.accounts import Account
from storage.db import earliest, rows_changed, storable_id
from storage.types import UTCDateTime


class ActionStatus(StrEnum):
    """Open until its owner marks it done."""

    OPEN = "open"
    DONE = "done"


class ActionItem(SQLModel, table=True):
    """One thing someone agreed to do for an account, usually from a meeting's minutes."""

    __tablename__ = "action_item"
    __table_args__ = (
        Index("ix_action_item_owner_status", "owner_id", "status", "due_at"),
        Index("ix_action_item_account_status", "account_id", "status", "due_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    occurrence_id: int | None = Field(default=None, foreign_key="meeting_occurrence.id", index=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    owner_id: str = Field(max_length=32)
    due_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    status: ActionStatus = Field(default=ActionStatus.OPEN, sa_type=String(16))
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    done_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    done_by: str | None = Field(default=None, max_length=32)
    # Planned reminder moments (None: not sent) and the latest sent ("due" or "overdue").
    due_reminder_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    overdue_reminder_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    reminded_stage: str | None = Field(default=None, max_length=8)
    next_check_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))


@dataclass(frozen=True)
class ActionSlot:
    """An open action item with its account's name, read in one query."""

    item_id: int
    account_id: int
    account_name: str
    text: str
    owner_id: str
    due_at: datetime
    overdue: bool


def add_action_item(session: Session, item: ActionItem) -> ActionItem:
    """Store an action item; the id is set on return."""
    session.add(item)
    session.flush()
    return item


def get_action_item(session: Session, *, item_id: int) -> ActionItem | None:
    """One action item by id, read fresh."""
    if not storable_id(item_id):
        return None  # no row can have it; the database would refuse to compare
    query = select(ActionItem).where(col(ActionItem.id) == item_id).execution_options(populate_existing=True)
    return session.exec(query).first()


def change_action_item(session: Session, *, item_id: int, statuses: tuple[ActionStatus, ...],
                       values: dict[str, Any]) -> bool:
    """Apply `values` only while the item is in one of `statuses`; True if this call changed it."""
    statement = (update(ActionItem).where(col(ActionItem.id) == item_id, col(ActionItem.status).in_(statuses))
                 .values(**values))
    return rows_changed(session, statement.execution_options(synchronize_session=False)) == 1


def claim_due_action_items(session: Session, *, now: datetime, limit: int) -> list[ActionItem]:
    """Action items with a reminder due, locked; other processes skip them."""
    query = (select(ActionItem).where(col(ActionItem.next_check_at) <= now)
             .order_by(col(ActionItem.next_check_at), col(ActionItem.id)).limit(limit)
             .with_for_update(skip_locked=True))
    return list(session.exec(query.execution_options(populate_existing=True)))


def next_action_item_check_at(session: Session) -> datetime | None:
    """When the earliest action item reminder is due (in the past when one is waiting)."""
    return earliest(session, ActionItem.next_check_at)


def _open_items(*, owner_id: str | None, account_ids: Sequence[int] | None, due_before: datetime | None) -> Any:
    query = (select(ActionItem, Account.name).join(Account, col(Account.id) == ActionItem.account_id)
             .where(ActionItem.status == ActionStatus.OPEN))
    if owner_id is not None:
        query = query.where(ActionItem.owner_id == owner_id)
    if account_ids is not None:
        query = query.where(col(ActionItem.account_id).in_(list(account_ids)))
    if due_before is not None:
        query = query.where(col(ActionItem.due_at) < due_before)
    return query


def list_open_action_items(session: Session, *, now: datetime, owner_id: str | None = None,
                           account_ids: Sequence[int] | None = None, overdue_only: bool = False,
                           limit: int = 50) -> list[ActionSlot]:
    """Open action items of a person and/or of accounts, earliest due first; `overdue_only`: due before now.

    One query, whatever the number of accounts.
    """
    query = _open_items(owner_id=owner_id, account_ids=account_ids, due_before=now if overdue_only else None)
    query = query.order_by(col(ActionItem.due_at), col(ActionItem.id)).limit(limit)
    return [_slot(item, name, now=now) for item, name in session.exec(query)]


def _slot(item: ActionItem, account_name: str, *, now: datetime) -> ActionSlot:
    assert item.id is not None  # read from the database
    return ActionSlot(item.id, item.account_id, account_name, item.text, item.owner_id, item.due_at, item.due_at < now)


def count_open_action_items(session: Session, *, now: datetime, owner_id: str | None = None,
                            account_ids: Sequence[int] | None = None) -> tuple[int, int]:
    """(open, overdue) action items of a person and/or of accounts."""
    query = select(func.count(), func.count().filter(col(ActionItem.due_at) < now)).select_from(ActionItem).where(
        ActionItem.status == ActionStatus.OPEN)
    if owner_id is not None:
        query = query.where(ActionItem.owner_id == owner_id)
    if account_ids is not None:
        query = query.where(col(ActionItem.account_id).in_(list(account_ids)))
    total, overdue = session.exec(query).one()
    return total, overdue


def overdue_counts(session: Session, *, account_ids: Sequence[int] | None, at: datetime) -> dict[int, int]:
    """How many action items each account had overdue at `at` (open then, due before it), in one query."""
    query = (select(ActionItem.account_id, func.count())
             .where(col(ActionItem.due_at) < at,
                    or_(col(ActionItem.status) == ActionStatus.OPEN, col(ActionItem.done_at) > at))
             .group_by(col(ActionItem.account_id)))
    if account_ids is not None:
        query = query.where(col(ActionItem.account_id).in_(list(account_ids)))
    return dict(session.exec(query).all())
