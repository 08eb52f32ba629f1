"""/dispute, its card's Escalate and Resolve, and the ladder escalating itself, end to end over signed HTTP."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from bot.sandbox.world import World
from storage.platform.audit import AuditLog
from storage.suppliers.disputes import Dispute, DisputeEvent
from tests.expect import full_text, last_ephemeral_text, posts_in, run

ESCALATIONS = "C0ESCAL"
MANAGER = "U0CAROL"
# Thu 12 Feb 2026, 10:00 in Shanghai: Sat 14 Feb is a make-up working day, 15–23 Feb are the Spring Festival.
BEFORE_SPRING_FESTIVAL = datetime(2026, 2, 12, 2, 0, tzinfo=UTC)




def replay(world: World, payload: dict[str, Any]) -> str:
    """Send an interaction payload again (a second click), and return the note its sender gets."""
    user = payload["user"]["id"]
    seen = len(world.stand_in.ephemerals(user=user))
    world.slack.click_again(payload)
    return last_ephemeral_text(world, user, count=seen + 1)


def click(world: World, user: str, label: str) -> tuple[str, dict[str, Any]]:
    """Press a button on a dispute card; the note the presser gets, and the payload sent."""
    seen = len(world.stand_in.ephemerals(user=user))
    response = world.slack.click(user, label, ESCALATIONS)
    assert response.payload is not None
    return last_ephemeral_text(world, user, count=seen + 1), response.payload


def add_netcom(world: World) -> None:
    """Netcom, a supplier owned (as service manager) by Carol, the manager."""
    assert "Added" in run(world, MANAGER, "#general", "/account", "add Netcom supplier")


def card(world: World, number: int = 1) -> dict[str, Any]:
    """The card of dispute #number in the escalation channel."""
    cards = [m for m in posts_in(world, ESCALATIONS) if f"Dispute #{number} ·" in m["text"]]
    assert len(cards) == 1, world.stand_in.render_channel(ESCALATIONS)
    return cards[0]


def wait_for_card(world: World, *, showing: str, edits: int = 0) -> dict[str, Any]:
    """Wait until the card shows `showing` after at least `edits` edits."""
    def ready() -> dict[str, Any] | None:
        found = card(world)
        return found if len(found["edits"]) >= edits and showing in full_text(found) else None
    shown = world.stand_in.wait_for(ready)
    assert shown is not None
    return shown


def notices(world: World, where: str, words: str = "is now at level") -> list[dict[str, Any]]:
    """Level announcements posted in a channel (or DMs of a user)."""
    messages = world.stand_in.dm_messages(where) if where.startswith("U") else posts_in(world, where)
    return [m for m in messages if words in full_text(m)]


def rows(world: World, table: type, **where: object) -> int:
    with world.services.db.session() as session:
        query = select(func.count()).select_from(table)
        for name, value in where.items():
            query = query.where(getattr(table, name) == value)
        return session.exec(query).one()


def buttons(message: dict[str, Any]) -> list[str]:
    return [element["text"]["text"] for block in message["blocks"] if block["type"] == "actions"
            for element in block["elements"]]


def open_netcom_dispute(world: World, user: str = "U0ALICE") -> str:
    add_netcom(world)
    return run(world, user, "#general", "/dispute", "Netcom: who pays for the failed migration weekend")


# The ladder on the team calendar

