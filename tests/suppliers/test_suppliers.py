"""/supplier end to end over signed HTTP: add, the evaluation and audit modals, the list, the scorecard,
audit reminders, the "improve or replace" flag, and refusals for external users.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from bot.sandbox.world import World
from bot.suppliers.audits import list_overdue_audits
from storage.accounts import Account, AccountKind
from storage.platform.audit import AuditLog
from storage.suppliers.evaluations import Criterion, Dimension, SupplierAudit, SupplierEvaluation, SupplierProfile
from tests.expect import ephemeral_to, full_text, last_ephemeral_text, posts_in

ALICE, BOB, ERIN = "U0ALICE", "U0BOB", "U0ERIN"
SHARED = "#acme-shared"


def run(world: World, user: str, channel: str, text: str) -> str:
    """Send `/supplier <text>` and return the reply it gets."""
    seen = len(world.stand_in.ephemerals(user=user))
    world.slack.command(user, channel, "/supplier", text)
    return last_ephemeral_text(world, user, count=seen + 1)


def open_modal(world: World, user: str, text: str) -> dict[str, Any]:
    """Run a /supplier form command and wait for its modal."""
    opened = len(world.stand_in.views(user))
    world.slack.command(user, "#general", "/supplier", text)
    world.stand_in.wait_for(lambda: len(world.stand_in.views(user)) > opened)
    view = world.stand_in.current_view(user)
    assert view is not None
    return view


def submit(world: World, user: str, callback_id: str, values: dict[str, Any], *,
           check_required: bool = True) -> tuple[dict[str, Any], str | None]:
    """Submit the open modal; return the app's answer and, on success, the reply it then sent."""
    seen = len(world.stand_in.ephemerals(user=user))
    response = world.slack.submit_view(user, callback_id, values, check_required=check_required)
    answer = response.json() or {}
    if answer.get("response_action") == "errors":
        return answer, None
    return answer, last_ephemeral_text(world, user, count=seen + 1)


def evaluation_values(**scores: int) -> dict[str, Any]:
    return {f"supplier_score_{c.value}": str(scores.get(c.value, 4)) for c in Criterion}


def audit_values(score: int = 4, *, start: str = "2026-09-01", end: str = "2026-11-26",
                 **scores: int) -> dict[str, Any]:
    values = {f"supplier_score_{d.value}": str(scores.get(d.value, score)) for d in Dimension}
    return {**values, "supplier_field_period_start": start, "supplier_field_period_end": end}


def count(world: World, table) -> int:
    with world.services.db.session() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def evaluate(world: World, name: str, user: str = ALICE, weights: str | None = None, **scores: int) -> str:
    open_modal(world, user, f"evaluate {name}")
    values = evaluation_values(**scores)
    if weights:
        values["supplier_field_weights"] = weights
    _answer, reply = submit(world, user, "supplier_evaluation", values)
    assert reply is not None
    return reply


def audit(world: World, name: str, score: int, user: str = ALICE) -> str:
    open_modal(world, user, f"audit {name}")
    _answer, reply = submit(world, user, "supplier_audit", audit_values(score))
    assert reply is not None
    return reply


def test_a_supplier_is_added_and_evaluated_with_a_total_and_verdict(world):
    added = run(world, ALICE, "#general", "add Net Co")
    assert "Added supplier *Net Co*" in added and "every 3 months" in added and "Sat 27 Feb 2027" in added
    with world.services.db.session() as session:
        account = session.exec(select(Account)).one()
        assert account.kind == "supplier" and account.owner_id == ALICE

    modal = open_modal(world, ALICE, "evaluate Net Co")
    assert modal["callback_id"] == "supplier_evaluation" and "Net Co" in full_text(modal)
    values = evaluation_values(capital=2, scalability=5)
    values["supplier_note_scalability"] = "absorbed Black Friday at +80%"
    values["supplier_field_weights"] = "scalability=3"
    _answer, reply = submit(world, ALICE, "supplier_evaluation", values)
    assert reply is not None
    # (2 + 4*7 + 5*3) / 11 = 4.09
    assert "*4.09 / 5*" in reply and "✅ qualified (threshold 3.5)" in reply and "scalability=3" in reply
    assert "Registered capital" in reply  # the weakest criterion is named
    with world.services.db.session() as session:
        evaluation = session.exec(select(SupplierEvaluation)).one()
        assert evaluation.notes == {"scalability": "absorbed Black Friday at +80%"}
        assert evaluation.scores["capital"] != 4
        assert session.exec(select(func.count()).select_from(AuditLog).where(
            AuditLog.action == "supplier.evaluate")).one() == 1

    low = evaluate(world, "Net Co", capital=1, staff=2, customers=2, process=3)
    assert "❌ not qualified" in low


