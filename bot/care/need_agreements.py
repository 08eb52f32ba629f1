"""Supplementary agreements (补充协议): a need that changes the service asks for one, signed by a date.

The need's owner is reminded by DM at the opening of each working day from the working day before that
date until the agreement is signed or dropped: "due tomorrow", then "due today", then "overdue". Each
reminder's outbox key names its local day, and the next reminder moves on by a conditional update, so
ticks running twice (or late) send one reminder per working day, never two.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, ClassVar
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.when import UnreadableDate, read_when
from bot.calendar.workdays import WorkCalendar
from bot.care.needs import FINAL, account_of_need, require_need, status_label
from bot.platform import outbox
from bot.platform.cards import CardKind
from bot.platform.errors import InvalidInput, Refused
from bot.platform.i18n import _
from bot.rhythm.meetings import account_calendar
from storage.care import needs as store
from storage.care.needs import AgreementStatus, Need, NeedStatus
from storage.platform.audit import SCHEDULER, record_change

if TYPE_CHECKING:
    from bot.platform.services import Services

DUE_BATCH = 200
UPDATED_DAYS = 120  # reminders older than this keep their buttons (a late click is told it is closed)
EXAMPLE = "/need 3 agreement next friday"


class AgreementStage(StrEnum):
    """Which reminder of a pending agreement: the working day before its date, on the day, or after it."""

    BEFORE = "before"
    DUE = "due"
    OVERDUE = "overdue"
    SIGNED = "signed"  # the reminders, updated in place once it is signed or dropped
    DROPPED = "dropped"


@dataclass(frozen=True)
class NeedAgreementReminderCard:
    """The owner's working-day reminder of a supplementary agreement not yet signed, with Signed and Dropped."""

    kind: ClassVar[CardKind] = CardKind.NEED_AGREEMENT_REMINDER
    need_id: int
    account: str
    text: str
    due_at: datetime
    tz: ZoneInfo
    stage: AgreementStage
    closed_by: str | None = None


@dataclass(frozen=True)
class AgreementChanged:
    """A supplementary agreement asked for, signed or dropped: the need after it and its account's name."""

    need: Need
    account: str
    changed: bool = True
    keys: list[str] = field(default_factory=list)


def opening(calendar: WorkCalendar, day: date) -> datetime:
    """The opening of business on a day, in UTC."""
    return datetime.combine(day, calendar.day_start, tzinfo=calendar.timezone).astimezone(UTC)


def first_reminder_at(calendar: WorkCalendar, due_at: datetime, *, now: datetime) -> datetime:
    """The working day before the date, at opening; if that has passed, the next moment business is open."""
    due_day = due_at.astimezone(calendar.timezone).date()
    planned = opening(calendar, calendar.add_working_days(due_day, -1))
    return planned if planned >= now else calendar.next_opening(now)


def stage_on(calendar: WorkCalendar, due_at: datetime, moment: datetime) -> AgreementStage:
    """Which reminder a moment's local day calls for."""
    today, due_day = moment.astimezone(calendar.timezone).date(), due_at.astimezone(calendar.timezone).date()
    if today < due_day:
        return AgreementStage.BEFORE
    return AgreementStage.DUE if today == due_day else AgreementStage.OVERDUE


def reminder_key(need_id: int, day: date) -> str:
    """The outbox key of a need's agreement reminder on one local day: one a day, however many ticks."""
    return f"need:{need_id}:agreement:{day.strftime('%Y%m%d')}"


def record_agreement(session: Session, *, need_id: int, when_text: str, actor_id: str, now: datetime,
                     services: Services) -> AgreementChanged:
    """`/need <id> agreement <date>`: the need changes the service; its agreement is to be signed by that date."""
    need = require_need(session, need_id)
    if need.status in FINAL:
        raise Refused(_("Need #{id} is {status}; a supplementary agreement is asked for by an open need.").format(
            id=need_id, status=status_label(NeedStatus(need.status))))
    if not when_text.strip():
        raise InvalidInput(_("By when should the supplementary agreement be signed? `{example}`").format(
            example=EXAMPLE.replace("3", str(need_id), 1)))
    account = account_of_need(session, need)
    calendar = account_calendar(account, services.settings)
    try:
        due_at = read_when(when_text, now=now, tz=calendar.timezone, calendar=calendar).astimezone(UTC)
    except UnreadableDate as problem:
        raise InvalidInput(problem.message) from None
    before = {"agreement_status": need.agreement_status, "agreement_due_at": _iso(need.agreement_due_at)}
    values = {"agreement_status": AgreementStatus.PENDING, "agreement_due_at": due_at, "agreement_closed_at": None,
              "agreement_next_at": first_reminder_at(calendar, due_at, now=now)}
    if not store.change_agreement(session, need_id=need_id, expected=_status(need), values=values):
        raise Refused(_("Need #{id} was changed by someone else just now; look at it again: `/need {id}`").format(
            id=need_id))
    record_change(session, actor_id=actor_id, action="need.agreement", object_type="need", object_id=need_id,
                  at=now, before=before, after={"agreement_status": AgreementStatus.PENDING.value,
                                                "agreement_due_at": due_at.isoformat()})
    return AgreementChanged(require_need(session, need_id), account.name)


