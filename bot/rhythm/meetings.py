"""Meetings (定期沟通): schedule one-off or repeating meetings with an account, list, cancel, plan occurrences.

`/meeting <account>: <title> <when>` (read in bot.rhythm.commands) — the when is a rule or a one-off
date. A repeating series keeps one occurrence planned ahead; once it has started, the
scheduler plans the next (bot.rhythm.meeting_reminders). Each occurrence is reminded one working day and
one hour before; a reminder whose moment had passed when the occurrence was planned is not sent.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.accounts.registry import require_account
from bot.calendar.recurrence import Period, Rule, parse_rule
from bot.calendar.workdays import WorkCalendar
from bot.care.complaint_clock import ComplaintPolicy, calendar_for
from bot.platform.config import Settings
from bot.platform.errors import NotFound, Refused
from bot.platform.i18n import _
from bot.rhythm.commands import meeting_title, read_title_and_when
from bot.rhythm.meeting_parties import invite_parties, read_parties
from storage.accounts import Account
from storage.platform.audit import SCHEDULER, record_change
from storage.rhythm import meetings as store
from storage.rhythm.agreements import DeadlineSlot, list_pending_deadlines
from storage.rhythm.meetings import Meeting, MeetingKind, MeetingOccurrence, MeetingSlot, OccurrenceStatus

HOUR_BEFORE = timedelta(hours=1)
LIST_LIMIT = 20


@dataclass(frozen=True)
class Scheduled:
    """A meeting just scheduled, and its next occurrences to echo back."""

    meeting: Meeting
    account: Account
    rule: Rule | None
    upcoming: list[datetime]
    zone: ZoneInfo
    attendees: list[str] = field(default_factory=list)
    parties: list[Account] = field(default_factory=list)  # beside `account`, in a multi-party meeting


@dataclass(frozen=True)
class MeetingList:
    """What `/meeting list [<account>]` shows."""

    account: Account | None
    meetings: list[MeetingSlot]
    deadlines: list[DeadlineSlot]
    zone: ZoneInfo


def account_calendar(account: Account, settings: Settings) -> WorkCalendar:
    """The calendar an account's meetings and deadlines follow: its own overrides, else the team's."""
    return calendar_for(account, ComplaintPolicy.from_settings(settings))


def account_of(session: Session, account_id: int) -> Account:
    """The account a meeting, report deadline or action item belongs to."""
    account = session.get(Account, account_id)
    if account is None:
        raise NotFound(_("That account no longer exists."))
    return account


def reminder_values(calendar: WorkCalendar, starts_at: datetime, *, now: datetime) -> dict[str, Any]:
    """The reminder moments of an occurrence (one working day and one hour before), and its next check."""
    local = starts_at.astimezone(calendar.timezone)
    before = calendar.add_working_days(local.date(), -1)
    day_at = datetime.combine(before, local.time(), tzinfo=calendar.timezone).astimezone(UTC)
    # A moment already gone when the occurrence is planned is not sent late.
    moments = {"day_reminder_at": day_at if day_at >= now else None,
               "hour_reminder_at": starts_at - HOUR_BEFORE if starts_at - HOUR_BEFORE >= now else None}
    pending = [moment for moment in moments.values() if moment is not None]
    return {**moments, "reminded_stage": None, "next_check_at": min(pending, default=None)}


def plan_occurrence(session: Session, *, meeting: Meeting, calendar: WorkCalendar, starts_at: datetime,
                    now: datetime, period: Period | None = None) -> MeetingOccurrence:
    """Plan a series' occurrence at `starts_at` (a review's reviews the period before `period`), once."""
    assert meeting.id is not None  # a stored series
    reviewed = period.previous() if period is not None and meeting.kind == MeetingKind.REVIEW else None
    values = {"meeting_id": meeting.id, "account_id": meeting.account_id, "starts_at": starts_at,
              "status": OccurrenceStatus.SCHEDULED, "period_start": reviewed.start if reviewed else None,
              "period_end": reviewed.end if reviewed else None, "created_at": now,
              **reminder_values(calendar, starts_at, now=now)}
    occurrence = store.add_occurrence(session, values)
    if occurrence is not None:
        return occurrence
    planned = store.get_occurrence_at(session, meeting_id=meeting.id, starts_at=starts_at)
    assert planned is not None and planned.id is not None  # the row the insert ran into
    if planned.status == OccurrenceStatus.CANCELLED:  # planned again after an agreement change
        revived = {key: value for key, value in values.items() if key not in ("meeting_id", "starts_at")}
        store.change_occurrence(session, occurrence_id=planned.id, statuses=(OccurrenceStatus.CANCELLED,),
                                values=revived)
        session.refresh(planned)
    return planned


def cancel_occurrence(session: Session, *, occurrence: MeetingOccurrence) -> bool:
    """Call off an occurrence still scheduled, with its reminders; True if this call did."""
    assert occurrence.id is not None  # read from the database
    return store.change_occurrence(session, occurrence_id=occurrence.id, statuses=(OccurrenceStatus.SCHEDULED,),
                                   values={"status": OccurrenceStatus.CANCELLED, "next_check_at": None})


def schedule_meeting(session: Session, *, account_name: str, details: str, actor_id: str, attendees: list[str],
                     now: datetime, settings: Settings) -> Scheduled:
    """Schedule a meeting (`details`: "<title> <when>") and plan its first occurrence; nothing written on bad input.

    `account_name` may name several accounts (bot.rhythm.meeting_parties): the first is the meeting's own.
    """
    drafts = read_parties(session, account_name)
    account = require_account(session, name=drafts[0].name)
    assert account.id is not None  # a stored account
    calendar = account_calendar(account, settings)
    title, rule, upcoming = read_title_and_when(details, now=now, calendar=calendar)
    title = meeting_title(title, account_name=account.name)
    people = list(dict.fromkeys([actor_id, *attendees]))
    meeting = store.add_meeting(session, Meeting(
        account_id=account.id, kind=MeetingKind.MEETING, title=title, rule=rule.text() if rule else None,
        created_by=actor_id, created_at=now, roll_at=upcoming[0].at if rule else None), attendees=people)
    parties = invite_parties(session, meeting=meeting, drafts=drafts)[1:]
    plan_occurrence(session, meeting=meeting, calendar=calendar, starts_at=upcoming[0].at, now=now)
    record_change(session, actor_id=actor_id, action="meeting.schedule", object_type="meeting", object_id=meeting.id,
                  at=now, after={"account_id": account.id, "title": title, "rule": meeting.rule,
                                 "first": upcoming[0].at.isoformat(), "attendees": people,
                                 "parties": [party.name for party in parties]})
    return Scheduled(meeting=meeting, account=account, rule=rule, upcoming=[o.at for o in upcoming],
                     zone=calendar.timezone, attendees=people, parties=parties)


def roll_series(session: Session, *, meeting: Meeting, now: datetime, settings: Settings) -> MeetingOccurrence | None:
    """Plan the next occurrence of a series whose latest one has started (skipping any missed while down)."""
    assert meeting.id is not None  # claimed from the database
    if meeting.cancelled_at is not None or not meeting.rule:
        store.set_roll_at(session, meeting_id=meeting.id, roll_at=None)
        return None
    calendar = account_calendar(account_of(session, meeting.account_id), settings)
    following = parse_rule(meeting.rule).next_after(calendar, after=max(meeting.roll_at or now, now))
    occurrence = plan_occurrence(session, meeting=meeting, calendar=calendar, starts_at=following.at, now=now,
                                 period=following.period)
    store.set_roll_at(session, meeting_id=meeting.id, roll_at=following.at)
    record_change(session, actor_id=SCHEDULER, action="meeting.plan", object_type="meeting", object_id=meeting.id,
                  at=now, after={"occurrence_id": occurrence.id, "starts_at": following.at.isoformat()})
    return occurrence


def recipients(session: Session, *, meeting: Meeting, account: Account) -> list[str]:
    """Who gets the internal reminders: the account's owner and the meeting's attendees, once each."""
    assert meeting.id is not None  # a stored series
    people = [account.owner_id] if account.owner_id else []
    return list(dict.fromkeys(people + store.list_attendees(session, meeting_id=meeting.id)))


def list_meetings(session: Session, *, account_name: str, now: datetime, settings: Settings) -> MeetingList:
    """Upcoming meetings (of one account, with its pending report deadlines), soonest first."""
    account = require_account(session, name=account_name) if account_name.strip() else None
    account_id = account.id if account else None
    zone = account_calendar(account, settings).timezone if account else settings.zone
    meetings = store.list_upcoming_meetings(session, now=now, account_id=account_id, limit=LIST_LIMIT)
    deadlines = list_pending_deadlines(session, account_id=account_id, limit=LIST_LIMIT) if account else []
    return MeetingList(account=account, meetings=meetings, deadlines=deadlines, zone=zone)


def cancel_meeting(session: Session, *, meeting_id: int, actor_id: str, now: datetime) -> tuple[Meeting, int]:
    """Cancel a meeting series and its occurrences still to come; (meeting, occurrences cancelled)."""
    meeting = store.get_meeting(session, meeting_id=meeting_id)
    if meeting is None:
        raise NotFound(_("There is no meeting {id}. See `/meeting list`.").format(id=meeting_id))
    if meeting.kind == MeetingKind.REVIEW:
        raise Refused(_("The service review follows the account's agreement: change it with `/account agreement "
                        "<name>`."))
    if meeting.cancelled_at is not None:
        raise Refused(_("Meeting {id} was already cancelled.").format(id=meeting_id))
    meeting.cancelled_at, meeting.roll_at = now, None
    session.add(meeting)
    cancelled = 0
    for occurrence in store.list_scheduled_occurrences(session, meeting_id=meeting_id, after=now):
        cancelled += cancel_occurrence(session, occurrence=occurrence)
    record_change(session, actor_id=actor_id, action="meeting.cancel", object_type="meeting", object_id=meeting_id,
                  at=now, after={"cancelled_occurrences": cancelled})
    return meeting, cancelled
