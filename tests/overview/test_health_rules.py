"""Account health as pure rules: each deduction, the bounds, the band edges, weights and bands from settings."""

from __future__ import annotations

import pytest

from bot.overview.health import (
    Band,
    Deduction,
    HealthPolicy,
    HealthSignals,
    Reason,
    Weight,
    deduction_line,
    parse_bands,
    parse_health_weights,
    reasons_text,
    score_health,
)
from bot.platform.config import ConfigError, Settings, load_settings
from bot.platform.errors import InvalidInput
from bot.platform.i18n import speaking

POLICY = HealthPolicy()


def deductions(**signals: object) -> dict[Reason, int]:
    """What each reason took off, for the signals given (the rest neutral)."""
    health = score_health(HealthSignals(**signals), POLICY)  # type: ignore[arg-type]
    return {d.reason: d.points for d in health.deductions}


def test_a_quiet_account_is_a_full_hundred_and_green():
    health = score_health(HealthSignals(cadence_days=30, days_since_contact=3, csat=4.6, nps=40), POLICY)
    assert (health.score, health.band, health.deductions) == (100, Band.GREEN, ())


@pytest.mark.parametrize(("signals", "expected"), [
    ({"cadence_days": 14, "days_since_contact": 14}, {}),  # on the day the cadence runs out: not yet overdue
    ({"cadence_days": 14, "days_since_contact": 15}, {Reason.CADENCE: 15}),
    ({"cadence_days": 14, "days_since_contact": 29}, {Reason.CADENCE: 30}),  # past two cadences: twice
    ({"cadence_days": 0, "days_since_contact": 400}, {}),  # cadence not tracked
    ({"complaints": 4}, {Reason.COMPLAINTS: 12}),
    ({"breaches": 2}, {Reason.BREACHES: 20}),
    ({"open_critical": 1}, {Reason.CRITICAL: 15}),
    ({"csat": 4.0}, {}),
    ({"csat": 3.0}, {Reason.CSAT: 10}),
    ({"csat": 1.5}, {Reason.CSAT: 25}),
    ({"csat": 4.2, "csat_before": 4.8}, {Reason.CSAT_TREND: 5}),
    ({"csat": 4.4, "csat_before": 4.8}, {}),  # a dip under half a point is no trend
    ({"nps": -10}, {Reason.NPS: 10}),
    ({"nps": 0}, {}),
    ({"nps": 20, "nps_before": 45}, {Reason.NPS_TREND: 5}),
    ({"overdue_actions": 3}, {Reason.ACTIONS: 15}),
    ({"open_disputes": 1}, {Reason.DISPUTES: 10}),
])
def test_each_signal_takes_its_weight(signals, expected):
    assert deductions(**signals) == expected


def test_the_score_never_goes_below_zero_and_the_largest_deduction_comes_first():
    health = score_health(HealthSignals(breaches=9, complaints=20, open_disputes=3), POLICY)
    assert health.score == 0 and health.band == Band.RED
    assert [d.reason for d in health.deductions] == [Reason.BREACHES, Reason.COMPLAINTS, Reason.DISPUTES]


@pytest.mark.parametrize(("score", "band"), [(100, Band.GREEN), (75, Band.GREEN), (74, Band.AMBER),
                                             (50, Band.AMBER), (49, Band.RED), (0, Band.RED)])
def test_band_edges(score, band):
    assert POLICY.band(score) == band


def test_weights_and_bands_come_from_settings():
    settings = Settings(_env_file=None, rapport_health_weights="breach=20, complaint=0",
                        rapport_health_bands="80,60")
    policy = HealthPolicy.from_settings(settings)
    assert policy.weights[Weight.BREACH] == 20 and policy.weights[Weight.CADENCE] == 15
    health = score_health(HealthSignals(breaches=1, complaints=5), policy)
    assert (health.score, health.band) == (80, Band.GREEN)
    assert score_health(HealthSignals(breaches=2), policy).band == Band.AMBER


@pytest.mark.parametrize("text", ["breech=10", "breach=ten", "breach", "breach=101", "breach=-1", "breach=²"])
def test_bad_weights_are_refused(text):
    with pytest.raises(InvalidInput):
        parse_health_weights(text)


@pytest.mark.parametrize("text", ["50,75", "75", "75,50,25", "101,50", "75,0", "high,low", "7²,50"])
def test_bad_bands_are_refused(text):
    with pytest.raises(InvalidInput):
        parse_bands(text)


def test_bad_settings_stop_start_up_naming_the_variable(monkeypatch):
    monkeypatch.setenv("RAPPORT_HEALTH_WEIGHTS", "breach=lots")
    with pytest.raises(ConfigError, match="RAPPORT_HEALTH_WEIGHTS"):
        load_settings(env_file=None)


def test_reasons_read_in_english_and_chinese():
    breaches = Deduction(Reason.BREACHES, 20, count=2)
    trend = Deduction(Reason.CSAT_TREND, 5, value=3.8, before=4.5)
    with speaking("en"):
        assert deduction_line(breaches) == "−20: 2 SLA breaches in the last 30 days"
        assert deduction_line(trend) == "−5: CSAT down from 4.5 to 3.8"
    with speaking("zh_Hans"):
        assert deduction_line(breaches) == "−20：近 30 天 2 次 SLA 违约"
        assert reasons_text(score_health(HealthSignals(), POLICY)) == "一切正常"
