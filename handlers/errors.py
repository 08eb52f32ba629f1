"""The one error funnel: typed errors become a helpful ephemeral reply; the unexpected get a reference."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.listener.listener_completion_handler import ListenerCompletionHandler
from slack_sdk import WebClient

from bot.platform.errors import RapportError
from bot.platform.i18n import _
from handlers.context import reply

log = logging.getLogger("rapport.errors")
SIGNED = "rapport_signed"  # context key: Bolt's signature check passed for this request


def mark_signed(context: BoltContext, next: Callable[[], BoltResponse]) -> BoltResponse:
    """Note that the request passed Bolt's signature check (app middleware runs only after it); install first."""
    context[SIGNED] = True
    return next()


def register(app: App) -> None:
    """Install the error funnel."""
    app.error(handle_error)
    app.listener_runner.listener_completion_handler = KeepAckAfterError()


class KeepAckAfterError(ListenerCompletionHandler):
    """Keep a listener's ack() when it raises afterwards.

    Bolt's thread runner (process_before_response=False) sets `ack.response` back to None when a
    listener fails after acking; if that happens before the request thread has seen the ack, Slack
    gets a 404 after 3 s ("operation_timeout") on top of our helpful reply. A fast InvalidInput
    after ack() hits this often, so the ack is restored here, right after the error handler.
    """

    def handle(self, request: BoltRequest, response: BoltResponse | None) -> None:
        ack = request.context.ack
        if response is None and ack is not None and ack.response is None:
            ack()


def handle_error(error: Exception, body: dict[str, Any], client: WebClient, context: BoltContext) -> None:
    """Tell the user what went wrong, in words they can act on."""
    if not context.get(SIGNED):
        # Failed before its signature was verified: every user, channel and response_url in it may be forged.
        log.warning("request failed before its signature was verified (%s); not answered", type(error).__name__)
        return
    if isinstance(error, RapportError):
        reply(body, client, error.message)
        return
    ref = uuid.uuid4().hex[:8]
    log.exception("unexpected error (ref %s) handling %s", ref, body.get("type") or body.get("command"), exc_info=error)
    reply(body, client, _("Something went wrong (ref {ref}). Nothing was changed; please try again, "
                          "and quote the ref if you ask for help.").format(ref=ref))
