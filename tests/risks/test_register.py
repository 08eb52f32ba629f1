"""The risk register end to end: the notes' risks offered on /account add and adopted once, your own risks, the
list by score, and external users refused."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func
from sqlmodel import col, select

from bot.sandbox.world import World
from storage.platform.audit import AuditLog
from storage.risks.register import Risk, RiskSource, RiskStatus
from tests.expect import last_ephemeral_text, run


def risks(world: World) -> list[Risk]:
    with world.services.db.session() as session:
        return list(session.exec(select(Risk).order_by(col(Risk.id))))


def test_adding_an_account_offers_the_notes_risks_for_its_kind_and_adopting_twice_changes_nothing(world):
    offered = run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    assert "Added customer account *Acme Corp*" in offered
    assert "Risks the notes list for a customer" in offered
    assert "real needs" in offered and "Many stakeholders" in offered
    assert "sign supplementary agreements in time" in offered  # the control
    assert offered.count('"Adopt"') == 2  # the two customer risks, none of the suppliers' five

    world.slack.click("U0ALICE", "Adopt")
    adopted = last_ephemeral_text(world, "U0ALICE", count=2)
    assert "Adopted for *Acme Corp* as risk #1" in adopted
    world.slack.click("U0ALICE", "Adopt")
    again = last_ephemeral_text(world, "U0ALICE", count=3)
    assert "*Acme Corp* already has this risk: #1." in again
    [risk] = risks(world)
    assert risk.source == RiskSource.CATALOG and risk.owner_id == "U0ALICE" and risk.status == RiskStatus.OPEN
    with world.services.db.session() as session:
        adopts = session.exec(select(func.count()).select_from(AuditLog).where(AuditLog.action == "risk.adopt")).one()
    assert adopts == 1


def test_a_supplier_is_offered_the_five_supplier_risks_however_it_is_added(world):
    offer = run(world, "U0ALICE", "#general", "/account", "add NetCo supplier")
    assert offer.count('"Adopt"') == 5 and "subcontracting" in offer
    offer = run(world, "U0ALICE", "#general", "/supplier", "add HostCo")
    assert "HostCo" in offer and offer.count('"Adopt"') == 5 and "does not cooperate" in offer


def test_own_risks_are_listed_by_score_highest_first_and_closed_once(world):
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    added = run(world, "U0ALICE", "#general", "/rapport", "risks add Acme Corp: our only DBA may leave")
    assert "Risk #1 of *Acme Corp*" in added and "our only DBA may leave" in added
    run(world, "U0ALICE", "#general", "/rapport", "risks add Acme Corp: the data centre lease ends")
    changed = run(world, "U0ALICE", "#general", "/rapport", "risks set 2 impact high")
    assert "Score 15 (likelihood 3 × impact 5)" in changed
    listing = run(world, "U0ALICE", "#general", "/rapport", "risks Acme Corp")
    assert listing.index("data centre lease") < listing.index("only DBA")
    assert "Risks of Acme Corp (2)" in listing
    view = run(world, "U0ALICE", "#general", "/account", "Acme Corp")
    assert "*Risks:* 2 open, highest score 15 · `/rapport risks Acme Corp`" in view

    closed = run(world, "U0BOB", "#general", "/rapport", "risks close 2")
    assert "Risk #2 of *Acme Corp* closed" in closed
    again = run(world, "U0BOB", "#general", "/rapport", "risks close 2")
    assert "Risk #2 was already closed (by <@U0BOB>)" in again
    listing = run(world, "U0ALICE", "#general", "/rapport", "risks")
    assert "Open risks (1)" in listing and "lease" not in listing


def test_bad_input_is_answered_and_changes_nothing(world):
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    assert "Say `/rapport risks add <account>: <the risk>`" in run(world, "U0ALICE", "#general", "/rapport",
                                                                  "risks add Acme Corp")
    assert "No account called “Nobody”" in run(world, "U0ALICE", "#general", "/rapport", "risks add Nobody: x")
    run(world, "U0ALICE", "#general", "/rapport", "risks add Acme Corp: a risk")
    assert "is not a level" in run(world, "U0ALICE", "#general", "/rapport", "risks set 1 impact huge")
    assert "No risk #9" in run(world, "U0ALICE", "#general", "/rapport", "risks close 9")
    [risk] = risks(world)
    assert risk.impact == 3 and risk.status == RiskStatus.OPEN


def test_an_external_user_is_refused_and_sees_nothing(world):
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    run(world, "U0ALICE", "#general", "/rapport", "risks add Acme Corp: our only DBA may leave")
    refused = run(world, "U0ERIN", "#acme-shared", "/rapport", "risks Acme Corp")
    assert "only available to the team" in refused and "DBA" not in refused
    refused = run(world, "U0ERIN", "#acme-shared", "/rapport", "risks close 1")
    assert "only available to the team" in refused
    assert risks(world)[0].status == RiskStatus.OPEN


def test_the_register_speaks_chinese_to_a_chinese_reader(world):
    world.stand_in.workspace.users["U0DAVE"].locale = "zh-CN"
    offer = run(world, "U0DAVE", "#general", "/account", "add NetCo supplier")
    assert "多级分包" in offer and "采用" in offer
    world.slack.click("U0DAVE", "采用")
    assert "已为 *NetCo* 采用" in last_ephemeral_text(world, "U0DAVE", count=2)
    listing = run(world, "U0DAVE", "#general", "/rapport", "风险 NetCo")
    assert "NetCo" in listing and "供应商" in listing and "控制措施" in listing
    added = run(world, "U0DAVE", "#general", "/rapport", "风险 添加 NetCo：唯一的工程师可能离职")
    assert "*NetCo* 的风险 #2" in added and "唯一的工程师可能离职" in added
    assert "评分 9（可能性 3 × 影响 3）" in added
    changed = run(world, "U0DAVE", "#general", "/rapport", "风险 修改 2 影响 高")
    assert "评分 15（可能性 3 × 影响 5）" in changed
    assert "已关闭" in run(world, "U0DAVE", "#general", "/rapport", "风险 关闭 2")


def test_the_owner_and_the_next_review_can_be_changed_to_one_of_the_team_and_a_later_working_day(world):
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    run(world, "U0ALICE", "#general", "/rapport", "risks add Acme Corp: our only DBA may leave")
    owner = run(world, "U0ALICE", "#general", "/rapport", "risks set 1 owner <@U0BOB>")
    assert "owner <@U0BOB>" in owner
    refused = run(world, "U0ALICE", "#general", "/rapport", "risks set 1 owner <@U0ERIN>")
    assert "Name one of the team" in refused
    review = run(world, "U0ALICE", "#general", "/rapport", "risks set 1 review 2026-12-05")
    assert "next review Mon 7 Dec 09:00" in review  # Saturday 5 Dec: the next working day
    assert "must be after today" in run(world, "U0ALICE", "#general", "/rapport", "risks set 1 review today")
    [risk] = risks(world)
    assert risk.owner_id == "U0BOB" and risk.next_review_at == datetime(2026, 12, 7, 1, 0, tzinfo=UTC)
