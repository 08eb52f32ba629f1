"""What waits for us, and how fast we answer: `/contact waiting`, the Home tab, the digest, the account view.

A customer message *waits* from the moment its first-response clock starts until a reply from our
side (in its thread, or in the channel after it). Response times are business time on the
account's calendar, from the message to that reply.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.care.complaint_clock import ComplaintPolicy, calendar_for
from bot.care.contacts import sees_every_account
from bot.platform.paging import page_window
from storage.accounts import Account
from storage.care import capture as store
from storage.care.capture import CapturedMessage, Direction

WAITING_PAGE_SIZE = 20
STATS_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class WaitingMessage:
    """A customer message waiting for our first response, and its clock."""

    message: CapturedMessage
    account: str
    owner: str | None
    tz: ZoneInfo  # the account's calendar: its clock is shown in it
    due_at: datetime
    overdue: bool


@dataclass(frozen=True)
class WaitingList:
    """One page of the customer messages waiting for us, oldest first."""

    messages: list[WaitingMessage]
    total: int
    page: int = 1
    pages: int = 1
    everyone: bool = False  # every account (a manager's view), not only the viewer's own


@dataclass(frozen=True)
class ResponseTimes:
    """How fast we answered an account's customers (business time), over a window."""

    inbound: int  # customer messages captured
    outbound: int  # our messages captured
    clocked: int  # customer messages that started a first-response clock
    answered: int
    median: timedelta | None
    p90: timedelta | None
    within_target: float | None  # share answered within target, of those answered or already late
    waiting: int


def waiting_for(session: Session, *, viewer_id: str, managers: Collection[str], admins: Collection[str],
                now: datetime, policy: ComplaintPolicy, page: int = 1) -> WaitingList:
    """The customer messages waiting for `viewer_id`'s side: their accounts', every account's for managers."""
    everyone = sees_every_account(viewer_id, managers=managers, admins=admins)
    owner = None if everyone else viewer_id
    total = store.count_waiting(session, owner_id=owner)
    window = page_window(total=total, page=page, size=WAITING_PAGE_SIZE)
    rows = store.list_waiting(session, owner_id=owner, offset=window.offset, limit=window.limit)
    return WaitingList(messages=[waiting_message(message, account, now=now, policy=policy)
                                 for message, account in rows],
                       total=total, page=window.page, pages=window.pages, everyone=everyone)


def waiting_message(message: CapturedMessage, account: Account, *, now: datetime,
                    policy: ComplaintPolicy) -> WaitingMessage:
    """One waiting message with its clock, in its account's calendar."""
    assert message.due_at is not None  # waiting means a clock runs
    return WaitingMessage(message=message, account=account.name, owner=account.owner_id,
                          tz=calendar_for(account, policy).timezone, due_at=message.due_at,
                          overdue=message.due_at <= now)


def response_times(session: Session, account: Account, *, now: datetime, policy: ComplaintPolicy) -> ResponseTimes:
    """An account's conversation over the last 90 days: messages each way, first-response median, p90, % in target."""
    assert account.id is not None  # a stored account
    since = now - STATS_WINDOW
    counts = store.count_by_direction(session, account_id=account.id, since=since)
    clocked = store.list_clocked(session, account_id=account.id, since=since)
    calendar = calendar_for(account, policy)
    took = sorted(calendar.business_time_between(m.posted_at, m.answered_at) for m in clocked if m.answered_at)
    judged = [m for m in clocked if m.answered_at or (m.due_at and m.due_at <= now)]
    in_time = [m for m in judged if m.answered_at and m.due_at and m.answered_at <= m.due_at]
    return ResponseTimes(
        inbound=counts.get(Direction.INBOUND, 0), outbound=counts.get(Direction.OUTBOUND, 0), clocked=len(clocked),
        answered=len(took), median=percentile(took, 0.5), p90=percentile(took, 0.9),
        within_target=len(in_time) / len(judged) if judged else None,
        waiting=sum(1 for m in clocked if m.answered_at is None),
    )


def percentile(values: list[timedelta], share: float) -> timedelta | None:
    """The nearest-rank percentile of sorted values (None for none): p50 of 1..10 is 5, p90 is 9."""
    if not values:
        return None
    rank = max(1, -(-int(share * 1000) * len(values) // 1000))
    return values[min(rank, len(values)) - 1]
