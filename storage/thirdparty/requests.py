"""Requests from third parties (e.g. evidence for an audit): the table, with due dates and reminders."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, String, Text
from sqlmodel import Field, Session, SQLModel, col, select

from storage.db import earliest, storable_id
from storage.types import UTCDateTime


class RequestStatus(StrEnum):
    """A third party's request is open until we have done it."""

    OPEN = "open"
    DONE = "done"


class RequestReminder(StrEnum):
    """The reminders of a request: on its due day, then once it is overdue."""

    DUE_DAY = "due-day"
    OVERDUE = "overdue"


class ThirdPartyRequest(SQLModel, table=True):
    """Something a third party asked of us (e.g. evidence for an audit), with its due date and reminders."""

    __tablename__ = "third_party_request"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    what: str = Field(sa_column=Column(Text, nullable=False))
    due_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    status: RequestStatus = Field(default=RequestStatus.OPEN, sa_type=String(16), index=True)
    owner_id: str = Field(max_length=32)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    done_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    done_by: str | None = Field(default=None, max_length=32)
    # The due-day reminder's moment (None when the request is due before that day's opening).
    remind_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    reminded: RequestReminder | None = Field(default=None, sa_type=String(16))  # the latest reminder sent
    next_check_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))


def add_request(session: Session, request: ThirdPartyRequest) -> ThirdPartyRequest:
    """Store a request; its id is set on return."""
    session.add(request)
    session.flush()
    return request


def get_request(session: Session, *, request_id: int, for_update: bool = False) -> ThirdPartyRequest | None:
    """A request by id, locked against concurrent changes when `for_update`."""
    if not storable_id(request_id):
        return None  # no row can have it; the database would refuse to compare
    query = select(ThirdPartyRequest).where(ThirdPartyRequest.id == request_id)
    if for_update:
        query = query.with_for_update()
    return session.exec(query.execution_options(populate_existing=True)).first()


def list_requests(session: Session, *, status: RequestStatus | None = None, account_id: int | None = None,
                  limit: int = 50) -> list[ThirdPartyRequest]:
    """Requests (of one status, of one third party), earliest due first."""
    query = select(ThirdPartyRequest).order_by(col(ThirdPartyRequest.due_at), col(ThirdPartyRequest.id)).limit(limit)
    if status is not None:
        query = query.where(ThirdPartyRequest.status == status)
    if account_id is not None:
        query = query.where(ThirdPartyRequest.account_id == account_id)
    return list(session.exec(query))


def list_due_requests(session: Session, *, now: datetime, limit: int) -> list[ThirdPartyRequest]:
    """Requests with a reminder due at `now`, locked; other processes skip them."""
    query = (
        select(ThirdPartyRequest)
        .where(col(ThirdPartyRequest.next_check_at) <= now)
        .order_by(col(ThirdPartyRequest.next_check_at), col(ThirdPartyRequest.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(query.execution_options(populate_existing=True)))



def next_request_check_at(session: Session) -> datetime | None:
    """When the earliest third-party request reminder is due (in the past when one is waiting)."""
    return earliest(session, ThirdPartyRequest.next_check_at)
