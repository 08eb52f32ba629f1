"""/dispute coordinate: one outage card across suppliers, updated in place, and one ping per silent supplier."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from bot.sandbox.world import World
from storage.platform.audit import AuditLog
from storage.suppliers.coordination import Coordination
from tests.expect import full_text, last_ephemeral_text, posts_in, run

ESCALATIONS = "C0ESCAL"




def choose(world: World, user: str, value: str) -> str:
    """Pick a layer's status on the card's select and return the note the person gets."""
    seen = len(world.stand_in.ephemerals(user=user))
    world.slack.select(user, "coordination_status", value, ESCALATIONS)
    return last_ephemeral_text(world, user, count=seen + 1)


def add_suppliers(world: World) -> None:
    """Netcom is Carol's supplier, DBCo is Dave's."""
    run(world, "U0CAROL", "#general", "/account", "add Netcom supplier")
    run(world, "U0DAVE", "#general", "/account", "add DBCo supplier")


def the_card(world: World) -> dict[str, Any]:
    [card] = [m for m in posts_in(world, ESCALATIONS) if "Outage coordination #1" in m["text"]]
    return card


def pings(world: World, user: str) -> list[dict[str, Any]]:
    return [m for m in world.stand_in.dm_messages(user) if "has not answered" in full_text(m)]


def test_the_card_updates_in_place_and_a_silent_supplier_is_chased_once(world):
    add_suppliers(world)
    reply = run(world, "U0ALICE", "#general", "/dispute", "coordinate ERP down: network=Netcom, database=DBCo")
    assert "Opened outage coordination #1 with 2 layers" in reply and "<#C0ESCAL>" in reply
    card = the_card(world)
    assert "network* — Netcom — ⏳ no answer yet" in full_text(card) and "0 of 2 suppliers" in full_text(card)

    assert "is now 🔍 investigating" in choose(world, "U0BOB", "network=investigating")
    card = world.stand_in.wait_for(lambda: the_card(world)["edits"] and the_card(world))
    assert "network* — Netcom — 🔍 investigating (<@U0BOB>" in full_text(card)
    assert "already 🔍 investigating" in choose(world, "U0BOB", "network=investigating")
    assert len(the_card(world)["edits"]) == 1

    world.advance(timedelta(minutes=29))
    assert pings(world, "U0DAVE") == []
    world.advance(timedelta(minutes=1))
    [ping] = world.stand_in.wait_for(lambda: pings(world, "U0DAVE"))
    assert "*DBCo* has not answered on *database*" in full_text(ping)
    assert pings(world, "U0CAROL") == []  # Netcom answered in time
    world.stand_in.wait_for(lambda: "chased <@U0DAVE>" in full_text(the_card(world)))
    world.tick()
    world.advance(timedelta(hours=2))
    assert len(pings(world, "U0DAVE")) == 1

    assert "is now 🎯 cause found" in choose(world, "U0ALICE", "database=cause-found")
    assert "Cause found in *database* (DBCo)" in full_text(
        world.stand_in.wait_for(lambda: "Cause found" in the_card(world)["text"] and the_card(world)))
    assert len(posts_in(world, ESCALATIONS)) == 1
    with world.services.db.session() as session:
        changes = session.exec(select(func.count()).select_from(AuditLog).where(
            AuditLog.object_type == "coordination")).one()
    assert changes == 4  # opened, two answers, one ping


def test_a_custom_ping_time_and_bad_text(sqlite_world):
    world = sqlite_world
    add_suppliers(world)
    assert "45 minutes" in run(world, "U0ALICE", "#general", "/dispute",
                               "coordinate Mail down: relay=Netcom, ping=45m")
    world.advance(timedelta(minutes=44))
    assert pings(world, "U0CAROL") == []
    world.advance(timedelta(minutes=1))
    world.stand_in.wait_for(lambda: pings(world, "U0CAROL"))
    assert "No account called" in run(world, "U0ALICE", "#general", "/dispute", "coordinate X: network=Nocom")
    assert "disputes are with suppliers" not in run(world, "U0ALICE", "#general", "/dispute", "coordinate X: a=DBCo")
    run(world, "U0ALICE", "#general", "/account", "add Acme customer")
    assert "is a customer account" in run(world, "U0ALICE", "#general", "/dispute", "coordinate X: a=Acme")
    with world.services.db.session() as session:
        assert session.exec(select(func.count()).select_from(Coordination)).one() == 2


def test_an_external_user_cannot_set_a_layer_status(sqlite_world):
    world = sqlite_world
    add_suppliers(world)
    run(world, "U0ALICE", "#general", "/dispute", "coordinate ERP down: network=Netcom")
    world.stand_in.workspace.join(ESCALATIONS, "U0ERIN")
    assert "only available to the team" in choose(world, "U0ERIN", "network=cleared")
    assert the_card(world)["edits"] == []
