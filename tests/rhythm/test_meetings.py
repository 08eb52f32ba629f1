"""/meeting end to end over signed HTTP: rules echoed, reminders one working day and one hour before (once each,
whatever the ticks), holidays and make-up days, snooze, cancel, bad input and outsiders refused.
"""

from __future__ import annotations

from storage.rhythm.meetings import Meeting, MeetingOccurrence
from tests.expect import ephemeral_to, full_text, posts_in, run
from tests.rhythm.steps import (
    ALICE,
    BOB,
    ERIN,
    SHARED,
    add_acme,
    at,
    audit_count,
    dms,
    local,
    replay,
    rows,
    two_ticks_at_once,
)


def test_a_meeting_echoes_its_next_three_occurrences_and_invites_the_people_mentioned(world):
    add_acme(world)
    reply = run(world, ALICE, "#general", "/meeting", "Acme Corp: Weekly sync with @bob every tuesday 15:00")
    assert "Scheduled *Weekly sync with @bob* with *Acme Corp*, every Tuesday at 15:00." in reply
    assert "Next: Tue 1 Dec 15:00 CST · Tue 8 Dec 15:00 CST · Tue 15 Dec 15:00 CST." in reply
    assert "reminders to <@U0ALICE> & <@U0BOB> one working day and one hour before" in reply

    reply = run(world, ALICE, "#general", "/meeting", "Acme Corp: 月度评审 每月第10个工作日 10:00")
    assert "*月度评审*" in reply and "on working day 10 of every month at 10:00" in reply
    assert "Next: Mon 14 Dec 10:00 CST" in reply

    reply = run(world, ALICE, "#general", "/meeting", "Acme Corp: Kickoff next tuesday 3pm")
    assert "Scheduled *Kickoff* with *Acme Corp* on Tue 1 Dec 15:00 CST." in reply

    listing = run(world, BOB, "#general", "/meeting", "list")
    assert listing.index("Tue 1 Dec 15:00 CST — *Weekly sync with @bob*") < listing.index("Mon 14 Dec 10:00 CST")
    assert "*Kickoff* · Acme Corp (#3)" in listing
    assert audit_count(world, "meeting.schedule") == 3


def test_reminders_come_one_working_day_and_one_hour_before_once_each_with_two_ticks_at_once(world):
    add_acme(world)
    run(world, ALICE, "#general", "/meeting", "Acme Corp: Weekly sync @bob every tuesday 15:00")
    at(world, local(11, 30, 14, 59))
    assert dms(world, ALICE) == [] and dms(world, BOB) == []

    two_ticks_at_once(world, local(11, 30, 15))
    at(world, local(11, 30, 15, 5))
    for person in (ALICE, BOB):
        [reminder] = dms(world, person)
        assert "Coming up: *Weekly sync @bob* with Acme Corp — Tue 1 Dec 15:00 CST." in reminder
        assert all(label in reminder for label in ("Snooze 30 min", "Snooze 1 h", "Snooze 1 day", "Done"))

    two_ticks_at_once(world, local(12, 1, 14))
    at(world, local(12, 1, 14, 30))
    for person in (ALICE, BOB):
        assert len(dms(world, person)) == 2
        assert "In one hour: *Weekly sync @bob* with Acme Corp — Tue 1 Dec 15:00 CST." in dms(world, person)[-1]

    # Once it has started, the next one is planned and reminded in its turn, still once.
    two_ticks_at_once(world, local(12, 1, 15))
    at(world, local(12, 7, 15))
    at(world, local(12, 7, 15))
    assert "Coming up: *Weekly sync @bob* with Acme Corp — Tue 8 Dec 15:00 CST." in dms(world, BOB)[-1]
    assert len(dms(world, BOB)) == 3
    assert len(rows(world, MeetingOccurrence)) == 2
    assert posts_in(world, SHARED) == []  # the account did not ask for customer reminders


