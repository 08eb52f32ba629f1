"""The report's figures for one month of one account, each checked against what the seeded rows say (worked out
here, by hand or with plain arithmetic, never with the code under test); the month's edges on Shanghai's clock; an
empty month; the Chinese build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import pytest

from bot.calendar.recurrence import Frequency, Period
from bot.platform.i18n import speaking
from bot.report.model import Figures, Paragraph, Report, ReportSection, Table
from bot.report.sections import build_report
from storage.accounts import AccountKind
from storage.db import Database
from storage.rhythm.action_items import ActionStatus
from storage.rhythm.meetings import MeetingKind, OccurrenceStatus
from storage.suppliers.coordination import Coordination, CoordinationComplaint, CoordinationLayer
from tests.report import records as r
from tests.report.records import BOB, NOW, local

SINCE, UNTIL = local(11, 1, 0), local(12, 1, 0)  # November on Shanghai's clock


@dataclass(frozen=True)
class Seeded:
    """A complaint as seeded."""

    summary: str
    severity: str
    created: datetime
    ack_due: datetime
    acknowledged: datetime | None
    resolve_due: datetime
    resolved: datetime | None
    status: str


COMPLAINTS = [
    Seeded("VPN down", "critical", local(11, 3, 10), local(11, 3, 11), local(11, 3, 10, 30), local(11, 3, 14),
           local(11, 3, 16), "closed"),  # resolved 2 business hours late
    Seeded("Slow ERP", "high", local(11, 10, 9), local(11, 10, 13), local(11, 10, 15), local(11, 13, 9),
           local(11, 12, 10), "resolved"),  # acknowledged 2 business hours late
    Seeded("Printer queue", "normal", local(11, 20, 10), local(11, 20, 17), local(11, 20, 12), local(11, 26, 17),
           None, "acknowledged"),  # still unresolved, its resolve clock ran out on Thu 26 Nov 17:00
    Seeded("Mail bounce", "low", local(11, 30, 23, 30), local(12, 1, 17), None, local(12, 7, 17), None,
           "open"),  # logged on the month's last evening: November's; its clocks fall due in December
    Seeded("Late night", "normal", local(12, 1, 0, 10), local(12, 1, 17), None, local(12, 3, 17), None,
           "open"),  # ten minutes into December (16:10 UTC on 30 Nov): not November's
    Seeded("Old ticket", "normal", local(10, 28, 10), local(10, 28, 17), local(10, 28, 11), local(11, 2, 10),
           local(11, 2, 9), "closed"),  # October's complaint whose resolve clock fell due (and was met) in November
]
CASE_SCORES = [(5, local(11, 4)), (4, local(11, 12)), (2, local(11, 18)), (3, local(11, 30, 23, 59)),
               (5, local(12, 1, 0, 30)), (1, local(10, 15))]
NAMED = [{"0": 9, "1": 4}, {"0": 6, "1": 3}]
SMALL_ANONYMOUS = [{"0": 10, "1": 5}, {"0": 0, "1": 1}]  # two answers: never broken down
ANONYMOUS = [{"0": 10, "1": 5}, {"0": 8, "1": 4}, {"0": 7, "1": 4}]
CONTACTS = [local(10, 25), local(11, 2), local(11, 10), local(11, 30, 23), local(12, 1, 0, 30)]
CADENCE = 14


@pytest.fixture
def month(db: Database) -> dict[str, Any]:
    """Acme's November, with a little of October and December around it, and a supplier behind it."""
    with db.session() as session:
        acme = r.ident(r.account(session, "Acme Corp", contact_cadence_days=CADENCE))
        other = r.ident(r.account(session, "Other Co"))
        complaints = {c.summary: r.complaint(session, acme, c.summary, severity=c.severity, created=c.created,
                                             ack_due=c.ack_due, acknowledged=c.acknowledged,
                                             resolve_due=c.resolve_due, resolved=c.resolved, status=c.status)
                      for c in COMPLAINTS}
        r.complaint(session, other, "Not Acme's", severity="critical", created=local(11, 5),
                    ack_due=local(11, 5, 11), acknowledged=None, resolve_due=local(11, 5, 14), resolved=None,
                    status="open")
        for score, answered in CASE_SCORES:
            r.case_survey(session, acme, score, answered)
        r.case_survey(session, other, 1, local(11, 6))
        for title, anonymous, answers in (("Named", False, NAMED), ("Small", True, SMALL_ANONYMOUS),
                                          ("Anonymous", True, ANONYMOUS)):
            campaign = r.campaign(session, title, anonymous=anonymous)
            for answer in answers:
                r.response(session, r.ident(campaign), acme, answer, local(11, 8, 0))
        for at in CONTACTS:
            r.touchpoint(session, acme, at)
        sync = r.meeting(session, acme, "Weekly sync")
        for day, status in ((5, OccurrenceStatus.DONE), (12, OccurrenceStatus.DONE),
                            (19, OccurrenceStatus.CANCELLED), (26, OccurrenceStatus.SCHEDULED)):
            r.occurrence(session, sync, local(11, day, 15), status)
        r.occurrence(session, sync, local(12, 3, 15), OccurrenceStatus.SCHEDULED)
        r.agreement(session, acme)
        service_review = r.meeting(session, acme, "Service review", MeetingKind.REVIEW)
        r.occurrence(session, service_review, local(11, 13, 10), OccurrenceStatus.DONE)  # reviewing October
        r.person(session, BOB, "Bob Li")
        r.person(session, r.ERIN, "Erin Wu")
        r.praise(session, acme, "<@U0BOB> fixed the VPN in an hour", local(11, 9), users=[BOB])
        r.praise(session, acme, "Great migration weekend", local(11, 30, 23, 50), users=[BOB, "U0DAN"])
        r.praise(session, acme, "December thanks", local(12, 1, 0, 10), users=[BOB])
        r.praise(session, None, "Colleague praise", local(11, 15), users=[BOB])
        r.added_service(session, acme, "Health check", [(local(11, 5), "report sent"), (local(12, 1, 0, 30), "x")])
        r.added_service(session, acme, "Training", [(local(11, 20), "trained 5 people")])
        r.action_item(session, acme, "Renew the VPN certificate", local(11, 25, 18))
        r.action_item(session, acme, "Send the capacity plan", local(12, 10, 18))
        r.action_item(session, acme, "Done already", local(11, 20), status=ActionStatus.DONE)
        r.action_item(session, other, "Other's item", local(11, 20))
        netco = r.ident(r.account(session, "NetCo", kind=AccountKind.SUPPLIER))
        otherco = r.ident(r.account(session, "OtherCo", kind=AccountKind.SUPPLIER))
        partyco = r.ident(r.account(session, "PartyCo", kind=AccountKind.SUPPLIER))
        r.contract(session, netco, acme, "critical")
        r.audit(session, netco, 3.5, local(9, 1))
        r.audit(session, netco, 2.5, local(10, 1))
        r.dispute(session, netco, r.ident(complaints["Slow ERP"]), "ERP storage fault", local(11, 11),
                  parties=(partyco, other))  # a customer named as a party is no supplier behind Acme
        r.dispute(session, otherco, None, "Not about Acme", local(11, 11))
        return {"acme": acme, "other": other, "complaints": {k: r.ident(v) for k, v in complaints.items()}}


