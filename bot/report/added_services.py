"""The report's value-added services (增值服务): each delivery recorded in the period (`/service done`).

Only what was delivered is shown (what, when, what was done, by whom); estimates and the manager's approval stay
internal, as a customer version may carry this section.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.platform import formatting
from bot.platform.config import Settings
from bot.platform.i18n import _
from bot.report.model import Figure, Figures, Paragraph, ReportScope, ReportSection, Table
from bot.report.window import count, name_of, read_scope, readable
from storage.care.services_added import list_services
from storage.platform.people import names_of

TEXT_LIMIT = 150


def added_services_report_section(session: Session, scope: ReportScope, settings: Settings) -> ReportSection:
    """The value-added services delivered in the period, one row per delivery, oldest first."""
    reading = read_scope(session, scope, settings)
    window = reading.window
    title = _("Value-added services")
    delivered: list[tuple[datetime, int, str, dict[str, Any]]] = []
    for service in list_services(session, account_id=reading.account_id):
        for entry in service.deliveries:
            at = datetime.fromisoformat(entry["at"])
            if window.since <= at < window.until:
                delivered.append((at, service.id or 0, service.what, entry))
    if not delivered:
        text = _("No value-added service was delivered in {period}.").format(period=window.label)
        return ReportSection("added_services", title, (Paragraph(text),), shareable=True)
    delivered.sort(key=lambda item: item[0])
    names = names_of(session, user_ids={str(entry["by"]) for _at, _id, _what, entry in delivered if entry.get("by")})
    rows = tuple((formatting.plain_date(at.astimezone(reading.zone).date()), readable(what, names, TEXT_LIMIT),
                  readable(str(entry.get("note") or ""), names, TEXT_LIMIT), name_of(names, entry.get("by")))
                 for at, _id, what, entry in delivered)
    services = len({service_id for _at, service_id, _what, _entry in delivered})
    return ReportSection("added_services", title, (
        Figures((Figure(_("Deliveries"), count(len(delivered))), Figure(_("Services delivered"), count(services)))),
        Table((_("Date"), _("Service"), _("What was done"), _("By")), rows),
    ), shareable=True)
