"""Buttons and selects of suppliers: a dispute's Escalate and Resolve (a modal), an outage layer's status, and
*Customer told* on a supplier change's reminder."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.platform.i18n import _
from bot.suppliers.changes import mark_told
from bot.suppliers.coordination import read_layer_choice, set_layer_status
from bot.suppliers.disputes import DisputePolicy, check_can_resolve, escalate_dispute
from handlers.blocks.suppliers.changes import build_told
from handlers.blocks.suppliers.coordination import build_status_changed
from handlers.blocks.suppliers.dispute import build_dispute_changed
from handlers.blocks.suppliers.dispute_modal import build_resolve_dispute_modal
from handlers.context import actor_of, button_numbers, internal_only, reply, services_of
from handlers.ids import Action


def register(app: App) -> None:
    """Listen for the dispute card and the coordination card; external users are refused."""
    app.action(Action.DISPUTE_ESCALATE, middleware=[internal_only])(handle_escalate)
    app.action(Action.DISPUTE_RESOLVE, middleware=[internal_only])(handle_resolve)
    app.action(Action.COORDINATION_STATUS, middleware=[internal_only])(handle_layer_status)
    app.action(Action.SUPPLIER_CHANGE_TOLD, middleware=[internal_only])(handle_customer_told)


def handle_customer_told(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                         client: WebClient) -> None:
    """The owner told the customer of a supplier change: the reminders stop (a second click changes nothing)."""
    ack()
    services = services_of(context)
    (notice_id,) = button_numbers(action, hint=_("See `/supplier <name>`."))
    with services.db.session() as session:
        told = mark_told(session, notice_id=notice_id, actor_id=actor_of(context).id, now=services.now())
    reply(body, client, build_told(told))


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
