"""The report's praise: what the account's people praised our people for in the period.

Praise belongs to an account when it was logged from a message in one of the account's linked channels (a customer
thanking an engineer, logged with *Log praise* or the praise emoji); colleagues' `/praise` has no account.
"""

from __future__ import annotations

from sqlmodel import Session

from bot.platform import formatting
from bot.platform.config import Settings
from bot.platform.i18n import _
from bot.report.model import Block, Bullets, Figure, Figures, Paragraph, ReportScope, ReportSection, Table
from bot.report.window import count, name_of, people_in, read_scope, readable
from storage.care.praise import (
    PraiseReceiver,
    count_account_receivers,
    count_praise_for_account,
    list_account_praise,
    list_receivers,
)
from storage.platform.people import names_of

PRAISE_SHOWN = 20
REASON_LIMIT = 200


def praise_report_section(session: Session, scope: ReportScope, settings: Settings) -> ReportSection:
    """How much praise came from the account's people, for how many of ours, and each praise's words."""
    reading = read_scope(session, scope, settings)
    window = reading.window
    title = _("Praise received")
    total = count_praise_for_account(session, account_id=reading.account_id, since=window.since, until=window.until)
    if not total:
        text = _("No praise from this account was logged in {period}.").format(period=window.label)
        return ReportSection("praise", title, (Paragraph(text),), shareable=True)
    praised = count_account_receivers(session, account_id=reading.account_id, since=window.since, until=window.until)
    shown = list_account_praise(session, account_id=reading.account_id, since=window.since, until=window.until,
                                limit=PRAISE_SHOWN)
    receivers = list_receivers(session, praise_ids=[praise.id for praise in shown if praise.id is not None])
    people = {praise.giver_id for praise in shown} | people_in([praise.reason for praise in shown])
    people |= {r.user_id for group in receivers.values() for r in group if r.user_id}
    names = names_of(session, user_ids=people)
    rows = tuple((formatting.plain_date(praise.created_at.astimezone(reading.zone).date()),
                  name_of(names, praise.giver_id), _receivers(receivers.get(praise.id or 0, []), names),
                  readable(praise.reason, names, REASON_LIMIT)) for praise in shown)
    blocks: list[Block] = [
        Figures((Figure(_("Praise received"), count(total)), Figure(_("People and teams praised"), count(praised)))),
        Table((_("Date"), _("From"), _("For"), _("What they said")), rows),
    ]
    if total > len(shown):
        blocks.append(Bullets((_("Only the first {count} are listed.").format(count=count(len(shown))),)))
    return ReportSection("praise", title, tuple(blocks), shareable=True)


def _receivers(receivers: list[PraiseReceiver], names: dict[str, str]) -> str:
    return ", ".join(name_of(names, r.user_id) if r.user_id else "@" + (r.usergroup_handle or r.usergroup_id or "?")
                     for r in receivers)
