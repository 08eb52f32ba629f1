"""Value-added services (增值服务): proposals for an account, checked against four principles and a budget.

A service beyond the agreed one is proposed with what it is, when (once, or a repeating rule as /meeting
reads them), its estimated cost and effort, and the four principles each affirmed with a note: it does not
affect the agreed service, it is relevant to the customer's needs, it is feasible, and it extends our
capabilities. The owner's manager is asked by DM; they can approve only when all four are affirmed and the
cost is within the account's budget for such services (none set: the manager decides), and a refusal
names what is missing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.accounts.registry import require_account
from bot.calendar.recurrence import parse_rule
from bot.calendar.workdays import WorkCalendar
from bot.platform import outbox
from bot.platform.arguments import whole_number
from bot.platform.cards import CardKind
from bot.platform.errors import FormErrors, InvalidInput, NotConfigured, NotFound, Refused
from bot.platform.i18n import _
from bot.rhythm.commands import read_date_or_rule
from storage.accounts import Account
from storage.care import services_added as store
from storage.care.services_added import AddedService, ServiceStatus
from storage.platform.audit import record_change

MAX_WHAT = 1000
MAX_SCHEDULE = 200
MAX_EFFORT = 200
MAX_NOTE = 500
MAX_COST = 1_000_000_000
# The four principles, in the order the notes give them (①–④).
PRINCIPLES = ("no_impact", "relevant", "feasible", "capability")


def principle_label(key: str) -> str:
    """A principle in words, numbered as in the notes."""
    return {"no_impact": _("① It does not affect the agreed service"),
            "relevant": _("② It is relevant to the customer's needs"),
            "feasible": _("③ It is feasible"),
            "capability": _("④ It extends our capabilities")}[key]


@dataclass(frozen=True)
class PrincipleAnswer:
    """One principle as the form affirmed it, with the proposer's note."""

    affirmed: bool
    note: str


@dataclass(frozen=True)
class ServiceForm:
    """A proposal as typed in its form."""

    what: str
    schedule: str
    cost: str
    effort: str | None
    principles: dict[str, PrincipleAnswer]


@dataclass(frozen=True)
class ServiceApprovalCard:
    """The DM asking the owner's manager to approve a proposal; updated in place, without buttons, once decided."""

    kind: ClassVar[CardKind] = CardKind.SERVICE_APPROVAL
    id: int
    account: str
    proposed_by: str
    what: str
    schedule: str
    first_at: datetime
    cost: int
    effort: str | None
    budget: int | None
    principles: tuple[tuple[str, bool, str], ...]  # (key, affirmed, note)
    status: ServiceStatus
    approver: str
    tz: ZoneInfo


@dataclass(frozen=True)
class ServiceDecidedCard:
    """The DM telling the proposer their service was approved or declined."""

    kind: ClassVar[CardKind] = CardKind.SERVICE_DECIDED
    id: int
    account: str
    what: str
    status: ServiceStatus
    approver: str


def _require_managers(managers: tuple[str, ...]) -> None:
    if not managers:
        raise NotConfigured(_("Value-added services are approved by a service manager, and none is configured: "
                              "set RAPPORT_MANAGERS to their Slack user IDs."))


def start_proposal(session: Session, *, name: str, managers: tuple[str, ...]) -> Account:
    """The account a proposal form is opened for; refused when no manager could approve it."""
    if not name.strip():
        raise InvalidInput(_("Name the account: `/service propose Acme Corp`."))
    account = require_account(session, name=name)
    _require_managers(managers)
    return account


def approver_for(account: Account, managers: tuple[str, ...]) -> str:
    """The manager asked: the first configured manager who is not the proposal's own owner, else the first."""
    return next((manager for manager in managers if manager != account.owner_id), managers[0])


@dataclass(frozen=True)
class ServiceRecorded:
    """A recorded proposal, and the keys to deliver now."""

    service: AddedService
    account: Account
    keys: list[str] = field(default_factory=list)


def approval_key(service_id: int) -> str:
    """The outbox key of the DM asking a manager to approve a proposal."""
    return f"service:{service_id}:approval"


def read_cost(text: str) -> int:
    """`1200`, `1,200` or `¥1200` → 1200; FormErrors under cost for anything else."""
    cleaned = text.strip().lstrip("¥$€£").replace(",", "").replace("，", "").strip()
    cost = whole_number(cleaned) if cleaned else None
    if cost is None or cost > MAX_COST:
        raise FormErrors({"cost": _("Give the estimated cost as a whole number, e.g. 1200 (0 if it costs nothing "
                                    "but effort).")})
    return cost


