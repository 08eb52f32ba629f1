"""The scheduler's part of complaints: SLA warnings at 80%, one escalation per breached clock, closing.

`run_due_complaints` reads only complaints whose indexed `next_check_at` has come, locked with
SKIP LOCKED so concurrent ticks take disjoint rows. Every notice goes through the outbox under a
key naming the complaint, its reopen cycle, the clock and the recipient, so a repeated tick (or two
processes at once) sends each one once.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.care.cards import ComplaintSlaCard, SlaNotice
from bot.care.complaint_clock import (
    CLOSE_AFTER,
    Clock,
    ComplaintPolicy,
    calendar_for,
    card_channel,
    clock_marks,
    clock_times,
    running_clocks,
    schedule_next_check,
)
from bot.care.complaints import close_complaint, queue_card_update
from bot.platform import outbox
from storage.accounts import Account
from storage.care import complaints as store
from storage.care.complaints import Complaint, ComplaintSeverity, ComplaintStatus
from storage.platform.audit import SCHEDULER, record_change

if TYPE_CHECKING:
    from bot.platform.services import Services

BATCH = 200


def run_due_complaints(session: Session, now: datetime, services: Services) -> int:
    """Warn, escalate and close what is due at `now`; returns how many messages were queued."""
    policy = ComplaintPolicy.from_settings(services.settings)
    queued = 0
    for complaint in store.list_due_complaints(session, now=now, limit=BATCH):
        assert complaint.id is not None  # a stored complaint
        account = session.get_one(Account, complaint.account_id)
        resolved_at = complaint.resolved_at
        if complaint.status == ComplaintStatus.RESOLVED and resolved_at and resolved_at + CLOSE_AFTER <= now:
            change = close_complaint(session, complaint_id=complaint.id, actor_id=SCHEDULER, now=now, policy=policy)
            queued += len(change.keys)
            continue
        queued += check_clocks(session, complaint, account, now=now, policy=policy)
    return queued


def next_due_complaints(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_complaints next has work (warning, breach or closing); past when some waits."""
    return store.next_complaint_check_at(session)


def check_clocks(session: Session, complaint: Complaint, account: Account, *, now: datetime,
                 policy: ComplaintPolicy) -> int:
    """Queue the warning or escalation each running clock has reached; returns how many messages."""
    keys: list[str] = []
    breached = False
    for clock in running_clocks(complaint):
        warn_at, due_at = clock_times(complaint, clock)
        warned_at, breached_at = clock_marks(complaint, clock)
        if breached_at is None and due_at and due_at <= now:
            # A late tick that finds both moments past sends the escalation only.
            setattr(complaint, f"{clock}_breached_at", now)
            setattr(complaint, f"{clock}_warned_at", warned_at or now)
            keys += _escalate(session, complaint, account, clock=clock, now=now, policy=policy)
            breached = True
        elif warned_at is None and breached_at is None and warn_at and warn_at <= now:
            setattr(complaint, f"{clock}_warned_at", now)
            keys += _warn(session, complaint, account, clock=clock, now=now, policy=policy)
    if breached:
        keys.append(queue_card_update(session, complaint, account, now=now, policy=policy))
    schedule_next_check(complaint)
    session.add(complaint)
    return len(keys)


def sla_card(complaint: Complaint, account: Account, *, clock: Clock, notice: SlaNotice,
             policy: ComplaintPolicy) -> ComplaintSlaCard:
    """The warning or escalation about one clock of a complaint."""
    assert complaint.id is not None  # a stored complaint
    _warn_at, due_at = clock_times(complaint, clock)
    assert due_at is not None  # a running clock has a deadline
    return ComplaintSlaCard(
        id=complaint.id, account=account.name, summary=complaint.summary,
        severity=ComplaintSeverity(complaint.severity), status=ComplaintStatus(complaint.status), clock=clock,
        due=due_at, tz=calendar_for(account, policy).timezone, owner=complaint.owner_id,
        card_channel=card_channel(account, policy), notice=notice,
    )


def _key(complaint: Complaint, clock: Clock, notice: str) -> str:
    return f"complaint:{complaint.id}:r{complaint.reopen_count}:{clock}:{notice}"


def _owner(complaint: Complaint, account: Account) -> str | None:
    """Who answers for a complaint: its owner, else the account's owner."""
    return complaint.owner_id or account.owner_id


def _warn(session: Session, complaint: Complaint, account: Account, *, clock: Clock, now: datetime,
          policy: ComplaintPolicy) -> list[str]:
    """A DM to the owner (the managers when nobody owns it) that 80% of a clock has gone."""
    card = sla_card(complaint, account, clock=clock, notice=SlaNotice.WARNING, policy=policy)
    owner = _owner(complaint, account)
    recipients = [owner] if owner else list(policy.managers)
    keys = []
    for user in recipients:
        keys.append(_key(complaint, clock, f"warn:{user}"))
        outbox.dm(session, key=keys[-1], user=user, card=card, now=now)
    record_change(session, actor_id=SCHEDULER, action="complaint.sla_warning", object_type="complaint",
                  object_id=complaint.id, at=now, after={"clock": str(clock), "due_at": card.due.isoformat(),
                                                         "to": recipients})
    return keys


def _escalate(session: Session, complaint: Complaint, account: Account, *, clock: Clock, now: datetime,
              policy: ComplaintPolicy) -> list[str]:
    """One post to the escalation channel, and a DM to the owner and each manager."""
    card = sla_card(complaint, account, clock=clock, notice=SlaNotice.BREACH, policy=policy)
    keys = []
    channel = policy.escalation_channel or card_channel(account, policy)
    if channel:
        keys.append(_key(complaint, clock, "breach"))
        outbox.post(session, key=keys[-1], channel=channel, card=card, now=now)
    owner = _owner(complaint, account)
    recipients = list(dict.fromkeys([owner, *policy.managers] if owner else policy.managers))
    for user in recipients:
        keys.append(_key(complaint, clock, f"breach:{user}"))
        outbox.dm(session, key=keys[-1], user=user, card=card, now=now)
    record_change(session, actor_id=SCHEDULER, action="complaint.sla_breach", object_type="complaint",
                  object_id=complaint.id, at=now,
                  after={"clock": str(clock), "due_at": card.due.isoformat(), "channel": channel, "to": recipients})
    return keys
