"""The service report's health section: the account's score at the period's end, with its reasons (internal)."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.overview.health import HealthPolicy, band_label, deduction_line
from bot.overview.health_signals import account_health
from bot.platform import formatting
from bot.platform.config import Settings
from bot.platform.i18n import _
from bot.report.model import Bullets, Figure, Figures, Paragraph, ReportScope, ReportSection
from bot.rhythm.meetings import account_of
from storage.accounts import AccountKind


def health_report_section(session: Session, scope: ReportScope, settings: Settings) -> ReportSection | None:
    """Health at the end of the period (or now, for a period not over): never shared with the customer."""
    account = account_of(session, scope.account_id)
    if account.kind != AccountKind.CUSTOMER:
        return None
    zone = ZoneInfo(account.calendar_timezone) if account.calendar_timezone else settings.zone
    at = min(datetime.combine(scope.period.end, time(0), tzinfo=zone), scope.now)
    health = account_health(session, account=account, at=at, policy=HealthPolicy.from_settings(settings))
    day = formatting.plain_date((at - timedelta(microseconds=1)).astimezone(zone).date())
    figure = Figure(_("Health score"), f"{health.score} / 100", band_label(health.band))
    reasons = (Bullets(tuple(deduction_line(d) for d in health.deductions)) if health.deductions
               else Paragraph(_("Nothing was taken off: no signal needs attention.")))
    return ReportSection(key="health", title=_("Account health"), shareable=False, blocks=(
        Figures((figure,)), Paragraph(_("As of {day}: 100, less each signal below.").format(day=day)),
        reasons))
