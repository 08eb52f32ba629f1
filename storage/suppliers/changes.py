"""Supplier changes (供应商变更): a supplier replaced, backed up or dropped, with its reason, and one notice per
dependent account whose owner must tell the customer (及时向客户传递)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, String, UniqueConstraint, func
from sqlmodel import Field, Session, SQLModel, col, select

from storage.accounts import Account
from storage.suppliers.contracts import SupportContract
from storage.types import UTCDateTime

REASON_LIMIT = 500


class ChangeKind(StrEnum):
    """What happened to the supplier."""

    REPLACED = "replaced"  # by another supplier
    BACKUP = "backup"  # another supplier added as its backup
    DROPPED = "dropped"  # no longer used, nobody in its place


class SupplierChange(SQLModel, table=True):
    """One change of supplier, recorded with its reason."""

    __tablename__ = "supplier_change"

    id: int | None = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="account.id", index=True)
    kind: ChangeKind = Field(sa_type=String(16))
    other_id: int | None = Field(default=None, foreign_key="account.id")  # the replacement or the backup
    reason: str | None = Field(default=None, max_length=REASON_LIMIT)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class SupplierChangeNotice(SQLModel, table=True):
    """An account whose service depends on a changed supplier: its owner is reminded until the customer is told."""

    __tablename__ = "supplier_change_notice"
    __table_args__ = (UniqueConstraint("change_id", "account_id"),)

    id: int | None = Field(default=None, primary_key=True)
    change_id: int = Field(foreign_key="supplier_change.id", index=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    # The next reminder (the next working day's opening); None once the customer is told.
    next_remind_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True, index=True))
    reminders: int = 0
    told_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    told_by: str | None = Field(default=None, max_length=32)


def add_row(session: Session, row: SQLModel) -> None:
    """Store a row; its id is set on return."""
    session.add(row)
    session.flush()


def dependent_accounts(session: Session, *, supplier_id: int, on: date) -> list[Account]:
    """Accounts with a support contract from this supplier not yet ended on `on`, by name."""
    backed = (select(SupportContract.customer_id)
              .where(SupportContract.supplier_id == supplier_id, col(SupportContract.valid_until) >= on))
    query = select(Account).where(col(Account.id).in_(backed)).order_by(col(Account.name_key))
    return list(session.exec(query))


def get_notice(session: Session, *, notice_id: int, for_update: bool = False) -> SupplierChangeNotice | None:
    """A notice, locked against a concurrent click or tick when `for_update`."""
    query = select(SupplierChangeNotice).where(SupplierChangeNotice.id == notice_id)
    if for_update:
        query = query.with_for_update()
    return session.exec(query.execution_options(populate_existing=True)).first()


def claim_due_notices(session: Session, *, now: datetime, limit: int) -> list[SupplierChangeNotice]:
    """Notices whose reminder is due, locked; other processes skip them."""
    query = (select(SupplierChangeNotice).where(col(SupplierChangeNotice.next_remind_at) <= now)
             .order_by(col(SupplierChangeNotice.next_remind_at), col(SupplierChangeNotice.id)).limit(limit)
             .with_for_update(skip_locked=True))
    return list(session.exec(query.execution_options(populate_existing=True)))


def next_notice_at(session: Session) -> datetime | None:
    """When the earliest notice reminder is due (in the past when one is waiting)."""
    return session.exec(select(func.min(SupplierChangeNotice.next_remind_at))).one()


def changes_for_account(session: Session, *, account_id: int, since: datetime,
                        until: datetime) -> list[tuple[SupplierChange, SupplierChangeNotice]]:
    """The supplier changes an account was noticed of, recorded in [since, until), oldest first."""
    query = (select(SupplierChange, SupplierChangeNotice)
             .join(SupplierChangeNotice, col(SupplierChangeNotice.change_id) == col(SupplierChange.id))
             .where(SupplierChangeNotice.account_id == account_id, col(SupplierChange.created_at) >= since,
                    col(SupplierChange.created_at) < until)
             .order_by(col(SupplierChange.created_at), col(SupplierChange.id)))
    return [(change, notice) for change, notice in session.exec(query)]


def recent_changes(session: Session, *, supplier_id: int, limit: int = 5) -> list[tuple[SupplierChange, int, int]]:
    """A supplier's latest changes, newest first, each with how many accounts were flagged and how many told."""
    told = func.count(col(SupplierChangeNotice.told_at))
    query = (select(SupplierChange, func.count(col(SupplierChangeNotice.id)), told)
             .join(SupplierChangeNotice, col(SupplierChangeNotice.change_id) == col(SupplierChange.id), isouter=True)
             .where(SupplierChange.supplier_id == supplier_id)
             .group_by(col(SupplierChange.id))
             .order_by(col(SupplierChange.created_at).desc(), col(SupplierChange.id).desc()).limit(limit))
    return [(change, int(flagged), int(done)) for change, flagged, done in session.exec(query)]
