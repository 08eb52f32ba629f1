"""Customer needs (需求) and the supplementary agreements (补充协议) they ask for: the table and its queries."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Index, String, Text, UniqueConstraint, func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Field, Session, SQLModel, col, select

from storage.db import earliest, rows_changed, storable_id
from storage.types import UTCDateTime


class NeedStatus(StrEnum):
    """Where a need stands: heard → analysed → proposed → agreed → delivered, or declined."""

    HEARD = "heard"
    ANALYSED = "analysed"
    PROPOSED = "proposed"
    AGREED = "agreed"
    DELIVERED = "delivered"
    DECLINED = "declined"


class AgreementStatus(StrEnum):
    """A supplementary agreement asked for by a need that changes the service."""

    PENDING = "pending"
    SIGNED = "signed"
    DROPPED = "dropped"


class Need(SQLModel, table=True):
    """One thing a customer needs, from a command or a message, and where it stands."""

    __tablename__ = "need"
    __table_args__ = (
        UniqueConstraint("source_channel_id", "source_ts", name="uq_need_source"),
        Index("ix_need_account_status", "account_id", "status"),
    )

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    text: str = Field(sa_column=Column(Text, nullable=False))
    status: NeedStatus = Field(default=NeedStatus.HEARD, sa_type=String(16))
    owner_id: str = Field(max_length=32)  # who follows it up and is reminded of its agreement
    customer_id: str | None = Field(default=None, max_length=32)  # the customer who said it, when known
    source_channel_id: str | None = Field(default=None, max_length=32)
    source_ts: str | None = Field(default=None, max_length=32)
    permalink: str | None = Field(default=None, max_length=500)
    declined_reason: str | None = Field(default=None, max_length=500)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    agreed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    delivered_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    # A need that changes the service asks for a supplementary agreement, to be signed by `agreement_due_at`;
    # its owner is reminded on working days (`agreement_next_at`) until it is signed or dropped.
    agreement_status: AgreementStatus | None = Field(default=None, sa_type=String(16))
    agreement_due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    agreement_next_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    agreement_closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))


def add_need(session: Session, need: Need) -> Need | None:
    """Store a need; None when its source message was logged already (even by a concurrent request)."""
    try:
        with session.begin_nested():
            session.add(need)
            session.flush()
    except IntegrityError:
        if need.source_ts is None:
            raise
        return None
    return need


def get_need(session: Session, *, need_id: int) -> Need | None:
    """A need by id, as stored now."""
    if not storable_id(need_id):
        return None  # no row can have it; the database would refuse to compare
    query = select(Need).where(col(Need.id) == need_id).execution_options(populate_existing=True)
    return session.exec(query).first()


def get_need_from_message(session: Session, *, channel_id: str, ts: str) -> Need | None:
    """The need already logged from a Slack message, if any."""
    return session.exec(select(Need).where(Need.source_channel_id == channel_id, Need.source_ts == ts)).first()


def change_need(session: Session, *, need_id: int, statuses: tuple[NeedStatus, ...], values: dict[str, Any]) -> bool:
    """Apply `values` only while the need is in one of `statuses`; True if this call changed it."""
    statement = update(Need).where(col(Need.id) == need_id, col(Need.status).in_(statuses)).values(**values)
    return rows_changed(session, statement.execution_options(synchronize_session=False)) == 1


def change_agreement(session: Session, *, need_id: int, expected: AgreementStatus | None,
                     values: dict[str, Any]) -> bool:
    """Apply `values` only while the need's agreement is `expected`; True if this call changed it."""
    status = col(Need.agreement_status)
    statement = update(Need).where(col(Need.id) == need_id,
                                   status.is_(None) if expected is None else status == expected).values(**values)
    return rows_changed(session, statement.execution_options(synchronize_session=False)) == 1


def move_agreement_reminder(session: Session, *, need_id: int, expected: datetime, next_at: datetime) -> bool:
    """Move a pending agreement's next reminder on, only if no other tick did; True if this call moved it."""
    statement = update(Need).where(col(Need.id) == need_id, col(Need.agreement_next_at) == expected,
                                   col(Need.agreement_status) == AgreementStatus.PENDING).values(
        agreement_next_at=next_at)
    return rows_changed(session, statement.execution_options(synchronize_session=False)) == 1


def due_agreements(session: Session, *, now: datetime, limit: int) -> list[Need]:
    """Pending agreements whose reminder is due at `now`, earliest first."""
    query = select(Need).where(col(Need.agreement_status) == AgreementStatus.PENDING,
                               col(Need.agreement_next_at) <= now).order_by(
        col(Need.agreement_next_at), col(Need.id)).limit(limit)
    return list(session.exec(query.execution_options(populate_existing=True)))


def next_agreement_at(session: Session) -> datetime | None:
    """The earliest agreement reminder still to send (cleared once signed or dropped)."""
    return earliest(session, Need.agreement_next_at)


def list_needs(session: Session, *, account_id: int | None, open_only: bool, offset: int = 0,
               limit: int = 20) -> list[Need]:
    """Needs of an account (or every account), newest first; `open_only`: neither delivered nor declined."""
    query = select(Need)
    if account_id is not None:
        query = query.where(Need.account_id == account_id)
    if open_only:
        query = query.where(col(Need.status).not_in((NeedStatus.DELIVERED, NeedStatus.DECLINED)))
    return list(session.exec(query.order_by(col(Need.id).desc()).offset(offset).limit(limit)))


def count_needs(session: Session, *, account_id: int | None, open_only: bool) -> int:
    """How many needs `list_needs` would page through."""
    query = select(func.count()).select_from(Need)
    if account_id is not None:
        query = query.where(Need.account_id == account_id)
    if open_only:
        query = query.where(col(Need.status).not_in((NeedStatus.DELIVERED, NeedStatus.DECLINED)))
    return session.exec(query).one()


def needs_in_period(session: Session, *, account_id: int, start: datetime, end: datetime) -> list[Need]:
    """An account's needs heard, agreed or delivered in [start, end), or with an agreement pending."""
    def within(column: Any) -> Any:
        return (column >= start) & (column < end)

    query = select(Need).where(Need.account_id == account_id).where(
        within(col(Need.created_at)) | within(col(Need.agreed_at)) | within(col(Need.delivered_at))
        | (col(Need.agreement_status) == AgreementStatus.PENDING)).order_by(col(Need.id))
    return list(session.exec(query))