def test_the_ladder_runs_on_working_days_across_the_spring_festival_and_make_up_days(world):
    world.clock.set(BEFORE_SPRING_FESTIVAL)
    reply = open_netcom_dispute(world)
    assert "Opened dispute #1 with *Netcom* at level 1" in reply
    assert "Tue 24 Feb 10:00 CST" in reply and "<@U0CAROL> owns it" in reply
    assert "Tue 24 Feb 10:00 CST" in full_text(card(world))
    assert len(notices(world, MANAGER, "and you own it")) == 1

    world.clock.set(datetime(2026, 2, 24, 1, 59, tzinfo=UTC))  # a minute before the deadline
    world.tick()
    assert notices(world, ESCALATIONS) == [] and card(world)["edits"] == []

    world.advance(timedelta(minutes=1))
    [posted] = world.stand_in.wait_for(lambda: notices(world, ESCALATIONS))
    assert "level 2 — Mediation" in full_text(posted) and "Tue 24 Feb 10:00 CST" in full_text(posted)
    assert "Mon 2 Mar 10:00 CST" in full_text(posted)  # 25, 26, 27, Sat 28 (make-up), Mon 2 Mar
    wait_for_card(world, showing="Level 2 of 4", edits=1)
    assert len(notices(world, MANAGER)) == 1
    assert notices(world, "U0ALICE") == []  # the opener is neither owner nor manager

    world.tick()
    world.advance(timedelta(days=1))
    assert len(notices(world, ESCALATIONS)) == 1 and len(notices(world, MANAGER)) == 1

    world.clock.set(datetime(2026, 3, 2, 2, 0, tzinfo=UTC))
    world.tick()
    assert len(notices(world, ESCALATIONS)) == 2
    shown = full_text(wait_for_card(world, showing="Level 3 of 4", edits=2))
    assert "level 2 was overdue" in shown and "level 1 was overdue" in shown
    assert rows(world, DisputeEvent, action="escalated", automatic=True) == 2
    assert rows(world, AuditLog, action="dispute.escalate") == 2


def test_the_last_level_has_no_deadline_and_nothing_escalates_further(sqlite_world):
    world = sqlite_world
    open_netcom_dispute(world)
    world.advance(timedelta(days=60))
    world.advance(timedelta(days=60))
    world.advance(timedelta(days=60))
    shown = full_text(wait_for_card(world, showing="Level 4 of 4", edits=3))
    assert "Legal route" in shown and "none — the last level" in shown
    assert buttons(card(world)) == ["Resolve"]
    world.advance(timedelta(days=60))
    assert len(notices(world, ESCALATIONS)) == 3


def test_two_ticks_at_the_same_moment_escalate_once(world):
    open_netcom_dispute(world)
    overdue = world.now() + timedelta(days=10)
    world.clock.set(overdue)
    ticks = [threading.Thread(target=world.tick, args=(overdue,)) for _ in range(2)]
    for thread in ticks:
        thread.start()
    for thread in ticks:
        thread.join()
    world.tick(overdue)
    world.stand_in.wait_for(lambda: notices(world, ESCALATIONS))
    assert len(notices(world, ESCALATIONS)) == 1 and len(notices(world, MANAGER)) == 1
    assert rows(world, DisputeEvent, action="escalated") == 1
    with world.services.db.session() as session:
        [dispute] = session.exec(select(Dispute)).all()
    assert dispute.level == 2


# The card's buttons

def test_escalate_by_hand_once_even_when_clicked_twice(world):
    open_netcom_dispute(world)
    note, payload = click(world, "U0BOB", "Escalate")
    assert "Dispute #1 is now at level 2 — Mediation" in note
    assert "already at level 2 — nothing to do" in replay(world, payload)
    wait_for_card(world, showing="Level 2 of 4", edits=1)
    [posted] = notices(world, ESCALATIONS)
    assert "Escalated by <@U0BOB>" in full_text(posted)
    assert len(notices(world, MANAGER)) == 1
    assert rows(world, DisputeEvent, action="escalated") == 1
    assert rows(world, AuditLog, action="dispute.escalate") == 1
    assert "<@U0BOB> escalated it to level 2" in full_text(card(world))


