"""Service agreements end to end: the modal from `/account`, the review and report Rapport plans period after
period, the review's internal agenda (never in the shared channel), the customer's title-and-time reminder,
and report deadline reminders that stop once the report is submitted.
"""

from __future__ import annotations

from datetime import date

from bot.sandbox.world import World
from storage.care.complaints import Complaint, ComplaintSeverity, ComplaintStatus
from storage.care.praise import Praise
from storage.care.surveys import Survey, SurveyStatus
from storage.rhythm.action_items import ActionItem
from storage.rhythm.agreements import ReportDeadline
from storage.rhythm.meetings import MeetingOccurrence
from tests.conftest import WORLD_START
from tests.databases import fresh_sqlite_url
from tests.expect import ephemeral_to, full_text, posts_in, run
from tests.rhythm.steps import (
    ALICE,
    BOB,
    CAROL,
    ERIN,
    SHARED,
    acme,
    add_acme,
    at,
    audit_count,
    local,
    reminder_dms,
    replay,
    rows,
    two_ticks_at_once,
)


def set_agreement(world, *, shared: bool = False, **fields: str) -> str:
    """Open the agreement modal with `/account agreement Acme Corp`, submit it, and return the receipt."""
    seen = len(world.stand_in.ephemerals(user=ALICE))
    world.slack.command(ALICE, "#general", "/account", "agreement Acme Corp")
    world.stand_in.wait_for(lambda: world.stand_in.current_view(ALICE))
    values: dict[str, str | list[str]] = {f"agreement_field_{name}": value for name, value in fields.items()}
    values["agreement_field_shared"] = ["on"] if shared else []
    world.slack.submit_view(ALICE, "agreement", values)
    return full_text(ephemeral_to(world, ALICE, count=seen + 1)[-1])


def test_the_agreement_plans_the_review_and_the_report_period_after_period(world):
    add_acme(world)
    view = run(world, ALICE, "#general", "/account", "Acme Corp")
    assert "*Service agreement:* not set" in view
    world.slack.click(ALICE, "Set service agreement…", "#general")
    modal = world.stand_in.wait_for(lambda: world.stand_in.current_view(ALICE))
    assert modal["callback_id"] == "agreement"
    world.slack.close_view(ALICE)

    receipt = set_agreement(world)  # the defaults: monthly, report by working day 5, review by working day 10
    assert "monthly — service report by working day 5 of the next period, review meeting by working day 10" in receipt
    assert "Next review meeting: Mon 14 Dec 10:00 CST (reviewing November 2026)." in receipt
    assert "Next service report due: Mon 7 Dec 18:00 CST (on November 2026)." in receipt
    assert "*Next review meeting:* Mon 14 Dec 10:00 CST" in run(world, ALICE, "#general", "/account", "Acme Corp")
    assert audit_count(world, "agreement.save") == 1

    # Once each is due, the next period's is planned, once, however many ticks run.
    two_ticks_at_once(world, local(12, 7, 18))
    two_ticks_at_once(world, local(12, 14, 10))
    deadlines = rows(world, ReportDeadline)
    assert [(d.period_start.isoformat(), d.status) for d in deadlines] == [("2026-11-01", "pending"),
                                                                         ("2026-12-01", "pending")]
    reviews = rows(world, MeetingOccurrence)
    assert [r.period_start for r in reviews] == [date(2026, 11, 1), date(2026, 12, 1)]
    listing = run(world, ALICE, "#general", "/meeting", "list Acme Corp")
    assert "*Service review*" in listing and "report on December 2026 due" in listing

    # A changed agreement re-plans what is still to come.
    world.clock.set(local(12, 15, 10))
    receipt = set_agreement(world, report_day="3", review_day="4", review_time="15:30")
    assert "report by working day 3" in receipt and "review meeting by working day 4 at 15:30" in receipt
    assert len([d for d in rows(world, ReportDeadline) if d.status == "pending"]) == 2  # November's is still owed
    to_come = [r for r in rows(world, MeetingOccurrence) if r.status == "scheduled" and r.starts_at > world.now()]
    assert [r.starts_at for r in to_come] == [local(1, 7, 15, 30, year=2027)]  # January's 4th working day


