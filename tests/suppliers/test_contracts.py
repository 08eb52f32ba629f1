"""Support contracts end to end: checked against the customer SLA they back (stricter, within the margin,
looser), single-source risk, refusals in the modal, and expiry alerts sent once per threshold.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from bot.sandbox.world import World
from storage.suppliers.contracts import SupportContract
from tests.expect import ephemeral_to, full_text, posts_in
from tests.suppliers.test_suppliers import open_modal, run, submit

ALICE, BOB = "U0ALICE", "U0BOB"
# Acme Corp's critical SLA by default: acknowledge 1 h, resolve 4 h, business hours 09:00–18:00 on working days.
STRICT = {"response": "30m", "resolution": "3h", "availability": "99.95", "customer_availability": "99.5",
          "service_hours": "7x24", "valid_until": "2027-11-30", "clauses": ["ip", "security"]}


def setup(world: World) -> None:
    """Acme Corp (customer) and Net Co (supplier), both owned by alice."""
    world.slack.command(ALICE, "#general", "/account", "add Acme Corp customer")
    ephemeral_to(world, ALICE)
    run(world, ALICE, "#general", "add Net Co")


def contract(world: World, supplier: str = "Net Co", user: str = BOB, severity: str | None = "critical",
             **terms: Any) -> tuple[Any, str | None]:
    """Open the contract modal for a supplier and submit these terms; (errors, reply)."""
    open_modal(world, user, f"contract {supplier}")
    values = {"customer": "Acme Corp", "severity": severity, **STRICT, **terms}
    answer, reply = submit(world, user, "supplier_contract", {f"supplier_field_{k}": v for k, v in values.items()
                                                              if v is not None}, check_required=False)
    return answer.get("errors"), reply


def contracts(world: World) -> int:
    with world.services.db.session() as session:
        return session.exec(select(func.count()).select_from(SupportContract)).one()


def test_a_contract_stricter_than_the_customer_sla_passes_but_a_single_source_is_flagged(world):
    setup(world)
    errors, reply = contract(world)
    assert reply is not None
    assert errors is None
    assert "✅ Saved contract #1. Every term checked is stricter than Acme Corp's critical SLA by 20% or more" in reply
    assert "Response time 30 min: stricter than the customer's 1 h" in reply
    assert "Service hours 7x24 cover the customer's 5x9 09:00-18:00" in reply
    assert "*Single source*: Net Co is the only supplier backing Acme Corp (critical)" in reply
    assert "intellectual-property" not in reply and "Subcontracting" not in reply
    assert posts_in(world, "#general") == []

    run(world, ALICE, "#general", "add Backup Net")
    _errors, second = contract(world, "Backup Net")
    assert second is not None
    assert "Single source" not in second
    assert "Single source" not in run(world, ALICE, "#general", "Net Co")


def test_a_looser_term_is_named_and_flagged(sqlite_world):
    world = sqlite_world
    setup(world)
    _errors, reply = contract(world, response="2h", service_hours="5x8", clauses=["subcontracting"])
    assert reply is not None
    assert "⚠️ Saved contract #1. 2 terms are not stricter than Acme Corp's critical SLA by 20%: response time, " \
           "service hours." in reply
    assert "❌ *Response time* 2 h is looser than the customer's 1 h (needs ≤ 48 min)" in reply
    assert "❌ *Service hours* 5x8 do not cover the customer's 5x9 09:00-18:00" in reply
    assert "*Subcontracting allowed*" in reply and "*No intellectual-property clause*" in reply
    assert "*No information-security clause*" in reply
    assert contracts(world) == 1


def test_a_term_within_the_margin_is_named_and_flagged(sqlite_world):
    world = sqlite_world
    setup(world)
    _errors, reply = contract(world, resolution="3.5h", availability="99.55", severity="high")
    assert reply is not None
    # high: resolve 24 h, so 3.5 h is stricter; critical would not be. Availability 99.55 vs 99.5 leaves too little.
    assert "1 term is not stricter than Acme Corp's high SLA by 20%: availability." in reply
    assert "⚠️ *Availability* 99.55% is within the 20% margin of the customer's 99.5% (needs ≥ 99.6%)" in reply

    _errors, reply = contract(world, resolution="3.5h")
    assert reply is not None
    assert "1 term is not stricter than Acme Corp's critical SLA by 20%: resolution time." in reply
    assert "*Resolution time* 3 h 30 min is within the 20% margin of the customer's 4 h (needs ≤ 3 h 12 min)" in reply


def test_the_check_uses_the_accounts_own_sla(sqlite_world):
    world = sqlite_world
    setup(world)
    world.slack.command(ALICE, "#general", "/account", "set Acme Corp sla critical 30m/2h")
    ephemeral_to(world, ALICE, count=3)
    _errors, reply = contract(world)
    assert reply is not None
    assert "*Response time* 30 min is within the 20% margin of the customer's 30 min" in reply
    assert "*Resolution time* 3 h is looser than the customer's 2 h" in reply


def test_unreadable_terms_are_shown_in_the_modal_and_nothing_is_saved(sqlite_world):
    world = sqlite_world
    setup(world)
    errors, reply = contract(world, customer="Nobody Inc", response="soon", service_hours="always",
                             valid_from="2027-01-01", valid_until="2026-12-31", severity=None)
    assert reply is None and contracts(world) == 0
    assert set(errors) == {"supplier_field_customer", "supplier_field_severity", "supplier_field_response",
                           "supplier_field_service_hours", "supplier_field_valid_until"}
    assert "No account called “Nobody Inc”" in errors["supplier_field_customer"]
    assert "ends before it starts" in errors["supplier_field_valid_until"]
    errors, _reply = contract(world, customer="Net Co")
    assert "not a customer account" in errors["supplier_field_customer"]


def test_expiry_alerts_go_to_the_owner_once_at_90_30_and_7_days(world):
    setup(world)
    # Now: Fri 27 Nov 2026 10:00 CST. Valid until Sun 7 Mar 2027: alerts on 7 Dec, 5 Feb and 28 Feb at 09:00 CST.
    contract(world, valid_until="2027-03-07")

    def alerts() -> list[str]:
        return [full_text(m) for m in world.stand_in.dm_messages(ALICE) if "expires in" in full_text(m)]

    world.advance(timedelta(days=9, hours=22))  # Mon 7 Dec 08:00 CST
    assert alerts() == []
    world.advance(timedelta(hours=1))
    world.tick()
    assert len(alerts()) == 1 and "expires in 90 days, on Sun 7 Mar 2027" in alerts()[0]
    assert world.stand_in.dm_messages(BOB) == []  # bob wrote the contract; alice owns the supplier

    world.advance(timedelta(days=60))  # 5 Feb 09:00 CST: the 30-day alert
    world.tick()
    assert len(alerts()) == 2 and "expires in 30 days" in alerts()[1]
    world.advance(timedelta(days=23))  # 28 Feb: 7 days
    world.advance(timedelta(hours=1))
    assert len(alerts()) == 3 and "expires in 7 days" in alerts()[2]
    world.advance(timedelta(days=30))
    assert len(alerts()) == 3
    assert "⛔ *Expired* on Sun 7 Mar 2027" in run(world, ALICE, "#general", "Net Co")


def test_a_missed_threshold_sends_only_the_most_urgent_alert(sqlite_world):
    world = sqlite_world
    setup(world)
    contract(world, valid_until="2027-03-07")
    world.advance(timedelta(days=75))  # past the 90- and 30-day moments in one go
    alerts = [full_text(m) for m in world.stand_in.dm_messages(ALICE) if "expires in" in full_text(m)]
    assert len(alerts) == 1 and "expires in 30 days" in alerts[0]
