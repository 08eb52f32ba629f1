"""Support-contract terms: service hours, durations and percentages read from text, and each supplier term
checked against the customer term it backs, with a margin. No database, no Slack: values in, verdicts out.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import time
from enum import StrEnum

from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.suppliers.scoring import CONTRACT_MARGIN, EPSILON

_DURATION = re.compile(r"^(?P<n>[0-9]{1,5}(?:\.[0-9]{1,2})?)\s*(?P<unit>m|min|mins|minutes?|h|hrs?|hours?)?$")
_PERCENT = re.compile(r"^(?P<n>[0-9]{1,3}(?:\.[0-9]{1,4})?)\s*%?$")
_HOURS = re.compile(r"^(?P<days>[1-7])\s*[x×*]\s*(?P<hours>[0-9]{1,2}(?:\.[0-9])?)"
                    r"(?:\s+(?P<start>[0-9]{1,2}:[0-9]{2})\s*-\s*(?P<end>[0-9]{1,2}:[0-9]{2}))?$")


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


def check_terms(supplier: SupplierTerms, customer: CustomerTerms, *,
                margin: float = CONTRACT_MARGIN) -> list[TermCheck]:
    """Each supplier term against the customer's, in a fixed order."""
    return [
        check_time(Term.RESPONSE, supplier.response_minutes, customer.response_minutes, margin),
        check_time(Term.RESOLUTION, supplier.resolution_minutes, customer.resolution_minutes, margin),
        check_availability(supplier.availability, customer.availability, margin),
        check_service_hours(supplier.service_hours, customer.service_hours),
    ]
