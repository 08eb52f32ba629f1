"""The scheduler's part of value-added services (增值服务): remind the owner a working day before each occurrence,
and the delivery note (`/service done <id> <note>`).

An approved service is scheduled like a meeting: once, or by a rule whose working-day occurrences move off
holidays on the account's calendar. Each reminder has a dedupe key per occurrence, and the service moves on to
its next occurrence by a conditional update, so ticks running twice send nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.recurrence import parse_rule
from bot.care.services_added import MAX_NOTE, reminder_at, require_service
from bot.platform import outbox
from bot.platform.cards import CardKind
from bot.platform.errors import InvalidInput, Refused
from bot.platform.i18n import _
from bot.rhythm.meetings import account_calendar, account_of
from storage.accounts import Account
from storage.care import services_added as store
from storage.care.services_added import AddedService, ServiceStatus
from storage.platform.audit import record_change

if TYPE_CHECKING:
    from bot.platform.services import Services

DUE_BATCH = 200


@dataclass(frozen=True)
class ServiceReminderCard:
    """The owner's reminder, a working day before an occurrence of an approved service."""

    kind: ClassVar[CardKind] = CardKind.SERVICE_REMINDER
    id: int
    account: str
    what: str
    at: datetime
    tz: ZoneInfo


def reminder_key(service_id: int, at: datetime) -> str:
    """The outbox key of the reminder of one occurrence."""
    return f"service:{service_id}:remind:{at.strftime('%Y%m%dT%H%M')}"


def owner_of(service: AddedService, account: Account) -> str:
    """Who delivers the service: the account's owner, else whoever proposed it."""
    return account.owner_id or service.created_by


def run_due_services(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: remind the owner of each occurrence due a working day from now, and move on to the next."""
    sent = 0
    for service in store.due_services(session, now=now, limit=DUE_BATCH):
        assert service.id is not None and service.next_at is not None  # a scheduled, stored service
        account = account_of(session, service.account_id)
        calendar = account_calendar(account, services.settings)
        occurrence = service.next_at
        following = parse_rule(service.rule).next_after(calendar, after=occurrence).at if service.rule else None
        moved = store.schedule_service(
            session, service_id=service.id, expected=service.remind_at,
            next_at=following if following else occurrence,
            remind_at=reminder_at(calendar, following, now=now) if following else None)
        if not moved:
            continue  # another tick took it
        card = ServiceReminderCard(id=service.id, account=account.name, what=service.what, at=occurrence,
                                   tz=calendar.timezone)
        if outbox.dm(session, key=reminder_key(service.id, occurrence), user=owner_of(service, account), card=card,
                     now=now):
            sent += 1
    return sent


def next_due_services(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_services next has work: the earliest reminder still to send."""
    return store.next_reminder_at(session)


@dataclass(frozen=True)
class ServiceDelivered:
    """A delivery recorded: the service, its account, and how many times it has been delivered."""

    service: AddedService
    account: Account
    count: int


def record_done(session: Session, *, service_id: int, note: str, actor_id: str, now: datetime) -> ServiceDelivered:
    """`/service done <id> <note>`: record that an approved service was delivered, with what was done."""
    note = " ".join(note.split())
    if not note or len(note) > MAX_NOTE:
        raise InvalidInput(_("Say what was delivered (at most {limit} characters): `/service done 3 health check "
                             "report sent`").format(limit=MAX_NOTE))
    service = require_service(session, service_id)
    if service.status != ServiceStatus.APPROVED:
        raise Refused(_("Value-added service #{id} is not approved, so it cannot be delivered.").format(
            id=service_id))
    account = account_of(session, service.account_id)
    entry = {"at": now.isoformat(), "by": actor_id, "note": note}
    store.record_delivery(session, service, entry=entry)
    if not service.rule:  # a one-off is done: nothing more to remind
        store.schedule_service(session, service_id=service_id, expected=service.remind_at, next_at=None,
                               remind_at=None)
    record_change(session, actor_id=actor_id, action="service.done", object_type="account", object_id=account.id,
                  at=now, after={"id": service_id, **entry})
    return ServiceDelivered(service, account, len(service.deliveries))
