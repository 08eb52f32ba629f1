"""Support contracts with suppliers, each backing one customer service (an account and a complaint severity)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Column, Date, Index, String, func
from sqlmodel import Field, Session, SQLModel, col, select

from storage.care.complaints import ComplaintSeverity
from storage.db import earliest
from storage.types import JSONData, UTCDateTime


class SupportContract(SQLModel, table=True):
    """A supplier's support terms and the customer service they back."""

    __tablename__ = "support_contract"
    __table_args__ = (Index("ix_support_contract_customer_severity", "customer_id", "severity"),)

    id: int | None = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="account.id", index=True)
    customer_id: int = Field(foreign_key="account.id")
    severity: ComplaintSeverity = Field(sa_type=String(16))
    response_minutes: int
    resolution_minutes: int
    availability: float  # percent, e.g. 99.9
    # The availability promised to the customer for the service backed, when there is one to check against.
    customer_availability: float | None = None
    service_hours: str = Field(max_length=32)  # e.g. "7x24", "5x8 09:00-17:00"
    valid_from: date = Field(sa_column=Column(Date, nullable=False))
    valid_until: date = Field(sa_column=Column(Date, nullable=False))
    subcontracting_allowed: bool = False
    ip_clause: bool = False
    security_clause: bool = False
    # The dispute clause (争议条款) agreed in advance: who decides at each level and in how many working days
    # ([{"decider": ..., "days": ...}]); None: disputes with the supplier follow the default ladder.
    dispute_clause: list[dict[str, Any]] | None = Field(default=None, sa_column=Column(JSONData, nullable=True))
    # The next expiry alert (90, 30, 7 days before valid_until); None when none is left.
    next_alert_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True, index=True))
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


def add_contract(session: Session, contract: SupportContract) -> SupportContract:
    """Store a contract; its id is set on return."""
    session.add(contract)
    session.flush()
    return contract


def list_supplier_contracts(session: Session, *, supplier_id: int, limit: int = 20) -> list[SupportContract]:
    """A supplier's contracts, latest expiry first."""
    query = (select(SupportContract).where(SupportContract.supplier_id == supplier_id)
             .order_by(col(SupportContract.valid_until).desc(), col(SupportContract.id).desc()).limit(limit))
    return list(session.exec(query))


def count_backing_suppliers(session: Session, *, customer_id: int, severity: str, on: date) -> int:
    """How many different suppliers hold a contract valid on `on` backing this customer service."""
    query = select(func.count(func.distinct(SupportContract.supplier_id))).where(
        SupportContract.customer_id == customer_id, SupportContract.severity == severity,
        SupportContract.valid_from <= on, SupportContract.valid_until >= on)
    return session.exec(query).one()


def claim_due_contract_alerts(session: Session, *, now: datetime, limit: int) -> list[SupportContract]:
    """Contracts with an expiry alert due, locked; other processes skip them."""
    query = (
        select(SupportContract)
        .where(col(SupportContract.next_alert_at) <= now)
        .order_by(col(SupportContract.next_alert_at), col(SupportContract.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return list(session.exec(query.execution_options(populate_existing=True)))



def next_contract_alert_at(session: Session) -> datetime | None:
    """When the earliest expiry alert is due (in the past when one is waiting)."""
    return earliest(session, SupportContract.next_alert_at)


def list_contracts_in_force(session: Session, *, supplier_id: int, on: date) -> list[SupportContract]:
    """A supplier's contracts valid on `on`, the latest recorded first."""
    query = (select(SupportContract).where(SupportContract.supplier_id == supplier_id,
                                           SupportContract.valid_from <= on, SupportContract.valid_until >= on)
             .order_by(col(SupportContract.id).desc()))
    return list(session.exec(query))