def test_resolve_needs_a_resolution_and_a_second_click_changes_nothing(world):
    open_netcom_dispute(world)
    payload = world.slack.click("U0BOB", "Resolve", ESCALATIONS).payload
    modal = world.stand_in.wait_for(lambda: world.stand_in.current_view("U0BOB"))
    assert modal["callback_id"] == "dispute_resolve"
    world.slack.submit_view("U0BOB", "dispute_resolve", {"dispute_resolution": "   "}, check_required=False)
    assert "Say how the dispute was resolved" in json.dumps(world.stand_in.current_view("U0BOB")["errors"])
    assert rows(world, Dispute, status="resolved") == 0
    world.slack.submit_view("U0BOB", "dispute_resolve", {"dispute_resolution": "Netcom pays, DBCo credits a day"})
    assert "Resolved dispute #1" in last_ephemeral_text(world, "U0BOB")
    shown = wait_for_card(world, showing="Resolved", edits=1)
    assert "Netcom pays, DBCo credits a day" in full_text(shown) and buttons(shown) == ["Reopen"]
    assert "already resolved" in replay(world, payload)
    assert rows(world, Dispute, status="resolved") == 1 and rows(world, AuditLog, action="dispute.resolve") == 1
    world.advance(timedelta(days=30))
    assert notices(world, ESCALATIONS) == []  # a resolved dispute never escalates


def test_resolving_a_dispute_linked_to_a_complaint_tells_the_complaint_owner(world):
    add_netcom(world)
    run(world, "U0BOB", "#general", "/account", "add Acme Corp customer")
    assert "Logged complaint #1" in run(world, "U0BOB", "#general", "/complaint", "Acme Corp: the ERP is down again")
    assert "DBCo" in run(world, MANAGER, "#general", "/account", "add DBCo supplier")
    world.slack.command("U0ALICE", "#general", "/dispute")
    world.stand_in.wait_for(lambda: world.stand_in.current_view("U0ALICE"))
    world.slack.submit_view("U0ALICE", "dispute_new", {
        "dispute_supplier": "Netcom", "dispute_subject": "Netcom says the database dropped the links",
        "dispute_scope": "ERP outage of 1 Dec", "dispute_complaint": "#1", "dispute_others": "DBCo, Netcom"})
    assert "Opened dispute #1" in last_ephemeral_text(world, "U0ALICE")
    shown = full_text(card(world))
    assert "Also involved:* DBCo" in shown and "Complaint:* #1" in shown and "ERP outage of 1 Dec" in shown
    world.slack.click("U0ALICE", "Resolve", ESCALATIONS)
    world.stand_in.wait_for(lambda: world.stand_in.current_view("U0ALICE"))
    world.slack.submit_view("U0ALICE", "dispute_resolve", {"dispute_resolution": "DBCo fixed its listener"})
    told = world.stand_in.wait_for(lambda: notices(world, "U0BOB", "linked to your complaint #1"))
    assert len(told) == 1 and "DBCo fixed its listener" in full_text(told[0])
    world.tick()
    assert len(notices(world, "U0BOB", "linked to your complaint #1")) == 1


def test_the_form_shows_each_problem_next_to_its_field_and_opens_nothing(sqlite_world):
    world = sqlite_world
    add_netcom(world)
    world.slack.command("U0ALICE", "#general", "/dispute")
    world.stand_in.wait_for(lambda: world.stand_in.current_view("U0ALICE"))
    for values, field, words in (
        ({"dispute_supplier": "Nocom"}, "dispute_supplier", "No account called"),
        ({"dispute_complaint": "#9"}, "dispute_complaint", "There is no complaint #9"),
        ({"dispute_others": "Nobody Ltd"}, "dispute_others", "No account called"),
    ):
        world.slack.submit_view("U0ALICE", "dispute_new", {"dispute_supplier": "Netcom",
                                                          "dispute_subject": "billing", **values})
        errors = world.stand_in.current_view("U0ALICE")["errors"]
        assert words in errors.get(field, ""), errors
    assert rows(world, Dispute) == 0 and posts_in(world, ESCALATIONS) == []


# Lists, details, refusals

def test_list_and_detail_show_levels_and_history(sqlite_world):
    world = sqlite_world
    open_netcom_dispute(world)
    click(world, "U0BOB", "Escalate")
    listing = run(world, "U0ALICE", "#general", "/dispute", "list")
    assert "Open disputes (1)" in listing and "*#1*" in listing and "Mediation" in listing
    detail = run(world, "U0ALICE", "#general", "/dispute", "1")
    assert "<@U0ALICE> opened it at level 1" in detail and "<@U0BOB> escalated it to level 2" in detail
    assert "Open the card" in detail and "dispute_escalate" not in detail
    assert "There is no dispute #7" in run(world, "U0ALICE", "#general", "/dispute", "7")
    assert "No resolved disputes" in run(world, "U0ALICE", "#general", "/dispute", "list resolved")


