"""The tick horizon: a counter every committed write moves, and what the last full tick found about the future.

One row (id 1). `changes` is bumped by the unit of work (storage/db.py) when a session that wrote commits;
`checked_changes`, `next_due_at` and `fingerprint` are set at the end of a full tick: "when `changes` was
`checked_changes`, nothing was due before `next_due_at` (None: nothing at all) for this code and these settings".
A cron tick reads them with the bare driver (storage/platform/horizon_peek.py) and exits early while that holds.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Engine, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel, select

from storage.db import table_of
from storage.types import UTCDateTime

HORIZON_ID = 1


class TickHorizon(SQLModel, table=True):
    """The one row a cron tick reads to know whether it may exit before loading the models."""

    __tablename__ = "tick_horizon"

    id: int = Field(primary_key=True)
    changes: int = Field(default=0, sa_column=Column(BigInteger, nullable=False))
    # None: no full tick has vouched for the present state, so a cron tick runs the full tick.
    checked_changes: int | None = Field(default=None, sa_column=Column(BigInteger))
    next_due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    fingerprint: str | None = Field(default=None, max_length=64)
    stored_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


_TABLE = table_of(TickHorizon)


def current_changes(session: Session) -> int | None:
    """The change counter now (None when the row is missing, e.g. right after a TRUNCATE)."""
    return session.exec(select(TickHorizon.changes).where(TickHorizon.id == HORIZON_ID)).first()


def store_horizon(engine: Engine, *, checked_changes: int | None, next_due_at: datetime | None, fingerprint: str,
                  now: datetime) -> None:
    """Record what a full tick found, on a bare connection: this write must not move the counter it records."""
    insert = postgresql.insert if engine.dialect.name == "postgresql" else sqlite.insert
    with engine.begin() as connection:
        connection.execute(insert(_TABLE).values(id=HORIZON_ID, changes=0).on_conflict_do_nothing(
            index_elements=["id"]))
        connection.execute(update(_TABLE).where(_TABLE.c.id == HORIZON_ID).values(
            checked_changes=checked_changes, next_due_at=next_due_at, fingerprint=fingerprint, stored_at=now))
