"""Buttons of value-added services: Approve or Decline on the manager's DM."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.services_added import decide_service
from bot.platform.i18n import _
from bot.rhythm.meetings import account_calendar
from handlers.blocks.care.services_added import build_done_modal, build_service_decided
from handlers.context import actor_of, button_numbers, internal_only, reply, services_of
from handlers.ids import Action


def register(app: App) -> None:
    """Listen for Approve and Decline; external users are refused."""
    app.action(Action.SERVICE_APPROVE, middleware=[internal_only])(handle_approve)
    app.action(Action.SERVICE_DECLINE, middleware=[internal_only])(handle_decline)
    app.action(Action.SERVICE_DONE, middleware=[internal_only])(handle_done)


def handle_done(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                client: WebClient) -> None:
    """Ask what was delivered (a modal), from the owner's reminder."""
    ack()
    (service_id,) = button_numbers(action, hint=_("Try `/service done <id> <what was done>`."))
    channel_id = (body.get("channel") or {}).get("id")
    client.views_open(trigger_id=body["trigger_id"], view=build_done_modal(service_id, channel_id=channel_id))


def handle_approve(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                   client: WebClient) -> None:
    """Approve the proposal when its principles and budget allow (a second click changes nothing)."""
    _decide(ack, body, action, context, client, approve=True)


def handle_decline(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                   client: WebClient) -> None:
    """Decline the proposal (a second click changes nothing)."""
    _decide(ack, body, action, context, client, approve=False)


def _decide(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, *,
            approve: bool) -> None:
    ack()
    services = services_of(context)
    (service_id,) = button_numbers(action, hint=_("Propose it again with `/service propose <account>`."))
    with services.db.session() as session:
        decision = decide_service(session, service_id=service_id, approve=approve, actor_id=actor_of(context).id,
                                  now=services.now(), managers=tuple(services.settings.rapport_managers),
                                  calendar_of=lambda account: account_calendar(account, services.settings))
    services.deliver(keys=decision.keys)
    reply(body, client, build_service_decided(decision))
