"""Third parties (第三方): information-sharing agreements by 5W1H, and the requests they make of us."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, Date, String, Text, update
from sqlmodel import Field, Session, SQLModel, select

from storage.types import JSONData, UTCDateTime


class SharingWindow(StrEnum):
    """When (5W1H) information may be shared."""

    ANY_TIME = "any-time"
    BUSINESS_HOURS = "business-hours"


class SharingMethod(StrEnum):
    """How (5W1H) information is shared."""

    SLACK = "slack"  # a summary posted in the agreed channel
    EMAIL = "email"
    FILE_TRANSFER = "file-transfer"
    MEETING = "meeting"


class AgreementStatus(StrEnum):
    """An agreement counts once the manager named in it has approved it."""

    PENDING = "pending"
    APPROVED = "approved"
    DECLINED = "declined"


class SharingAgreement(SQLModel, table=True):
    """What we may share with a third party: why, what, where, when, who, how, approved by whom, until when."""

    __tablename__ = "sharing_agreement"

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    purpose: str = Field(sa_column=Column(Text, nullable=False))  # why
    kinds: list[str] = Field(sa_column=Column(JSONData, nullable=False))  # what
    channel_id: str = Field(max_length=32)  # where
    window: SharingWindow = Field(default=SharingWindow.ANY_TIME, sa_type=String(16))  # when
    schedule: str | None = Field(default=None, max_length=200)  # when, in words ("monthly, after the review")
    people: list[str] = Field(sa_column=Column(JSONData, nullable=False))  # who may share
    method: SharingMethod = Field(default=SharingMethod.SLACK, sa_type=String(16))  # how
    approved_by: str = Field(max_length=32)  # the manager asked to approve it (who did, once approved)
    status: AgreementStatus = Field(default=AgreementStatus.PENDING, sa_type=String(16))
    decided_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    valid_until: date = Field(sa_column=Column(Date, nullable=False))  # the last day, in the team's zone
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class RequestStatus(StrEnum):
    """A third party's request is open until we have done it."""

    OPEN = "open"
    DONE = "done"


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
    reminded: str | None = Field(default=None, max_length=16)  # the latest reminder sent: due-day, overdue
    next_check_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))


def add_agreement(session: Session, agreement: SharingAgreement) -> SharingAgreement:
    """Store an agreement; its id is set on return."""
    session.add(agreement)
    session.flush()
    return agreement


def get_agreement(session: Session, *, agreement_id: int) -> SharingAgreement | None:
    """An agreement by id, as stored now."""
    query = select(SharingAgreement).where(SharingAgreement.id == agreement_id)
    return session.exec(query.execution_options(populate_existing=True)).first()


def decide_agreement(session: Session, *, agreement_id: int, status: AgreementStatus, at: datetime) -> bool:
    """Approve or decline a pending agreement; False when it was decided already (by another click)."""
    statement = update(SharingAgreement).where(
        SharingAgreement.id == agreement_id, SharingAgreement.status == AgreementStatus.PENDING).values(
        status=status, decided_at=at)
    return session.execute(statement.execution_options(synchronize_session=False)).rowcount == 1


def list_agreements(session: Session, *, account_id: int) -> list[SharingAgreement]:
    """A third party's agreements, newest first."""
    query = select(SharingAgreement).where(SharingAgreement.account_id == account_id).order_by(
        SharingAgreement.id.desc())
    return list(session.exec(query))


def add_request(session: Session, request: ThirdPartyRequest) -> ThirdPartyRequest:
    """Store a request; its id is set on return."""
    session.add(request)
    session.flush()
    return request


def get_request(session: Session, *, request_id: int, for_update: bool = False) -> ThirdPartyRequest | None:
    """A request by id, locked against concurrent changes when `for_update`."""
    query = select(ThirdPartyRequest).where(ThirdPartyRequest.id == request_id)
    if for_update:
        query = query.with_for_update()
    return session.exec(query.execution_options(populate_existing=True)).first()


def list_requests(session: Session, *, status: RequestStatus | None = None, account_id: int | None = None,
                  limit: int = 50) -> list[ThirdPartyRequest]:
    """Requests (of one status, of one third party), earliest due first."""
    query = select(ThirdPartyRequest).order_by(ThirdPartyRequest.due_at, ThirdPartyRequest.id).limit(limit)
    if status is not None:
        query = query.where(ThirdPartyRequest.status == status)
    if account_id is not None:
        query = query.where(ThirdPartyRequest.account_id == account_id)
    return list(session.exec(query))


def list_due_requests(session: Session, *, now: datetime, limit: int) -> list[ThirdPartyRequest]:
    """Requests with a reminder due at `now`, locked; other processes skip them."""
    query = (
        select(ThirdPartyRequest)
        .where(ThirdPartyRequest.next_check_at <= now)
        .order_by(ThirdPartyRequest.next_check_at, ThirdPartyRequest.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(query.execution_options(populate_existing=True)))