def close_agreement(session: Session, *, need_id: int, signed: bool, actor_id: str, now: datetime,
                    services: Services) -> AgreementChanged:
    """Signed or Dropped: a pending agreement is closed once, its reminders stop and those sent lose their buttons."""
    need = require_need(session, need_id)
    account = account_of_need(session, need)
    if need.agreement_status is None:
        raise Refused(_("Need #{id} has no supplementary agreement. Ask for one: `{example}`").format(
            id=need_id, example=EXAMPLE.replace("3", str(need_id), 1)))
    status = AgreementStatus.SIGNED if signed else AgreementStatus.DROPPED
    values = {"agreement_status": status, "agreement_next_at": None, "agreement_closed_at": now}
    if not store.change_agreement(session, need_id=need_id, expected=AgreementStatus.PENDING, values=values):
        return AgreementChanged(need, account.name, changed=False)
    record_change(session, actor_id=actor_id, action=f"need.agreement_{status.value}", object_type="need",
                  object_id=need_id, at=now, before={"agreement_status": AgreementStatus.PENDING.value},
                  after={"agreement_status": status.value})
    assert need.agreement_due_at is not None  # a pending agreement has its date
    calendar = account_calendar(account, services.settings)
    card = NeedAgreementReminderCard(need_id=need_id, account=account.name, text=need.text,
                                     due_at=need.agreement_due_at, tz=calendar.timezone,
                                     stage=AgreementStage(status.value), closed_by=actor_id)
    keys = outbox.update_queued(session, original_keys=sent_reminder_keys(need_id, need.agreement_due_at, calendar,
                                                                          now=now),
                                suffix=status.value, card=card, now=now)
    return AgreementChanged(require_need(session, need_id), account.name, keys=keys)


def sent_reminder_keys(need_id: int, due_at: datetime, calendar: WorkCalendar, *, now: datetime) -> list[str]:
    """The keys reminders of an agreement may have been sent under: each working day from the one before its date."""
    day = calendar.add_working_days(due_at.astimezone(calendar.timezone).date(), -1)
    today = now.astimezone(calendar.timezone).date()
    day = max(day, today - timedelta(days=UPDATED_DAYS))
    keys = []
    while day <= today:
        if calendar.is_working_day(day):
            keys.append(reminder_key(need_id, day))
        day += timedelta(days=1)
    return keys


def run_due_need_agreements(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: remind each owner of a pending agreement once on this working day, and plan the next."""
    sent = 0
    for need in store.due_agreements(session, now=now, limit=DUE_BATCH):
        assert need.id is not None and need.agreement_next_at is not None and need.agreement_due_at is not None
        account = account_of_need(session, need)
        calendar = account_calendar(account, services.settings)
        today = now.astimezone(calendar.timezone).date()
        following = opening(calendar, calendar.add_working_days(today, 1))
        if not store.move_agreement_reminder(session, need_id=need.id, expected=need.agreement_next_at,
                                             next_at=following):
            continue  # another tick took it
        if not calendar.is_working_day(today):
            continue  # planned for a day that became a holiday: the next working day reminds
        stage = stage_on(calendar, need.agreement_due_at, now)
        card = NeedAgreementReminderCard(need_id=need.id, account=account.name, text=need.text,
                                         due_at=need.agreement_due_at, tz=calendar.timezone, stage=stage)
        if outbox.dm(session, key=reminder_key(need.id, today), user=need.owner_id, card=card, now=now):
            record_change(session, actor_id=SCHEDULER, action="need.agreement_remind", object_type="need",
                          object_id=need.id, at=now, after={"stage": stage.value, "day": today.isoformat()})
            sent += 1
    return sent


def next_due_need_agreements(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_need_agreements next has work: the earliest agreement reminder planned."""
    return store.next_agreement_at(session)


def _status(need: Need) -> AgreementStatus | None:
    return AgreementStatus(need.agreement_status) if need.agreement_status else None


def _iso(moment: datetime | None) -> str | None:
    return moment.isoformat() if moment else None
