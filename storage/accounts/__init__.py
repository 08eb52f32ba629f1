"""Accounts (customers, suppliers, third parties) and the channels linked to them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Select, String, bindparam, false, func, or_
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, SQLModel, col, select

from storage.db import table_of
from storage.types import JSONData, UTCDateTime


class AccountKind(StrEnum):
    """What an account is to us."""

    CUSTOMER = "customer"
    SUPPLIER = "supplier"
    THIRD_PARTY = "third-party"


class ThirdPartyRole(StrEnum):
    """What a third party does for or to us."""

    AUDITOR = "auditor"
    SUPERVISOR = "supervisor"
    CERTIFICATION_BODY = "certification-body"
    VENDOR = "vendor"


class AccountTier(StrEnum):
    """Key accounts get a tighter contact cadence."""

    KEY = "key"
    STANDARD = "standard"


class Account(SQLModel, table=True):
    """A customer, supplier or third party; everything else hangs on it."""

    __tablename__ = "account"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=80)
    name_key: str = Field(max_length=80, unique=True, index=True)
    kind: AccountKind = Field(default=AccountKind.CUSTOMER, sa_type=String(16))
    tier: AccountTier = Field(default=AccountTier.STANDARD, sa_type=String(16))
    # Third parties only: auditor, supervisor, certification body or other vendor (None: not said).
    third_party_role: ThirdPartyRole | None = Field(default=None, sa_type=String(32))
    owner_id: str | None = Field(default=None, max_length=32, index=True)
    internal_channel_id: str | None = Field(default=None, max_length=32)
    # Contacts (日常沟通): days between touchpoints (None: by tier, 0: not tracked), and the latest
    # touchpoint with the moment the account goes cold, kept here so cold accounts are found by
    # index without reading touchpoints.
    contact_cadence_days: int | None = None
    last_contact_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    contact_due_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True, index=True))
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    # Complaints (投诉管理): a neutral reply to the customer in the shared channel, SLA targets in
    # minutes by severity ({"critical": [ack, resolve]}), the calendar the SLA clocks run on
    # (None: the team's RAPPORT_COUNTRY/TIMEZONE/BUSINESS_HOURS; country "none": Monday–Friday),
    # and when "three complaints in 30 days" was last raised.
    customer_ack: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    sla_overrides: dict[str, list[int]] | None = Field(default=None, sa_column=Column(JSONData, nullable=True))
    calendar_country: str | None = Field(default=None, max_length=8)
    calendar_timezone: str | None = Field(default=None, max_length=64)
    business_hours: str | None = Field(default=None, max_length=16)
    complaints_flagged_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, nullable=True))
    # Surveys (满意度调查): ask this account's customers by DM rather than in its shared channel.
    survey_by_dm: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Meetings (定期沟通): also remind the customer in the shared channel (title and time only).
    meeting_reminders_shared: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # The language of what Rapport posts in the account's channels and asks its customers (None: the
    # workspace default, RAPPORT_LANGUAGE).
    language: str | None = Field(default=None, max_length=16)
    # Conversation capture: keep the text of messages in its linked channels (off: metadata only).
    capture_text: bool = Field(default=False, sa_column_kwargs={"server_default": false()})
    # Value-added services (增值服务): what one may cost, in whole units (None: the manager decides).
    service_budget: int | None = Field(default=None)


class ChannelLink(SQLModel, table=True):
    """A Slack channel belongs to at most one account."""

    __tablename__ = "channel_link"

    channel_id: str = Field(primary_key=True, max_length=32)
    account_id: int = Field(foreign_key="account.id", index=True)
    is_shared: bool = False
    linked_by: str = Field(max_length=32)
    linked_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


def name_key(name: str) -> str:
    """The case- and space-insensitive form names are unique by."""
    return " ".join(name.split()).casefold()


def get_account_by_name(session: Session, *, name: str) -> Account | None:
    """The account with this name, ignoring case and extra spaces."""
    return session.exec(select(Account).where(Account.name_key == name_key(name))).first()


def list_accounts_named(session: Session, *, names: list[str]) -> list[Account]:
    """The accounts called by any of `names` (ignoring case and extra spaces), in one query."""
    if not names:
        return []
    keys = list(dict.fromkeys(name_key(name) for name in names))
    return list(session.exec(select(Account).where(col(Account.name_key).in_(keys))))


def get_account_for_channel(session: Session, *, channel_id: str) -> Account | None:
    """The account a channel is linked to, if any."""
    query = select(Account).join(ChannelLink).where(ChannelLink.channel_id == channel_id)
    return session.exec(query).first()


def channel_account_language(session: Session, *, channel_id: str) -> str | None:
    """The language of the account a channel is linked to or is the internal channel of (one query)."""
    language: str | None = session.execute(_CHANNEL_LANGUAGE, {"language_channel": channel_id}).scalar()
    return language


def _channel_language_query() -> Select[tuple[str | None]]:
    # Built once, the channel passed apart: every card queued for a channel asks this, and building
    # the statement each time cost more CPU than running it (issue 10).
    accounts, links = table_of(Account), table_of(ChannelLink)
    channel = bindparam("language_channel", type_=String())
    linked = sa_select(links.c.account_id).where(links.c.channel_id == channel)
    return sa_select(accounts.c.language).where(
        or_(accounts.c.id.in_(linked), accounts.c.internal_channel_id == channel)).limit(1)


def get_channel_link(session: Session, *, channel_id: str) -> ChannelLink | None:
    """The link row of a channel, if any."""
    return session.get(ChannelLink, channel_id)


def list_account_channels(session: Session, *, account_id: int) -> list[ChannelLink]:
    """Channels linked to an account."""
    query = select(ChannelLink).where(col(ChannelLink.account_id) == account_id).order_by(col(ChannelLink.linked_at))
    return list(session.exec(query))


def shared_channel_ids(session: Session, *, account_id: int) -> list[str]:
    """The account's linked shared (Slack Connect) channels, the first linked first."""
    return [link.channel_id for link in list_account_channels(session, account_id=account_id) if link.is_shared]


def first_shared_channel(session: Session, *, account_id: int) -> str | None:
    """The account's first linked shared channel, where what it may see is posted; None when it has none."""
    return next(iter(shared_channel_ids(session, account_id=account_id)), None)


def list_accounts(session: Session, *, kind: AccountKind | None = None, offset: int = 0,
                  limit: int = 20) -> list[Account]:
    """Accounts by name, one page at a time."""
    query = select(Account).order_by(Account.name_key).offset(offset).limit(limit)
    if kind:
        query = query.where(Account.kind == kind)
    return list(session.exec(query))


def count_accounts(session: Session, *, kind: AccountKind | None = None) -> int:
    """How many accounts there are (of a kind)."""
    query = select(func.count()).select_from(Account)
    if kind:
        query = query.where(Account.kind == kind)
    return session.exec(query).one()


def search_account_names(session: Session, *, text: str, limit: int = 3) -> list[str]:
    """Names containing `text`, to suggest when a name is not found."""
    pattern = f"%{name_key(text)}%"
    query = select(Account.name).where(col(Account.name_key).like(pattern)).order_by(col(Account.name_key)).limit(limit)
    return list(session.exec(query))


_CHANNEL_LANGUAGE = _channel_language_query()
