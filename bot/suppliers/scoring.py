"""Pure rules for suppliers: weighted selection totals, audit averages and trends, and support terms
checked against the customer SLA they back. No database, no Slack: values in, verdicts out.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from enum import StrEnum
from zoneinfo import ZoneInfo

from bot.platform.config import Settings
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from storage.suppliers.evaluations import Criterion, Dimension

SCORES = range(1, 6)
QUALIFY_THRESHOLD = 3.5  # a weighted total at or above this qualifies a candidate
AUDIT_THRESHOLD = 3.0  # a latest audit average under this flags "improve or replace"
CONTRACT_MARGIN = 0.2  # supplier terms must be stricter than the customer's by this share
MAX_WEIGHT = 10.0
EPSILON = 1e-9
WEIGHT_ALIASES = {"security": Criterion.QUALIFICATIONS, "qualification": Criterion.QUALIFICATIONS,
                  "skills": Criterion.ENGINEERS, "scale": Criterion.SCALABILITY, "complementarity": Criterion.FIT,
                  "customer": Criterion.CUSTOMERS, "engineer": Criterion.ENGINEERS}


class FormErrors(InvalidInput):
    """Fields of a form that need fixing: `fields` maps each field to what to do."""

    def __init__(self, fields: dict[str, str]) -> None:
        super().__init__(" ".join(dict.fromkeys(fields.values())))
        self.fields = fields


@dataclass(frozen=True)
class SupplierPolicy:
    """Team-wide supplier settings: thresholds, default weights, the contract margin, the calendar."""

    qualify_threshold: float = QUALIFY_THRESHOLD
    audit_threshold: float = AUDIT_THRESHOLD
    margin: float = CONTRACT_MARGIN
    weights: Mapping[str, float] = field(default_factory=lambda: equal_weights())
    timezone: ZoneInfo = ZoneInfo("UTC")
    business_hours: str = "09:00-18:00"
    managers: tuple[str, ...] = ()

    @classmethod
    def from_settings(cls, settings: Settings) -> SupplierPolicy:
        """The policy configured in the environment."""
        return cls(settings.rapport_supplier_threshold, settings.rapport_audit_threshold,
                   settings.rapport_contract_margin, parse_weights(settings.rapport_supplier_weights),
                   settings.zone, settings.rapport_business_hours, tuple(settings.rapport_managers))


# -- selection -------------------------------------------------------------------------------------

def equal_weights() -> dict[str, float]:
    """Every criterion counts the same."""
    return {criterion.value: 1.0 for criterion in Criterion}


def parse_weights(text: str | None, *, base: Mapping[str, float] | None = None) -> dict[str, float]:
    """Read weights: nine numbers in criterion order, or `name=weight` pairs (others keep `base`, else 1)."""
    weights = dict(base or equal_weights())
    text = (text or "").strip()
    if not text:
        return weights
    parts = [part for part in re.split(r"[,;\s]+", text) if part]
    if all("=" not in part for part in parts):
        if len(parts) != len(Criterion):
            raise InvalidInput(_("Give nine weights in criterion order (e.g. `2 1 1 2 1 1 1 1 1`), or name the ones "
                                 "that differ: `capital=2 scalability=3`."))
        weights = {criterion.value: _weight(part) for criterion, part in zip(Criterion, parts, strict=True)}
    else:
        for part in parts:
            name, _sep, value = part.partition("=")
            weights[_criterion(name).value] = _weight(value)
    if not any(weights.values()):
        raise InvalidInput(_("At least one weight must be more than 0."))
    return weights


def _criterion(name: str) -> Criterion:
    key = name.strip().lower()
    try:
        return WEIGHT_ALIASES.get(key) or Criterion(key)
    except ValueError:
        raise InvalidInput(_("“{name}” is not a criterion. Use: {names}.").format(
            name=name, names=", ".join(c.value for c in Criterion))) from None


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


def check_scores(scores: Mapping[str, int | None], keys: Sequence[StrEnum]) -> list[StrEnum]:
    """The keys with no score, or a score outside 1–5."""
    return [key for key in keys if scores.get(key.value) not in SCORES]


def weighted_total(scores: Mapping[str, int], weights: Mapping[str, float]) -> float:
    """The weighted average of the nine scores, on the same 1–5 scale, to two decimals."""
    weight_sum = sum(weights.get(c.value, 0.0) for c in Criterion)
    if weight_sum <= 0:
        raise InvalidInput(_("At least one weight must be more than 0."))
    return round(sum(scores[c.value] * weights.get(c.value, 0.0) for c in Criterion) / weight_sum, 2)


def qualifies(total: float, threshold: float = QUALIFY_THRESHOLD) -> bool:
    """The verdict: qualified when the total reaches the threshold."""
    return total + EPSILON >= threshold


# -- audits ----------------------------------------------------------------------------------------

def audit_average(scores: Mapping[str, int]) -> float:
    """The plain average of the six dimensions, to two decimals."""
    return round(sum(scores[d.value] for d in Dimension) / len(Dimension), 2)


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


# -- support contracts -----------------------------------------------------------------------------

_DURATION = re.compile(r"^(?P<n>\d{1,5}(?:\.\d{1,2})?)\s*(?P<unit>m|min|mins|minutes?|h|hrs?|hours?)?$")
_PERCENT = re.compile(r"^(?P<n>\d{1,3}(?:\.\d{1,4})?)\s*%?$")
_HOURS = re.compile(r"^(?P<days>[1-7])\s*[x×*]\s*(?P<hours>\d{1,2}(?:\.\d)?)"
                    r"(?:\s+(?P<start>\d{1,2}:\d{2})\s*-\s*(?P<end>\d{1,2}:\d{2}))?$")


def parse_duration(text: str, *, what: str) -> int:
    """Minutes from `30m`, `4h`, `1.5 hours` or a bare number of hours."""
    match = _DURATION.match(text.strip().lower())
    if not match or float(match.group("n")) <= 0:
        raise InvalidInput(_("Read {what} as hours or minutes, e.g. `4h`, `30m` or `1.5`.").format(what=what))
    value, unit = float(match.group("n")), match.group("unit") or "h"
    return round(value if unit.startswith("m") else value * 60)


def parse_percent(text: str, *, what: str) -> float:
    """A percentage above 0 and at most 100, e.g. `99.9` or `99.9%`."""
    match = _PERCENT.match(text.strip())
    value = float(match.group("n")) if match else 0.0
    if not 0 < value <= 100:
        raise InvalidInput(_("Give {what} as a percentage such as `99.9`.").format(what=what))
    return value


@dataclass(frozen=True)
class ServiceHours:
    """When a service is staffed: days a week, hours a day, and optionally the daily window."""

    days: int
    hours: float
    window: tuple[int, int] | None = None  # minutes since midnight, start and end

    def __str__(self) -> str:
        text = f"{self.days}x{self.hours:g}"
        if self.window and self.hours < 24:
            start, end = self.window
            text += f" {start // 60:02d}:{start % 60:02d}-{end // 60:02d}:{end % 60:02d}"
        return text


def parse_service_hours(text: str) -> ServiceHours:
    """`7x24`, `5x8`, or `5x8 09:00-17:00` (days a week × hours a day, with the window if known)."""
    match = _HOURS.match(text.strip().lower())
    if not match:
        raise InvalidInput(_("Write service hours as days × hours, e.g. `7x24`, `5x8` or `5x9 09:00-18:00`."))
    hours = float(match.group("hours"))
    if not 0 < hours <= 24:
        raise InvalidInput(_("Hours a day go from 1 to 24."))
    window = None
    if match.group("start"):
        start, end = _minutes(match.group("start")), _minutes(match.group("end"))
        if end <= start or end - start != round(hours * 60):
            raise InvalidInput(_("The window {start}–{end} does not last {hours:g} hours.").format(
                start=match.group("start"), end=match.group("end"), hours=hours))
        window = (start, end)
    return ServiceHours(days=int(match.group("days")), hours=hours, window=window)


def _minutes(clock: str) -> int:
    hours, minutes = (int(part) for part in clock.split(":"))
    if hours > 24 or minutes > 59 or (hours == 24 and minutes):
        raise InvalidInput(_("“{clock}” is not a time of day.").format(clock=clock))
    return hours * 60 + minutes


def business_hours_as_service(start: time, end: time, *, days: int = 5) -> ServiceHours:
    """The customer's service hours: its business window on working days."""
    first = start.hour * 60 + start.minute
    last = end.hour * 60 + end.minute or 24 * 60
    return ServiceHours(days=days, hours=(last - first) / 60, window=(first, last))


