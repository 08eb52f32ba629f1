"""The report's "service achieved": complaints of the period by severity and status, SLA attainment, breaches."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session

from bot.platform import formatting
from bot.platform.config import Settings
from bot.platform.i18n import _
from bot.platform.text import cut
from bot.report.model import (
    Block,
    Bullets,
    Chart,
    Figure,
    Figures,
    Paragraph,
    ReportScope,
    ReportSection,
    Series,
    Table,
)
from bot.report.window import Reading, count, read_scope, share
from storage.care.complaints import (
    ClockCounts,
    Complaint,
    ComplaintSeverity,
    ComplaintStatus,
    count_clocks_due,
    count_opened_by_severity_status,
    list_clock_breaches,
)

BREACHES_SHOWN = 20
MINUTE = timedelta(minutes=1)
SUMMARY_LIMIT = 80


def severity_words() -> dict[str, str]:
    """Complaint severities in words, most severe first."""
    return {ComplaintSeverity.CRITICAL: _("critical"), ComplaintSeverity.HIGH: _("high"),
            ComplaintSeverity.NORMAL: _("normal"), ComplaintSeverity.LOW: _("low")}


def status_words() -> dict[str, str]:
    """Complaint statuses in words, in the order a complaint passes them."""
    return {ComplaintStatus.OPEN: _("Open"), ComplaintStatus.ACKNOWLEDGED: _("Acknowledged"),
            ComplaintStatus.RESOLVED: _("Resolved"), ComplaintStatus.CLOSED: _("Closed")}


def service_report_section(session: Session, scope: ReportScope, settings: Settings) -> ReportSection:
    """Complaints opened in the period, the SLA clocks due in it and how many were met, and each breach's cause."""
    reading = read_scope(session, scope, settings)
    window = reading.window
    opened = count_opened_by_severity_status(session, account_id=reading.account_id, since=window.since,
                                             until=window.until)
    clocks = count_clocks_due(session, account_id=reading.account_id, since=window.since, until=reading.decided_until)
    by_severity = {severity: sum(n for s, _status, n in opened if s == severity) for severity in ComplaintSeverity}
    title = _("Service achieved")
    total = sum(by_severity.values())
    due = clocks.ack_due + clocks.resolve_due
    if not total and not due:
        text = _("No complaints were opened and no SLA clock fell due in {period}.").format(period=window.label)
        return ReportSection("service", title, (Paragraph(text),), shareable=True)
    blocks: list[Block] = [_figures(total, clocks)]
    if total:
        blocks.append(_severity_table(opened))
    if clocks.ack_due - clocks.ack_met + clocks.resolve_due - clocks.resolve_met:
        blocks += _breaches(session, reading)
    else:
        blocks.append(Paragraph(_("Every SLA clock due in {period} was met.").format(period=window.label)
                                if due else _("No SLA clock fell due in {period}.").format(period=window.label)))
    chart = Chart("complaints_by_severity", _("Complaints by severity"), "bar",
                  tuple(severity_words().values()), (Series(_("Complaints"), tuple(float(by_severity[s])
                                                                                    for s in ComplaintSeverity)),))
    return ReportSection("service", title, tuple(blocks), shareable=True, charts=(chart,) if total else ())


def _figures(total: int, clocks: ClockCounts) -> Figures:
    met, due = clocks.ack_met + clocks.resolve_met, clocks.ack_due + clocks.resolve_due

    def of(part: int, whole: int) -> str:
        return _("{met} of {due} clocks met").format(met=count(part), due=count(whole))

    late = due - met
    return Figures((
        Figure(_("Complaints opened"), count(total)),
        Figure(_("SLA attainment"), share(met, due), of(met, due)),
        Figure(_("Acknowledged in time"), share(clocks.ack_met, clocks.ack_due), of(clocks.ack_met, clocks.ack_due)),
        Figure(_("Resolved in time"), share(clocks.resolve_met, clocks.resolve_due),
               of(clocks.resolve_met, clocks.resolve_due)),
        Figure(_("SLA breaches"), count(late)),
    ))


def _severity_table(opened: list[tuple[str, str, int]]) -> Table:
    statuses = status_words()
    cells = {(severity, status): n for severity, status, n in opened}
    rows = []
    for severity, word in severity_words().items():
        numbers = [cells.get((severity, status), 0) for status in statuses]
        rows.append((word, count(sum(numbers)), *(count(n) for n in numbers)))
    totals = [sum(cells.get((severity, status), 0) for severity in ComplaintSeverity) for status in statuses]
    rows.append((_("Total"), count(sum(totals)), *(count(n) for n in totals)))
    return Table((_("Severity"), _("Opened"), *(_("Now: {status}").format(status=word)
                                                for word in statuses.values())), tuple(rows))


def _breaches(session: Session, reading: Reading) -> list[Block]:
    window = reading.window
    complaints = list_clock_breaches(session, account_id=reading.account_id, since=window.since,
                                     until=reading.decided_until, limit=BREACHES_SHOWN + 1)
    rows = [row for complaint in complaints[:BREACHES_SHOWN] for row in _breach_rows(complaint, reading)]
    blocks: list[Block] = [Paragraph(_("SLA breaches in {period}, with their cause:").format(period=window.label)),
                           Table((_("Complaint"), _("Severity"), _("Clock"), _("Due"), _("Late by")), tuple(rows))]
    if len(complaints) > BREACHES_SHOWN:
        blocks.append(Bullets((_("Only the first {count} complaints with a breach are listed.").format(
            count=count(BREACHES_SHOWN)),)))
    return blocks


def _breach_rows(complaint: Complaint, reading: Reading) -> list[tuple[str, ...]]:
    """One row per clock of this complaint that fell due in the period and was not met."""
    rows: list[tuple[str, ...]] = []
    clocks = ((_("acknowledge"), complaint.ack_due_at, complaint.acknowledged_at),
              (_("resolve"), complaint.resolve_due_at, complaint.resolved_at))
    for clock, due_at, done_at in clocks:
        if due_at is None or not reading.window.since <= due_at < reading.decided_until:
            continue
        if done_at is not None and done_at <= due_at:
            continue
        rows.append((f"#{complaint.id} {cut(complaint.summary, SUMMARY_LIMIT)}",
                     severity_words()[ComplaintSeverity(complaint.severity)], clock,
                     formatting.moment(due_at, reading.zone), _late_by(reading, due_at, done_at)))
    return rows


def _late_by(reading: Reading, due_at: datetime, done_at: datetime | None) -> str:
    """How late in business time on the account's calendar; "so far" for a clock still running at `now`."""
    until = done_at or reading.now
    business = reading.calendar.business_time_between(due_at, until)
    late = formatting.duration(business)
    if business < MINUTE:  # answered after hours, before the next opening: late all the same
        late = _("{late} (outside business hours)").format(late=formatting.duration(until - due_at))
    if done_at is None:
        return _("{late} so far").format(late=late)
    return late
