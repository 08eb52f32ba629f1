"""The report's suppliers behind the account (internal only): who backs its service, their audits and disputes.

A supplier is behind an account when the record links them: a support contract backing the account's service on
some day of the period, a dispute raised over one of the account's complaints, open in the period, that names it
(as the party disputed with or as another party involved), or an outage closed in the period whose responsible
layer was the supplier's and which caused one of the account's complaints.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlmodel import Session

from bot.platform import formatting
from bot.platform.config import Settings
from bot.platform.i18n import _, ngettext
from bot.report.model import Block, Figure, Figures, Paragraph, ReportScope, ReportSection, Table
from bot.report.service import severity_words
from bot.report.window import count, read_scope, readable
from storage.accounts import AccountKind
from storage.care.complaints import ComplaintSeverity
from storage.suppliers.disputes import DisputeStatus
from storage.suppliers.involvement import (
    latest_audits,
    list_backing_contracts,
    list_complaint_disputes,
    list_dispute_parties,
    list_outage_causes,
    named_accounts,
    open_dispute_ids,
)

SUBJECT_LIMIT = 120


@dataclass
class Involvement:
    """How one supplier is tied to the account."""

    severities: set[str] = field(default_factory=set)
    disputes: set[int] = field(default_factory=set)  # the ids of disputes over the account's complaints
    outages: set[int] = field(default_factory=set)  # the ids of outages it caused behind the account's complaints


def suppliers_report_section(session: Session, scope: ReportScope, settings: Settings) -> ReportSection:
    """The suppliers behind the account in the period, their latest audit score and open disputes."""
    reading = read_scope(session, scope, settings)
    window = reading.window
    title = _("Suppliers behind the service")
    involved: dict[int, Involvement] = {}
    for contract in list_backing_contracts(session, customer_id=reading.account_id, start=window.period.start,
                                           end=window.period.end):
        involved.setdefault(contract.supplier_id, Involvement()).severities.add(contract.severity)
    disputes = list_complaint_disputes(session, account_id=reading.account_id, since=window.since,
                                       until=window.until)
    parties = list_dispute_parties(session, dispute_ids=[d.id for d in disputes if d.id is not None])
    for dispute_id, account_id in [(d.id, d.supplier_id) for d in disputes] + parties:
        involved.setdefault(account_id, Involvement()).disputes.add(dispute_id or 0)
    for outage_id, supplier_id in list_outage_causes(session, account_id=reading.account_id, since=window.since,
                                                     until=window.until):
        involved.setdefault(supplier_id, Involvement()).outages.add(outage_id)
    accounts = named_accounts(session, account_ids=set(involved))
    names = {account_id: name for account_id, (name, _kind) in accounts.items()}
    involved = {account_id: how for account_id, how in involved.items()
                if accounts.get(account_id, ("", None))[1] == AccountKind.SUPPLIER}
    if not involved:
        text = _("No supplier is linked to this account's service in {period} (no support contract backs it, no "
                 "dispute concerns its complaints and no outage caused them).").format(period=window.label)
        return ReportSection("suppliers", title, (Paragraph(text),), shareable=False)
    ids = set(involved)
    audits = latest_audits(session, account_ids=ids)
    open_disputes = open_dispute_ids(session, supplier_ids=ids)
    threshold = settings.rapport_audit_threshold
    below = sum(1 for audit in audits.values() if audit.average < threshold)
    rows = []
    for supplier_id in sorted(ids, key=lambda i: names.get(i, "").casefold()):
        audit = audits.get(supplier_id)
        score = (_("{score} / 5 ({day})").format(score=formatting.number(round(audit.average, 2)),
                                                  day=formatting.plain_date(audit.created_at.astimezone(
                                                      reading.zone).date()))
                 if audit else _("not audited yet"))
        if audit and audit.average < threshold:
            score = _("{score} — under the threshold of {threshold}").format(
                score=score, threshold=formatting.number(threshold))
        rows.append((names.get(supplier_id, "?"), _why(involved[supplier_id]), score,
                     count(len(open_disputes.get(supplier_id, set())))))
    blocks: list[Block] = [
        Figures((Figure(_("Suppliers involved"), count(len(ids))),
                 Figure(_("Under the audit threshold"), count(below)),
                 Figure(_("Open disputes with them"), count(len(set().union(*open_disputes.values())))))),
        Table((_("Supplier"), _("Why involved"), _("Latest audit"), _("Open disputes")), tuple(rows)),
    ]
    if disputes:
        blocks.append(Paragraph(_("Disputes over this account's complaints:")))
        blocks.append(Table((_("Dispute"), _("Supplier"), _("Level"), _("Status")), tuple(
            (readable(f"#{d.id} {d.subject}", {}, SUBJECT_LIMIT), names.get(d.supplier_id, "?"), count(d.level),
             _("open") if d.status == DisputeStatus.OPEN else _("resolved")) for d in disputes)))
    return ReportSection("suppliers", title, tuple(blocks), shareable=False)


def _why(involvement: Involvement) -> str:
    parts = []
    if involvement.severities:
        words = severity_words()
        backed = ", ".join(words[s] for s in ComplaintSeverity if s in involvement.severities)
        parts.append(_("support contract ({severities})").format(severities=backed))
    if involvement.disputes:
        parts.append(ngettext("{count} dispute over this account's complaints",
                              "{count} disputes over this account's complaints",
                              len(involvement.disputes)).format(count=count(len(involvement.disputes))))
    if involvement.outages:
        parts.append(ngettext("responsible for {count} outage behind this account's complaints",
                              "responsible for {count} outages behind this account's complaints",
                              len(involvement.outages)).format(count=count(len(involvement.outages))))
    return "; ".join(parts)
