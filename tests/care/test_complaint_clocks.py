"""Complaints over time, end to end: SLA warnings and escalations, surveys and closing, the account flag."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from storage.care.surveys import Survey, SurveyStatus
from tests.care.complaint_steps import (
    ESCALATIONS,
    INTERNAL,
    SHARED,
    audit_rows,
    click,
    complaints,
    setup_acme,
    texts,
    wait_for_card,
)
from tests.expect import full_text, last_ephemeral_text, posts_in, run

# SLA clocks


def test_the_owner_is_warned_at_80_percent_and_a_breach_is_escalated_once_across_a_weekend(world):
    setup_acme(world)
    world.advance(timedelta(hours=7, minutes=30))  # Fri 27 Nov 17:30 CST, half an hour before closing
    reply = run(world, "U0BOB", "#general", "/complaint", "Acme Corp: the portal is down !critical")
    assert "Acknowledge by Mon 30 Nov 09:30 CST, resolve by Mon 30 Nov 12:30 CST" in reply
    click(world, "U0BOB", "I'll take it")
    world.advance(timedelta(hours=16, minutes=30))  # Sat 10:00: the clock stopped at Friday's closing
    assert world.stand_in.dm_messages("U0BOB") == []
    world.advance(timedelta(hours=47, minutes=20))  # Mon 09:20, past 80% of the hour
    [warning] = world.stand_in.dm_messages("U0BOB")
    assert "must be acknowledged by Mon 30 Nov 09:30 CST — 80% of its time has gone" in full_text(warning)
    assert posts_in(world, ESCALATIONS) == []
    world.advance(timedelta(minutes=11))  # Mon 09:31
    world.tick()
    [escalation] = posts_in(world, ESCALATIONS)
    assert "SLA breached: complaint #1 (Acme Corp, 🔴 critical) was not acknowledged by Mon 30 Nov 09:30 CST" in \
        full_text(escalation)
    assert "Owner: <@U0BOB>" in escalation["text"]
    assert len(world.stand_in.dm_messages("U0BOB")) == 2 and len(world.stand_in.dm_messages("U0CAROL")) == 1
    assert "overdue since Mon 30 Nov 09:30 CST" in full_text(wait_for_card(world, edits=2))
    assert audit_rows(world, "complaint.sla_breach") == 1
    assert "1 past their SLA" in run(world, "U0ALICE", "#general", "/account", "Acme Corp")


def test_the_clocks_follow_the_chinese_calendar_with_its_make_up_saturday_and_holiday(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    world.clock.set(datetime(2026, 2, 13, 8, 0, tzinfo=UTC))  # Fri 13 Feb 2026 16:00 CST
    reply = run(world, "U0BOB", "#general", "/complaint", "Acme Corp: backups failed !high")
    # Sat 14 Feb is an official working day; 15–23 Feb are the Spring Festival holiday.
    assert "Acknowledge by Sat 14 Feb 11:00 CST, resolve by Wed 25 Feb 13:00 CST" in reply
    world.advance(timedelta(hours=18, minutes=15))  # Sat 10:15
    [warning] = world.stand_in.dm_messages("U0ALICE")  # nobody took it: the account's owner hears
    assert "must be acknowledged by Sat 14 Feb 11:00 CST" in full_text(warning)
    world.advance(timedelta(minutes=46))  # Sat 11:01
    assert len(world.stand_in.wait_for(lambda: posts_in(world, ESCALATIONS))) == 1
    assert [len(world.stand_in.dm_messages(u)) for u in ("U0ALICE", "U0CAROL")] == [2, 1]
    click(world, "U0BOB", "Acknowledge")
    world.advance(timedelta(days=9))  # Mon 23 Feb, still the holiday: nothing more is due
    assert len(posts_in(world, ESCALATIONS)) == 1


def test_a_breach_is_sent_once_when_two_ticks_run_at_the_same_moment(world):
    setup_acme(world)
    run(world, "U0BOB", "#general", "/complaint", "Acme Corp: the portal is down !critical")
    click(world, "U0BOB", "I'll take it")
    world.clock.advance(timedelta(hours=1, minutes=5))
    start = threading.Barrier(2)

    def tick() -> None:
        start.wait()
        world.tick()

    ticks = [threading.Thread(target=tick) for _ in range(2)]
    for thread in ticks:
        thread.start()
    for thread in ticks:
        thread.join()
    world.tick()  # and once more, as a repeated tick would
    assert len(posts_in(world, ESCALATIONS)) == 1
    assert [len(world.stand_in.dm_messages(u)) for u in ("U0BOB", "U0CAROL")] == [1, 1]
    assert audit_rows(world, "complaint.sla_breach") == 1
    assert audit_rows(world, "complaint.sla_warning") == 0  # the tick came after the deadline: escalation only


def test_per_account_sla_targets_apply_to_new_complaints(sqlite_world):
    world = sqlite_world
    setup_acme(world, sla="critical 2h/8h")
    reply = run(world, "U0ALICE", "#general", "/complaint", "Acme Corp: all down !critical")
    assert "Acknowledge by Fri 27 Nov 12:00 CST, resolve by Fri 27 Nov 18:00 CST" in reply
    shown = run(world, "U0ALICE", "#general", "/account", "set Acme Corp sla critical default")
    assert "critical 1h/4h" in shown
    assert "is shared with another organisation" in run(world, "U0ALICE", "#general", "/account",
                                                         "set Acme Corp channel #acme-shared")
    assert "SLA targets are between" in run(world, "U0ALICE", "#general", "/account", "set Acme Corp sla low 0m/1h")


def test_a_reopened_complaint_cancels_its_pending_survey(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    world.slack.say("U0ERIN", "#acme-shared", "The VPN is down")
    world.slack.message_shortcut("U0ALICE", "#acme-shared", "log_complaint")
    world.stand_in.wait_for(lambda: world.stand_in.current_view("U0ALICE"))
    world.slack.submit_view("U0ALICE", "complaint_new", {"complaint_account": "Acme Corp",
                                                        "complaint_summary": "The VPN is down"})
    wait_for_card(world)
    world.slack.click("U0BOB", "Resolve", INTERNAL)
    world.stand_in.wait_for(lambda: world.stand_in.current_view("U0BOB"))
    world.slack.submit_view("U0BOB", "complaint_resolve", {"complaint_resolution": "Restarted the gateway"})
    assert "<@U0ERIN> will get a short satisfaction survey" in last_ephemeral_text(world, "U0BOB")
    click(world, "U0ALICE", "Reopen")
    with world.services.db.session() as session:
        [survey] = session.exec(select(Survey)).all()
    assert survey.status == SurveyStatus.CANCELLED
    world.advance(timedelta(hours=3))
    assert posts_in(world, SHARED) == [] and world.stand_in.dm_messages("U0ERIN") == []


def test_a_resolved_complaint_closes_when_its_survey_time_is_over(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    run(world, "U0ALICE", "#general", "/complaint", "Acme Corp: invoices are wrong !low")
    wait_for_card(world)
    world.slack.click("U0BOB", "Resolve", INTERNAL)
    world.stand_in.wait_for(lambda: world.stand_in.current_view("U0BOB"))
    world.slack.submit_view("U0BOB", "complaint_resolve", {"complaint_resolution": "Credit note sent"})
    wait_for_card(world, edits=1, showing="Resolved")
    world.advance(timedelta(days=7))
    assert complaints(world)[0].status == "resolved"
    world.advance(timedelta(hours=2))
    assert "*Closed*" in full_text(wait_for_card(world, edits=2))
    assert complaints(world)[0].status == "closed"
    assert "Reopened complaint #1" in click(world, "U0ALICE", "Reopen")


# The account flag


def test_a_third_complaint_within_30_days_flags_the_account_once(world):
    setup_acme(world)
    for summary in ("the VPN drops", "the portal is slow"):
        run(world, "U0BOB", "#general", "/complaint", f"Acme Corp: {summary} !low")
        world.advance(timedelta(days=10))
    reply = run(world, "U0BOB", "#general", "/complaint", "Acme Corp: invoices are wrong !low")
    assert "the account is flagged" in reply
    flags = world.stand_in.wait_for(lambda: [t for t in texts(posts_in(world, ESCALATIONS)) if "⚑" in t])
    assert "*Acme Corp* has raised 3 complaints in the last 30 days" in flags[0]
    assert any("⚑" in t for t in texts(world.stand_in.dm_messages("U0ALICE")))
    run(world, "U0BOB", "#general", "/complaint", "Acme Corp: and again !low")
    assert len([t for t in texts(posts_in(world, ESCALATIONS)) if "⚑" in t]) == 1
    assert "⚑ flagged" in run(world, "U0ALICE", "#general", "/account", "Acme Corp")
    assert audit_rows(world, "account.complaint_flag") == 1
