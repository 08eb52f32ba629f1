"""The *Report a problem* button in a shared channel. External users may press it (no internal_only): it only
opens the customer's form, bound to the channel the button is in.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from handlers.blocks.care.report_problem import build_report_problem_modal
from handlers.ids import Action


def register(app: App) -> None:
    """Listen for the Report a problem button."""
    app.action(Action.REPORT_PROBLEM)(handle_report_problem_button)


def handle_report_problem_button(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    """Open the form for whoever pressed the button."""
    ack()
    channel_id = (body.get("channel") or {}).get("id") or (body.get("container") or {}).get("channel_id")
    if not channel_id:
        return
    client.views_open(trigger_id=body["trigger_id"], view=build_report_problem_modal(channel_id=channel_id))