def test_a_missing_score_or_bad_weights_are_shown_in_the_modal_and_nothing_is_saved(sqlite_world):
    world = sqlite_world
    run(world, ALICE, "#general", "add Net Co")
    open_modal(world, ALICE, "evaluate Net Co")
    values = evaluation_values()
    values["supplier_score_reputation"] = None
    values["supplier_field_weights"] = "capital=eleven"
    answer, reply = submit(world, ALICE, "supplier_evaluation", values, check_required=False)
    assert reply is None
    assert set(answer["errors"]) == {"supplier_score_reputation", "supplier_field_weights"}
    assert "1 to 5" in answer["errors"]["supplier_score_reputation"]
    assert world.stand_in.current_view(ALICE)["callback_id"] == "supplier_evaluation"  # still open, to fix
    assert count(world, SupplierEvaluation) == 0

    answer, reply = submit(world, ALICE, "supplier_evaluation", evaluation_values())
    assert reply is not None
    assert "*4.00 / 5*" in reply and count(world, SupplierEvaluation) == 1


def test_candidates_are_compared_side_by_side_best_first_and_paginated(world):
    for name in ("Alpha Net", "Beta Hosting", "Gamma DB"):
        run(world, ALICE, "#general", f"add {name}")
    evaluate(world, "Beta Hosting", capital=5, reputation=5)
    evaluate(world, "Alpha Net", capital=1, staff=1, customers=1, process=2)
    listing = run(world, BOB, "#general", "list")
    assert "Suppliers side by side (3)" in listing
    assert listing.index("Beta Hosting") < listing.index("Alpha Net") < listing.index("Gamma DB")
    assert "not qualified" in listing and "not evaluated" in listing and "Cap = Registered capital" in listing

    for n in range(9):
        run(world, ALICE, "#general", f"add Vendor {n}")
    first = run(world, BOB, "#general", "list")
    assert "Page 1 of 2" in first and "`/supplier list 2`" in first
    second = run(world, BOB, "#general", "list 2")
    assert "Page 2 of 2" in second and "Vendor 8" in second and "Beta Hosting" not in second


def test_the_audit_modal_records_the_average_and_schedules_the_next(world):
    run(world, ALICE, "#general", "add Net Co")
    modal = open_modal(world, ALICE, "audit Net Co")
    assert "Staff stability" in full_text(modal) and "Cooperation atmosphere" in full_text(modal)
    values = audit_values(4, responsiveness=2)
    values["supplier_note_responsiveness"] = "two P1 calls answered late"
    values["supplier_field_auditor"] = BOB
    values["supplier_field_every"] = "6"
    _answer, reply = submit(world, ALICE, "supplier_audit", values)
    assert reply is not None
    assert "average *3.67 / 5*" in reply and "<@U0BOB>" in reply and "Tue 1 Sep 2026" in reply
    assert "every 6 months; next due Thu 27 May 2027" in reply and "Improve or replace" not in reply
    with world.services.db.session() as session:
        saved = session.exec(select(SupplierAudit)).one()
        assert saved.auditor_id == BOB and saved.created_by == ALICE
        assert saved.notes == {"responsiveness": "two P1 calls answered late"}


def test_an_unreadable_audit_is_refused_in_the_modal_and_nothing_is_saved(sqlite_world):
    world = sqlite_world
    run(world, ALICE, "#general", "add Net Co")
    open_modal(world, ALICE, "audit Net Co")
    values = audit_values(4, start="2026-11-01", end="2026-10-01")
    values["supplier_score_stability"] = None
    answer, reply = submit(world, ALICE, "supplier_audit", values, check_required=False)
    assert reply is None
    assert set(answer["errors"]) == {"supplier_score_stability", "supplier_field_period_end"}
    assert "ends before it starts" in answer["errors"]["supplier_field_period_end"]
    assert count(world, SupplierAudit) == 0


def test_a_supplier_falling_two_audits_in_a_row_or_under_the_threshold_is_flagged(world):
    run(world, ALICE, "#general", "add Net Co")
    assert "Improve or replace" not in audit(world, "Net Co", 5)
    assert "Improve or replace" not in audit(world, "Net Co", 4)
    third = audit(world, "Net Co", 3)
    assert "🚩" in third and "Improve or replace" in third and "fell two audits in a row (5.00 → 4.00 → 3.00)" in third
    card = run(world, BOB, "#general", "Net Co")
    assert "Improve or replace" in card and "Responsiveness: 5 → 4 → 3 ↓" in card

    run(world, ALICE, "#general", "add Slow Co")
    below = audit(world, "Slow Co", 2)
    assert "latest audit average 2.00 is under 3" in below


def test_the_owner_is_reminded_once_a_week_before_an_audit_falls_due_then_it_is_overdue(world):
    run(world, ALICE, "#general", "add Net Co")
    # Added Fri 27 Nov 2026 10:00 CST: due Sat 27 Feb 2027, reminded a week before.
    world.advance(timedelta(days=84, hours=23))
    assert world.stand_in.dm_messages(ALICE) == []
    world.advance(timedelta(hours=1))
    world.tick()  # a second tick at the same moment sends nothing more
    reminders = [full_text(m) for m in world.stand_in.dm_messages(ALICE)]
    assert len(reminders) == 1 and "The audit of *Net Co* is due on Sat 27 Feb 2027" in reminders[0]
    with world.services.db.session() as session:
        assert list_overdue_audits(session, now=world.now()) == []
    world.advance(timedelta(days=8))
    assert len(world.stand_in.dm_messages(ALICE)) == 1
    with world.services.db.session() as session:
        [overdue] = list_overdue_audits(session, now=world.now())
        assert overdue.name == "Net Co" and overdue.owner_id == ALICE
        assert list_overdue_audits(session, now=world.now(), owner_id=BOB) == []
    assert "⏰ overdue" in run(world, ALICE, "#general", "Net Co")

    audit(world, "Net Co", 4)
    with world.services.db.session() as session:
        assert list_overdue_audits(session, now=world.now()) == []


