"""Supplier audits (供应商审核): record an audit on the six dimensions, how often to audit, the scorecard, and
the reminder when an audit falls due — free of Slack.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.workdays import WorkCalendar
from bot.platform import outbox
from bot.platform.errors import FormErrors, InvalidInput
from bot.platform.i18n import _
from bot.platform.services import Services
from bot.suppliers.audit_schedule import (
    AUDIT_INTERVALS,
    action_prefix,
    ensure_profile,
    schedule_next,
    start_missing_schedules,
)
from bot.suppliers.cards import SupplierAuditDueCard
from bot.suppliers.changes import ChangeStanding, recent_changes
from bot.suppliers.contracts import ContractStatus, supplier_contracts
from bot.suppliers.evaluation import require_supplier, supplier_to_update
from bot.suppliers.scoring import (
    SUPPLIER_DIMENSIONS,
    Concern,
    CriteriaSet,
    SupplierPolicy,
    audit_average,
    check_scores,
    clean_notes,
    improve_or_replace,
)
from bot.suppliers.subcontracting import SubcontractorCheck, check_subcontractors
from storage.accounts import Account
from storage.platform.audit import SCHEDULER, record_change
from storage.suppliers import evaluations as store
from storage.suppliers.disputes import Dispute, list_open_disputes
from storage.suppliers.evaluations import (
    OverdueAudit,
    SupplierAudit,
    SupplierEvaluation,
    SupplierProfile,
)

TREND_AUDITS = 4
DUE_BATCH = 200
_EVERY = re.compile(r"^(?P<name>.+?)\s+(?:every\s+)?(?P<months>[0-9]{1,3})(?:\s*(?:months?|m))?$", re.IGNORECASE)


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
    assert account.id is not None  # a stored account
    profile = ensure_profile(session, account=account, now=now, zone=policy.timezone, actor_id=actor_id,
                             for_update=True)
    before = {"audit_every_months": profile.audit_every_months,
              "next_audit_due_at": profile.next_audit_due_at.isoformat()}
    latest = store.recent_audits(session, account_id=account.id, limit=1)
    profile.audit_every_months = months
    # Counted from the latest audit: a shorter interval may make the next audit due (or overdue) at once.
    schedule_next(profile, since=latest[-1].created_at if latest else profile.created_at, zone=policy.timezone)
    profile.audit_remind_at = max(profile.audit_remind_at or now, now)
    session.add(profile)
    record_change(session, actor_id=actor_id, action="supplier.schedule", object_type="account", object_id=account.id,
                  at=now, before=before, after={"audit_every_months": months,
                                                "next_audit_due_at": profile.next_audit_due_at.isoformat()})
    return account, profile


@dataclass(frozen=True)
class AuditForm:
    """What the audit modal holds besides the scores, unchecked."""

    period_start: date | None
    period_end: date | None
    auditor_id: str | None = None
    every_months: int | None = None


@dataclass(frozen=True)
class AuditRecorded:
    """A saved audit, the supplier's schedule after it, and any "improve or replace" concerns."""

    account: Account
    audit: SupplierAudit
    profile: SupplierProfile
    averages: list[float]  # the latest audit averages, oldest first, this one last
    concerns: list[Concern]


def _check_form(form: AuditForm, *, today: date) -> dict[str, str]:
    errors = {}
    if form.period_start is None:
        errors["period_start"] = _("Pick the first day of the period audited.")
    if form.period_end is None:
        errors["period_end"] = _("Pick the last day of the period audited.")
    elif form.period_start and form.period_end < form.period_start:
        errors["period_end"] = _("The period ends before it starts.")
    elif form.period_end > today:
        errors["period_end"] = _("The period audited can't end in the future.")
    if form.every_months is not None and form.every_months not in AUDIT_INTERVALS:
        errors["every"] = _("Audit every 1, 2, 3, 4, 6 or 12 months.")
    return errors


def check_audit(scores: Mapping[str, int | None], form: AuditForm, *, dimensions: CriteriaSet, today: date) -> None:
    """FormErrors naming every score and field of an audit (or review) to fix; nothing is read or written."""
    errors = {key: _("Score this from 1 to 5.") for key in check_scores(scores, dimensions.keys)}
    errors |= _check_form(form, today=today)
    if errors:
        raise FormErrors(errors)