def record_proposal(session: Session, *, account_id: int, form: ServiceForm, actor_id: str, now: datetime,
                    calendar: WorkCalendar, managers: tuple[str, ...]) -> ServiceRecorded:
    """Record a proposal after checking each field, and ask the manager; FormErrors names the field."""
    try:
        _require_managers(managers)
    except NotConfigured as problem:
        raise FormErrors({"what": problem.message}) from None
    what = " ".join((form.what or "").split())
    if not what or len(what) > MAX_WHAT:
        raise FormErrors({"what": _("Say what the service is (at most {limit} characters).").format(limit=MAX_WHAT)})
    schedule = " ".join((form.schedule or "").split())
    if not schedule or len(schedule) > MAX_SCHEDULE:
        raise FormErrors({"schedule": _("Say when: a date such as `next friday 10:00`, or a rule such as "
                                        "`every month on working day 5 at 10:00`.")})
    try:
        rule, occurrences = read_date_or_rule(schedule, now=now, calendar=calendar)
    except InvalidInput as problem:
        raise FormErrors({"schedule": problem.message}) from None
    if not occurrences or occurrences[0].at <= now:
        raise FormErrors({"schedule": _("That time has passed: {when}. Pick a time still to come.").format(
            when=schedule)})
    cost = read_cost(form.cost)
    effort = " ".join((form.effort or "").split()) or None
    if effort and len(effort) > MAX_EFFORT:
        raise FormErrors({"effort": _("Keep the effort under {limit} characters.").format(limit=MAX_EFFORT)})
    principles: dict[str, Any] = {}
    for key in PRINCIPLES:
        answer = form.principles.get(key, PrincipleAnswer(False, ""))
        note = " ".join(answer.note.split())
        if len(note) > MAX_NOTE:
            raise FormErrors({key: _("Keep the note under {limit} characters.").format(limit=MAX_NOTE)})
        if answer.affirmed and not note:
            raise FormErrors({key: _("Say in a note why this holds.")})
        principles[key] = {"affirmed": answer.affirmed, "note": note}
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(_("That account no longer exists; nothing was recorded."))
    service = AddedService(account_id=account_id, what=what, schedule=schedule, first_at=occurrences[0].at,
                           rule=rule.text() if rule else None, next_at=occurrences[0].at,
                           cost=cost, effort=effort, principles=principles,
                           approver=approver_for(account, managers), created_by=actor_id, created_at=now)
    store.add_service(session, service)
    record_change(session, actor_id=actor_id, action="service.propose", object_type="account",
                  object_id=account_id, at=now, after=service_snapshot(service))
    key = approval_key(_id(service))
    outbox.dm(session, key=key, user=service.approver, card=approval_card(service, account, tz=calendar.timezone),
               now=now)
    return ServiceRecorded(service, account, [key])


def _id(service: AddedService) -> int:
    assert service.id is not None  # a stored proposal
    return service.id


def approval_card(service: AddedService, account: Account, *, tz: ZoneInfo) -> ServiceApprovalCard:
    """What the manager's DM shows: the proposal, its principles, the budget, and where it stands."""
    principles = tuple((key, bool(service.principles.get(key, {}).get("affirmed")),
                        str(service.principles.get(key, {}).get("note") or "")) for key in PRINCIPLES)
    return ServiceApprovalCard(
        id=_id(service), account=account.name, proposed_by=service.created_by, what=service.what,
        schedule=service.schedule, first_at=service.first_at, cost=service.cost, effort=service.effort,
        budget=account.service_budget, principles=principles, status=ServiceStatus(service.status),
        approver=service.approver, tz=tz)


def approval_problems(service: AddedService, account: Account) -> list[str]:
    """Why a proposal cannot be approved: each principle not affirmed, and a cost over the budget."""
    problems = [_("{principle} is not affirmed").format(principle=principle_label(key)) for key in PRINCIPLES
                if not service.principles.get(key, {}).get("affirmed")]
    if account.service_budget is not None and service.cost > account.service_budget:
        problems.append(_("the cost {cost} is over {account}'s budget for value-added services ({budget})").format(
            cost=service.cost, account=account.name, budget=account.service_budget))
    return problems


