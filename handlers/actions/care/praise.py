"""Buttons under a customer's praise: *Send a thank-you note* (a manager or the account owner) and *Share the
story* (anyone of ours); each opens its modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.praise_followups import check_can_thank, customer_praise, draft_thanks, thanks_destination
from bot.platform.i18n import _
from handlers.blocks.care.praise import build_story_modal, build_thanks_modal
from handlers.context import actor_of, button_numbers, internal_only, services_of
from handlers.ids import Action


def register(app: App) -> None:
    """Listen for the praise follow-up buttons."""
    app.action(Action.PRAISE_THANKS, middleware=[internal_only])(handle_thanks_button)
    app.action(Action.PRAISE_STORY, middleware=[internal_only])(handle_story_button)


def handle_thanks_button(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                         client: WebClient) -> None:
    """Open the thank-you note, drafted from the praise; others than a manager or the owner are told who sends it."""
    ack()
    services = services_of(context)
    (praise_id,) = button_numbers(action, hint=_("The praise can't be read."))
    with services.db.session() as session:
        found = customer_praise(session, praise_id)
        check_can_thank(found, actor_id=actor_of(context).id, managers=services.settings.rapport_managers)
        channel, _user = thanks_destination(session, found)
        where = _("to <#{channel}>").format(channel=channel) if channel else _("to them by direct message")
        view = build_thanks_modal(praise_id, draft_thanks(found), where)
    client.views_open(trigger_id=body["trigger_id"], view=view)


def handle_story_button(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                        client: WebClient) -> None:
    """Open the experience-sharing modal."""
    ack()
    services = services_of(context)
    (praise_id,) = button_numbers(action, hint=_("The praise can't be read."))
    with services.db.session() as session:
        customer_praise(session, praise_id)
    client.views_open(trigger_id=body["trigger_id"], view=build_story_modal(praise_id))
