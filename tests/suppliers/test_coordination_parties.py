"""Suppliers take part in an outage: a twin card in their own shared channel showing only their layer, their
updates on the internal card, the silent chased in their channel, closing with the root cause and the complaints."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from bot.sandbox.stand_in import BOT_USER_ID, Channel
from bot.sandbox.stand_in.workspace import Team, User
from bot.sandbox.world import World
from tests.expect import full_text, last_ephemeral_text, posts_in, run

ESCALATIONS = "C0ESCAL"
NETCOM = "C0NETSHR"  # shared with Netcom's organisation, and a DBCo engineer who works with them
DBCO = "C0DBSHR"
NINA, DORA = "U0NINA", "U0DORA"  # Netcom's and DBCo's people


def set_up(world: World) -> None:
    """Netcom (network) and DBCo (database), each with its own organisation and linked shared channel."""
    workspace = world.stand_in.workspace
    workspace.add_team(Team("T0NET", "netcom", "Netcom"))
    workspace.add_team(Team("T0DB", "dbco", "DBCo"))
    workspace.add_user(User(NINA, "nina", "Nina Net", team_id="T0NET", tz="Asia/Shanghai"))
    workspace.add_user(User(DORA, "dora", "Dora DB", team_id="T0DB", tz="Asia/Shanghai"))
    workspace.add_channel(Channel(NETCOM, "netcom-shared", [BOT_USER_ID, "U0ALICE", "U0CAROL", NINA, DORA],
                                  is_ext_shared=True))
    workspace.add_channel(Channel(DBCO, "dbco-shared", [BOT_USER_ID, "U0ALICE", "U0DAVE", DORA], is_ext_shared=True))
    run(world, "U0CAROL", "#general", "/account", "add Netcom supplier")
    run(world, "U0DAVE", "#general", "/account", "add DBCo supplier")
    run(world, "U0CAROL", NETCOM, "/account", "link Netcom")
    run(world, "U0ALICE", DBCO, "/account", "link DBCo")


def open_outage(world: World) -> str:
    return run(world, "U0ALICE", "#general", "/dispute", "coordinate ERP down: network=Netcom, database=DBCo")


def the_card(world: World) -> dict[str, Any]:
    [card] = [m for m in posts_in(world, ESCALATIONS) if "Outage coordination #1" in m["text"]]
    return card


def twin(world: World, channel: str) -> dict[str, Any]:
    [card] = [m for m in posts_in(world, channel) if "ERP down" in m["text"] and "⏰" not in m["text"]]
    return card


def press(world: World, user: str, label: str, channel: str) -> str:
    """Press a twin's button and return the note the person gets."""
    seen = len(world.stand_in.ephemerals(user=user))
    world.slack.click(user, label, channel)
    return last_ephemeral_text(world, user, count=seen + 1)


def chases(world: World, channel: str) -> list[dict[str, Any]]:
    return [m for m in posts_in(world, channel) if "no update on" in m["text"]]


def test_a_supplier_updates_its_own_layer_from_its_channel_and_sees_no_other(world):
    set_up(world)
    assert "Opened outage coordination #1 with 2 layers" in open_outage(world)
    netcom = world.stand_in.wait_for(lambda: twin(world, NETCOM))
    assert "Your layer: network" in full_text(netcom) and "ERP down" in full_text(netcom)
    assert not re.search("database|DBCo|C0ESCAL", full_text(netcom))
    dbco = world.stand_in.wait_for(lambda: twin(world, DBCO))
    assert "Your layer: database" in full_text(dbco) and not re.search("network|Netcom", full_text(dbco))
    assert "their card is in <#C0NETSHR>" in full_text(the_card(world))

    assert "is now 🔍 investigating" in press(world, NINA, "Investigating", NETCOM)
    world.stand_in.wait_for(lambda: "network* — Netcom — 🔍 investigating (<@U0NINA>" in full_text(the_card(world)))
    world.stand_in.wait_for(lambda: "🔍 investigating" in full_text(twin(world, NETCOM)))

    world.slack.click(NINA, "Add a note", NETCOM)
    world.stand_in.wait_for(lambda: [v for v in world.stand_in.views(NINA) if v["open"]])
    world.slack.submit_view(NINA, "coordination_note", {"coordination_note": "Core router replaced, watching"})
    world.stand_in.wait_for(lambda: "Core router replaced" in full_text(the_card(world)))
    netcom = world.stand_in.wait_for(lambda: "Core router replaced" in full_text(twin(world, NETCOM))
                                     and twin(world, NETCOM))
    assert not re.search("database|DBCo", full_text(netcom))
    assert "database" not in full_text(twin(world, NETCOM)) and "Core router" not in full_text(twin(world, DBCO))
    assert len(posts_in(world, ESCALATIONS)) == 1 and len(posts_in(world, NETCOM)) == 1