def build(db: Database, account_id: int, **scope: Any) -> Report:
    """The report, built in one read-only unit of work."""
    with db.session(read_only=True) as session:
        return build_report(session, r.scope(account_id, **scope), r.settings_for(db.url))


def section(report: Report, key: str) -> ReportSection:
    """One section by key."""
    [found] = [s for s in report.sections if s.key == key]
    return found


def figures(part: ReportSection) -> dict[str, tuple[str, str]]:
    """label → (value, note) of a section's headline figures."""
    return {f.label: (f.value, f.note) for block in part.blocks if isinstance(block, Figures) for f in block.items}


def tables(part: ReportSection) -> list[Table]:
    """A section's tables, in order."""
    return [block for block in part.blocks if isinstance(block, Table)]


def texts(part: ReportSection) -> str:
    """A section's paragraphs, joined."""
    return "\n".join(block.text for block in part.blocks if isinstance(block, Paragraph))


def per_cent(part: int, whole: int) -> str:
    """Whole per cent, halves rounded up."""
    return f"{int(100 * part / whole + 0.5)}%"


FIGURES = ["service", "satisfaction", "contacts", "praise", "added_services", "action_items", "suppliers"]


def test_the_sections_come_in_reading_order_and_internal_ones_stay_internal(db, month):
    report = build(db, month["acme"])
    keys = [s.key for s in report.sections]
    assert [key for key in keys if key in FIGURES] == FIGURES
    internal = {s.key for s in report.sections if not s.shareable}
    assert {"suppliers", "health"} <= internal
    assert not internal & {s.key for s in report.customer_version(frozenset(keys)).sections}


