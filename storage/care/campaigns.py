"""Open survey campaigns (公开调查): one questionnaire to the customer contacts of chosen accounts.

Anonymity lives here as much as in the rules: a response row of an anonymous campaign has no
respondent, only a keyed hash of them (HMAC with the campaign's own random key, erased when the
campaign closes) so an answer can be changed while the survey is open; its time is kept to the day.
There is no "has answered" table linking people to responses (see docs/decisions.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, NamedTuple

from sqlalchemy import Column, Index, String, UniqueConstraint, func, update
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, SQLModel, col, select

from storage.accounts import Account
from storage.db import earliest, storable_id
from storage.types import JSONData, UTCDateTime


class CampaignStatus(StrEnum):
    """Where a campaign is in its life."""

    SCHEDULED = "scheduled"  # waiting for its opening moment
    OPEN = "open"
    CLOSED = "closed"


class AnswerChannel(StrEnum):
    """How an answer reached us: in Slack, or collected elsewhere and recorded with `/survey record`."""

    SLACK = "slack"
    PHONE = "phone"
    VISIT = "visit"
    WEB = "web"


class SurveyCampaign(SQLModel, table=True):
    """A questionnaire sent to many customer contacts, open between two moments, reminded once."""

    __tablename__ = "survey_campaign"

    id: int | None = Field(default=None, primary_key=True)
    title: str = Field(max_length=150)
    # [{"kind": "csat"|"nps"|"choice"|"text", "text": "...", "options": [...]}], in order.
    questions: list[dict[str, Any]] = Field(sa_column=Column(JSONData, nullable=False))
    anonymous: bool = False
    by_dm: bool = False  # deliver by DM rather than one card in each account's shared channel
    # {"all": true} | {"tier": "key"} | {"accounts": [id, …]}
    audience: dict[str, Any] = Field(sa_column=Column(JSONData, nullable=False))
    status: CampaignStatus = Field(default=CampaignStatus.SCHEDULED, sa_type=String(16))
    opens_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    remind_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    closes_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    opened_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    reminded_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime))
    closed_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    # The next moment tick has work (open, remind, close); NULL when none.
    next_check_at: datetime | None = Field(default=None, sa_column=Column(UTCDateTime, index=True))
    # The key of the respondents' hashes; erased at close, after which no answer can be tied to anyone.
    respondent_salt: str | None = Field(default=None, max_length=64)
    created_by: str = Field(max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


class CampaignRecipient(SQLModel, table=True):
    """A customer contact the campaign is addressed to (only their answers count). No link to any answer."""

    __tablename__ = "survey_campaign_recipient"
    __table_args__ = (UniqueConstraint("campaign_id", "user_id", name="uq_campaign_recipient"),)

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="survey_campaign.id", index=True)
    account_id: int = Field(foreign_key="account.id")
    user_id: str = Field(max_length=32)


class CampaignResponse(SQLModel, table=True):
    """One respondent's answers to a campaign (anonymous: no respondent, and the day only)."""

    __tablename__ = "survey_campaign_response"
    __table_args__ = (
        UniqueConstraint("campaign_id", "respondent_key", name="uq_campaign_response_key"),
        Index("ix_campaign_response_campaign", "campaign_id", "account_id"),
        # An account's answers over a period (its service report) read this index only.
        Index("ix_campaign_response_account_answered", "account_id", "answered_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    campaign_id: int = Field(foreign_key="survey_campaign.id")
    account_id: int = Field(foreign_key="account.id")
    respondent_id: str | None = Field(default=None, max_length=32)  # None when anonymous or recorded unnamed
    respondent_key: str | None = Field(default=None, max_length=64)  # HMAC of the respondent; None when recorded
    channel: AnswerChannel = Field(default=AnswerChannel.SLACK, sa_type=String(16))
    answers: dict[str, Any] = Field(sa_column=Column(JSONData, nullable=False))  # {"0": 9, "1": "Yes", …}
    answered_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))
    recorded_by: str | None = Field(default=None, max_length=32)  # who typed in a phone, visit or web answer
    alerted: bool = False