def test_someone_from_another_supplier_is_refused_and_nothing_changes(sqlite_world):
    world = sqlite_world
    set_up(world)
    open_outage(world)
    world.stand_in.wait_for(lambda: twin(world, NETCOM))
    assert "only the supplier responsible for this layer" in press(world, DORA, "Fixed", NETCOM)
    assert "only the supplier responsible for this layer" in press(world, DORA, "Add a note", NETCOM)
    assert world.stand_in.views(DORA) == []
    assert the_card(world)["edits"] == [] and twin(world, NETCOM)["edits"] == []
    assert "⏳ no answer yet" in full_text(the_card(world))
    # Dora may answer for her own layer, in her own channel; our people may press any twin.
    assert "is now 🛠 fixed" in press(world, DORA, "Fixed", DBCO)
    assert "is now 🙅 not us" in press(world, "U0ALICE", "Not us", NETCOM)
    world.stand_in.wait_for(lambda: "database* — DBCo — 🛠 fixed (<@U0DORA>" in full_text(the_card(world)))


def test_a_silent_layer_is_chased_in_its_own_channel_once_per_interval(sqlite_world):
    world = sqlite_world
    set_up(world)
    run(world, "U0ALICE", "#general", "/dispute", "coordinate ERP down: network=Netcom, database=DBCo, chase=2h")
    world.stand_in.wait_for(lambda: twin(world, DBCO))
    world.advance(timedelta(minutes=30))
    press(world, NINA, "Investigating", NETCOM)  # Netcom's clock restarts: chased 2 working hours from now
    world.advance(timedelta(hours=1, minutes=29))
    assert chases(world, DBCO) == [] and chases(world, NETCOM) == []
    world.advance(timedelta(minutes=1))
    [chase] = world.stand_in.wait_for(lambda: chases(world, DBCO))
    assert "no update on *database* for 2h of working time" in full_text(chase)
    assert "network" not in full_text(chase) and chases(world, NETCOM) == []
    world.tick()
    world.advance(timedelta(minutes=30))
    assert len(chases(world, DBCO)) == 1
    world.stand_in.wait_for(lambda: len(chases(world, NETCOM)) == 1)
    world.advance(timedelta(minutes=90))
    world.stand_in.wait_for(lambda: len(chases(world, DBCO)) == 2)
    press(world, DORA, "Not us", DBCO)
    world.advance(timedelta(hours=6))
    assert len(chases(world, DBCO)) == 2


