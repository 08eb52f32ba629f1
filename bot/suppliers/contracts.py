"""Support contracts (支持合同): terms checked against the customer SLA they back, single-source risk, and
expiry alerts at 90, 30 and 7 days — free of Slack.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.workdays import parse_business_hours
from bot.care.complaint_clock import targets_for
from bot.platform import outbox
from bot.platform.errors import FormErrors, InvalidInput
from bot.platform.i18n import _
from bot.platform.services import Services
from bot.suppliers.cards import SupplierContractExpiryCard
from bot.suppliers.contract_terms import (
    CustomerTerms,
    ServiceHours,
    SupplierTerms,
    TermCheck,
    business_hours_as_service,
    check_terms,
    parse_duration,
    parse_percent,
    parse_service_hours,
)
from bot.suppliers.evaluation import supplier_by_id
from bot.suppliers.scoring import SupplierPolicy
from bot.suppliers.subcontracting import SubcontractorCheck, check_subcontractors
from storage import accounts as account_store
from storage.accounts import Account, AccountKind
from storage.care.complaints import ComplaintSeverity
from storage.platform.audit import SCHEDULER, record_change
from storage.suppliers import contracts as store
from storage.suppliers.contracts import SupportContract

EXPIRY_ALERT_DAYS = (90, 30, 7)
ALERT_TIME = time(9, 0)  # alerts go out at 09:00 in the team's time zone
DUE_BATCH = 200

T = TypeVar("T")


class ContractFlag(StrEnum):
    """Risks of a contract besides its terms."""

    SINGLE_SOURCE = "single_source"  # the only supplier backing this customer service
    SUBCONTRACTING = "subcontracting"  # subcontracting allowed: risk of multi-level subcontracting
    NO_IP_CLAUSE = "no_ip_clause"
    NO_SECURITY_CLAUSE = "no_security_clause"
    EXPIRED = "expired"
    EXPIRING = "expiring"  # within the first alert (90 days)
    NOT_STARTED = "not_started"


@dataclass(frozen=True)
class ContractForm:
    """What the contract modal holds, unchecked."""

    customer: str | None
    severity: str | None
    response: str | None
    resolution: str | None
    availability: str | None
    service_hours: str | None
    valid_from: date | None
    valid_until: date | None
    customer_availability: str | None = None
    subcontracting_allowed: bool = False
    ip_clause: bool = False
    security_clause: bool = False


@dataclass(frozen=True)
class ContractTerms:
    """A contract form once every field has been read and checked."""

    customer: Account
    severity: ComplaintSeverity
    response_minutes: int
    resolution_minutes: int
    availability: float
    service_hours: ServiceHours
    valid_from: date
    valid_until: date
    customer_availability: float | None


@dataclass(frozen=True)
class ContractStatus:
    """A contract with its terms checked against the customer SLA it backs, and its flags."""

    contract: SupportContract
    supplier_name: str
    customer_name: str
    checks: list[TermCheck]
    flags: list[ContractFlag]
    days_left: int  # until the last valid day; negative once expired
    next_alert_at: datetime | None
    margin: float  # the share by which each term had to beat the customer's
    subcontractors: tuple[SubcontractorCheck, ...] = ()  # the supplier's, each with the clauses it lacks

    @property
    def flagged_terms(self) -> list[TermCheck]:
        """The terms that leave no margin or are looser."""
        return [check for check in self.checks if check.flagged]

    @property
    def subcontracting_flagged(self) -> bool:
        """A subcontractor lacks a clause, subcontracts again, or the contract allows no subcontracting."""
        return any(sub.missing or sub.further or not self.contract.subcontracting_allowed
                   for sub in self.subcontractors)


def customer_terms(account: Account, severity: ComplaintSeverity, *, policy: SupplierPolicy,
                   availability: float | None) -> CustomerTerms:
    """What a customer service promises: its complaint SLA for the severity, on its business hours."""
    response, resolution = targets_for(account, severity)
    start, end = parse_business_hours(account.business_hours or policy.business_hours)
    return CustomerTerms(response_minutes=int(response.total_seconds() // 60),
                         resolution_minutes=int(resolution.total_seconds() // 60),
                         service_hours=business_hours_as_service(start, end), availability=availability)


def alert_moment(valid_until: date, days: int, zone: ZoneInfo) -> datetime:
    """When the `days`-before-expiry alert goes out."""
    return datetime.combine(valid_until - timedelta(days=days), ALERT_TIME, tzinfo=zone)


def next_alert_after(valid_until: date, moment: datetime, zone: ZoneInfo) -> datetime | None:
    """The first expiry alert strictly after `moment`, if any is left."""
    upcoming = [alert_moment(valid_until, days, zone) for days in EXPIRY_ALERT_DAYS]
    return min((at for at in upcoming if at > moment), default=None)


def _customer(session: Session, name: str | None, errors: dict[str, str]) -> Account | None:
    if not (name or "").strip():
        errors["customer"] = _("Name the customer account this contract backs.")
        return None
    customer = account_store.get_account_by_name(session, name=name or "")
    if customer is None:
        errors["customer"] = _("No account called “{name}”.").format(name=(name or "").strip())
    elif customer.kind != AccountKind.CUSTOMER:
        errors["customer"] = _("“{name}” is not a customer account.").format(name=customer.name)
    return customer


def _read_form(session: Session, form: ContractForm, *, today: date) -> ContractTerms:
    """Check every field; FormErrors names each one to fix."""
    errors: dict[str, str] = {}
    customer = _customer(session, form.customer, errors)
    severity = None
    try:
        severity = ComplaintSeverity(form.severity or "")
    except ValueError:
        errors["severity"] = _("Pick the severity of the customer's SLA this contract backs.")

    def read(name: str, reader: Callable[[str], T]) -> T | None:
        try:
            return reader(getattr(form, name) or "")
        except InvalidInput as exc:
            errors[name] = exc.message
            return None

    response = read("response", lambda text: parse_duration(text, what=_("the response time")))
    resolution = read("resolution", lambda text: parse_duration(text, what=_("the resolution time")))
    availability = read("availability", lambda text: parse_percent(text, what=_("the availability")))
    service_hours = read("service_hours", parse_service_hours)
    customer_availability = None
    if (form.customer_availability or "").strip():
        customer_availability = read("customer_availability",
                                     lambda text: parse_percent(text, what=_("the customer's availability")))
    if form.valid_from is None:
        errors["valid_from"] = _("Pick the first day the contract is valid.")
    if form.valid_until is None:
        errors["valid_until"] = _("Pick the last day the contract is valid.")
    elif form.valid_from and form.valid_until < form.valid_from:
        errors["valid_until"] = _("The contract ends before it starts.")
    elif form.valid_until < today:
        errors["valid_until"] = _("The contract has already ended.")
    if errors:
        raise FormErrors(errors)
    # Every field was read above, or errors would have been raised.
    assert customer is not None and severity is not None and response is not None and resolution is not None
    assert availability is not None and service_hours is not None
    assert form.valid_from is not None and form.valid_until is not None
    return ContractTerms(customer=customer, severity=severity, response_minutes=response,
                         resolution_minutes=resolution, availability=availability, service_hours=service_hours,
                         valid_from=form.valid_from, valid_until=form.valid_until,
                         customer_availability=customer_availability)


def record_contract(session: Session, *, supplier_id: int, form: ContractForm, actor_id: str, now: datetime,
                    policy: SupplierPolicy) -> ContractStatus:
    """Save a support contract and check it against the customer SLA it backs; nothing saved on FormErrors."""
    today = now.astimezone(policy.timezone).date()
    terms = _read_form(session, form, today=today)
    supplier = supplier_by_id(session, account_id=supplier_id)
    assert supplier.id is not None and terms.customer.id is not None  # stored accounts
    contract = SupportContract(
        supplier_id=supplier.id, customer_id=terms.customer.id, severity=terms.severity,
        response_minutes=terms.response_minutes, resolution_minutes=terms.resolution_minutes,
        availability=terms.availability, customer_availability=terms.customer_availability,
        service_hours=str(terms.service_hours), valid_from=terms.valid_from, valid_until=terms.valid_until,
        subcontracting_allowed=form.subcontracting_allowed, ip_clause=form.ip_clause,
        security_clause=form.security_clause, next_alert_at=next_alert_after(terms.valid_until, now, policy.timezone),
        created_by=actor_id, created_at=now,
    )
    store.add_contract(session, contract)
    status = assess(session, contract, supplier=supplier, customer=terms.customer, now=now, policy=policy)
    record_change(session, actor_id=actor_id, action="supplier.contract", object_type="support_contract",
                  object_id=contract.id, at=now,
                  after={"supplier_id": supplier.id, "customer_id": terms.customer.id, "severity": contract.severity,
                         "response_minutes": contract.response_minutes,
                         "resolution_minutes": contract.resolution_minutes, "availability": contract.availability,
                         "service_hours": contract.service_hours, "valid_from": contract.valid_from.isoformat(),
                         "valid_until": contract.valid_until.isoformat(),
                         "flagged_terms": [c.term.value for c in status.flagged_terms],
                         "flags": [f.value for f in status.flags]})
    return status


def assess(session: Session, contract: SupportContract, *, supplier: Account, customer: Account, now: datetime,
           policy: SupplierPolicy) -> ContractStatus:
    """Check a contract against the customer's current SLA, and flag its risks, as of `now`."""
    today = now.astimezone(policy.timezone).date()
    terms = customer_terms(customer, contract.severity, policy=policy, availability=contract.customer_availability)
    supplier_terms = SupplierTerms(contract.response_minutes, contract.resolution_minutes,
                                   parse_service_hours(contract.service_hours), contract.availability)
    flags: list[ContractFlag] = []
    days_left = (contract.valid_until - today).days
    if days_left < 0:
        flags.append(ContractFlag.EXPIRED)
    elif contract.valid_from > today:
        flags.append(ContractFlag.NOT_STARTED)
    else:
        if days_left <= max(EXPIRY_ALERT_DAYS):
            flags.append(ContractFlag.EXPIRING)
        backing = store.count_backing_suppliers(session, customer_id=contract.customer_id, severity=contract.severity,
                                                on=today)
        if backing <= 1:
            flags.append(ContractFlag.SINGLE_SOURCE)
    if contract.subcontracting_allowed:
        flags.append(ContractFlag.SUBCONTRACTING)
    if not contract.ip_clause:
        flags.append(ContractFlag.NO_IP_CLAUSE)
    if not contract.security_clause:
        flags.append(ContractFlag.NO_SECURITY_CLAUSE)
    return ContractStatus(contract=contract, supplier_name=supplier.name, customer_name=customer.name,
                          checks=check_terms(supplier_terms, terms, margin=policy.margin), flags=flags,
                          days_left=days_left, next_alert_at=contract.next_alert_at, margin=policy.margin,
                          subcontractors=tuple(check_subcontractors(session, supplier_id=contract.supplier_id)))


