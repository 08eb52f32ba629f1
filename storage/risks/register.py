"""The risk register: each account's risks (from the notes' catalog, our own, or raised by a signal) and queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Index, String, Text, func, update
from sqlmodel import Field, Session, SQLModel, col, select

from storage.accounts import Account
from storage.db import earliest, insert_new_id, rows_changed, storable_id
from storage.types import JSONData, UTCDateTime


class RiskStatus(StrEnum):
    """Where a risk stands: open, being mitigated, accepted as it is, or closed."""

    OPEN = "open"
    MITIGATING = "mitigating"
    ACCEPTED = "accepted"
    CLOSED = "closed"


# Statuses still reviewed and listed; a closed risk is history.
LIVE = (RiskStatus.OPEN, RiskStatus.MITIGATING, RiskStatus.ACCEPTED)


class RiskSource(StrEnum):
    """Where a risk came from."""

    CATALOG = "catalog"  # adopted from the notes' list
    OWN = "own"  # written by one of us
    SIGNAL = "signal"  # raised by Rapport from the record


class Risk(SQLModel, table=True):
    """One risk of an account (customer, supplier or third party) with its control, owner and next review."""

    __tablename__ = "risk"
    __table_args__ = (
        Index("ix_risk_account_status_score", "account_id", "status", "score"),
        # An account adopts a catalog risk once (NULLs, own and signal risks, are all distinct).
        Index("ux_risk_account_catalog", "account_id", "catalog_key", unique=True),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    source: RiskSource = Field(sa_type=String(16))
    catalog_key: str | None = Field(default=None, max_length=40)
    # A signal's kind and its cause: one risk per cause, however many ticks see it.
    signal: str | None = Field(default=None, max_length=40)
    cause_key: str | None = Field(default=None, max_length=200, unique=True, index=True)
    facts: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONData, nullable=True))
    # As written (own risks), or the English wording when it was recorded (catalog and signal risks are shown
    # in the reader's language from their key).
    title: str = Field(sa_column=Column(Text, nullable=False))
    control: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    owner_id: str = Field(max_length=32)
    likelihood: int  # 1–5
    impact: int  # 1–5
    score: int  # likelihood × impact, kept for ordering by index
    status: RiskStatus = Field(default=RiskStatus.OPEN, sa_type=String(16))
    next_review_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    # The review's staged reminders, as action items have them (reminder_values).
    due_reminder_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    overdue_reminder_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    reminded_stage: str | None = Field(default=None, max_length=8)
    next_check_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    reviewed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    reviewed_by: str | None = Field(default=None, max_length=32)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    closed_by: str | None = Field(default=None, max_length=32)


def add_risk(session: Session, risk: Risk) -> Risk:
    """Store a risk; its id is set on return."""
    session.add(risk)
    session.flush()
    return risk


def insert_risk_once(session: Session, values: dict[str, Any], *, keys: Sequence[str]) -> int | None:
    """Insert a risk unless one with the same unique `keys` exists (a cause, an adopted entry); its id, or None."""
    return insert_new_id(session, Risk, values, keys=keys)


def known_causes(session: Session, *, keys: Sequence[str], chunk: int = 1000) -> set[str]:
    """Which of these cause keys have raised a risk already (a query per thousand keys)."""
    known: set[str] = set()
    for start in range(0, len(keys), chunk):
        part = list(keys[start:start + chunk])
        known.update(key for key in session.exec(select(Risk.cause_key).where(col(Risk.cause_key).in_(part))) if key)
    return known


def live_risk_summary(session: Session, *, account_id: int) -> tuple[int, int]:
    """(how many risks are not closed, their highest score) of an account, in one query."""
    query = select(func.count(), func.coalesce(func.max(Risk.score), 0)).select_from(Risk).where(
        Risk.account_id == account_id, col(Risk.status).in_(list(LIVE)))
    count, highest = session.exec(query).one()
    return int(count), int(highest)


def latest_signal_raises(session: Session, *, signal: str) -> dict[int, datetime]:
    """When this signal last raised a risk on each account (one query)."""
    query = (select(Risk.account_id, func.max(Risk.created_at)).where(Risk.signal == signal)
             .group_by(col(Risk.account_id)))
    return {account_id: at for account_id, at in session.exec(query) if at is not None}


def get_risk(session: Session, *, risk_id: int) -> Risk | None:
    """One risk by id, read fresh."""
    if not storable_id(risk_id):
        return None  # no row can have it; the database would refuse to compare
    query = select(Risk).where(col(Risk.id) == risk_id).execution_options(populate_existing=True)
    return session.exec(query).first()


def change_risk(session: Session, *, risk_id: int, statuses: Sequence[RiskStatus], values: dict[str, Any]) -> bool:
    """Apply `values` only while the risk is in one of `statuses`; True if this call changed it."""
    statement = (update(Risk).where(col(Risk.id) == risk_id, col(Risk.status).in_(list(statuses)))
                 .values(**values))
    return rows_changed(session, statement.execution_options(synchronize_session=False)) == 1


def adopted_keys(session: Session, *, account_id: int) -> set[str]:
    """The catalog entries an account has adopted."""
    query = select(Risk.catalog_key).where(Risk.account_id == account_id, col(Risk.catalog_key).is_not(None))
    return {key for key in session.exec(query) if key}


def get_adopted(session: Session, *, account_id: int, key: str) -> Risk | None:
    """The risk an account adopted from this catalog entry, if it did."""
    query = select(Risk).where(Risk.account_id == account_id, Risk.catalog_key == key)
    return session.exec(query.execution_options(populate_existing=True)).first()


def _live(account_id: int | None) -> Any:
    query = select(Risk, Account).join(Account, col(Account.id) == Risk.account_id).where(
        col(Risk.status).in_(list(LIVE)))
    return query if account_id is None else query.where(Risk.account_id == account_id)


def list_live_risks(session: Session, *, account_id: int | None, offset: int, limit: int) -> list[tuple[Risk, Account]]:
    """Risks not closed (of one account, or all), highest score first, one page at a time."""
    query = _live(account_id).order_by(col(Risk.score).desc(), col(Risk.next_review_at), col(Risk.id))
    return [(risk, account) for risk, account in session.exec(query.offset(offset).limit(limit))]


def count_live_risks(session: Session, *, account_id: int | None) -> int:
    """How many risks are not closed (of one account, or all)."""
    query = select(func.count()).select_from(Risk).where(col(Risk.status).in_(list(LIVE)))
    if account_id is not None:
        query = query.where(Risk.account_id == account_id)
    return session.exec(query).one()


def list_account_risks_between(session: Session, *, account_id: int, start: datetime,
                               end: datetime) -> tuple[list[Risk], list[Risk]]:
    """(raised, closed) risks of an account in [start, end)."""
    raised = session.exec(select(Risk).where(Risk.account_id == account_id, col(Risk.created_at) >= start,
                                             col(Risk.created_at) < end).order_by(col(Risk.created_at)))
    closed = session.exec(select(Risk).where(Risk.account_id == account_id, col(Risk.closed_at) >= start,
                                             col(Risk.closed_at) < end).order_by(col(Risk.closed_at)))
    return list(raised), list(closed)


def claim_due_risk_reviews(session: Session, *, now: datetime, limit: int) -> list[Risk]:
    """Risks with a review reminder due, locked; other processes skip them."""
    query = (select(Risk).where(col(Risk.next_check_at) <= now).order_by(col(Risk.next_check_at), col(Risk.id))
             .limit(limit).with_for_update(skip_locked=True))
    return list(session.exec(query.execution_options(populate_existing=True)))


def next_risk_check_at(session: Session) -> datetime | None:
    """When the earliest review reminder is due (in the past when one is waiting)."""
    return earliest(session, Risk.next_check_at)