def test_bad_text_gets_an_example_and_writes_nothing(sqlite_world):
    world = sqlite_world
    add_netcom(world)
    assert "/dispute Netcom:" in run(world, "U0ALICE", "#general", "/dispute", "the database is slow")
    assert "No account called" in run(world, "U0ALICE", "#general", "/dispute", "Nocom: the database is slow")
    assert "/dispute coordinate" in run(world, "U0ALICE", "#general", "/dispute", "help")
    assert rows(world, Dispute) == 0


def test_a_dispute_asked_about_in_a_shared_channel_is_shown_only_to_the_asker(sqlite_world):
    world = sqlite_world
    open_netcom_dispute(world)
    assert "Netcom" in run(world, "U0ALICE", "#acme-shared", "/dispute", "1")
    assert posts_in(world, "C0ACMESHR") == []


def test_an_external_user_is_refused_everything_and_nothing_changes(world):
    open_netcom_dispute(world)
    _note, payload = click(world, "U0ALICE", "Escalate")
    for text in ("", "list", "1", "help", "Netcom: I dispute this", "coordinate ERP: network=Netcom"):
        assert "only available to the team" in run(world, "U0ERIN", "#acme-shared", "/dispute", text)
    erin = {"id": "U0ERIN", "username": "erin", "name": "erin", "team_id": "T0ACME"}
    stale = dict(payload, user=erin, team={"id": "T0ACME", "domain": "acme-corp"},
                 response_url=world.stand_in.issue_response_url(user="U0ERIN", channel=ESCALATIONS))
    assert "only available to the team" in replay(world, stale)
    assert world.stand_in.current_view("U0ERIN") is None
    assert rows(world, Dispute) == 1 and rows(world, DisputeEvent, action="escalated") == 1
    assert posts_in(world, "C0ACMESHR") == []


def test_the_supplier_scorecard_lists_open_disputes_it_is_part_of(sqlite_world):
    world = sqlite_world
    open_netcom_dispute(world)
    run(world, MANAGER, "#general", "/account", "add DBCo supplier")
    world.slack.command("U0ALICE", "#general", "/dispute")
    world.stand_in.wait_for(lambda: world.stand_in.current_view("U0ALICE"))
    world.slack.submit_view("U0ALICE", "dispute_new", {"dispute_supplier": "DBCo", "dispute_subject": "licences",
                                                      "dispute_others": "Netcom"})
    last_ephemeral_text(world, "U0ALICE", count=2)
    assert "*Open disputes:* 2 — #1 at level 1, #2 at level 1" in run(world, "U0ALICE", "#general", "/supplier",
                                                                       "Netcom")
    assert "*Open disputes:* 1 — #2 at level 1" in run(world, "U0ALICE", "#general", "/supplier", "DBCo")


def test_the_ladder_follows_rapport_dispute_days(database_url):
    from tests.conftest import WORLD_START

    with World(database_url, start=WORLD_START, rapport_dispute_days=[1, 1, 1]) as world:
        reply = open_netcom_dispute(world)
        assert "until Mon 30 Nov 10:00 CST" in reply  # Fri 27 Nov + 1 working day
        world.slack.command("U0ALICE", "#general", "/dispute")
        modal = world.stand_in.wait_for(lambda: world.stand_in.current_view("U0ALICE"))
        assert "runs 1 working days" in json.dumps(modal)
        world.clock.set(datetime(2026, 11, 30, 2, 0, tzinfo=UTC))
        world.tick()
        [posted] = world.stand_in.wait_for(lambda: notices(world, ESCALATIONS))
        assert "Tue 1 Dec 10:00 CST" in full_text(posted)
