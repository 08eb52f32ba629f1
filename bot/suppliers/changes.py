"""Supplier changes (供应商变更, the notes' supplier risks): record a supplier replaced, backed up or dropped with its
reason; flag the accounts whose service depends on it (their support contracts) and remind each owner, on each
working day until they press *Customer told*, to tell the customer (及时向客户传递); the change goes in those
accounts' service reports. Free of Slack.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from datetime import datetime, time

from sqlmodel import Session

from bot.platform import formatting, outbox
from bot.platform.config import Settings
from bot.platform.errors import InvalidInput, NotFound
from bot.platform.i18n import _
from bot.platform.services import Services
from bot.platform.text import cut
from bot.report.model import Bullets, ReportScope, ReportSection
from bot.rhythm.meetings import account_calendar
from bot.suppliers.cards import SupplierChangeNoticeCard
from bot.suppliers.evaluation import require_supplier
from storage.accounts import Account
from storage.platform.audit import SCHEDULER, record_change
from storage.suppliers import changes as store
from storage.suppliers.changes import REASON_LIMIT, ChangeKind, SupplierChange, SupplierChangeNotice

DUE_BATCH = 200
EXAMPLE = "/supplier change Net Co replaced by Fast Net: three outages in Q3"
_CHANGE = re.compile(
    r"^(?P<name>.+?)(?:\s+(?P<replaced>replaced\s+by)|\s+(?P<backup>backup|backed\s+up\s+by)|\s+(?P<dropped>dropped)"
    r"|\s*(?P<replaced_zh>替换为|换成)|\s*(?P<backup_zh>备份为?|备用)|\s*(?P<dropped_zh>停用|弃用))"
    r"(?P<other>[^:：]*)(?:[:：]\s*(?P<reason>.*))?$", re.IGNORECASE | re.DOTALL)


@dataclass(frozen=True)
class ChangeDraft:
    """`<supplier> replaced by <other>|backup <other>|dropped: <reason>` split into its parts."""

    supplier: str
    kind: ChangeKind
    other: str | None
    reason: str | None


def parse_change(text: str) -> ChangeDraft:
    """Read `/supplier change …`; InvalidInput shows the three forms."""
    match = _CHANGE.match(" ".join(html.unescape(text).split()))
    usage = _("Say what changed: `/supplier change Net Co replaced by Fast Net: <reason>`, `/supplier change Net Co "
              "backup Fast Net: <reason>` or `/supplier change Net Co dropped: <reason>`.")
    if not match:
        raise InvalidInput(usage)
    if match.group("replaced") or match.group("replaced_zh"):
        kind = ChangeKind.REPLACED
    elif match.group("backup") or match.group("backup_zh"):
        kind = ChangeKind.BACKUP
    else:
        kind = ChangeKind.DROPPED
    other = match.group("other").strip() or None
    reason = cut(match.group("reason").strip(), REASON_LIMIT) if match.group("reason") else None
    if kind == ChangeKind.DROPPED:
        if other or not reason:
            raise InvalidInput(_("Give the reason a supplier is dropped: `/supplier change Net Co dropped: "
                                 "contract ended`."))
    elif not other:
        raise InvalidInput(usage)
    return ChangeDraft(match.group("name").strip(), kind, other, reason or None)


@dataclass(frozen=True)
class Flagged:
    """An account whose service depends on the changed supplier, and who is asked to tell its customer."""

    account: Account
    notice: SupplierChangeNotice
    people: tuple[str, ...]


@dataclass(frozen=True)
class ChangeRecorded:
    """A recorded change, its suppliers, and the accounts flagged."""

    change: SupplierChange
    supplier: Account
    other: Account | None
    flagged: list[Flagged]
    keys: list[str]  # the owners' first reminders, to deliver at once


def record_change_of_supplier(session: Session, *, draft: ChangeDraft, actor_id: str, now: datetime,
                              settings: Settings) -> ChangeRecorded:
    """Record the change, flag every account with a contract from the supplier, and DM each owner once now."""
    supplier = require_supplier(session, name=draft.supplier)
    other = require_supplier(session, name=draft.other) if draft.other else None
    assert supplier.id is not None  # a stored account
    if other is not None and other.id == supplier.id:
        raise InvalidInput(_("A supplier can't replace or back up itself."))
    change = SupplierChange(supplier_id=supplier.id, kind=draft.kind, other_id=other.id if other else None,
                            reason=draft.reason, created_by=actor_id, created_at=now)
    store.add_row(session, change)
    assert change.id is not None  # stored above
    flagged, keys = [], []
    for account in store.dependent_accounts(session, supplier_id=supplier.id, on=now.astimezone(settings.zone).date()):
        assert account.id is not None  # a stored account
        notice = SupplierChangeNotice(change_id=change.id, account_id=account.id)
        store.add_row(session, notice)
        people, queued = _remind(session, notice, change=change, account=account, supplier=supplier, other=other,
                                 now=now, settings=settings)
        flagged.append(Flagged(account, notice, people))
        keys += queued
    record_change(session, actor_id=actor_id, action="supplier.change", object_type="supplier_change",
                  object_id=change.id, at=now,
                  after={"supplier_id": supplier.id, "kind": draft.kind.value, "other_id": change.other_id,
                         "reason": draft.reason, "accounts": [f.account.id for f in flagged]})
    return ChangeRecorded(change, supplier, other, flagged, keys)


def _next_working_morning(account: Account, settings: Settings, now: datetime) -> datetime:
    """The opening of the account's next working day after `now`."""
    calendar = account_calendar(account, settings)
    day = calendar.add_working_days(now.astimezone(calendar.timezone).date(), 1)
    return datetime.combine(day, calendar.day_start, tzinfo=calendar.timezone)


