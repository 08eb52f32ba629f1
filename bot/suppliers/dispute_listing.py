"""`/dispute list`: disputes of one status, a page at a time (internal only; the handlers refuse external users)."""

from __future__ import annotations

from dataclasses import dataclass
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.platform.arguments import parse_listing
from bot.platform.i18n import _
from bot.platform.paging import page_window
from bot.suppliers.dispute_ladder import DisputePolicy, rungs_of
from storage.accounts import Account, AccountKind
from storage.suppliers import disputes as store
from storage.suppliers.disputes import Dispute, DisputeStatus

PAGE_SIZE = 10


@dataclass(frozen=True)
class DisputeRow:
    """One line of `/dispute list`."""

    dispute: Dispute
    supplier: str
    kind: AccountKind
    deciders: tuple[str | None, ...]  # who decides at each level, when the dispute follows a clause


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
        party = session.get(Account, dispute.supplier_id)
        assert party is not None  # disputes keep their party (foreign key)
        deciders = tuple(rung.decider for rung in rungs_of(dispute.ladder or []))
        rows.append(DisputeRow(dispute, party.name, AccountKind(party.kind), deciders))
    return DisputePage(rows, status, window.page, window.pages, total, policy.calendar.timezone)
