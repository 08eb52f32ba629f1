"""Account health: the band each customer account was last seen in, so a fall into the red is told once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import Column, String
from sqlmodel import Field, Session, SQLModel, col, select

from storage.accounts import Account, AccountKind
from storage.db import insert_ignoring_conflicts
from storage.types import UTCDateTime


class HealthBand(SQLModel, table=True):
    """An account's health band when the digest last looked, and when it last fell into the red."""

    __tablename__ = "health_band"

    account_id: int = Field(primary_key=True, foreign_key="account.id")
    band: str = Field(sa_type=String(16))
    score: int
    noted_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    fell_into_red_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True, index=True))


def list_customers(session: Session, *, owner_id: str | None,
                   account_ids: Sequence[int] | None = None) -> list[Account]:
    """Customer accounts: a person's (or everyone's when None), or the given ones, by name — one query."""
    query = select(Account).where(col(Account.kind) == AccountKind.CUSTOMER).order_by(col(Account.name_key))
    if owner_id is not None:
        query = query.where(col(Account.owner_id) == owner_id)
    if account_ids is not None:
        query = query.where(col(Account.id).in_(list(account_ids)))
    return list(session.exec(query))


def noted_bands(session: Session) -> dict[int, HealthBand]:
    """Every account's band as last noted: account id -> row."""
    return {row.account_id: row for row in session.exec(select(HealthBand))}


def note_band(session: Session, *, account_id: int, band: str, score: int, now: datetime, fell: bool) -> None:
    """Record an account's new band (and, when it fell into the red, the moment it was seen there)."""
    values = {"account_id": account_id, "band": band, "score": score, "noted_at": now,
              "fell_into_red_at": now if fell else None}
    if insert_ignoring_conflicts(session, HealthBand, values, key="account_id"):
        return
    row = session.get(HealthBand, account_id, populate_existing=True)
    assert row is not None  # the insert above met it
    row.band, row.score, row.noted_at = band, score, now
    if fell:
        row.fell_into_red_at = now
    session.add(row)
    session.flush()


def fallen_into_red(session: Session, *, after: datetime, until: datetime, owner_id: str | None) -> list[int]:
    """Accounts (a person's, or everyone's) seen falling into the red after `after` and up to `until`: their ids."""
    fell = col(HealthBand.fell_into_red_at)
    query = (select(HealthBand.account_id).join(Account, col(Account.id) == col(HealthBand.account_id))
             .where(fell > after, fell <= until, col(HealthBand.band) == "red").order_by(fell))
    if owner_id is not None:
        query = query.where(col(Account.owner_id) == owner_id)
    return list(session.exec(query))
