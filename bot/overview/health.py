"""Account health (健康度): a score from 0 to 100 per account, from the signals Rapport already holds — pure rules.

Start at 100 and subtract per signal, each deduction carrying its reason; the weights and the bands come from
settings (RAPPORT_HEALTH_WEIGHTS, RAPPORT_HEALTH_BANDS). Reading the signals from the record is
`bot/overview/health_signals.py`; showing them is the account view, App Home, the digest and the report.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from bot.platform.config import Settings
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _, ngettext

MAX_WEIGHT = 100
CSAT_FLOOR = 4.0  # a 90-day CSAT under this costs points: the weight per point below it
CSAT_DROP = 0.5  # CSAT down by this much against the 90 days before is a falling trend
NPS_FLOOR = 0  # more detractors than promoters
NPS_DROP = 20  # NPS down by this many points against the 90 days before is a falling trend
GREEN, AMBER = 75, 50
_POINTS = re.compile(r"[0-9]{1,3}")  # ASCII digits only: int() would read "٣" but "²" passes isdigit()


class Weight(StrEnum):
    """The names of RAPPORT_HEALTH_WEIGHTS: points taken per occurrence of a signal."""

    CADENCE = "cadence"  # contact overdue (twice the weight past two cadences)
    COMPLAINT = "complaint"  # per complaint opened in the last 30 days
    BREACH = "breach"  # per SLA clock breached in the last 30 days
    CRITICAL = "critical"  # per critical complaint still open
    CSAT = "csat"  # per point of 90-day CSAT under 4.0
    NPS = "nps"  # 90-day NPS under 0
    TREND = "trend"  # CSAT or NPS falling against the 90 days before (each)
    ACTION = "action"  # per overdue action item
    DISPUTE = "dispute"  # per open dispute with a supplier behind the account


DEFAULT_WEIGHTS: Mapping[Weight, int] = {
    Weight.CADENCE: 15, Weight.COMPLAINT: 3, Weight.BREACH: 10, Weight.CRITICAL: 15, Weight.CSAT: 10,
    Weight.NPS: 10, Weight.TREND: 5, Weight.ACTION: 5, Weight.DISPUTE: 10,
}


class Band(StrEnum):
    """Where a score sits: green, amber or red."""

    GREEN = "green"
    AMBER = "amber"
    RED = "red"


BAND_RANK = {Band.RED: 0, Band.AMBER: 1, Band.GREEN: 2}


class Reason(StrEnum):
    """Why points were taken."""

    CADENCE = "cadence"
    COMPLAINTS = "complaints"
    BREACHES = "breaches"
    CRITICAL = "critical"
    CSAT = "csat"
    NPS = "nps"
    CSAT_TREND = "csat_trend"
    NPS_TREND = "nps_trend"
    ACTIONS = "actions"
    DISPUTES = "disputes"


@dataclass(frozen=True)
class HealthPolicy:
    """The team's weights and band edges (a score ≥ green is green, ≥ amber amber, else red)."""

    weights: Mapping[Weight, int] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    green: int = GREEN
    amber: int = AMBER

    @classmethod
    def from_settings(cls, settings: Settings) -> HealthPolicy:
        """The policy configured in the environment."""
        green, amber = parse_bands(settings.rapport_health_bands)
        return cls(parse_health_weights(settings.rapport_health_weights), green, amber)

    def band(self, score: int) -> Band:
        """The band of a score."""
        return Band.GREEN if score >= self.green else Band.AMBER if score >= self.amber else Band.RED


@dataclass(frozen=True)
class HealthSignals:
    """What the record says about one account at one moment (windows end at that moment)."""

    cadence_days: int = 0  # days allowed between contacts; 0: not tracked
    days_since_contact: int = 0  # since the last contact, or since the account was added when never contacted
    complaints: int = 0  # opened in the last 30 days
    breaches: int = 0  # SLA clocks breached in the last 30 days
    open_critical: int = 0
    csat: float | None = None  # case surveys, last 90 days
    csat_before: float | None = None  # the 90 days before those
    nps: int | None = None  # open surveys, last 90 days
    nps_before: int | None = None
    overdue_actions: int = 0
    open_disputes: int = 0  # with the suppliers behind the account (see docs/decisions.md)


@dataclass(frozen=True)
class Deduction:
    """Points taken for one reason; `count`, `value` and `before` say how much of the signal there was."""

    reason: Reason
    points: int
    count: int = 0
    value: float | None = None
    before: float | None = None


@dataclass(frozen=True)
class Health:
    """A score, its band, and the deductions behind it (the largest first)."""

    score: int
    band: Band
    deductions: tuple[Deduction, ...] = ()