def supplier_contracts(session: Session, *, supplier: Account, now: datetime,
                       policy: SupplierPolicy) -> list[ContractStatus]:
    """A supplier's contracts, latest expiry first, each checked as of `now`."""
    assert supplier.id is not None  # a stored account
    statuses = []
    for contract in store.list_supplier_contracts(session, supplier_id=supplier.id):
        customer = session.get(Account, contract.customer_id)
        assert customer is not None  # contracts keep their accounts (foreign key)
        statuses.append(assess(session, contract, supplier=supplier, customer=customer, now=now, policy=policy))
    return statuses


def run_due_contract_alerts(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: tell the supplier's owner, once per threshold, that a contract expires in 90, 30 or 7 days."""
    zone = services.settings.zone
    managers = tuple(services.settings.rapport_managers)
    sent = 0
    for contract in store.claim_due_contract_alerts(session, now=now, limit=DUE_BATCH):
        # A tick that missed a threshold (the scheduler was down) sends only the most urgent one passed.
        passed = [days for days in EXPIRY_ALERT_DAYS if alert_moment(contract.valid_until, days, zone) <= now]
        contract.next_alert_at = next_alert_after(contract.valid_until, now, zone)
        session.add(contract)
        if not passed:
            continue
        assert contract.id is not None  # a stored contract
        days = min(passed)
        supplier = session.get(Account, contract.supplier_id)
        customer = session.get(Account, contract.customer_id)
        assert supplier is not None and customer is not None  # contracts keep their accounts (foreign keys)
        card = SupplierContractExpiryCard(contract_id=contract.id, supplier=supplier.name, customer=customer.name,
                                          severity=ComplaintSeverity(contract.severity),
                                          valid_until=contract.valid_until, days=days)
        for person in (supplier.owner_id,) if supplier.owner_id else managers:
            outbox.dm(session, key=f"supplier-contract-expiry:{contract.id}:{days}:{person}", user=person,
                      card=card, now=now)
        record_change(session, actor_id=SCHEDULER, action="supplier.contract_expiry_alert",
                      object_type="support_contract", object_id=contract.id, at=now, after={"days": days})
        sent += 1
    return sent


def next_due_contract_alerts(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_contract_alerts next has work (contract expiry alert); past when some waits."""
    return store.next_contract_alert_at(session)
