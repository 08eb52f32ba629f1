"""/meeting: schedule meetings with an account, list and cancel them, mark a service report submitted."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.care.praise import mentioned_users
from bot.platform import people
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.platform.services import Services
from bot.rhythm.agreements import submit_report
from bot.rhythm.meetings import cancel_meeting, list_meetings, parse_meeting_id, schedule_meeting
from handlers.blocks.platform.help import build_help
from handlers.blocks.rhythm.meetings import build_meeting_cancelled, build_meeting_list, build_meeting_scheduled
from handlers.blocks.rhythm.reminders import build_report_submitted
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Command

_REPORT = re.compile(r"^(?P<name>.+?)\s+(?:submitted|done|已提交)$", re.IGNORECASE)


def register(app: App) -> None:
    """Listen for /meeting."""
    app.command(Command.MEETING, middleware=[internal_only])(handle_meeting_command)


def handle_meeting_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    """Route `/meeting …` to help, list, cancel, report, or a new meeting."""
    ack()
    text = command.get("text", "").strip()
    verb, _space, rest = text.partition(" ")
    verb = verb.lower()
    services = services_of(context)
    actor, now = actor_of(context), services.now()
    if verb in ("", "help"):
        reply, blocks = build_help(Command.MEETING)
    elif verb == "list" and ":" not in text:
        with services.db.session() as session:
            listing = list_meetings(session, account_name=rest, now=now, settings=services.settings)
        reply, blocks = build_meeting_list(listing)
    elif verb == "cancel" and ":" not in text:
        with services.db.session() as session:
            meeting, cancelled = cancel_meeting(session, meeting_id=parse_meeting_id(rest), actor_id=actor.id, now=now)
        reply, blocks = build_meeting_cancelled(meeting, cancelled)
    elif verb == "report" and ":" not in text:
        match = _REPORT.match(rest.strip())
        if not match:
            raise InvalidInput(_("Say which account's report was submitted: `/meeting report Acme Corp submitted`"))
        with services.db.session() as session:
            submission = submit_report(session, actor_id=actor.id, now=now, settings=services.settings,
                                       account_name=match.group("name"))
        services.deliver(keys=submission.keys)
        reply, blocks = build_report_submitted(submission)
    else:
        reply, blocks = _schedule(text, services, actor.id)
    respond(text=reply, blocks=blocks)


def _schedule(text: str, services: Services, actor_id: str) -> tuple[str, list[dict[str, Any]]]:
    """Schedule a meeting; the people mentioned in it (our own) are its attendees."""
    attendees = people.internal_people(services.slack, mentioned_users(text), exclude=actor_id)
    with services.db.session() as session:
        scheduled = schedule_meeting(session, text=text, actor_id=actor_id, attendees=attendees,
                                     now=services.now(), settings=services.settings)
    return build_meeting_scheduled(scheduled, owner=scheduled.account.owner_id)
