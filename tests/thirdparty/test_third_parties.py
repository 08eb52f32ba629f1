"""/thirdparty: 5W1H sharing agreements, sharing refused or allowed, and requests with reminders, end to end."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from bot.sandbox.stand_in import BOT_USER_ID, Channel
from bot.sandbox.world import World
from storage.platform.audit import AuditLog
from storage.thirdparty.requests import ThirdPartyRequest
from storage.thirdparty.sharing import SharingAgreement
from tests.conftest import WORLD_START
from tests.databases import fresh_sqlite_url
from tests.expect import full_text, last_ephemeral_text, posts_in, run
from tests.rhythm.steps import replay

AUDIT = "C0AUDIT"




def add_auditco(world: World) -> None:
    """AuditCo, a third party owned by Carol, with a channel shared with it."""
    world.stand_in.workspace.add_channel(Channel(AUDIT, "auditco-shared", [BOT_USER_ID, "U0ALICE", "U0BOB", "U0CAROL",
                                                                           "U0ERIN"], is_ext_shared=True))
    run(world, "U0CAROL", "#general", "/account", "add AuditCo third-party")
    run(world, "U0CAROL", "#auditco-shared", "/account", "link AuditCo")


def agree(world: World, **values: object) -> None:
    """Carol records an agreement: complaints, in AuditCo's channel, shared by Alice, approved by Carol."""
    world.slack.command("U0CAROL", "#general", "/thirdparty", "agree AuditCo")
    modal = world.stand_in.wait_for(lambda: world.stand_in.current_view("U0CAROL"))
    assert modal is not None and modal["callback_id"] == "sharing_agreement"
    world.slack.submit_view("U0CAROL", "sharing_agreement", {
        "sharing_why": "ISO 20000 surveillance audit", "sharing_what": ["complaints"], "sharing_who": ["U0ALICE"],
        "sharing_approver": "U0CAROL", **values})


def rows(world: World, table: type) -> int:
    with world.services.db.session() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def test_sharing_is_refused_without_an_agreement_and_allowed_with_one(world):
    add_auditco(world)
    refused = run(world, "U0ALICE", "#auditco-shared", "/thirdparty", "share AuditCo complaints")
    assert "Not shared with AuditCo:\n• there is no information-sharing agreement with AuditCo yet" in refused
    assert posts_in(world, AUDIT) == []

    agree(world)
    recorded = last_ephemeral_text(world, "U0CAROL", count=3)
    assert "Recorded information-sharing agreement #1 with *AuditCo*" in recorded
    assert "ISO 20000 surveillance audit" in recorded and "<#C0AUDIT>" in recorded

    shared = run(world, "U0ALICE", "#auditco-shared", "/thirdparty", "share AuditCo complaints")
    assert "Shared the complaints summary in <#C0AUDIT> under agreement #1" in shared
    [summary] = posts_in(world, AUDIT)
    assert "Open complaints: *0*" in full_text(summary) and "agreement #1" in full_text(summary)

    kind = run(world, "U0ALICE", "#auditco-shared", "/thirdparty", "share AuditCo disputes")
    assert "• agreement #1 covers complaints, not disputes" in kind
    who = run(world, "U0BOB", "#auditco-shared", "/thirdparty", "share AuditCo complaints")
    assert "Not shared with AuditCo:\n• you are not among the people agreement #1 allows to share: only <@U0ALICE>" \
        in who
    where = run(world, "U0ALICE", "#general", "/thirdparty", "share AuditCo complaints")
    assert "• agreement #1 shares in <#C0AUDIT> only, not in <#C0GENERAL>" in where
    assert len(posts_in(world, AUDIT)) == 1 and posts_in(world, "C0GENERAL") == []
    with world.services.db.session() as session:
        shares = session.exec(select(func.count()).select_from(AuditLog).where(
            AuditLog.action == "sharing.share")).one()
    assert shares == 1


def test_an_ended_agreement_or_one_for_business_hours_says_so(sqlite_world):
    world = sqlite_world
    add_auditco(world)
    today = world.now().date().isoformat()
    agree(world, sharing_until=today, sharing_when="business-hours", sharing_how="email")
    world.clock.advance(timedelta(days=1, hours=12))  # Sat 28 Nov, 22:00 in Shanghai
    refused = run(world, "U0ALICE", "#auditco-shared", "/thirdparty", "share AuditCo complaints")
    assert f"• agreement #1 ended on {today}" in refused
    assert "• agreement #1 allows sharing in business hours only, and it is outside them now" in refused
    assert "• agreement #1 shares by email, not by slack" in refused
    assert posts_in(world, AUDIT) == []


