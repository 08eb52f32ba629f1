"""Pure rules of disputes, coordination and third-party requests: deadlines and the text people type."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.calendar.workdays import WorkCalendar
from bot.platform.errors import InvalidInput
from bot.suppliers.coordination import LayerDraft, parse_coordination_text
from bot.suppliers.disputes import level_due, parse_dispute_text
from bot.thirdparty.requests import due_moment, parse_request_text

CN = WorkCalendar.from_settings("CN", "Asia/Shanghai")
PLAIN = WorkCalendar.from_settings(None, "Europe/London")


def local(calendar: WorkCalendar, year: int, month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=calendar.timezone)


def test_level_one_counts_the_make_up_saturday_and_skips_the_spring_festival():
    # Thu 12 Feb 2026 10:00: Fri 13 and Sat 14 (a make-up working day) count, 15–23 Feb are off.
    due = level_due(CN, local(CN, 2026, 2, 12, 10, 0), 3)
    assert due == local(CN, 2026, 2, 24, 10, 0)


def test_level_two_counts_the_next_make_up_saturday():
    # From Tue 24 Feb: 25, 26, 27, Sat 28 (make-up) and Mon 2 Mar.
    assert level_due(CN, local(CN, 2026, 2, 24, 10, 0), 5) == local(CN, 2026, 3, 2, 10, 0)


def test_a_dispute_opened_on_a_day_off_starts_counting_on_the_next_working_day():
    assert level_due(PLAIN, local(PLAIN, 2026, 11, 28, 15, 0), 3) == local(PLAIN, 2026, 12, 2, 15, 0)


def test_deadlines_are_utc():
    assert level_due(CN, local(CN, 2026, 2, 12, 10, 0), 3).tzinfo == UTC


@pytest.mark.parametrize(("text", "supplier", "subject"), [
    ("Netcom: who pays for the weekend", "Netcom", "who pays for the weekend"),
    ("Net Co Ltd：迁移失败的费用谁承担", "Net Co Ltd", "迁移失败的费用谁承担"),
    ("AT&amp;T: billing", "AT&T", "billing"),
])
def test_dispute_text_names_the_supplier_before_the_colon(text, supplier, subject):
    draft = parse_dispute_text(text)
    assert (draft.supplier, draft.subject) == (supplier, subject)


@pytest.mark.parametrize("text", ["just a complaint", "Netcom:", "at 10:30 it failed"])
def test_dispute_text_without_a_supplier_and_subject_gets_an_example(text):
    with pytest.raises(InvalidInput, match="/dispute Netcom"):
        parse_dispute_text(text)


def test_coordination_text_lists_layers_and_their_suppliers():
    draft = parse_coordination_text("ERP down: 10:30 outage: network=Netcom, database = DBCo；application=App Co, "
                                    "ping=1h")
    assert draft.title == "ERP down: 10:30 outage"
    assert draft.layers == (LayerDraft("network", "Netcom"), LayerDraft("database", "DBCo"),
                            LayerDraft("application", "App Co"))
    assert draft.ping_minutes == 60


@pytest.mark.parametrize(("text", "words"), [
    ("ERP down network=Netcom", "title"),
    ("ERP down: network", "layer=supplier"),
    ("ERP down: network=Netcom, Network=DBCo", "named twice"),
    ("ERP down: ping=45m", "at least one layer"),
    ("ERP down: network=Netcom, ping=soon", "minutes or hours"),
])
def test_unreadable_coordination_text_says_what_to_type(text, words):
    with pytest.raises(InvalidInput, match=words):
        parse_coordination_text(text)


def test_a_request_reads_its_due_date_after_the_last_by():
    draft = parse_request_text("AuditCo: sign-off by QA by friday 3pm")
    assert (draft.account, draft.what, draft.when) == ("AuditCo", "sign-off by QA", "friday 3pm")
    assert parse_request_text("审计所：恢复演练的证据 截止 下周五").when == "下周五"


def test_a_request_without_a_due_date_is_refused():
    with pytest.raises(InvalidInput, match="By when"):
        parse_request_text("AuditCo: evidence of the restore test")


def test_a_due_day_means_the_close_of_business_and_a_time_is_kept():
    now = local(CN, 2026, 11, 27, 10, 0)
    assert due_moment("next friday", now=now, calendar=CN) == local(CN, 2026, 12, 4, 18, 0)
    assert due_moment("next friday 9am", now=now, calendar=CN) == local(CN, 2026, 12, 4, 9, 0)
    assert due_moment("下周五", now=now, calendar=CN) == local(CN, 2026, 12, 4, 18, 0)


def test_the_ladder_days_are_a_setting(monkeypatch):
    from bot.platform.config import ConfigError, load_settings

    monkeypatch.setenv("RAPPORT_DISPUTE_DAYS", "2, 4, 8")
    assert load_settings(None).rapport_dispute_days == [2, 4, 8]
    monkeypatch.setenv("RAPPORT_DISPUTE_DAYS", "3,5")
    with pytest.raises(ConfigError, match="RAPPORT_DISPUTE_DAYS: must be three numbers"):
        load_settings(None)
