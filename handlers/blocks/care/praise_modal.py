"""The modal asking whom a customer's praise is for."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import InputBlock, PlainTextObject, UserMultiSelectElement
from slack_sdk.models.views import View

from bot.platform.i18n import _
from handlers.blocks.common import section
from handlers.ids import Action, Block
from handlers.ids import View as ViewId


def build_receivers_modal(private_metadata: str) -> dict[str, Any]:
    """Ask which engineers a message's praise is for."""
    return View(
        type="modal",
        callback_id=ViewId.PRAISE_RECEIVERS,
        private_metadata=private_metadata,
        title=PlainTextObject(text=_("Log praise")),
        submit=PlainTextObject(text=_("Publish")),
        close=PlainTextObject(text=_("Cancel")),
        blocks=[
            section(_("The message mentions none of our people. Whom is this praise for?")),
            InputBlock(
                block_id=Block.RECEIVERS,
                label=PlainTextObject(text=_("Praise for")),
                element=UserMultiSelectElement(action_id=Action.RECEIVERS_SELECT, max_selected_items=20),
            ),
        ],
    ).to_dict()
