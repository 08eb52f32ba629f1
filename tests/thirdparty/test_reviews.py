"""Third parties selected and reviewed, end to end over signed HTTP: the role's criteria, weights and a verdict,
reviews due on a working day of the party's calendar and reminded once, the trend, refusals, Chinese."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from bot.sandbox.world import World
from bot.thirdparty.criteria import criteria_for
from storage.suppliers.evaluations import SupplierAudit, SupplierEvaluation
from tests.expect import full_text, last_ephemeral_text, run
from tests.rhythm.steps import ALICE, BOB, ERIN, SHARED, add_acme, at, audit_count, dms, local, rows

CJK = re.compile(r"[\u4e00-\u9fff]")


def open_modal(world: World, user: str, text: str) -> dict[str, Any]:
    opened = len(world.stand_in.views(user))
    world.slack.command(user, "#general", "/thirdparty", text)
    world.stand_in.wait_for(lambda: len(world.stand_in.views(user)) > opened)
    view = world.stand_in.current_view(user)
    assert view is not None
    return view


def submit(world: World, user: str, callback_id: str, values: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    seen = len(world.stand_in.ephemerals(user=user))
    answer = world.slack.submit_view(user, callback_id, values, check_required=False).json() or {}
    if answer.get("response_action") == "errors":
        return answer, None
    return answer, last_ephemeral_text(world, user, count=seen + 1)


def scores(role: str | None, score: int = 4, **by_key: int) -> dict[str, Any]:
    return {f"supplier_score_{key}": str(by_key.get(key, score)) for key in criteria_for(role).keys}


def review(world: World, score: int, *, every: str | None = None, start: str = "2026-10-01",
           end: str = "2026-11-26", **by_key: int) -> str:
    modal = open_modal(world, ALICE, "review AuditCo")
    assert modal["callback_id"] == "thirdparty_review"
    values = {**scores("auditor", score, **by_key), "supplier_field_period_start": start,
              "supplier_field_period_end": end}
    if every:
        values["supplier_field_every"] = every
    _answer, reply = submit(world, ALICE, "thirdparty_review", values)
    assert reply is not None
    return reply


def add_auditor(world: World) -> None:
    run(world, ALICE, "#general", "/account", "add AuditCo third-party auditor")
    run(world, ALICE, "#general", "/account", "set AuditCo country US")  # its own calendar: US holidays


def test_a_third_party_is_evaluated_on_its_roles_criteria_with_weights_and_a_verdict(world):
    add_auditor(world)
    modal = open_modal(world, ALICE, "evaluate AuditCo")
    shown = full_text(modal)
    assert modal["callback_id"] == "thirdparty_evaluation"
    assert "Independence from us and the customer" in shown and "Audit methodology and evidence" in shown
    assert "Registered capital" not in shown  # not a supplier's criteria

    values = {**scores("auditor", independence=2, methodology=5), "supplier_field_weights": "methodology=3"}
    values["supplier_score_findings"] = None
    answer, reply = submit(world, ALICE, "thirdparty_evaluation", values)
    assert reply is None and set(answer["errors"]) == {"supplier_score_findings"}  # nothing saved
    assert rows(world, SupplierEvaluation) == []

    values["supplier_score_findings"] = "4"
    _answer, reply = submit(world, ALICE, "thirdparty_evaluation", values)
    assert reply is not None
    # (2 + 4*3 + 5*3 + 4) / 8 = 4.125
    assert "Evaluated *AuditCo*: *4.12 / 5*" in reply
    assert "✅ qualified (threshold 3.5)" in reply and "methodology=3" in reply
    assert "Weakest: Independence from us and the customer" in reply
    # Saturday 27 Feb 2027 is no working day: the first review falls on Monday 1 Mar.
    assert "Reviews every 3 months; next due Mon 1 Mar 2027" in reply
    assert audit_count(world, "thirdparty.evaluate") == 1 and audit_count(world, "thirdparty.schedule") == 1
    assert audit_count(world, "supplier.evaluate") == 0

    low = open_modal(world, ALICE, "evaluate AuditCo")
    assert low["callback_id"] == "thirdparty_evaluation"
    _answer, reply = submit(world, ALICE, "thirdparty_evaluation", scores("auditor", 2))
    assert reply is not None and "❌ not qualified" in reply
    view = run(world, BOB, "#general", "/thirdparty", "AuditCo")
    assert "*Selection*" in view and "*2.00 / 5*" in view and "*Reviews:* none yet" in view


def test_reviews_fall_due_on_a_working_day_are_reminded_once_and_show_a_trend(world):
    add_auditor(world)
    first = review(world, 4)
    assert "Reviewed *AuditCo*" in first and "average *4.00 / 5*" in first
    at(world, local(12, 18, 10))  # Friday 18 Dec: reviewed again, monthly from now on
    second = review(world, 3, every="1", start="2026-11-27", end="2026-12-17", methodology=2)
    # Monday 18 Jan 2027 is Martin Luther King Jr. Day in the party's (US) calendar: due the next working day.
    assert "average *2.83 / 5* ↓" in second and "Reviews every month; next due Tue 19 Jan 2027" in second
    assert [r.average for r in rows(world, SupplierAudit)] == [4.0, 2.83]
    assert "Improve or replace" in second  # under the 3.0 threshold

    at(world, local(1, 8, 10, year=2027))  # Friday 8 Jan: not yet
    assert dms(world, ALICE, "review of *AuditCo*") == []
    at(world, local(1, 11, 10, year=2027))  # Monday 11 Jan: a working week (US) before the due day
    [reminder] = dms(world, ALICE, "review of *AuditCo*")
    assert "The review of *AuditCo* is due on Tue 19 Jan 2027 (every month)" in reminder
    at(world, local(1, 12, 10, year=2027))
    world.advance(timedelta(days=10))
    assert len(dms(world, ALICE, "review of *AuditCo*")) == 1  # once
    assert audit_count(world, "thirdparty.review_reminder") == 1

    view = run(world, BOB, "#general", "/thirdparty", "AuditCo")
    assert "*Reviews*, oldest → latest: average 4.00 → 2.83 ↓" in view
    assert "• Audit methodology and evidence: 4 → 2 ↓" in view and "overdue" in view


def test_a_supplier_is_not_reviewed_as_a_third_party_and_external_users_are_refused(sqlite_world):
    world = sqlite_world
    add_acme(world)
    run(world, ALICE, "#general", "/supplier", "add Net Co")
    refused = run(world, ALICE, "#general", "/thirdparty", "evaluate Net Co")
    assert "not a third party" in refused
    add_auditor(world)
    assert "only available to the team" in run(world, ERIN, SHARED, "/thirdparty", "review AuditCo")
    assert "Name the third party" in run(world, ALICE, "#general", "/thirdparty", "review")
    assert world.stand_in.views(ERIN) == []


def test_the_evaluation_speaks_chinese(sqlite_world):
    world = sqlite_world
    world.stand_in.workspace.users[BOB].locale = "zh-CN"
    add_auditor(world)
    modal = open_modal(world, BOB, "评估 AuditCo")
    assert CJK.search(full_text(modal))
    _answer, reply = submit(world, BOB, "thirdparty_evaluation", scores("auditor"))
    assert reply is not None and CJK.search(reply) and "4.00" in reply
