"""Accounts: add, link channels, look up — the rules, free of Slack."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.calendar.workdays import WorkCalendar
from bot.care.complaint_clock import NO_COUNTRY
from bot.care.complaint_flag import AccountComplaintSummary, account_complaint_summary
from bot.care.surveys import account_csat
from bot.platform.errors import InvalidInput, NotFound, Refused
from bot.platform.i18n import _
from bot.platform.paging import page_window
from bot.suppliers.audit_schedule import ensure_profile
from storage import accounts as store
from storage.accounts import Account, AccountKind, AccountTier, ChannelLink, ThirdPartyRole
from storage.care.contacts import top_customers
from storage.care.praise import count_praise_for_account
from storage.care.surveys import Csat
from storage.platform.audit import record_change
from storage.rhythm.agreements import AgreementSummary, agreement_summary

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


# The words a third party's role is read from (after `-`/`_`/spaces are made `-`).
ROLE_ALIASES = {
    "auditor": ThirdPartyRole.AUDITOR, "audit": ThirdPartyRole.AUDITOR, "审计": ThirdPartyRole.AUDITOR,
    "supervisor": ThirdPartyRole.SUPERVISOR, "regulator": ThirdPartyRole.SUPERVISOR, "监管": ThirdPartyRole.SUPERVISOR,
    "certification-body": ThirdPartyRole.CERTIFICATION_BODY, "certifier": ThirdPartyRole.CERTIFICATION_BODY,
    "cb": ThirdPartyRole.CERTIFICATION_BODY, "认证机构": ThirdPartyRole.CERTIFICATION_BODY,
    "vendor": ThirdPartyRole.VENDOR, "other-vendor": ThirdPartyRole.VENDOR, "厂商": ThirdPartyRole.VENDOR,
}


def parse_third_party_role(text: str) -> ThirdPartyRole | None:
    """Read a third party's role: auditor, supervisor, certification-body, vendor, or none (not said)."""
    cleaned = "-".join(text.strip().lower().replace("_", " ").replace("-", " ").split())
    if cleaned in ("none", "unset", "default", "无"):
        return None
    role = ROLE_ALIASES.get(cleaned)
    if role is None:
        raise InvalidInput(_("“{text}” is not a third-party role. Use auditor, supervisor, certification-body, vendor "
                             "or none: `/account set AuditCo role auditor`").format(text=text.strip()))
    return role


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
    if link is None:
        link = ChannelLink(channel_id=channel_id, account_id=account.id, is_shared=is_shared, linked_by=actor_id,
                           linked_at=now)
        try:
            with session.begin_nested():
                session.add(link)
                session.flush()
        except IntegrityError:  # someone linked this channel at the same moment: theirs stands
            link = store.get_channel_link(session, channel_id=channel_id)
        else:
            record_change(session, actor_id=actor_id, action="account.link", object_type="account",
                          object_id=account.id, at=now, after={"channel_id": channel_id, "is_shared": is_shared})
            return account, True
    if link.account_id == account.id:
        return account, False
    other = session.get(Account, link.account_id)
    raise Refused(
        _("This channel is already linked to “{other}”. A channel belongs to one account.").format(other=other.name)
    )


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
    # This year and next where the account's own holiday calendar has no official data yet.
    calendar_gaps: list[int] = field(default_factory=list)


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
        calendar_gaps=own_calendar_gaps(account, now=now),
    )


def own_calendar_gaps(account: Account, *, now: datetime) -> list[int]:
    """This year and next, where the holiday calendar the account set for itself lacks official data.

    The team's calendar is checked by `/rapport config`; an account with its own country is checked here.
    """
    country = account.calendar_country
    if not country or country == NO_COUNTRY:
        return []
    year = now.astimezone(ZoneInfo(account.calendar_timezone)).year if account.calendar_timezone else now.year
    return WorkCalendar.from_settings(country, "UTC").missing_years([year, year + 1])


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
