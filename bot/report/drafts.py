"""Drafting (服务报告): when an account's period closes, its report is drafted from the record and DM'd, with its
files and **Edit and submit**, to the account's owner (or the managers), once, well before the due working day."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.calendar.recurrence import Frequency, Period
from bot.platform import outbox
from bot.platform.config import Settings
from bot.platform.i18n import _, language_of, speaking
from bot.report import sections
from bot.report.cards import ReportDraftCard
from bot.report.model import Paragraph, Report, ReportScope, ReportSection
from bot.rhythm.agreements import report_recipients
from bot.rhythm.meetings import account_calendar, account_of
from storage.platform.audit import SCHEDULER, record_change
from storage.report import reports as store
from storage.report.reports import ServiceReport
from storage.rhythm import agreements as deadline_store
from storage.rhythm.agreements import ReportDeadline, ReportStatus

if TYPE_CHECKING:
    from bot.platform.services import Services

DUE_BATCH = 50  # each draft builds a report: a smaller batch than a reminder's
IMPROVEMENT = "improvement"


def draft_key(report_id: int, user_id: str) -> str:
    """The outbox key of one person's DM of a drafted report."""
    return f"report-draft:{report_id}:{user_id}"


def improvement_section(key_issues: str) -> ReportSection | None:
    """The owner's "key issues and improvement plan", shareable; None when nothing was written."""
    paragraphs = tuple(Paragraph(part.strip()) for part in key_issues.split("\n\n") if part.strip())
    if not paragraphs:
        return None
    return ReportSection(IMPROVEMENT, _("Key issues and improvement plan"), paragraphs, shareable=True)


def build_draft(session: Session, row: ServiceReport, *, settings: Settings, now: datetime,
                key_issues: str | None = None) -> Report:
    """The report of a drafted row, from the record and its owner's text, in the language being spoken."""
    scope = ReportScope(row.account_id, Period(Frequency(row.cycle), row.period_start), now)
    report = sections.build_report(session, scope, settings, sections=sections.SECTIONS)
    extra = improvement_section(row.key_issues if key_issues is None else key_issues)
    return Report(report.scope, report.account_name, report.sections + ((extra,) if extra else ()))


def run_due_report_drafts(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: draft each report whose period has closed and DM it to the owner (or managers), once."""
    handled = 0
    for deadline in deadline_store.claim_due_drafts(session, now=now, limit=DUE_BATCH):
        assert deadline.id is not None  # claimed from the database
        deadline_store.change_deadline(session, deadline_id=deadline.id, statuses=tuple(ReportStatus),
                                       values={"draft_at": None})
        if deadline.status == ReportStatus.PENDING and deadline.due_at > now:
            _draft(session, deadline, now=now, services=services)
            handled += 1
    return handled


def next_due_report_drafts(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_report_drafts next has work."""
    return deadline_store.next_draft_at(session)


def _draft(session: Session, deadline: ReportDeadline, *, now: datetime, services: Services) -> None:
    row = store.add_report(session, {"account_id": deadline.account_id, "deadline_id": deadline.id,
                                     "cycle": deadline.cycle, "period_start": deadline.period_start,
                                     "status": store.ReportState.DRAFT, "key_issues": "", "files": [],
                                     "created_at": now})
    if row is None or row.id is None:
        return  # drafted already (another tick)
    account = account_of(session, deadline.account_id)
    zone = account_calendar(account, services.settings).timezone
    told = []
    for person in report_recipients(account, services.settings):
        known = services.slack.people.last(person)
        language = language_of(known.locale if known else None, fallback=services.settings.rapport_language)
        with speaking(language):
            report = build_draft(session, row, settings=services.settings, now=now)
        card = ReportDraftCard(report_id=row.id, report=report, due_at=deadline.due_at, zone=zone)
        if outbox.dm(session, key=draft_key(row.id, person), user=person, card=card, now=now, language=language):
            told.append(person)
    record_change(session, actor_id=SCHEDULER, action="report.draft", object_type="service_report",
                  object_id=row.id, at=now, after={"deadline_id": deadline.id, "to": told})
