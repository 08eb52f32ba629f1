"""The account flag: three complaints from one account within 30 days (投诉管理)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.care.cards import ComplaintFlagCard
from bot.care.complaint_clock import ComplaintPolicy, card_channel
from bot.platform import outbox
from storage.accounts import Account
from storage.care import complaints as store
from storage.care.complaints import Complaint
from storage.platform.audit import record_change

FLAG_COUNT = 3
FLAG_WINDOW = timedelta(days=30)


def raise_flag(session: Session, *, account: Account, complaint: Complaint, actor_id: str, now: datetime,
               policy: ComplaintPolicy) -> list[str]:
    """Flag an account at its third complaint within 30 days (once per 30 days), and say so."""
    assert account.id is not None and complaint.id is not None  # both stored
    count = store.count_account_complaints_since(session, account_id=account.id, since=now - FLAG_WINDOW)
    flagged_at = account.complaints_flagged_at
    if count < FLAG_COUNT or (flagged_at and flagged_at > now - FLAG_WINDOW):
        return []
    account.complaints_flagged_at = now
    session.add(account)
    record_change(session, actor_id=actor_id, action="account.complaint_flag", object_type="account",
                  object_id=account.id, at=now, before={"complaints_flagged_at": flagged_at and flagged_at.isoformat()},
                  after={"complaints_flagged_at": now.isoformat(), "complaints_in_window": count})
    card = ComplaintFlagCard(account=account.name, count=count, days=FLAG_WINDOW.days, complaint_id=complaint.id)
    keys = []
    channel = policy.escalation_channel or card_channel(account, policy)
    if channel:
        keys.append(f"account:{account.id}:complaint-flag:{complaint.id}")
        outbox.post(session, key=keys[-1], channel=channel, card=card, now=now)
    if account.owner_id:
        keys.append(f"account:{account.id}:complaint-flag:{complaint.id}:{account.owner_id}")
        outbox.dm(session, key=keys[-1], user=account.owner_id, card=card, now=now)
    return keys


def is_flagged(account: Account, *, now: datetime) -> bool:
    """True while the account's "three complaints in 30 days" flag is up."""
    return bool(account.complaints_flagged_at and account.complaints_flagged_at > now - FLAG_WINDOW)


@dataclass(frozen=True)
class AccountComplaintSummary:
    """An account's complaints at a glance, for `/account <name>`."""

    open: int
    breached: int
    flagged: bool


def account_complaint_summary(session: Session, *, account: Account, now: datetime) -> AccountComplaintSummary:
    """Active and breached complaints of an account, and whether it is flagged."""
    assert account.id is not None  # a stored account
    counts = store.account_complaint_counts(session, account_id=account.id)
    return AccountComplaintSummary(counts.open, counts.breached, is_flagged(account, now=now))
