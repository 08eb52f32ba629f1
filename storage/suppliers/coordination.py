"""Coordination between suppliers: an outage that spans layers, each layer's supplier and its status."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, String, Text, UniqueConstraint, func, or_
from sqlmodel import Field, Session, SQLModel, col, select

from storage.care.complaints import Complaint
from storage.db import earliest, storable_id
from storage.types import UTCDateTime


class LayerStatus(StrEnum):
    """What a layer's supplier has said so far."""

    WAITING = "waiting"  # no answer yet
    INVESTIGATING = "investigating"
    FIXED = "fixed"  # the supplier fixed something in its layer
    CLEARED = "cleared"  # "not us": the supplier found nothing wrong in its layer
    CAUSE_FOUND = "cause-found"


# The statuses after which a layer's supplier is no longer chased.
SETTLED = frozenset({LayerStatus.FIXED, LayerStatus.CLEARED, LayerStatus.CAUSE_FOUND})


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
    # Working minutes a layer may stay silent before its supplier is chased in its own shared channel.
    chase_minutes: int = Field(default=120, sa_column_kwargs={"server_default": "120"})
    # Closing: the root cause, the layer responsible and who closed it when.
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    closed_by: str | None = Field(default=None, max_length=32)
    root_cause: str | None = Field(default=None, sa_column=Column(Text))
    cause_layer: str | None = Field(default=None, max_length=40)


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
    # The supplier's linked shared channel, where the layer's twin card is (None: the supplier has none).
    twin_channel_id: str | None = Field(default=None, max_length=32)
    twin_version: int = Field(default=0, sa_column_kwargs={"server_default": "0"})
    # When to chase the supplier in its shared channel next (working time since its last update or chase).
    chase_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    chases: int = Field(default=0, sa_column_kwargs={"server_default": "0"})


class CoordinationNote(SQLModel, table=True):
    """A note added to one layer, by our people or the supplier's."""

    __tablename__ = "coordination_note"

    id: int | None = Field(default=None, primary_key=True)
    layer_id: int = Field(foreign_key="coordination_layer.id", index=True)
    author_id: str = Field(max_length=32)
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class CoordinationComplaint(SQLModel, table=True):
    """A customer complaint an outage caused, named when the coordination was closed."""

    __tablename__ = "coordination_complaint"

    coordination_id: int = Field(foreign_key="coordination.id", primary_key=True)
    complaint_id: int = Field(foreign_key="complaint.id", primary_key=True)


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


def get_layer(session: Session, *, layer_id: int) -> CoordinationLayer | None:
    """A layer by id."""
    return session.get(CoordinationLayer, layer_id) if storable_id(layer_id) else None


def add_note(session: Session, note: CoordinationNote) -> None:
    """Store a note on a layer."""
    session.add(note)
    session.flush()


def list_notes(session: Session, *, coordination_id: int, per_layer: int) -> dict[int, list[CoordinationNote]]:
    """The latest `per_layer` notes of each layer of a coordination, oldest first, by layer id."""
    layer_ids = select(CoordinationLayer.id).where(CoordinationLayer.coordination_id == coordination_id)
    query = (select(CoordinationNote).where(col(CoordinationNote.layer_id).in_(layer_ids))
             .order_by(col(CoordinationNote.id).desc()))
    notes: dict[int, list[CoordinationNote]] = {}
    for note in session.exec(query):
        kept = notes.setdefault(note.layer_id, [])
        if len(kept) < per_layer:
            kept.insert(0, note)
    return notes


def list_due_chases(session: Session, *, now: datetime, limit: int) -> list[int]:
    """Coordinations with a layer to chase in its supplier's shared channel at `now`."""
    query = (select(CoordinationLayer.coordination_id).where(col(CoordinationLayer.chase_at) <= now)
             .order_by(col(CoordinationLayer.chase_at), col(CoordinationLayer.id)).limit(limit))
    return list(dict.fromkeys(session.exec(query)))


def next_chase_at(session: Session) -> datetime | None:
    """When the earliest silent layer is to be chased in its supplier's channel."""
    return earliest(session, CoordinationLayer.chase_at)


def link_complaints(session: Session, *, coordination_id: int, complaint_ids: list[int]) -> None:
    """Record the complaints an outage caused."""
    session.add_all([CoordinationComplaint(coordination_id=coordination_id, complaint_id=complaint_id)
                     for complaint_id in complaint_ids])
    session.flush()


def list_complaint_ids(session: Session, *, coordination_id: int) -> list[int]:
    """The complaints linked to a coordination, by id."""
    query = (select(CoordinationComplaint.complaint_id).where(CoordinationComplaint.coordination_id == coordination_id)
             .order_by(col(CoordinationComplaint.complaint_id)))
    return list(session.exec(query))


def list_complaints_since(session: Session, *, since: datetime, limit: int) -> list[tuple[int, str]]:
    """Complaints opened since `since` (id, summary), newest first: those an outage may have caused."""
    query = (select(Complaint.id, Complaint.summary).where(col(Complaint.created_at) >= since)
             .order_by(col(Complaint.id).desc()).limit(limit))
    return [(complaint_id, summary) for complaint_id, summary in session.exec(query) if complaint_id is not None]


def _listed(since: datetime) -> Any:
    return or_(col(Coordination.closed_at).is_(None), col(Coordination.closed_at) >= since)


def count_listed(session: Session, *, closed_since: datetime) -> int:
    """How many coordinations are open or were closed since `closed_since`."""
    return session.exec(select(func.count()).select_from(Coordination).where(_listed(closed_since))).one()


def list_listed(session: Session, *, closed_since: datetime, offset: int, limit: int) -> list[Coordination]:
    """Open coordinations (newest first), then those closed since `closed_since` (latest first)."""
    query = (select(Coordination).where(_listed(closed_since))
             .order_by(col(Coordination.closed_at).is_not(None), col(Coordination.closed_at).desc(),
                       col(Coordination.id).desc())
             .offset(offset).limit(limit))
    return list(session.exec(query))
