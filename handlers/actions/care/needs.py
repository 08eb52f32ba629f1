"""Buttons of customer needs: the status buttons of a need's card, and Signed / Dropped on agreement reminders."""

from __future__ import annotations

import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.need_agreements import close_agreement
from bot.care.needs import change_status
from bot.platform.i18n import _
from handlers.blocks.care.needs import (
    build_agreement_changed,
    build_agreement_modal,
    build_decline_modal,
    build_need_changed,
)
from handlers.context import actor_of, button_numbers, internal_only, reply, services_of
from handlers.ids import Action
from storage.care.needs import NeedStatus

STATUS_ACTION = re.compile(rf"^{Action.NEED_STATUS}_(analysed|proposed|agreed|delivered)$")
HINT = "`/need <id> <status>`"


def register(app: App) -> None:
    """Listen for the need buttons; external users are refused."""
    app.action(STATUS_ACTION, middleware=[internal_only])(handle_status)
    app.action(Action.NEED_DECLINE, middleware=[internal_only])(handle_decline)
    app.action(Action.NEED_AGREEMENT, middleware=[internal_only])(handle_agreement)
    app.action(Action.NEED_AGREEMENT_SIGNED, middleware=[internal_only])(handle_signed)
    app.action(Action.NEED_AGREEMENT_DROPPED, middleware=[internal_only])(handle_dropped)


def handle_status(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                  client: WebClient) -> None:
    """Move the need on to the status the button names (a second click changes nothing)."""
    ack()
    services = services_of(context)
    (need_id,) = button_numbers(action, hint=_("Try {hint}.").format(hint=HINT))
    status = NeedStatus(str(action["action_id"]).removeprefix(f"{Action.NEED_STATUS}_"))
    with services.db.session() as session:
        changed = change_status(session, need_id=need_id, status=status, actor_id=actor_of(context).id,
                                now=services.now())
    reply(body, client, *build_need_changed(changed, zone=services.settings.zone))


def handle_decline(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                   client: WebClient) -> None:
    """Ask why the need is declined (a modal)."""
    ack()
    (need_id,) = button_numbers(action, hint=_("Try {hint}.").format(hint=HINT))
    channel_id = (body.get("channel") or {}).get("id")
    client.views_open(trigger_id=body["trigger_id"], view=build_decline_modal(need_id, channel_id=channel_id))


def handle_agreement(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                     client: WebClient) -> None:
    """Ask by when the need's supplementary agreement is to be signed (a modal)."""
    ack()
    (need_id,) = button_numbers(action, hint=_("Try {hint}.").format(hint="`/need <id> agreement <date>`"))
    channel_id = (body.get("channel") or {}).get("id")
    client.views_open(trigger_id=body["trigger_id"], view=build_agreement_modal(need_id, channel_id=channel_id))


def handle_signed(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                  client: WebClient) -> None:
    """The supplementary agreement is signed: its reminders stop."""
    _close(ack, body, action, context, client, signed=True)


def handle_dropped(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                   client: WebClient) -> None:
    """The supplementary agreement is dropped: its reminders stop."""
    _close(ack, body, action, context, client, signed=False)


def _close(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient, *,
           signed: bool) -> None:
    ack()
    services = services_of(context)
    (need_id,) = button_numbers(action, hint=_("Try {hint}.").format(hint="`/need <id> signed`"))
    with services.db.session() as session:
        closed = close_agreement(session, need_id=need_id, signed=signed, actor_id=actor_of(context).id,
                                 now=services.now(), services=services)
    services.deliver(keys=closed.keys)
    reply(body, client, build_agreement_changed(closed, zone=services.settings.zone))