def test_service_counts_novembers_complaints_and_the_sla_clocks_due_in_it(db, month):
    report = build(db, month["acme"])
    service = section(report, "service")
    opened = [c for c in COMPLAINTS if SINCE <= c.created < UNTIL]
    clocks = [(due, done) for c in COMPLAINTS for due, done in ((c.ack_due, c.acknowledged),
                                                                (c.resolve_due, c.resolved))
              if SINCE <= due < min(UNTIL, NOW)]
    met = [1 for due, done in clocks if done is not None and done <= due]
    acks = [(c.ack_due, c.acknowledged) for c in COMPLAINTS if SINCE <= c.ack_due < UNTIL]
    acks_met = [1 for due, done in acks if done is not None and done <= due]
    shown = figures(service)
    assert shown["Complaints opened"] == (str(len(opened)), "")
    assert shown["SLA attainment"] == (per_cent(len(met), len(clocks)), f"{len(met)} of {len(clocks)} clocks met")
    assert shown["Acknowledged in time"][0] == per_cent(len(acks_met), len(acks))
    assert shown["SLA breaches"][0] == str(len(clocks) - len(met))
    assert (len(opened), len(clocks), len(met)) == (4, 7, 4)  # what the seed means: 57%

    by_status, breaches = tables(service)
    rows = {row[0]: row for row in by_status.rows}
    assert by_status.header == ("Severity", "Opened", "Now: Open", "Now: Acknowledged", "Now: Resolved",
                                "Now: Closed")
    for word, severity in (("critical", "critical"), ("high", "high"), ("normal", "normal"), ("low", "low")):
        mine = [c for c in opened if c.severity == severity]
        assert rows[word][1] == str(len(mine))
        assert rows[word][2:] == tuple(str(len([c for c in mine if c.status == status]))
                                       for status in ("open", "acknowledged", "resolved", "closed"))
    assert rows["Total"][1] == "4"

    ids = month["complaints"]
    assert breaches.header == ("Complaint", "Severity", "Clock", "Due", "Late by")
    assert breaches.rows == (
        (f"#{ids['VPN down']} VPN down", "critical", "resolve", "Tue 3 Nov 14:00 CST", "2h"),
        (f"#{ids['Slow ERP']} Slow ERP", "high", "acknowledge", "Tue 10 Nov 13:00 CST", "2h"),
        # Thu 17–18, Fri 9 h, Mon 9 h, Tue 9 h, Wed 9–10: 29 business hours by the time the report is built.
        (f"#{ids['Printer queue']} Printer queue", "normal", "resolve", "Thu 26 Nov 17:00 CST", "29h so far"),
    )
    [chart] = service.charts
    assert (chart.kind, chart.labels) == ("bar", ("critical", "high", "normal", "low"))
    assert chart.series[0].values == tuple(float(len([c for c in opened if c.severity == s]))
                                           for s in ("critical", "high", "normal", "low"))



