"""Contacts (日常沟通): log touchpoints with an account's people, and find the accounts gone cold."""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass, replace
from datetime import UTC, datetime

from sqlmodel import Session

from bot.accounts.registry import contact_cadence, contact_due, require_account
from bot.accounts.stakeholders import note_met
from bot.platform.arguments import parse_page
from bot.platform.errors import InvalidInput, NotFound
from bot.platform.i18n import _
from bot.platform.paging import page_window
from bot.platform.text import cut, mentioned_users
from storage.accounts import Account, get_account_by_name, get_account_for_channel
from storage.care import contacts as store
from storage.care.contacts import Touchpoint
from storage.platform.audit import record_change

MAX_SUMMARY = 2000
COLD_PAGE_SIZE = 20
EXAMPLE = "/contact Acme Corp: call with Erin about the renewal"
# `Acme Corp: summary` (also with a full-width colon); "https://…" is a link, not an account.
_PREFIX = re.compile(r"^\s*(?P<account>[^:：\n<>]{1,80}?)\s*[:：](?!//)\s*(?P<summary>.*)$", re.DOTALL)


@dataclass(frozen=True)
class Logged:
    """A recorded touchpoint and what it means for the account."""

    touchpoint: Touchpoint
    account: Account
    due_at: datetime | None
    new: bool = True


@dataclass(frozen=True)
class ColdAccount:
    """An account whose last touchpoint is older than its cadence."""

    account: Account
    cadence_days: int
    last_contact_at: datetime | None
    due_at: datetime
    days_overdue: int


@dataclass(frozen=True)
class ColdList:
    """One page of the accounts gone cold, and how many there are."""

    accounts: list[ColdAccount]
    total: int
    page: int = 1
    pages: int = 1
    everyone: bool = False  # every account (a manager's view), not only the viewer's own


@dataclass(frozen=True)
class ContactHelp:
    """`/contact` alone, or `/contact help`."""


@dataclass(frozen=True)
class ShowColdAccounts:
    """`/contact cold [page]`."""

    page: int


@dataclass(frozen=True)
class ShowWaiting:
    """`/contact waiting [page]`: customer messages waiting for our first response."""

    page: int


@dataclass(frozen=True)
class LogContact:
    """`/contact [<account>:] <summary>`."""

    text: str


ContactCommand = ContactHelp | ShowColdAccounts | ShowWaiting | LogContact


def parse_contact_command(text: str) -> ContactCommand:
    """Read `/contact …`: help, the accounts gone cold, or a touchpoint to log."""
    text = text.strip()
    if text.lower() in ("", "help"):
        return ContactHelp()
    if (page := cold_page_asked(text)) is not None:
        return ShowColdAccounts(page)
    word, _space, rest = text.partition(" ")
    if word.lower() == "waiting" and (not rest.strip() or rest.strip().isdigit()):
        # `waiting for the quote: …` stays a contact to log; only `waiting` and `waiting 2` list.
        return ShowWaiting(int(rest) if rest.strip() else 1)
    return LogContact(text)


def split_account_prefix(text: str) -> tuple[str | None, str]:
    """Split `[<account>:] <summary>` into (account name or None, summary)."""
    match = _PREFIX.match(text)
    if not match:
        return None, text.strip()
    return match.group("account").strip(), match.group("summary").strip()


def cold_page_asked(text: str) -> int | None:
    """The page `/contact cold [page]` asks for; None when the text is a contact to log.

    `cold <anything but a page>` is refused rather than logged as a touchpoint called "cold …";
    a contact with an account whose name starts with "cold" names it with a colon (`Cold Co: …`).
    """
    word, _space, rest = text.strip().partition(" ")
    if word.lower() != "cold" or split_account_prefix(text)[0] is not None:
        return None
    return parse_page(rest, usage=_("`/contact cold` lists the accounts gone cold; it takes only a page number: "
                                    "`/contact cold 2`. To log a contact, name the account first: `{example}`").format(
                                        example=EXAMPLE))


def resolve_account(session: Session, *, text: str, channel_id: str | None,
                    example: str = EXAMPLE) -> tuple[Account, str]:
    """The account a `/contact` (or `/need`) text is about and its summary; `example` shows how to name it.

    In a linked channel a prefix that names no account is part of the summary ("Call with Erin: …").
    """
    prefix, summary = split_account_prefix(text)
    linked = get_account_for_channel(session, channel_id=channel_id) if channel_id else None
    if prefix is not None:
        named = get_account_by_name(session, name=prefix)
        if named:
            return named, summary
        if linked:
            return linked, text.strip()
        return require_account(session, name=prefix), summary
    if linked:
        return linked, summary
    raise NotFound(_("Which account? This channel isn't linked to one, so name it first: `{example}` "
                     "(or link the channel with `/account link <name>`).").format(example=example))


def log_contact(session: Session, *, actor_id: str, text: str, channel_id: str | None, now: datetime,
                customer_id: str | None = None) -> Logged:
    """Record `/contact [<account>:] <summary>` as a touchpoint that happened now."""
    if not text.strip():
        raise InvalidInput(_("Say what the contact was about: `{example}`").format(example=EXAMPLE))
    account, summary = resolve_account(session, text=text, channel_id=channel_id)
    if not summary:
        raise InvalidInput(_("Say what the contact with {account} was about: `/contact {account}: call about the "
                             "renewal`").format(account=account.name))
    if len(summary) > MAX_SUMMARY:
        raise InvalidInput(_("That summary is {length} characters; keep it under {limit} (link to a document for "
                             "the details).").format(length=len(summary), limit=MAX_SUMMARY))
    assert account.id is not None  # a stored account
    touchpoint = Touchpoint(account_id=account.id, summary=summary, logged_by=actor_id, customer_id=customer_id,
                            occurred_at=now, created_at=now)
    store.add_touchpoint(session, touchpoint)
    return _record(session, touchpoint, account, actor_id=actor_id, now=now)


