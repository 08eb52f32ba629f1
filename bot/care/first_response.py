"""First-response clocks: a customer's message waiting for our answer, in business time on the account's calendar.

The target is set per tier (RAPPORT_FIRST_RESPONSE_KEY / _STANDARD, business minutes). At 80 % the
account's owner gets one DM with a link; at breach the account's internal channel (else the
escalation channel) gets one alert. Both go through the outbox under keys naming the message, so a
repeated tick or two processes send each once. Only customers' accounts run clocks.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.care.cards import FirstResponseCard, SlaNotice
from bot.care.complaint_clock import WARN_SHARE, ComplaintPolicy, calendar_for, card_channel
from bot.platform import outbox
from bot.platform.config import Settings
from storage.accounts import Account, AccountKind, AccountTier
from storage.care import capture as store
from storage.care.capture import CapturedMessage
from storage.platform.audit import SCHEDULER, record_change

if TYPE_CHECKING:
    from bot.platform.services import Services

BATCH = 200


def first_response_target(account: Account, settings: Settings) -> timedelta | None:
    """Business time allowed for our first response on this account; None when no clock runs."""
    if account.kind != AccountKind.CUSTOMER:
        return None
    minutes = (settings.rapport_first_response_key if account.tier == AccountTier.KEY
               else settings.rapport_first_response_standard)
    return timedelta(minutes=minutes) if minutes else None


def start_first_response_clock(message: CapturedMessage, account: Account, *, policy: ComplaintPolicy,
                               settings: Settings) -> None:
    """Start the clock of a customer's message at the moment it was posted (no-op without a target)."""
    target = first_response_target(account, settings)
    if target is None:
        return
    calendar = calendar_for(account, policy)
    message.target_minutes = int(target.total_seconds() // 60)
    message.warn_at = calendar.add_business_time(message.posted_at, target * WARN_SHARE)
    message.due_at = calendar.add_business_time(message.posted_at, target)
    message.next_check_at = message.warn_at


def run_due_first_responses(session: Session, now: datetime, services: Services) -> int:
    """Nudge owners at 80 % and alert internal channels at breach; returns how many messages were queued."""
    policy = ComplaintPolicy.from_settings(services.settings)
    queued = 0
    for message in store.list_due_messages(session, now=now, limit=BATCH):
        account = session.get_one(Account, message.account_id)
        queued += _check(session, message, account, now=now, policy=policy)
    return queued


def next_due_first_responses(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_first_responses next has work; past when some waits."""
    return store.next_message_check_at(session)


def _check(session: Session, message: CapturedMessage, account: Account, *, now: datetime,
           policy: ComplaintPolicy) -> int:
    """Queue the warning or the breach the clock has reached, and when to look again."""
    keys: list[str] = []
    if message.answered_at is None and message.deleted_at is None:
        if message.breached_at is None and message.due_at and message.due_at <= now:
            # A late tick that finds both moments past sends the alert only.
            message.warned_at = message.warned_at or now
            message.breached_at = now
            keys += _alert(session, message, account, now=now, policy=policy)
        elif message.warned_at is None and message.warn_at and message.warn_at <= now:
            message.warned_at = now
            keys += _nudge(session, message, account, now=now, policy=policy)
    message.next_check_at = _next_check(message)
    session.add(message)
    return len(keys)


def _next_check(message: CapturedMessage) -> datetime | None:
    if message.answered_at or message.deleted_at or message.breached_at:
        return None
    if message.warned_at is None:
        return message.warn_at
    return message.due_at


def first_response_card(message: CapturedMessage, account: Account, *, notice: SlaNotice,
                        policy: ComplaintPolicy) -> FirstResponseCard:
    """The nudge or alert about one waiting customer message."""
    assert message.id is not None and message.due_at is not None  # a stored message with a clock
    return FirstResponseCard(
        message_id=message.id, account=account.name, notice=notice, author=message.author_id,
        permalink=message.permalink, channel=message.channel_id, posted_at=message.posted_at, due=message.due_at,
        tz=calendar_for(account, policy).timezone, target_minutes=message.target_minutes or 0,
        owner=account.owner_id,
    )


def _key(message: CapturedMessage, notice: str) -> str:
    return f"first-response:{message.id}:{notice}"


def _nudge(session: Session, message: CapturedMessage, account: Account, *, now: datetime,
           policy: ComplaintPolicy) -> list[str]:
    """One DM to the account's owner (the managers when nobody owns it): 80 % of the time has gone."""
    card = first_response_card(message, account, notice=SlaNotice.WARNING, policy=policy)
    recipients = [account.owner_id] if account.owner_id else list(policy.managers)
    keys = []
    for user in recipients:
        keys.append(_key(message, f"warn:{user}"))
        outbox.dm(session, key=keys[-1], user=user, card=card, now=now)
    record_change(session, actor_id=SCHEDULER, action="first_response.warning", object_type="captured_message",
                  object_id=message.id, at=now, after={"due_at": card.due.isoformat(), "to": recipients})
    return keys


def _alert(session: Session, message: CapturedMessage, account: Account, *, now: datetime,
           policy: ComplaintPolicy) -> list[str]:
    """One alert in the account's internal channel (else the escalation channel), once."""
    channel = card_channel(account, policy)
    if channel is None:
        return []
    card = first_response_card(message, account, notice=SlaNotice.BREACH, policy=policy)
    key = _key(message, "breach")
    outbox.post(session, key=key, channel=channel, card=card, now=now)
    record_change(session, actor_id=SCHEDULER, action="first_response.breach", object_type="captured_message",
                  object_id=message.id, at=now, after={"due_at": card.due.isoformat(), "channel": channel})
    return [key]