@dataclass(frozen=True)
class ServiceDecision:
    """A manager's click: the proposal, whether this click decided it, and the keys to deliver now."""

    service: AddedService
    account: Account
    changed: bool
    keys: list[str] = field(default_factory=list)


def decide_service(session: Session, *, service_id: int, approve: bool, actor_id: str, now: datetime,
                   managers: tuple[str, ...], calendar_of: Callable[[Account], WorkCalendar]) -> ServiceDecision:
    """The manager asked approves (when every principle holds and the cost fits) or declines, once."""
    service = _service(session, service_id)
    account = session.get(Account, service.account_id)
    assert account is not None  # proposals keep their account (foreign key)
    if actor_id != service.approver or actor_id not in managers:
        raise Refused(_("Only <@{approver}> can approve or decline value-added service #{id}.").format(
            approver=service.approver, id=service_id))
    if approve and service.status == ServiceStatus.PENDING:
        problems = approval_problems(service, account)
        if problems:
            raise Refused(_("Value-added service #{id} cannot be approved:\n{lines}\nDecline it, or ask {who} to "
                            "propose it again.").format(id=service_id, lines="\n".join(f"• {p}" for p in problems),
                                                        who=f"<@{service.created_by}>"))
    status = ServiceStatus.APPROVED if approve else ServiceStatus.DECLINED
    if not store.decide_service(session, service_id=service_id, status=status, at=now):
        return ServiceDecision(_service(session, service_id), account, changed=False)
    service = _service(session, service_id)
    calendar = calendar_of(account)
    tz = calendar.timezone
    if approve:  # scheduled from now on, like a meeting: its next occurrence and the reminder a working day before
        next_at, remind_at = plan_next(service, calendar, now=now)
        store.schedule_service(session, service_id=service_id, expected=service.remind_at, next_at=next_at,
                               remind_at=remind_at)
        service = _service(session, service_id)
    record_change(session, actor_id=actor_id, action=f"service.{'approve' if approve else 'decline'}",
                  object_type="account", object_id=account.id, at=now,
                  before={"id": service_id, "status": ServiceStatus.PENDING.value},
                  after={"id": service_id, "status": status.value})
    keys = [f"{approval_key(service_id)}:decided", f"service:{service_id}:decided"]
    outbox.update(session, key=keys[0], original_key=approval_key(service_id),
                  card=approval_card(service, account, tz=tz), now=now)
    decided = ServiceDecidedCard(id=service_id, account=account.name, what=service.what, status=status,
                                 approver=service.approver)
    outbox.dm(session, key=keys[1], user=service.created_by, card=decided, now=now)
    return ServiceDecision(service, account, changed=True, keys=keys)


def reminder_at(calendar: WorkCalendar, at: datetime, *, now: datetime) -> datetime:
    """When the owner is reminded of an occurrence: a working day before, at its time of day (now, if that passed)."""
    local = at.astimezone(calendar.timezone)
    before = calendar.add_working_days(local.date(), -1)
    return max(datetime.combine(before, local.time(), tzinfo=calendar.timezone).astimezone(UTC), now)


def plan_next(service: AddedService, calendar: WorkCalendar, *, now: datetime) -> tuple[datetime | None,
                                                                                      datetime | None]:
    """The occurrence to come (a repeating one's next after `now`) and its reminder; (None, None) when none is."""
    next_at = service.next_at
    if next_at is not None and next_at <= now and service.rule:
        next_at = parse_rule(service.rule).next_after(calendar, after=now).at
    if next_at is None or next_at <= now:
        return None, None
    return next_at, reminder_at(calendar, next_at, now=now)


def _service(session: Session, service_id: int) -> AddedService:
    service = store.get_service(session, service_id=service_id)
    if service is None:
        raise NotFound(_("That value-added service no longer exists."))
    return service


def require_service(session: Session, service_id: int) -> AddedService:
    """A proposal by id; NotFound otherwise."""
    return _service(session, service_id)


def service_snapshot(service: AddedService) -> dict[str, Any]:
    """A proposal as data, for the audit log."""
    return {"id": service.id, "what": service.what, "schedule": service.schedule,
            "first_at": service.first_at.isoformat(), "cost": service.cost, "effort": service.effort,
            "principles": service.principles, "approver": service.approver, "status": str(service.status)}
