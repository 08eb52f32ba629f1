"""/meeting: schedule meetings with an account, list and cancel them, mark a service report submitted."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.platform import people
from bot.platform.services import Services
from bot.rhythm.agreements import submit_report
from bot.rhythm.commands import (
    CancelMeeting,
    ListMeetings,
    MeetingHelp,
    ReportSubmitted,
    ScheduleMeeting,
    read_meeting_command,
)
from bot.rhythm.meetings import cancel_meeting, list_meetings, schedule_meeting
from handlers.blocks.common import Reply
from handlers.blocks.platform.help import build_help
from handlers.blocks.rhythm.meetings import build_meeting_cancelled, build_meeting_list, build_meeting_scheduled
from handlers.blocks.rhythm.reminders import build_report_submitted
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Command


def register(app: App) -> None:
    """Listen for /meeting."""
    app.command(Command.MEETING, middleware=[internal_only])(handle_meeting_command)


def handle_meeting_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    """Route `/meeting …` to help, list, cancel, report, or a new meeting."""
    ack()
    services = services_of(context)
    actor_id, now = actor_of(context).id, services.now()
    reply: Reply
    match read_meeting_command(command.get("text", "")):
        case MeetingHelp():
            reply = build_help(Command.MEETING)
        case ListMeetings(account_name=name):
            with services.db.session() as session:
                listing = list_meetings(session, account_name=name, now=now, settings=services.settings)
            reply = build_meeting_list(listing)
        case CancelMeeting(meeting_id=meeting_id):
            with services.db.session() as session:
                meeting, cancelled = cancel_meeting(session, meeting_id=meeting_id, actor_id=actor_id, now=now)
            reply = build_meeting_cancelled(meeting, cancelled)
        case ReportSubmitted(account_name=name):
            with services.db.session() as session:
                submission = submit_report(session, actor_id=actor_id, now=now, settings=services.settings,
                                           account_name=name)
            services.deliver(keys=submission.keys)
            reply = build_report_submitted(submission)
        case ScheduleMeeting() as request:
            reply = _schedule(request, services, actor_id)
    text, blocks = reply
    respond(text=text, blocks=blocks)


def _schedule(request: ScheduleMeeting, services: Services, actor_id: str) -> Reply:
    """Schedule a meeting; the people mentioned in it (our own) are its attendees."""
    attendees = people.internal_people(services.slack, request.mentioned, exclude=actor_id)
    with services.db.session() as session:
        scheduled = schedule_meeting(session, account_name=request.account_name, details=request.details,
                                     actor_id=actor_id, attendees=attendees, now=services.now(),
                                     settings=services.settings)
    return build_meeting_scheduled(scheduled, owner=scheduled.account.owner_id)
