"""Rows for report tests: a customer account on Shanghai time and what its month holds, written straight to the
database with every moment spelled out, so the tests can work out each figure by hand from the same values.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import Session, SQLModel

from bot.calendar.recurrence import Frequency, Period
from bot.platform.config import Settings
from bot.report.model import ReportScope
from storage.accounts import Account, AccountKind
from storage.care.campaigns import CampaignResponse, CampaignStatus, SurveyCampaign
from storage.care.complaints import Complaint, ComplaintSeverity, ComplaintStatus
from storage.care.contacts import Touchpoint
from storage.care.praise import add_praise
from storage.care.services_added import AddedService, ServiceStatus
from storage.care.surveys import Survey, SurveyStatus
from storage.platform.people import save_person
from storage.rhythm.action_items import ActionItem, ActionStatus
from storage.rhythm.agreements import ServiceAgreement
from storage.rhythm.meetings import Meeting, MeetingKind, MeetingOccurrence, OccurrenceStatus
from storage.suppliers.contracts import SupportContract
from storage.suppliers.disputes import Dispute, DisputeParty
from storage.suppliers.evaluations import SupplierAudit

SHANGHAI = ZoneInfo("Asia/Shanghai")
NOVEMBER = Period(Frequency.MONTH, date(2026, 11, 1))
# The report is built on Wednesday 2 December 2026, 10:00 in Shanghai.
NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)
OWNER = "U0ALICE"
BOB = "U0BOB"
ERIN = "U0ERIN"  # the customer


def local(month: int, day: int, hour: int = 10, minute: int = 0, year: int = 2026) -> datetime:
    """A moment on Shanghai's clock, as the UTC-aware datetime stored."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI).astimezone(UTC)


def settings_for(url: str) -> Settings:
    """Settings on Shanghai time, Monday to Friday without public holidays, 09:00–18:00."""
    return Settings(_env_file=None, database_url=url, rapport_timezone="Asia/Shanghai", rapport_country=None,
                    rapport_business_hours="09:00-18:00", rapport_audit_threshold=3.0)


def scope(account_id: int, period: Period = NOVEMBER, now: datetime = NOW) -> ReportScope:
    """The report on `period` of an account, built at `now`."""
    return ReportScope(account_id=account_id, period=period, now=now)


Row = TypeVar("Row", bound=SQLModel)


def add(session: Session, row: Row) -> Row:
    """Store a row; its id is set on return."""
    session.add(row)
    session.flush()
    return row


def ident(row: SQLModel) -> int:
    """A stored row's id."""
    value = getattr(row, "id", None)
    assert isinstance(value, int)
    return value


def account(session: Session, name: str, *, kind: AccountKind = AccountKind.CUSTOMER, **values: Any) -> Account:
    """A stored account created long before the month reported."""
    return add(session, Account(name=name, name_key=name.casefold(), kind=kind, owner_id=OWNER, created_by=OWNER,
                                created_at=local(1, 5), **values))


def complaint(session: Session, account_id: int, summary: str, *, severity: str, created: datetime,
              ack_due: datetime | None, acknowledged: datetime | None, resolve_due: datetime | None,
              resolved: datetime | None, status: str) -> Complaint:
    """A complaint with its clocks given outright (not computed by the rules under test)."""
    return add(session, Complaint(
        account_id=account_id, summary=summary, severity=ComplaintSeverity(severity), status=ComplaintStatus(status),
        created_by=OWNER, created_at=created, updated_at=created, clock_started_at=created, ack_due_at=ack_due,
        acknowledged_at=acknowledged, resolve_due_at=resolve_due, resolved_at=resolved))


def case_survey(session: Session, account_id: int, score: int, answered: datetime) -> Survey:
    """An answered case survey."""
    return add(session, Survey(account_id=account_id, respondent_id=ERIN, status=SurveyStatus.ANSWERED,
                               send_at=answered, sent_at=answered, score=score, answered_at=answered,
                               answered_by=ERIN, created_by=OWNER, created_at=answered))


QUESTIONS = [{"kind": "nps", "text": "Recommend us?", "options": []},
             {"kind": "csat", "text": "How satisfied?", "options": []}]


def campaign(session: Session, title: str, *, anonymous: bool) -> SurveyCampaign:
    """A closed open-survey campaign asking NPS then CSAT."""
    return add(session, SurveyCampaign(title=title, questions=QUESTIONS, anonymous=anonymous, audience={"all": True},
                                       status=CampaignStatus.CLOSED, opens_at=local(11, 1), closes_at=local(11, 28),
                                       created_by=OWNER, created_at=local(10, 30)))


