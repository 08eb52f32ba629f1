"""Pure rules for suppliers (and any party scored the same way): the team's supplier policy, criteria sets, weighted
selection totals, audit averages and trends, and "improve or replace". No database, no Slack: values in, verdicts
out (support terms: bot.suppliers.contract_terms; third parties' criteria: bot.thirdparty.criteria).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.platform.config import Settings
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.platform.text import cut
from storage.suppliers.evaluations import Criterion, Dimension

K = TypeVar("K", bound=str)
SCORES = range(1, 6)
QUALIFY_THRESHOLD = 3.5  # a weighted total at or above this qualifies a candidate
AUDIT_THRESHOLD = 3.0  # a latest audit average under this flags "improve or replace"
CONTRACT_MARGIN = 0.2  # supplier terms must be stricter than the customer's by this share
MAX_WEIGHT = 10.0
EPSILON = 1e-9
NOTE_LIMIT = 500
UTC_ZONE = ZoneInfo("UTC")
WEIGHT_ALIASES = {"security": Criterion.QUALIFICATIONS, "qualification": Criterion.QUALIFICATIONS,
                  "skills": Criterion.ENGINEERS, "scale": Criterion.SCALABILITY, "complementarity": Criterion.FIT,
                  "customer": Criterion.CUSTOMERS, "engineer": Criterion.ENGINEERS}


@dataclass(frozen=True)
class CriteriaSet:
    """The items a party is scored on, in the order people score them, and other names weights may use."""

    keys: tuple[str, ...]
    aliases: Mapping[str, str] = field(default_factory=dict)

    def key(self, name: str) -> str | None:
        """The item a typed name means (its key or an alias), or None."""
        word = name.strip().lower().replace("-", "_")
        found = self.aliases.get(word, word)
        return found if found in self.keys else None


SUPPLIER_CRITERIA = CriteriaSet(tuple(c.value for c in Criterion), {k: v.value for k, v in WEIGHT_ALIASES.items()})
SUPPLIER_DIMENSIONS = CriteriaSet(tuple(d.value for d in Dimension))


def equal_weights(criteria: CriteriaSet = SUPPLIER_CRITERIA) -> dict[str, float]:
    """Every criterion counts the same."""
    return dict.fromkeys(criteria.keys, 1.0)


@dataclass(frozen=True)
class SupplierPolicy:
    """Team-wide supplier settings: thresholds, default weights, the contract margin, the calendar."""

    qualify_threshold: float = QUALIFY_THRESHOLD
    audit_threshold: float = AUDIT_THRESHOLD
    margin: float = CONTRACT_MARGIN
    weights: Mapping[str, float] = field(default_factory=equal_weights)
    timezone: ZoneInfo = UTC_ZONE
    business_hours: str = "09:00-18:00"

    @classmethod
    def from_settings(cls, settings: Settings) -> SupplierPolicy:
        """The policy configured in the environment."""
        return cls(settings.rapport_supplier_threshold, settings.rapport_audit_threshold,
                   settings.rapport_contract_margin, parse_weights(settings.rapport_supplier_weights),
                   settings.zone, settings.rapport_business_hours)


# -- selection -------------------------------------------------------------------------------------

def parse_weights(text: str | None, *, base: Mapping[str, float] | None = None,
                  criteria: CriteriaSet = SUPPLIER_CRITERIA) -> dict[str, float]:
    """Read weights: one number per criterion in order, or `name=weight` pairs (others keep `base`, else 1)."""
    weights = dict(base or equal_weights(criteria))
    text = (text or "").strip()
    if not text:
        return weights
    parts = [part for part in re.split(r"[,;\s]+", text) if part]
    if all("=" not in part for part in parts):
        if len(parts) != len(criteria.keys):
            example = " ".join(["2", *["1"] * (len(criteria.keys) - 1)])
            raise InvalidInput(_("Give {n} weights in criterion order (e.g. `{example}`), or name the ones that "
                                 "differ: `{key}=2`.").format(n=len(criteria.keys), example=example,
                                                              key=criteria.keys[0]))
        weights = {key: _weight(part) for key, part in zip(criteria.keys, parts, strict=True)}
    else:
        for part in parts:
            name, _sep, value = part.partition("=")
            weights[_criterion(name, criteria)] = _weight(value)
    if not any(weights.values()):
        raise InvalidInput(_("At least one weight must be more than 0."))
    return weights


def _criterion(name: str, criteria: CriteriaSet) -> str:
    key = criteria.key(name)
    if key is None:
        raise InvalidInput(_("“{name}” is not a criterion. Use: {names}.").format(
            name=name, names=", ".join(criteria.keys)))
    return key


def _weight(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise InvalidInput(_("“{text}” is not a weight; use a number from 0 to {most:g}.").format(
            text=text, most=MAX_WEIGHT)) from None
    if not 0 <= value <= MAX_WEIGHT:
        raise InvalidInput(_("Weights go from 0 to {most:g}; “{text}” is out of range.").format(
            text=text, most=MAX_WEIGHT))
    return value


def clean_notes(raw: Mapping[str, str | None]) -> dict[str, str] | None:
    """The notes worth keeping, each on one line and cut to NOTE_LIMIT (None when there are none)."""
    notes = {key: cut(" ".join(value.split()), NOTE_LIMIT) for key, value in raw.items() if value and value.strip()}
    return notes or None


def check_scores(scores: Mapping[str, int | None], keys: Sequence[K]) -> list[K]:
    """The keys with no score, or a score outside 1–5."""
    return [key for key in keys if scores.get(str(key)) not in SCORES]


def weighted_total(scores: Mapping[str, int], weights: Mapping[str, float],
                   criteria: CriteriaSet = SUPPLIER_CRITERIA) -> float:
    """The weighted average of the scores, on the same 1–5 scale, to two decimals."""
    weight_sum = sum(weights.get(key, 0.0) for key in criteria.keys)
    if weight_sum <= 0:
        raise InvalidInput(_("At least one weight must be more than 0."))
    return round(sum(scores[key] * weights.get(key, 0.0) for key in criteria.keys) / weight_sum, 2)


def qualifies(total: float, threshold: float = QUALIFY_THRESHOLD) -> bool:
    """The verdict: qualified when the total reaches the threshold."""
    return total + EPSILON >= threshold


# -- audits ----------------------------------------------------------------------------------------

def audit_average(scores: Mapping[str, int], dimensions: CriteriaSet = SUPPLIER_DIMENSIONS) -> float:
    """The plain average of the dimensions (a supplier's six), to two decimals."""
    return round(sum(scores[key] for key in dimensions.keys) / len(dimensions.keys), 2)


class Trend(StrEnum):
    """Which way a score moved since the audit before."""

    UP = "up"
    DOWN = "down"
    FLAT = "flat"
    NEW = "new"  # only one audit so far


def trend(values: Sequence[float]) -> Trend:
    """Compare the latest value with the one before it."""
    if len(values) < 2:
        return Trend.NEW
    if values[-1] > values[-2] + EPSILON:
        return Trend.UP
    if values[-1] < values[-2] - EPSILON:
        return Trend.DOWN
    return Trend.FLAT


class Concern(StrEnum):
    """Why a supplier is flagged "improve or replace"."""

    BELOW_THRESHOLD = "below_threshold"
    FALLING = "falling"  # the average fell two audits in a row


def improve_or_replace(averages: Sequence[float], threshold: float = AUDIT_THRESHOLD) -> list[Concern]:
    """The reasons to flag a supplier, from its audit averages oldest first (none: no flag)."""
    reasons = []
    if averages and averages[-1] < threshold - EPSILON:
        reasons.append(Concern.BELOW_THRESHOLD)
    if len(averages) >= 3 and averages[-1] < averages[-2] - EPSILON and averages[-2] < averages[-3] - EPSILON:
        reasons.append(Concern.FALLING)
    return reasons
