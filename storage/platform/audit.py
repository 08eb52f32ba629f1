"""The audit log: one row for every change (who, what, when, before/after)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, insert
from sqlmodel import Field, Session, SQLModel, col, select

from storage.db import table_of
from storage.types import JSONData, UTCDateTime


class AuditLog(SQLModel, table=True):
    """A change made by a person or by the scheduler."""

    __tablename__ = "audit_log"

    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    actor_id: str = Field(max_length=32)
    action: str = Field(max_length=64)
    object_type: str = Field(max_length=32)
    object_id: str = Field(max_length=64, index=True)
    before: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONData))
    after: dict[str, Any] | None = Field(default=None, sa_column=Column(JSONData))


SCHEDULER = "scheduler"


def record_change(
    session: Session,
    *,
    actor_id: str,
    action: str,
    object_type: str,
    object_id: object,
    at: datetime,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> int:
    """Add an audit row in the caller's unit of work; its id."""
    # A Core insert (built once) at once, without a model object, rather than an ORM flush at commit:
    # every change writes one, and the unit of work and the model's constructor cost more CPU than the
    # statement (issue 10).
    return int(session.execute(_INSERT_AUDIT, {
        "at": at, "actor_id": actor_id, "action": action, "object_type": object_type, "object_id": str(object_id),
        "before": before, "after": after}).scalar_one())


_INSERT_AUDIT = insert(table_of(AuditLog)).returning(table_of(AuditLog).c.id)


def list_changes(session: Session, *, object_type: str, object_id: object) -> list[AuditLog]:
    """Changes to one object, oldest first."""
    query = (
        select(AuditLog)
        .where(AuditLog.object_type == object_type, AuditLog.object_id == str(object_id))
        .order_by(col(AuditLog.id))
    )
    return list(session.exec(query))
