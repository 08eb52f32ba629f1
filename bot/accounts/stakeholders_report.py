"""The service report's stakeholders section (internal): who was met in the period, and the executive sponsor."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import Session

from bot.accounts.stakeholders import account_stakeholders, cadence_days
from bot.care.needs_report import period_bounds
from bot.platform import formatting
from bot.platform.config import Settings
from bot.platform.i18n import _
from bot.platform.text import cut
from bot.report.model import Bullets, Paragraph, ReportScope, ReportSection, Table
from bot.rhythm.meetings import account_calendar, account_of
from storage.rhythm.agreements import get_agreement

NAME_LIMIT = 80


def stakeholders_report_section(session: Session, scope: ReportScope, settings: Settings) -> ReportSection | None:
    """Each stakeholder with their role and when last met (marked when within the period); the sponsor's lapse."""
    account = account_of(session, scope.account_id)
    stakeholders = account_stakeholders(session, account_id=scope.account_id)
    if not stakeholders:
        return None
    zone = account_calendar(account, settings).timezone
    start, end = period_bounds(scope, zone)
    rows = []
    for person in stakeholders:
        met = person.last_met_at
        rows.append((cut(person.name, NAME_LIMIT) + (" ★" if person.sponsor else ""), cut(person.role or "—", 80),
                     formatting.plain_date(met.astimezone(zone).date()) if met else _("not met yet"),
                     _("yes") if met is not None and start <= met < end else _("no")))
    blocks: list[Paragraph | Table | Bullets] = [Table(
        (_("Stakeholder"), _("Role"), _("Last met"), _("Met in the period")), tuple(rows))]
    met_names = [cut(p.name, NAME_LIMIT) for p in stakeholders if p.last_met_at and start <= p.last_met_at < end]
    blocks.append(Paragraph(_("Met in the period: {names}.").format(names=", ".join(met_names)) if met_names
                            else _("No stakeholder was met in the period.")))
    sponsor = next((p for p in stakeholders if p.sponsor), None)
    if sponsor is None:
        blocks.append(Paragraph(_("No executive sponsor is named for this account.")))
    else:
        agreement = get_agreement(session, account_id=scope.account_id)
        days = cadence_days(agreement.cycle if agreement else None)
        since = sponsor.last_met_at or sponsor.created_at
        lapsed = since + timedelta(days=days) <= scope.now
        last = formatting.plain_date(sponsor.last_met_at.astimezone(zone).date()) if sponsor.last_met_at else \
            _("not met yet")
        blocks.append(Bullets((_("Executive sponsor {name}: last met {met}; expected every {days} days — {state}.")
                               .format(name=cut(sponsor.name, NAME_LIMIT), met=last, days=days,
                                       state=_("overdue") if lapsed else _("within the cadence")),)))
    return ReportSection(key="stakeholders", title=_("Stakeholders"), blocks=tuple(blocks), shareable=False)
