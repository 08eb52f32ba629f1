"""The register's pure rules: the catalog, the command's words, levels, and when a review falls."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.calendar.workdays import WorkCalendar
from bot.platform.errors import InvalidInput
from bot.platform.i18n import speaking
from bot.risks.catalog import CATALOG, catalog_for
from bot.risks.commands import parse_risks_command
from bot.risks.register import parse_level, review_values
from storage.accounts import AccountKind


def test_the_catalog_holds_the_notes_risks_by_kind_each_in_english_and_chinese():
    assert [len(catalog_for(kind)) for kind in AccountKind] == [2, 5, 3]
    assert len({entry.key for entry in CATALOG}) == len(CATALOG)
    for entry in CATALOG:
        with speaking("en"):
            english = entry.title, entry.control
        with speaking("zh_Hans"):
            chinese = entry.title, entry.control
        assert all(english) and all(chinese) and english != chinese
        assert 1 <= entry.likelihood <= 5 and 1 <= entry.impact <= 5
    with speaking("zh_Hans"):
        control = catalog_for(AccountKind.CUSTOMER)[0].control
    assert control == "挖掘客户真正需求，及时签署补充协议，争取客户高层的支持和配合。"


@pytest.mark.parametrize(("text", "verb", "name", "page"), [
    ("", "list", "", 1), ("Acme Corp", "list", "Acme Corp", 1), ("Acme Corp page 2", "list", "Acme Corp", 2),
    ("page 3", "list", "", 3), ("Pagemaster", "list", "Pagemaster", 1),
])
def test_listing_reads_an_account_and_a_page(text, verb, name, page):
    wanted = parse_risks_command(text)
    assert (wanted.verb, wanted.name, wanted.page) == (verb, name, page)


def test_the_other_verbs_read_their_ids_and_refuse_what_is_not_one():
    assert parse_risks_command("set 3 impact high").field == "impact"
    assert parse_risks_command("close #4").risk_id == 4
    assert parse_risks_command("add Acme Corp: a risk").value == "Acme Corp: a risk"
    for text in ("close", "review x", "set 3 impact", "set x impact 2"):
        with pytest.raises(InvalidInput):
            parse_risks_command(text)


def test_levels_are_one_to_five_or_words():
    assert [parse_level(word) for word in ("1", "5", "low", "Medium", "HIGH", "高")] == [1, 5, 1, 3, 5, 5]
    for word in ("0", "6", "huge", ""):
        with pytest.raises(InvalidInput):
            parse_level(word)


def test_a_review_falls_on_a_working_day_sooner_the_graver_the_risk():
    calendar = WorkCalendar.from_settings("CN", "Asia/Shanghai", "09:00-18:00")
    now = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai
    grave = review_values(calendar, score=20, now=now)
    assert grave["next_review_at"] == datetime(2026, 12, 11, 1, 0, tzinfo=UTC)  # a fortnight: Friday 11 Dec 09:00
    usual = review_values(calendar, score=9, now=now)
    assert usual["next_review_at"] == datetime(2026, 12, 28, 1, 0, tzinfo=UTC)  # Sunday 27 Dec → Monday 28 Dec
    assert usual["overdue_reminder_at"] == datetime(2026, 12, 29, 1, 0, tzinfo=UTC)
    assert review_values(calendar, score=4, now=now)["next_review_at"] >= datetime(2027, 2, 25, tzinfo=UTC)
