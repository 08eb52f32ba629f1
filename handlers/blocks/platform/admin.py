"""Block Kit for admins: deliveries that failed for good."""

from __future__ import annotations

from bot.platform.cards import Rendered
from bot.platform.i18n import _, ngettext
from bot.platform.outbox import DeliveryFailedCard
from handlers.blocks.common import context, section


def render_delivery_failed(card: DeliveryFailedCard) -> Rendered:
    """Tell an admin that a message could not be delivered."""
    text = ngettext("A message could not be delivered after {attempts} attempt: `{error}`",
                    "A message could not be delivered after {attempts} attempts: `{error}`",
                    card.attempts).format(attempts=card.attempts, error=card.error)
    detail = _("Outbox #{id} · `{key}` · list all with `rapport outbox --failed`").format(id=card.message_id,
                                                                                          key=card.key)
    return Rendered(text=text, blocks=[section("⚠️ " + text), context(detail)])
