"""Multi-party meetings (召集多方会议): each party reminded once, in its own shared channel or by DM to its named
people, with the title, the time and the parties' names only; our people get the internal agenda."""

from __future__ import annotations

import re

from bot.sandbox.stand_in import BOT_USER_ID, Channel
from bot.sandbox.stand_in.workspace import Team, User
from bot.sandbox.world import World
from storage.rhythm.meeting_parties import MeetingParty
from tests.expect import full_text, posts_in, run
from tests.rhythm.steps import ALICE, SHARED, add_acme, at, dms, local, rows

NETCOM = "C0NETSHR"
NINA, DORA = "U0NINA", "U0DORA"
INTERNAL = re.compile("Agenda|Invoices|Complaint|complaint|CSAT|Snooze|议程|投诉")


def set_up(world: World) -> None:
    """Acme (customer, #acme-shared), Netcom (supplier, its own shared channel), DBCo (supplier, no channel)."""
    workspace = world.stand_in.workspace
    workspace.add_team(Team("T0NET", "netcom", "Netcom"))
    workspace.add_team(Team("T0DB", "dbco", "DBCo"))
    workspace.add_user(User(NINA, "nina", "Nina Net", team_id="T0NET"))
    workspace.add_user(User(DORA, "dora", "Dora DB", team_id="T0DB"))
    workspace.add_channel(Channel(NETCOM, "netcom-shared", [BOT_USER_ID, ALICE, NINA], is_ext_shared=True))
    add_acme(world)
    run(world, ALICE, "#general", "/account", "add Netcom supplier")
    run(world, ALICE, "#general", "/account", "add DBCo supplier")
    run(world, ALICE, NETCOM, "/account", "link Netcom")
    run(world, ALICE, "#general", "/complaint", "Acme Corp: Invoices page shows error 500")


def party_posts(world: World, channel: str) -> list[str]:
    return [full_text(m) for m in posts_in(world, channel) if "Joint outage review" in m["text"]]


def test_each_party_is_reminded_once_with_only_its_part_and_the_agenda_stays_internal(world):
    set_up(world)
    reply = run(world, ALICE, "#general", "/meeting",
                "Acme Corp, Netcom, DBCo @dora: Joint outage review next tuesday 3pm")
    assert "Scheduled *Joint outage review* with *Acme Corp* on Tue 1 Dec 15:00 CST." in reply
    assert "Also invited: Netcom & DBCo" in reply
    assert [(party.position, party.people) for party in rows(world, MeetingParty)] == [(0, []), (1, []), (2, [DORA])]

    at(world, local(11, 30, 15))
    [internal] = world.stand_in.wait_for(lambda: dms(world, ALICE, "Joint outage review"))
    assert "Agenda" in internal and "Invoices page shows error 500" in internal
    assert "With Acme Corp, Netcom & DBCo" in internal
    for shown in (world.stand_in.wait_for(lambda: party_posts(world, SHARED)),
                  world.stand_in.wait_for(lambda: party_posts(world, NETCOM)),
                  world.stand_in.wait_for(lambda: dms(world, DORA, "Joint outage review"))):
        [text] = shown
        assert "Reminder: Joint outage review — Tue 1 Dec 15:00 CST" in text
        assert "With Acme Corp, Netcom & DBCo" in text and not INTERNAL.search(text)
    assert dms(world, NINA) == []  # Netcom is reminded in its channel

    at(world, local(12, 1, 14))
    world.stand_in.wait_for(lambda: len(dms(world, ALICE, "Joint outage review")) == 2)
    assert "Agenda" not in dms(world, ALICE, "Joint outage review")[-1]
    assert len(party_posts(world, SHARED)) == 1 and len(party_posts(world, NETCOM)) == 1
    assert len(dms(world, DORA, "Joint outage review")) == 1


def test_a_party_reminder_speaks_its_channel_language_and_bad_parties_write_nothing(sqlite_world):
    world = sqlite_world
    set_up(world)
    run(world, ALICE, "#general", "/account", "set Netcom language zh")
    assert "No account" in run(world, ALICE, "#general", "/meeting", "Acme Corp, Nocom: Review next tuesday 3pm")
    assert "once" in run(world, ALICE, "#general", "/meeting", "Acme Corp, Netcom, netcom: Review next tuesday 3pm")
    assert rows(world, MeetingParty) == []
    run(world, ALICE, "#general", "/meeting", "Acme Corp, Netcom: Joint outage review next tuesday 3pm")
    at(world, local(11, 30, 15))
    [text] = world.stand_in.wait_for(lambda: party_posts(world, NETCOM))
    assert "提醒" in text and "与会方" in text and not INTERNAL.search(text)
    assert "With Acme Corp & Netcom" in world.stand_in.wait_for(lambda: party_posts(world, SHARED))[0]