def test_satisfaction_counts_case_and_open_surveys_and_leaves_a_small_anonymous_group_out(db, month):
    report = build(db, month["acme"])
    satisfaction = section(report, "satisfaction")
    case = [score for score, at in CASE_SCORES if SINCE <= at < UNTIL]
    csat = case + [a["1"] for a in NAMED] + [a["1"] for a in ANONYMOUS]
    nps = [a["0"] for a in NAMED] + [a["0"] for a in ANONYMOUS]
    promoters, detractors = len([n for n in nps if n >= 9]), len([n for n in nps if n <= 6])
    shown = figures(satisfaction)
    assert shown["CSAT"] == (f"{sum(csat) / len(csat):.1f}", f"{len(csat)} scores (1–5)")
    assert shown["Satisfied (4–5)"][0] == per_cent(len([s for s in csat if s >= 4]), len(csat))
    assert shown["NPS"] == (str(round(100 * (promoters - detractors) / len(nps))),
                            f"promoters {promoters} · passives {len(nps) - promoters - detractors} · "
                            f"detractors {detractors}")
    assert shown["Responses"] == (str(len(case) + len(NAMED) + len(ANONYMOUS)),
                                  f"{len(case)} case surveys · {len(NAMED) + len(ANONYMOUS)} open-survey responses")
    assert "2 anonymous answers are left out: fewer than 3" in texts(satisfaction)

    [trend] = tables(satisfaction)
    assert [row[0] for row in trend.rows] == ["June 2026", "July 2026", "August 2026", "September 2026",
                                              "October 2026", "November 2026"]
    assert trend.rows[-2] == ("October 2026", "1", "1", "0%", "—")
    assert trend.rows[0] == ("June 2026", "0", "—", "—", "—")
    csat_chart, nps_chart = satisfaction.charts
    assert csat_chart.kind == "line" and csat_chart.series[0].values[:4] == (None, None, None, None)
    assert csat_chart.series[0].values[4:] == (1.0, sum(csat) / len(csat))
    assert nps_chart.series[0].values[-1] == 20.0


def test_a_quarterly_report_trends_over_six_quarters(db, month):
    satisfaction = section(build(db, month["acme"], period=Period(Frequency.QUARTER, date(2026, 10, 1))),
                           "satisfaction")
    [trend] = tables(satisfaction)
    assert [row[0] for row in trend.rows] == ["Q3 2025", "Q4 2025", "Q1 2026", "Q2 2026", "Q3 2026", "Q4 2026"]
    assert trend.rows[-1][1] == str(len(CASE_SCORES) + len(NAMED) + len(ANONYMOUS))  # every seeded answer is Q4's


def test_contacts_are_judged_against_the_cadence_and_meetings_held_against_those_planned(db, month):
    contacts = section(build(db, month["acme"]), "contacts")
    shown = figures(contacts)
    assert shown["Contacts logged"] == (str(len([at for at in CONTACTS if SINCE <= at < UNTIL])),
                                        "cadence: at least every 14 days")
    # Gaps: 25 Oct → 2 Nov → 10 Nov → 30 Nov 23:00 (20 days 13 h, over 14) → the month's end.
    assert shown["Longest gap between contacts"] == ("20 days", "over the cadence")
    # Cold from 24 Nov 10:00 (10 Nov + 14 days) to the contact on 30 Nov 23:00: 6 days 13 h, so 7 days.
    assert shown["Days past the cadence"] == ("7", "")
    assert shown["Last contact"] == ("30 Nov 2026", "")
    assert shown["Meetings held"] == ("3 of 4", "1 cancelled")
    assert shown["Service reviews held"] == ("1 of 1", "agreement: monthly review")
    [meetings] = tables(contacts)
    assert [row[1:] for row in meetings.rows] == [("Weekly sync", "held"), ("Weekly sync", "held"),
                                                  ("Service review", "held"), ("Weekly sync", "cancelled"),
                                                  ("Weekly sync", "planned")]
    assert meetings.rows[0][:2] == ("Thu 5 Nov 15:00 CST", "Weekly sync")


