"""Value-added services (增值服务) proposed for an account: the table and its queries."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, CursorResult, String, Text, update
from sqlmodel import Field, Session, SQLModel, col, select

from storage.db import storable_id
from storage.types import JSONData, UTCDateTime


class ServiceStatus(StrEnum):
    """A proposal waits for the owner's manager, who approves or declines it."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class AddedService(SQLModel, table=True):
    """A service beyond the agreed one: what, for whom, when, at what cost, and the four principles affirmed."""

    __tablename__ = "added_service"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    what: str = Field(sa_column=Column(Text, nullable=False))
    schedule: str = Field(max_length=200)  # as typed: a date, or a rule /meeting reads ("every month on …")
    first_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))  # its first occurrence
    rule: str | None = Field(default=None, max_length=100)  # canonical text of bot.calendar.recurrence; None: once
    next_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))  # the occurrence to come
    remind_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))  # its reminder
    deliveries: list[dict[str, Any]] = Field(default_factory=list, sa_column=Column(JSONData, nullable=False))
    cost: int = Field(default=0)  # the estimate in whole units of the team's currency
    effort: str | None = Field(default=None, max_length=200)
    # {"no_impact": {"affirmed": true, "note": "…"}, "relevant": …, "feasible": …, "capability": …}
    principles: dict[str, Any] = Field(sa_column=Column(JSONData, nullable=False))
    approver: str = Field(max_length=32)  # the manager asked
    status: ServiceStatus = Field(default=ServiceStatus.PENDING, sa_type=String(16))
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


def add_service(session: Session, service: AddedService) -> AddedService:
    """Store a proposal; its id is set on return."""
    session.add(service)
    session.flush()
    return service


def get_service(session: Session, *, service_id: int) -> AddedService | None:
    """A proposal by id, as stored now."""
    if not storable_id(service_id):
        return None  # no row can have it; the database would refuse to compare
    query = select(AddedService).where(AddedService.id == service_id)
    return session.exec(query.execution_options(populate_existing=True)).first()


def decide_service(session: Session, *, service_id: int, status: ServiceStatus, at: datetime) -> bool:
    """Approve or decline a pending proposal; False when it was decided already (by another click)."""
    statement = update(AddedService).where(
        col(AddedService.id) == service_id, col(AddedService.status) == ServiceStatus.PENDING).values(
        status=status, decided_at=at)
    result = session.execute(statement.execution_options(synchronize_session=False))
    assert isinstance(result, CursorResult)  # an UPDATE's result, which counts the rows it changed
    return result.rowcount == 1


def schedule_service(session: Session, *, service_id: int, expected: datetime | None, next_at: datetime | None,
                     remind_at: datetime | None) -> bool:
    """Move an approved service on to its next occurrence and reminder, only if no other tick did (`expected`)."""
    reminder = col(AddedService.remind_at)
    statement = update(AddedService).where(
        col(AddedService.id) == service_id,
        reminder.is_(None) if expected is None else reminder == expected).values(next_at=next_at, remind_at=remind_at)
    result = session.execute(statement.execution_options(synchronize_session=False))
    assert isinstance(result, CursorResult)  # an UPDATE's result, which counts the rows it changed
    return result.rowcount == 1


def due_services(session: Session, *, now: datetime, limit: int) -> list[AddedService]:
    """Approved services whose reminder is due at `now`, earliest first."""
    query = select(AddedService).where(AddedService.status == ServiceStatus.APPROVED,
                                       col(AddedService.remind_at).is_not(None),
                                       col(AddedService.remind_at) <= now).order_by(
        col(AddedService.remind_at)).limit(limit)
    return list(session.exec(query.execution_options(populate_existing=True)))


def next_reminder_at(session: Session) -> datetime | None:
    """The earliest reminder still to send."""
    query = select(AddedService.remind_at).where(AddedService.status == ServiceStatus.APPROVED,
                                                 col(AddedService.remind_at).is_not(None)).order_by(
        col(AddedService.remind_at)).limit(1)
    return session.exec(query).first()


def record_delivery(session: Session, service: AddedService, *, entry: dict[str, Any]) -> None:
    """Add a delivery (when, by whom, its note) to a service."""
    service.deliveries = [*service.deliveries, entry]
    session.add(service)
    session.flush()


def list_services(session: Session, *, account_id: int) -> list[AddedService]:
    """An account's proposed services, newest first."""
    query = select(AddedService).where(AddedService.account_id == account_id).order_by(col(AddedService.id).desc())
    return list(session.exec(query))
