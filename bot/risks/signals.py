"""The signals Rapport raises risks from, each finding its causes in the record: one risk per cause.

A cause has a key that names it for as long as it lasts (`complaints3:<account>:<first complaint>`), so a tick
that sees it again raises nothing, and a new cause later (a new burst, a later cold spell) raises a new risk.
Another domain plugs a signal in by adding a `Signal` to `SIGNALS` (as stakeholders' "the sponsor not met" does).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.accounts.stakeholders import sponsors_not_met
from bot.platform import formatting
from bot.platform.i18n import _
from bot.risks.catalog import catalog_control
from storage.care.complaints import ComplaintSeverity
from storage.risks import register as store
from storage.risks import signals as records

if TYPE_CHECKING:
    from bot.platform.services import Services


@dataclass(frozen=True)
class Cause:
    """One cause of a risk on one account: its unique key and the facts its title is worded from."""

    account_id: int
    key: str
    facts: dict[str, str]


@dataclass(frozen=True)
class Signal:
    """A kind of cause: how to find its causes now, how to word its risk, and where a new one may next appear."""

    kind: str
    find: Callable[[Session, datetime, Services], list[Cause]]
    title: Callable[[Mapping[str, str]], str]
    control: Callable[[], str]
    likelihood: int
    impact: int
    # When time alone may next bring a new cause (a key account's cadence running out); None: only events do.
    next_at: Callable[[Session, datetime, Services], datetime | None] | None = None


BURST_COUNT = 3
BURST_WINDOW = timedelta(days=30)
EXPIRY_WINDOW = timedelta(days=30)
AUDITS_READ = 6
SPONSOR_HORIZON = timedelta(days=3660)


def _today(now: datetime, services: Services) -> date:
    return now.astimezone(services.settings.zone).date()


def _complaint_bursts(session: Session, now: datetime, services: Services) -> list[Cause]:
    last_raised = store.latest_signal_raises(session, signal="complaints3")
    causes = []
    for burst in records.complaint_bursts(session, since=now - BURST_WINDOW, at_least=BURST_COUNT):
        # The same burst goes on while it still counts a complaint from before the last risk it raised.
        last = last_raised.get(burst.account_id)
        if last is not None and burst.first_at <= last:
            continue
        causes.append(Cause(burst.account_id, f"complaints3:{burst.account_id}:{burst.first_id}",
                            {"count": str(burst.count), "days": str(BURST_WINDOW.days)}))
    return causes


def _cold_key_accounts(session: Session, now: datetime, services: Services) -> list[Cause]:
    return [Cause(account_id, f"cold:{account_id}:{due.isoformat()}", {"since": since.date().isoformat()})
            for account_id, due, since in records.cold_key_accounts(session, now=now)]


def _next_cold(session: Session, now: datetime, services: Services) -> datetime | None:
    return records.next_key_account_due(session, now=now)


def _low_audits(session: Session, now: datetime, services: Services) -> list[Cause]:
    threshold = services.settings.rapport_audit_threshold
    newest: dict[int, list[tuple[int, float]]] = {}
    for supplier, audit_id, average in records.recent_audit_rows(session, per_supplier=AUDITS_READ):
        newest.setdefault(supplier, []).append((audit_id, average))
    causes = []
    for supplier, audits in newest.items():
        run = []  # the latest audits under the threshold, newest first: one run is one cause
        for audit_id, average in audits:
            if average >= threshold:
                break
            run.append((audit_id, average))
        if run:
            causes.append(Cause(supplier, f"audit:{supplier}:{run[-1][0]}",
                                {"average": f"{run[0][1]:.1f}", "threshold": f"{threshold:.1f}"}))
    return causes


def _single_sources(session: Session, now: datetime, services: Services) -> list[Cause]:
    return [Cause(customer, f"single:{customer}:{severity}:{supplier_id}", {"supplier": name, "severity": severity})
            for customer, severity, supplier_id, name in records.single_sources(session, on=_today(now, services))]


def _expiring_contracts(session: Session, now: datetime, services: Services) -> list[Cause]:
    today = _today(now, services)
    return [Cause(supplier, f"expiring:{contract}",
                  {"contract": str(contract), "until": last_day.isoformat(), "customer": customer})
            for contract, supplier, last_day, customer in records.expiring_without_successor(
                session, start=today, until=today + EXPIRY_WINDOW)]


def _next_expiring(session: Session, now: datetime, services: Services) -> datetime | None:
    last_day = records.next_contract_end(session, after=_today(now, services) + EXPIRY_WINDOW)
    if last_day is None:
        return None
    enters = last_day - EXPIRY_WINDOW  # the day it comes within the window, at the team's midnight
    return datetime.combine(enters, datetime.min.time(), tzinfo=services.settings.zone)


def _sharing_unagreed(session: Session, now: datetime, services: Services) -> list[Cause]:
    return [Cause(account.id, f"sharing:{account.id}:{latest}", {})
            for account, latest in records.third_parties_sharing_unagreed(session, today=_today(now, services))
            if account.id is not None]


def _subcontracted_further(session: Session, now: datetime, services: Services) -> list[Cause]:
    return [Cause(supplier, f"subcontract:{supplier}:{sub}:{subsub}", {"subcontractor": name, "further": further})
            for supplier, sub, subsub, name, further in records.second_level_subcontracts(session)]


def _sponsors_not_met(session: Session, now: datetime, services: Services) -> list[Cause]:
    # One lapse is one cause: meeting the sponsor moves the due moment, so the next lapse raises anew.
    return [Cause(lapse.account_id, f"sponsor:{lapse.account_id}:{lapse.stakeholder_id}:{lapse.due_at.isoformat()}",
                  {"sponsor": lapse.sponsor, "days": str(lapse.cadence_days)})
            for lapse in sponsors_not_met(session, now=now)]


def _next_sponsor_due(session: Session, now: datetime, services: Services) -> datetime | None:
    every = sponsors_not_met(session, now=now + SPONSOR_HORIZON)  # each sponsor with the moment it falls due
    return min((lapse.due_at for lapse in every if lapse.due_at > now), default=None)


def _severity(value: str) -> str:
    words = {ComplaintSeverity.CRITICAL.value: _("critical"), ComplaintSeverity.HIGH.value: _("high"),
             ComplaintSeverity.NORMAL.value: _("normal"), ComplaintSeverity.LOW.value: _("low")}
    return words.get(value, value)


def _day(facts: Mapping[str, str], key: str) -> str:
    try:
        return formatting.day(date.fromisoformat(facts.get(key, "")))
    except ValueError:
        return facts.get(key, "?")


SIGNALS: tuple[Signal, ...] = (
    Signal("complaints3", _complaint_bursts,
           lambda facts: _("{count} complaints within {days} days: the customer's trust is at stake").format(
               count=facts.get("count", "3"), days=facts.get("days", "30")),
           lambda: _("Review the complaints with the customer, find their common cause and agree an improvement "
                     "plan."), likelihood=4, impact=4),
    Signal("cold", _cold_key_accounts,
           lambda facts: _("A key account has gone cold: no contact since {day}").format(day=_day(facts, "since")),
           lambda: _("Get in touch now, and keep to the agreed contact cadence."), likelihood=3, impact=4,
           next_at=_next_cold),
    Signal("sponsor", _sponsors_not_met,
           lambda facts: _("The executive sponsor {sponsor} has not been met within {days} days").format(
               sponsor=facts.get("sponsor", "?"), days=facts.get("days", "?")),
           lambda: _("Meet the executive sponsor soon and keep to the cadence: their support and cooperation decide "
                     "whether the service is recognised."), likelihood=3, impact=4, next_at=_next_sponsor_due),
    Signal("audit", _low_audits,
           lambda facts: _("Supplier audit below the threshold: {average} against {threshold}").format(
               average=facts.get("average", "?"), threshold=facts.get("threshold", "?")),
           lambda: _("Agree an improvement plan with the supplier, audit again soon, and prepare a replacement."),
           likelihood=3, impact=4),
    Signal("single", _single_sources,
           lambda facts: _("Single source: only {supplier} backs the {severity} service").format(
               supplier=facts.get("supplier", "?"), severity=_severity(facts.get("severity", ""))),
           lambda: _("Keep several competing suppliers and a backup, so that no single source can stop the "
                     "service."), likelihood=2, impact=5),
    Signal("expiring", _expiring_contracts,
           lambda facts: _("Support contract #{id} (for {customer}) ends on {day} with no successor").format(
               id=facts.get("contract", "?"), customer=facts.get("customer", "?"), day=_day(facts, "until")),
           lambda: _("Renew or replace the contract before it ends, with terms stricter than the customer's "
                     "agreement."), likelihood=4, impact=4, next_at=_next_expiring),
    Signal("subcontract", _subcontracted_further,
           lambda facts: _("Multi-level subcontracting: {subcontractor} subcontracts in turn to {further}").format(
               subcontractor=facts.get("subcontractor", "?"), further=facts.get("further", "?")),
           lambda: catalog_control("supplier-subcontracting"), likelihood=3, impact=4),
    Signal("sharing", _sharing_unagreed,
           lambda facts: _("Information is shared with this third party without an approved sharing agreement"),
           lambda: _("Agree what is shared by 5W1H (`/thirdparty agree <name>`) and have a manager approve it."),
           likelihood=3, impact=3),
)


def signal_of(kind: str | None) -> Signal | None:
    """The signal of this kind, if any."""
    return next((signal for signal in SIGNALS if signal.kind == kind), None)

