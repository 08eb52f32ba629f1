"""The complaint card's buttons: I'll take it, Acknowledge, Resolve (a modal), Reopen. Internal only."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.complaint_clock import ComplaintPolicy
from bot.care.complaints import Change, acknowledge_complaint, check_can_resolve, claim_complaint, reopen_complaint
from bot.platform.i18n import _
from handlers.blocks.care.complaint import build_complaint_changed
from handlers.blocks.care.complaint_modal import build_resolve_modal
from handlers.context import actor_of, button_numbers, internal_only, reply, services_of
from handlers.ids import Action


def register(app: App) -> None:
    """Listen for the complaint card's buttons; external users are refused before anything changes."""
    app.action(Action.COMPLAINT_CLAIM, middleware=[internal_only])(handle_claim)
    app.action(Action.COMPLAINT_ACKNOWLEDGE, middleware=[internal_only])(handle_acknowledge)
    app.action(Action.COMPLAINT_RESOLVE, middleware=[internal_only])(handle_resolve)
    app.action(Action.COMPLAINT_REOPEN, middleware=[internal_only])(handle_reopen)


def _apply(rule: Callable[..., Change], body: dict[str, Any], action: dict[str, Any], context: BoltContext,
           client: WebClient) -> None:
    """Apply one rule to the card's complaint, update the card at once and tell the person what happened."""
    services = services_of(context)
    (complaint_id,) = button_numbers(action, hint=_("Try `/complaint list`."))
    with services.db.session() as session:
        change = rule(session, complaint_id=complaint_id, actor_id=actor_of(context).id, now=services.now(),
                      policy=ComplaintPolicy.from_settings(services.settings))
    services.deliver(keys=change.keys)
    reply(body, client, build_complaint_changed(change))


def handle_claim(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                 client: WebClient) -> None:
    """"I'll take it"."""
    ack()
    _apply(claim_complaint, body, action, context, client)


def handle_acknowledge(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                       client: WebClient) -> None:
    """Acknowledge (a second click is a no-op with a note)."""
    ack()
    _apply(acknowledge_complaint, body, action, context, client)


def handle_reopen(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                  client: WebClient) -> None:
    """Reopen a resolved or closed complaint."""
    ack()
    _apply(reopen_complaint, body, action, context, client)


def handle_resolve(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                   client: WebClient) -> None:
    """Ask for the resolution in a modal, unless the complaint is no longer active."""
    ack()
    services = services_of(context)
    (complaint_id,) = button_numbers(action, hint=_("Try `/complaint list`."))
    with services.db.session() as session:
        change = check_can_resolve(session, complaint_id=complaint_id,
                                   policy=ComplaintPolicy.from_settings(services.settings))
    if not change.changed:
        reply(body, client, build_complaint_changed(change))
        return
    metadata = json.dumps({"id": complaint_id, "channel": (body.get("channel") or {}).get("id")})
    client.views_open(trigger_id=body["trigger_id"],
                      view=build_resolve_modal(complaint_id=complaint_id, summary=change.complaint.summary,
                                               private_metadata=metadata))
