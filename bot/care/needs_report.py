"""The service report's needs section (shareable): needs heard, agreed and delivered in the period, and the
supplementary agreements (补充协议) still to be signed."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.care.needs import status_label
from bot.platform import formatting
from bot.platform.config import Settings
from bot.platform.i18n import _
from bot.platform.text import cut
from bot.report.model import Bullets, Figure, Figures, ReportScope, ReportSection, Table
from bot.rhythm.meetings import account_calendar, account_of
from storage.care import needs as store
from storage.care.needs import AgreementStatus, Need, NeedStatus

TEXT_LIMIT = 200


def period_bounds(scope: ReportScope, zone: ZoneInfo) -> tuple[datetime, datetime]:
    """The report's period as moments: from its first day's midnight to the next period's, in the account's zone."""
    return (datetime.combine(scope.period.start, time(0), tzinfo=zone),
            datetime.combine(scope.period.end, time(0), tzinfo=zone))


def _within(moment: datetime | None, start: datetime, end: datetime) -> bool:
    return moment is not None and start <= moment < end


def needs_report_section(session: Session, scope: ReportScope, settings: Settings) -> ReportSection | None:
    """Needs heard, agreed and delivered in the period, each with where it stands, and pending agreements."""
    account = account_of(session, scope.account_id)
    zone = account_calendar(account, settings).timezone
    start, end = period_bounds(scope, zone)
    needs = store.needs_in_period(session, account_id=scope.account_id, start=start, end=end)
    if not needs:
        return None
    heard = [n for n in needs if _within(n.created_at, start, end)]
    agreed = [n for n in needs if _within(n.agreed_at, start, end)]
    delivered = [n for n in needs if _within(n.delivered_at, start, end)]
    pending = [n for n in needs if n.agreement_status == AgreementStatus.PENDING]
    figures = Figures((Figure(_("Needs heard"), str(len(heard))), Figure(_("Needs agreed"), str(len(agreed))),
                       Figure(_("Needs delivered"), str(len(delivered))),
                       Figure(_("Supplementary agreements to sign"), str(len(pending)))))
    shown = [n for n in needs if n in heard or n in agreed or n in delivered]
    blocks: list[Figures | Table | Bullets] = [figures]
    if shown:
        blocks.append(Table((_("Need"), _("What"), _("Status")), tuple(
            (f"#{n.id}", cut(" ".join(n.text.split()), TEXT_LIMIT), status_label(NeedStatus(n.status)))
            for n in shown)))
    if pending:
        blocks.append(Bullets(tuple(_("Need #{id}: a supplementary agreement to sign by {day} — {what}").format(
            id=n.id, day=_day(n, zone), what=cut(" ".join(n.text.split()), TEXT_LIMIT)) for n in pending)))
    return ReportSection(key="needs", title=_("Needs and supplementary agreements"), blocks=tuple(blocks),
                         shareable=True)


def _day(need: Need, zone: ZoneInfo) -> str:
    assert need.agreement_due_at is not None  # a pending agreement has its date
    return formatting.plain_date(need.agreement_due_at.astimezone(zone).date())
