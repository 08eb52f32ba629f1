"""Stakeholders (干系人) of an account: the people who matter there, and when each was last met."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, String, UniqueConstraint, false, update
from sqlmodel import Field, Session, SQLModel, col, select

from storage.accounts import Account
from storage.db import rows_changed
from storage.rhythm.agreements import ServiceAgreement
from storage.types import UTCDateTime


class Influence(StrEnum):
    """How much a stakeholder sways the account's decisions."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


class Stance(StrEnum):
    """How a stakeholder stands towards our service."""

    SUPPORTER = "supporter"
    NEUTRAL = "neutral"
    CRITIC = "critic"


class Stakeholder(SQLModel, table=True):
    """One person who matters at an account; at most one per account is its executive sponsor (客户高层)."""

    __tablename__ = "stakeholder"
    __table_args__ = (UniqueConstraint("account_id", "name_key", name="uq_stakeholder_name"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    name: str = Field(max_length=80)
    name_key: str = Field(max_length=80)  # the name folded for look-ups
    user_id: str | None = Field(default=None, max_length=32)  # their Slack user, when they are in a shared channel
    role: str | None = Field(default=None, max_length=80)
    influence: Influence = Field(default=Influence.MEDIUM, sa_type=String(8))
    stance: Stance = Field(default=Stance.NEUTRAL, sa_type=String(16))
    sponsor: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    last_met_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    # The local day the digest first warned that this sponsor was not met within the cadence; cleared when met.
    sponsor_warned_on: date | None = None
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


def list_stakeholders(session: Session, *, account_id: int) -> list[Stakeholder]:
    """An account's stakeholders: the sponsor first, then by influence and name."""
    order = {Influence.HIGH: 0, Influence.MEDIUM: 1, Influence.LOW: 2}
    found = list(session.exec(select(Stakeholder).where(Stakeholder.account_id == account_id)
                              .execution_options(populate_existing=True)))
    return sorted(found, key=lambda s: (not s.sponsor, order[Influence(s.influence)], s.name_key))


def get_stakeholder(session: Session, *, account_id: int, name_key: str) -> Stakeholder | None:
    """A stakeholder of an account by folded name."""
    query = select(Stakeholder).where(Stakeholder.account_id == account_id, Stakeholder.name_key == name_key)
    return session.exec(query.execution_options(populate_existing=True)).first()


def save_stakeholder(session: Session, stakeholder: Stakeholder) -> Stakeholder:
    """Store a new or changed stakeholder; its id is set on return."""
    session.add(stakeholder)
    session.flush()
    return stakeholder


def delete_stakeholder(session: Session, stakeholder: Stakeholder) -> None:
    """Remove a stakeholder."""
    session.delete(stakeholder)
    session.flush()


def make_sponsor(session: Session, *, account_id: int, stakeholder_id: int) -> None:
    """Make one stakeholder the account's sponsor and nobody else, in one statement (two at once leave one)."""
    statement = update(Stakeholder).where(col(Stakeholder.account_id) == account_id).values(
        sponsor=col(Stakeholder.id) == stakeholder_id)
    rows_changed(session, statement.execution_options(synchronize_session=False))


def mark_met(session: Session, *, stakeholder_ids: list[int], at: datetime) -> list[int]:
    """Move these stakeholders' last meeting to `at` where it is later; the ids moved.

    The sponsor's digest warning is cleared with it, as a new lapse starts then.
    """
    if not stakeholder_ids:
        return []
    moved = [row.id for row in session.exec(select(Stakeholder).where(
        col(Stakeholder.id).in_(stakeholder_ids),
        col(Stakeholder.last_met_at).is_(None) | (col(Stakeholder.last_met_at) < at)))]
    statement = update(Stakeholder).where(
        col(Stakeholder.id).in_(stakeholder_ids),
        col(Stakeholder.last_met_at).is_(None) | (col(Stakeholder.last_met_at) < at)).values(
        last_met_at=at, sponsor_warned_on=None)
    rows_changed(session, statement.execution_options(synchronize_session=False))
    return [stakeholder_id for stakeholder_id in moved if stakeholder_id is not None]


def sponsors_with_cycles(session: Session, *, owner_id: str | None = None) -> list[tuple[Stakeholder, Account,
                                                                                          str | None]]:
    """Every account's sponsor with its account and its agreement's cycle (None: no agreement), in one query."""
    query: Any = (select(Stakeholder, Account, ServiceAgreement.cycle)
                  .join(Account, col(Account.id) == Stakeholder.account_id)
                  .join(ServiceAgreement, col(ServiceAgreement.account_id) == Account.id, isouter=True)
                  .where(col(Stakeholder.sponsor).is_(True)))
    if owner_id is not None:
        query = query.where(Account.owner_id == owner_id)
    return [(stakeholder, account, cycle) for stakeholder, account, cycle in session.exec(query)]


def mark_sponsor_warned(session: Session, *, stakeholder_ids: list[int], day: date) -> int:
    """Record the day the digest first warned about these sponsors (those not warned already)."""
    if not stakeholder_ids:
        return 0
    statement = update(Stakeholder).where(col(Stakeholder.id).in_(stakeholder_ids),
                                          col(Stakeholder.sponsor_warned_on).is_(None)).values(sponsor_warned_on=day)
    return rows_changed(session, statement.execution_options(synchronize_session=False))
