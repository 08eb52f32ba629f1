"""Reading complaints back: `/complaint list` a page at a time, and `/complaint <id>` with its history.

Internal only: the handlers refuse external users before anything is read.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session

from bot.care.cards import ComplaintCard
from bot.care.complaint_clock import ComplaintPolicy
from bot.care.complaints import complaint_card, require_complaint
from bot.platform.paging import page_window
from storage.accounts import Account
from storage.care import complaints as store
from storage.care.complaints import Complaint, ComplaintFilter
from storage.platform.audit import AuditLog, list_changes

PAGE_SIZE = 10


@dataclass(frozen=True)
class ComplaintRow:
    """One line of a complaint list."""

    complaint: Complaint
    account_name: str


@dataclass(frozen=True)
class ComplaintPage:
    """One page of `/complaint list`."""

    rows: list[ComplaintRow]
    which: ComplaintFilter
    page: int
    pages: int
    total: int


def list_complaint_page(session: Session, *, which: ComplaintFilter, user_id: str, page: int = 1) -> ComplaintPage:
    """Active complaints (mine, all open, or breached), newest first, PAGE_SIZE at a time."""
    total = store.count_complaints(session, which=which, user_id=user_id)
    window = page_window(total=total, page=page, size=PAGE_SIZE)
    complaints = store.list_complaints(session, which=which, user_id=user_id, offset=window.offset,
                                       limit=window.limit)
    rows = [ComplaintRow(c, session.get_one(Account, c.account_id).name) for c in complaints]
    return ComplaintPage(rows=rows, which=which, page=window.page, pages=window.pages, total=total)


@dataclass(frozen=True)
class ComplaintDetail:
    """Everything `/complaint <id>` shows: the complaint's card and its history."""

    card: ComplaintCard
    history: list[AuditLog]


def complaint_detail(session: Session, *, complaint_id: int, policy: ComplaintPolicy) -> ComplaintDetail:
    """A complaint with its card and its history."""
    complaint = require_complaint(session, complaint_id=complaint_id)
    account = session.get_one(Account, complaint.account_id)
    history = list_changes(session, object_type="complaint", object_id=complaint_id)
    return ComplaintDetail(complaint_card(complaint, account, policy), history)
