"""Supplier scoring and contract rules, as plain functions."""

from __future__ import annotations

from datetime import time

import pytest

from bot.platform.errors import InvalidInput
from bot.suppliers.contract_terms import (
    CustomerTerms,
    ServiceHours,
    Standing,
    SupplierTerms,
    Term,
    business_hours_as_service,
    check_availability,
    check_terms,
    check_time,
    covers,
    parse_duration,
    parse_percent,
    parse_service_hours,
)
from bot.suppliers.scoring import (
    Concern,
    Trend,
    audit_average,
    check_scores,
    equal_weights,
    improve_or_replace,
    parse_weights,
    qualifies,
    trend,
    weighted_total,
)
from storage.suppliers.evaluations import Criterion, Dimension

ALL_FOURS = {c.value: 4 for c in Criterion}


def test_equal_weights_make_the_total_a_plain_average():
    scores = dict(ALL_FOURS, capital=1, reputation=5)
    assert weighted_total(scores, equal_weights()) == round((4 * 7 + 1 + 5) / 9, 2)


def test_weights_by_name_change_only_the_criteria_named():
    weights = parse_weights("capital=3 scalability=0")
    assert weights["capital"] == 3 and weights["scalability"] == 0 and weights["reputation"] == 1
    scores = dict(ALL_FOURS, capital=1, scalability=1)
    assert weighted_total(scores, weights) == round((3 * 1 + 4 * 7) / 10, 2)


def test_nine_numbers_are_weights_in_criterion_order():
    weights = parse_weights("2 1 1 1 1 1 1 1 0.5")
    assert weights["capital"] == 2 and weights["reputation"] == 0.5


def test_global_weights_are_the_base_of_an_evaluation():
    base = parse_weights("capital=2")
    assert parse_weights("fit=3", base=base) == dict(equal_weights(), capital=2, fit=3)
    assert parse_weights("", base=base) == base


@pytest.mark.parametrize("text", ["1 2 3", "capital=eleven", "capital=11", "magic=2", "0 0 0 0 0 0 0 0 0",
                                  "capital=-1"])
def test_unreadable_weights_are_refused(text):
    with pytest.raises(InvalidInput):
        parse_weights(text)


def test_the_verdict_is_qualified_at_or_above_the_threshold():
    assert qualifies(3.5, 3.5) and qualifies(4.0, 3.5) and not qualifies(3.49, 3.5)


def test_missing_or_out_of_range_scores_are_named():
    scores = dict(ALL_FOURS, capital=None, fit=6)
    assert check_scores(scores, list(Criterion)) == [Criterion.CAPITAL, Criterion.FIT]
    assert check_scores(ALL_FOURS, list(Criterion)) == []


def test_audit_average_and_trend():
    scores = {d.value: 3 for d in Dimension} | {"responsiveness": 5}
    assert audit_average(scores) == round(20 / 6, 2)
    assert trend([3]) == Trend.NEW and trend([3, 4]) == Trend.UP and trend([4, 3]) == Trend.DOWN
    assert trend([3, 3]) == Trend.FLAT


def test_improve_or_replace_when_the_latest_average_is_under_the_threshold():
    assert improve_or_replace([4.0, 2.9], 3.0) == [Concern.BELOW_THRESHOLD]
    assert improve_or_replace([3.0], 3.0) == []


def test_improve_or_replace_when_the_average_fell_two_audits_in_a_row():
    assert improve_or_replace([4.5, 4.2, 3.9], 3.0) == [Concern.FALLING]
    assert improve_or_replace([4.5, 4.2, 4.2], 3.0) == []  # held steady once: not two falls
    assert improve_or_replace([4.2, 3.9], 3.0) == []  # one fall only
    assert improve_or_replace([3.5, 3.2, 2.5], 3.0) == [Concern.BELOW_THRESHOLD, Concern.FALLING]


@pytest.mark.parametrize(("text", "minutes"), [("30m", 30), ("4h", 240), ("1.5", 90), ("2 hours", 120),
                                               ("45 min", 45)])
def test_durations(text, minutes):
    assert parse_duration(text, what="x") == minutes


@pytest.mark.parametrize("text", ["", "soon", "0", "-3h", "2d"])
def test_unreadable_durations_are_refused(text):
    with pytest.raises(InvalidInput):
        parse_duration(text, what="the response time")


def test_percentages():
    assert parse_percent("99.9%", what="x") == 99.9
    for bad in ("", "101", "0", "ninety"):
        with pytest.raises(InvalidInput):
            parse_percent(bad, what="x")


def test_service_hours():
    assert parse_service_hours("7x24") == ServiceHours(7, 24)
    assert parse_service_hours("5×8") == ServiceHours(5, 8)
    assert parse_service_hours("5x9 09:00-18:00") == ServiceHours(5, 9, (540, 1080))
    assert str(parse_service_hours("5x9 09:00-18:00")) == "5x9 09:00-18:00"
    for bad in ("always", "8x24", "5x25", "5x8 09:00-18:00"):
        with pytest.raises(InvalidInput):
            parse_service_hours(bad)


def test_coverage_of_the_customers_hours():
    customer = business_hours_as_service(time(9), time(18))
    assert customer == ServiceHours(5, 9, (540, 1080))
    assert covers(ServiceHours(7, 24), customer)
    assert covers(ServiceHours(5, 9), customer)  # no window given: enough hours is taken as covering
    assert not covers(ServiceHours(5, 8), customer)
    assert not covers(ServiceHours(5, 10, (480, 1080 - 60)), customer)  # 08:00–17:00 misses 17:00–18:00
    assert covers(ServiceHours(6, 12, (480, 1200)), customer)
    assert not covers(ServiceHours(4, 24), customer)


def test_a_time_must_be_at_most_80_percent_of_the_customers():
    assert check_time(Term.RESPONSE, 48, 60, 0.2).standing == Standing.STRICTER
    assert check_time(Term.RESPONSE, 49, 60, 0.2).standing == Standing.WITHIN_MARGIN
    assert check_time(Term.RESPONSE, 60, 60, 0.2).standing == Standing.WITHIN_MARGIN
    looser = check_time(Term.RESPONSE, 61, 60, 0.2)
    assert looser.standing == Standing.LOOSER and looser.flagged and looser.needed == 48


def test_availability_must_be_higher_with_the_margin_on_downtime():
    assert check_availability(99.9, 99.5, 0.2).standing == Standing.STRICTER
    assert check_availability(99.6, 99.5, 0.2).standing == Standing.STRICTER  # 0.4% downtime = 80% of 0.5%
    assert check_availability(99.55, 99.5, 0.2).standing == Standing.WITHIN_MARGIN
    assert check_availability(99.5, 99.5, 0.2).standing == Standing.WITHIN_MARGIN
    assert check_availability(99.0, 99.5, 0.2).standing == Standing.LOOSER
    unchecked = check_availability(99.0, None, 0.2)
    assert unchecked.standing == Standing.UNCHECKED and not unchecked.flagged


def test_every_term_is_checked_in_order():
    customer = CustomerTerms(60, 240, business_hours_as_service(time(9), time(18)), 99.5)
    supplier = SupplierTerms(30, 230, ServiceHours(5, 8), 99.0)
    checks = check_terms(supplier, customer, margin=0.2)
    assert [c.term for c in checks] == [Term.RESPONSE, Term.RESOLUTION, Term.AVAILABILITY, Term.SERVICE_HOURS]
    assert [c.standing for c in checks] == [Standing.STRICTER, Standing.WITHIN_MARGIN, Standing.LOOSER,
                                            Standing.LOOSER]