def add_campaign(session: Session, campaign: SurveyCampaign) -> SurveyCampaign:
    """Store a campaign; the id is set on return."""
    session.add(campaign)
    session.flush()
    return campaign


def get_campaign(session: Session, *, campaign_id: int) -> SurveyCampaign | None:
    """One campaign by id, read fresh; None for an id no row could have."""
    if not storable_id(campaign_id):
        return None
    query = select(SurveyCampaign).where(SurveyCampaign.id == campaign_id).execution_options(populate_existing=True)
    return session.exec(query).first()


def list_campaigns(session: Session, *, limit: int = 20) -> list[SurveyCampaign]:
    """The latest campaigns, newest first."""
    return list(session.exec(select(SurveyCampaign).order_by(col(SurveyCampaign.id).desc()).limit(limit)))


def claim_due_campaigns(session: Session, *, now: datetime, limit: int) -> list[SurveyCampaign]:
    """Campaigns with work due at `now`, locked for this transaction (others skip them)."""
    query = (
        select(SurveyCampaign)
        .where(col(SurveyCampaign.next_check_at) <= now)
        .order_by(col(SurveyCampaign.next_check_at), col(SurveyCampaign.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
        .execution_options(populate_existing=True)
    )
    return list(session.exec(query))


def next_campaign_check_at(session: Session) -> datetime | None:
    """When the earliest campaign has scheduled work."""
    return earliest(session, SurveyCampaign.next_check_at)


def change_campaign(session: Session, *, campaign_id: int, statuses: tuple[CampaignStatus, ...],
                    values: dict[str, Any]) -> bool:
    """Apply `values` only if the campaign is still in one of `statuses`; True if this call changed it."""
    result = session.exec(
        update(SurveyCampaign)
        .where(col(SurveyCampaign.id) == campaign_id, col(SurveyCampaign.status).in_(statuses))
        .values(**values)
    )
    return result.rowcount == 1


def add_recipient(session: Session, recipient: CampaignRecipient) -> None:
    """Address the campaign to one more person."""
    session.add(recipient)


def list_recipients(session: Session, *, campaign_id: int) -> list[CampaignRecipient]:
    """Everyone the campaign is addressed to, by account then id."""
    query = (select(CampaignRecipient).where(CampaignRecipient.campaign_id == campaign_id)
             .order_by(col(CampaignRecipient.account_id), col(CampaignRecipient.id)))
    return list(session.exec(query))


def get_recipient(session: Session, *, campaign_id: int, user_id: str) -> CampaignRecipient | None:
    """The person's place in the campaign's audience, if they are in it."""
    query = select(CampaignRecipient).where(CampaignRecipient.campaign_id == campaign_id,
                                            CampaignRecipient.user_id == user_id)
    return session.exec(query).first()


def recipient_counts(session: Session, *, campaign_id: int) -> dict[int, int]:
    """How many people the campaign addresses, per account."""
    query = (select(CampaignRecipient.account_id, func.count()).where(CampaignRecipient.campaign_id == campaign_id)
             .group_by(col(CampaignRecipient.account_id)))
    return dict(session.exec(query).all())


def get_response_by_key(session: Session, *, campaign_id: int, key: str) -> CampaignResponse | None:
    """The response of the respondent whose keyed hash is `key`."""
    query = (select(CampaignResponse)
             .where(CampaignResponse.campaign_id == campaign_id, CampaignResponse.respondent_key == key)
             .execution_options(populate_existing=True))
    return session.exec(query).first()


def response_keys(session: Session, *, campaign_id: int) -> set[str]:
    """The keyed hashes of everyone who has answered in Slack."""
    query = select(CampaignResponse.respondent_key).where(CampaignResponse.campaign_id == campaign_id,
                                                          col(CampaignResponse.respondent_key).is_not(None))
    return {key for key in session.exec(query) if key}


def add_response(session: Session, response: CampaignResponse) -> CampaignResponse:
    """Store a response; the id is set on return."""
    session.add(response)
    session.flush()
    return response


def change_answers(session: Session, *, response_id: int, answers: dict[str, Any]) -> None:
    """Replace a response's answers (a respondent changing their mind while the survey is open)."""
    session.exec(update(CampaignResponse).where(col(CampaignResponse.id) == response_id).values(answers=answers))


def mark_alerted(session: Session, *, response_id: int) -> bool:
    """Claim a response's low-score alert; True for the one caller that should send it."""
    result = session.exec(update(CampaignResponse)
                          .where(col(CampaignResponse.id) == response_id, col(CampaignResponse.alerted).is_(False))
                          .values(alerted=True))
    return result.rowcount == 1


def list_responses(session: Session, *, campaign_id: int) -> list[CampaignResponse]:
    """A campaign's responses, oldest first."""
    query = (select(CampaignResponse).where(CampaignResponse.campaign_id == campaign_id)
             .order_by(col(CampaignResponse.id)))
    return list(session.exec(query))


class ResponseRow(NamedTuple):
    """What results read of a response: plain values, no ORM object (10,000 of them stay cheap)."""

    account_id: int
    channel: str
    answers: dict[str, Any]
    respondent_id: str | None
    answered_at: datetime


def response_rows(session: Session, *, campaign_id: int) -> list[ResponseRow]:
    """A campaign's responses as plain rows, oldest first."""
    table = CampaignResponse.__table__.c  # type: ignore[attr-defined]  # five columns: beyond sqlmodel's select
    query = (sa_select(table.account_id, table.channel, table.answers, table.respondent_id, table.answered_at)
             .where(table.campaign_id == campaign_id).order_by(table.id))
    return [ResponseRow(*row) for row in session.execute(query)]


def account_names(session: Session, *, account_ids: set[int]) -> dict[int, str]:
    """The names of these accounts, in one query."""
    if not account_ids:
        return {}
    query = select(Account.id, Account.name).where(col(Account.id).in_(account_ids))
    return {account_id: name for account_id, name in session.exec(query) if account_id is not None}


def list_account_responses(session: Session, *, account_id: int, since: datetime) -> list[CampaignResponse]:
    """An account's campaign responses since `since`."""
    query = select(CampaignResponse).where(CampaignResponse.account_id == account_id,
                                           col(CampaignResponse.answered_at) >= since)
    return list(session.exec(query))


def list_closed_since(session: Session, *, since: datetime, until: datetime) -> list[SurveyCampaign]:
    """Campaigns that closed in [since, until]."""
    query = (select(SurveyCampaign)
             .where(col(SurveyCampaign.closed_at) >= since, col(SurveyCampaign.closed_at) <= until)
             .order_by(col(SurveyCampaign.id)))
    return list(session.exec(query))


def responses_of_accounts(session: Session, *, account_ids: Sequence[int] | None, since: datetime,
                          until: datetime) -> list[CampaignResponse]:
    """Campaign responses of several accounts (every account when None) answered from `since` to before `until`."""
    query = select(CampaignResponse).where(col(CampaignResponse.answered_at) >= since,
                                           col(CampaignResponse.answered_at) < until)
    if account_ids is not None:
        query = query.where(col(CampaignResponse.account_id).in_(list(account_ids)))
    return list(session.exec(query))


class AccountAnswer(NamedTuple):
    """One response of an account's people, as plain values: which campaign, what was answered, when."""

    campaign_id: int
    answers: dict[str, Any]
    answered_at: datetime


def list_account_answers(session: Session, *, account_id: int, since: datetime, until: datetime) -> list[AccountAnswer]:
    """An account's campaign responses from `since` to before `until`, oldest first (by its own index)."""
    table = CampaignResponse.__table__.c  # type: ignore[attr-defined]  # three columns: beyond sqlmodel's select
    query = (sa_select(table.campaign_id, table.answers, table.answered_at)
             .where(table.account_id == account_id, table.answered_at >= since, table.answered_at < until)
             .order_by(table.answered_at, table.id))
    return [AccountAnswer(*row) for row in session.execute(query)]


def list_campaigns_by_id(session: Session, *, campaign_ids: set[int]) -> dict[int, SurveyCampaign]:
    """These campaigns, by id, in one query."""
    if not campaign_ids:
        return {}
    query = select(SurveyCampaign).where(col(SurveyCampaign.id).in_(campaign_ids))
    return {campaign.id: campaign for campaign in session.exec(query) if campaign.id is not None}
