"""The scheduler's part of meetings: plan the next occurrence of each series, remind, and re-send snoozed reminders.

Reminders go by DM to the account's owner and the meeting's attendees, one working day and one hour
before; the first one sent for a review (or a multi-party meeting) carries its internal agenda. If the
account asks for it, the customer also gets one reminder in the shared channel with only the title and the
time; a multi-party meeting instead reminds every party once (bot.rhythm.meeting_parties). Every
message has a dedupe key per occurrence, stage and person, so ticks running twice send nothing twice.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.calendar.reminder_stages import step_stages
from bot.platform import outbox
from bot.platform.arguments import whole_number
from bot.platform.config import Settings
from bot.platform.errors import InvalidInput, NotFound, Refused
from bot.platform.i18n import _
from bot.rhythm.agenda import build_agenda
from bot.rhythm.cards import MeetingCustomerReminderCard, MeetingReminderCard
from bot.rhythm.meeting_parties import party_names, remind_parties
from bot.rhythm.meetings import account_calendar, account_of, recipients, roll_series
from storage.accounts import Account, list_account_channels
from storage.platform.audit import SCHEDULER, record_change
from storage.rhythm import meetings as store
from storage.rhythm.meetings import (
    Meeting,
    MeetingKind,
    MeetingOccurrence,
    MeetingSnooze,
    OccurrenceStatus,
    ReminderStage,
)

if TYPE_CHECKING:
    from bot.platform.services import Services

SNOOZES: dict[str, timedelta] = {"30m": timedelta(minutes=30), "1h": timedelta(hours=1), "1d": timedelta(days=1)}
DUE_BATCH = 200
STAGES = (ReminderStage.DAY, ReminderStage.HOUR)


def reminder_key(occurrence_id: int, stage: ReminderStage | str, user_id: str, generation: int = 0) -> str:
    """The outbox key of one person's reminder (a snoozed copy has its generation)."""
    base = f"meeting:{occurrence_id}:{ReminderStage(stage).value}:{user_id}"
    return base if generation == 0 else f"{base}:snooze{generation}"


def customer_key(occurrence_id: int) -> str:
    """The outbox key of the one customer-facing reminder of an occurrence."""
    return f"meeting:{occurrence_id}:customer"


