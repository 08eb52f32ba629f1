"""Pure functions building Block Kit, and the renderers the outbox delivers with."""

from bot.notify import Renderer
from handlers.blocks.admin import render_delivery_failed
from handlers.blocks.praise import render_praise_card

RENDERERS: dict[str, Renderer] = {
    "praise_card": render_praise_card,
    "delivery_failed": render_delivery_failed,
}
