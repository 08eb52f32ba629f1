"""Block Kit for admins: deliveries that failed for good."""

from __future__ import annotations

from typing import Any

from bot.platform.i18n import _, ngettext
from bot.platform.slack import Rendered
from handlers.blocks.common import context, section


def render_delivery_failed(data: dict[str, Any]) -> Rendered:
    """Tell an admin that a message could not be delivered."""
    text = ngettext("A message could not be delivered after {attempts} attempt: `{error}`",
                    "A message could not be delivered after {attempts} attempts: `{error}`",
                    data["attempts"]).format(attempts=data["attempts"], error=data["error"])
    detail = _("Outbox #{id} · `{key}` · list all with `rapport outbox --failed`").format(
        id=data["message_id"], key=data["key"])
    return Rendered(text=text, blocks=[section("⚠️ " + text), context(detail)])
