"""/service: value-added services (增值服务) proposed against the four principles, approved within a budget."""

from __future__ import annotations

from typing import Any

from bot.sandbox.world import World
from storage.care.services_added import AddedService, ServiceStatus
from tests.expect import ephemeral_to, full_text, run
from tests.rhythm.steps import ALICE, add_acme, at, audit_count, dms, local, rows

CAROL = "U0CAROL"  # the manager (RAPPORT_MANAGERS)
PRINCIPLES = ("no_impact", "relevant", "feasible", "capability")


def form(*, cost: str = "800", schedule: str = "next friday 10:00", skip: str = "", **values: Any) -> dict[str, Any]:
    """A health check for Acme Corp, every principle affirmed with a note except `skip`."""
    fields: dict[str, Any] = {"service_field_what": "A free security health check",
                              "service_field_schedule": schedule, "service_field_cost": cost}
    for key in PRINCIPLES:
        if key != skip:
            fields[f"service_principle_{key}"] = ["affirmed"]
            fields[f"service_note_{key}"] = f"because {key}"
    return {**fields, **values}


def propose(world: World, **values: Any) -> None:
    """Alice opens the proposal form for Acme Corp and submits it."""
    world.slack.command(ALICE, "#general", "/service", "propose Acme Corp")
    modal = world.stand_in.wait_for(lambda: world.stand_in.current_view(ALICE))
    assert modal is not None and modal["callback_id"] == "service_proposal"
    world.slack.submit_view(ALICE, "service_proposal", form(**values))


def last_reply(world: World, user: str) -> str:
    """The newest ephemeral the user has got."""
    seen = world.stand_in.ephemerals(user=user)
    return full_text(seen[-1]) if seen else ""


def approval_dm(world: World) -> str:
    """Carol's approval DM, waited for."""
    world.stand_in.wait_for(lambda: dms(world, CAROL, "service #1 for *Acme Corp*"))
    [dm] = dms(world, CAROL, "service #1 for *Acme Corp*")
    return dm


def status(world: World) -> ServiceStatus:
    [service] = rows(world, AddedService)
    return ServiceStatus(service.status)


def test_a_proposal_failing_one_principle_cannot_be_approved_and_is_declined(world):
    add_acme(world)
    propose(world, skip="relevant")
    ephemeral_to(world, ALICE, count=3)
    assert "Proposed value-added service #1 for *Acme Corp*; <@U0CAROL> is asked to approve it" in \
        last_reply(world, ALICE)
    dm = approval_dm(world)
    assert "<@U0ALICE> proposes value-added service #1 for *Acme Corp*" in dm
    assert "❌ ② It is relevant to the customer's needs" in dm and "✅ ③ It is feasible — because feasible" in dm

    world.slack.click(CAROL, "Approve")
    world.stand_in.wait_for(lambda: "cannot be approved" in last_reply(world, CAROL))
    refusal = last_reply(world, CAROL)
    assert "• ② It is relevant to the customer's needs is not affirmed" in refusal
    assert "① It does not affect" not in refusal and "budget" not in refusal
    assert status(world) == ServiceStatus.PENDING and audit_count(world, "service.approve") == 0

    world.slack.click(CAROL, "Decline")
    world.stand_in.wait_for(lambda: dms(world, ALICE, "was declined by <@U0CAROL>"))
    assert status(world) == ServiceStatus.DECLINED
    assert "Value-added service #1 for *Acme Corp* is declined by <@U0CAROL>" in approval_dm(world)
    assert len(dms(world, ALICE, "value-added service #1")) == 1


def test_a_cost_over_the_accounts_budget_is_refused_naming_the_budget(world):
    add_acme(world)
    assert "1000" in run(world, ALICE, "#general", "/account", "set Acme Corp service-budget 1,000")
    propose(world, cost="1500")
    approval_dm(world)
    world.slack.click(CAROL, "Approve")
    world.stand_in.wait_for(lambda: "cannot be approved" in last_reply(world, CAROL))
    refusal = last_reply(world, CAROL)
    assert "• the cost 1500 is over Acme Corp's budget for value-added services (1000)" in refusal
    assert "not affirmed" not in refusal
    assert status(world) == ServiceStatus.PENDING


