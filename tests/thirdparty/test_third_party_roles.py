"""Third-party accounts: their role (auditor, supervisor, certification body, vendor), and contacts and
meetings as for customers, end to end over signed HTTP."""

from __future__ import annotations

from datetime import timedelta

from storage.accounts import Account
from tests.expect import run
from tests.rhythm.steps import ALICE, BOB, CAROL, ERIN, SHARED, add_acme, audit_count, dms, rows


def test_a_third_party_role_is_given_at_creation_changed_shown_and_audited(world):
    added = run(world, CAROL, "#general", "/account", "add AuditCo third-party auditor")
    assert "Added third party (auditor) account *AuditCo*" in added
    assert "*Kind:* third party (auditor)" in run(world, BOB, "#general", "/account", "AuditCo")

    changed = run(world, CAROL, "#general", "/account", "set AuditCo role certification body")
    assert "*AuditCo*: role is now certification body (was auditor)." in changed
    assert "*Kind:* third party (certification body)" in run(world, BOB, "#general", "/account", "AuditCo")
    assert "• *AuditCo* — third party (certification body)" in run(world, BOB, "#general", "/account", "list")

    cleared = run(world, CAROL, "#general", "/account", "set AuditCo role none")
    assert "*AuditCo*: role is now not set (was certification body)." in cleared
    assert "*Kind:* third party ·" in run(world, BOB, "#general", "/account", "AuditCo")
    assert audit_count(world, "account.set.role") == 2

    wrong = run(world, CAROL, "#general", "/account", "set AuditCo role inspector")
    assert "“inspector” is not a third-party role. Use auditor, supervisor, certification-body, vendor" in wrong
    settings = run(world, CAROL, "#general", "/account", "set AuditCo")
    assert "*role*: not set — `/account set AuditCo role auditor|supervisor|certification-body|vendor|none`" in settings
    assert audit_count(world, "account.set.role") == 2


def test_only_third_parties_have_a_role(sqlite_world):
    world = sqlite_world
    add_acme(world)
    refused = run(world, ALICE, "#general", "/account", "set Acme Corp role auditor")
    assert "*Acme Corp* is a customer account: only third party accounts have a role." in refused
    assert "*role*" not in run(world, ALICE, "#general", "/account", "set Acme Corp")
    # A name that merely ends in kind-like words stays whole, as before.
    run(world, ALICE, "#general", "/account", "add Foo customer care")
    assert "*Kind:* customer" in run(world, ALICE, "#general", "/account", "Foo customer care")
    assert [a.third_party_role for a in rows(world, Account)] == [None, None]
    assert audit_count(world, "account.set.role") == 0


def test_external_users_cannot_set_a_role(sqlite_world):
    world = sqlite_world
    add_acme(world)
    run(world, ALICE, "#general", "/account", "add AuditCo third-party")
    assert "only available to the team" in run(world, ERIN, SHARED, "/account", "set AuditCo role vendor")
    assert "*Kind:* third party ·" in run(world, ALICE, "#general", "/account", "AuditCo")
    assert audit_count(world, "account.set.role") == 0


def test_contacts_and_meetings_work_for_a_third_party_as_for_a_customer(sqlite_world):
    world = sqlite_world  # Friday 27 Nov 2026, 10:00 in Shanghai
    run(world, ALICE, "#general", "/account", "add AuditCo third-party supervisor")
    logged = run(world, ALICE, "#general", "/contact", "AuditCo: call about the surveillance audit scope")
    assert "Logged a contact with AuditCo — next due by Sun 27 Dec" in logged
    view = run(world, ALICE, "#general", "/account", "AuditCo")
    assert "*Last touchpoint:* Fri 27 Nov · *Cadence:* every 30 days · next due by Sun 27 Dec" in view

    scheduled = run(world, ALICE, "#general", "/meeting", "AuditCo: Audit kickoff next tuesday 3pm")
    assert "Scheduled *Audit kickoff* with *AuditCo* on Tue 1 Dec 15:00 CST." in scheduled
    world.advance(timedelta(days=3, hours=5))  # Monday 30 Nov, 15:00: one working day before
    [reminder] = dms(world, ALICE)
    assert "Coming up: *Audit kickoff* with AuditCo — Tue 1 Dec 15:00 CST." in reminder
    world.advance(timedelta(hours=23))  # Tuesday 14:00: one hour before
    assert len(dms(world, ALICE)) == 2
    assert "In one hour: *Audit kickoff* with AuditCo — Tue 1 Dec 15:00 CST." in dms(world, ALICE)[-1]
