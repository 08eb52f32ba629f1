"""`/dispute list`: disputes of one status, a page at a time (internal only; the handlers refuse external users)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.platform.arguments import parse_listing
from bot.platform.i18n import _
from bot.platform.paging import page_window
from bot.suppliers.disputes import DisputePolicy
from storage.accounts import Account
from storage.suppliers import disputes as store
from storage.suppliers.disputes import Dispute, DisputeStatus

PAGE_SIZE = 10


@dataclass(frozen=True)
class DisputeRow:
    """One line of `/dispute list`."""

    dispute: Dispute
    supplier: str


@dataclass(frozen=True)
class DisputePage:
    """One page of `/dispute list`."""

    rows: list[DisputeRow]
    status: DisputeStatus
    page: int
    pages: int
    total: int
    tz: ZoneInfo


def parse_list_args(text: str) -> tuple[DisputeStatus, int]:
    """`[open|resolved] [page]`, open and page 1 by default."""
    return parse_listing(text, choices=DisputeStatus, default=DisputeStatus.OPEN,
                         usage=_("Choose open or resolved, and a page: `/dispute list resolved 2`"))


def list_dispute_page(session: Session, *, status: DisputeStatus, page: int, policy: DisputePolicy) -> DisputePage:
    """Disputes of one status, highest level first, PAGE_SIZE at a time."""
    total = store.count_disputes(session, status=status)
    window = page_window(total=total, page=page, size=PAGE_SIZE)
    rows = []
    for dispute in store.list_disputes(session, status=status, offset=window.offset, limit=window.limit):
        supplier = session.get(Account, dispute.supplier_id)
        assert supplier is not None  # disputes keep their supplier (foreign key)
        rows.append(DisputeRow(dispute, supplier.name))
    return DisputePage(rows, status, window.page, window.pages, total, policy.calendar.timezone)
