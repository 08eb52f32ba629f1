"""Block Kit for the outage's twin card in a supplier's shared channel, its chase, and the note modal.

Everything here is seen by the supplier's people: the outage's title and their own layer only — no other
layer, no other supplier, no internal names of the card's channel.
"""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, InputBlock, PlainTextInputElement, PlainTextObject
from slack_sdk.models.views import View

from bot.platform import formatting
from bot.platform.cards import Rendered
from bot.platform.i18n import _
from bot.platform.text import cut, neutralise_mentions
from bot.suppliers.cards import CoordinationChaseCard, CoordinationNoteRow, CoordinationTwinCard
from bot.suppliers.coordination import CoordinationChange
from bot.suppliers.coordination_parties import MAX_NOTE, TWIN_ANSWERS
from handlers.blocks.common import context, header, section, user, when
from handlers.ids import Action, Block
from handlers.ids import View as ViewId
from storage.suppliers.coordination import LayerStatus


def twin_status_label(status: LayerStatus) -> str:
    """A layer's status in the supplier's words."""
    return {LayerStatus.WAITING: _("⏳ no update yet"), LayerStatus.INVESTIGATING: _("🔍 investigating"),
            LayerStatus.FIXED: _("🛠 fixed"), LayerStatus.CLEARED: _("🙅 not us"),
            LayerStatus.CAUSE_FOUND: _("🎯 cause found")}[status]


def _button_label(status: LayerStatus) -> str:
    return {LayerStatus.INVESTIGATING: _("Investigating"), LayerStatus.FIXED: _("Fixed"),
            LayerStatus.CLEARED: _("Not us")}[status]


def note_lines(notes: tuple[CoordinationNoteRow, ...], tz: ZoneInfo) -> str:
    """A layer's latest notes, one a line."""
    return "\n".join(f"• {when(note.at, tz)} {user(note.author)}: {cut(neutralise_mentions(note.text), 300)}"
                     for note in notes)


def render_coordination_twin(card: CoordinationTwinCard) -> Rendered:
    """The twin card: the outage's title, this supplier's layer, its status and notes, and its buttons."""
    title = _("Outage #{id} · {title}").format(id=card.id, title=card.title)
    status = _("*Your layer: {layer}* — {status}").format(layer=neutralise_mentions(card.layer),
                                                          status=twin_status_label(card.status))
    if card.updated_by and card.updated_at:
        status += " " + _("({who}, {at})").format(who=user(card.updated_by), at=when(card.updated_at, card.tz))
    blocks = [header(title), section(status)]
    if card.notes:
        blocks.append(section(_("*Notes*") + "\n" + note_lines(card.notes, card.tz)))
    if card.closed:
        blocks.append(context(_("This outage is closed. Thank you for your help.")))
    else:
        buttons = [ButtonElement(text=_button_label(answer), action_id=f"{Action.COORDINATION_TWIN_STATUS}_{answer}",
                                 value=str(card.layer_id)) for answer in TWIN_ANSWERS]
        buttons.append(ButtonElement(text=_("Add a note"), action_id=Action.COORDINATION_NOTE,
                                     value=str(card.layer_id)))
        blocks += [ActionsBlock(elements=buttons).to_dict(),
                   context(_("Tell us where your layer stands: our team sees each update at once."))]
    return Rendered(text=cut(f"{title}: {status}", 3000), blocks=blocks)


def render_coordination_chase(card: CoordinationChaseCard) -> Rendered:
    """The chase in the supplier's shared channel: its layer has had no update for a while."""
    text = _("⏰ Outage #{id} “{title}”: no update on *{layer}* for {span} of working time. Please set your layer's "
             "status or add a note on the outage card in this channel.").format(
        id=card.id, title=cut(neutralise_mentions(card.title), 200), layer=neutralise_mentions(card.layer),
        span=formatting.duration(timedelta(minutes=card.minutes)))
    return Rendered(text=text, blocks=[section(text)])


def build_note_modal(*, layer_id: int, layer: str, channel: str | None) -> dict[str, Any]:
    """The note modal of a twin card (or the internal card): one text."""
    return View(
        type="modal", callback_id=ViewId.COORDINATION_NOTE,
        private_metadata=json.dumps({"layer": layer_id, "channel": channel}),
        title=PlainTextObject(text=cut(_("Note on {layer}").format(layer=layer), 24)),
        submit=PlainTextObject(text=_("Add")), close=PlainTextObject(text=_("Cancel")),
        blocks=[InputBlock(block_id=Block.COORDINATION_NOTE, label=PlainTextObject(text=_("What is new?")),
                           element=PlainTextInputElement(action_id=Block.COORDINATION_NOTE, multiline=True,
                                                         max_length=MAX_NOTE))],
    ).to_dict()


def build_twin_changed(change: CoordinationChange) -> str:
    """The ephemeral note to whoever pressed a twin's button."""
    layer = neutralise_mentions(change.layer or "")
    if change.status is None:
        return _("Your note on *{layer}* is added.").format(layer=layer)
    status = twin_status_label(change.status)
    if not change.changed:
        return _("*{layer}* is already {status} — nothing changed.").format(layer=layer, status=status)
    return _("*{layer}* is now {status}. Thank you — our team sees it.").format(layer=layer, status=status)
