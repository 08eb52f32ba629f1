"""Coordination between suppliers: an outage that spans layers, each layer's supplier and its status."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, String, Text, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, select

from storage.db import earliest, storable_id
from storage.types import UTCDateTime


class LayerStatus(StrEnum):
    """What a layer's supplier has said so far."""

    WAITING = "waiting"  # no answer yet
    INVESTIGATING = "investigating"
    CLEARED = "cleared"
    CAUSE_FOUND = "cause-found"


class Coordination(SQLModel, table=True):
    """An outage worked on by several suppliers until its cause is known; one card shows it."""

    __tablename__ = "coordination"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(sa_column=Column(Text, nullable=False))
    channel_id: str = Field(max_length=32)
    ping_minutes: int = 30
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    # Bumped on every change; names the card's in-place updates in the outbox.
    version: int = 0


class CoordinationLayer(SQLModel, table=True):
    """One layer of an outage (network, database …), the supplier responsible and its status."""

    __tablename__ = "coordination_layer"
    __table_args__ = (UniqueConstraint("coordination_id", "name", name="uq_coordination_layer_name"),)

    id: int | None = Field(default=None, primary_key=True)
    coordination_id: int = Field(foreign_key="coordination.id", index=True)
    name: str = Field(max_length=40)
    supplier_id: int = Field(foreign_key="account.id")
    status: LayerStatus = Field(default=LayerStatus.WAITING, sa_type=String(16))
    updated_by: str | None = Field(default=None, max_length=32)
    updated_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    # When to chase a supplier that has not answered; None once it answered or was chased.
    ping_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    pinged_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    pinged_user: str | None = Field(default=None, max_length=32)


def add_coordination(session: Session, coordination: Coordination) -> Coordination:
    """Store a coordination; its id is set on return."""
    session.add(coordination)
    session.flush()
    return coordination


def add_layers(session: Session, layers: list[CoordinationLayer]) -> None:
    """Store a coordination's layers, in the order given; their ids are set on return."""
    session.add_all(layers)
    session.flush()


def get_coordination(session: Session, *, coordination_id: int, for_update: bool = False) -> Coordination | None:
    """A coordination by id, locked against concurrent changes when `for_update`."""
    if not storable_id(coordination_id):
        return None  # no row can have it; the database would refuse to compare
    query = select(Coordination).where(Coordination.id == coordination_id)
    if for_update:
        query = query.with_for_update()
    return session.exec(query.execution_options(populate_existing=True)).first()


def list_layers(session: Session, *, coordination_id: int) -> list[CoordinationLayer]:
    """A coordination's layers in the order they were given."""
    query = (select(CoordinationLayer).where(CoordinationLayer.coordination_id == coordination_id)
             .order_by(col(CoordinationLayer.id)))
    return list(session.exec(query.execution_options(populate_existing=True)))


def list_due_coordinations(session: Session, *, now: datetime, limit: int) -> list[int]:
    """Coordinations with a layer whose supplier should be chased at `now` (lock the coordination to act)."""
    # No GROUP BY: grouping would walk the coordination_id index over every layer stored.
    query = (select(CoordinationLayer.coordination_id).where(col(CoordinationLayer.ping_at) <= now)
             .order_by(col(CoordinationLayer.ping_at), col(CoordinationLayer.id)).limit(limit))
    return list(dict.fromkeys(session.exec(query)))



def next_ping_at(session: Session) -> datetime | None:
    """When the earliest silent supplier is to be chased (in the past when one is waiting)."""
    return earliest(session, CoordinationLayer.ping_at)
