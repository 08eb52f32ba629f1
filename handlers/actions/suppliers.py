"""Buttons and selects of disputes and outages: Escalate, Resolve, Ask a mediator, Reopen (modals), a layer's
status."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.platform.i18n import _
from bot.suppliers.coordination import read_layer_choice, set_layer_status
from bot.suppliers.dispute_ladder import DisputePolicy
from bot.suppliers.disputes import DisputeChange, check_can_reopen, check_can_resolve, escalate_dispute
from handlers.blocks.suppliers.coordination import build_status_changed
from handlers.blocks.suppliers.dispute import build_dispute_changed
from handlers.blocks.suppliers.dispute_modal import (
    build_mediator_modal,
    build_reopen_modal,
    build_resolve_dispute_modal,
)
from handlers.context import actor_of, button_numbers, internal_only, reply, services_of
from handlers.ids import Action


def register(app: App) -> None:
    """Listen for the dispute card and the coordination card; external users are refused."""
    app.action(Action.DISPUTE_ESCALATE, middleware=[internal_only])(handle_escalate)
    app.action(Action.DISPUTE_RESOLVE, middleware=[internal_only])(handle_resolve)
    app.action(Action.DISPUTE_MEDIATOR, middleware=[internal_only])(handle_ask_mediator)
    app.action(Action.DISPUTE_REOPEN, middleware=[internal_only])(handle_reopen)
    app.action(Action.COORDINATION_STATUS, middleware=[internal_only])(handle_layer_status)


def handle_escalate(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                    client: WebClient) -> None:
    """Move the dispute up one level from the level its card showed (a second click changes nothing)."""
    ack()
    services = services_of(context)
    dispute_id, level = button_numbers(action, count=2, hint=_("Try `/dispute list`."))
    with services.db.session() as session:
        change = escalate_dispute(session, dispute_id=dispute_id, from_level=level, actor_id=actor_of(context).id,
                                  now=services.now(), policy=DisputePolicy.from_services(services))
    services.deliver(keys=change.keys)
    reply(body, client, build_dispute_changed(change))


def handle_resolve(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                   client: WebClient) -> None:
    """Ask for the resolution in a modal, unless the dispute is already resolved."""
    ack()
    services = services_of(context)
    (dispute_id,) = button_numbers(action, hint=_("Try `/dispute list`."))
    with services.db.session() as session:
        change = check_can_resolve(session, dispute_id=dispute_id, policy=DisputePolicy.from_services(services))
    if not change.changed:
        reply(body, client, build_dispute_changed(change))
        return
    metadata = json.dumps({"id": dispute_id, "channel": (body.get("channel") or {}).get("id")})
    client.views_open(trigger_id=body["trigger_id"],
                      view=build_resolve_dispute_modal(dispute_id=dispute_id, subject=change.dispute.subject,
                                                       private_metadata=metadata))


def _metadata(body: dict[str, Any], change: DisputeChange) -> str:
    return json.dumps({"id": change.card.id, "channel": (body.get("channel") or {}).get("id")})


def handle_ask_mediator(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                        client: WebClient) -> None:
    """Ask which party mediates (and whom to ask) in a modal, unless the dispute is no longer open."""
    ack()
    services = services_of(context)
    (dispute_id,) = button_numbers(action, hint=_("Try `/dispute list`."))
    with services.db.session() as session:
        change = check_can_resolve(session, dispute_id=dispute_id, policy=DisputePolicy.from_services(services))
    if not change.changed:
        reply(body, client, build_dispute_changed(change))
        return
    client.views_open(trigger_id=body["trigger_id"],
                      view=build_mediator_modal(dispute_id=dispute_id, subject=change.dispute.subject,
                                                level=change.dispute.level, private_metadata=_metadata(body, change)))


def handle_reopen(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                  client: WebClient) -> None:
    """Ask why the dispute is reopened in a modal, unless it is open already."""
    ack()
    services = services_of(context)
    (dispute_id,) = button_numbers(action, hint=_("Try `/dispute list`."))
    with services.db.session() as session:
        change = check_can_reopen(session, dispute_id=dispute_id, policy=DisputePolicy.from_services(services))
    if not change.changed:
        reply(body, client, build_dispute_changed(change))
        return
    client.views_open(trigger_id=body["trigger_id"],
                      view=build_reopen_modal(dispute_id=dispute_id, subject=change.dispute.subject,
                                              private_metadata=_metadata(body, change)))


def handle_layer_status(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                        client: WebClient) -> None:
    """Set one layer's status from the card's select; the card updates in place."""
    ack()
    services = services_of(context)
    choice = read_layer_choice(action.get("block_id", ""), (action.get("selected_option") or {}).get("value") or "")
    with services.db.session() as session:
        change = set_layer_status(session, coordination_id=choice.coordination_id, layer_name=choice.layer,
                                  status=choice.status, actor_id=actor_of(context).id, now=services.now(),
                                  tz=services.settings.zone)
    services.deliver(keys=change.keys)
    reply(body, client, build_status_changed(change))
