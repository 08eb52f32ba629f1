"""Rapport raises a risk once per cause, whatever the number of ticks, and anew for a new cause; it tells the owner."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import col, select

from bot.sandbox.stand_in import BOT_USER_ID, Channel
from bot.sandbox.world import World
from storage.accounts import get_account_by_name
from storage.care.complaints import ComplaintSeverity
from storage.risks.register import Risk
from storage.suppliers.contracts import SupportContract
from storage.suppliers.evaluations import SupplierAudit
from tests.expect import full_text, run


def raised(world: World, signal: str) -> list[Risk]:
    with world.services.db.session() as session:
        return list(session.exec(select(Risk).where(Risk.signal == signal).order_by(col(Risk.id))))


def dms(world: World, user: str, text: str) -> list[str]:
    world.wait_until_idle()
    return [full_text(m) for m in world.stand_in.dm_messages(user) if text in full_text(m)]


def ticks(world: World) -> None:
    """Several ticks: twice in the hour, then in the next hours."""
    world.tick()
    world.tick()
    world.advance(timedelta(hours=1))
    world.advance(timedelta(hours=3))


def account_id(world: World, name: str) -> int:
    with world.services.db.session() as session:
        account = get_account_by_name(session, name=name)
        assert account is not None and account.id is not None
        return account.id


def test_three_complaints_in_30_days_raise_one_risk_and_a_later_burst_another(world):
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    for summary in ("the VPN drops", "invoices are wrong", "the portal is slow"):
        run(world, "U0BOB", "#general", "/complaint", f"Acme Corp: {summary}")
    ticks(world)
    [risk] = raised(world, "complaints3")
    assert risk.owner_id == "U0ALICE" and risk.cause_key and risk.cause_key.startswith("complaints3:")
    [dm] = dms(world, "U0ALICE", "Rapport raised a risk on *Acme Corp*")
    assert "3 complaints within 30 days" in dm and "improvement plan" in dm

    world.advance(timedelta(days=10))
    run(world, "U0BOB", "#general", "/complaint", "Acme Corp: the VPN drops again")
    ticks(world)  # the same burst goes on: nothing new
    assert len(raised(world, "complaints3")) == 1

    world.advance(timedelta(days=31))
    for summary in ("mail is down", "printers are offline", "the VPN drops once more"):
        run(world, "U0BOB", "#general", "/complaint", f"Acme Corp: {summary}")
    ticks(world)
    assert len(raised(world, "complaints3")) == 2
    assert len(dms(world, "U0ALICE", "Rapport raised a risk on *Acme Corp*")) == 2


def test_a_key_account_gone_cold_raises_one_risk_per_cold_spell(world):
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    run(world, "U0ALICE", "#general", "/account", "set Acme Corp tier key")
    world.advance(timedelta(days=13))
    assert raised(world, "cold") == []
    world.advance(timedelta(days=2))
    ticks(world)
    [risk] = raised(world, "cold")
    assert risk.account_id == account_id(world, "Acme Corp")
    assert len(dms(world, "U0ALICE", "A key account has gone cold")) == 1

    run(world, "U0ALICE", "#general", "/contact", "Acme Corp: call about the renewal")
    ticks(world)
    assert len(raised(world, "cold")) == 1
    world.advance(timedelta(days=15))
    ticks(world)
    assert len(raised(world, "cold")) == 2


def test_a_standard_account_out_of_cadence_is_not_a_key_account_gone_cold(world):
    run(world, "U0ALICE", "#general", "/account", "add Globex customer")
    world.advance(timedelta(days=40))
    ticks(world)
    assert raised(world, "cold") == []


def audit(world: World, supplier_id: int, average: float) -> None:
    with world.services.db.session() as session:
        session.add(SupplierAudit(account_id=supplier_id, scores={"responsiveness": round(average)}, average=average,
                                  period_start=date(2026, 9, 1), period_end=date(2026, 11, 30), auditor_id="U0ALICE",
                                  created_by="U0ALICE", created_at=world.now()))


def test_a_supplier_under_the_audit_threshold_raises_one_risk_until_it_recovers(world):
    run(world, "U0ALICE", "#general", "/account", "add NetCo supplier")
    netco = account_id(world, "NetCo")
    audit(world, netco, 2.5)
    ticks(world)
    [risk] = raised(world, "audit")
    assert risk.account_id == netco
    assert len(dms(world, "U0ALICE", "Supplier audit below the threshold: 2.5 against 3.0")) == 1

    world.advance(timedelta(days=1))
    audit(world, netco, 2.0)  # still under: the same cause
    ticks(world)
    assert len(raised(world, "audit")) == 1
    world.advance(timedelta(days=1))
    audit(world, netco, 4.0)
    ticks(world)
    world.advance(timedelta(days=1))
    audit(world, netco, 2.8)  # under again: a new cause
    ticks(world)
    assert len(raised(world, "audit")) == 2


def contract(world: World, *, supplier: int, customer: int, until: date, start: date | None = None) -> None:
    with world.services.db.session() as session:
        session.add(SupportContract(supplier_id=supplier, customer_id=customer, severity=ComplaintSeverity.CRITICAL,
                                    response_minutes=10, resolution_minutes=120, availability=99.9,
                                    service_hours="7x24", valid_from=start or date(2026, 1, 1), valid_until=until,
                                    created_by="U0ALICE", created_at=world.now()))


def test_a_single_source_and_a_contract_ending_without_successor_each_raise_one_risk(world):
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    run(world, "U0BOB", "#general", "/account", "add NetCo supplier")
    acme, netco = account_id(world, "Acme Corp"), account_id(world, "NetCo")
    contract(world, supplier=netco, customer=acme, until=date(2026, 12, 20))
    ticks(world)
    [single] = raised(world, "single")
    [expiring] = raised(world, "expiring")
    assert single.account_id == acme and expiring.account_id == netco
    assert len(dms(world, "U0ALICE", "Single source: only NetCo backs the critical service")) == 1
    [dm] = dms(world, "U0BOB", "Support contract #1 (for Acme Corp) ends on")
    assert "with no successor" in dm

    contract(world, supplier=netco, customer=acme, start=date(2026, 12, 21), until=date(2027, 12, 20))
    world.advance(timedelta(days=20))
    ticks(world)
    assert len(raised(world, "expiring")) == 1 and len(raised(world, "single")) == 1


def test_a_third_party_sharing_without_an_agreement_raises_one_risk(world):
    world.stand_in.workspace.add_channel(Channel("C0AUDIT", "auditco-shared", [BOT_USER_ID, "U0CAROL", "U0ERIN"],
                                                 is_ext_shared=True))
    run(world, "U0CAROL", "#general", "/account", "add AuditCo third-party")
    run(world, "U0CAROL", "#auditco-shared", "/account", "link AuditCo")
    ticks(world)
    [risk] = raised(world, "sharing")
    assert risk.account_id == account_id(world, "AuditCo")
    assert len(dms(world, "U0CAROL", "without an approved sharing agreement")) == 1


def test_the_owner_reads_a_raised_risk_in_chinese(world):
    world.stand_in.workspace.users["U0DAVE"].locale = "zh-CN"
    run(world, "U0DAVE", "#general", "/account", "add Acme Corp customer")
    for summary in ("VPN 断线", "发票错误", "门户很慢"):
        run(world, "U0BOB", "#general", "/complaint", f"Acme Corp: {summary}")
    ticks(world)
    [dm] = dms(world, "U0DAVE", "Rapport 根据记录为 *Acme Corp* 提出了一项风险")
    assert "30 天内 3 次投诉" in dm and "控制措施" in dm


def test_multi_level_subcontracting_raises_one_risk_per_chain(world):
    for name in ("NetCo", "SubCo", "FieldCo", "CableCo"):
        run(world, "U0ALICE", "#general", "/supplier", f"add {name}")
    run(world, "U0ALICE", "#general", "/supplier", "subcontractor NetCo add SubCo: hardware repairs")
    ticks(world)
    assert raised(world, "subcontract") == []  # one level is not yet a chain
    run(world, "U0ALICE", "#general", "/supplier", "subcontractor SubCo add FieldCo: on-site visits")
    ticks(world)
    [risk] = raised(world, "subcontract")
    assert risk.account_id == account_id(world, "NetCo")
    [dm] = dms(world, "U0ALICE", "Multi-level subcontracting: SubCo subcontracts in turn to FieldCo")
    assert "Limit what suppliers may subcontract" in dm
    run(world, "U0ALICE", "#general", "/supplier", "subcontractor SubCo add CableCo: cabling")
    ticks(world)
    assert len(raised(world, "subcontract")) == 2


def test_the_sponsor_not_met_within_the_cadence_raises_one_risk_per_lapse(world):
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    run(world, "U0ALICE", "#general", "/account", "stakeholder Acme Corp: Wang Li role CIO sponsor")
    world.advance(timedelta(days=89))
    ticks(world)
    assert raised(world, "sponsor") == []
    world.advance(timedelta(days=2))  # 90 days without an agreement's cycle
    ticks(world)
    [risk] = raised(world, "sponsor")
    assert risk.account_id == account_id(world, "Acme Corp")
    [dm] = dms(world, "U0ALICE", "The executive sponsor Wang Li has not been met within 90 days")
    assert "Rapport raised a risk on *Acme Corp*" in dm

    run(world, "U0ALICE", "#general", "/contact", "Acme Corp: lunch with Wang Li about the renewal")
    ticks(world)
    assert len(raised(world, "sponsor")) == 1
    world.advance(timedelta(days=91))
    ticks(world)
    assert len(raised(world, "sponsor")) == 2
