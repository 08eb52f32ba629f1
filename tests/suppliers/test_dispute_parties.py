"""Disputes with any party, the mediator asked at level 2, dispute clauses agreed in advance, and reopening, end to
end over signed HTTP."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import select

from bot.sandbox.world import World
from storage.platform.audit import AuditLog
from storage.suppliers.disputes import Dispute, DisputeMediator
from tests.expect import full_text, last_ephemeral_text, posts_in, run
from tests.rhythm.test_agreements import set_agreement
from tests.suppliers.test_contracts import contract

ALICE, BOB, CAROL, DAVE, ERIN = "U0ALICE", "U0BOB", "U0CAROL", "U0DAVE", "U0ERIN"
ESCALATIONS, SHARED = "C0ESCAL", "C0ACMESHR"
SUBJECT = "who pays for the failed migration weekend"
CLAUSE = "account managers 2d; heads of service 4d; steering committee"


def rows(world: World, table: type, **where: object) -> int:
    with world.services.db.session() as session:
        query = select(func.count()).select_from(table)
        for name, value in where.items():
            query = query.where(getattr(table, name) == value)
        return int(session.exec(query).one())


def card(world: World, number: int = 1) -> dict[str, Any]:
    """The card of dispute #number, as it stands after its edits."""
    [found] = [m for m in posts_in(world, ESCALATIONS) if f"Dispute #{number} ·" in m["text"]]
    return found


def card_showing(world: World, words: str, number: int = 1) -> str:
    """Wait until the card of dispute #number shows `words`; its whole text."""
    shown = world.stand_in.wait_for(lambda: words in full_text(card(world, number)) or None)
    assert shown, full_text(card(world, number))
    return full_text(card(world, number))


def buttons(message: dict[str, Any]) -> list[str]:
    return [element["text"]["text"] for block in message["blocks"] if block["type"] == "actions"
            for element in block["elements"]]


def notices(world: World) -> list[str]:
    """Level announcements in the escalation channel."""
    return [full_text(m) for m in posts_in(world, ESCALATIONS) if "is now at level" in full_text(m)]


def accounts(world: World) -> None:
    """Net Co (supplier, with a support contract backing Acme Corp), Acme Corp (customer, linked to its shared
    channel) and AuditCo (third party)."""
    run(world, ALICE, "#general", "/account", "add Acme Corp customer")
    run(world, ALICE, "#general", "/supplier", "add Net Co")
    run(world, ALICE, "#general", "/account", "add AuditCo third-party auditor")
    run(world, ALICE, "#acme-shared", "/account", "link Acme Corp")


# Any party

def test_a_dispute_with_a_customer_and_with_a_third_party(world):
    accounts(world)
    reply = run(world, ALICE, "#general", "/dispute", "Acme Corp: who pays for the extra weekend support")
    assert "Opened dispute #1 with *Acme Corp* at level 1 — Coordinate, until Wed 2 Dec 10:00 CST" in reply
    assert "Dispute #1 · Acme Corp (customer)" in full_text(card(world))
    reply = run(world, ALICE, "#general", "/dispute", "AuditCo: the audit sampled the wrong quarter")
    assert "Opened dispute #2 with *AuditCo*" in reply
    assert "Dispute #2 · AuditCo (third party)" in full_text(card(world, 2))
    listing = run(world, ALICE, "#general", "/dispute", "list")
    assert "*Acme Corp* (customer)" in listing and "*AuditCo* (third party)" in listing
    assert posts_in(world, SHARED) == []  # the customer's channel hears nothing of a dispute with them


# The mediator