def test_closing_names_the_cause_and_tells_each_complaint_owner_once(world):
    set_up(world)
    run(world, "U0ALICE", "#general", "/account", "add Acme customer")
    run(world, "U0BOB", "#general", "/complaint", "Acme: ERP is down for the finance team")
    open_outage(world)
    run(world, "U0ALICE", "#general", "/dispute", "coordinate Mail slow: relay=Netcom")
    listing = run(world, "U0ALICE", "#general", "/dispute", "coordinate list")
    assert "#1* ERP down" in listing and "#2* Mail slow" in listing and "0 of 2 layers answered" in listing

    assert "Name the layer responsible" in run(world, "U0ALICE", "#general", "/dispute", "coordinate 1 close cause")
    assert "no complaint #99" in run(world, "U0ALICE", "#general", "/dispute",
                                      "coordinate 1 close layer database cause: full disk complaints 99")
    reply = run(world, "U0ALICE", "#general", "/dispute",
                "coordinate 1 close layer database cause: the primary's disk filled up complaints #1")
    assert "Closed outage coordination #1: root cause in *database*" in reply and "#1" in reply
    [dm] = world.stand_in.wait_for(lambda: [m for m in world.stand_in.dm_messages("U0BOB")
                                            if "is closed" in full_text(m)])
    assert "complaint #1" in full_text(dm) and "the primary's disk filled up" in full_text(dm)
    world.stand_in.wait_for(lambda: "Closed by <@U0ALICE>" in full_text(the_card(world)))
    world.stand_in.wait_for(lambda: "This outage is closed" in full_text(twin(world, NETCOM)))
    assert "Investigating" not in json_buttons(twin(world, DBCO))
    assert "disk" not in full_text(twin(world, NETCOM))

    assert "is closed" in run(world, "U0ALICE", "#general", "/dispute",
                              "coordinate 1 close layer network cause: again complaints 1")
    world.tick()
    assert len([m for m in world.stand_in.dm_messages("U0BOB") if "is closed" in full_text(m)]) == 1
    listing = run(world, "U0ALICE", "#general", "/dispute", "coordinate list")
    assert listing.index("Mail slow") < listing.index("ERP down") and "root cause in *database*" in listing


def test_closing_from_the_card_asks_for_the_layer_the_cause_and_the_complaints(sqlite_world):
    world = sqlite_world
    set_up(world)
    run(world, "U0ALICE", "#general", "/account", "add Acme customer")
    run(world, "U0BOB", "#general", "/complaint", "Acme: ERP is down for the finance team")
    open_outage(world)
    world.slack.click("U0CAROL", "Close with root cause", ESCALATIONS)
    world.stand_in.wait_for(lambda: [v for v in world.stand_in.views("U0CAROL") if v["open"]])
    values = {"coordination_layer": "network", "coordination_cause": "A flapping uplink",
              "coordination_complaints": "12 and 15"}
    world.slack.submit_view("U0CAROL", "coordination_close", values)
    [modal] = [v for v in world.stand_in.views("U0CAROL") if v["open"]]
    assert "not a complaint number" in modal["errors"]["coordination_complaints"]
    seen = len(world.stand_in.ephemerals(user="U0CAROL"))
    world.slack.submit_view("U0CAROL", "coordination_close", {**values, "coordination_complaints": "",
                                                              "coordination_picked": ["1"]})
    assert "Closed outage coordination #1: root cause in *network*" in last_ephemeral_text(world, "U0CAROL",
                                                                                          count=seen + 1)
    world.stand_in.wait_for(lambda: "A flapping uplink" in full_text(the_card(world)))
    assert "Close with root cause" not in json_buttons(the_card(world)) and "#1 ERP is down" in full_text(
        the_card(world))
    world.stand_in.wait_for(lambda: [m for m in world.stand_in.dm_messages("U0BOB") if "is closed" in full_text(m)])


def json_buttons(message: dict[str, Any]) -> str:
    return " ".join(element.get("text", {}).get("text", "") for block in message.get("blocks") or []
                    if block.get("type") == "actions" for element in block.get("elements", []))


def test_a_chinese_supplier_channel_and_a_chinese_reader(sqlite_world):
    world = sqlite_world
    world.stand_in.workspace.users["U0DAVE"].locale = "zh-CN"
    set_up(world)
    run(world, "U0CAROL", "#general", "/account", "set Netcom language zh")
    open_outage(world)
    netcom = world.stand_in.wait_for(lambda: twin(world, NETCOM))
    assert "你方层级：network" in full_text(netcom) and "调查中" in json_buttons(netcom)
    assert "添加备注" in json_buttons(netcom) and "database" not in full_text(netcom)
    assert "Your layer: database" in full_text(twin(world, DBCO))
    listing = run(world, "U0DAVE", "#general", "/dispute", "协调 列表")
    assert "故障协调" in listing and "2 个层级中 0 个已回复" in listing
