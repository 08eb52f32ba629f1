"""Accounts: add, link channels, look up — the rules, free of Slack (the 360° view is in bot.overview)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.platform.errors import InvalidInput, NotFound, Refused
from bot.platform.i18n import _
from bot.platform.paging import page_window
from bot.suppliers.audit_schedule import ensure_profile
from storage import accounts as store
from storage.accounts import Account, AccountKind, AccountTier, ChannelLink, ThirdPartyRole
from storage.platform.audit import record_change

MAX_NAME = 80
PAGE_SIZE = 20
KEY_CADENCE_DAYS = 14
STANDARD_CADENCE_DAYS = 30


def add_account(session: Session, *, name: str, kind: AccountKind, actor_id: str, now: datetime,
                zone: ZoneInfo | None = None, role: ThirdPartyRole | None = None) -> Account:
    """Create an account; refuse empty, over-long or duplicate names. A supplier's audit schedule starts now.

    `zone`: the team's time zone, in which a supplier's audit months are counted (UTC without one).
    `role`: a third party's role (auditor, supervisor…); refused for other kinds.
    """
    if role and kind != AccountKind.THIRD_PARTY:
        raise InvalidInput(_("Only third-party accounts have a role: `/account add AuditCo third-party auditor`"))
    name = " ".join(name.split())
    if not name:
        raise InvalidInput(_("Give the account a name: `/account add Acme Corp customer`"))
    if len(name) > MAX_NAME:
        raise InvalidInput(_("Account names are at most {limit} characters.").format(limit=MAX_NAME))
    existing = store.get_account_by_name(session, name=name)
    if existing:
        raise _already_exists(existing)
    account = Account(name=name, name_key=store.name_key(name), kind=kind, owner_id=actor_id, created_by=actor_id,
                      created_at=now, third_party_role=role)
    account.contact_due_at = contact_due(account, since=now)
    try:
        with session.begin_nested():
            session.add(account)
            session.flush()
    except IntegrityError:  # someone added the same name at the same moment
        raise _already_exists(store.get_account_by_name(session, name=name) or account) from None
    record_change(session, actor_id=actor_id, action="account.add", object_type="account", object_id=account.id,
                  at=now, after={"name": name, "kind": kind.value, "owner_id": actor_id,
                                 **({"third_party_role": role.value} if role else {})})
    if kind == AccountKind.SUPPLIER:
        ensure_profile(session, account=account, now=now, zone=zone, actor_id=actor_id)
    return account


def _already_exists(account: Account) -> Refused:
    return Refused(_("An account called “{name}” already exists.").format(name=account.name))


def contact_cadence(account: Account) -> int:
    """Days allowed between contacts (0 = not tracked): the account's own setting, else by kind and tier.

    Key accounts 14, other customers and third parties 30; suppliers are not tracked unless set.
    """
    if account.contact_cadence_days is not None:
        return account.contact_cadence_days
    if account.kind == AccountKind.SUPPLIER:
        return 0  # daily communication is a customer and third-party habit (SPEC §1.1, §1.3); opt in with /account set
    return KEY_CADENCE_DAYS if account.tier == AccountTier.KEY else STANDARD_CADENCE_DAYS


def contact_due(account: Account, *, since: datetime) -> datetime | None:
    """When an account last contacted at `since` goes cold; None when its contacts are not tracked."""
    days = contact_cadence(account)
    return since + timedelta(days=days) if days else None


# Where to list and how to add an account of a kind, for the hint when a name is not found.
_ANY_ACCOUNT = ("/account list", "/account add {name}")
_LIST_AND_ADD = {AccountKind.SUPPLIER: ("/supplier list", "/supplier add {name}"),
                 AccountKind.THIRD_PARTY: ("/account list", "/account add {name} third-party")}


def require_account(session: Session, *, name: str, kind: AccountKind | None = None) -> Account:
    """The named account, or NotFound suggesting close names and how to add it (as a `kind` when one is meant)."""
    name = name.strip()
    if not name:
        raise InvalidInput(_("Name an account, e.g. `/account Acme Corp`."))
    if len(name) > MAX_NAME:
        # Never echoed back nor searched for: no account has such a name, and LIKE chokes on a huge pattern.
        raise NotFound(_("No account has a name that long: account names are at most {limit} characters.").format(
            limit=MAX_NAME))
    account = store.get_account_by_name(session, name=name)
    if account:
        return account
    suggestions = store.search_account_names(session, text=name)
    hint = _(" Did you mean: {names}?").format(names=", ".join(suggestions)) if suggestions else ""
    listing, add = _LIST_AND_ADD.get(kind, _ANY_ACCOUNT) if kind else _ANY_ACCOUNT
    see = _("See `{listing}`, or add it with `{add}`.").format(listing=listing, add=add.format(name=name))
    raise NotFound(_("No account called “{name}”.").format(name=name) + hint + " " + see)


def link_channel(session: Session, *, name: str, channel_id: str, is_shared: bool, actor_id: str,
                 now: datetime) -> tuple[Account, bool]:
    """Link a channel to an account; (account, True) if newly linked, refuse if it belongs to another."""
    account = require_account(session, name=name)
    assert account.id is not None
    link = store.get_channel_link(session, channel_id=channel_id)
    if link is None:
        link = ChannelLink(channel_id=channel_id, account_id=account.id, is_shared=is_shared, linked_by=actor_id,
                           linked_at=now)
        try:
            with session.begin_nested():
                session.add(link)
                session.flush()
        except IntegrityError:  # someone linked this channel at the same moment: theirs stands
            link = store.get_channel_link(session, channel_id=channel_id)
            assert link is not None
        else:
            record_change(session, actor_id=actor_id, action="account.link", object_type="account",
                          object_id=account.id, at=now, after={"channel_id": channel_id, "is_shared": is_shared})
            return account, True
    if link.account_id == account.id:
        return account, False
    other = session.get(Account, link.account_id)
    assert other is not None  # a link's account cannot be deleted under it (foreign key)
    raise Refused(
        _("This channel is already linked to “{other}”. A channel belongs to one account.").format(other=other.name)
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
    window = page_window(total=total, page=page, size=PAGE_SIZE)
    accounts = store.list_accounts(session, offset=window.offset, limit=window.limit)
    return AccountPage(accounts=accounts, page=window.page, pages=window.pages, total=total)
