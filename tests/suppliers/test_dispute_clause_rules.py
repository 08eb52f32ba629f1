"""Pure rules of dispute clauses and the `/dispute <id> …` words: levels read from text, any number of them."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.platform.errors import InvalidInput
from bot.suppliers.cards import DisputeCard
from bot.suppliers.dispute_commands import MediatorRequest, ReopenRequest, parse_dispute_step
from bot.suppliers.dispute_ladder import ClauseRef, Ladder, Rung, default_ladder, parse_clause, split_clause_command
from handlers.blocks import RENDERERS
from storage.accounts import AccountKind
from storage.suppliers.disputes import DisputeStatus


def test_a_clause_reads_each_levels_decider_and_working_days():
    assert parse_clause("account managers 3d; heads of service, 4 working days; steering committee") == (
        Rung("account managers", 3), Rung("heads of service", 4), Rung("steering committee", None))
    assert parse_clause("客户经理 2天；服务总监 4个工作日\n仲裁委员会 10 工作日") == (
        Rung("客户经理", 2), Rung("服务总监", 4), Rung("仲裁委员会", 10))


@pytest.mark.parametrize(("text", "words"), [
    ("", "separated by `;`"),
    ("managers; board", "Give level 1 (managers) its time limit"),
    ("3d; board", "Say who decides at level 1"),
    ("managers 0d; board", "from 1 to 60"),
    ("a 1d; b 1d; c 1d; d 1d; e 1d; f 1d; g", "at most 6 levels"),
])
def test_a_clause_that_cannot_be_followed_is_refused_with_what_to_type(text, words):
    with pytest.raises(InvalidInput, match=words.replace("(", r"\(").replace(")", r"\)")):
        parse_clause(text)


def test_a_clause_may_have_fewer_or_more_levels_than_the_default_ladder():
    five = Ladder(parse_clause("a 1d; b 2d; c 3d; d 4d; e"))
    assert five.last == 5 and five.level_days() == {1: 1, 2: 2, 3: 3, 4: 4}
    assert Ladder(parse_clause("board")).last == 1
    assert default_ladder({1: 3, 2: 5, 3: 10}).level_days() == {1: 3, 2: 5, 3: 10}
    assert default_ladder({1: 3, 2: 5, 3: 10}).last == 4


def test_a_clause_command_splits_the_name_from_the_levels():
    assert split_clause_command("Net Co clause a 3d; b") == ("Net Co", "a 3d; b")
    assert split_clause_command("Acme Corp 争议条款：客户经理 2天；委员会") == ("Acme Corp", "客户经理 2天；委员会")
    assert split_clause_command("Net Co") is None


def test_dispute_steps_name_a_mediator_or_reopen():
    assert parse_dispute_step("12 mediator AuditCo <@U0ERIN|erin>") == MediatorRequest(12, "AuditCo", "U0ERIN")
    assert parse_dispute_step("#3 调解方 AT&amp;T") == MediatorRequest(3, "AT&T", None)
    assert parse_dispute_step("4 reopen: the credit note never came") == ReopenRequest(4, "the credit note never came")
    assert parse_dispute_step("4 重开：款项未到") == ReopenRequest(4, "款项未到")
    assert parse_dispute_step("Netcom: who pays") is None and parse_dispute_step("12") is None
    with pytest.raises(InvalidInput, match="Name the mediating account"):
        parse_dispute_step("12 mediator <@U0ERIN>")


def test_the_card_of_a_five_level_clause_names_each_decider():
    deciders = ("managers", "directors", "vice presidents", "board", "arbitration")
    card = DisputeCard(id=7, supplier="Acme Corp", subject="fees", status=DisputeStatus.OPEN, level=5, due=None,
                       owner="U0CAROL", created_by="U0ALICE", tz=ZoneInfo("Asia/Shanghai"),
                       days={1: 1, 2: 2, 3: 3, 4: 4}, history=(), party_kind=AccountKind.CUSTOMER, last=5,
                       deciders=deciders, clause=ClauseRef(None, 2, "Acme Corp"),
                       resolved_at=datetime(2026, 12, 1, tzinfo=UTC))
    text = str(RENDERERS.render_card(card).blocks)
    assert "Level 5 of 5 — decided by arbitration" in text and "⑤ decided by arbitration" in text
    assert "Following the dispute clause of the service agreement with Acme Corp: level 5 decided by arbitration, " \
           "no time limit." in text
