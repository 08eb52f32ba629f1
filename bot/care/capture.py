"""Conversation capture (日常沟通): every message in a channel linked to an account is a touchpoint.

A message from the customer's side is *inbound*, one from our side *outbound*. Each is stored once
(unique channel + ts), so Slack's retries and duplicate deliveries never count twice; its text only
when the account opted in (`/account set <name> capture text`). An inbound message nobody on our
side has answered starts a first-response clock (bot.care.first_response); a reply from our side —
in its thread, or in the channel after it — stops it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel import Session

from bot.accounts.registry import contact_due
from bot.care.complaint_clock import ComplaintPolicy
from bot.care.first_response import start_first_response_clock
from bot.platform.config import Settings
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.platform.text import cut
from storage.accounts import Account, get_account_for_channel, get_channel_link
from storage.care import capture as store
from storage.care import contacts
from storage.care.capture import CapturedMessage, Direction

MAX_TEXT = 4000
MAX_DELIVERY_DELAY = timedelta(hours=1)
_TEXT_WORDS = {"text", "full", "全文"}
_METADATA_WORDS = {"metadata", "meta", "off", "default", "元数据"}


@dataclass(frozen=True)
class SeenMessage:
    """A message Slack told us about, read from its event (Slack-free)."""

    channel_id: str
    ts: str
    thread_ts: str | None
    author_id: str
    outbound: bool  # written by one of our own people
    text: str
    broadcast: bool = False  # a thread reply also sent to the channel


@dataclass(frozen=True)
class Captured:
    """What capturing one message did."""

    message: CapturedMessage
    new: bool
    answered: int = 0  # clocks of waiting customer messages it stopped


def parse_capture_mode(text: str) -> bool:
    """`text` keeps message text; `metadata` (the default) keeps who, when, where and the link only."""
    word = text.strip().lower()
    if word in _TEXT_WORDS:
        return True
    if word in _METADATA_WORDS:
        return False
    raise InvalidInput(_("Say `metadata` (who, when and a link; the default) or `text` (also what was written): "
                         "`/account set Acme Corp capture metadata`"))


def show_capture_mode(account: Account) -> str:
    """What Rapport keeps of the messages in the account's channels."""
    if account.capture_text:
        return _("text (who, when, a link and what was written)")
    return _("metadata (who, when and a link; no text)")


def message_time(ts: str, *, now: datetime) -> datetime:
    """When a Slack message was posted: its ts, unless that is later than now or implausibly far back (then now).

    Events arrive seconds after the message and retries within minutes, so a ts hours away means a
    clock that cannot be trusted; the moment of receipt is then the better guess.
    """
    try:
        posted = datetime.fromtimestamp(float(ts), UTC)
    except (ValueError, OverflowError):
        return now
    return posted if now - MAX_DELIVERY_DELAY <= posted <= now else now


def is_captured_channel(session: Session, *, channel_id: str) -> bool:
    """Whether messages in this channel are captured: it is linked to an account."""
    return get_channel_link(session, channel_id=channel_id) is not None


def capture_message(session: Session, seen: SeenMessage, *, permalink: str | None, now: datetime,
                    settings: Settings) -> Captured | None:
    """Record a message in a linked channel once, start or stop first-response clocks; None outside linked channels."""
    account = get_account_for_channel(session, channel_id=seen.channel_id)
    if account is None:
        return None
    if earlier := store.get_message(session, channel_id=seen.channel_id, ts=seen.ts):
        return Captured(message=earlier, new=False)
    assert account.id is not None  # a stored account
    posted_at = message_time(seen.ts, now=now)
    message = CapturedMessage(
        account_id=account.id, channel_id=seen.channel_id, ts=seen.ts, thread_ts=seen.thread_ts,
        root_ts=seen.thread_ts or seen.ts, broadcast=seen.broadcast,
        direction=Direction.OUTBOUND if seen.outbound else Direction.INBOUND, author_id=seen.author_id,
        permalink=permalink, text=cut(seen.text, MAX_TEXT) if account.capture_text else None,
        posted_at=posted_at, created_at=now,
    )
    if store.add_message(session, message) is None:  # a concurrent delivery of the same message won
        earlier = store.get_message(session, channel_id=seen.channel_id, ts=seen.ts)
        assert earlier is not None  # the row that made this one a duplicate
        return Captured(message=earlier, new=False)
    contacts.mark_contacted(session, account_id=account.id, at=posted_at,
                            due_at=contact_due(account, since=posted_at))
    if seen.outbound:
        return Captured(message=message, new=True, answered=_answer(session, message, now=now))
    if _starts_clock(session, message):
        start_first_response_clock(message, account, policy=ComplaintPolicy.from_settings(settings),
                                   settings=settings)
        session.add(message)
    return Captured(message=message, new=True)


def _starts_clock(session: Session, message: CapturedMessage) -> bool:
    """A customer's message starts a clock unless one already waits where it was posted (a follow-up)."""
    if message.thread_ts:
        return store.waiting_in_thread(session, channel_id=message.channel_id, root_ts=message.root_ts) is None
    return store.waiting_in_channel(session, channel_id=message.channel_id) is None


def _answer(session: Session, reply: CapturedMessage, *, now: datetime) -> int:
    """Stop the clocks our reply answers: its thread's; the channel's when posted in (or broadcast to) it."""
    by = reply.author_id or ""
    answered = 0
    if reply.thread_ts:
        answered += store.answer_waiting(session, channel_id=reply.channel_id, root_ts=reply.root_ts,
                                         before=reply.posted_at, by=by, at=reply.posted_at)
    if reply.thread_ts is None or reply.broadcast:
        answered += store.answer_waiting(session, channel_id=reply.channel_id, root_ts=None,
                                         before=reply.posted_at, by=by, at=reply.posted_at)
    return answered


def record_edit(session: Session, *, channel_id: str, ts: str, text: str, now: datetime) -> bool:
    """An edited message keeps its place and counts; its text follows the edit when text is kept."""
    message = store.get_message(session, channel_id=channel_id, ts=ts)
    if message is None or message.deleted_at is not None:
        return False
    account = session.get_one(Account, message.account_id)
    message.edited_at = now
    if account.capture_text:
        message.text = cut(text, MAX_TEXT)
    session.add(message)
    return True


def record_deletion(session: Session, *, channel_id: str, ts: str, now: datetime) -> bool:
    """A deleted message leaves the counts, its text goes, and a clock it started stops (nothing left to answer)."""
    message = store.get_message(session, channel_id=channel_id, ts=ts)
    if message is None or message.deleted_at is not None:
        return False
    message.deleted_at = now
    message.text = None
    message.next_check_at = None
    session.add(message)
    return True
