"""Accounts: add, link channels, look up — the rules, free of Slack."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.complaint_flag import AccountComplaintSummary, account_complaint_summary
from bot.errors import InvalidInput, NotFound, Refused
from bot.i18n import _
from bot.surveys import account_csat
from storage import accounts as store
from storage.accounts import Account, AccountKind, AccountTier, ChannelLink
from storage.agreements import AgreementSummary, agreement_summary
from storage.audit import record_change
from storage.contacts import top_customers
from storage.praise import count_praise_for_account
from storage.surveys import Csat

MAX_NAME = 80
PAGE_SIZE = 20
KEY_CADENCE_DAYS = 14
STANDARD_CADENCE_DAYS = 30
KEY_CONTACT_WINDOW = timedelta(days=365)


def parse_kind(text: str | None) -> AccountKind:
    """Read an account kind; customer when not given."""
    if not text:
        return AccountKind.CUSTOMER
    cleaned = text.strip().lower().replace("_", "-").replace(" ", "-")
    aliases = {"thirdparty": "third-party", "3rd-party": "third-party", "third": "third-party"}
    try:
        return AccountKind(aliases.get(cleaned, cleaned))
    except ValueError:
        raise InvalidInput(
            _("“{kind}” is not a kind of account. Use customer, supplier or third-party.").format(kind=text)
        ) from None


def add_account(session: Session, *, name: str, kind: AccountKind, actor_id: str, now: datetime) -> Account:
    """Create an account; refuse empty, over-long or duplicate names."""
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(_("Give the account a name: `/account add Acme Corp customer`"))
    if len(name) > MAX_NAME:
        raise InvalidInput(_("Account names are at most {limit} characters.").format(limit=MAX_NAME))
    existing = store.get_account_by_name(session, name=name)
    if existing:
        raise Refused(_("An account called “{name}” already exists.").format(name=existing.name))
    account = Account(name=name, name_key=store.name_key(name), kind=kind, owner_id=actor_id, created_by=actor_id,
                      created_at=now)
    account.contact_due_at = contact_due(account, since=now)
    session.add(account)
    session.flush()
    record_change(session, actor_id=actor_id, action="account.add", object_type="account", object_id=account.id,
                  at=now, after={"name": name, "kind": kind.value, "owner_id": actor_id})
    return account


def contact_cadence(account: Account) -> int:
    """Days allowed between contacts: the account's own setting, else 14 for key accounts and 30 for others; 0 = not tracked."""
    if account.contact_cadence_days is not None:
        return account.contact_cadence_days
    if account.kind == AccountKind.SUPPLIER:
        return 0  # daily communication is a customer and third-party habit (SPEC §1.1, §1.3); opt in with /account set
    return KEY_CADENCE_DAYS if account.tier == AccountTier.KEY else STANDARD_CADENCE_DAYS


def contact_due(account: Account, *, since: datetime) -> datetime | None:
    """When an account last contacted at `since` goes cold; None when its contacts are not tracked."""
    days = contact_cadence(account)
    return since + timedelta(days=days) if days else None


def require_account(session: Session, *, name: str) -> Account:
    """The named account, or NotFound suggesting close names."""
    name = name.strip()
    if not name:
        raise InvalidInput(_("Name an account, e.g. `/account Acme Corp`."))
    account = store.get_account_by_name(session, name=name)
    if account:
        return account
    suggestions = store.search_account_names(session, text=name)
    hint = _(" Did you mean: {names}?").format(names=", ".join(suggestions)) if suggestions else ""
    raise NotFound(
        _("No account called “{name}”.").format(name=name) + hint + " " + _("See `/account list`, or add it with `/account add {name}`.").format(name=name)
    )


def link_channel(session: Session, *, name: str, channel_id: str, is_shared: bool, actor_id: str,
                 now: datetime) -> tuple[Account, bool]:
    """Link a channel to an account; (account, True) if newly linked, refuse if it belongs to another."""
    account = require_account(session, name=name)
    link = store.get_channel_link(session, channel_id=channel_id)
    if link and link.account_id == account.id:
        return account, False
    if link:
        other = session.get(Account, link.account_id)
        raise Refused(
            _("This channel is already linked to “{other}”. A channel belongs to one account.").format(other=other.name)
        )
    session.add(ChannelLink(channel_id=channel_id, account_id=account.id, is_shared=is_shared, linked_by=actor_id,
                            linked_at=now))
    record_change(session, actor_id=actor_id, action="account.link", object_type="account", object_id=account.id,
                  at=now, after={"channel_id": channel_id, "is_shared": is_shared})
    return account, True


@dataclass(frozen=True)
class ContactStatus:
    """An account's contact cadence, last touchpoint, and key contacts (people most often in its touchpoints)."""

    cadence_days: int
    last_contact_at: datetime | None
    due_at: datetime | None
    overdue: bool
    key_contacts: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class AccountView:
    """The 360° view of one account."""

    account: Account
    channels: list[ChannelLink]
    praise_count: int
    contacts: ContactStatus
    csat: Csat
    complaints: AccountComplaintSummary
    agreement: AgreementSummary


def view_account(session: Session, *, name: str, now: datetime) -> AccountView:
    """Everything shown by `/account <name>`, as of `now`."""
    account = require_account(session, name=name)
    return AccountView(
        account=account,
        channels=store.list_account_channels(session, account_id=account.id),
        praise_count=count_praise_for_account(session, account_id=account.id),
        contacts=ContactStatus(
            cadence_days=contact_cadence(account), last_contact_at=account.last_contact_at,
            due_at=account.contact_due_at, overdue=bool(account.contact_due_at and account.contact_due_at <= now),
            key_contacts=top_customers(session, account_id=account.id, since=now - KEY_CONTACT_WINDOW),
        ),
        csat=account_csat(session, account_id=account.id, now=now),
        complaints=account_complaint_summary(session, account=account, now=now),
        agreement=agreement_summary(session, account_id=account.id, now=now),
    )


@dataclass(frozen=True)
class AccountPage:
    """One page of `/account list`."""

    accounts: list[Account]
    page: int
    pages: int
    total: int


def list_account_page(session: Session, *, page: int = 1) -> AccountPage:
    """Accounts by name, PAGE_SIZE at a time."""
    total = store.count_accounts(session)
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    accounts = store.list_accounts(session, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE)
    return AccountPage(accounts=accounts, page=page, pages=pages, total=total)
