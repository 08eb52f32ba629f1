"""The report's sections, in reading order: each domain's SectionBuilder, and building a whole report."""

from __future__ import annotations

from collections.abc import Sequence

from sqlmodel import Session

from bot.accounts.stakeholders_report import stakeholders_report_section
from bot.care.needs_report import needs_report_section
from bot.platform.config import Settings
from bot.report.model import Report, ReportScope, SectionBuilder
from bot.rhythm.meetings import account_of

# Each domain adds its builder here, in the order a reader meets them.
SECTIONS: tuple[SectionBuilder, ...] = (needs_report_section, stakeholders_report_section)


def build_report(session: Session, scope: ReportScope, settings: Settings,
                 sections: Sequence[SectionBuilder] = SECTIONS) -> Report:
    """Build the report for an account and period from the record (in the language being spoken)."""
    account = account_of(session, scope.account_id)
    built = (builder(session, scope, settings) for builder in sections)
    return Report(scope, account.name, tuple(section for section in built if section is not None))
