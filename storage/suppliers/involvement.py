"""Which suppliers stand behind a customer account's service, as the record links them, with their audits and
disputes: support contracts backing the account, and disputes raised over the account's complaints.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, or_
from sqlmodel import Session, col, select

from storage.care.complaints import Complaint
from storage.suppliers.contracts import SupportContract
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


def count_open_disputes(session: Session, *, supplier_ids: set[int]) -> dict[int, int]:
    """Open disputes with each of these suppliers, or involving it as another party (two grouped queries)."""
    if not supplier_ids:
        return {}
    counts = dict.fromkeys(supplier_ids, 0)
    own = (select(Dispute.supplier_id, func.count())
           .where(Dispute.status == DisputeStatus.OPEN, col(Dispute.supplier_id).in_(supplier_ids))
           .group_by(col(Dispute.supplier_id)))
    involved = (select(DisputeParty.account_id, func.count())
                .join(Dispute, col(Dispute.id) == col(DisputeParty.dispute_id))
                .where(Dispute.status == DisputeStatus.OPEN, col(DisputeParty.account_id).in_(supplier_ids),
                       col(Dispute.supplier_id) != col(DisputeParty.account_id))
                .group_by(col(DisputeParty.account_id)))
    for query in (own, involved):
        for supplier_id, n in session.exec(query):
            counts[supplier_id] += int(n)
    return counts


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