def run_due_meetings(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: plan next occurrences, send due reminders, re-send snoozed ones."""
    handled = 0
    for meeting in store.claim_due_meetings(session, now=now, limit=DUE_BATCH):
        roll_series(session, meeting=meeting, now=now, settings=services.settings)
        handled += 1
    for occurrence in store.claim_due_occurrences(session, now=now, limit=DUE_BATCH):
        _remind(session, occurrence, now=now, services=services)
        handled += 1
    for snooze in store.claim_due_snoozes(session, now=now, limit=DUE_BATCH):
        _resend(session, snooze, now=now)
        handled += 1
    return handled


def next_due_meetings(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_meetings next has work (meeting to plan, remind of or re-send); past when some waits."""
    return store.next_meeting_work_at(session)


def _remind(session: Session, occurrence: MeetingOccurrence, *, now: datetime, services: Services) -> None:
    """Send the latest reminder due (a late tick skips an older one), then wait for the next."""
    assert occurrence.id is not None  # claimed from the database
    if occurrence.status != OccurrenceStatus.SCHEDULED or occurrence.starts_at <= now:
        store.change_occurrence(session, occurrence_id=occurrence.id, statuses=(OccurrenceStatus(occurrence.status),),
                                values={"next_check_at": None})
        return
    first = occurrence.reminded_stage is None
    step = step_stages(STAGES, (occurrence.day_reminder_at, occurrence.hour_reminder_at),
                       reminded=occurrence.reminded_stage, now=now)
    if not store.change_occurrence(session, occurrence_id=occurrence.id, statuses=(OccurrenceStatus.SCHEDULED,),
                                   values=step.changes()) or not step.due:
        return
    stage = ReminderStage(step.due)
    meeting = store.get_meeting(session, meeting_id=occurrence.meeting_id)
    account = account_of(session, occurrence.account_id)
    assert meeting is not None  # an occurrence's series stays
    card = reminder_card(session, occurrence=occurrence, meeting=meeting, account=account, stage=stage,
                         agenda=first, now=now, services=services)
    for user_id in recipients(session, meeting=meeting, account=account):
        outbox.dm(session, key=reminder_key(occurrence.id, stage, user_id), user=user_id, card=card, now=now)
    if not remind_parties(session, occurrence=occurrence, meeting=meeting, zone=card.zone, now=now):
        _remind_customer(session, occurrence=occurrence, meeting=meeting, account=account, zone=card.zone, now=now)
    record_change(session, actor_id=SCHEDULER, action="meeting.remind", object_type="meeting_occurrence",
                  object_id=occurrence.id, at=now, after={"stage": stage.value})


def reminder_card(session: Session, *, occurrence: MeetingOccurrence, meeting: Meeting, account: Account,
                  stage: ReminderStage, agenda: bool, now: datetime, services: Services) -> MeetingReminderCard:
    """What the internal reminder shows; a review's first reminder carries the agenda."""
    assert occurrence.id is not None and meeting.id is not None  # read from the database
    zone = account_calendar(account, services.settings).timezone
    parties = party_names(session, meeting_id=meeting.id)
    review = None
    if agenda and meeting.kind == MeetingKind.REVIEW and occurrence.period_start and occurrence.period_end:
        review = build_agenda(session, account=account, period_start=occurrence.period_start,
                              period_end=occurrence.period_end, zone=zone, now=now)
    elif agenda and parties:  # a multi-party meeting: the own account's previous month, for our people only
        start, end = previous_month(occurrence.starts_at.astimezone(zone).date())
        review = build_agenda(session, account=account, period_start=start, period_end=end, zone=zone, now=now)
    return MeetingReminderCard(occurrence_id=occurrence.id, meeting_id=meeting.id, account=account.name,
                               title=meeting.title, starts_at=occurrence.starts_at, zone=zone, stage=stage,
                               agenda=review, parties=parties)


def previous_month(day: date) -> tuple[date, date]:
    """The first day of the month before `day`'s, and the first day of `day`'s month."""
    end = day.replace(day=1)
    return (end - timedelta(days=1)).replace(day=1), end


def _remind_customer(session: Session, *, occurrence: MeetingOccurrence, meeting: Meeting, account: Account,
                     zone: ZoneInfo, now: datetime) -> None:
    """One reminder in the account's shared channel, with only the title and the time (if the account wants it)."""
    assert occurrence.id is not None and account.id is not None  # read from the database
    if not account.meeting_reminders_shared:
        return
    shared = [link.channel_id for link in list_account_channels(session, account_id=account.id) if link.is_shared]
    if not shared:
        return
    card = MeetingCustomerReminderCard(title=meeting.title, starts_at=occurrence.starts_at, zone=zone)
    outbox.post(session, key=customer_key(occurrence.id), channel=shared[0], card=card, now=now)


def _resend(session: Session, snooze: MeetingSnooze, *, now: datetime) -> None:
    """Send a snoozed reminder again, once, unless the meeting is done, cancelled or started meanwhile."""
    assert snooze.id is not None  # claimed from the database
    if not store.clear_snooze(session, snooze_id=snooze.id):
        return
    occurrence = store.get_occurrence(session, occurrence_id=snooze.occurrence_id)
    if occurrence is None or occurrence.status != OccurrenceStatus.SCHEDULED or occurrence.starts_at <= now:
        return
    original = outbox.queued_card(session, key=reminder_key(snooze.occurrence_id, snooze.stage, snooze.user_id),
                                  card_type=MeetingReminderCard)
    if original is None:
        return
    outbox.dm(session, key=reminder_key(snooze.occurrence_id, snooze.stage, snooze.user_id, snooze.generation),
              user=snooze.user_id, card=replace(original, generation=snooze.generation), now=now)


def read_snooze_value(value: str) -> tuple[int, ReminderStage, int]:
    """A snooze button's value `12:day:0` -> (occurrence 12, stage, generation of the reminder clicked)."""
    parts = value.split(":")
    if len(parts) == 3 and parts[1] in set(ReminderStage):
        occurrence_id, generation = whole_number(parts[0]), whole_number(parts[2])
        if occurrence_id is not None and generation is not None:
            return occurrence_id, ReminderStage(parts[1]), generation
    raise InvalidInput(_("That button is out of date; the reminder can't be read."))


@dataclass(frozen=True)
class Snoozed:
    """A snoozed reminder: when it comes back (in `zone`), and False if it had been snoozed already."""

    remind_at: datetime
    zone: ZoneInfo
    new: bool


def snooze_reminder(session: Session, *, value: str, delay: str, user_id: str, now: datetime,
                    settings: Settings) -> Snoozed:
    """Snooze one person's reminder once (a double click snoozes it once); it comes back as a new DM."""
    occurrence_id, stage, generation = read_snooze_value(value)
    if delay not in SNOOZES:
        raise InvalidInput(_("That button is out of date; the reminder can't be read."))
    occurrence = store.get_occurrence(session, occurrence_id=occurrence_id)
    if occurrence is None:
        raise NotFound(_("That meeting no longer exists."))
    if occurrence.status != OccurrenceStatus.SCHEDULED:
        raise Refused(_("This meeting is already done or cancelled — no need to remind you again."))
    zone = account_calendar(account_of(session, occurrence.account_id), settings).timezone
    remind_at = now + SNOOZES[delay]
    if not store.add_snooze(session, occurrence_id=occurrence_id, user_id=user_id, stage=stage,
                            generation=generation + 1, remind_at=remind_at, now=now):
        earlier = store.get_snooze(session, occurrence_id=occurrence_id, user_id=user_id, stage=stage,
                                   generation=generation + 1)
        return Snoozed((earlier.remind_at or remind_at) if earlier else remind_at, zone, new=False)
    record_change(session, actor_id=user_id, action="meeting.snooze", object_type="meeting_occurrence",
                  object_id=occurrence_id, at=now, after={"stage": stage.value, "until": remind_at.isoformat()})
    return Snoozed(remind_at, zone, new=True)
