"""Supplier changes end to end: recorded with a reason and audited, the dependent account flagged, its owner reminded
each working day until *Customer told*, the change in the account's service report; refusals; Chinese."""

from __future__ import annotations

from datetime import date, timedelta

from bot.calendar.recurrence import Frequency, Period
from bot.report.model import Block, Bullets, ReportScope
from bot.report.sections import build_report
from storage.accounts import get_account_by_name
from storage.suppliers.changes import SupplierChange, SupplierChangeNotice
from tests.expect import run
from tests.rhythm.steps import ALICE, BOB, ERIN, SHARED, add_acme, at, audit_count, dms, local, rows
from tests.suppliers.test_contracts import contract

CJK = "替换"
NOTICE = "Acme Corp* that Net Co"  # the change notices, not the risks Rapport raises on Acme Corp (single source)


def setup(world) -> None:
    """Acme Corp (alice's, with a contract from Net Co), Globex (bob's, none), and the suppliers Net Co, Fast Net."""
    add_acme(world)
    run(world, BOB, "#general", "/account", "add Globex customer")
    run(world, ALICE, "#general", "/supplier", "add Net Co")
    run(world, ALICE, "#general", "/supplier", "add Fast Net")
    _errors, reply = contract(world)
    assert reply is not None and "#1" in reply


def report_sections(world, name: str) -> dict[str, tuple[bool, tuple[Block, ...]]]:
    with world.services.db.session() as session:
        account = get_account_by_name(session, name=name)
        assert account is not None and account.id is not None
        scope = ReportScope(account.id, Period.containing(Frequency.MONTH, date(2026, 11, 27)), world.now())
        report = build_report(session, scope, world.services.settings)
    return {section.key: (section.shareable, section.blocks) for section in report.sections}


def test_a_replaced_supplier_flags_the_account_and_reminds_its_owner_each_working_day_until_told(world):
    setup(world)  # Friday 27 Nov 2026, 10:00 in Shanghai
    reply = run(world, BOB, "#general", "/supplier", "change Net Co replaced by Fast Net: three outages in Q3")
    assert "Recorded: Net Co was replaced by Fast Net." in reply and "three outages in Q3" in reply
    assert "1 account depends on Net Co" in reply and "*Acme Corp* — <@U0ALICE>" in reply
    assert "Globex" not in reply
    [change] = rows(world, SupplierChange)
    assert change.kind == "replaced" and change.reason == "three outages in Q3"
    assert audit_count(world, "supplier.change") == 1

    [first] = world.stand_in.wait_for(lambda: dms(world, ALICE, NOTICE))
    assert "Tell *Acme Corp* that Net Co was replaced by Fast Net" in first and "Customer told" in first
    assert dms(world, BOB, "Net Co") == []

    at(world, local(11, 28, 10))  # Saturday, Sunday: no working day, no reminder
    at(world, local(11, 29, 18))
    assert len(dms(world, ALICE, NOTICE)) == 1
    at(world, local(11, 30, 9))  # Monday's opening
    assert len(dms(world, ALICE, NOTICE)) == 2
    assert "Reminder: tell *Acme Corp* that Net Co was replaced by Fast Net" in dms(world, ALICE, NOTICE)[-1]
    at(world, local(11, 30, 9, 30))
    assert len(dms(world, ALICE, NOTICE)) == 2  # once a day

    card = run(world, BOB, "#general", "/supplier", "Net Co")
    assert "Net Co was replaced by Fast Net · customers told: 0 of 1" in card
    world.slack.click(ALICE, "Customer told", ALICE)
    told = world.stand_in.wait_for(lambda: [m for m in world.stand_in.ephemerals(user=ALICE) if "Noted" in m["text"]])
    assert "*Acme Corp* was told of the change to Net Co" in told[-1]["text"]
    [notice] = rows(world, SupplierChangeNotice)
    assert notice.told_by == ALICE and notice.next_remind_at is None
    world.advance(timedelta(days=3))
    assert len(dms(world, ALICE, NOTICE)) == 2  # no more reminders
    assert audit_count(world, "supplier.change_told") == 1
    assert "customers told: 1 of 1" in run(world, BOB, "#general", "/supplier", "Net Co")

    shareable, blocks = report_sections(world, "Acme Corp")["supplier_changes"]
    assert shareable
    [bullets] = blocks
    assert isinstance(bullets, Bullets)
    assert "Net Co was replaced by Fast Net" in bullets.items[0] and "three outages" not in bullets.items[0]
    internal, [reasons] = report_sections(world, "Acme Corp")["supplier_change_reasons"]
    assert not internal and isinstance(reasons, Bullets)
    assert "Net Co was replaced by Fast Net — three outages in Q3" in reasons.items[0]
    assert "supplier_changes" not in report_sections(world, "Globex")


def test_bad_changes_are_refused_and_nothing_is_saved(sqlite_world):
    world = sqlite_world
    setup(world)
    dropped = run(world, ALICE, "#general", "/supplier", "change Net Co dropped")
    assert "Give the reason a supplier is dropped" in dropped
    assert "Say what changed" in run(world, ALICE, "#general", "/supplier", "change Net Co")
    assert "Fast Nett" in run(world, ALICE, "#general", "/supplier", "change Net Co replaced by Fast Nett")
    assert "not a supplier" in run(world, ALICE, "#general", "/supplier", "change Acme Corp dropped: gone")
    assert "can't replace or back up itself" in run(world, ALICE, "#general", "/supplier",
                                                    "change Net Co backup Net Co")
    assert "only available to the team" in run(world, ERIN, SHARED, "/supplier", "change Net Co dropped: gone")
    assert rows(world, SupplierChange) == [] and rows(world, SupplierChangeNotice) == []
    assert audit_count(world, "supplier.change") == 0

    dropped = run(world, ALICE, "#general", "/supplier", "change Fast Net dropped: contract ended")
    assert "Recorded: Fast Net is no longer used." in dropped and "no customer to tell" in dropped


def test_a_change_is_recorded_in_chinese(sqlite_world):
    world = sqlite_world
    world.stand_in.workspace.users[BOB].locale = "zh-CN"
    setup(world)
    reply = run(world, BOB, "#general", "/supplier", "变更 Net Co 替换为 Fast Net：第三季度三次故障")
    assert "Fast Net" in reply and "已记录" in reply
    [change] = rows(world, SupplierChange)
    assert change.kind == "replaced" and change.reason == "第三季度三次故障"
    assert CJK in reply
