"""Support contracts (支持合同): terms checked against the customer SLA they back, single-source risk, and
expiry alerts at 90, 30 and 7 days — free of Slack.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.workdays import parse_business_hours
from bot.care.complaint_clock import targets_for
from bot.platform import outbox
from bot.platform.errors import InvalidInput, Refused
from bot.platform.i18n import _
from bot.platform.services import Services
from bot.suppliers.scoring import (
    CustomerTerms,
    FormErrors,
    ServiceHours,
    SupplierPolicy,
    SupplierTerms,
    TermCheck,
    business_hours_as_service,
    check_terms,
    parse_duration,
    parse_percent,
    parse_service_hours,
)
from storage import accounts as account_store
from storage.accounts import Account, AccountKind
from storage.care.complaints import ComplaintSeverity
from storage.platform.audit import SCHEDULER, record_change
from storage.suppliers import contracts as store
from storage.suppliers.contracts import SupportContract

EXPIRY_ALERT_DAYS = (90, 30, 7)
ALERT_TIME = time(9, 0)  # alerts go out at 09:00 in the team's time zone
DUE_BATCH = 200


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
class ContractStatus:
    """A contract with its terms checked against the customer SLA it backs, and its flags."""

    contract: SupportContract
    supplier_name: str
    customer_name: str
    customer: CustomerTerms
    checks: list[TermCheck]
    flags: list[ContractFlag]
    days_left: int  # until the last valid day; negative once expired
    next_alert_at: datetime | None
    margin: float  # the share by which each term had to beat the customer's

    @property
    def flagged_terms(self) -> list[TermCheck]:
        """The terms that leave no margin or are looser."""
        return [check for check in self.checks if check.flagged]


def customer_terms(account: Account, severity: str, *, policy: SupplierPolicy,
                   availability: float | None) -> CustomerTerms:
    """What a customer service promises: its complaint SLA for the severity, on its business hours."""
    response, resolution = targets_for(account, ComplaintSeverity(severity))
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


def _read_form(session: Session, form: ContractForm, *, today: date) -> tuple[Account, dict]:
    """Check every field; FormErrors names each one to fix."""
    errors: dict[str, str] = {}
    values: dict = {}
    customer = None
    if not (form.customer or "").strip():
        errors["customer"] = _("Name the customer account this contract backs.")
    else:
        customer = account_store.get_account_by_name(session, name=form.customer)
        if customer is None:
            errors["customer"] = _("No account called “{name}”.").format(name=form.customer.strip())
        elif customer.kind != AccountKind.CUSTOMER:
            errors["customer"] = _("“{name}” is not a customer account.").format(name=customer.name)
    if form.severity not in {s.value for s in ComplaintSeverity}:
        errors["severity"] = _("Pick the severity of the customer's SLA this contract backs.")
    readers = {
        "response": lambda text: parse_duration(text, what=_("the response time")),
        "resolution": lambda text: parse_duration(text, what=_("the resolution time")),
        "availability": lambda text: parse_percent(text, what=_("the availability")),
        "service_hours": parse_service_hours,
    }
    for name, read in readers.items():
        try:
            values[name] = read(getattr(form, name) or "")
        except InvalidInput as exc:
            errors[name] = exc.message
    values["customer_availability"] = None
    if (form.customer_availability or "").strip():
        try:
            values["customer_availability"] = parse_percent(form.customer_availability,
                                                            what=_("the customer's availability"))
        except InvalidInput as exc:
            errors["customer_availability"] = exc.message
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
    return customer, values


def record_contract(session: Session, *, supplier_id: int, form: ContractForm, actor_id: str, now: datetime,
                    policy: SupplierPolicy) -> ContractStatus:
    """Save a support contract and check it against the customer SLA it backs; nothing saved on FormErrors."""
    today = now.astimezone(policy.timezone).date()
    customer, values = _read_form(session, form, today=today)
    supplier = session.get(Account, supplier_id)
    if supplier is None or supplier.kind != AccountKind.SUPPLIER:
        raise Refused(_("That supplier no longer exists; nothing was saved."))
    service_hours: ServiceHours = values["service_hours"]
    contract = SupportContract(
        supplier_id=supplier.id, customer_id=customer.id, severity=form.severity,
        response_minutes=values["response"], resolution_minutes=values["resolution"],
        availability=values["availability"], customer_availability=values["customer_availability"],
        service_hours=str(service_hours), valid_from=form.valid_from, valid_until=form.valid_until,
        subcontracting_allowed=form.subcontracting_allowed, ip_clause=form.ip_clause,
        security_clause=form.security_clause, next_alert_at=next_alert_after(form.valid_until, now, policy.timezone),
        created_by=actor_id, created_at=now,
    )
    store.add_contract(session, contract)
    status = assess(session, contract, supplier=supplier, customer=customer, now=now, policy=policy)
    record_change(session, actor_id=actor_id, action="supplier.contract", object_type="support_contract",
                  object_id=contract.id, at=now,
                  after={"supplier_id": supplier.id, "customer_id": customer.id, "severity": contract.severity,
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
        backing = store.count_backing_suppliers(session, customer_id=customer.id, severity=contract.severity, on=today)
        if backing <= 1:
            flags.append(ContractFlag.SINGLE_SOURCE)
    if contract.subcontracting_allowed:
        flags.append(ContractFlag.SUBCONTRACTING)
    if not contract.ip_clause:
        flags.append(ContractFlag.NO_IP_CLAUSE)
    if not contract.security_clause:
        flags.append(ContractFlag.NO_SECURITY_CLAUSE)
    return ContractStatus(contract=contract, supplier_name=supplier.name, customer_name=customer.name, customer=terms,
                          checks=check_terms(supplier_terms, terms, margin=policy.margin), flags=flags,
                          days_left=days_left, next_alert_at=contract.next_alert_at, margin=policy.margin)


def supplier_contracts(session: Session, *, supplier: Account, now: datetime,
                       policy: SupplierPolicy) -> list[ContractStatus]:
    """A supplier's contracts, latest expiry first, each checked as of `now`."""
    statuses = []
    for contract in store.list_supplier_contracts(session, supplier_id=supplier.id):
        customer = session.get(Account, contract.customer_id)
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
        days = min(passed)
        supplier = session.get(Account, contract.supplier_id)
        customer = session.get(Account, contract.customer_id)
        data = {"contract_id": contract.id, "supplier": supplier.name, "customer": customer.name,
                "severity": contract.severity, "valid_until": contract.valid_until.isoformat(), "days": days}
        for person in (supplier.owner_id,) if supplier.owner_id else managers:
            outbox.dm(session, key=f"supplier-contract-expiry:{contract.id}:{days}:{person}", user=person,
                      kind="supplier_contract_expiry", data=data, now=now)
        record_change(session, actor_id=SCHEDULER, action="supplier.contract_expiry_alert",
                      object_type="support_contract", object_id=contract.id, at=now, after={"days": days})
        sent += 1
    return sent
