"""Subcontracting chains end to end: a supplier's subcontractor with its scope and clauses, shown on the scorecard,
each missing clause named on the contract check, a second level flagged; refusals."""

from __future__ import annotations

from storage.suppliers.subcontractors import Subcontractor
from tests.expect import run
from tests.rhythm.steps import ALICE, ERIN, SHARED, add_acme, audit_count, rows
from tests.suppliers.test_contracts import contract


def setup(world) -> None:
    add_acme(world)
    for name in ("Net Co", "Cable Co", "Dig Co"):
        run(world, ALICE, "#general", "/supplier", f"add {name}")


def test_a_subcontractors_missing_clause_is_named_on_the_contract_check_and_the_scorecard(world):
    setup(world)
    added = run(world, ALICE, "#general", "/supplier",
                "subcontractor Net Co add Cable Co: fibre repairs on site audit ip")
    assert "Added: *Cable Co* subcontracts for Net Co — fibre repairs on site." in added
    assert "no information-security clause" in added and "no audit clause" not in added
    [link] = rows(world, Subcontractor)
    assert (link.scope, link.audit_clause, link.ip_clause, link.security_clause) == ("fibre repairs on site", True,
                                                                                     True, False)
    assert audit_count(world, "supplier.subcontractor") == 1

    _errors, checked = contract(world, clauses=["subcontracting", "ip", "security"])
    assert checked is not None
    assert "*Subcontractor Cable Co*: no information-security clause" in checked
    assert "no audit clause" not in checked and "does not allow subcontracting" not in checked

    card = run(world, ALICE, "#general", "/supplier", "Net Co")
    assert "*Subcontractors*" in card and "• *Cable Co* — fibre repairs on site" in card
    assert "✅ audit ✅ IP ❌ information security" in card
    assert "*Subcontractor Cable Co*: no information-security clause" in card

    # The subcontractor subcontracts again; fixed clauses; the contract that allows no subcontracting.
    run(world, ALICE, "#general", "/supplier", "subcontractor Cable Co add Dig Co: trenching")
    updated = run(world, ALICE, "#general", "/supplier",
                  "subcontractor Net Co add Cable Co: fibre repairs on site [audit] [ip] [security]")
    assert "Updated: *Cable Co*" in updated and "⚠️" not in updated
    _errors, second = contract(world, clauses=["ip", "security"])
    assert second is not None
    assert "*Subcontractor Cable Co*: this contract does not allow subcontracting" in second
    assert "*Subcontractor Cable Co* subcontracts again (1 subcontractor): multi-level subcontracting" in second
    assert "no information-security clause" not in second

    removed = run(world, ALICE, "#general", "/supplier", "subcontractor Net Co remove Cable Co")
    assert "Removed Cable Co from Net Co's subcontractors." in removed
    assert "*Subcontractors:* none" in run(world, ALICE, "#general", "/supplier", "Net Co")
    assert audit_count(world, "supplier.subcontractor_remove") == 1


def test_bad_subcontractors_are_refused_and_nothing_is_saved(sqlite_world):
    world = sqlite_world
    setup(world)
    assert "Name the supplier, its subcontractor" in run(world, ALICE, "#general", "/supplier",
                                                         "subcontractor Net Co Cable Co")
    assert "Say what the subcontractor may do" in run(world, ALICE, "#general", "/supplier",
                                                      "subcontractor Net Co add Cable Co: audit ip")
    assert "not a supplier" in run(world, ALICE, "#general", "/supplier",
                                   "subcontractor Net Co add Acme Corp: everything")
    assert "its own subcontractor" in run(world, ALICE, "#general", "/supplier",
                                          "subcontractor Net Co add Net Co: everything")
    assert "is not a subcontractor of Net Co" in run(world, ALICE, "#general", "/supplier",
                                                     "subcontractor Net Co remove Dig Co")
    assert "only available to the team" in run(world, ERIN, SHARED, "/supplier",
                                               "subcontractor Net Co add Cable Co: repairs")
    assert rows(world, Subcontractor) == [] and audit_count(world, "supplier.subcontractor") == 0
