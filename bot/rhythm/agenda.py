"""The internal agenda of a service review: the period's service achieved, key issues still open, open action items.

Read through each area's storage query functions; the result travels in the review's reminder card
(bot.rhythm.cards), which only ever goes to our own people by DM (never to a shared channel).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.recurrence import Frequency
from bot.platform.text import cut
from bot.rhythm.cards import AgendaAction, AgendaIssue, AgendaReport, ComplaintCounts, ReviewAgenda, Satisfaction
from storage.accounts import Account
from storage.care.complaints import (
    Complaint,
    ComplaintSeverity,
    account_complaint_period,
    list_active_account_complaints,
)
from storage.care.praise import count_praise_for_account
from storage.care.surveys import csat_for_account
from storage.report.reports import latest_submitted
from storage.rhythm.action_items import count_open_action_items, list_open_action_items

ISSUES_SHOWN = 5
ACTIONS_SHOWN = 8
SUMMARY_LIMIT = 150


def build_agenda(session: Session, *, account: Account, period_start: date, period_end: date, zone: ZoneInfo,
                 now: datetime) -> ReviewAgenda:
    """The agenda of a review of `account` over [period_start, period_end)."""
    assert account.id is not None  # a stored account
    since = datetime.combine(period_start, time(0), tzinfo=zone)
    until = datetime.combine(period_end, time(0), tzinfo=zone)
    complaints = account_complaint_period(session, account_id=account.id, since=since, until=until)
    csat = csat_for_account(session, account_id=account.id, since=since, until=until)
    issues = list_active_account_complaints(session, account_id=account.id, limit=ISSUES_SHOWN)
    actions = list_open_action_items(session, now=now, account_ids=[account.id], limit=ACTIONS_SHOWN)
    open_actions, _overdue = count_open_action_items(session, now=now, account_ids=[account.id])
    return ReviewAgenda(
        period_start=period_start, period_end=period_end,
        complaints=ComplaintCounts(opened=complaints.opened, resolved=complaints.resolved,
                                   breached=complaints.breached),
        csat=Satisfaction(average=round(csat.average, 2) if csat.average is not None else None, answers=csat.count),
        praise=count_praise_for_account(session, account_id=account.id, since=since, until=until),
        issues=tuple(_issue(complaint) for complaint in issues),
        actions=tuple(AgendaAction(id=a.item_id, text=cut(a.text, SUMMARY_LIMIT), owner=a.owner_id, due_at=a.due_at,
                                   overdue=a.overdue) for a in actions),
        actions_total=open_actions,
        report=_report(session, account.id),
    )


def _report(session: Session, account_id: int) -> AgendaReport | None:
    """The account's latest submitted service report and the link to its internal PDF."""
    row = latest_submitted(session, account_id=account_id)
    if row is None:
        return None
    pdf = next((f for f in row.files if f.get("version") == "internal" and f.get("name", "").endswith(".pdf")), {})
    return AgendaReport(period_start=row.period_start, cycle=Frequency(row.cycle), name=pdf.get("name", ""),
                        link=pdf.get("permalink", ""), submitted_by=row.submitted_by)


def _issue(complaint: Complaint) -> AgendaIssue:
    assert complaint.id is not None  # read from the database
    return AgendaIssue(id=complaint.id, summary=cut(complaint.summary, SUMMARY_LIMIT),
                       severity=ComplaintSeverity(complaint.severity), breached=complaint.breached)
