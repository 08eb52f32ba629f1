"""The report's contacts and meetings: touchpoints logged against the account's cadence, and the meetings held.

The cadence is the account's contact setting (`/account set … cadence`, else 14 days for key accounts and 30 for
others): the most days allowed between two contacts. The period is judged by its longest gap between contacts
(counting from the last contact before it, and up to its end or now) and by the days it spent past the cadence.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta
from itertools import pairwise

from sqlmodel import Session

from bot.accounts.registry import contact_cadence
from bot.platform import formatting
from bot.platform.config import Settings
from bot.platform.i18n import _, ngettext
from bot.report.model import Block, Figure, Figures, Paragraph, ReportScope, ReportSection, Table
from bot.report.window import Reading, count, read_scope
from storage.care.contacts import last_contact_before, list_contact_moments
from storage.rhythm.agreements import ServiceAgreement, get_agreement
from storage.rhythm.meetings import (
    MeetingKind,
    MeetingSlot,
    OccurrenceStatus,
    count_account_occurrences,
    list_account_occurrences,
)

MEETINGS_SHOWN = 20
DAY = timedelta(days=1)


def contacts_report_section(session: Session, scope: ReportScope, settings: Settings) -> ReportSection:
    """Contacts logged against the cadence, the last contact, and meetings held against those planned."""
    reading = read_scope(session, scope, settings)
    window = reading.window
    until = reading.decided_until
    moments = list_contact_moments(session, account_id=reading.account_id, since=window.since, until=until)
    before = last_contact_before(session, account_id=reading.account_id, before=window.since)
    meetings = count_account_occurrences(session, account_id=reading.account_id, since=window.since,
                                         until=window.until)
    title = _("Contacts and meetings")
    last = moments[-1] if moments else before
    if not moments and not sum(meetings.values()) and last is None:
        text = _("No contacts or meetings with this account were recorded in {period}.").format(period=window.label)
        return ReportSection("contacts", title, (Paragraph(text),), shareable=True)
    cadence = contact_cadence(reading.account)
    held = meetings.get(OccurrenceStatus.DONE, 0)
    planned = held + meetings.get(OccurrenceStatus.SCHEDULED, 0)
    items = [Figure(_("Contacts logged"), count(len(moments)), _cadence_text(cadence))]
    if cadence:
        start = before or max(window.since, reading.account.created_at)
        longest, cold = gaps([start, *moments, until], cadence=cadence, since=window.since, until=until)
        items.append(Figure(_("Longest gap between contacts"), formatting.days(longest),
                            _("within the cadence") if longest <= cadence else _("over the cadence")))
        items.append(Figure(_("Days past the cadence"), count(cold)))
    items.append(Figure(_("Last contact"), formatting.plain_date(last.astimezone(reading.zone).date())
                        if last else "—"))
    items.append(Figure(_("Meetings held"), _("{held} of {planned}").format(held=count(held), planned=count(planned)),
                        ngettext("{count} cancelled", "{count} cancelled", meetings.get(OccurrenceStatus.CANCELLED, 0))
                        .format(count=count(meetings.get(OccurrenceStatus.CANCELLED, 0)))))
    slots = list_account_occurrences(session, account_id=reading.account_id, since=window.since, until=window.until,
                                     limit=MEETINGS_SHOWN) if sum(meetings.values()) else []
    reviews = _reviews(get_agreement(session, account_id=reading.account_id), slots)
    if reviews:
        items.append(reviews)
    blocks: list[Block] = [Figures(tuple(items))]
    if slots:
        blocks.append(_meeting_table(slots, reading))
    return ReportSection("contacts", title, tuple(blocks), shareable=True)


def _cadence_text(cadence: int) -> str:
    if not cadence:
        return _("not tracked against a cadence")
    return ngettext("cadence: at least every {count} day", "cadence: at least every {count} days", cadence).format(
        count=count(cadence))


def gaps(points: list[datetime], *, cadence: int, since: datetime, until: datetime) -> tuple[int, int]:
    """(longest gap in whole days, days of [since, until) spent past the cadence) between consecutive contacts."""
    longest = timedelta()
    cold = timedelta()
    allowed = timedelta(days=cadence)
    for earlier, later in pairwise(points):
        longest = max(longest, later - earlier)
        overdue_from, overdue_to = max(earlier + allowed, since), min(later, until)
        if overdue_to > overdue_from:
            cold += overdue_to - overdue_from
    return longest // DAY, math.ceil(cold / DAY)


def _reviews(agreement: ServiceAgreement | None, slots: list[MeetingSlot]) -> Figure | None:
    """Service reviews held in the period against the agreement's cycle; None without either."""
    reviews = [slot for slot in slots if slot.kind == MeetingKind.REVIEW]
    if agreement is None and not reviews:
        return None
    done = sum(1 for slot in reviews if slot.status == OccurrenceStatus.DONE)
    planned = sum(1 for slot in reviews if slot.status != OccurrenceStatus.CANCELLED)
    cycles = {"week": _("weekly"), "month": _("monthly"), "quarter": _("quarterly")}
    note = (_("agreement: {cycle} review").format(cycle=cycles.get(agreement.cycle, agreement.cycle)) if agreement
            else _("no service agreement"))
    return Figure(_("Service reviews held"), _("{held} of {planned}").format(held=count(done), planned=count(planned)),
                  note)


def _meeting_table(slots: list[MeetingSlot], reading: Reading) -> Table:
    words = {OccurrenceStatus.DONE: _("held"), OccurrenceStatus.SCHEDULED: _("planned"),
             OccurrenceStatus.CANCELLED: _("cancelled")}
    rows = tuple((formatting.moment(slot.starts_at, reading.zone), slot.title, words[slot.status]) for slot in slots)
    return Table((_("When"), _("Meeting"), _("Status")), rows)