def save_audit(session: Session, *, account: Account, profile: SupplierProfile, dimensions: CriteriaSet,
               scores: Mapping[str, int | None], notes: Mapping[str, str | None], form: AuditForm, actor_id: str,
               now: datetime, zone: ZoneInfo, threshold: float, workdays: WorkCalendar | None = None) -> AuditRecorded:
    """Store a checked audit (or a third party's review), schedule the next, and say what it shows."""
    assert form.period_start is not None and form.period_end is not None  # checked by check_audit
    kept = {key: int(score) for key in dimensions.keys if (score := scores[key]) is not None}
    audit = SupplierAudit(account_id=profile.account_id, scores=kept, notes=clean_notes(notes),
                          average=audit_average(kept, dimensions), period_start=form.period_start,
                          period_end=form.period_end, auditor_id=form.auditor_id or actor_id, created_by=actor_id,
                          created_at=now)
    store.add_row(session, audit)
    if form.every_months:
        profile.audit_every_months = form.every_months
    schedule_next(profile, since=now, zone=zone, workdays=workdays)
    session.add(profile)
    record_change(session, actor_id=actor_id, action=f"{action_prefix(account)}.audit", object_type="account",
                  object_id=profile.account_id,
                  at=now, after={"audit_id": audit.id, "scores": kept, "average": audit.average,
                                 "period": [form.period_start.isoformat(), form.period_end.isoformat()],
                                 "next_audit_due_at": profile.next_audit_due_at.isoformat()})
    averages = [a.average for a in store.recent_audits(session, account_id=profile.account_id, limit=3)]
    return AuditRecorded(account, audit, profile, averages, improve_or_replace(averages, threshold))


def record_audit(session: Session, *, account_id: int, scores: Mapping[str, int | None],
                 notes: Mapping[str, str | None], form: AuditForm, actor_id: str, now: datetime,
                 policy: SupplierPolicy) -> AuditRecorded:
    """Record an audit on the six dimensions and schedule the next; FormErrors when a field needs fixing."""
    check_audit(scores, form, dimensions=SUPPLIER_DIMENSIONS, today=now.astimezone(policy.timezone).date())
    account, profile = supplier_to_update(session, account_id=account_id, now=now, policy=policy, actor_id=actor_id)
    return save_audit(session, account=account, profile=profile, dimensions=SUPPLIER_DIMENSIONS, scores=scores,
                      notes=notes, form=form, actor_id=actor_id, now=now, zone=policy.timezone,
                      threshold=policy.audit_threshold)


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
    open_disputes: list[Dispute]  # with this supplier or involving it, highest level first
    subcontractors: list[SubcontractorCheck] = field(default_factory=list)  # by name
    changes: list[ChangeStanding] = field(default_factory=list)  # newest first


def scorecard(session: Session, *, name: str, now: datetime, policy: SupplierPolicy) -> Scorecard:
    """The supplier's latest evaluation, audit trend, concerns and contracts, as of `now` (nothing is written)."""
    account = require_supplier(session, name=name)
    assert account.id is not None  # a stored account
    profile = store.get_profile(session, account_id=account.id)
    audits = store.recent_audits(session, account_id=account.id, limit=TREND_AUDITS)
    return Scorecard(
        account=account, profile=profile, evaluation=store.latest_evaluation(session, account_id=account.id),
        audits=audits, concerns=improve_or_replace([a.average for a in audits], policy.audit_threshold),
        audit_overdue=profile is not None and profile.next_audit_due_at <= now,
        contracts=supplier_contracts(session, supplier=account, now=now, policy=policy),
        open_disputes=list_open_disputes(session, supplier_id=account.id),
        subcontractors=check_subcontractors(session, supplier_id=account.id),
        changes=recent_changes(session, supplier_id=account.id),
    )


def list_overdue_audits(session: Session, *, now: datetime, owner_id: str | None = None) -> list[OverdueAudit]:
    """Suppliers whose audit is past due (for the digest's needs-attention list); only the owner's with `owner_id`."""
    return store.list_overdue_audits(session, now=now, owner_id=owner_id)


def run_due_audit_reminders(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: remind each supplier's owner once of an audit falling due (and start missing schedules)."""
    managers = tuple(services.settings.rapport_managers)
    sent = start_missing_schedules(session, now=now, zone=services.settings.zone)
    for profile in store.claim_due_audit_reminders(session, now=now, limit=DUE_BATCH):
        account = session.get(Account, profile.account_id)
        assert account is not None  # a profile belongs to an account
        due = profile.next_audit_due_at
        card = SupplierAuditDueCard(supplier=account.name, due_at=due, every_months=profile.audit_every_months,
                                    tz=services.settings.zone)
        for person in (account.owner_id,) if account.owner_id else managers:
            outbox.dm(session, key=f"supplier-audit-due:{account.id}:{due.date().isoformat()}:{person}", user=person,
                      card=card, now=now)
        profile.audit_remind_at = None
        session.add(profile)
        record_change(session, actor_id=SCHEDULER, action="supplier.audit_reminder", object_type="account",
                      object_id=account.id, at=now, after={"due_at": due.isoformat()})
        sent += 1
    return sent


def next_due_audit_reminders(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_audit_reminders next has work (audit reminder); past when some waits."""
    return store.next_audit_reminder_at(session)