def _remind(session: Session, notice: SupplierChangeNotice, *, change: SupplierChange, account: Account,
            supplier: Account, other: Account | None, now: datetime,
            settings: Settings) -> tuple[tuple[str, ...], list[str]]:
    """DM the owner (else the managers) under a key naming this reminder, and set the next one."""
    assert notice.id is not None  # a stored notice
    card = SupplierChangeNoticeCard(notice_id=notice.id, supplier=supplier.name, change=change.kind,
                                    other=other.name if other else None, reason=change.reason, account=account.name,
                                    reminder=notice.reminders)
    people = (account.owner_id,) if account.owner_id else tuple(settings.rapport_managers)
    keys = [f"supplier-change:{notice.id}:{notice.reminders}:{person}" for person in people]
    for person, key in zip(people, keys, strict=True):
        outbox.dm(session, key=key, user=person, card=card, now=now)
    notice.reminders += 1
    notice.next_remind_at = _next_working_morning(account, settings, now)
    session.add(notice)
    return people, keys


@dataclass(frozen=True)
class Told:
    """A notice after *Customer told*, and whether the click changed it."""

    account: Account
    supplier: Account
    changed: bool


def mark_told(session: Session, *, notice_id: int, actor_id: str, now: datetime) -> Told:
    """The customer was told: stop the reminders (a second click changes nothing)."""
    notice = store.get_notice(session, notice_id=notice_id, for_update=True)
    if notice is None:
        raise NotFound(_("That supplier change is no longer on record."))
    change = session.get(SupplierChange, notice.change_id)
    account = session.get(Account, notice.account_id)
    assert change is not None and account is not None  # foreign keys
    supplier = session.get(Account, change.supplier_id)
    assert supplier is not None  # a foreign key
    if notice.told_at is not None:
        return Told(account, supplier, changed=False)
    notice.told_at, notice.told_by, notice.next_remind_at = now, actor_id, None
    session.add(notice)
    record_change(session, actor_id=actor_id, action="supplier.change_told", object_type="supplier_change_notice",
                  object_id=notice.id, at=now, after={"account_id": account.id, "change_id": change.id})
    return Told(account, supplier, changed=True)


