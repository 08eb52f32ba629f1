"""Risk reviews are reminded on a working day, once, and once more when overdue; the report's risks section."""

from __future__ import annotations

from datetime import UTC, date, datetime

from bot.calendar.recurrence import Frequency, Period
from bot.report.markdown import render_markdown
from bot.report.model import Bullets, Figures, ReportScope, Table
from bot.report.pdf import render_pdf
from bot.report.sections import build_report
from bot.sandbox.world import World
from storage.accounts import get_account_by_name
from tests.expect import full_text, last_ephemeral_text, run


def review_dms(world: World, user: str, text: str) -> list[str]:
    world.wait_until_idle()
    return [full_text(m) for m in world.stand_in.dm_messages(user) if text in full_text(m)]


def test_a_review_falling_on_a_sunday_is_reminded_on_monday_then_once_when_overdue(world):
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    added = run(world, "U0ALICE", "#general", "/rapport", "risks add Acme Corp: our only DBA may leave")
    # Score 9: reviewed in 30 days, Sunday 27 Dec, so on Monday 28 Dec at 09:00 in Shanghai.
    assert "next review Mon 28 Dec 09:00" in added

    world.travel(datetime(2026, 12, 28, 0, 59, tzinfo=UTC))
    assert review_dms(world, "U0ALICE", "Review due today") == []
    world.travel(datetime(2026, 12, 28, 3, 0, tzinfo=UTC))
    [due] = review_dms(world, "U0ALICE", "Review due today")
    assert "risk #1 of *Acme Corp*" in due and "our only DBA may leave" in due
    world.travel(datetime(2026, 12, 29, 3, 0, tzinfo=UTC))
    assert len(review_dms(world, "U0ALICE", "Review overdue")) == 1
    world.travel(datetime(2027, 1, 5, 3, 0, tzinfo=UTC))
    assert len(review_dms(world, "U0ALICE", "Review due today")) == 1
    assert len(review_dms(world, "U0ALICE", "Review overdue")) == 1

    world.slack.click("U0ALICE", "Reviewed")
    reviewed = last_ephemeral_text(world, "U0ALICE", count=3)
    assert "Risk #1 reviewed. Next review" in reviewed


def test_a_closed_risk_is_not_reminded(world):
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    run(world, "U0ALICE", "#general", "/rapport", "risks add Acme Corp: our only DBA may leave")
    world.slack.click("U0ALICE", "Close")
    assert "Risk #1 of *Acme Corp* closed" in last_ephemeral_text(world, "U0ALICE", count=3)
    world.travel(datetime(2027, 1, 5, 3, 0, tzinfo=UTC))
    assert review_dms(world, "U0ALICE", "Review") == []


def test_the_reports_risks_section_lists_open_risks_and_those_raised_and_closed_and_is_never_shared(world):
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    world.slack.click("U0ALICE", "Adopt")
    last_ephemeral_text(world, "U0ALICE", count=2)
    run(world, "U0ALICE", "#general", "/rapport", "risks add Acme Corp: our only DBA may leave")
    run(world, "U0ALICE", "#general", "/rapport", "risks set 2 likelihood 5")
    run(world, "U0ALICE", "#general", "/rapport", "risks add Acme Corp: the lease ends")
    run(world, "U0ALICE", "#general", "/rapport", "risks close 3")
    with world.services.db.session() as session:
        acme = get_account_by_name(session, name="Acme Corp")
        assert acme is not None and acme.id is not None
        scope = ReportScope(acme.id, Period(Frequency.MONTH, date(2026, 11, 1)), world.now())
        report = build_report(session, scope, world.settings)
    [section] = [s for s in report.sections if s.key == "risks"]
    assert section.shareable is False and section.title == "Risks and controls"
    figures, table, raised, closed = section.blocks
    assert isinstance(figures, Figures) and [f.value for f in figures.items] == ["2", "3", "1", "15"]
    assert isinstance(table, Table) and table.rows[0][0] == "#2 our only DBA may leave"
    assert "real needs" in table.rows[1][0] and "supplementary agreements" in table.rows[1][3]
    assert isinstance(raised, Bullets) and len(raised.items) == 3
    assert isinstance(closed, Bullets) and closed.items == ("Closed: the lease ends",)
    assert "risks" not in {s.key for s in report.customer_version(frozenset({"risks"})).sections}
    markdown = render_markdown(report)
    assert "Risks and controls" in markdown and "our only DBA may leave" in markdown
    assert render_pdf(report).startswith(b"%PDF")  # the risks table (five columns) lays out
