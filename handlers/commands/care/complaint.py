"""/complaint: log a complaint (a modal when no text), list them, show one, help. Internal only."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.care.complaint_clock import ComplaintPolicy, card_channel
from bot.care.complaints import (
    Change,
    card_key,
    complaint_detail,
    linked_account_name,
    list_complaint_page,
    open_complaint,
    parse_complaint_text,
    parse_list_args,
)
from bot.platform import outbox
from bot.platform.services import Services
from handlers.blocks.care.complaint import build_complaint_detail, build_complaint_list, build_complaint_opened
from handlers.blocks.care.complaint_modal import build_new_complaint_modal
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
    text = command.get("text", "").strip()
    verb, _space, rest = text.partition(" ")
    if not text:
        open_new_complaint_modal(services, command, client)
        return
    if verb.lower() == "help":
        reply, blocks = build_help(Command.COMPLAINT)
    elif verb.lower() == "list":
        which, page = parse_list_args(rest)
        with services.db.session() as session:
            listing = list_complaint_page(session, which=which, user_id=actor_of(context).id, page=page)
        reply, blocks = build_complaint_list(listing)
    elif text.lstrip("#").isdigit():
        reply, blocks = show_complaint(services, int(text.lstrip("#")))
    else:
        policy = ComplaintPolicy.from_settings(services.settings)
        with services.db.session() as session:
            change = open_complaint(session, draft=parse_complaint_text(text), channel_id=command.get("channel_id"),
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


def confirm_opened(change: Change, services: Services) -> tuple[str, list[dict[str, Any]]]:
    """Deliver the new card (and any flag) now, and say where the card is."""
    link = None
    services.deliver(keys=change.keys)
    with services.db.session() as session:
        where = outbox.delivered(session, key=card_key(change.complaint.id))
    if where:
        link = services.slack.permalink(where.channel, where.ts)
    channel = card_channel(change.account, ComplaintPolicy.from_settings(services.settings))
    return build_complaint_opened(change, card_channel=where.channel if where else channel, link=link)


def show_complaint(services: Services, complaint_id: int) -> tuple[str, list[dict[str, Any]]]:
    """`/complaint <id>`: the complaint, its history and a link to its card."""
    with services.db.session() as session:
        detail = complaint_detail(session, complaint_id=complaint_id,
                                  policy=ComplaintPolicy.from_settings(services.settings))
        where = outbox.delivered(session, key=card_key(complaint_id))
    link = services.slack.permalink(where.channel, where.ts) if where else None
    return build_complaint_detail(detail, card_link=link)
