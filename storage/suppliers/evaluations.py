"""Suppliers (供应商关系管理): selection evaluations, periodic audits and each supplier's audit schedule.

Third parties (第三方) are evaluated and reviewed in the same tables: the rows are keyed by account and hold their
scores by criterion key, so the criteria set follows the account's kind and role (bot.thirdparty.criteria).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, TypeVar

from sqlalchemy import Column, Date, Index, func
from sqlmodel import Field, Session, SQLModel, col, select

from storage.accounts import Account, AccountKind
from storage.types import JSONData, UTCDateTime


class Criterion(StrEnum):
    """The nine selection criteria (SPEC §1.2, item 1), in the order people score them."""

    CAPITAL = "capital"  # registered capital
    STAFF = "staff"  # staff size, education and skills mix
    CUSTOMERS = "customers"  # existing customer base
    QUALIFICATIONS = "qualifications"  # O&M and information-security qualifications
    PROCESS = "process"  # process maturity and support system
    ENGINEERS = "engineers"  # engineers' skills and certifications
    SCALABILITY = "scalability"  # can it absorb a sudden +50% load?
    FIT = "fit"  # competition vs complementarity with our business
    REPUTATION = "reputation"  # industry reputation


class Dimension(StrEnum):
    """The six audit dimensions (SPEC §1.2, item 2)."""

    RESPONSIVENESS = "responsiveness"
    ABILITY = "ability"  # problem-solving ability
    EFFICIENCY = "efficiency"  # problem-solving efficiency
    STABILITY = "stability"  # staff stability
    FEEDBACK = "feedback"  # customer feedback
    COOPERATION = "cooperation"  # cooperation atmosphere


class SupplierProfile(SQLModel, table=True):
    """A supplier's audit schedule and its latest evaluation total (for ranking candidates)."""

    __tablename__ = "supplier_profile"

    account_id: int = Field(foreign_key="account.id", primary_key=True)
    audit_every_months: int = 3
    # When the next audit falls due; past it, the audit is overdue (the digest lists it).
    next_audit_due_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))
    # When the owner is reminded of that audit; None once reminded, so scanning reads only what is due.
    audit_remind_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True, index=True))
    latest_total: float | None = None
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class SupplierEvaluation(SQLModel, table=True):
    """One selection evaluation: nine scores 1–5 with notes, the weights used, total and verdict."""

    __tablename__ = "supplier_evaluation"
    __table_args__ = (Index("ix_supplier_evaluation_account_created", "account_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    scores: dict[str, int] = Field(sa_column=Column(JSONData, nullable=False))
    notes: dict[str, str] | None = Field(default=None, sa_column=Column(JSONData, nullable=True))
    weights: dict[str, float] = Field(sa_column=Column(JSONData, nullable=False))
    total: float
    threshold: float
    qualified: bool
    evaluated_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class SupplierAudit(SQLModel, table=True):
    """One periodic audit: six scores 1–5 with notes, the period audited and the auditor."""

    __tablename__ = "supplier_audit"
    __table_args__ = (Index("ix_supplier_audit_account_created", "account_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    account_id: int = Field(foreign_key="account.id")
    scores: dict[str, int] = Field(sa_column=Column(JSONData, nullable=False))
    notes: dict[str, str] | None = Field(default=None, sa_column=Column(JSONData, nullable=True))
    average: float
    period_start: date = Field(sa_column=Column(Date, nullable=False))
    period_end: date = Field(sa_column=Column(Date, nullable=False))
    auditor_id: str = Field(max_length=32)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


# The latest audit first (two on the same moment: the one stored last).
_NEWEST_AUDIT_FIRST = (col(SupplierAudit.created_at).desc(), col(SupplierAudit.id).desc())


def get_profile(session: Session, *, account_id: int, for_update: bool = False) -> SupplierProfile | None:
    """A supplier's profile, locked against concurrent changes when `for_update`."""
    query = select(SupplierProfile).where(SupplierProfile.account_id == account_id)
    if for_update:
        query = query.with_for_update()
    return session.exec(query.execution_options(populate_existing=True)).first()


Row = TypeVar("Row", bound=SQLModel)


def add_row(session: Session, row: Row) -> Row:
    """Store a row; its id is set on return."""
    session.add(row)
    session.flush()
    return row


def latest_evaluation(session: Session, *, account_id: int) -> SupplierEvaluation | None:
    """The supplier's most recent evaluation."""
    query = (select(SupplierEvaluation).where(SupplierEvaluation.account_id == account_id)
             .order_by(col(SupplierEvaluation.created_at).desc(), col(SupplierEvaluation.id).desc()))
    return session.exec(query).first()


def latest_evaluations(session: Session, *, account_ids: list[int]) -> dict[int, SupplierEvaluation]:
    """The most recent evaluation of each of these suppliers (one query)."""
    if not account_ids:
        return {}
    newest = (select(func.max(SupplierEvaluation.id)).where(col(SupplierEvaluation.account_id).in_(account_ids))
              .group_by(col(SupplierEvaluation.account_id)))
    rows = session.exec(select(SupplierEvaluation).where(col(SupplierEvaluation.id).in_(newest)))
    return {row.account_id: row for row in rows}


def recent_audits(session: Session, *, account_id: int, limit: int = 4) -> list[SupplierAudit]:
    """The supplier's latest audits, oldest first."""
    query = (select(SupplierAudit).where(SupplierAudit.account_id == account_id)
             .order_by(*_NEWEST_AUDIT_FIRST).limit(limit))
    return list(reversed(session.exec(query).all()))


def recent_audit_averages(session: Session, *, account_ids: list[int], per_supplier: int = 3) -> dict[int, list[float]]:
    """The latest audit averages of each of these suppliers, oldest first (one query)."""
    if not account_ids:
        return {}
    ranked = select(
        SupplierAudit.account_id, SupplierAudit.average,
        func.row_number().over(partition_by=col(SupplierAudit.account_id), order_by=_NEWEST_AUDIT_FIRST).label("n"),
    ).where(col(SupplierAudit.account_id).in_(account_ids)).subquery()
    rows = session.exec(select(ranked.c.account_id, ranked.c.average).where(ranked.c.n <= per_supplier)
                        .order_by(ranked.c.account_id, ranked.c.n.desc()))
    averages: dict[int, list[float]] = {}
    for account_id, average in rows:
        averages.setdefault(account_id, []).append(average)
    return averages


def list_suppliers_ranked(session: Session, *, offset: int, limit: int) -> list[tuple[Account, SupplierProfile | None]]:
    """Supplier accounts, best latest evaluation first (not yet evaluated last), one page at a time."""
    query = (
        select(Account, SupplierProfile)
        .join(SupplierProfile, col(SupplierProfile.account_id) == col(Account.id), isouter=True)
        .where(Account.kind == AccountKind.SUPPLIER)
        .order_by(col(SupplierProfile.latest_total).desc().nulls_last(), col(Account.name_key))
        .offset(offset).limit(limit)
    )
    return [(account, profile) for account, profile in session.exec(query)]


def list_suppliers_without_profile(session: Session, *, limit: int) -> list[Account]:
    """Supplier accounts that have no audit schedule yet (added before every supplier got one)."""
    query = (
        select(Account)
        .join(SupplierProfile, col(SupplierProfile.account_id) == col(Account.id), isouter=True)
        .where(Account.kind == AccountKind.SUPPLIER, col(SupplierProfile.account_id).is_(None))
        .order_by(col(Account.id))
        .limit(limit)
    )
    return list(session.exec(query))


def _parties(third_parties: bool) -> Any:
    """Third parties' profiles (their reviews), or the others' (suppliers' audits)."""
    return Account.kind == AccountKind.THIRD_PARTY if third_parties else Account.kind != AccountKind.THIRD_PARTY


def claim_due_audit_reminders(session: Session, *, now: datetime, limit: int,
                              third_parties: bool = False) -> list[SupplierProfile]:
    """Profiles whose audit (a third party's: review) reminder is due, locked; other processes skip them."""
    query = (
        select(SupplierProfile)
        .join(Account, col(Account.id) == col(SupplierProfile.account_id))
        .where(col(SupplierProfile.audit_remind_at) <= now, _parties(third_parties))
        .order_by(col(SupplierProfile.audit_remind_at), col(SupplierProfile.account_id))
        .limit(limit)
        .with_for_update(skip_locked=True, of=SupplierProfile)
    )
    return list(session.exec(query.execution_options(populate_existing=True)))


def next_audit_reminder_at(session: Session, *, third_parties: bool = False) -> datetime | None:
    """When the earliest audit (a third party's: review) reminder is due (in the past when one is waiting)."""
    query = (select(func.min(SupplierProfile.audit_remind_at))
             .join(Account, col(Account.id) == col(SupplierProfile.account_id)).where(_parties(third_parties)))
    return session.exec(query).one()


@dataclass(frozen=True)
class OverdueAudit:
    """A supplier whose audit is past due."""

    account_id: int
    name: str
    owner_id: str | None
    due_at: datetime


def list_overdue_audits(session: Session, *, now: datetime, owner_id: str | None = None,
                        limit: int = 100, third_parties: bool = False) -> list[OverdueAudit]:
    """Suppliers (or third parties) whose audit fell due before `now`, longest overdue first (the owner's only)."""
    query = (
        select(Account.id, Account.name, Account.owner_id, SupplierProfile.next_audit_due_at)
        .join(SupplierProfile, col(SupplierProfile.account_id) == col(Account.id))
        .where(col(SupplierProfile.next_audit_due_at) <= now, _parties(third_parties))
        .order_by(col(SupplierProfile.next_audit_due_at), col(Account.id))
        .limit(limit)
    )
    if owner_id is not None:
        query = query.where(Account.owner_id == owner_id)
    overdue = []
    for account_id, name, owner, due_at in session.exec(query):
        assert account_id is not None  # a stored account
        overdue.append(OverdueAudit(account_id=account_id, name=name, owner_id=owner, due_at=due_at))
    return overdue
