"""The ladder a dispute climbs: the default four levels (RAPPORT_DISPUTE_DAYS), or the dispute clause (争议条款)
agreed in advance on the party's support contract or customer agreement — who decides at each level and in how
many working days. Free of Slack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from sqlmodel import Session

from bot.accounts.labels import kind_label
from bot.accounts.registry import require_account
from bot.calendar.workdays import WorkCalendar
from bot.platform.errors import InvalidInput, Refused
from bot.platform.i18n import _
from storage.accounts import Account, AccountKind
from storage.platform.audit import record_change
from storage.rhythm.agreements import get_agreement
from storage.suppliers.contracts import SupportContract, list_contracts_in_force
from storage.suppliers.disputes import Dispute

if TYPE_CHECKING:
    from bot.platform.services import Services

DEFAULT_LAST_LEVEL = 4  # coordinate, mediation, the company's process, the legal route (no deadline)
MAX_LEVELS = 6
MAX_DECIDER = 100
MAX_DAYS = 60
CLAUSE_EXAMPLE = "account managers 3d; heads of service 4d; steering committee"
LEVEL_DAYS: Mapping[int, int] = {1: 3, 2: 5, 3: 10}  # RAPPORT_DISPUTE_DAYS changes them
_SEPARATORS = re.compile(r"[;；\n]")
_LEVEL = re.compile(r"^(?P<who>.*?)[\s,，、:：=]*(?:(?P<days>[0-9]{1,4})\s*(?:working\s+days?|days?|wd|d|"
                    r"个工作日|工作日|天))?$", re.IGNORECASE)


@dataclass(frozen=True)
class Rung:
    """One level: who decides there (a clause's; None on the default ladder) and its working days (None: no limit)."""

    decider: str | None
    days: int | None


@dataclass(frozen=True)
class ClauseRef:
    """Where a dispute's clause was agreed: a support contract (its id) or a customer's service agreement."""

    contract_id: int | None
    agreement_id: int | None
    names: str  # "Netcom → Acme Corp" for a contract, the customer's name for an agreement


@dataclass(frozen=True)
class Ladder:
    """The levels a dispute climbs, and the clause they come from (None: the default ladder)."""

    rungs: tuple[Rung, ...]
    clause: ClauseRef | None = None

    @property
    def last(self) -> int:
        """The top level: nothing escalates beyond it."""
        return len(self.rungs)

    def rung(self, level: int) -> Rung:
        """The rung of a level (1-based)."""
        return self.rungs[level - 1]

    def level_days(self) -> dict[int, int]:
        """Working days of each level that has a time limit."""
        return {level: rung.days for level, rung in enumerate(self.rungs, start=1) if rung.days}

    def deciders(self) -> tuple[str | None, ...]:
        """Who decides at each level (None on the default ladder)."""
        return tuple(rung.decider for rung in self.rungs)

    def stored(self) -> list[dict[str, Any]] | None:
        """The rungs as a dispute keeps them (None for the default ladder, which follows the settings)."""
        return clause_data(self.rungs) if self.clause else None


@dataclass(frozen=True)
class DisputePolicy:
    """Where dispute cards and escalations go, who manages, the calendar and each level's working days."""

    escalation_channel: str | None
    managers: tuple[str, ...]
    calendar: WorkCalendar
    level_days: Mapping[int, int] = field(default_factory=lambda: dict(LEVEL_DAYS))

    def ladder(self, session: Session, dispute: Dispute) -> Ladder:
        """The ladder a dispute follows: its clause's, or the default one with this policy's days."""
        return stored_ladder(session, dispute) or default_ladder(self.level_days)

    @classmethod
    def from_services(cls, services: Services) -> DisputePolicy:
        """The policy configured in the environment, on the team calendar."""
        settings = services.settings
        return cls(settings.rapport_escalation_channel, tuple(settings.rapport_managers), services.team_calendar(),
                   dict(enumerate(settings.rapport_dispute_days, start=1)))


def default_ladder(level_days: Mapping[int, int]) -> Ladder:
    """Levels 1–3 with their configured days, then the legal route without a deadline."""
    timed = [Rung(None, level_days.get(level)) for level in range(1, DEFAULT_LAST_LEVEL)]
    return Ladder((*timed, Rung(None, None)))


def clause_data(rungs: Sequence[Rung]) -> list[dict[str, Any]]:
    """Rungs as stored JSON."""
    return [{"decider": rung.decider, "days": rung.days} for rung in rungs]


def rungs_of(data: Sequence[Mapping[str, Any]]) -> tuple[Rung, ...]:
    """Stored JSON back into rungs."""
    return tuple(Rung(item.get("decider"), item.get("days")) for item in data)


def stored_ladder(session: Session, dispute: Dispute) -> Ladder | None:
    """The clause a dispute follows, as copied when it opened; None when it follows the default ladder."""
    if not dispute.ladder:
        return None
    names = ""
    if dispute.clause_contract_id is not None:
        contract = session.get(SupportContract, dispute.clause_contract_id)
        supplier = session.get(Account, contract.supplier_id) if contract else None
        customer = session.get(Account, contract.customer_id) if contract else None
        names = f"{supplier.name} → {customer.name}" if supplier and customer else ""
    else:
        party = session.get(Account, dispute.supplier_id)
        names = party.name if party else ""
    return Ladder(rungs_of(dispute.ladder), ClauseRef(dispute.clause_contract_id, dispute.clause_agreement_id, names))


def parse_clause(text: str) -> tuple[Rung, ...]:
    """`account managers 3d; heads of service 4d; steering committee`: one level per `;` (or line), its decider
    and working days; every level but the last needs its days."""
    parts = [part.strip() for part in _SEPARATORS.split(text.strip()) if part.strip()]
    if not parts:
        raise InvalidInput(_("Give each level's decider and working days, separated by `;`: `{example}`").format(
            example=CLAUSE_EXAMPLE))
    if len(parts) > MAX_LEVELS:
        raise InvalidInput(_("A dispute clause has at most {most} levels.").format(most=MAX_LEVELS))
    rungs = []
    for level, part in enumerate(parts, start=1):
        # Longer than any decider and its days: refused before the pattern reads it.
        match = _LEVEL.match(part) if len(part) <= MAX_DECIDER + 40 else None
        who = (match.group("who") if match else "").strip()
        days = int(match.group("days")) if match and match.group("days") else None
        if not who or len(who) > MAX_DECIDER:
            raise InvalidInput(_("Say who decides at level {level} (up to {most} characters): `{example}`").format(
                level=level, most=MAX_DECIDER, example=CLAUSE_EXAMPLE))
        if days is not None and not 1 <= days <= MAX_DAYS:
            raise InvalidInput(_("Level {level}'s time limit goes from 1 to {most} working days.").format(
                level=level, most=MAX_DAYS))
        if days is None and level < len(parts):
            raise InvalidInput(_("Give level {level} ({who}) its time limit in working days, e.g. `{who} 4d`; "
                                 "only the last level may have none.").format(level=level, who=who))
        rungs.append(Rung(who, days))
    return tuple(rungs)


def clause_ladder(session: Session, party: Account, *, today: date) -> Ladder | None:
    """The ladder of the clause agreed with a party: its latest contract in force that has one (a supplier), or its
    service agreement's (a customer); None when there is none."""
    assert party.id is not None  # a stored account
    if party.kind == AccountKind.SUPPLIER:
        for contract in list_contracts_in_force(session, supplier_id=party.id, on=today):
            if contract.dispute_clause:
                customer = session.get(Account, contract.customer_id)
                names = f"{party.name} → {customer.name}" if customer else party.name
                return Ladder(rungs_of(contract.dispute_clause), ClauseRef(contract.id, None, names))
    elif party.kind == AccountKind.CUSTOMER:
        agreement = get_agreement(session, account_id=party.id)
        if agreement is not None and agreement.dispute_clause:
            return Ladder(rungs_of(agreement.dispute_clause), ClauseRef(None, agreement.id, party.name))
    return None


@dataclass(frozen=True)
class ClauseSaved:
    """A dispute clause recorded (or removed: `rungs` empty) on a contract or an agreement."""

    account: Account
    clause: ClauseRef
    rungs: tuple[Rung, ...]


_NO_CLAUSE = ("none", "remove", "clear", "无", "删除")


def _rungs_or_none(text: str) -> tuple[Rung, ...]:
    return () if text.strip().lower() in _NO_CLAUSE else parse_clause(text)


def record_contract_clause(session: Session, *, supplier_name: str, text: str, actor_id: str, now: datetime,
                           today: date) -> ClauseSaved:
    """`/supplier contract <name> clause …`: the clause of the supplier's latest contract in force."""
    supplier = require_account(session, name=supplier_name, kind=AccountKind.SUPPLIER)
    if supplier.kind != AccountKind.SUPPLIER:
        raise Refused(_("*{name}* is a {kind} account; support contracts are with suppliers. For a customer, use "
                        "`/account agreement {name} clause …`.").format(name=supplier.name,
                                                                        kind=kind_label(supplier.kind)))
    rungs = _rungs_or_none(text)
    assert supplier.id is not None  # a stored account
    contracts = list_contracts_in_force(session, supplier_id=supplier.id, on=today)
    if not contracts:
        raise Refused(_("*{name}* has no support contract in force to add a dispute clause to. Record it first "
                        "with `/supplier contract {name}`.").format(name=supplier.name))
    contract = contracts[0]
    assert contract.id is not None  # read from the database
    before = contract.dispute_clause
    contract.dispute_clause = clause_data(rungs) or None
    session.add(contract)
    record_change(session, actor_id=actor_id, action="supplier.contract_clause", object_type="support_contract",
                  object_id=contract.id, at=now, before={"dispute_clause": before},
                  after={"dispute_clause": contract.dispute_clause})
    customer = session.get(Account, contract.customer_id)
    names = f"{supplier.name} → {customer.name}" if customer else supplier.name
    return ClauseSaved(supplier, ClauseRef(contract.id, None, names), rungs)


def record_agreement_clause(session: Session, *, account_name: str, text: str, actor_id: str,
                            now: datetime) -> ClauseSaved:
    """`/account agreement <name> clause …`: the clause of a customer's service agreement."""
    account = require_account(session, name=account_name, kind=AccountKind.CUSTOMER)
    if account.kind != AccountKind.CUSTOMER:
        raise Refused(_("*{name}* is a {kind} account; dispute clauses are agreed in customer agreements and "
                        "supplier contracts (`/supplier contract {name} clause …`).").format(
            name=account.name, kind=kind_label(account.kind)))
    rungs = _rungs_or_none(text)
    assert account.id is not None  # a stored account
    agreement = get_agreement(session, account_id=account.id)
    if agreement is None:
        raise Refused(_("*{name}* has no service agreement yet. Set it first with `/account agreement {name}`, "
                        "then add the clause.").format(name=account.name))
    assert agreement.id is not None  # read from the database
    before = agreement.dispute_clause
    agreement.dispute_clause = clause_data(rungs) or None
    agreement.updated_by, agreement.updated_at = actor_id, now
    session.add(agreement)
    record_change(session, actor_id=actor_id, action="agreement.dispute_clause", object_type="account",
                  object_id=account.id, at=now, before={"dispute_clause": before},
                  after={"dispute_clause": agreement.dispute_clause})
    return ClauseSaved(account, ClauseRef(None, agreement.id, account.name), rungs)


def split_clause_command(text: str) -> tuple[str, str] | None:
    """`Netcom clause a 3d; b` → ("Netcom", "a 3d; b"); None when the text names no clause."""
    match = _CLAUSE_WORD.match(text.strip())
    return (match.group("name").strip(), match.group("levels").strip()) if match else None


_CLAUSE_WORD = re.compile(r"^(?P<name>.+?)\s+(?:clause|dispute[- ]clause|争议条款|条款)\s*[:：]?\s*(?P<levels>.*)$",
                          re.IGNORECASE | re.DOTALL)
