"""Suppliers (供应商关系管理): add, evaluate candidates, audit, schedule audits, the scorecard — free of Slack."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.accounts.labels import kind_label
from bot.accounts.registry import add_account, require_account
from bot.platform import outbox
from bot.platform.errors import InvalidInput, Refused
from bot.platform.i18n import _
from bot.platform.paging import page_window
from bot.platform.services import Services
from bot.platform.text import cut
from bot.suppliers.audit_schedule import AUDIT_EVERY_MONTHS, ensure_profile, schedule_next, start_missing_schedules
from bot.suppliers.contracts import ContractStatus, supplier_contracts
from bot.suppliers.scoring import (
    Concern,
    FormErrors,
    SupplierPolicy,
    audit_average,
    check_scores,
    improve_or_replace,
    parse_weights,
    qualifies,
    weighted_total,
)
from storage import accounts as account_store
from storage.accounts import Account, AccountKind
from storage.platform.audit import SCHEDULER, record_change
from storage.suppliers import evaluations as store
from storage.suppliers.disputes import list_open_disputes
from storage.suppliers.evaluations import (
    Criterion,
    Dimension,
    OverdueAudit,
    SupplierAudit,
    SupplierEvaluation,
    SupplierProfile,
)

AUDIT_INTERVALS = (1, 2, 3, 4, 6, 12)
NOTE_LIMIT = 500
PAGE_SIZE = 10
TREND_AUDITS = 4
DUE_BATCH = 200


# -- accounts and schedules ------------------------------------------------------------------------

def require_supplier(session: Session, *, name: str) -> Account:
    """The named supplier account; NotFound suggesting names, or Refused if it is not a supplier."""
    if not name.strip():
        raise InvalidInput(_("Name the supplier, e.g. `/supplier Net Co`. See `/supplier list`."))
    account = require_account(session, name=name)
    if account.kind != AccountKind.SUPPLIER:
        raise Refused(_("“{name}” is a {kind} account, not a supplier.").format(
            name=account.name, kind=kind_label(account.kind)))
    return account


def supplier_for_form(session: Session, *, name: str) -> tuple[Account, int]:
    """The supplier a modal is opened for, and how often it is audited (nothing is written)."""
    account = require_supplier(session, name=name)
    profile = store.get_profile(session, account_id=account.id)
    return account, profile.audit_every_months if profile else AUDIT_EVERY_MONTHS


def add_supplier(session: Session, *, name: str, actor_id: str, now: datetime,
                 policy: SupplierPolicy) -> tuple[Account, SupplierProfile]:
    """Create a supplier account owned by the actor, with its audit schedule."""
    if not " ".join(name.split()):
        raise InvalidInput(_("Give the supplier a name: `/supplier add Net Co`"))
    account = add_account(session, name=name, kind=AccountKind.SUPPLIER, actor_id=actor_id, now=now,
                          zone=policy.timezone)
    return account, ensure_profile(session, account=account, now=now, zone=policy.timezone, actor_id=actor_id)


_EVERY = re.compile(r"^(?P<name>.+?)\s+(?:every\s+)?(?P<months>\d{1,3})(?:\s*(?:months?|m))?$", re.IGNORECASE)


def set_audit_interval(session: Session, *, text: str, actor_id: str, now: datetime,
                       policy: SupplierPolicy) -> tuple[Account, SupplierProfile]:
    """`<name> [every] <months>`: audit this supplier every so many months, the next one counted from now."""
    match = _EVERY.match(text.strip())
    if not match:
        raise InvalidInput(_("Say how often to audit, e.g. `/supplier schedule Net Co 6` (every 6 months)."))
    months = int(match.group("months"))
    if months not in AUDIT_INTERVALS:
        raise InvalidInput(_("Audit every 1, 2, 3, 4, 6 or 12 months."))
    account = require_supplier(session, name=match.group("name"))
    profile = ensure_profile(session, account=account, now=now, zone=policy.timezone, actor_id=actor_id,
                             for_update=True)
    before = {"audit_every_months": profile.audit_every_months, "next_audit_due_at": profile.next_audit_due_at.isoformat()}
    latest = store.recent_audits(session, account_id=account.id, limit=1)
    profile.audit_every_months = months
    # Counted from the latest audit: a shorter interval may make the next audit due (or overdue) at once.
    schedule_next(profile, since=latest[-1].created_at if latest else profile.created_at, zone=policy.timezone)
    profile.audit_remind_at = max(profile.audit_remind_at, now)
    session.add(profile)
    record_change(session, actor_id=actor_id, action="supplier.schedule", object_type="account", object_id=account.id,
                  at=now, before=before, after={"audit_every_months": months,
                                                "next_audit_due_at": profile.next_audit_due_at.isoformat()})
    return account, profile


# -- evaluations and audits ------------------------------------------------------------------------

def _notes(raw: Mapping[str, str | None]) -> dict[str, str] | None:
    notes = {key: cut(" ".join(value.split()), NOTE_LIMIT) for key, value in raw.items() if value and value.strip()}
    return notes or None


def record_evaluation(session: Session, *, account_id: int, scores: Mapping[str, int | None],
                      notes: Mapping[str, str | None], weights: str | None, actor_id: str, now: datetime,
                      policy: SupplierPolicy) -> tuple[Account, SupplierEvaluation]:
    """Score a candidate on the nine criteria; FormErrors names every field to fix, and nothing is saved."""
    errors = {key.value: _("Score this from 1 to 5.") for key in check_scores(scores, list(Criterion))}
    try:
        chosen = parse_weights(weights, base=policy.weights)
    except InvalidInput as exc:
        errors["weights"] = exc.message
    if errors:
        raise FormErrors(errors)
    account = _supplier_by_id(session, account_id)
    profile = ensure_profile(session, account=account, now=now, zone=policy.timezone, actor_id=actor_id,
                             for_update=True)
    kept = {c.value: int(scores[c.value]) for c in Criterion}
    total = weighted_total(kept, chosen)
    evaluation = SupplierEvaluation(account_id=account.id, scores=kept, notes=_notes(notes), weights=chosen, total=total,
                                    threshold=policy.qualify_threshold,
                                    qualified=qualifies(total, policy.qualify_threshold), evaluated_by=actor_id,
                                    created_at=now)
    store.add_row(session, evaluation)
    profile.latest_total = total
    session.add(profile)
    record_change(session, actor_id=actor_id, action="supplier.evaluate", object_type="account", object_id=account.id,
                  at=now, after={"evaluation_id": evaluation.id, "scores": kept, "weights": chosen, "total": total,
                                 "qualified": evaluation.qualified})
    return account, evaluation


@dataclass(frozen=True)
class AuditRecorded:
    """A saved audit, the supplier's schedule after it, and any "improve or replace" concerns."""

    account: Account
    audit: SupplierAudit
    profile: SupplierProfile
    averages: list[float]  # the latest audit averages, oldest first, this one last
    concerns: list[Concern]