def test_a_bad_field_is_shown_in_the_modal_and_nothing_is_saved(sqlite_world):
    world = sqlite_world
    add_acme(world)
    world.slack.command(ALICE, "#general", "/account", "agreement Acme Corp")
    world.stand_in.wait_for(lambda: world.stand_in.current_view(ALICE))
    world.slack.submit_view(ALICE, "agreement", {"agreement_field_review_day": "30"})
    assert world.stand_in.current_view(ALICE)["errors"] == {"agreement_field_review_day": "A working day from 1 to 23."}
    world.slack.submit_view(ALICE, "agreement", {"agreement_field_review_time": "half past ten"})
    assert world.stand_in.current_view(ALICE)["errors"] == {
        "agreement_field_review_time": "A time of day such as 10:00."}
    assert rows(world, ReportDeadline) == [] and rows(world, MeetingOccurrence) == []
    assert "only available to the team" in run(world, ERIN, SHARED, "/account", "agreement Acme Corp")


def seed_november(world) -> None:
    """November at Acme: two complaints (one resolved, one still open), a survey answer of 4, a praise, an open
    action."""
    with world.services.db.session() as session:
        account = acme(session)
        assert account.id is not None
        for summary, status, severity, day in (("The VPN drops every hour", ComplaintStatus.RESOLVED,
                                                ComplaintSeverity.NORMAL, 10),
                                               ("Backups fail nightly", ComplaintStatus.OPEN, ComplaintSeverity.HIGH,
                                                20)):
            opened = local(11, day, 11)
            session.add(Complaint(account_id=account.id, summary=summary, status=status, severity=severity,
                                  created_by=ALICE, created_at=opened, updated_at=opened, clock_started_at=opened,
                                  resolved_at=local(11, day + 2, 11) if status == ComplaintStatus.RESOLVED else None))
        session.add(Survey(account_id=account.id, respondent_id=ERIN, status=SurveyStatus.ANSWERED, score=4,
                           send_at=local(11, 14, 10), answered_at=local(11, 15, 10), created_by=ALICE,
                           created_at=local(11, 14, 10)))
        session.add(Praise(giver_id=ERIN, logged_by=ALICE, reason="Great work on the VPN", account_id=account.id,
                           created_at=local(11, 16, 10)))
        session.add(ActionItem(account_id=account.id, text="Add a second VPN tunnel", owner_id=BOB,
                               due_at=local(12, 18, 7, 30), created_by=ALICE, created_at=local(11, 20, 12)))


def test_the_review_reminder_carries_the_internal_agenda_and_the_customer_sees_only_title_and_time(world):
    add_acme(world)
    seed_november(world)
    set_agreement(world, shared=True)

    two_ticks_at_once(world, local(12, 11, 10))  # Friday: one working day before Monday 14 Dec
    [reminder] = reminder_dms(world, ALICE)
    assert "Coming up: *Service review* with Acme Corp — Mon 14 Dec 10:00 CST." in reminder
    assert "Agenda — review of November 2026" in reminder
    assert "Complaints: 2 opened · 1 resolved · 0 breached an SLA" in reminder
    assert "Satisfaction: CSAT 4.0/5 from 1 answer" in reminder and "Praise received: 1" in reminder
    assert "(🟠 high) Backups fail nightly" in reminder
    assert "Add a second VPN tunnel — <@U0BOB>, due Fri 18 Dec 2026" in reminder  # 07:30 in Shanghai, the 17th in UTC

    [customer] = posts_in(world, SHARED)
    assert full_text(customer).startswith("Reminder: Service review — Mon 14 Dec 10:00 CST\n")
    for internal in ("Agenda", "Complaints", "Backups", "CSAT", "VPN", "Snooze", "Done"):
        assert internal not in full_text(customer)

    at(world, local(12, 14, 9))
    latest = reminder_dms(world, ALICE)[-1]
    assert "In one hour: *Service review*" in latest and "Agenda" not in latest
    assert len(posts_in(world, SHARED)) == 1
    assert reminder_dms(world, BOB) == []  # the review reminds the account's owner