def test_a_proposal_within_budget_with_every_principle_is_approved_once(world):
    add_acme(world)
    run(world, ALICE, "#general", "/account", "set Acme Corp service-budget 1000")
    propose(world, cost="1000", service_field_effort="two engineer-days")
    assert "• *Effort:* two engineer-days" in approval_dm(world)
    world.slack.click(CAROL, "Approve")
    world.stand_in.wait_for(lambda: dms(world, ALICE, "was approved by <@U0CAROL>"))
    assert status(world) == ServiceStatus.APPROVED and audit_count(world, "service.approve") == 1
    assert "Value-added service #1 for *Acme Corp* is approved by <@U0CAROL>" in approval_dm(world)
    world.stand_in.wait_for(lambda: "You approved value-added service #1 for Acme Corp" in last_reply(world, CAROL))


def test_the_form_asks_for_a_note_an_amount_and_a_readable_date(world):
    add_acme(world)
    propose(world, cost="a lot", schedule="someday soon", service_note_feasible="")
    errors = world.stand_in.current_view(ALICE)["errors"]
    assert list(errors) == ["service_field_schedule"]  # one field at a time, in the form's order
    world.slack.submit_view(ALICE, "service_proposal", form(cost="a lot", service_note_feasible=""))
    errors = world.stand_in.current_view(ALICE)["errors"]
    assert "whole number" in errors["service_field_cost"]
    world.slack.submit_view(ALICE, "service_proposal", form(cost="1,200", service_note_feasible=""))
    errors = world.stand_in.current_view(ALICE)["errors"]
    assert errors == {"service_principle_feasible": "Say in a note why this holds."}
    assert rows(world, AddedService) == []


def test_service_without_an_account_says_how(world):
    reply = run(world, ALICE, "#general", "/service", "propose")
    assert "`/service propose Acme Corp`" in reply
    assert "Value-added services" in run(world, ALICE, "#general", "/service", "")


def test_an_approved_monthly_service_is_reminded_a_working_day_before_and_moves_off_a_holiday(world):
    add_acme(world)
    propose(world, schedule="every month on working day 1 at 10:00")
    approval_dm(world)
    world.slack.click(CAROL, "Approve")
    world.stand_in.wait_for(lambda: dms(world, ALICE, "was approved by <@U0CAROL>"))

    at(world, local(11, 30, 9, 59))
    assert dms(world, ALICE, "is due") == []
    at(world, local(11, 30, 10, 0))  # Monday: a working day before Tuesday 1 December
    world.stand_in.wait_for(lambda: dms(world, ALICE, "is due"))
    [first] = dms(world, ALICE, "is due")
    assert "Value-added service #1 for *Acme Corp* is due Tue 1 Dec 10:00 CST: A free security health check" in first
    at(world, local(11, 30, 10, 5))
    assert len(dms(world, ALICE, "is due")) == 1  # once per occurrence

    world.slack.click(ALICE, "Done")
    world.stand_in.wait_for(lambda: world.stand_in.current_view(ALICE))
    world.slack.submit_view(ALICE, "service_done", {"service_done_note": " "})
    assert "Say what was delivered" in world.stand_in.current_view(ALICE)["errors"]["service_done_note"]
    world.slack.submit_view(ALICE, "service_done", {"service_done_note": "health check report sent"})
    world.stand_in.wait_for(lambda: dms(world, ALICE, "Recorded the delivery of value-added service #1 for *Acme Corp* "
                                                       "(1 so far)"))

    # 1 January 2027 is New Year's Day (then a weekend): working day 1 is Monday 4 January, reminded Thursday.
    at(world, local(12, 31, 9, 59))
    assert len(dms(world, ALICE, "is due")) == 1
    at(world, local(12, 31, 10, 0))
    world.stand_in.wait_for(lambda: len(dms(world, ALICE, "is due")) == 2)
    assert "is due Mon 4 Jan 10:00 CST" in dms(world, ALICE, "is due")[-1]

    view = run(world, ALICE, "#general", "/account", "Acme Corp")
    assert "*Value-added services:*" in view
    assert "• #1 A free security health check · approved · next Mon 1 Feb 10:00 CST · delivered 1 time " \
           "(health check report sent)" in view
    done = run(world, ALICE, "#general", "/service", "完成 1 second visit done")
    assert "Recorded the delivery of value-added service #1 for *Acme Corp* (2 so far)" in done
