"""The report's sections, in reading order: each domain's SectionBuilder, and building a whole report."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from bot.accounts.stakeholders_report import stakeholders_report_section
from bot.care.needs_report import needs_report_section
from bot.overview.health_report import health_report_section
from bot.platform.config import Settings
from bot.report.action_items import action_items_report_section
from bot.report.added_services import added_services_report_section
from bot.report.contacts import contacts_report_section
from bot.report.model import Report, ReportScope, SectionBuilder
from bot.report.praise import praise_report_section
from bot.report.satisfaction import satisfaction_report_section
from bot.report.service import service_report_section
from bot.report.suppliers import suppliers_report_section
from bot.rhythm.meetings import account_of
from bot.risks.report import risks_report_section
from bot.suppliers.changes import supplier_change_reasons_report_section, supplier_changes_report_section

# Each domain adds its builder here, in the order a reader meets them.
SECTIONS: tuple[SectionBuilder, ...] = (
    service_report_section,
    satisfaction_report_section,
    contacts_report_section,
    praise_report_section,
    added_services_report_section,
    action_items_report_section,
    suppliers_report_section,
    supplier_changes_report_section,
    supplier_change_reasons_report_section,
    needs_report_section,
    stakeholders_report_section,
    health_report_section,
    risks_report_section,
)


def build_report(session: Session, scope: ReportScope, settings: Settings,
                 sections: Sequence[SectionBuilder] = SECTIONS) -> Report:
    """Build the report for an account and period from the record (in the language being spoken)."""
    account = account_of(session, scope.account_id)
    built = (builder(session, scope, settings) for builder in sections)
    return Report(scope, account.name, tuple(section for section in built if section is not None))
