"""What Rapport's risk signals read from the record: complaint bursts, cold key accounts, audits, contracts, sharing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, exists, func
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from storage.accounts import Account, AccountKind, AccountTier, ChannelLink
from storage.care.complaints import Complaint
from storage.suppliers.contracts import SupportContract
from storage.suppliers.evaluations import SupplierAudit
from storage.suppliers.subcontractors import Subcontractor
from storage.thirdparty.sharing import AgreementStatus, SharingAgreement


@dataclass(frozen=True)
class Burst:
    """An account's complaints since a moment: how many, and the first of them."""

    account_id: int
    count: int
    first_id: int
    first_at: datetime


def complaint_bursts(session: Session, *, since: datetime, at_least: int) -> list[Burst]:
    """Accounts with at least `at_least` complaints since `since` (one query)."""
    query = (select(Complaint.account_id, func.count(), func.min(Complaint.id), func.min(Complaint.created_at))
             .where(col(Complaint.created_at) >= since).group_by(col(Complaint.account_id))
             .having(func.count() >= at_least))
    return [Burst(account_id, count, int(first_id or 0), first_at) for account_id, count, first_id, first_at
            in session.exec(query)]


def cold_key_accounts(session: Session, *, now: datetime) -> list[tuple[int, datetime, datetime]]:
    """(account, when it went cold, its last contact or else its creation) of key accounts past their cadence."""
    query = (select(Account.id, Account.contact_due_at, func.coalesce(Account.last_contact_at, Account.created_at))
             .where(Account.tier == AccountTier.KEY, col(Account.contact_due_at) <= now).order_by(col(Account.id)))
    return [(account_id, due, since) for account_id, due, since in session.exec(query)
            if account_id is not None and due is not None]


def next_key_account_due(session: Session, *, now: datetime) -> datetime | None:
    """When the next key account goes cold."""
    query = select(func.min(Account.contact_due_at)).where(Account.tier == AccountTier.KEY,
                                                           col(Account.contact_due_at) > now)
    return session.exec(query).one()


def recent_audit_rows(session: Session, *, per_supplier: int) -> list[tuple[int, int, float]]:
    """(supplier, audit id, average) of each supplier's latest audits, newest first (one query)."""
    ranked = select(
        SupplierAudit.account_id, SupplierAudit.id, SupplierAudit.average,
        func.row_number().over(partition_by=col(SupplierAudit.account_id),
                               order_by=(col(SupplierAudit.created_at).desc(), col(SupplierAudit.id).desc()))
        .label("n"),
    ).subquery()
    query = (select(ranked.c.account_id, ranked.c.id, ranked.c.average).where(ranked.c.n <= per_supplier)
             .order_by(ranked.c.account_id, ranked.c.n))
    return [(account_id, audit_id, average) for account_id, audit_id, average in session.exec(query)]


def single_sources(session: Session, *, on: date) -> list[tuple[int, str, int, str]]:
    """(customer, severity, supplier, its name) of each customer service backed by one supplier only on `on`."""
    alone = (select(SupportContract.customer_id, SupportContract.severity,
                    func.min(SupportContract.supplier_id).label("supplier_id"))
             .where(col(SupportContract.valid_from) <= on, col(SupportContract.valid_until) >= on)
             .group_by(col(SupportContract.customer_id), col(SupportContract.severity))
             .having(func.count(func.distinct(SupportContract.supplier_id)) == 1)).subquery()
    query = (select(alone.c.customer_id, alone.c.severity, alone.c.supplier_id, Account.name)
             .join(Account, col(Account.id) == alone.c.supplier_id).order_by(alone.c.customer_id, alone.c.severity))
    return [(customer, str(severity), supplier, name) for customer, severity, supplier, name in session.exec(query)]


def expiring_without_successor(session: Session, *, start: date,
                               until: date) -> list[tuple[int, int, date, str]]:
    """(contract, supplier, last day, customer) of contracts ending in [start, until] with no later one backing it."""
    later = aliased(SupportContract)
    successor = exists().where(and_(col(later.customer_id) == col(SupportContract.customer_id),
                                    col(later.severity) == col(SupportContract.severity),
                                    col(later.valid_until) > col(SupportContract.valid_until)))
    query = (select(col(SupportContract.id), col(SupportContract.supplier_id), col(SupportContract.valid_until),
                    col(Account.name))
             .join(Account, col(Account.id) == SupportContract.customer_id)
             .where(col(SupportContract.valid_until) >= start, col(SupportContract.valid_until) <= until, ~successor))
    return [(contract_id, supplier, last_day, name) for contract_id, supplier, last_day, name
            in session.exec(query.order_by(col(SupportContract.id))) if contract_id is not None]


def next_contract_end(session: Session, *, after: date) -> date | None:
    """The earliest last day of a contract after `after`."""
    return session.exec(select(func.min(SupportContract.valid_until)).where(
        col(SupportContract.valid_until) > after)).one()


def third_parties_sharing_unagreed(session: Session, *, today: date) -> list[tuple[Account, int]]:
    """Third parties in a shared channel without an approved agreement valid today, with their latest (0: none)."""
    shared = exists().where(and_(col(ChannelLink.account_id) == col(Account.id), col(ChannelLink.is_shared)))
    valid = exists().where(and_(col(SharingAgreement.account_id) == col(Account.id),
                                col(SharingAgreement.status) == AgreementStatus.APPROVED,
                                col(SharingAgreement.valid_until) >= today))
    latest = (select(func.coalesce(func.max(SharingAgreement.id), 0))
              .where(SharingAgreement.account_id == Account.id, SharingAgreement.status == AgreementStatus.APPROVED)
              .correlate(Account).scalar_subquery())
    query = select(Account, latest).where(Account.kind == AccountKind.THIRD_PARTY, shared, ~valid)
    return [(account, int(last)) for account, last in session.exec(query.order_by(col(Account.id)))]


def second_level_subcontracts(session: Session) -> list[tuple[int, int, int, str, str]]:
    """(supplier, its subcontractor, theirs, the subcontractor's name, theirs) of each chain two levels deep."""
    first, second = aliased(Subcontractor), aliased(Subcontractor)
    middle, last = aliased(Account), aliased(Account)
    query = (sa_select(col(first.supplier_id), col(first.subcontractor_id), col(second.subcontractor_id),
                       col(middle.name), col(last.name))
             .join(second, col(second.supplier_id) == col(first.subcontractor_id))
             .join(middle, col(middle.id) == col(first.subcontractor_id))
             .join(last, col(last.id) == col(second.subcontractor_id))
             .order_by(col(first.supplier_id), col(first.subcontractor_id), col(second.subcontractor_id)))
    return [(supplier, sub, subsub, name, further)
            for supplier, sub, subsub, name, further in session.execute(query).all()]