def log_contact_from_message(session: Session, *, actor_id: str, channel_id: str, message_ts: str, text: str,
                             customer_id: str | None, permalink: str | None, now: datetime) -> Logged:
    """Record a message in a linked channel as a touchpoint, once: a second use returns the first (`new` False)."""
    account = get_account_for_channel(session, channel_id=channel_id)
    if account is None:
        raise NotFound(_("This channel isn't linked to an account, so Rapport can't tell whom the contact was "
                         "with. Link it with `/account link <name>`, or type `{example}`.").format(example=EXAMPLE))
    if earlier := store.get_touchpoint_from_message(session, channel_id=channel_id, ts=message_ts):
        return Logged(touchpoint=earlier, account=account, due_at=account.contact_due_at, new=False)
    summary = cut(text.strip(), MAX_SUMMARY) or _("(a message without text)")
    assert account.id is not None  # a stored account
    touchpoint = Touchpoint(account_id=account.id, summary=summary, logged_by=actor_id, customer_id=customer_id,
                            source_channel_id=channel_id, source_ts=message_ts, permalink=permalink,
                            occurred_at=message_time(message_ts, now=now), created_at=now)
    if store.add_touchpoint(session, touchpoint) is None:
        earlier = store.get_touchpoint_from_message(session, channel_id=channel_id, ts=message_ts)
        assert earlier is not None  # the row that made this one a duplicate
        return Logged(touchpoint=earlier, account=account, due_at=account.contact_due_at, new=False)
    return _record(session, touchpoint, account, actor_id=actor_id, now=now)


def record_touchpoint(session: Session, *, account: Account, summary: str, actor_id: str, customer_id: str | None,
                      now: datetime) -> Logged:
    """Record something done with an account now (e.g. a letter of thanks sent) as a touchpoint."""
    assert account.id is not None  # a stored account
    touchpoint = Touchpoint(account_id=account.id, summary=cut(summary, MAX_SUMMARY), logged_by=actor_id,
                            customer_id=customer_id, occurred_at=now, created_at=now)
    store.add_touchpoint(session, touchpoint)
    return _record(session, touchpoint, account, actor_id=actor_id, now=now)


def message_time(ts: str, *, now: datetime) -> datetime:
    """When a Slack message was posted (its ts), but never later than now (clocks drift)."""
    try:
        posted = datetime.fromtimestamp(float(ts), UTC)
    except (ValueError, OverflowError):
        return now
    return min(posted, now)


def _record(session: Session, touchpoint: Touchpoint, account: Account, *, actor_id: str, now: datetime) -> Logged:
    note_met(session, account_id=touchpoint.account_id, at=touchpoint.occurred_at, text=touchpoint.summary,
             user_ids=[*filter(None, [touchpoint.customer_id]), *mentioned_users(touchpoint.summary)],
             actor_id=actor_id, now=now)
    store.mark_contacted(session, account_id=touchpoint.account_id, at=touchpoint.occurred_at,
                         due_at=contact_due(account, since=touchpoint.occurred_at))
    record_change(session, actor_id=actor_id, action="contact.log", object_type="touchpoint", object_id=touchpoint.id,
                  at=now, after={"account_id": account.id, "summary": touchpoint.summary,
                                 "customer_id": touchpoint.customer_id, "source_ts": touchpoint.source_ts,
                                 "occurred_at": touchpoint.occurred_at.isoformat()})
    return Logged(touchpoint=touchpoint, account=account, due_at=account.contact_due_at)


def restart_contact_clock(session: Session, account: Account) -> datetime | None:
    """Recompute when an account goes cold after its tier or cadence changed."""
    due = contact_due(account, since=account.last_contact_at or account.created_at)
    assert account.id is not None  # a stored account
    store.set_contact_due(session, account_id=account.id, due_at=due)
    return due


def sees_every_account(user_id: str, *, managers: Collection[str], admins: Collection[str]) -> bool:
    """Managers and admins watch every account going cold; anyone else, the accounts they own."""
    return user_id in managers or user_id in admins


def cold_accounts_for(session: Session, *, viewer_id: str, managers: Collection[str], admins: Collection[str],
                      now: datetime, page: int = 1) -> ColdList:
    """The accounts gone cold that `viewer_id` looks after: all of them for managers and admins."""
    everyone = sees_every_account(viewer_id, managers=managers, admins=admins)
    cold = list_cold_accounts(session, now=now, owner_id=None if everyone else viewer_id, page=page)
    return replace(cold, everyone=everyone)


def list_cold_accounts(session: Session, *, now: datetime, owner_id: str | None = None, page: int = 1,
                       page_size: int = COLD_PAGE_SIZE) -> ColdList:
    """Accounts whose last touchpoint is older than their cadence (only `owner_id`'s when given), most overdue first."""
    total = store.count_due_accounts(session, now=now, owner_id=owner_id)
    window = page_window(total=total, page=page, size=page_size)
    accounts = store.list_due_accounts(session, now=now, owner_id=owner_id, offset=window.offset,
                                       limit=window.limit)
    cold = [_cold(account, now=now) for account in accounts]
    return ColdList(accounts=cold, total=total, page=window.page, pages=window.pages)


def _cold(account: Account, *, now: datetime) -> ColdAccount:
    due_at = account.contact_due_at
    assert due_at is not None  # listed because it was due
    return ColdAccount(account=account, cadence_days=contact_cadence(account), last_contact_at=account.last_contact_at,
                       due_at=due_at, days_overdue=(now - due_at).days)
