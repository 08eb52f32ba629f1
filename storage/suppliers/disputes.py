"""Disputes (争议处理) with any party on their ladder (the default four levels or a dispute clause's), the other
parties involved, the mediator named at level 2, and every level's history."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Column, Select, String, Text, UniqueConstraint, func, or_, union
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, SQLModel, col, select

from storage.accounts import Account
from storage.care.complaints import Complaint
from storage.db import earliest, storable_id
from storage.suppliers.contracts import SupportContract
from storage.types import JSONData, UTCDateTime


class DisputeStatus(StrEnum):
    """A dispute is open until someone records how it was resolved."""

    OPEN = "open"
    RESOLVED = "resolved"


class DisputeAction(StrEnum):
    """A step in a dispute's history."""

    OPENED = "opened"
    ESCALATED = "escalated"
    RESOLVED = "resolved"
    MEDIATOR = "mediator"
    REOPENED = "reopened"


class Dispute(SQLModel, table=True):
    """A dispute with a party (supplier, customer or third party), its owner and where it stands on the ladder."""

    __tablename__ = "dispute"

    id: int | None = Field(default=None, primary_key=True)
    # The party the dispute is with, of any kind (named when disputes were with suppliers only).
    supplier_id: int = Field(foreign_key="account.id", index=True)
    subject: str = Field(sa_column=Column(Text, nullable=False))
    scope: str | None = Field(default=None, sa_column=Column(Text))
    complaint_id: int | None = Field(default=None, foreign_key="complaint.id")
    status: DisputeStatus = Field(default=DisputeStatus.OPEN, sa_type=String(16), index=True)
    level: int = 1
    owner_id: str = Field(max_length=32)
    level_started_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    # None at the last level (legal), which has no deadline.
    level_due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    # When the scheduler must look at it (the level's deadline); None once nothing is due.
    next_check_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    resolution: str | None = Field(default=None, sa_column=Column(Text))
    resolved_by: str | None = Field(default=None, max_length=32)
    resolved_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    updated_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    # Bumped on every change; names the card's in-place updates in the outbox.
    version: int = 0
    # The dispute clause followed, copied when the dispute opened ([{"decider": ..., "days": ...}], one per level),
    # and the contract or agreement it came from; None: the default ladder (RAPPORT_DISPUTE_DAYS).
    ladder: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSONData, nullable=True))
    clause_contract_id: int | None = Field(default=None, foreign_key="support_contract.id")
    clause_agreement_id: int | None = Field(default=None, foreign_key="service_agreement.id")


class DisputeMediator(SQLModel, table=True):
    """The party asked to mediate at the ladder's second step (借助最终客户、第三方协调), and the person if named."""

    __tablename__ = "dispute_mediator"

    id: int | None = Field(default=None, primary_key=True)
    dispute_id: int = Field(foreign_key="dispute.id", unique=True, index=True)
    account_id: int = Field(foreign_key="account.id", index=True)
    user_id: str | None = Field(default=None, max_length=32)
    named_by: str = Field(max_length=32)
    named_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class DisputeParty(SQLModel, table=True):
    """Another supplier involved in a dispute."""

    __tablename__ = "dispute_party"
    __table_args__ = (UniqueConstraint("dispute_id", "account_id", name="uq_dispute_party"),)

    id: int | None = Field(default=None, primary_key=True)
    dispute_id: int = Field(foreign_key="dispute.id", index=True)
    account_id: int = Field(foreign_key="account.id", index=True)


class DisputeEvent(SQLModel, table=True):
    """One step of a dispute's history: opened, escalated (by whom, or automatically), resolved."""

    __tablename__ = "dispute_event"

    id: int | None = Field(default=None, primary_key=True)
    dispute_id: int = Field(foreign_key="dispute.id", index=True)
    at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    actor_id: str = Field(max_length=32)
    action: DisputeAction = Field(sa_type=String(16))
    level: int
    automatic: bool = False
    note: str | None = Field(default=None, sa_column=Column(Text))


# Highest level first, then the earliest deadline: the order disputes are listed in.
_LADDER_ORDER = (col(Dispute.level).desc(), col(Dispute.level_due_at), col(Dispute.id))


def add_dispute(session: Session, dispute: Dispute, *, party_ids: list[int]) -> Dispute:
    """Store a dispute and the other suppliers involved; the id is set on return."""
    session.add(dispute)
    session.flush()
    assert dispute.id is not None  # set by the flush
    for account_id in dict.fromkeys(party_ids):
        session.add(DisputeParty(dispute_id=dispute.id, account_id=account_id))
    session.flush()
    return dispute


def add_event(session: Session, event: DisputeEvent) -> DisputeEvent:
    """Add a step to a dispute's history."""
    session.add(event)
    return event