def record_audit(session: Session, *, account_id: int, scores: Mapping[str, int | None], notes: Mapping[str, str | None],
                 period_start: date | None, period_end: date | None, auditor_id: str | None, every_months: int | None,
                 actor_id: str, now: datetime, policy: SupplierPolicy) -> AuditRecorded:
    """Record an audit on the six dimensions and schedule the next; FormErrors when a field needs fixing."""
    errors = {key.value: _("Score this from 1 to 5.") for key in check_scores(scores, list(Dimension))}
    today = now.astimezone(policy.timezone).date()
    if period_start is None:
        errors["period_start"] = _("Pick the first day of the period audited.")
    if period_end is None:
        errors["period_end"] = _("Pick the last day of the period audited.")
    elif period_start and period_end < period_start:
        errors["period_end"] = _("The period ends before it starts.")
    elif period_end > today:
        errors["period_end"] = _("The period audited can't end in the future.")
    if every_months is not None and every_months not in AUDIT_INTERVALS:
        errors["every"] = _("Audit every 1, 2, 3, 4, 6 or 12 months.")
    if errors:
        raise FormErrors(errors)
    account = _supplier_by_id(session, account_id)
    profile = ensure_profile(session, account=account, now=now, zone=policy.timezone, actor_id=actor_id,
                             for_update=True)
    kept = {d.value: int(scores[d.value]) for d in Dimension}
    audit = SupplierAudit(account_id=account.id, scores=kept, notes=_notes(notes), average=audit_average(kept),
                          period_start=period_start, period_end=period_end, auditor_id=auditor_id or actor_id,
                          created_by=actor_id, created_at=now)
    store.add_row(session, audit)
    if every_months:
        profile.audit_every_months = every_months
    schedule_next(profile, since=now, zone=policy.timezone)
    session.add(profile)
    record_change(session, actor_id=actor_id, action="supplier.audit", object_type="account", object_id=account.id,
                  at=now, after={"audit_id": audit.id, "scores": kept, "average": audit.average,
                                 "period": [period_start.isoformat(), period_end.isoformat()],
                                 "next_audit_due_at": profile.next_audit_due_at.isoformat()})
    averages = [a.average for a in store.recent_audits(session, account_id=account.id, limit=3)]
    return AuditRecorded(account, audit, profile, averages, improve_or_replace(averages, policy.audit_threshold))


