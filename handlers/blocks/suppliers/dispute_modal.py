"""The dispute modals: open a dispute (supplier, subject, scope, linked complaint, others), resolve one."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import InputBlock, PlainTextInputElement, PlainTextObject
from slack_sdk.models.views import View

from bot.platform.i18n import _
from bot.suppliers.disputes import MAX_RESOLUTION, MAX_SUBJECT
from handlers.blocks.common import context, quoted, section
from handlers.blocks.suppliers.dispute import level_name
from handlers.ids import Action, Block
from handlers.ids import View as ViewId


def _text_input(block_id: str, label: str, *, optional: bool = False, multiline: bool = False, max_length: int = 80,
                placeholder: str | None = None, initial: str | None = None, hint: str | None = None) -> InputBlock:
    element = PlainTextInputElement(action_id=Action.DISPUTE_INPUT, multiline=multiline, max_length=max_length,
                                    initial_value=initial or None,
                                    placeholder=PlainTextObject(text=placeholder) if placeholder else None)
    return InputBlock(block_id=block_id, label=PlainTextObject(text=label), element=element, optional=optional,
                      hint=PlainTextObject(text=hint) if hint else None)


def build_new_dispute_modal(*, private_metadata: str, days: list[int], supplier: str | None = None) -> dict[str, Any]:
    """Open a dispute: the supplier, what it is about, its scope, a linked complaint and the other suppliers."""
    blocks: list[InputBlock | dict[str, Any]] = [
        _text_input(Block.DISPUTE_SUPPLIER, _("Supplier"), placeholder="Netcom", initial=supplier),
        _text_input(Block.DISPUTE_SUBJECT, _("What is the dispute about?"), multiline=True, max_length=MAX_SUBJECT),
        _text_input(Block.DISPUTE_SCOPE, _("Scope"), optional=True, multiline=True, max_length=MAX_SUBJECT,
                    hint=_("Services, systems, contracts or amounts concerned.")),
        _text_input(Block.DISPUTE_COMPLAINT, _("Linked complaint"), optional=True, max_length=12, placeholder="#12",
                    hint=_("Its owner is told when the dispute is resolved.")),
        _text_input(Block.DISPUTE_OTHERS, _("Other suppliers involved"), optional=True, max_length=500,
                    placeholder="DBCo, HostCo", hint=_("Supplier account names, separated by commas.")),
        context(_("Level 1 — {name} — runs {first} working days; an overdue level escalates itself to the next "
                  "one, which runs {second}, then {third} working days, then the legal route.").format(
            name=level_name(1), first=days[0], second=days[1], third=days[2])),
    ]
    return View(type="modal", callback_id=ViewId.DISPUTE_NEW, private_metadata=private_metadata,
                title=PlainTextObject(text=_("Open a dispute")), submit=PlainTextObject(text=_("Open it")),
                close=PlainTextObject(text=_("Cancel")), blocks=blocks).to_dict()


def build_resolve_dispute_modal(*, dispute_id: int, subject: str, private_metadata: str) -> dict[str, Any]:
    """Ask how a dispute was resolved."""
    return View(
        type="modal", callback_id=ViewId.DISPUTE_RESOLVE, private_metadata=private_metadata,
        title=PlainTextObject(text=_("Resolve dispute #{id}").format(id=dispute_id)),
        submit=PlainTextObject(text=_("Resolve")), close=PlainTextObject(text=_("Cancel")),
        blocks=[
            section(quoted(subject, 1000)),
            _text_input(Block.DISPUTE_RESOLUTION, _("How was it resolved?"), multiline=True,
                        max_length=MAX_RESOLUTION),
            context(_("The history keeps it; the owner of a linked complaint is told.")),
        ],
    ).to_dict()