def test_praise_lists_what_the_accounts_people_said_with_names(db, month):
    praise = section(build(db, month["acme"]), "praise")
    assert figures(praise) == {"Praise received": ("2", ""), "People and teams praised": ("2", "")}
    [table] = tables(praise)
    assert table.rows == (("9 Nov 2026", "Erin Wu", "Bob Li", "@Bob Li fixed the VPN in an hour"),
                          ("30 Nov 2026", "Erin Wu", "Bob Li, U0DAN", "Great migration weekend"))


def test_value_added_services_delivered_in_the_month(db, month):
    services = section(build(db, month["acme"]), "added_services")
    assert figures(services) == {"Deliveries": ("2", ""), "Services delivered": ("2", "")}
    [table] = tables(services)
    assert table.rows == (("5 Nov 2026", "Health check", "report sent", "Bob Li"),
                          ("20 Nov 2026", "Training", "trained 5 people", "Bob Li"))


def test_open_action_items_with_the_overdue_marked(db, month):
    items = section(build(db, month["acme"]), "action_items")
    assert figures(items) == {"Open action items": ("2", ""), "Overdue": ("1", "")}
    [table] = tables(items)
    assert table.rows == (("Renew the VPN certificate", "Bob Li", "Wed 25 Nov 2026 18:00 CST", "Overdue"),
                          ("Send the capacity plan", "Bob Li", "Thu 10 Dec 2026 18:00 CST", "Open"))


def test_suppliers_behind_the_account_with_their_latest_audit_and_disputes(db, month):
    suppliers = section(build(db, month["acme"]), "suppliers")
    assert not suppliers.shareable
    # NetCo backs Acme's critical service and is disputed with over Acme's "Slow ERP"; PartyCo is named in that
    # dispute; OtherCo's dispute is not about Acme. One open dispute in all, however many of them it names.
    assert figures(suppliers) == {"Suppliers involved": ("2", ""), "Under the audit threshold": ("1", ""),
                                  "Open disputes with them": ("1", "")}
    behind, disputes = tables(suppliers)
    assert behind.rows == (
        ("NetCo", "support contract (critical); 1 dispute over this account's complaints",
         "2.5 / 5 (1 Oct 2026) — under the threshold of 3", "1"),
        ("PartyCo", "1 dispute over this account's complaints", "not audited yet", "1"),
    )
    assert [row[1:] for row in disputes.rows] == [("NetCo", "1", "open")]
    assert "ERP storage fault" in disputes.rows[0][0]


def test_the_months_edges_are_midnight_on_the_accounts_clock(db, month):
    """The last evening of November is in (15:30 UTC is 23:30 in Shanghai); ten past midnight on 1 Dec is out."""
    report = build(db, month["acme"])
    assert figures(section(report, "service"))["Complaints opened"][0] == "4"  # Mail bounce in, Late night out
    december = build(db, month["acme"], period=Period(Frequency.MONTH, date(2026, 12, 1)))
    assert figures(section(december, "service"))["Complaints opened"][0] == "1"
    [table] = tables(section(december, "praise"))
    assert [row[3] for row in table.rows] == ["December thanks"]