def run_due_supplier_change_notices(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: remind again, each working day, the owners who have not yet told their customer."""
    sent = 0
    for notice in store.claim_due_notices(session, now=now, limit=DUE_BATCH):
        change = session.get(SupplierChange, notice.change_id)
        account = session.get(Account, notice.account_id)
        assert change is not None and account is not None  # foreign keys
        supplier = session.get(Account, change.supplier_id)
        other = session.get(Account, change.other_id) if change.other_id else None
        assert supplier is not None  # a foreign key
        _remind(session, notice, change=change, account=account, supplier=supplier, other=other, now=now,
                settings=services.settings)
        record_change(session, actor_id=SCHEDULER, action="supplier.change_reminder",
                      object_type="supplier_change_notice", object_id=notice.id, at=now,
                      after={"reminders": notice.reminders})
        sent += 1
    return sent


def next_due_supplier_change_notices(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_supplier_change_notices next has work (a reminder to tell a customer); past when some waits."""
    return store.next_notice_at(session)


@dataclass(frozen=True)
class ChangeStanding:
    """A past change of a supplier on its scorecard: what, and how many of the flagged accounts were told."""

    change: SupplierChange
    other: str | None
    flagged: int
    told: int


def recent_changes(session: Session, *, supplier_id: int) -> list[ChangeStanding]:
    """The supplier's latest changes, newest first (nothing is written)."""
    standings = []
    for change, flagged, told in store.recent_changes(session, supplier_id=supplier_id):
        other = session.get(Account, change.other_id) if change.other_id else None
        standings.append(ChangeStanding(change, other.name if other else None, flagged, told))
    return standings


def change_text(kind: str, supplier: str, other: str | None) -> str:
    """What changed, in words: "Net Co was replaced by Fast Net"."""
    if kind == ChangeKind.REPLACED:
        return _("{supplier} was replaced by {other}").format(supplier=supplier, other=other)
    if kind == ChangeKind.BACKUP:
        return _("{other} was added as a backup to {supplier}").format(supplier=supplier, other=other)
    return _("{supplier} is no longer used").format(supplier=supplier)


def _changes_in_period(session: Session, scope: ReportScope, settings: Settings) -> list[tuple[str, str | None]]:
    """Each change that flagged the account in the period, in words with its day, and its reason."""
    account = session.get(Account, scope.account_id)
    if account is None:
        return []
    zone = account_calendar(account, settings).timezone
    since = datetime.combine(scope.period.start, time(0), tzinfo=zone)
    until = datetime.combine(scope.period.end, time(0), tzinfo=zone)
    items = []
    for change, _notice in store.changes_for_account(session, account_id=account.id or 0, since=since, until=until):
        supplier = session.get(Account, change.supplier_id)
        other = session.get(Account, change.other_id) if change.other_id else None
        assert supplier is not None  # a foreign key
        text = _("{day}: {what}").format(day=formatting.day(change.created_at.astimezone(zone).date()),
                                         what=change_text(change.kind, supplier.name, other.name if other else None))
        items.append((text, change.reason))
    return items


def supplier_changes_report_section(session: Session, scope: ReportScope, settings: Settings) -> ReportSection | None:
    """The changes of the suppliers behind this account's service in the period (shareable: the customer is told).

    Only what changed: the reasons are our view of a supplier, so they stay in the internal section below."""
    items = _changes_in_period(session, scope, settings)
    if not items:
        return None
    return ReportSection(key="supplier_changes", title=_("Supplier changes"),
                         blocks=(Bullets(tuple(text for text, _reason in items)),), shareable=True)


def supplier_change_reasons_report_section(session: Session, scope: ReportScope,
                                           settings: Settings) -> ReportSection | None:
    """Why the suppliers behind this account changed in the period (internal: never in the customer version)."""
    items = [f"{text} — {reason}" for text, reason in _changes_in_period(session, scope, settings) if reason]
    if not items:
        return None
    return ReportSection(key="supplier_change_reasons", title=_("Why suppliers changed"),
                         blocks=(Bullets(tuple(items)),), shareable=False)
