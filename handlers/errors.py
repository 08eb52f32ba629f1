"""The one error funnel: typed errors become a helpful ephemeral reply; the unexpected get a reference."""

from __future__ import annotations

import logging
import uuid
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.errors import RapportError
from bot.i18n import _
from handlers.context import reply

log = logging.getLogger("rapport.errors")


def register(app: App) -> None:
    """Install the error funnel."""
    app.error(handle_error)


def handle_error(error: Exception, body: dict[str, Any], client: WebClient) -> None:
    """Tell the user what went wrong, in words they can act on."""
    if isinstance(error, RapportError):
        reply(body, client, error.message)
        return
    ref = uuid.uuid4().hex[:8]
    log.exception("unexpected error (ref %s) handling %s", ref, body.get("type") or body.get("command"), exc_info=error)
    reply(body, client, _("Something went wrong (ref {ref}). Nothing was changed; please try again, "
                          "and quote the ref if you ask for help.").format(ref=ref))