def _supplier_by_id(session: Session, account_id: int) -> Account:
    account = session.get(Account, account_id)
    if account is None or account.kind != AccountKind.SUPPLIER:
        raise Refused(_("That supplier no longer exists; nothing was saved."))
    return account


# -- reading ---------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Scorecard:
    """Everything `/supplier <name>` shows."""

    account: Account
    profile: SupplierProfile | None  # None until its schedule is started (a supplier from before schedules)
    evaluation: SupplierEvaluation | None
    audits: list[SupplierAudit]  # oldest first, at most TREND_AUDITS
    concerns: list[Concern]
    audit_overdue: bool
    contracts: list[ContractStatus]  # latest expiry first
    # Open disputes with this supplier or involving it, highest level first (None: left out).
    open_disputes: list | None = None


def scorecard(session: Session, *, name: str, now: datetime, policy: SupplierPolicy) -> Scorecard:
    """The supplier's latest evaluation, audit trend, concerns and contracts, as of `now` (nothing is written)."""
    account = require_supplier(session, name=name)
    profile = store.get_profile(session, account_id=account.id)
    audits = store.recent_audits(session, account_id=account.id, limit=TREND_AUDITS)
    return Scorecard(
        account=account, profile=profile, evaluation=store.latest_evaluation(session, account_id=account.id),
        audits=audits, concerns=improve_or_replace([a.average for a in audits], policy.audit_threshold),
        audit_overdue=profile is not None and profile.next_audit_due_at <= now,
        contracts=supplier_contracts(session, supplier=account, now=now, policy=policy),
        open_disputes=list_open_disputes(session, supplier_id=account.id),
    )


@dataclass(frozen=True)
class Candidate:
    """One supplier in the side-by-side list."""

    account: Account
    evaluation: SupplierEvaluation | None
    audit_average: float | None
    concerns: list[Concern]


@dataclass(frozen=True)
class CandidatePage:
    """One page of `/supplier list`."""

    candidates: list[Candidate]
    page: int
    pages: int
    total: int


def list_candidates(session: Session, *, page: int, policy: SupplierPolicy) -> CandidatePage:
    """Suppliers side by side, best latest evaluation first, PAGE_SIZE at a time."""
    total = account_store.count_accounts(session, kind=AccountKind.SUPPLIER)
    window = page_window(total=total, page=page, size=PAGE_SIZE)
    rows = store.list_suppliers_ranked(session, offset=window.offset, limit=window.limit)
    ids = [account.id for account, _profile in rows]
    evaluations = store.latest_evaluations(session, account_ids=ids)
    averages = store.recent_audit_averages(session, account_ids=ids)
    candidates = [
        Candidate(account, evaluations.get(account.id), (averages.get(account.id) or [None])[-1],
                  improve_or_replace(averages.get(account.id, []), policy.audit_threshold))
        for account, _profile in rows
    ]
    return CandidatePage(candidates=candidates, page=window.page, pages=window.pages, total=total)


def list_overdue_audits(session: Session, *, now: datetime, owner_id: str | None = None) -> list[OverdueAudit]:
    """Suppliers whose audit is past due (for the digest's needs-attention list); only the owner's with `owner_id`."""
    return store.list_overdue_audits(session, now=now, owner_id=owner_id)


# -- scheduled -------------------------------------------------------------------------------------

def run_due_audit_reminders(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: remind each supplier's owner once of an audit falling due (and start missing schedules)."""
    managers = tuple(services.settings.rapport_managers)
    sent = start_missing_schedules(session, now=now, zone=services.settings.zone)
    for profile in store.claim_due_audit_reminders(session, now=now, limit=DUE_BATCH):
        account = session.get(Account, profile.account_id)
        due = profile.next_audit_due_at
        data = {"supplier": account.name, "due_at": due.isoformat(), "every_months": profile.audit_every_months,
                "tz": services.settings.rapport_timezone}
        for person in (account.owner_id,) if account.owner_id else managers:
            outbox.dm(session, key=f"supplier-audit-due:{account.id}:{due.date().isoformat()}:{person}", user=person,
                      kind="supplier_audit_due", data=data, now=now)
        profile.audit_remind_at = None
        session.add(profile)
        record_change(session, actor_id=SCHEDULER, action="supplier.audit_reminder", object_type="account",
                      object_id=account.id, at=now, after={"due_at": due.isoformat()})
        sent += 1
    return sent