def test_meetings_follow_holidays_and_make_up_working_days(world):
    world.clock.set(local(1, 20, 10))
    add_acme(world)
    reply = run(world, ALICE, "#general", "/meeting",
                "Acme Corp: Monthly review every month on working day 11 at 10:00")
    # February's 11th working day is Saturday 14th, a make-up day before Spring Festival.
    assert "Next: Sat 14 Feb 10:00 CST · Mon 16 Mar 10:00 CST · Thu 16 Apr 10:00 CST." in reply

    world.clock.set(local(2, 10, 16))
    reply = run(world, ALICE, "#general", "/meeting", "Acme Corp: Weekly sync 每周二 15:00")
    # Tuesday 17 Feb is Spring Festival: skipped.
    assert "Next: Tue 24 Feb 15:00 CST · Tue 3 Mar 15:00 CST · Tue 10 Mar 15:00 CST." in reply

    at(world, local(2, 13, 10))  # the working day before the Saturday review
    assert "Coming up: *Monthly review* with Acme Corp — Sat 14 Feb 10:00 CST." in dms(world, ALICE)[-1]
    at(world, local(2, 14, 9))
    assert "In one hour: *Monthly review*" in dms(world, ALICE)[-1]
    at(world, local(2, 14, 10))  # it starts: March's is planned
    at(world, local(2, 14, 15))  # the last working day before the holiday is one working day before Tue 24
    assert "Coming up: *Weekly sync* with Acme Corp — Tue 24 Feb 15:00 CST." in dms(world, ALICE)[-1]
    at(world, local(2, 23, 15))  # Monday 23 Feb is a day off: nothing more
    assert len(dms(world, ALICE)) == 3
    listing = run(world, ALICE, "#general", "/meeting", "list Acme Corp")
    assert "Tue 24 Feb 15:00 CST — *Weekly sync*" in listing and "Mon 16 Mar 10:00 CST — *Monthly review*" in listing


def test_snooze_sends_the_reminder_once_more_at_the_new_time(world):
    add_acme(world)
    run(world, ALICE, "#general", "/meeting", "Acme Corp: Kickoff @bob next tuesday 3pm")
    at(world, local(11, 30, 15))
    seen = len(world.stand_in.ephemerals(user=ALICE))
    first = world.slack.click(ALICE, "Snooze 30 min", ALICE)
    replay(world, first.payload)  # a double click
    notes = [full_text(note) for note in ephemeral_to(world, ALICE, count=seen + 2)[seen:]]
    assert any("Snoozed — I'll remind you again Mon 30 Nov 15:30 CST." in note for note in notes)
    assert any("Already snoozed — I'll remind you again Mon 30 Nov 15:30 CST." in note for note in notes)

    at(world, local(11, 30, 15, 29))
    assert len(dms(world, ALICE)) == 1
    at(world, local(11, 30, 15, 30))
    at(world, local(11, 30, 15, 35))
    assert len(dms(world, ALICE)) == 2
    assert "Snoozed reminder: *Kickoff @bob* with Acme Corp — Tue 1 Dec 15:00 CST." in dms(world, ALICE)[-1]
    assert len(dms(world, BOB)) == 1  # a snooze is personal
    assert audit_count(world, "meeting.snooze") == 1

    # Snoozing the snoozed copy works too, but a meeting recorded as held is not reminded again.
    world.slack.click(ALICE, "Snooze 1 h", ALICE)
    assert "Mon 30 Nov 16:35 CST" in full_text(ephemeral_to(world, ALICE, count=seen + 3)[-1])
    world.slack.click(ALICE, "Done", ALICE)
    world.stand_in.wait_for(lambda: world.stand_in.current_view(ALICE))
    world.slack.submit_view(ALICE, "meeting_minutes", {"minutes_notes": "Held early"})
    at(world, local(11, 30, 16, 40))
    assert len(dms(world, ALICE, "— Tue 1 Dec 15:00 CST")) == 2
    assert "Minutes of *Kickoff @bob* with Acme Corp saved." in dms(world, ALICE)[-1]