def covers(supplier: ServiceHours, customer: ServiceHours) -> bool:
    """True when the supplier is on duty whenever the customer's service is."""
    if supplier.days < customer.days:
        return False
    if supplier.hours >= 24:
        return True
    if supplier.window and customer.window:
        return supplier.window[0] <= customer.window[0] and supplier.window[1] >= customer.window[1]
    return supplier.hours + EPSILON >= customer.hours


class Standing(StrEnum):
    """How a supplier term compares with the customer term it backs."""

    STRICTER = "stricter"  # stricter by at least the margin: fine
    WITHIN_MARGIN = "within_margin"  # as strict or stricter, but by less than the margin: flagged
    LOOSER = "looser"  # looser than the customer's: flagged
    UNCHECKED = "unchecked"  # nothing to compare with


class Term(StrEnum):
    """The contract terms checked against the customer SLA."""

    RESPONSE = "response"
    RESOLUTION = "resolution"
    AVAILABILITY = "availability"
    SERVICE_HOURS = "service_hours"


@dataclass(frozen=True)
class TermCheck:
    """One term: the supplier's value, the customer's, what the margin demands, and the standing."""

    term: Term
    standing: Standing
    supplier: float | str
    customer: float | str | None
    needed: float | str | None = None

    @property
    def flagged(self) -> bool:
        """True when the term leaves no margin, or is looser."""
        return self.standing in (Standing.WITHIN_MARGIN, Standing.LOOSER)