def test_the_audit_interval_is_configurable_per_supplier(sqlite_world):
    world = sqlite_world
    run(world, ALICE, "#general", "add Net Co")
    assert "every month; next due Sun 27 Dec 2026" in run(world, ALICE, "#general", "schedule Net Co 1")
    assert "every 1, 2, 3, 4, 6 or 12 months" in run(world, ALICE, "#general", "schedule Net Co 5")


def test_a_scorecard_asked_for_in_a_shared_channel_is_shown_only_to_the_asker(sqlite_world):
    world = sqlite_world
    run(world, ALICE, "#general", "add Net Co")
    evaluate(world, "Net Co")
    audit(world, "Net Co", 4)
    card = run(world, ALICE, SHARED, "Net Co")
    assert "Net Co — supplier scorecard" in card and "*4.00 / 5*" in card and "Responsiveness: 4" in card
    assert [e["channel"] for e in world.stand_in.ephemerals(user=ALICE)][-1] == "C0ACMESHR"
    assert world.stand_in.ephemerals(user=ERIN) == [] and world.stand_in.ephemerals(user="U0FRANK") == []
    assert posts_in(world, SHARED) == []


def test_an_external_user_is_refused_every_supplier_command_and_nothing_changes(sqlite_world):
    world = sqlite_world
    run(world, ALICE, "#general", "add Net Co")
    accounts_before, audit_rows = count(world, Account), count(world, AuditLog)
    for n, text in enumerate(["add Evil Co", "evaluate Net Co", "audit Net Co", "contract Net Co", "Net Co", "list",
                              "schedule Net Co 1", "help"], start=1):
        world.slack.command(ERIN, SHARED, "/supplier", text)
        reply = last_ephemeral_text(world, ERIN, count=n)
        assert "only available to the team" in reply and "Net Co" not in reply
    assert world.stand_in.views(ERIN) == []
    assert count(world, Account) == accounts_before and count(world, AuditLog) == audit_rows
    assert posts_in(world, SHARED) == []


def test_a_customer_is_not_a_supplier_and_unknown_names_get_suggestions(sqlite_world):
    world = sqlite_world
    world.slack.command(ALICE, "#general", "/account", "add Acme Corp customer")
    ephemeral_to(world, ALICE)
    run(world, ALICE, "#general", "add Net Co")
    assert "is a customer account, not a supplier" in run(world, ALICE, "#general", "evaluate Acme Corp")
    seen = len(world.stand_in.ephemerals(user=ALICE))
    world.slack.command(ALICE, "#general", "/account", "add AuditCo third-party")
    ephemeral_to(world, ALICE, count=seen + 1)
    assert "“AuditCo” is a third party account, not a supplier." in run(world, ALICE, "#general", "AuditCo")
    assert "Did you mean: Net Co" in run(world, ALICE, "#general", "Net")
    unknown = run(world, ALICE, "#general", "Nobody")
    assert "No account called “Nobody”. See `/supplier list`, or add it with `/supplier add Nobody`." in unknown
    assert "Name the supplier" in run(world, ALICE, "#general", "audit")
    assert world.stand_in.views(ALICE) == []


def test_help(sqlite_world):
    reply = run(sqlite_world, ALICE, "#general", "help")
    assert "/supplier evaluate" in reply and "/supplier contract" in reply


def test_a_supplier_from_before_audit_schedules_is_read_without_writing_and_scheduled_by_the_scheduler(world):
    with world.services.db.session() as session:
        session.add(Account(name="Old Co", name_key="old co", kind=AccountKind.SUPPLIER, owner_id=ALICE,
                            created_by=ALICE, created_at=world.now()))
    audit_rows, profiles = count(world, AuditLog), count(world, SupplierProfile)
    card = run(world, ALICE, "#general", "Old Co")
    assert "Old Co — supplier scorecard" in card and "Audits not scheduled yet" in card
    assert count(world, AuditLog) == audit_rows and count(world, SupplierProfile) == profiles  # a read writes nothing

    world.advance(timedelta(minutes=1))  # the day's first tick starts its schedule: first audit in three months
    assert "Audits every 3 months; next due Sat 27 Feb 2027" in run(world, ALICE, "#general", "Old Co")
    world.advance(timedelta(days=85))  # Sat 20 Feb 2027, a week before
    [reminder] = [full_text(m) for m in world.stand_in.dm_messages(ALICE)]
    assert "The audit of *Old Co* is due on Sat 27 Feb 2027" in reminder
