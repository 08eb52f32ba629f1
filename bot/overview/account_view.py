"""The 360° view of one account (`/account <name>`): what every domain knows about it, read at once.

It lives with the other overviews, not in `bot/accounts`, because it reads care, rhythm and suppliers
data: accounts stay a domain the others build on, and this view is the one place that looks across.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.accounts.registry import contact_cadence, require_account
from bot.accounts.stakeholders import account_stakeholders
from bot.calendar.workdays import WorkCalendar
from bot.care.campaign_results import SurveyScores, account_survey_scores
from bot.care.complaint_clock import NO_COUNTRY, ComplaintPolicy
from bot.care.complaint_flag import AccountComplaintSummary, account_complaint_summary
from bot.care.surveys import account_csat
from bot.care.waiting import ResponseTimes, response_times
from bot.overview.health import Health, HealthPolicy
from bot.overview.health_signals import account_health
from bot.risks.register import RiskSummary, risk_summary
from storage import accounts as store
from storage.accounts import Account, AccountKind, ChannelLink
from storage.accounts.stakeholders import Stakeholder
from storage.care.contacts import top_customers
from storage.care.praise import count_praise_for_account
from storage.care.services_added import AddedService, list_services
from storage.care.surveys import Csat
from storage.rhythm.agreements import AgreementSummary, agreement_summary

KEY_CONTACT_WINDOW = timedelta(days=365)
SHOWN_SERVICES = 5
SURVEY_WINDOW = timedelta(days=365)  # open surveys are yearly or so: a year of their answers


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
    conversation: ResponseTimes
    surveys: SurveyScores = field(default_factory=lambda: SurveyScores(0, None, None))  # open surveys, a year
    services: list[AddedService] = field(default_factory=list)  # value-added services, newest first
    stakeholders: list[Stakeholder] = field(default_factory=list)  # the sponsor first, then by influence
    # This year and next where the account's own holiday calendar has no official data yet.
    calendar_gaps: list[int] = field(default_factory=list)
    health: Health | None = None  # customers only: their health score and its reasons
    risks: RiskSummary = field(default_factory=RiskSummary)  # its open risks (风险与控制)


def view_account(session: Session, *, name: str, now: datetime, policy: ComplaintPolicy,
                 health: HealthPolicy | None = None) -> AccountView:
    """Everything shown by `/account <name>`, as of `now` (with its health, scored by `health`, for a customer)."""
    account = require_account(session, name=name)
    assert account.id is not None
    scored = (account_health(session, account=account, at=now, policy=health)
              if health is not None and account.kind == AccountKind.CUSTOMER else None)
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
        conversation=response_times(session, account, now=now, policy=policy),
        surveys=account_survey_scores(session, account_id=account.id, since=now - SURVEY_WINDOW),
        services=list_services(session, account_id=account.id)[:SHOWN_SERVICES],
        stakeholders=account_stakeholders(session, account_id=account.id),
        calendar_gaps=own_calendar_gaps(account, now=now),
        health=scored,
        risks=risk_summary(session, account_id=account.id),
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