def response(session: Session, campaign_id: int, account_id: int, answers: dict[str, Any],
             answered: datetime) -> CampaignResponse:
    """One response to a campaign."""
    return add(session, CampaignResponse(campaign_id=campaign_id, account_id=account_id, answers=answers,
                                         answered_at=answered))


def touchpoint(session: Session, account_id: int, at: datetime, summary: str = "call") -> Touchpoint:
    """A logged contact."""
    return add(session, Touchpoint(account_id=account_id, summary=summary, logged_by=OWNER, occurred_at=at,
                                   created_at=at))


def occurrence(session: Session, meeting: Meeting, at: datetime, status: OccurrenceStatus) -> MeetingOccurrence:
    """One occurrence of a meeting series."""
    assert meeting.id is not None
    return add(session, MeetingOccurrence(meeting_id=meeting.id, account_id=meeting.account_id, starts_at=at,
                                          status=status, created_at=local(10, 1)))


def meeting(session: Session, account_id: int, title: str, kind: MeetingKind = MeetingKind.MEETING) -> Meeting:
    """A meeting series."""
    return add(session, Meeting(account_id=account_id, title=title, kind=kind, created_by=OWNER,
                                created_at=local(10, 1)))


def agreement(session: Session, account_id: int, cycle: Frequency = Frequency.MONTH) -> ServiceAgreement:
    """A service agreement: report by working day 5, review by working day 10 at 10:00."""
    return add(session, ServiceAgreement(account_id=account_id, cycle=cycle, report_day=5, review_day=10,
                                         review_time="10:00", created_at=local(1, 5), updated_by=OWNER,
                                         updated_at=local(1, 5)))


def praise(session: Session, account_id: int | None, reason: str, at: datetime, *, users: list[str]) -> int:
    """A praise from the customer for our people; its id."""
    return add_praise(session, giver_id=ERIN, logged_by=OWNER, reason=reason, account_id=account_id, created_at=at,
                      users=users, groups=[])


def added_service(session: Session, account_id: int, what: str, deliveries: list[tuple[datetime, str]]) -> AddedService:
    """An approved value-added service with its deliveries."""
    return add(session, AddedService(
        account_id=account_id, what=what, schedule="once", first_at=deliveries[0][0], cost=1000,
        deliveries=[{"at": at.isoformat(), "by": BOB, "note": note} for at, note in deliveries],
        principles={}, approver="U0CAROL", status=ServiceStatus.APPROVED, created_by=OWNER, created_at=local(10, 1)))


def action_item(session: Session, account_id: int, text: str, due: datetime, *,
                status: ActionStatus = ActionStatus.OPEN) -> ActionItem:
    """An action item owned by Bob."""
    return add(session, ActionItem(account_id=account_id, text=text, owner_id=BOB, due_at=due, status=status,
                                   created_by=OWNER, created_at=local(11, 2)))


def contract(session: Session, supplier_id: int, customer_id: int, severity: str) -> SupportContract:
    """A support contract backing the customer's service all year."""
    return add(session, SupportContract(
        supplier_id=supplier_id, customer_id=customer_id, severity=ComplaintSeverity(severity), response_minutes=30,
        resolution_minutes=120, availability=99.9, service_hours="7x24", valid_from=date(2026, 1, 1),
        valid_until=date(2026, 12, 31), created_by=OWNER, created_at=local(1, 5)))


def audit(session: Session, supplier_id: int, average: float, at: datetime) -> SupplierAudit:
    """A supplier audit with one average."""
    score = round(average)
    return add(session, SupplierAudit(account_id=supplier_id, scores={"responsiveness": score}, average=average,
                                      period_start=date(2026, 7, 1), period_end=date(2026, 9, 30),
                                      auditor_id=OWNER, created_by=OWNER, created_at=at))


def dispute(session: Session, supplier_id: int, complaint_id: int | None, subject: str, at: datetime, *,
            parties: tuple[int, ...] = ()) -> Dispute:
    """An open level-1 dispute with a supplier (and other parties involved)."""
    row = add(session, Dispute(supplier_id=supplier_id, subject=subject, complaint_id=complaint_id, owner_id=OWNER,
                               level_started_at=at, created_by=OWNER, created_at=at, updated_at=at))
    for party in parties:
        add(session, DisputeParty(dispute_id=ident(row), account_id=party))
    return row


def person(session: Session, user_id: str, name: str) -> None:
    """Someone Rapport has looked up in Slack."""
    save_person(session, user_id=user_id, team_id="T0OURS", name=name, tz="Asia/Shanghai", locale="en-US",
                is_bot=False, refreshed_at=local(11, 1))
