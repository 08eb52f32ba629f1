"""The one error funnel: typed errors become a helpful ephemeral reply; the unexpected get a reference."""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltContext, BoltRequest, BoltResponse
from slack_bolt.listener.listener_completion_handler import ListenerCompletionHandler
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.platform.errors import FieldError, MalformedForm, RapportError
from bot.platform.i18n import _
from handlers.context import reply
from handlers.views.state import malformed

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


def handle_error(error: Exception, body: dict[str, Any], client: WebClient, context: BoltContext,
                 response: BoltResponse | None) -> None:
    """Tell the user what went wrong, in words they can act on."""
    if not context.get(SIGNED):
        # Failed before its signature was verified: every user, channel and response_url in it may be forged.
        log.warning("request failed before its signature was verified (%s); not answered", type(error).__name__)
        return
    if body.get("type") == "view_submission" and response is not None:
        _answer_submission(error, body, client, response)
        return
    if isinstance(error, RapportError):
        reply(body, client, error.message)
        return
    if isinstance(error, SlackApiError) and _method(error) == "views.open":
        # Slack refused or was too busy to open a form (HTTP 5xx, 429): nothing was done, so trying again is safe.
        log.warning("views.open failed (%s, HTTP %s) for %s", error.response.get("error"),
                    error.response.status_code, _what(body))
        reply(body, client, _("Slack is busy and could not open the form; nothing was changed. Please try {what} "
                              "again in a minute.").format(what=_what(body)))
        return
    ref = uuid.uuid4().hex[:8]
    log.exception("unexpected error (ref %s) handling %s", ref, body.get("type") or body.get("command"), exc_info=error)
    reply(body, client, _("Something went wrong (ref {ref}). Nothing was changed; please try again, "
                          "and quote the ref if you ask for help.").format(ref=ref))


def _method(error: SlackApiError) -> str:
    """The Web API method a Slack error came from ("views.open")."""
    return str(getattr(error.response, "api_url", "") or "").rstrip("/").rsplit("/", 1)[-1]


def _what(body: dict[str, Any]) -> str:
    """What the person did, in words they can repeat: `/complaint`, the shortcut, the button."""
    if body.get("command"):
        return f"`{body['command']}`"
    if body.get("type") in ("message_action", "shortcut"):
        return _("the shortcut")
    return _("the button")


def _answer_submission(error: Exception, body: dict[str, Any], client: WebClient, response: BoltResponse) -> None:
    """A modal's submission failed before its ack: field errors in the modal, else close it (200) and say why.

    Bolt would answer 500, which Slack shows as a generic failure in the modal; a submission that is not
    as our form sends it (a forged or stale payload) is a warning, not a crash, so it gets no traceback.
    """
    response.status, response.headers["content-type"] = 200, ["application/json;charset=utf-8"]
    callback = (body.get("view") or {}).get("callback_id") if isinstance(body.get("view"), dict) else None
    if isinstance(error, FieldError):
        response.body = json.dumps({"response_action": "errors", "errors": {error.block: error.message[:300]}})
        return
    response.body = ""
    response.headers["content-type"] = ["text/plain;charset=utf-8"]
    if isinstance(error, MalformedForm) or not isinstance(error, RapportError):
        log.warning("malformed submission of %s: %s: %s", callback, type(error).__name__, str(error)[:200])
        error = malformed()
    assert isinstance(error, RapportError)
    reply(body, client, error.message)
