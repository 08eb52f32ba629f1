"""Buttons of the rhythm: Snooze and Done on meeting reminders, Done on action items, Report submitted, and the
account view's "Service agreement…". Internal only.
"""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.rhythm.action_items import complete_action_item
from bot.rhythm.agreements import AgreementForm, agreement_form, submit_report
from bot.rhythm.meeting_reminders import snooze_reminder
from bot.rhythm.minutes import open_minutes
from handlers.blocks.rhythm.meetings import build_snooze_note
from handlers.blocks.rhythm.modals import build_agreement_modal, build_minutes_modal
from handlers.blocks.rhythm.reminders import build_item_done_note, build_report_submitted
from handlers.context import actor_of, button_numbers, internal_only, reply, services_of
from handlers.ids import Action

SNOOZE_ACTION = re.compile(rf"^{Action.MEETING_SNOOZE}_(30m|1h|1d)$")


def register(app: App) -> None:
    """Listen for the rhythm's buttons."""
    app.action(SNOOZE_ACTION, middleware=[internal_only])(handle_snooze)
    app.action(Action.MEETING_DONE, middleware=[internal_only])(handle_meeting_done)
    app.action(Action.ACTION_ITEM_DONE, middleware=[internal_only])(handle_action_item_done)
    app.action(Action.REPORT_SUBMITTED, middleware=[internal_only])(handle_report_submitted)
    app.action(Action.AGREEMENT_OPEN, middleware=[internal_only])(handle_open_agreement)


def handle_snooze(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                  client: WebClient) -> None:
    """Snooze this reminder for the person who clicked: it comes back once, at the new time."""
    ack()
    services = services_of(context)
    delay = action["action_id"].rsplit("_", 1)[1]
    with services.db.session() as session:
        snoozed = snooze_reminder(session, value=action.get("value", ""), delay=delay, user_id=actor_of(context).id,
                                  now=services.now(), settings=services.settings)
    reply(body, client, build_snooze_note(snoozed))


def handle_meeting_done(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                        client: WebClient) -> None:
    """Open the minutes of the meeting (notes and action items)."""
    ack()
    services = services_of(context)
    with services.db.session() as session:
        target = open_minutes(session, occurrence_id=button_numbers(action)[0], settings=services.settings)
    channel = (body.get("channel") or {}).get("id")
    client.views_open(trigger_id=body["trigger_id"], view=build_minutes_modal(target, channel=channel))


def handle_action_item_done(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                            client: WebClient) -> None:
    """Complete an action item, once; its messages say who did it."""
    ack()
    services = services_of(context)
    with services.db.session() as session:
        completed = complete_action_item(session, item_id=button_numbers(action)[0],
                                         actor_id=actor_of(context).id, now=services.now(), settings=services.settings)
    services.deliver(keys=completed.keys)
    note = build_item_done_note(completed)
    if note:
        reply(body, client, note)


def handle_report_submitted(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                            client: WebClient) -> None:
    """Record the service report as submitted, once; its reminders stop."""
    ack()
    services = services_of(context)
    with services.db.session() as session:
        submission = submit_report(session, deadline_id=button_numbers(action)[0], actor_id=actor_of(context).id,
                                   now=services.now(), settings=services.settings)
    services.deliver(keys=submission.keys)
    if not submission.changed:
        reply(body, client, build_report_submitted(submission)[0])


def handle_open_agreement(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                          client: WebClient) -> None:
    """Open the agreement modal of the account shown."""
    ack()
    services = services_of(context)
    with services.db.session() as session:
        form = agreement_form(session, account_id=button_numbers(action)[0])
    open_agreement_modal(client, body["trigger_id"], form, channel=(body.get("channel") or {}).get("id"))


def open_agreement_modal(client: WebClient, trigger_id: str, form: AgreementForm, *, channel: str | None) -> None:
    """Open the agreement modal; the channel it came from gets the receipt."""
    client.views_open(trigger_id=trigger_id, view=build_agreement_modal(form, channel=channel))
