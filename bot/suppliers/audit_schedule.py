"""Audit schedules: every supplier has one, its first audit due one interval after it is started; a third party
gets one (its reviews) when first evaluated or reviewed, its due days moved to a working day of its calendar.

Kept apart from bot.suppliers.evaluation (which adds suppliers through bot.accounts.registry) so that
bot.accounts.registry can start the schedule of any supplier account it adds without an import cycle.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.workdays import WorkCalendar
from bot.suppliers.scoring import UTC_ZONE
from storage.accounts import Account, AccountKind
from storage.platform.audit import SCHEDULER, record_change
from storage.platform.ledger import claim_run
from storage.suppliers import evaluations as store
from storage.suppliers.evaluations import SupplierProfile

AUDIT_EVERY_MONTHS = 3
AUDIT_INTERVALS = (1, 2, 3, 4, 6, 12)  # the months one may choose between audits
REMIND_BEFORE = timedelta(days=7)
REMIND_WORKING_DAYS = 5  # on a working-day schedule: a working week before the due day
BACKFILL_BATCH = 200


def add_months(moment: datetime, months: int, zone: ZoneInfo) -> datetime:
    """The same local time `months` later (the last day of a shorter month)."""
    local = moment.astimezone(zone)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    return local.replace(year=year, month=month, day=day).astimezone(moment.tzinfo)


def schedule_next(profile: SupplierProfile, *, since: datetime, zone: ZoneInfo,
                  workdays: WorkCalendar | None = None) -> None:
    """Set the next audit one interval after `since`, with its reminder a week before.

    With `workdays`, a due day off moves to the next working day, and the reminder goes a working week before.
    """
    due = add_months(since, profile.audit_every_months, zone)
    if workdays is None:
        profile.next_audit_due_at = due
        profile.audit_remind_at = max(due - REMIND_BEFORE, since)
        return
    local = due.astimezone(zone)
    due_day = workdays.add_working_days(local.date(), 0)
    remind_day = workdays.add_working_days(due_day, -REMIND_WORKING_DAYS)
    profile.next_audit_due_at = datetime.combine(due_day, local.timetz()).astimezone(due.tzinfo)
    remind_at = datetime.combine(remind_day, local.timetz()).astimezone(due.tzinfo)
    profile.audit_remind_at = max(remind_at, since)


def action_prefix(account: Account) -> str:
    """The audit-log prefix of a party's schedule and scores: "supplier" or "thirdparty"."""
    return "supplier" if account.kind == AccountKind.SUPPLIER else "thirdparty"


def ensure_profile(session: Session, *, account: Account, now: datetime, zone: ZoneInfo | None = None,
                   actor_id: str = SCHEDULER, for_update: bool = False,
                   workdays: WorkCalendar | None = None) -> SupplierProfile:
    """A party's profile, started (first audit due one interval from now) if it has none yet.

    Months are counted in `zone`; without one, in the account's own time zone, else UTC.
    """
    assert account.id is not None  # a stored account
    profile = store.get_profile(session, account_id=account.id, for_update=for_update)
    if profile is not None:
        return profile
    if zone is None:
        zone = ZoneInfo(account.calendar_timezone) if account.calendar_timezone else UTC_ZONE
    profile = SupplierProfile(account_id=account.id, audit_every_months=AUDIT_EVERY_MONTHS, next_audit_due_at=now,
                              created_at=now)
    schedule_next(profile, since=now, zone=zone, workdays=workdays)
    store.add_row(session, profile)
    record_change(session, actor_id=actor_id, action=f"{action_prefix(account)}.schedule", object_type="account",
                  object_id=account.id,
                  at=now, after={"audit_every_months": profile.audit_every_months,
                                 "next_audit_due_at": profile.next_audit_due_at.isoformat()})
    return profile


def start_missing_schedules(session: Session, *, now: datetime, zone: ZoneInfo) -> int:
    """Once a day: start the schedule of any supplier that has none (suppliers added before every new one got one).

    Suppliers are given a schedule when added; this catches the older ones without waiting for
    someone to audit them, so their reminders do not depend on a command being run.
    """
    if not claim_run(session, key=f"supplier-schedules:{now.astimezone(zone).date().isoformat()}", now=now):
        return 0
    started = 0
    while batch := store.list_suppliers_without_profile(session, limit=BACKFILL_BATCH):
        for account in batch:
            ensure_profile(session, account=account, now=now, zone=zone)
        started += len(batch)
    return started
