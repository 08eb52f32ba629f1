"""Buttons of third parties: Approve or Decline on a sharing agreement's approval DM, Mark done on a request's
reminder."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.platform.i18n import _
from bot.thirdparty.requests import mark_done
from bot.thirdparty.sharing import decide_agreement
from handlers.blocks.thirdparty.messages import build_agreement_decided, build_request_done
from handlers.context import actor_of, button_numbers, internal_only, reply, services_of
from handlers.ids import Action


def register(app: App) -> None:
    """Listen for Approve, Decline and Mark done; external users are refused."""
    app.action(Action.SHARING_APPROVE, middleware=[internal_only])(handle_approve)
    app.action(Action.SHARING_DECLINE, middleware=[internal_only])(handle_decline)
    app.action(Action.REQUEST_DONE, middleware=[internal_only])(handle_request_done)


def handle_approve(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                   client: WebClient) -> None:
    """Approve the agreement (a second click changes nothing)."""
    _decide(ack, body, action, context, client, approve=True)


def handle_decline(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                   client: WebClient) -> None:
    """Decline the agreement (a second click changes nothing)."""
    _decide(ack, body, action, context, client, approve=False)


def _decide(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, *,
            approve: bool) -> None:
    ack()
    services = services_of(context)
    (agreement_id,) = button_numbers(action, hint=_("See `/thirdparty <name>` for its agreements."))
    with services.db.session() as session:
        decision = decide_agreement(session, agreement_id=agreement_id, approve=approve, actor_id=actor_of(context).id,
                                    now=services.now(), managers=tuple(services.settings.rapport_managers))
    services.deliver(keys=decision.keys)
    reply(body, client, build_agreement_decided(decision))


def handle_request_done(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                        client: WebClient) -> None:
    """Mark a third party's request done from its reminder."""
    ack()
    services = services_of(context)
    (request_id,) = button_numbers(action, hint=_("Try `/thirdparty requests`."))
    with services.db.session() as session:
        change = mark_done(session, request_id=request_id, actor_id=actor_of(context).id, now=services.now())
    reply(body, client, build_request_done(change))
