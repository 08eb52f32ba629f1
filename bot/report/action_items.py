"""The report's open action items: what was agreed with the account (in its meetings) and is not done yet."""

from __future__ import annotations

from sqlmodel import Session

from bot.platform import formatting
from bot.platform.config import Settings
from bot.platform.i18n import _
from bot.report.model import Block, Bullets, Figure, Figures, Paragraph, ReportScope, ReportSection, Table
from bot.report.window import count, name_of, people_in, read_scope, readable
from storage.platform.people import names_of
from storage.rhythm.action_items import count_open_action_items, list_open_action_items

ITEMS_SHOWN = 30
TEXT_LIMIT = 150


def action_items_report_section(session: Session, scope: ReportScope, settings: Settings) -> ReportSection:
    """The account's action items open as the report is built, earliest due first, overdue ones marked."""
    reading = read_scope(session, scope, settings)
    title = _("Open action items")
    total, overdue = count_open_action_items(session, now=reading.now, account_ids=[reading.account_id])
    if not total:
        return ReportSection("action_items", title, (Paragraph(_("No action items are open.")),), shareable=True)
    items = list_open_action_items(session, now=reading.now, account_ids=[reading.account_id], limit=ITEMS_SHOWN)
    names = names_of(session, user_ids={item.owner_id for item in items} | people_in([item.text for item in items]))
    rows = tuple((readable(item.text, names, TEXT_LIMIT), name_of(names, item.owner_id),
                  formatting.moment(item.due_at, reading.zone, year=True), _("Overdue") if item.overdue else _("Open"))
                 for item in items)
    blocks: list[Block] = [
        Figures((Figure(_("Open action items"), count(total)), Figure(_("Overdue"), count(overdue)))),
        Table((_("Action"), _("Owner"), _("Due"), _("Status")), rows),
    ]
    if total > len(items):
        blocks.append(Bullets((_("Only the first {count} are listed.").format(count=count(len(items))),)))
    return ReportSection("action_items", title, tuple(blocks), shareable=True)