def get_dispute(session: Session, *, dispute_id: int, for_update: bool = False) -> Dispute | None:
    """A dispute by id, locked against concurrent changes when `for_update`."""
    if not storable_id(dispute_id):
        return None  # no row can have it; the database would refuse to compare
    query = select(Dispute).where(Dispute.id == dispute_id)
    if for_update:
        query = query.with_for_update()
    return session.exec(query.execution_options(populate_existing=True)).first()


def list_party_names(session: Session, *, dispute_id: int) -> list[str]:
    """Names of the other suppliers involved, in the order they were named."""
    query = (select(Account.name).join(DisputeParty, col(DisputeParty.account_id) == col(Account.id))
             .where(DisputeParty.dispute_id == dispute_id).order_by(col(DisputeParty.id)))
    return list(session.exec(query))


def list_events(session: Session, *, dispute_id: int) -> list[DisputeEvent]:
    """A dispute's history, oldest first."""
    query = select(DisputeEvent).where(DisputeEvent.dispute_id == dispute_id).order_by(col(DisputeEvent.id))
    return list(session.exec(query))


def list_due_disputes(session: Session, *, now: datetime, limit: int) -> list[Dispute]:
    """Disputes whose level is overdue at `now`, locked; other processes skip them."""
    query = (
        select(Dispute)
        .where(col(Dispute.next_check_at) <= now)
        .order_by(col(Dispute.next_check_at), col(Dispute.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(query.execution_options(populate_existing=True)))


def next_dispute_check_at(session: Session) -> datetime | None:
    """When the earliest dispute level runs out (in the past when one is waiting)."""
    return earliest(session, Dispute.next_check_at)


def list_disputes(session: Session, *, status: DisputeStatus, offset: int = 0, limit: int = 10) -> list[Dispute]:
    """Disputes of one status, highest level and earliest deadline first, one page at a time."""
    query = (select(Dispute).where(Dispute.status == status)
             .order_by(*_LADDER_ORDER).offset(offset).limit(limit))
    return list(session.exec(query))


def count_disputes(session: Session, *, status: DisputeStatus) -> int:
    """How many disputes have a status."""
    return session.exec(select(func.count()).select_from(Dispute).where(Dispute.status == status)).one()


def count_open_by_level(session: Session) -> dict[int, int]:
    """Open disputes per ladder level."""
    query = (select(Dispute.level, func.count()).where(Dispute.status == DisputeStatus.OPEN)
             .group_by(col(Dispute.level)))
    return dict(session.exec(query).all())


def list_open_disputes(session: Session, *, supplier_id: int) -> list[Dispute]:
    """Open disputes with a supplier, or that involve it, highest level first (for its scorecard)."""
    involved = select(DisputeParty.dispute_id).where(DisputeParty.account_id == supplier_id)
    query = (select(Dispute)
             .where(Dispute.status == DisputeStatus.OPEN,
                    or_(col(Dispute.supplier_id) == supplier_id, col(Dispute.id).in_(involved)))
             .order_by(*_LADDER_ORDER))
    return list(session.exec(query))


def open_disputes_behind(session: Session, *, account_ids: Sequence[int] | None, at: datetime) -> dict[int, int]:
    """Disputes open at `at` with the suppliers behind each customer, in one query: customer id -> how many.

    A supplier is behind a customer when one of its support contracts backs that customer on `at`'s day; a
    dispute about one of the customer's complaints counts too. A dispute counts once per customer.
    """
    day = at.date()
    open_then = (col(Dispute.created_at) <= at,
                 or_(col(Dispute.status) == DisputeStatus.OPEN, col(Dispute.resolved_at) > at))
    by_contract: Select[int, int] = (
        sa_select(col(SupportContract.customer_id).label("account_id"), col(Dispute.id).label("dispute_id"))
                   .join(SupportContract, col(SupportContract.supplier_id) == col(Dispute.supplier_id))
                   .where(*open_then, col(SupportContract.valid_from) <= day, col(SupportContract.valid_until) >= day))
    by_complaint: Select[int, int] = (
        sa_select(col(Complaint.account_id).label("account_id"), col(Dispute.id).label("dispute_id"))
                    .join(Complaint, col(Complaint.id) == col(Dispute.complaint_id)).where(*open_then))
    if account_ids is not None:
        by_contract = by_contract.where(col(SupportContract.customer_id).in_(list(account_ids)))
        by_complaint = by_complaint.where(col(Complaint.account_id).in_(list(account_ids)))
    links = union(by_contract, by_complaint).subquery()
    query = select(links.c.account_id, func.count()).group_by(links.c.account_id)
    return {int(row[0]): int(row[1]) for row in session.execute(query)}


def add_mediator(session: Session, mediator: DisputeMediator) -> DisputeMediator:
    """Record a dispute's mediator."""
    session.add(mediator)
    session.flush()
    return mediator


def get_mediator(session: Session, *, dispute_id: int) -> DisputeMediator | None:
    """A dispute's mediator, once named."""
    return session.exec(select(DisputeMediator).where(DisputeMediator.dispute_id == dispute_id)).first()
