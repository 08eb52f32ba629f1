"""/dispute: open a dispute with any party (a modal when no text), list them, show one, ask a mediator, reopen one,
coordinate an outage."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.platform.arguments import parse_id
from bot.platform.services import Services
from bot.suppliers.coordination import card_key as coordination_card_key
from bot.suppliers.coordination import open_coordination, parse_coordination_text
from bot.suppliers.coordination_close import (
    close_coordination,
    list_coordination_page,
    parse_close_text,
    parse_list_page,
)
from bot.suppliers.dispute_commands import MediatorRequest, ReopenRequest, parse_dispute_step
from bot.suppliers.dispute_ladder import DisputePolicy
from bot.suppliers.dispute_listing import list_dispute_page, parse_list_args
from bot.suppliers.dispute_mediation import name_mediator
from bot.suppliers.dispute_view import card_key, card_location
from bot.suppliers.disputes import DisputeChange, dispute_card, open_dispute, parse_dispute_text, reopen_dispute
from handlers.blocks.common import Reply, section
from handlers.blocks.platform.help import build_help
from handlers.blocks.suppliers.coordination import build_coordination_opened
from handlers.blocks.suppliers.coordination_close import build_coordination_closed, build_coordination_list
from handlers.blocks.suppliers.dispute import (
    build_dispute_changed,
    build_dispute_detail,
    build_dispute_list,
    build_dispute_opened,
)
from handlers.blocks.suppliers.dispute_mediation import build_mediator_named
from handlers.blocks.suppliers.dispute_modal import build_new_dispute_modal
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Command


def register(app: App) -> None:
    """Listen for /dispute."""
    app.command(Command.DISPUTE, middleware=[internal_only])(handle_dispute_command)


def handle_dispute_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond,
                           client: WebClient) -> None:
    """Route `/dispute …`: the modal, help, list, one dispute, a coordination, or a new dispute."""
    ack()
    services = services_of(context)
    text = command.get("text", "").strip()
    verb, _space, rest = text.partition(" ")
    verb = verb.lower()
    if not text:
        client.views_open(trigger_id=command["trigger_id"],
                          view=build_new_dispute_modal(private_metadata=json.dumps({"channel": command["channel_id"]}),
                                                       days=services.settings.rapport_dispute_days))
        return
    if verb == "help":
        reply, blocks = build_help(Command.DISPUTE)
    elif verb == "list":
        status, page = parse_list_args(rest)
        with services.db.session() as session:
            listing = list_dispute_page(session, status=status, page=page, policy=DisputePolicy.from_services(services))
        reply, blocks = build_dispute_list(listing)
    elif verb in ("coordinate", "coordination"):
        reply, blocks = start_coordination(services, rest, actor_of(context).id)
    elif (step := parse_dispute_step(text)) is not None:
        reply, blocks = take_step(services, step, actor_of(context).id)
    elif (dispute_id := parse_id(text, example="/dispute 12")) is not None:
        reply, blocks = show_dispute(services, dispute_id)
    else:
        with services.db.session() as session:
            change = open_dispute(session, draft=parse_dispute_text(text), actor_id=actor_of(context).id,
                                  now=services.now(), policy=DisputePolicy.from_services(services),
                                  is_shared=services.slack.is_shared_channel)
        reply, blocks = confirm_opened(change, services)
    respond(text=reply, blocks=blocks)


def confirm_opened(change: DisputeChange, services: Services) -> Reply:
    """Deliver the new card now, then the owner's DM, and say where the card is."""
    card = card_key(change.card.id)
    landing = services.deliver_and_link(card)
    services.deliver(keys=[key for key in change.keys if key != card])
    return build_dispute_opened(change, link=landing.link, card_channel=services.settings.rapport_escalation_channel)


def take_step(services: Services, step: MediatorRequest | ReopenRequest, actor_id: str) -> Reply:
    """`/dispute 12 mediator AuditCo [@person]` or `/dispute 12 reopen: <reason>`: do it, deliver what it queued."""
    policy = DisputePolicy.from_services(services)
    if isinstance(step, ReopenRequest):
        with services.db.session() as session:
            change = reopen_dispute(session, dispute_id=step.dispute_id, reason=step.reason, actor_id=actor_id,
                                    now=services.now(), policy=policy)
        services.deliver(keys=change.keys)
        text = build_dispute_changed(change)
        return text, [section(text)]
    with services.db.session() as session:
        named = name_mediator(session, dispute_id=step.dispute_id, mediator_name=step.mediator, person=step.person,
                              actor_id=actor_id, now=services.now(), policy=policy)
    services.deliver(keys=named.change.keys)
    return build_mediator_named(named)


def show_dispute(services: Services, dispute_id: int) -> Reply:
    """`/dispute <id>`: the dispute, its history and a link to its card."""
    with services.db.session() as session:
        card = dispute_card(session, dispute_id=dispute_id, policy=DisputePolicy.from_services(services))
        where = card_location(session, dispute_id=dispute_id)
    link = services.slack.permalink(where.channel, where.ts) if where and where.channel and where.ts else None
    return build_dispute_detail(card, link=link)


def start_coordination(services: Services, text: str, actor_id: str) -> Reply:
    """`/dispute coordinate …`: `list [page]`, `<id> close layer … cause: …`, or open one (`<title>: layer=…`)."""
    first, _space, rest = text.strip().partition(" ")
    second, _space, tail = rest.strip().partition(" ")
    if first.lower() == "list":
        with services.db.session(read_only=True) as session:
            page = list_coordination_page(session, page=parse_list_page(rest), now=services.now(),
                                          tz=services.settings.zone)
        return build_coordination_list(page)
    if (coordination_id := parse_id(first, example="/dispute coordinate 3 close")) is not None and \
            second.lower() == "close":
        ending = parse_close_text(coordination_id, tail)
        with services.db.session() as session:
            closed = close_coordination(session, draft=ending, actor_id=actor_id, now=services.now(),
                                        tz=services.settings.zone)
        services.deliver(keys=closed.keys)
        return build_coordination_closed(closed)
    draft = parse_coordination_text(text)
    with services.db.session() as session:
        change = open_coordination(session, draft=draft, actor_id=actor_id, now=services.now(),
                                   channel=services.settings.rapport_escalation_channel,
                                   tz=services.settings.zone, is_shared=services.slack.is_shared_channel,
                                   calendar=services.team_calendar())
    card = coordination_card_key(change.card.id)
    landing = services.deliver_and_link(card)
    services.deliver(keys=[key for key in change.keys if key != card])
    return build_coordination_opened(change, link=landing.link)