def test_a_clock_due_on_the_months_last_minute_is_novembers_and_one_due_at_midnight_is_decembers(db):
    with db.session() as session:
        edge = r.ident(r.account(session, "Edge Ltd"))
        r.complaint(session, edge, "Edge", severity="normal", created=local(11, 30, 9), ack_due=local(11, 30, 23, 59),
                    acknowledged=None, resolve_due=local(12, 1, 0), resolved=None, status="open")
        r.complaint(session, edge, "Weekend", severity="normal", created=local(11, 27, 9), ack_due=local(11, 27, 18),
                    acknowledged=local(11, 28, 10), resolve_due=local(12, 1, 9), resolved=local(11, 28, 11),
                    status="resolved")
    service = section(build(db, edge), "service")
    assert figures(service)["SLA attainment"] == ("0%", "0 of 2 clocks met")
    # Dec 1 09:00–18:00 and Dec 2 09:00–10:00 so far; Saturday's answer came 16 hours late, none of them business.
    assert [row[2:] for row in tables(service)[1].rows] == [
        ("acknowledge", "Fri 27 Nov 18:00 CST", "16h (outside business hours)"),
        ("acknowledge", "Mon 30 Nov 23:59 CST", "10h so far")]


def test_an_empty_month_says_so_in_every_section(db, month):
    with db.session() as session:
        quiet = r.ident(r.account(session, "Quiet Ltd", contact_cadence_days=0))
    report = build(db, quiet)
    for part in (part for part in report.sections if part.key in FIGURES):
        assert [type(block) for block in part.blocks] == [Paragraph], part.key
        assert part.charts == ()
    assert texts(section(report, "service")) == ("No complaints were opened and no SLA clock fell due in "
                                                 "November 2026.")
    assert texts(section(report, "action_items")) == "No action items are open."


def test_the_chinese_report_has_no_english_left_in_its_titles(db, month):
    with speaking("zh_Hans"):
        report = build(db, month["acme"])
    titles: list[str] = []
    for part in report.sections:
        titles.append(part.title)
        for block in part.blocks:
            if isinstance(block, Figures):
                titles += [f.label for f in block.items]
            if isinstance(block, Table):
                titles += list(block.header)
        for chart in part.charts:
            titles += [chart.title, *chart.labels, *(series.name for series in chart.series)]
    english = [title for title in titles if re.search(r"[a-z]{2,}", title)]
    assert not english
    assert [part.title for part in report.sections][:2] == ["服务达成情况", "客户满意度"]
    assert tables(section(report, "satisfaction"))[0].rows[-1][0] == "2026年11月"
    assert figures(section(report, "contacts"))["最长沟通间隔"][0] == "20天"


def test_a_supplier_whose_layer_caused_an_outage_behind_the_accounts_complaints_is_behind_it(db, month):
    """Closed in November with the database layer responsible for Acme's complaint: DBCo is behind Acme; the
    network layer's supplier (not responsible) is not, nor is an outage closed in December."""
    with db.session() as session:
        dbco = r.ident(r.account(session, "DBCo", kind=AccountKind.SUPPLIER))
        lineco = r.ident(r.account(session, "LineCo", kind=AccountKind.SUPPLIER))
        lateco = r.ident(r.account(session, "LateCo", kind=AccountKind.SUPPLIER))
        for title, closed, layers in (("ERP down", local(11, 12), {"database": dbco, "network": lineco}),
                                      ("Mail down", local(12, 1, 9), {"database": lateco})):
            outage = r.add(session, Coordination(title=title, channel_id="C0ESC", created_by=r.OWNER,
                                                 created_at=local(11, 10), updated_at=closed, closed_at=closed,
                                                 closed_by=r.OWNER, root_cause="full disk", cause_layer="database"))
            for name, supplier in layers.items():
                r.add(session, CoordinationLayer(coordination_id=r.ident(outage), name=name, supplier_id=supplier))
            session.add(CoordinationComplaint(coordination_id=r.ident(outage),
                                              complaint_id=month["complaints"]["Slow ERP"]))
    suppliers = section(build(db, month["acme"]), "suppliers")
    behind = tables(suppliers)[0]
    assert [row[:2] for row in behind.rows if row[0] in ("DBCo", "LineCo", "LateCo")] == [
        ("DBCo", "responsible for 1 outage behind this account's complaints")]
    assert figures(suppliers)["Suppliers involved"] == ("3", "")
