"""Block Kit for closing an outage's coordination: the close modal, the complaint owner's DM, the receipt, the list."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticMultiSelectElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.platform.cards import Rendered
from bot.platform.i18n import _
from bot.platform.text import cut, neutralise_mentions
from bot.suppliers.cards import CoordinationClosedCard
from bot.suppliers.coordination import CoordinationChange
from bot.suppliers.coordination_close import MAX_CAUSE, CloseForm, CoordinationPage
from handlers.blocks.common import Reply, context, section, user, when
from handlers.ids import Block
from handlers.ids import View as ViewId

OPTION_LIMIT = 75


def build_close_modal(form: CloseForm, *, channel: str | None) -> dict[str, Any]:
    """Close an outage: the layer responsible, the root cause, the complaints it caused."""
    options = [Option(text=cut(layer, OPTION_LIMIT), value=layer) for layer in form.layers]
    picks = [Option(text=cut(f"#{complaint.id} {neutralise_mentions(complaint.summary)}", OPTION_LIMIT),
                    value=str(complaint.id)) for complaint in form.complaints]
    pick = [InputBlock(block_id=Block.COORDINATION_PICKED, optional=True,
                       label=PlainTextObject(text=_("Complaints it caused")),
                       element=StaticMultiSelectElement(action_id=Block.COORDINATION_PICKED, options=picks),
                       hint=PlainTextObject(text=_("Complaints opened since the day before the outage; their "
                                                   "owners are told the root cause.")))] if picks else []
    return View(
        type="modal", callback_id=ViewId.COORDINATION_CLOSE,
        private_metadata=json.dumps({"id": form.coordination_id, "channel": channel}),
        title=PlainTextObject(text=cut(_("Close outage #{id}").format(id=form.coordination_id), 24)),
        submit=PlainTextObject(text=_("Close it")), close=PlainTextObject(text=_("Cancel")),
        blocks=[
            section(cut(neutralise_mentions(form.title), 1000)),
            InputBlock(block_id=Block.COORDINATION_LAYER, label=PlainTextObject(text=_("Layer responsible")),
                       element=StaticSelectElement(action_id=Block.COORDINATION_LAYER, options=options)),
            InputBlock(block_id=Block.COORDINATION_CAUSE, label=PlainTextObject(text=_("Root cause")),
                       element=PlainTextInputElement(action_id=Block.COORDINATION_CAUSE, multiline=True,
                                                     max_length=MAX_CAUSE)),
            *pick,
            InputBlock(block_id=Block.COORDINATION_COMPLAINTS, optional=True,
                       label=PlainTextObject(text=_("Other complaints it caused") if picks else
                                             _("Complaints it caused")),
                       element=PlainTextInputElement(action_id=Block.COORDINATION_COMPLAINTS, max_length=200,
                                                     placeholder=PlainTextObject(text="12, 15")),
                       hint=PlainTextObject(text=_("Complaint numbers; their owners are told the root cause."))),
        ],
    ).to_dict()


def render_coordination_closed(card: CoordinationClosedCard) -> Rendered:
    """The DM to a complaint's owner: the outage behind the complaint is closed, with its root cause."""
    text = _("✅ The outage behind your complaint #{complaint} “{summary}” is closed: outage #{id} “{title}”. "
             "Root cause in *{layer}* ({supplier}): {cause} — closed by {who}.").format(
        complaint=card.complaint.id, summary=cut(neutralise_mentions(card.complaint.summary), 200), id=card.id,
        title=cut(neutralise_mentions(card.title), 200), layer=neutralise_mentions(card.cause_layer),
        supplier=card.supplier, cause=cut(neutralise_mentions(card.root_cause), 1500), who=user(card.closed_by))
    return Rendered(text=cut(text, 3000), blocks=[section(text)])


def build_coordination_closed(change: CoordinationChange) -> Reply:
    """The receipt for whoever closed an outage."""
    card = change.card
    text = _("Closed outage coordination #{id}: root cause in *{layer}*.").format(
        id=card.id, layer=neutralise_mentions(change.layer or ""))
    if card.complaints:
        text += " " + _("The owners of complaints {ids} are told.").format(
            ids=", ".join(f"#{complaint.id}" for complaint in card.complaints))
    return text, [section(text)]


def build_coordination_list(page: CoordinationPage) -> Reply:
    """`/dispute coordinate list`: open outages first, then those closed in the last 30 days."""
    if not page.rows:
        text = _("No outage coordination is open or was closed in the last 30 days.")
        return text, [section(text)]
    lines = []
    for row in page.rows:
        item = row.coordination
        line = f"• *#{item.id}* {cut(neutralise_mentions(item.title), 120)} — "
        if item.closed_at is None:
            line += _("open since {at}, {answered} of {total} layers answered").format(
                at=when(item.created_at, page.tz), answered=row.answered, total=row.layers)
        else:
            line += _("closed {at}: root cause in *{layer}*").format(
                at=when(item.closed_at, page.tz), layer=neutralise_mentions(item.cause_layer or ""))
        lines.append(line)
    title = _("*Outage coordinations* (page {page} of {pages}, {total} in all)").format(
        page=page.page, pages=page.pages, total=page.total)
    blocks = [section(title), section("\n".join(lines))]
    if page.page < page.pages:
        blocks.append(context(_("Next page: `/dispute coordinate list {page}`").format(page=page.page + 1)))
    return f"{title}\n" + "\n".join(lines), blocks