def test_the_agreement_form_refuses_an_approver_who_is_not_a_manager(sqlite_world):
    world = sqlite_world
    add_auditco(world)
    agree(world, sharing_approver="U0BOB")
    errors = world.stand_in.current_view("U0CAROL")["errors"]
    assert "A manager approves sharing agreements: <@U0CAROL>" in errors["sharing_approver"]
    world.slack.submit_view("U0CAROL", "sharing_agreement", {
        "sharing_why": "audit", "sharing_what": ["complaints"], "sharing_who": ["U0ALICE"],
        "sharing_approver": "U0CAROL", "sharing_where": "C0ACMESHR"})
    world.stand_in.wait_for(lambda: world.stand_in.current_view("U0CAROL") is None)
    assert rows(world, SharingAgreement) == 1


def test_a_request_is_read_in_plain_language_and_reminded_on_the_due_day_and_once_overdue(world):
    add_auditco(world)
    reply = run(world, "U0ALICE", "#general", "/thirdparty",
                "request AuditCo: evidence of the Q3 restore test by next friday")
    assert "Logged request #1 from *AuditCo*, due *Fri 4 Dec 18:00 CST*" in reply

    def reminders(user: str, words: str) -> list[dict[str, Any]]:
        return [m for m in world.stand_in.dm_messages(user) if words in full_text(m)]

    world.advance(timedelta(days=6, hours=22, minutes=59))  # Fri 4 Dec 08:59
    assert reminders("U0ALICE", "Due today") == []
    world.advance(timedelta(minutes=1))
    world.stand_in.wait_for(lambda: reminders("U0ALICE", "Due today"))
    world.tick()
    world.advance(timedelta(hours=8, minutes=59))  # 17:59
    assert len(reminders("U0ALICE", "Due today")) == 1 and reminders("U0ALICE", "Overdue") == []
    world.advance(timedelta(minutes=1))
    world.stand_in.wait_for(lambda: reminders("U0CAROL", "Overdue"))
    world.tick()
    world.advance(timedelta(days=3))
    assert len(reminders("U0ALICE", "Overdue")) == 1 and len(reminders("U0CAROL", "Overdue")) == 1
    assert "evidence of the Q3 restore test" in run(world, "U0BOB", "#general", "/thirdparty", "requests")

    seen = len(world.stand_in.ephemerals(user="U0ALICE"))
    world.slack.click("U0ALICE", "Mark done", "U0ALICE")
    assert "Request #1 from AuditCo is done" in last_ephemeral_text(world, "U0ALICE", count=seen + 1)
    assert "already done" in run(world, "U0ALICE", "#general", "/thirdparty", "done 1")
    assert "No open requests" in run(world, "U0ALICE", "#general", "/thirdparty", "requests")


def test_requests_with_bad_text_write_nothing(sqlite_world):
    world = sqlite_world
    add_auditco(world)
    assert "By when?" in run(world, "U0ALICE", "#general", "/thirdparty", "request AuditCo: evidence")
    assert "couldn't read" in run(world, "U0ALICE", "#general", "/thirdparty",
                                  "request AuditCo: evidence by the twelfth of never")
    run(world, "U0ALICE", "#general", "/account", "add Netcom supplier")
    assert "*Netcom* is a supplier account, not a third party" in run(world, "U0ALICE", "#general", "/thirdparty",
                                                                    "request Netcom: x by friday")
    assert rows(world, ThirdPartyRequest) == 0


def test_the_overview_shows_agreements_and_requests(sqlite_world):
    world = sqlite_world
    add_auditco(world)
    assert "No information-sharing agreement yet" in run(world, "U0ALICE", "#general", "/thirdparty", "AuditCo")
    agree(world)
    run(world, "U0ALICE", "#general", "/thirdparty", "request AuditCo: the DR plan by monday")
    overview = run(world, "U0ALICE", "#general", "/thirdparty", "AuditCo")
    assert "Agreement #1" in overview and "the DR plan" in overview and "ISO 20000" in overview


def test_an_external_user_is_refused_every_third_party_command(world):
    add_auditco(world)
    agree(world)
    for text in ("", "share AuditCo complaints", "request AuditCo: all your data by friday", "requests",
                 "AuditCo", "agree AuditCo", "done 1"):
        assert "only available to the team" in run(world, "U0ERIN", "#auditco-shared", "/thirdparty", text)
    assert world.stand_in.current_view("U0ERIN") is None
    assert posts_in(world, AUDIT) == [] and rows(world, ThirdPartyRequest) == 0 and rows(world, SharingAgreement) == 1


def propose(world: World, user: str = "U0ALICE", approver: str = "U0CAROL") -> None:
    """Someone records an agreement for complaints in AuditCo's channel, naming an approver."""
    world.slack.command(user, "#general", "/thirdparty", "agree AuditCo")
    world.stand_in.wait_for(lambda: world.stand_in.current_view(user))
    world.slack.submit_view(user, "sharing_agreement", {
        "sharing_why": "ISO 20000 surveillance audit", "sharing_what": ["complaints"], "sharing_who": ["U0ALICE"],
        "sharing_approver": approver})


