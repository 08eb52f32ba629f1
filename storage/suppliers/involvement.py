"""Which suppliers stand behind a customer account's service, as the record links them, with their audits and
disputes: support contracts backing the account, disputes raised over the account's complaints, and outages closed
with the layer responsible for the account's complaints.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from storage.accounts import Account, AccountKind
from storage.care.complaints import Complaint
from storage.suppliers.contracts import SupportContract
from storage.suppliers.coordination import Coordination, CoordinationComplaint, CoordinationLayer
from storage.suppliers.disputes import Dispute, DisputeParty, DisputeStatus
from storage.suppliers.evaluations import SupplierAudit


def list_backing_contracts(session: Session, *, customer_id: int, start: date, end: date) -> list[SupportContract]:
    """Support contracts backing a customer's service on any day from `start` to before `end`, by supplier."""
    query = (select(SupportContract)
             .where(SupportContract.customer_id == customer_id, col(SupportContract.valid_from) < end,
                    col(SupportContract.valid_until) >= start)
             .order_by(col(SupportContract.supplier_id), col(SupportContract.severity), col(SupportContract.id)))
    return list(session.exec(query))


def list_complaint_disputes(session: Session, *, account_id: int, since: datetime, until: datetime) -> list[Dispute]:
    """Disputes over an account's complaints that were open at some moment from `since` to before `until`."""
    complaints = select(Complaint.id).where(Complaint.account_id == account_id)
    query = (select(Dispute)
             .where(col(Dispute.complaint_id).in_(complaints), col(Dispute.created_at) < until,
                    or_(col(Dispute.resolved_at).is_(None), col(Dispute.resolved_at) >= since))
             .order_by(col(Dispute.created_at), col(Dispute.id)))
    return list(session.exec(query))


def list_outage_causes(session: Session, *, account_id: int, since: datetime,
                       until: datetime) -> list[tuple[int, int]]:
    """(outage id, supplier id) of outages closed from `since` to before `until` with the layer responsible for one
    of the account's complaints: the supplier of that layer (one query)."""
    query = (select(Coordination.id, CoordinationLayer.supplier_id)
             .join(CoordinationComplaint, col(CoordinationComplaint.coordination_id) == col(Coordination.id))
             .join(Complaint, col(Complaint.id) == col(CoordinationComplaint.complaint_id))
             .join(CoordinationLayer, (col(CoordinationLayer.coordination_id) == col(Coordination.id))
                   & (col(CoordinationLayer.name) == col(Coordination.cause_layer)))
             .where(Complaint.account_id == account_id, col(Coordination.closed_at) >= since,
                    col(Coordination.closed_at) < until)
             .distinct().order_by(col(Coordination.id)))
    return [(outage_id, supplier_id) for outage_id, supplier_id in session.exec(query) if outage_id is not None]


def open_dispute_ids(session: Session, *, supplier_ids: set[int]) -> dict[int, set[int]]:
    """The open disputes with each of these suppliers or involving it as another party, by id (two queries)."""
    if not supplier_ids:
        return {}
    found: dict[int, set[int]] = {supplier_id: set() for supplier_id in supplier_ids}
    own = select(Dispute.supplier_id, Dispute.id).where(Dispute.status == DisputeStatus.OPEN,
                                                        col(Dispute.supplier_id).in_(supplier_ids))
    involved = (select(DisputeParty.account_id, DisputeParty.dispute_id)
                .join(Dispute, col(Dispute.id) == col(DisputeParty.dispute_id))
                .where(Dispute.status == DisputeStatus.OPEN, col(DisputeParty.account_id).in_(supplier_ids)))
    for query in (own, involved):
        for supplier_id, dispute_id in session.exec(query):
            if dispute_id is not None:
                found[supplier_id].add(dispute_id)
    return found


def latest_audits(session: Session, *, account_ids: set[int]) -> dict[int, SupplierAudit]:
    """The latest audit of each of these suppliers (one query)."""
    if not account_ids:
        return {}
    ranked = select(
        SupplierAudit.id,
        func.row_number().over(partition_by=col(SupplierAudit.account_id),
                               order_by=(col(SupplierAudit.created_at).desc(), col(SupplierAudit.id).desc()))
        .label("n"),
    ).where(col(SupplierAudit.account_id).in_(account_ids)).subquery()
    newest = select(ranked.c.id).where(ranked.c.n == 1)
    rows = session.exec(select(SupplierAudit).where(col(SupplierAudit.id).in_(newest)))
    return {row.account_id: row for row in rows}


def list_dispute_parties(session: Session, *, dispute_ids: list[int]) -> list[tuple[int, int]]:
    """(dispute id, account id) of the other parties named in these disputes (one query)."""
    if not dispute_ids:
        return []
    query = (select(DisputeParty.dispute_id, DisputeParty.account_id)
             .where(col(DisputeParty.dispute_id).in_(dispute_ids)).order_by(col(DisputeParty.id)))
    return [(dispute_id, account_id) for dispute_id, account_id in session.exec(query)]


def named_accounts(session: Session, *, account_ids: set[int]) -> dict[int, tuple[str, AccountKind]]:
    """(name, kind) of these accounts, in one query (a dispute may name a customer or a third party, not a supplier)."""
    if not account_ids:
        return {}
    query = select(Account.id, Account.name, Account.kind).where(col(Account.id).in_(account_ids))
    return {account_id: (name, AccountKind(kind)) for account_id, name, kind in session.exec(query)
            if account_id is not None}
