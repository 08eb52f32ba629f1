"""Information-sharing agreements with third parties (第三方), by 5W1H: the table and its queries."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from sqlalchemy import Column, CursorResult, Date, String, Text, update
from sqlmodel import Field, Session, SQLModel, col, select

from storage.db import storable_id
from storage.types import JSONData, UTCDateTime


class SharedKind(StrEnum):
    """What (5W1H) may be shared: kinds of information Rapport can post a summary of."""

    COMPLAINTS = "complaints"
    DISPUTES = "disputes"
    REQUESTS = "requests"


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


def add_agreement(session: Session, agreement: SharingAgreement) -> SharingAgreement:
    """Store an agreement; its id is set on return."""
    session.add(agreement)
    session.flush()
    return agreement


def get_agreement(session: Session, *, agreement_id: int) -> SharingAgreement | None:
    """An agreement by id, as stored now."""
    if not storable_id(agreement_id):
        return None  # no row can have it; the database would refuse to compare
    query = select(SharingAgreement).where(SharingAgreement.id == agreement_id)
    return session.exec(query.execution_options(populate_existing=True)).first()


def decide_agreement(session: Session, *, agreement_id: int, status: AgreementStatus, at: datetime) -> bool:
    """Approve or decline a pending agreement; False when it was decided already (by another click)."""
    statement = update(SharingAgreement).where(
        col(SharingAgreement.id) == agreement_id, col(SharingAgreement.status) == AgreementStatus.PENDING).values(
        status=status, decided_at=at)
    result = session.execute(statement.execution_options(synchronize_session=False))
    assert isinstance(result, CursorResult)  # an UPDATE's result, which counts the rows it changed
    return result.rowcount == 1


def list_agreements(session: Session, *, account_id: int) -> list[SharingAgreement]:
    """A third party's agreements, newest first."""
    query = select(SharingAgreement).where(SharingAgreement.account_id == account_id).order_by(
        col(SharingAgreement.id).desc())
    return list(session.exec(query))
