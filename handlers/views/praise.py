"""Submission of the Log praise modal."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.i18n import _
from bot.praise import Receivers
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Action, Block, View
from handlers.shortcuts.praise import internal_people, log_praise_from_message


def register(app: App) -> None:
    """Listen for the praise receivers modal."""
    app.view(View.PRAISE_RECEIVERS, middleware=[internal_only])(handle_praise_receivers_submission)


def handle_praise_receivers_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                                       client: WebClient) -> None:
    """Check the chosen people, close the modal, then record and publish."""
    services = services_of(context)
    source = json.loads(view.get("private_metadata") or "{}")
    chosen = view["state"]["values"][Block.RECEIVERS][Action.RECEIVERS_SELECT].get("selected_users") or []
    people = internal_people(services, chosen, exclude=source.get("author", ""))
    if not people:
        ack(response_action="errors", errors={Block.RECEIVERS: _("Pick at least one of our people (not the author).")})
        return
    ack()
    body = {**body, "channel": {"id": source["channel"]}}
    log_praise_from_message(source, Receivers(users=people), services, actor_of(context).id, body, client)