def test_report_reminders_come_two_working_days_before_and_stop_once_submitted(world):
    add_acme(world)
    set_agreement(world)
    at(world, local(12, 3, 8, 59))
    assert reminder_dms(world, ALICE) == []
    two_ticks_at_once(world, local(12, 3, 9))
    [before] = reminder_dms(world, ALICE)
    assert ("The service report of *Acme Corp* on November 2026 is due Mon 7 Dec 18:00 CST, in two working days."
            in before)

    seen = len(world.stand_in.ephemerals(user=ALICE))
    first = world.slack.click(ALICE, "Report submitted", ALICE)
    replay(world, first.payload)  # a double click
    assert "was already marked submitted by <@U0ALICE>" in full_text(ephemeral_to(world, ALICE, count=seen + 1)[-1])
    world.stand_in.wait_for(lambda: "was submitted by <@U0ALICE>" in reminder_dms(world, ALICE)[0])
    assert "Report submitted" not in reminder_dms(world, ALICE)[0]
    assert audit_count(world, "report.submit") == 1

    at(world, local(12, 7, 9))  # the due day: nothing more, it is in
    assert len(reminder_dms(world, ALICE)) == 1

    # December's report: planned once November's was due; marked submitted from the command line.
    at(world, local(12, 7, 18))
    reply = run(world, ALICE, "#general", "/meeting", "report Acme Corp submitted")
    assert "Recorded: the service report of *Acme Corp* on December 2026 is submitted. Its reminders stop." in reply
    assert "No service report of *Acme Corp* is waiting" in run(world, ALICE, "#general", "/meeting",
                                                                  "report Acme Corp submitted")
    assert [d.submitted_by for d in rows(world, ReportDeadline)] == [ALICE, ALICE]


def test_an_unsubmitted_report_is_reminded_on_its_due_day_too(sqlite_world):
    world = sqlite_world
    add_acme(world)
    set_agreement(world)
    at(world, local(12, 3, 9))
    at(world, local(12, 7, 9))
    at(world, local(12, 7, 12))
    assert len(reminder_dms(world, ALICE)) == 2
    assert "Due today: the service report of *Acme Corp* on November 2026 — by Mon 7 Dec 18:00 CST." in reminder_dms(
        world, ALICE)[-1]


def test_a_deadline_moved_by_a_changed_agreement_is_reminded_for_its_new_date(sqlite_world):
    world = sqlite_world
    add_acme(world)
    set_agreement(world)
    at(world, local(12, 3, 9))
    assert "is due Mon 7 Dec 18:00 CST, in two working days" in reminder_dms(world, ALICE)[-1]
    world.clock.set(local(12, 3, 10))
    set_agreement(world, report_day="8")  # November's report now due Thu 10 Dec
    at(world, local(12, 8, 9))
    assert len(reminder_dms(world, ALICE)) == 2
    assert "is due Thu 10 Dec 18:00 CST, in two working days" in reminder_dms(world, ALICE)[-1]
    at(world, local(12, 10, 9))
    assert "Due today: the service report of *Acme Corp* on November 2026 — by Thu 10 Dec 18:00 CST." in reminder_dms(
        world, ALICE)[-1]


def test_a_deadline_planned_again_after_a_change_back_is_reminded(sqlite_world):
    world = sqlite_world
    add_acme(world)
    set_agreement(world)
    set_agreement(world, cycle="week", report_day="1", review_day="2")  # November's monthly report is cancelled…
    set_agreement(world, cycle="month", report_day="5", review_day="10")  # …and owed again
    at(world, local(12, 3, 9))
    assert reminder_dms(world, ALICE, "is due Mon 7 Dec 18:00 CST, in two working days")


def test_report_reminders_of_an_account_without_owner_go_to_the_managers(world):
    add_acme(world)
    set_agreement(world)
    with world.services.db.session() as session:
        account = acme(session)
        account.owner_id = None
        session.add(account)
    at(world, local(12, 3, 9))
    assert reminder_dms(world, ALICE) == []
    [before] = reminder_dms(world, CAROL)  # the manager
    assert "The service report of *Acme Corp* on November 2026 is due Mon 7 Dec 18:00 CST" in before
    assert audit_count(world, "report.remind") == 1


def test_a_report_reminder_with_nobody_to_send_it_to_is_not_recorded_as_sent(sqlite_template, tmp_path):
    with World(fresh_sqlite_url(sqlite_template, tmp_path), start=WORLD_START, rapport_managers=[]) as world:
        add_acme(world)
        set_agreement(world)
        with world.services.db.session() as session:
            account = acme(session)
            account.owner_id = None
            session.add(account)
        at(world, local(12, 3, 9))
        assert world.stand_in.dm_messages(ALICE) == [] and audit_count(world, "report.remind") == 0
