"""Done on a meeting reminder -> minutes -> action items: assigned, reminded on the due day and once when overdue,
completed with one click (once, however often it is clicked).
"""

from __future__ import annotations

from storage.rhythm.action_items import ActionItem
from storage.rhythm.meetings import MeetingOccurrence
from tests.expect import ephemeral_to, full_text, run
from tests.rhythm.steps import ALICE, BOB, ERIN, add_acme, at, audit_count, dms, local, replay, rows

ROWS = {
    "minutes_action_text_1": "Renew the VPN certificate", "minutes_action_owner_1": BOB,
    "minutes_action_due_1": "friday",
    "minutes_action_text_2": "Send the capacity plan", "minutes_action_owner_2": ALICE,
    "minutes_action_due_2": "in 3 working days",
}


def held_meeting(world) -> None:
    """Kickoff with Acme on Tue 1 Dec 15:00, reminded on Monday; it is now Tuesday 16:00 and alice clicks Done."""
    add_acme(world)
    run(world, ALICE, "#general", "/meeting", "Acme Corp: Kickoff next tuesday 3pm")
    at(world, local(11, 30, 15))
    world.clock.set(local(12, 1, 16))
    world.slack.click(ALICE, "Done", ALICE)
    world.stand_in.wait_for(lambda: world.stand_in.current_view(ALICE))


def test_done_opens_the_minutes_and_the_action_items_are_reminded_then_completed(world):
    held_meeting(world)
    assert world.stand_in.current_view(ALICE)["callback_id"] == "meeting_minutes"
    world.slack.submit_view(ALICE, "meeting_minutes", {"minutes_notes": "Reviewed the VPN outage.", **ROWS})

    receipt = world.stand_in.wait_for(lambda: dms(world, ALICE, "Minutes of *Kickoff*"))[0]
    assert "2 action items:" in receipt and "Renew the VPN certificate — <@U0BOB>, due Fri 4 Dec 09:00 CST" in receipt
    assert "Send the capacity plan — <@U0ALICE>, due Fri 4 Dec 16:00 CST" in receipt
    [assigned] = world.stand_in.wait_for(lambda: dms(world, BOB))
    assert ("<@U0ALICE> gave you an action item from the meeting with Acme Corp: *Renew the VPN certificate* — due "
            "Fri 4 Dec 09:00 CST.") in assigned
    [occurrence] = rows(world, MeetingOccurrence)
    assert (occurrence.status, occurrence.notes, occurrence.done_by) == ("done", "Reviewed the VPN outage.", ALICE)

    at(world, local(12, 4, 8, 59))
    assert len(dms(world, BOB)) == 1
    at(world, local(12, 4, 9))
    at(world, local(12, 4, 9, 5))
    assert "Due today: *Renew the VPN certificate* (Acme Corp) — due Fri 4 Dec 09:00 CST." in dms(world, BOB)[-1]
    assert "Due today: *Send the capacity plan*" in dms(world, ALICE)[-1]

    seen = len(world.stand_in.ephemerals(user=BOB))
    first = world.slack.click(BOB, "Done", BOB)
    replay(world, first.payload)  # a double click
    note = ephemeral_to(world, BOB, count=seen + 1)[-1]
    assert "Already done — <@U0BOB> completed it." in full_text(note)
    world.stand_in.wait_for(lambda: all("✅ Done: *Renew the VPN certificate*" in text for text in dms(world, BOB)))
    assert all("completed by <@U0BOB>" in text for text in dms(world, BOB))
    assert audit_count(world, "action_item.done") == 1

    # Monday: alice's item is overdue and reminded once; bob's, done, never again.
    at(world, local(12, 7, 9))
    at(world, local(12, 7, 10))
    assert len(dms(world, ALICE, "Overdue: *Send the capacity plan* (Acme Corp) was due Fri 4 Dec 16:00 CST.")) == 1
    assert len(dms(world, BOB)) == 2
    at(world, local(12, 14, 9))
    assert len(dms(world, ALICE, "Send the capacity plan")) == 3  # receipt, due today, overdue
    items = {item.text: item for item in rows(world, ActionItem)}
    assert (items["Renew the VPN certificate"].status, items["Send the capacity plan"].status) == ("done", "open")

    # The minutes are recorded once.
    world.slack.click(ALICE, "meeting_done", ALICE)
    assert "The minutes of this meeting were recorded by <@U0ALICE>" in full_text(
        world.stand_in.wait_for(lambda: [e for e in world.stand_in.ephemerals(user=ALICE) if "recorded by" in
                                         full_text(e)])[-1])


def test_a_row_missing_its_owner_or_with_an_unreadable_date_is_shown_on_the_row_and_nothing_is_written(world):
    held_meeting(world)
    world.slack.submit_view(ALICE, "meeting_minutes", {"minutes_action_text_1": "Renew the certificate",
                                                       "minutes_action_due_1": "friday"})
    view = world.stand_in.current_view(ALICE)
    assert view["errors"] == {"minutes_action_owner_1": "Who will do it?"}
    world.slack.submit_view(ALICE, "meeting_minutes", {"minutes_action_text_1": "Renew the certificate",
                                                       "minutes_action_owner_1": BOB,
                                                       "minutes_action_due_1": "when pigs fly"})
    error = world.stand_in.current_view(ALICE)["errors"]["minutes_action_due_1"]
    assert "I couldn't read “when pigs fly” as a date." in error and "Try for example" in error
    world.slack.submit_view(ALICE, "meeting_minutes", {"minutes_action_text_1": "Renew the certificate",
                                                       "minutes_action_owner_1": ERIN,  # the customer's
                                                       "minutes_action_due_1": "friday"})
    error = world.stand_in.current_view(ALICE)["errors"]["minutes_action_owner_1"]
    assert "<@U0ERIN> is not one of the team" in error
    assert rows(world, ActionItem) == [] and rows(world, MeetingOccurrence)[0].status == "scheduled"
    assert dms(world, BOB) == [] and world.stand_in.dm_messages(ERIN) == []