def test_the_mediator_is_told_once_in_their_shared_channel_without_internal_text(world):
    accounts(world)
    seen = len(world.stand_in.ephemerals(user=ALICE))
    world.slack.command(ALICE, "#general", "/dispute")
    world.stand_in.wait_for(lambda: world.stand_in.current_view(ALICE))
    world.slack.submit_view(ALICE, "dispute_new", {"dispute_supplier": "Net Co", "dispute_subject": SUBJECT,
                                                  "dispute_scope": "internal: we think Net Co owes 40k",
                                                  "dispute_others": "AuditCo"})
    assert "Opened dispute #1" in last_ephemeral_text(world, ALICE, count=seen + 1)
    reply = run(world, ALICE, "#general", "/dispute", "1 mediator Acme Corp")
    assert "Asked *Acme Corp* to mediate dispute #1, in <#C0ACMESHR>" in reply
    [asked] = world.stand_in.wait_for(lambda: posts_in(world, SHARED))
    text = full_text(asked)
    assert SUBJECT in text and "mediator" in text and f"<@{ALICE}>" in text
    for internal in ("Net Co", "AuditCo", "40k", "#1", "level", "Level", "Dispute", "dispute"):
        assert internal not in text, internal
    shown = card_showing(world, "Mediator:* Acme Corp (customer)")
    assert "Level 2 of 4" in shown and "asked Acme Corp to mediate" in shown
    assert "Ask a mediator" not in buttons(card(world))
    assert len(notices(world)) == 1  # naming a mediator at level 1 escalated it to the mediation step

    assert "already asked" in run(world, ALICE, "#general", "/dispute", "1 mediator Acme Corp")
    assert "already has a mediator" in run(world, BOB, "#general", "/dispute", "1 mediator AuditCo")
    world.tick()
    world.advance(timedelta(days=1))
    assert len(posts_in(world, SHARED)) == 1
    assert rows(world, DisputeMediator) == 1 and rows(world, AuditLog, action="dispute.mediator") == 1


def test_the_mediator_form_asks_the_named_person_by_dm_and_refuses_what_cannot_be_asked(sqlite_world):
    world = sqlite_world
    accounts(world)
    run(world, ALICE, "#general", "/dispute", f"Net Co: {SUBJECT}")
    world.slack.click(BOB, "Ask a mediator", ESCALATIONS)
    modal = world.stand_in.wait_for(lambda: world.stand_in.current_view(BOB))
    assert modal["callback_id"] == "dispute_mediator"
    world.slack.submit_view(BOB, "dispute_mediator", {"dispute_mediator_account": "AuditCo"})
    errors = world.stand_in.current_view(BOB)["errors"]
    assert "no linked shared channel" in errors["dispute_mediator_account"]
    world.slack.submit_view(BOB, "dispute_mediator", {"dispute_mediator_account": "Net Co"})
    assert "the party the dispute is with" in world.stand_in.current_view(BOB)["errors"]["dispute_mediator_account"]
    assert rows(world, DisputeMediator) == 0 and rows(world, Dispute, level=1) == 1  # nothing half-done
    world.slack.submit_view(BOB, "dispute_mediator", {"dispute_mediator_account": "AuditCo",
                                                     "dispute_mediator_person": DAVE})
    assert "Asked *AuditCo* to mediate dispute #1, by DM to <@U0DAVE>" in last_ephemeral_text(world, BOB)
    [asked] = world.stand_in.wait_for(lambda: world.stand_in.dm_messages(DAVE))
    assert SUBJECT in full_text(asked) and "Net Co" not in full_text(asked)
    assert "Mediator:* AuditCo (third party) (<@U0DAVE> asked)" in card_showing(world, "Mediator:*")
    assert posts_in(world, SHARED) == []


# Dispute clauses