def score_health(signals: HealthSignals, policy: HealthPolicy) -> Health:
    """100 minus every deduction, never below 0, with its band."""
    weight = policy.weights
    found: list[Deduction] = []

    def per(reason: Reason, key: Weight, count: int) -> None:
        if count > 0:
            found.append(Deduction(reason, weight[key] * count, count=count))

    if signals.cadence_days > 0 and signals.days_since_contact > signals.cadence_days:
        times = 2 if signals.days_since_contact > 2 * signals.cadence_days else 1
        found.append(Deduction(Reason.CADENCE, weight[Weight.CADENCE] * times, count=signals.days_since_contact,
                               value=signals.cadence_days))
    per(Reason.BREACHES, Weight.BREACH, signals.breaches)
    per(Reason.CRITICAL, Weight.CRITICAL, signals.open_critical)
    per(Reason.COMPLAINTS, Weight.COMPLAINT, signals.complaints)
    if signals.csat is not None and signals.csat < CSAT_FLOOR:
        found.append(Deduction(Reason.CSAT, round(weight[Weight.CSAT] * (CSAT_FLOOR - signals.csat)),
                               value=signals.csat))
    if signals.csat is not None and signals.csat_before is not None and \
            signals.csat_before - signals.csat >= CSAT_DROP:
        found.append(Deduction(Reason.CSAT_TREND, weight[Weight.TREND], value=signals.csat,
                               before=signals.csat_before))
    if signals.nps is not None and signals.nps < NPS_FLOOR:
        found.append(Deduction(Reason.NPS, weight[Weight.NPS], value=signals.nps))
    if signals.nps is not None and signals.nps_before is not None and signals.nps_before - signals.nps >= NPS_DROP:
        found.append(Deduction(Reason.NPS_TREND, weight[Weight.TREND], value=signals.nps, before=signals.nps_before))
    per(Reason.ACTIONS, Weight.ACTION, signals.overdue_actions)
    per(Reason.DISPUTES, Weight.DISPUTE, signals.open_disputes)
    kept = tuple(sorted((d for d in found if d.points > 0), key=lambda d: -d.points))
    score = max(0, 100 - sum(d.points for d in kept))
    return Health(score, policy.band(score), kept)


def worst_first(health: Health) -> tuple[int, int]:
    """Sort key: red before amber before green, then the lower score first."""
    return BAND_RANK[health.band], health.score


# -- settings ------------------------------------------------------------------------------------------

def parse_health_weights(text: str | None) -> dict[Weight, int]:
    """Read `breach=10,complaint=3,…` (names not given keep their default); whole numbers from 0 to 100."""
    weights = dict(DEFAULT_WEIGHTS)
    for part in (p for p in re.split(r"[,;\s]+", (text or "").strip()) if p):
        name, sep, value = part.partition("=")
        try:
            key = Weight(name.strip().lower())
        except ValueError:
            raise InvalidInput(_("“{name}” is not a health signal. Use: {names}.").format(
                name=name, names=", ".join(w.value for w in Weight))) from None
        if not sep or not _POINTS.fullmatch(value.strip()) or int(value) > MAX_WEIGHT:
            raise InvalidInput(_("Give each health weight as name=points, a whole number from 0 to {most} "
                                 "(e.g. `breach=10,complaint=3`).").format(most=MAX_WEIGHT))
        weights[key] = int(value)
    return weights


def parse_bands(text: str | None) -> tuple[int, int]:
    """Read the band edges `75,50`: the lowest green score, then the lowest amber one (100 ≥ green > amber > 0)."""
    parts = [p.strip() for p in (text or "").split(",") if p.strip()]
    if not parts:
        return GREEN, AMBER
    if len(parts) != 2 or not all(_POINTS.fullmatch(p) for p in parts) or \
            not 100 >= int(parts[0]) > int(parts[1]) > 0:
        raise InvalidInput(_("Give the health bands as two scores, the lowest green then the lowest amber, such as "
                             "`75,50`."))
    return int(parts[0]), int(parts[1])


# -- words -----------------------------------------------------------------------------------------

def band_label(band: Band) -> str:
    """"🟢 green", "🟠 amber", "🔴 red"."""
    return {Band.GREEN: "🟢 " + _("green"), Band.AMBER: "🟠 " + _("amber"), Band.RED: "🔴 " + _("red")}[band]


def score_label(health: Health) -> str:
    """"🟠 62 / 100"."""
    return f"{band_label(health.band).split(' ')[0]} {health.score} / 100"


def reason_text(deduction: Deduction) -> str:
    """Why the points were taken, in the language being spoken."""
    n = deduction.count
    value = deduction.value if deduction.value is not None else 0.0
    before = deduction.before if deduction.before is not None else 0.0
    match deduction.reason:
        case Reason.CADENCE:
            return ngettext("no contact for {n} day (cadence: {cadence})", "no contact for {n} days (cadence: "
                            "{cadence})", n).format(n=n, cadence=int(value))
        case Reason.COMPLAINTS:
            return ngettext("{n} complaint in the last 30 days", "{n} complaints in the last 30 days", n).format(n=n)
        case Reason.BREACHES:
            return ngettext("{n} SLA breach in the last 30 days", "{n} SLA breaches in the last 30 days",
                            n).format(n=n)
        case Reason.CRITICAL:
            return ngettext("{n} critical complaint still open", "{n} critical complaints still open", n).format(n=n)
        case Reason.CSAT:
            return _("CSAT {csat:.1f} over 90 days").format(csat=value)
        case Reason.CSAT_TREND:
            return _("CSAT down from {before:.1f} to {csat:.1f}").format(before=before, csat=value)
        case Reason.NPS:
            return _("NPS {nps} over 90 days").format(nps=int(value))
        case Reason.NPS_TREND:
            return _("NPS down from {before} to {nps}").format(before=int(before), nps=int(value))
        case Reason.ACTIONS:
            return ngettext("{n} action item overdue", "{n} action items overdue", n).format(n=n)
        case Reason.DISPUTES:
            return ngettext("{n} open dispute with its suppliers", "{n} open disputes with its suppliers",
                            n).format(n=n)


def deduction_line(deduction: Deduction) -> str:
    """"−20: 2 SLA breaches in the last 30 days"."""
    return _("−{points}: {reason}").format(points=deduction.points, reason=reason_text(deduction))


def reasons_text(health: Health) -> str:
    """Every deduction on one line, or that nothing was taken off."""
    if not health.deductions:
        return _("nothing to worry about")
    return " · ".join(deduction_line(d) for d in health.deductions)
