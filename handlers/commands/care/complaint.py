"""/complaint: log a complaint (a modal when no text), list them, show one, help. Internal only."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.care.complaint_clock import ComplaintPolicy
from bot.care.complaint_commands import (
    ListComplaints,
    LogComplaint,
    OpenModal,
    ShowComplaint,
    ShowHelp,
    parse_complaint_command,
)
from bot.care.complaint_lists import complaint_detail, list_complaint_page
from bot.care.complaints import Change, card_key, linked_account_name, open_complaint
from bot.platform.services import Services
from handlers.blocks.care.complaint import build_complaint_detail, build_complaint_list, build_complaint_opened
from handlers.blocks.care.complaint_modal import build_new_complaint_modal
from handlers.blocks.common import Reply
from handlers.blocks.platform.help import build_help
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Command


def register(app: App) -> None:
    """Listen for /complaint."""
    app.command(Command.COMPLAINT, middleware=[internal_only])(handle_complaint_command)


def handle_complaint_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond,
                             client: WebClient) -> None:
    """Route `/complaint …`: help, list, a complaint by id, the modal, or a new complaint."""
    ack()
    services = services_of(context)
    match parse_complaint_command(command.get("text", "")):
        case OpenModal():
            open_new_complaint_modal(services, command, client)
            return
        case ShowHelp():
            reply, blocks = build_help(Command.COMPLAINT)
        case ListComplaints(which=which, page=page):
            with services.db.session() as session:
                listing = list_complaint_page(session, which=which, user_id=actor_of(context).id, page=page)
            reply, blocks = build_complaint_list(listing)
        case ShowComplaint(complaint_id=complaint_id):
            reply, blocks = show_complaint(services, complaint_id)
        case LogComplaint(draft=draft):
            policy = ComplaintPolicy.from_settings(services.settings)
            with services.db.session() as session:
                change = open_complaint(session, draft=draft, channel_id=command.get("channel_id"),
                                        actor_id=actor_of(context).id, now=services.now(), policy=policy,
                                        is_shared=services.slack.is_shared_channel)
            reply, blocks = confirm_opened(change, services)
    respond(text=reply, blocks=blocks)


def open_new_complaint_modal(services: Services, command: dict[str, Any], client: WebClient) -> None:
    """The modal for `/complaint` with no text, prefilled with the channel's account."""
    channel_id = command.get("channel_id")
    with services.db.session() as session:
        name = linked_account_name(session, channel_id=channel_id)
    metadata = json.dumps({"channel": channel_id})
    client.views_open(trigger_id=command["trigger_id"],
                      view=build_new_complaint_modal(private_metadata=metadata, account_name=name))


def confirm_opened(change: Change, services: Services) -> Reply:
    """Deliver the new card (then any flag) now, and say where the card is."""
    key = card_key(change.card.id)
    landing = services.deliver_and_link(key)
    services.deliver(keys=[other for other in change.keys if other != key])
    return build_complaint_opened(change, link=landing.link)


def show_complaint(services: Services, complaint_id: int) -> Reply:
    """`/complaint <id>`: the complaint, its history and a link to its card."""
    with services.db.session() as session:
        detail = complaint_detail(session, complaint_id=complaint_id,
                                  policy=ComplaintPolicy.from_settings(services.settings))
    return build_complaint_detail(detail, card_link=services.deliver_and_link(card_key(complaint_id)).link)
