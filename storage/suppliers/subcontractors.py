"""Subcontracting chains (分包): a supplier's subcontractors, what each may do, and which clauses bind them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, UniqueConstraint, func
from sqlmodel import Field, Session, SQLModel, col, select

from storage.accounts import Account
from storage.types import UTCDateTime

SCOPE_LIMIT = 200


class Subcontractor(SQLModel, table=True):
    """Another supplier account a supplier subcontracts to, for a scope, and the clauses of that subcontract."""

    __tablename__ = "supplier_subcontractor"
    __table_args__ = (UniqueConstraint("supplier_id", "subcontractor_id"),)

    id: int | None = Field(default=None, primary_key=True)
    supplier_id: int = Field(foreign_key="account.id", index=True)
    subcontractor_id: int = Field(foreign_key="account.id", index=True)
    scope: str = Field(max_length=SCOPE_LIMIT)  # what the subcontractor may do
    audit_clause: bool = False  # we (or the supplier) may audit them
    ip_clause: bool = False
    security_clause: bool = False
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


def get_link(session: Session, *, supplier_id: int, subcontractor_id: int) -> Subcontractor | None:
    """The subcontract between these two suppliers, if recorded."""
    return session.exec(select(Subcontractor).where(Subcontractor.supplier_id == supplier_id,
                                                    Subcontractor.subcontractor_id == subcontractor_id)).first()


def list_subcontractors(session: Session, *, supplier_id: int, limit: int = 50) -> list[tuple[Subcontractor, Account]]:
    """A supplier's subcontractors with their accounts, by name."""
    query = (select(Subcontractor, Account).join(Account, col(Account.id) == col(Subcontractor.subcontractor_id))
             .where(Subcontractor.supplier_id == supplier_id).order_by(col(Account.name_key)).limit(limit))
    return [(link, account) for link, account in session.exec(query)]


def count_own_subcontractors(session: Session, *, supplier_ids: list[int]) -> dict[int, int]:
    """How many subcontractors each of these suppliers has in turn (a second level of subcontracting)."""
    if not supplier_ids:
        return {}
    query = (select(Subcontractor.supplier_id, func.count()).where(col(Subcontractor.supplier_id).in_(supplier_ids))
             .group_by(col(Subcontractor.supplier_id)))
    return {int(supplier_id): int(count) for supplier_id, count in session.exec(query).all()}