def check_time(term: Term, supplier_minutes: int, customer_minutes: int, margin: float) -> TermCheck:
    """A supplier time must be at most (1 − margin) of the customer's."""
    needed = customer_minutes * (1 - margin)
    if supplier_minutes <= needed + EPSILON:
        standing = Standing.STRICTER
    elif supplier_minutes <= customer_minutes:
        standing = Standing.WITHIN_MARGIN
    else:
        standing = Standing.LOOSER
    return TermCheck(term, standing, supplier_minutes, customer_minutes, needed)


def check_availability(supplier: float, customer: float | None, margin: float) -> TermCheck:
    """Higher availability, its downtime at most (1 − margin) of the customer's allowed downtime."""
    if customer is None:
        return TermCheck(Term.AVAILABILITY, Standing.UNCHECKED, supplier, None)
    needed = round(100 - (100 - customer) * (1 - margin), 4)
    if supplier + EPSILON >= needed:
        standing = Standing.STRICTER
    elif supplier + EPSILON >= customer:
        standing = Standing.WITHIN_MARGIN
    else:
        standing = Standing.LOOSER
    return TermCheck(Term.AVAILABILITY, standing, supplier, customer, needed)


def check_service_hours(supplier: ServiceHours, customer: ServiceHours) -> TermCheck:
    """The supplier's hours must cover the customer's (no margin applies to coverage)."""
    standing = Standing.STRICTER if covers(supplier, customer) else Standing.LOOSER
    return TermCheck(Term.SERVICE_HOURS, standing, str(supplier), str(customer), str(customer))


@dataclass(frozen=True)
class CustomerTerms:
    """What the customer service promises: its complaint SLA for one severity, hours and availability."""

    response_minutes: int
    resolution_minutes: int
    service_hours: ServiceHours
    availability: float | None = None


@dataclass(frozen=True)
class SupplierTerms:
    """What the supplier promises in its support contract."""

    response_minutes: int
    resolution_minutes: int
    service_hours: ServiceHours
    availability: float


def check_terms(supplier: SupplierTerms, customer: CustomerTerms, *, margin: float = CONTRACT_MARGIN) -> list[TermCheck]:
    """Each supplier term against the customer's, in a fixed order."""
    return [
        check_time(Term.RESPONSE, supplier.response_minutes, customer.response_minutes, margin),
        check_time(Term.RESOLUTION, supplier.resolution_minutes, customer.resolution_minutes, margin),
        check_availability(supplier.availability, customer.availability, margin),
        check_service_hours(supplier.service_hours, customer.service_hours),
    ]
