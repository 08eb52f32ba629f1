"""The drafted report's button: **Edit and submit** opens its modal. Internal only."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.platform.errors import RapportError
from bot.report.submission import edit_form
from handlers.blocks.report.drafts import build_edit_modal
from handlers.context import button_numbers, internal_only, reply, services_of
from handlers.ids import Action


def register(app: App) -> None:
    """Listen for the report's buttons."""
    app.action(Action.REPORT_EDIT, middleware=[internal_only])(handle_edit_report)


def handle_edit_report(ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext,
                       client: WebClient) -> None:
    """Open Edit and submit for the drafted report (built now, in the clicker's language, to list its sections)."""
    ack()
    services = services_of(context)
    try:
        with services.db.session(read_only=True) as session:
            form = edit_form(session, report_id=button_numbers(action)[0], settings=services.settings,
                             now=services.now())
    except RapportError as error:
        reply(body, client, error.message)
        return
    client.views_open(trigger_id=body["trigger_id"], view=build_edit_modal(form))
