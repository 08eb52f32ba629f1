"""Buttons and selects of suppliers: a dispute's Escalate, Resolve, Ask a mediator and Reopen (modals), an outage
layer's status, the twin card's buttons in a supplier's shared channel (its people may press them: the domain checks
their organisation), Close, and *Customer told* on a supplier change's reminder.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.suppliers.changes import mark_told
from bot.suppliers.coordination import read_layer_choice, set_layer_status
from bot.suppliers.coordination_close import close_form
from bot.suppliers.coordination_parties import TWIN_ANSWERS, TwinPress, authorise_twin_press, set_status_from_twin
from bot.suppliers.dispute_ladder import DisputePolicy
from bot.suppliers.disputes import DisputeChange, check_can_reopen, check_can_resolve, escalate_dispute
from handlers.blocks.suppliers.changes import build_told
from handlers.blocks.suppliers.coordination import build_status_changed
from handlers.blocks.suppliers.coordination_close import build_close_modal
from handlers.blocks.suppliers.coordination_twin import build_note_modal, build_twin_changed
from handlers.blocks.suppliers.dispute import build_dispute_changed
from handlers.blocks.suppliers.dispute_modal import (
    build_mediator_modal,
    build_reopen_modal,
    build_resolve_dispute_modal,
)
from handlers.context import actor_of, button_numbers, internal_only, reply, services_of
from handlers.ids import Action
from storage.suppliers.coordination import LayerStatus

TWIN_STATUS_ACTION = re.compile(rf"^{Action.COORDINATION_TWIN_STATUS}_({'|'.join(TWIN_ANSWERS)})$")


def register(app: App) -> None:
    """Listen for the dispute card and the coordination card; external users are refused."""
    app.action(Action.DISPUTE_ESCALATE, middleware=[internal_only])(handle_escalate)
    app.action(Action.DISPUTE_RESOLVE, middleware=[internal_only])(handle_resolve)
    app.action(Action.DISPUTE_MEDIATOR, middleware=[internal_only])(handle_ask_mediator)
    app.action(Action.DISPUTE_REOPEN, middleware=[internal_only])(handle_reopen)
    app.action(Action.COORDINATION_STATUS, middleware=[internal_only])(handle_layer_status)
    app.action(TWIN_STATUS_ACTION)(handle_twin_status)
    app.action(Action.COORDINATION_NOTE)(handle_twin_note)
    app.action(Action.COORDINATION_CLOSE, middleware=[internal_only])(handle_close)
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


def _open_dispute_modal(body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, *,
                        check: Callable[..., DisputeChange],
                        modal: Callable[[DisputeChange, str], dict[str, Any]]) -> None:
    """Open a dispute's modal when its button still applies; otherwise say how the dispute stands now."""
    services = services_of(context)
    (dispute_id,) = button_numbers(action, hint=_("Try `/dispute list`."))
    with services.db.session() as session:
        change = check(session, dispute_id=dispute_id, policy=DisputePolicy.from_services(services))
    if not change.changed:
        reply(body, client, build_dispute_changed(change))
        return
    metadata = json.dumps({"id": change.card.id, "channel": (body.get("channel") or {}).get("id")})
    client.views_open(trigger_id=body["trigger_id"], view=modal(change, metadata))


def handle_resolve(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                   client: WebClient) -> None:
    """Ask for the resolution in a modal, unless the dispute is already resolved."""
    ack()
    _open_dispute_modal(body, action, context, client, check=check_can_resolve, modal=lambda change, metadata:
                        build_resolve_dispute_modal(dispute_id=change.card.id, subject=change.dispute.subject,
                                                    private_metadata=metadata))


def handle_ask_mediator(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                        client: WebClient) -> None:
    """Ask which party mediates (and whom to ask) in a modal, unless the dispute is no longer open."""
    ack()
    _open_dispute_modal(body, action, context, client, check=check_can_resolve, modal=lambda change, metadata:
                        build_mediator_modal(dispute_id=change.card.id, subject=change.dispute.subject,
                                             level=change.dispute.level, private_metadata=metadata))


def handle_reopen(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                  client: WebClient) -> None:
    """Ask why the dispute is reopened in a modal, unless it is open already."""
    ack()
    _open_dispute_modal(body, action, context, client, check=check_can_reopen, modal=lambda change, metadata:
                        build_reopen_modal(dispute_id=change.card.id, subject=change.dispute.subject,
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
                                  tz=services.settings.zone, calendar=services.team_calendar())
    services.deliver(keys=change.keys)
    reply(body, client, build_status_changed(change))


def twin_press(body: dict[str, Any], context: BoltContext, channel: str | None = None) -> TwinPress:
    """Who pressed a twin card's button, from which team and channel."""
    actor = actor_of(context)
    team = (body.get("user") or {}).get("team_id") if isinstance(body.get("user"), dict) else None
    where = channel or (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    return TwinPress(actor_id=actor.id, is_external=actor.is_external, team_id=team, channel=where)


def handle_twin_status(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                       client: WebClient) -> None:
    """A supplier's person (or ours) sets the layer's status on its twin; both cards update."""
    ack()
    services = services_of(context)
    match = TWIN_STATUS_ACTION.match(str(action.get("action_id", "")))
    if match is None:
        raise InvalidInput(_("That card is out of date; nothing changed."))
    (layer_id,) = button_numbers(action)
    with services.db.session(read_only=True) as session:
        target = authorise_twin_press(session, services.slack, layer_id=layer_id, press=twin_press(body, context))
    with services.db.session() as session:
        change = set_status_from_twin(session, target=target, status=LayerStatus(match.group(1)),
                                      actor_id=actor_of(context).id, now=services.now(), tz=services.settings.zone,
                                      calendar=services.team_calendar())
    services.deliver(keys=change.keys)
    reply(body, client, build_twin_changed(change))


def handle_twin_note(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                     client: WebClient) -> None:
    """Open the note modal, for those who may update the layer."""
    ack()
    services = services_of(context)
    (layer_id,) = button_numbers(action)
    press = twin_press(body, context)
    with services.db.session(read_only=True) as session:
        target = authorise_twin_press(session, services.slack, layer_id=layer_id, press=press)
    client.views_open(trigger_id=body["trigger_id"],
                      view=build_note_modal(layer_id=target.layer_id, layer=target.layer, channel=press.channel))


def handle_close(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                 client: WebClient) -> None:
    """Open the close modal of an outage: the layer responsible, the root cause, the complaints it caused."""
    ack()
    services = services_of(context)
    (coordination_id,) = button_numbers(action, hint=_("Try `/dispute coordinate list`."))
    with services.db.session(read_only=True) as session:
        form = close_form(session, coordination_id=coordination_id)
    channel = (body.get("channel") or {}).get("id")
    client.views_open(trigger_id=body["trigger_id"], view=build_close_modal(form, channel=channel))