def audit_rows(world: World, action: str) -> int:
    with world.services.db.session() as session:
        return session.exec(select(func.count()).select_from(AuditLog).where(AuditLog.action == action)).one()


def test_an_agreement_counts_only_once_the_manager_named_approves_it(world):
    add_auditco(world)
    propose(world)
    receipt = last_ephemeral_text(world, "U0ALICE", count=1)
    assert "Recorded information-sharing agreement #1 with *AuditCo*; <@U0CAROL> is asked to approve it." in receipt
    [ask] = world.stand_in.wait_for(lambda: world.stand_in.dm_messages("U0CAROL"))
    assert "<@U0ALICE> asks you to approve information-sharing agreement #1 with *AuditCo*" in full_text(ask)
    assert "ISO 20000 surveillance audit" in full_text(ask)

    refused = run(world, "U0ALICE", "#auditco-shared", "/thirdparty", "share AuditCo complaints")
    assert "Not shared with AuditCo:\n• agreement #1 is not approved yet: it waits for <@U0CAROL>" in refused
    assert "waiting for approval by <@U0CAROL>" in run(world, "U0BOB", "#general", "/thirdparty", "AuditCo")
    assert posts_in(world, AUDIT) == []

    seen = len(world.stand_in.ephemerals(user="U0CAROL"))
    approval = world.slack.click("U0CAROL", "Approve", "U0CAROL")
    assert "You approved agreement #1 with AuditCo; <@U0ALICE> is told." in last_ephemeral_text(
        world, "U0CAROL", count=seen + 1)
    told = world.stand_in.wait_for(lambda: world.stand_in.dm_messages("U0ALICE"))
    assert "Your information-sharing agreement #1 with *AuditCo* was approved by <@U0CAROL>." in full_text(told[-1])
    world.stand_in.wait_for(lambda: "is approved by <@U0CAROL>" in full_text(world.stand_in.dm_messages("U0CAROL")[0]))
    assert "Approve" not in full_text(world.stand_in.dm_messages("U0CAROL")[0])

    replay(world, approval.payload)  # a double click
    assert "already approved by <@U0CAROL>" in last_ephemeral_text(world, "U0CAROL", count=seen + 2)
    assert audit_rows(world, "sharing.agree") == 1 and audit_rows(world, "sharing.approve") == 1
    assert len(world.stand_in.dm_messages("U0ALICE")) == 1

    shared = run(world, "U0ALICE", "#auditco-shared", "/thirdparty", "share AuditCo complaints")
    assert "Shared the complaints summary in <#C0AUDIT> under agreement #1" in shared


def test_a_declined_agreement_allows_nothing(sqlite_world):
    world = sqlite_world
    add_auditco(world)
    propose(world)
    world.stand_in.wait_for(lambda: world.stand_in.dm_messages("U0CAROL"))
    world.slack.click("U0CAROL", "Decline", "U0CAROL")
    told = world.stand_in.wait_for(lambda: world.stand_in.dm_messages("U0ALICE"))
    assert "Your information-sharing agreement #1 with *AuditCo* was declined by <@U0CAROL>." in full_text(told[-1])
    refused = run(world, "U0ALICE", "#auditco-shared", "/thirdparty", "share AuditCo complaints")
    assert "there is no information-sharing agreement with AuditCo yet" in refused
    assert posts_in(world, AUDIT) == [] and audit_rows(world, "sharing.decline") == 1


def test_without_managers_no_agreement_can_be_recorded(sqlite_template, tmp_path):
    with World(fresh_sqlite_url(sqlite_template, tmp_path), start=WORLD_START, rapport_managers=[]) as world:
        add_auditco(world)
        reply = run(world, "U0ALICE", "#general", "/thirdparty", "agree AuditCo")
        assert "none is configured: set RAPPORT_MANAGERS" in reply
        assert world.stand_in.current_view("U0ALICE") is None and rows(world, SharingAgreement) == 0


def test_an_approver_from_another_organisation_is_refused_in_the_form(sqlite_template, tmp_path):
    with World(fresh_sqlite_url(sqlite_template, tmp_path), start=WORLD_START,
               rapport_managers=["U0CAROL", "U0ERIN"]) as world:  # Erin is the customer's, listed by mistake
        add_auditco(world)
        propose(world, approver="U0ERIN")
        view = world.stand_in.current_view("U0ALICE")
        assert view is not None
        assert "A manager approves sharing agreements" in view["errors"]["sharing_approver"]
        assert rows(world, SharingAgreement) == 0 and world.stand_in.dm_messages("U0ERIN") == []