def test_a_reminder_snoozed_past_the_start_of_the_meeting_is_not_sent(sqlite_world):
    world = sqlite_world
    add_acme(world)
    run(world, ALICE, "#general", "/meeting", "Acme Corp: Kickoff next tuesday 3pm")
    at(world, local(11, 30, 15))
    world.slack.click(ALICE, "Snooze 1 day", ALICE)  # back at Tue 1 Dec 15:00, when it starts
    at(world, local(12, 1, 14))
    at(world, local(12, 1, 15))
    at(world, local(12, 1, 15, 30))
    assert len(dms(world, ALICE)) == 2 and dms(world, ALICE, "Snoozed reminder") == []
    assert "In one hour: *Kickoff*" in dms(world, ALICE)[-1]


def test_a_cancelled_meeting_is_not_reminded(world):
    add_acme(world)
    run(world, ALICE, "#general", "/meeting", "Acme Corp: Weekly sync every tuesday 15:00")
    reply = run(world, ALICE, "#general", "/meeting", "cancel 1")
    assert "Cancelled *Weekly sync* (meeting 1). Its next occurrence is off, with its reminders." in reply
    assert "already cancelled" in run(world, ALICE, "#general", "/meeting", "cancel 1")
    at(world, local(11, 30, 15))
    at(world, local(12, 1, 15))
    assert dms(world, ALICE) == []
    assert "No meetings planned" in run(world, ALICE, "#general", "/meeting", "list")


def test_bad_input_is_answered_with_examples_and_writes_nothing(sqlite_world):
    world = sqlite_world
    add_acme(world)
    reply = run(world, ALICE, "#general", "/meeting", "Acme Corp: Kickoff some day soon-ish")
    assert "I couldn't read" in reply and "Try for example" in reply and "next tuesday 15:00" in reply
    reply = run(world, ALICE, "#general", "/meeting", "Acme Corp: Review every blue moon")
    assert "as a repeating time" in reply and "every month on working day 10 at 10:00" in reply
    reply = run(world, ALICE, "#general", "/meeting", "Acme Corp: Review every month on working day 40")
    assert "Pick a working day from 1 to 23 of the month" in reply
    reply = run(world, ALICE, "#general", "/meeting", "Acme Corp: Standup today 9:00")
    assert "That time has passed" in reply
    reply = run(world, ALICE, "#general", "/meeting", "Acme Crop: Kickoff tomorrow 3pm")
    assert "No account called “Acme Crop”" in reply
    reply = run(world, ALICE, "#general", "/meeting", "Kickoff tomorrow 3pm")
    assert "Name the account, then a colon" in reply
    assert rows(world, Meeting) == [] and rows(world, MeetingOccurrence) == []
    assert "/meeting Acme Corp: Weekly sync @bob every tuesday 15:00" in run(world, ALICE, "#general", "/meeting", "")


def test_customers_cannot_use_meetings(sqlite_world):
    world = sqlite_world
    add_acme(world)
    for text in ("Acme Corp: Kickoff tomorrow 3pm", "list", "report Acme Corp submitted"):
        assert "only available to the team" in run(world, ERIN, SHARED, "/meeting", text)
    assert rows(world, Meeting) == []


def test_a_fortnightly_meeting_keeps_its_rhythm_once_stored(world):
    add_acme(world)
    reply = run(world, ALICE, "#general", "/meeting", "Acme Corp: 双周会 每两周周三 10:00")
    assert "every other Wednesday at 10:00" in reply
    assert "Next: Wed 2 Dec 10:00 CST · Wed 16 Dec 10:00 CST · Wed 30 Dec 10:00 CST." in reply
    [meeting] = rows(world, Meeting)
    assert meeting.rule == "every other wednesday from 2026-12-02 at 10:00"
    at(world, local(12, 2, 10))  # it starts: the next is two weeks on, not one
    at(world, local(12, 2, 11))
    listing = run(world, ALICE, "#general", "/meeting", "list")
    assert "Wed 16 Dec 10:00 CST — *双周会*" in listing and "9 Dec" not in listing
