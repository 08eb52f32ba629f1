"""Pure rules of third-party reviews: criteria by role, the shared scorer on them, a review due on a working day."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from bot.calendar.workdays import WorkCalendar
from bot.platform.errors import InvalidInput
from bot.suppliers.audit_schedule import schedule_next
from bot.suppliers.scoring import audit_average, check_scores, parse_weights, weighted_total
from bot.thirdparty.criteria import COMMON, criteria_for
from storage.suppliers.evaluations import SupplierProfile

SHANGHAI = ZoneInfo("Asia/Shanghai")
NATIONAL_DAY = date(2026, 10, 1)


def test_each_role_adds_its_own_criteria_to_the_common_four():
    assert criteria_for(None).keys == COMMON
    assert criteria_for("auditor").keys == (*COMMON, "methodology", "findings")
    assert criteria_for("vendor").keys == (*COMMON, "delivery", "cost")
    assert criteria_for("certification-body").key("accredited") == "accreditation"
    assert criteria_for("vendor").key("methodology") is None  # not a vendor's criterion


def test_the_supplier_scorer_works_on_a_third_partys_criteria():
    criteria = criteria_for("vendor")
    weights = parse_weights("cost=3 information-handling=0", criteria=criteria)
    scores = dict.fromkeys(criteria.keys, 4) | {"cost": 1}
    assert weighted_total(scores, weights, criteria) == round((4 * 4 + 1 * 3) / 7, 2)
    assert parse_weights("2 1 1 1 1 1", criteria=criteria)["independence"] == 2
    with pytest.raises(InvalidInput, match="Give 6 weights"):
        parse_weights("1 2 3", criteria=criteria)
    with pytest.raises(InvalidInput, match="not a criterion"):
        parse_weights("capital=2", criteria=criteria)
    assert check_scores({"cost": 9}, criteria.keys) == list(criteria.keys)
    assert audit_average(scores, criteria) == round(21 / 6, 2)


def test_a_review_falling_on_a_holiday_moves_to_the_next_working_day_and_is_reminded_a_working_week_before():
    calendar = WorkCalendar.from_settings("CN", "Asia/Shanghai")
    since = datetime(2026, 9, 1, 10, tzinfo=SHANGHAI).astimezone(UTC)  # monthly: 1 Oct, National Day
    profile = SupplierProfile(account_id=1, audit_every_months=1, next_audit_due_at=since, created_at=since)
    schedule_next(profile, since=since, zone=SHANGHAI, workdays=calendar)
    due = profile.next_audit_due_at.astimezone(SHANGHAI)
    assert due.date() > NATIONAL_DAY and due.hour == 10
    assert calendar.is_working_day(due.date())
    day = NATIONAL_DAY
    while day < due.date():
        assert not calendar.is_working_day(day)
        day += timedelta(days=1)
    assert profile.audit_remind_at is not None
    remind = profile.audit_remind_at.astimezone(SHANGHAI).date()
    assert calendar.working_days_between(remind, due.date()) == 5

    plain = SupplierProfile(account_id=2, audit_every_months=1, next_audit_due_at=since, created_at=since)
    schedule_next(plain, since=since, zone=SHANGHAI)  # a supplier: calendar months, a week before
    assert plain.next_audit_due_at.astimezone(SHANGHAI).date() == NATIONAL_DAY