def test_a_dispute_follows_its_contracts_clause_on_working_days_not_the_default(world):
    run(world, ALICE, "#general", "/account", "add Acme Corp customer")
    run(world, ALICE, "#general", "/supplier", "add Net Co")
    refused = run(world, ALICE, "#general", "/supplier", f"contract Net Co clause {CLAUSE}")
    assert "no support contract in force" in refused
    errors, _reply = contract(world)
    assert errors is None
    assert "its time limit" in run(world, ALICE, "#general", "/supplier", "contract Net Co clause managers; board")
    saved = run(world, ALICE, "#general", "/supplier", f"contract Net Co clause {CLAUSE}")
    assert "Dispute clause of contract #1 (Net Co → Acme Corp)" in saved
    assert "② heads of service — 4 working days" in saved
    assert rows(world, AuditLog, action="supplier.contract_clause") == 1
    assert "*Dispute clause:* ① account managers — 2 working days" in run(world, ALICE, "#general", "/supplier",
                                                                          "Net Co")

    # Fri 27 Nov 10:00: two working days (the clause's, not the default three) end Tue 1 Dec 10:00.
    reply = run(world, ALICE, "#general", "/dispute", f"Net Co: {SUBJECT}")
    assert "at level 1 — decided by account managers, until Tue 1 Dec 10:00 CST" in reply
    assert ("Following the dispute clause of contract #1 (Net Co → Acme Corp): level 1 decided by account managers, "
            "2 working days.") in reply
    assert "Level 1 of 3 — decided by account managers" in full_text(card(world))

    world.clock.set(datetime(2026, 12, 1, 1, 59, tzinfo=UTC))
    world.tick()
    assert notices(world) == []
    world.advance(timedelta(minutes=1))
    [posted] = world.stand_in.wait_for(lambda: notices(world) or None)
    assert "level 2 — decided by heads of service" in posted
    assert "Mon 7 Dec 10:00 CST" in posted  # 4 working days: Wed, Thu, Fri, Mon
    shown = card_showing(world, "Level 2 of 3")
    assert "level 2 decided by heads of service, 4 working days" in shown

    world.clock.set(datetime(2026, 12, 7, 2, 0, tzinfo=UTC))
    world.tick()
    shown = card_showing(world, "Level 3 of 3")
    assert "none — the last level" in shown and "level 3 decided by steering committee, no time limit" in shown
    assert buttons(card(world)) == ["Resolve"]
    world.advance(timedelta(days=60))
    assert len(notices(world)) == 2


def test_a_dispute_with_a_customer_follows_the_clause_of_its_agreement(sqlite_world):
    world = sqlite_world
    run(world, ALICE, "#general", "/account", "add Acme Corp customer")
    assert "no service agreement yet" in run(world, ALICE, "#general", "/account",
                                             "agreement Acme Corp clause managers 1d; board")
    set_agreement(world)
    saved = run(world, ALICE, "#general", "/account", "agreement Acme Corp clause managers 1d; board")
    assert "Dispute clause of the service agreement with Acme Corp" in saved
    assert "② board — no time limit" in run(world, ALICE, "#general", "/account", "Acme Corp")
    reply = run(world, ALICE, "#general", "/dispute", "Acme Corp: the extra weekend")
    assert "until Mon 30 Nov 10:00 CST" in reply and "the service agreement with Acme Corp" in reply
    assert "Level 1 of 2" in full_text(card(world))
    assert "new disputes follow the default ladder" in run(world, ALICE, "#general", "/account",
                                                           "agreement Acme Corp clause none")
    assert "until Wed 2 Dec 10:00 CST" in run(world, ALICE, "#general", "/dispute", "Acme Corp: another one")
    assert "Level 1 of 2" in full_text(card(world))  # the first keeps the clause it opened under


# Reopening

def test_reopening_restarts_the_level_clock_and_escalates_clause_days_after_the_reopen(world):
    run(world, ALICE, "#general", "/account", "add Acme Corp customer")
    run(world, ALICE, "#general", "/supplier", "add Net Co")
    contract(world)
    run(world, ALICE, "#general", "/supplier", f"contract Net Co clause {CLAUSE}")
    run(world, ALICE, "#general", "/dispute", f"Net Co: {SUBJECT}")
    assert "Reopen" not in buttons(card(world))
    assert "nothing to reopen" in run(world, ALICE, "#general", "/dispute", "1 reopen: too early")
    world.slack.click(BOB, "Resolve", ESCALATIONS)
    world.stand_in.wait_for(lambda: world.stand_in.current_view(BOB))
    world.slack.submit_view(BOB, "dispute_resolve", {"dispute_resolution": "Net Co pays"})
    card_showing(world, "Resolved")

    # Reopened on Thu 3 Dec 10:00 by the card's button: two working days run again, to Mon 7 Dec 10:00.
    world.clock.set(datetime(2026, 12, 3, 2, 0, tzinfo=UTC))
    world.slack.click(CAROL, "Reopen", ESCALATIONS)
    modal = world.stand_in.wait_for(lambda: world.stand_in.current_view(CAROL))
    assert modal["callback_id"] == "dispute_reopen"
    world.slack.submit_view(CAROL, "dispute_reopen", {"dispute_reopen_reason": "  "}, check_required=False)
    assert "Say why the dispute is reopened" in world.stand_in.current_view(CAROL)["errors"]["dispute_reopen_reason"]
    world.slack.submit_view(CAROL, "dispute_reopen", {"dispute_reopen_reason": "the credit note never came"})
    assert "Reopened dispute #1 at level 1 — decided by account managers, until Mon 7 Dec 10:00 CST" in (
        last_ephemeral_text(world, CAROL))
    shown = card_showing(world, "reopened it at level 1: the credit note never came")
    assert "Net Co pays" in shown  # the history keeps the resolution
    assert buttons(card(world)) == ["Escalate", "Ask a mediator", "Resolve"]
    assert "nothing to reopen" in run(world, CAROL, "#general", "/dispute", "1 reopen: again")

    world.clock.set(datetime(2026, 12, 7, 1, 59, tzinfo=UTC))  # the first clock would have run out on 1 Dec
    world.tick()
    assert notices(world) == []
    world.advance(timedelta(minutes=1))
    [posted] = world.stand_in.wait_for(lambda: notices(world) or None)
    assert "Level 1 was due by Mon 7 Dec 10:00 CST" in posted
    assert rows(world, AuditLog, action="dispute.reopen") == 1 and rows(world, Dispute, status="open") == 1


