"""The report's risks section (internal only): the account's open risks by score, and those raised and closed."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.platform import formatting
from bot.platform.config import Settings
from bot.platform.i18n import _
from bot.report.model import Bullets, Figure, Figures, ReportScope, ReportSection, Table
from bot.rhythm.meetings import account_calendar, account_of
from bot.risks.wording import control_of, risk_facts, status_label, title_of
from storage.accounts import Account
from storage.risks import register as store
from storage.risks.register import Risk

LISTED = 20


def risks_report_section(session: Session, scope: ReportScope, settings: Settings) -> ReportSection | None:
    """Open risks (highest score first) with their controls, and the risks raised and closed in the period."""
    account = account_of(session, scope.account_id)
    zone = account_calendar(account, settings).timezone
    start = datetime.combine(scope.period.start, datetime.min.time(), tzinfo=zone)
    end = datetime.combine(scope.period.end, datetime.min.time(), tzinfo=zone)
    total = store.count_live_risks(session, account_id=scope.account_id)
    rows = store.list_live_risks(session, account_id=scope.account_id, offset=0, limit=LISTED)
    raised, closed = store.list_account_risks_between(session, account_id=scope.account_id, start=start, end=end)
    if not (total or raised or closed):
        return None
    figures = Figures((
        Figure(_("Open risks"), formatting.number(total)),
        Figure(_("Raised in the period"), formatting.number(len(raised))),
        Figure(_("Closed in the period"), formatting.number(len(closed))),
        Figure(_("Highest score"), formatting.number(max((risk.score for risk, _a in rows), default=0)),
               _("likelihood × impact, out of 25")),
    ))
    blocks: list[Figures | Table | Bullets] = [figures]
    if rows:
        blocks.append(Table(
            (_("Risk"), _("Score"), _("Status"), _("Control"), _("Next review")),
            tuple(_row(risk, account, zone=zone) for risk, account in rows)))
    if raised:
        blocks.append(Bullets(tuple(_("Raised: {title}").format(title=_title(risk, account, zone=zone))
                                    for risk in raised)))
    if closed:
        blocks.append(Bullets(tuple(_("Closed: {title}").format(title=_title(risk, account, zone=zone))
                                    for risk in closed)))
    return ReportSection(key="risks", title=_("Risks and controls"), blocks=tuple(blocks), shareable=False)


def _title(risk: Risk, account: Account, *, zone: ZoneInfo) -> str:
    return title_of(risk_facts(risk, account, zone=zone))


def _row(risk: Risk, account: Account, *, zone: ZoneInfo) -> tuple[str, ...]:
    facts = risk_facts(risk, account, zone=zone)
    return (f"#{risk.id} {title_of(facts)}", formatting.number(risk.score), status_label(risk.status),
            control_of(facts) or "—", formatting.day(risk.next_review_at.astimezone(facts.zone).date()))
