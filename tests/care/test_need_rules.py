"""The pure rules of needs and stakeholders: the grammars, the way a need moves on, when agreements are reminded."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.accounts.stakeholder_commands import ListStakeholders, StakeholderChange, parse_stakeholder_command, read_met
from bot.accounts.stakeholders import cadence_days
from bot.calendar.workdays import WorkCalendar
from bot.care.need_agreements import AgreementStage, first_reminder_at, stage_on
from bot.care.need_commands import (
    AskAgreement,
    ChangeNeedStatus,
    CloseAgreement,
    ListNeeds,
    LogNeed,
    NeedHelp,
    ShowNeed,
    parse_need_command,
)
from bot.care.needs import next_statuses
from bot.platform.errors import InvalidInput
from storage.accounts.stakeholders import Influence, Stance
from storage.care.needs import NeedStatus

SHANGHAI = ZoneInfo("Asia/Shanghai")
CALENDAR = WorkCalendar.from_settings("CN", "Asia/Shanghai", "09:00-18:00")


def local(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=SHANGHAI)


@pytest.mark.parametrize(("text", "expected"), [
    ("", NeedHelp()), ("help", NeedHelp()), ("list", ListNeeds("", 1)), ("list Acme Corp", ListNeeds("Acme Corp", 1)),
    ("list Acme Corp 2", ListNeeds("Acme Corp", 2)), ("list 3", ListNeeds("", 3)), ("12", ShowNeed(12)),
    ("#12", ShowNeed(12)), ("12 analysed", ChangeNeedStatus(12, NeedStatus.ANALYSED, "")),
    ("12 已交付", ChangeNeedStatus(12, NeedStatus.DELIVERED, "")),
    ("12 declined out of scope", ChangeNeedStatus(12, NeedStatus.DECLINED, "out of scope")),
    ("12 agreement next friday", AskAgreement(12, "next friday")), ("12 补充协议 下周五", AskAgreement(12, "下周五")),
    ("12 signed", CloseAgreement(12, signed=True)), ("12 agreement dropped", CloseAgreement(12, signed=False)),
    ("12 放弃", CloseAgreement(12, signed=False)),
    ("3 servers need patching", LogNeed("3 servers need patching")),
    ("Acme Corp: reports in Chinese", LogNeed("Acme Corp: reports in Chinese")),
])
def test_the_need_grammar(text, expected):
    assert parse_need_command(text) == expected


def test_a_need_moves_forward_or_is_declined_and_final_ones_stay():
    assert next_statuses(NeedStatus.HEARD) == [NeedStatus.ANALYSED, NeedStatus.PROPOSED, NeedStatus.AGREED,
                                               NeedStatus.DELIVERED, NeedStatus.DECLINED]
    assert next_statuses(NeedStatus.AGREED) == [NeedStatus.DELIVERED, NeedStatus.DECLINED]
    assert next_statuses(NeedStatus.DELIVERED) == next_statuses(NeedStatus.DECLINED) == []


def test_an_agreement_is_first_reminded_the_working_day_before_or_at_the_next_opening():
    monday = local(12, 7, 9).astimezone(UTC)
    # Due Monday 7 Dec: the working day before is Friday 4 Dec, at the opening of business.
    assert first_reminder_at(CALENDAR, monday, now=local(11, 27, 10).astimezone(UTC)) == local(12, 4, 9)
    # Asked on Saturday for Monday: Friday has passed, so the next opening (Monday 09:00).
    assert first_reminder_at(CALENDAR, monday, now=local(12, 5, 11).astimezone(UTC)) == local(12, 7, 9)
    assert stage_on(CALENDAR, monday, local(12, 4, 9)) == AgreementStage.BEFORE
    assert stage_on(CALENDAR, monday, local(12, 7, 17)) == AgreementStage.DUE
    assert stage_on(CALENDAR, monday, local(12, 8, 9)) == AgreementStage.OVERDUE


def test_the_stakeholder_grammar():
    assert parse_stakeholder_command("Acme Corp") == ListStakeholders("Acme Corp")
    assert parse_stakeholder_command("Acme Corp: Wang Li role Chief IT Officer influence high sponsor") == \
        StakeholderChange("Acme Corp", "Wang Li", role="Chief IT Officer", influence=Influence.HIGH, sponsor=True)
    assert parse_stakeholder_command("Acme Corp：<@U0ERIN|erin> 态度 反对 高层 否") == \
        StakeholderChange("Acme Corp", "erin", user_id="U0ERIN", stance=Stance.CRITIC, sponsor=False)
    assert parse_stakeholder_command("Acme Corp: Wang Li remove").remove  # type: ignore[union-attr]
    with pytest.raises(InvalidInput, match="is not one of"):
        parse_stakeholder_command("Acme Corp: Wang Li stance grumpy")
    with pytest.raises(InvalidInput, match="Name the person"):
        parse_stakeholder_command("Acme Corp: role CIO")


def test_when_someone_was_met_and_how_often_a_sponsor_should_be():
    now = local(11, 27, 10).astimezone(UTC)
    assert read_met("", now=now, zone=SHANGHAI) == now
    assert read_met("3天前", now=now, zone=SHANGHAI) == local(11, 24, 12)
    assert read_met("2026-11-20", now=now, zone=SHANGHAI) == local(11, 20, 12)
    with pytest.raises(InvalidInput, match="still to come"):
        read_met("2026-12-20", now=now, zone=SHANGHAI)
    assert [cadence_days(c) for c in ("week", "month", "quarter", None)] == [7, 31, 92, 90]
