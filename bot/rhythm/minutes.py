"""Minutes of a meeting: "Done" on a reminder opens them; saving records notes and action items, once."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.accounts.stakeholders import note_met
from bot.calendar.when import describe
from bot.platform.config import Settings
from bot.platform.errors import InvalidInput, NotFound, Refused
from bot.platform.i18n import _
from bot.platform.text import mentioned_users
from bot.rhythm.action_items import ActionRow, add_action_items, message_key, read_rows
from bot.rhythm.cards import ActionItemStage
from bot.rhythm.meetings import account_calendar, account_of
from storage.accounts import Account
from storage.platform.audit import record_change
from storage.rhythm import meetings as store
from storage.rhythm.action_items import ActionItem
from storage.rhythm.meetings import Meeting, MeetingOccurrence, OccurrenceStatus

MAX_NOTES = 3000


@dataclass(frozen=True)
class MinutesTarget:
    """The occurrence whose minutes are being written, with its series and account."""

    occurrence: MeetingOccurrence
    meeting: Meeting
    account: Account
    zone: ZoneInfo


@dataclass(frozen=True)
class Minutes:
    """Recorded minutes: the occurrence, its action items, and the keys to deliver at once."""

    target: MinutesTarget
    items: list[ActionItem]
    keys: list[str]


def open_minutes(session: Session, *, occurrence_id: int, settings: Settings) -> MinutesTarget:
    """The occurrence to write minutes for, or Refused if they exist or it was cancelled."""
    occurrence = store.get_occurrence(session, occurrence_id=occurrence_id)
    if occurrence is None:
        raise NotFound(_("That meeting no longer exists."))
    account = account_of(session, occurrence.account_id)
    zone = account_calendar(account, settings).timezone
    if occurrence.status == OccurrenceStatus.DONE:
        assert occurrence.done_at is not None  # set with the status
        raise Refused(_("The minutes of this meeting were recorded by <@{user}> ({when}).").format(
            user=occurrence.done_by, when=describe(occurrence.done_at, zone)))
    if occurrence.status == OccurrenceStatus.CANCELLED:
        raise Refused(_("This meeting was cancelled."))
    meeting = store.get_meeting(session, meeting_id=occurrence.meeting_id)
    assert meeting is not None  # an occurrence's series stays
    return MinutesTarget(occurrence, meeting, account, zone)


def record_minutes(session: Session, *, occurrence_id: int, notes: str, rows: list[ActionRow], actor_id: str,
                   now: datetime, settings: Settings, is_internal: Callable[[str], bool]) -> Minutes:
    """Mark the meeting held with its notes and action items; a second submission is refused, nothing written."""
    target = open_minutes(session, occurrence_id=occurrence_id, settings=settings)
    notes = (notes or "").strip()
    if len(notes) > MAX_NOTES:
        raise InvalidInput(_("Keep the notes under {limit} characters.").format(limit=MAX_NOTES))
    calendar = account_calendar(target.account, settings)
    drafts = read_rows(rows, now=now, calendar=calendar, is_internal=is_internal)
    values = {"status": OccurrenceStatus.DONE, "notes": notes or None, "done_at": now, "done_by": actor_id,
              "next_check_at": None}
    if not store.change_occurrence(session, occurrence_id=occurrence_id, statuses=(OccurrenceStatus.SCHEDULED,),
                                   values=values):
        open_minutes(session, occurrence_id=occurrence_id, settings=settings)  # raises, saying who was first
    items = add_action_items(session, account=target.account, occurrence_id=occurrence_id, drafts=drafts,
                             actor_id=actor_id, now=now, calendar=calendar)
    held = f"{target.meeting.title}\n{notes}"  # the stakeholders it names were met
    note_met(session, account_id=target.occurrence.account_id, at=min(target.occurrence.starts_at, now), text=held,
             user_ids=mentioned_users(held), actor_id=actor_id, now=now)
    record_change(session, actor_id=actor_id, action="meeting.done", object_type="meeting_occurrence",
                  object_id=occurrence_id, at=now, before={"status": OccurrenceStatus.SCHEDULED.value},
                  after={"status": OccurrenceStatus.DONE.value, "notes": notes or None,
                         "action_items": [item.id for item in items]})
    keys = [message_key(item.id, ActionItemStage.ASSIGNED) for item in items
            if item.id is not None and item.owner_id != actor_id]
    return Minutes(target, items, keys)
