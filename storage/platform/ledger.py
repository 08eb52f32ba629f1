"""The run ledger: once-per-period work is claimed by inserting a unique key."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, func
from sqlmodel import Field, Session, SQLModel, col, select

from storage.db import insert_ignoring_conflicts
from storage.types import UTCDateTime


class RunLedger(SQLModel, table=True):
    """A piece of periodic work that has been done (e.g. `digest:U1:2026-11-27`)."""

    __tablename__ = "run_ledger"

    key: str = Field(primary_key=True, max_length=200)
    ran_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


def claim_run(session: Session, *, key: str, now: datetime) -> bool:
    """Record that `key` ran; False when another tick or process already did."""
    return insert_ignoring_conflicts(session, RunLedger, {"key": key, "ran_at": now}, key="key")


def claimed_keys(session: Session, *, keys: list[str]) -> set[str]:
    """Which of `keys` have been claimed already (one query, to skip work done before claiming it)."""
    if not keys:
        return set()
    return set(session.exec(select(RunLedger.key).where(col(RunLedger.key).in_(keys))))


def last_run(session: Session, *, prefix: str, before: datetime) -> datetime | None:
    """When work whose key starts with `prefix` last ran before `before` (e.g. someone's previous digest)."""
    query = select(func.max(RunLedger.ran_at)).where(col(RunLedger.key).startswith(prefix, autoescape=True),
                                                     col(RunLedger.ran_at) < before)
    return session.exec(query).one()