# Who may, and in Chinese

def test_an_external_user_is_refused_mediators_clauses_and_reopening(world):
    accounts(world)
    contract(world)
    run(world, ALICE, "#general", "/dispute", f"Net Co: {SUBJECT}")
    for command, text in (("/dispute", "1 mediator Acme Corp"), ("/dispute", "1 reopen: no"),
                          ("/supplier", f"contract Net Co clause {CLAUSE}"),
                          ("/account", f"agreement Acme Corp clause {CLAUSE}")):
        assert "only available to the team" in run(world, ERIN, "#acme-shared", command, text)
    world.slack.click(ALICE, "Resolve", ESCALATIONS)
    world.stand_in.wait_for(lambda: world.stand_in.current_view(ALICE))
    world.slack.submit_view(ALICE, "dispute_resolve", {"dispute_resolution": "settled"})
    card_showing(world, "Resolved")
    payload = world.slack.click(ALICE, "Reopen", ESCALATIONS).payload
    assert payload is not None
    erin = {"id": ERIN, "username": "erin", "name": "erin", "team_id": "T0ACME"}
    seen = len(world.stand_in.ephemerals(user=ERIN))
    world.slack.click_again(dict(payload, user=erin, team={"id": "T0ACME", "domain": "acme-corp"},
                                 response_url=world.stand_in.issue_response_url(user=ERIN, channel=ESCALATIONS)))
    assert "only available to the team" in last_ephemeral_text(world, ERIN, count=seen + 1)
    assert world.stand_in.current_view(ERIN) is None
    assert rows(world, Dispute, status="resolved") == 1 and rows(world, DisputeMediator) == 0
    assert posts_in(world, SHARED) == []


def test_clauses_mediators_and_reopening_in_chinese(sqlite_world):
    world = sqlite_world
    world.stand_in.workspace.users[DAVE].locale = "zh-CN"
    accounts(world)
    contract(world)
    saved = run(world, DAVE, "#general", "/supplier",
                "合同 Net Co 争议条款 客户经理 2天；服务总监 4个工作日；指导委员会")
    assert "争议条款" in saved and "① 客户经理" in saved and "② 服务总监" in saved
    opened = run(world, DAVE, "#general", "/dispute", "Net Co：迁移失败的周末费用谁承担")
    assert "争议 #1" in opened and "客户经理" in opened
    run(world, DAVE, "#general", "/account", "set Acme Corp language zh")
    named = run(world, DAVE, "#general", "/dispute", "1 调解方 Acme Corp")
    assert "调解" in named and "Acme Corp" in named
    [asked] = world.stand_in.wait_for(lambda: posts_in(world, SHARED))
    assert "调解" in full_text(asked) and "迁移失败的周末费用谁承担" in full_text(asked)
    world.slack.click(CAROL, "Resolve", ESCALATIONS)  # Dave is not in the escalation channel
    world.stand_in.wait_for(lambda: world.stand_in.current_view(CAROL))
    world.slack.submit_view(CAROL, "dispute_resolve", {"dispute_resolution": "Net Co 承担"})
    card_showing(world, "Resolved")
    reopened = run(world, DAVE, "#general", "/dispute", "1 重开：贷项通知单一直没到")
    assert "重新打开" in reopened and "#1" in reopened
