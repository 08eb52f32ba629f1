"""Block Kit for coordination between suppliers: the outage card (updated in place), the ping, replies."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, Option, OptionGroup, StaticSelectElement

from bot.platform.cards import Rendered
from bot.platform.i18n import _
from bot.platform.text import cut, neutralise_mentions
from bot.suppliers.cards import CoordinationCard, CoordinationLayerRow, CoordinationPingCard
from bot.suppliers.coordination import CARD_BLOCK_PREFIX, CoordinationChange
from handlers.blocks.common import channel, context, header, quoted, section, user, when
from handlers.blocks.suppliers.coordination_twin import note_lines
from handlers.ids import Action
from storage.suppliers.coordination import LayerStatus

ANSWERS = (LayerStatus.INVESTIGATING, LayerStatus.FIXED, LayerStatus.CLEARED, LayerStatus.CAUSE_FOUND)
OPTION_LIMIT = 75


def status_label(status: LayerStatus) -> str:
    """A layer's status in words."""
    return {LayerStatus.WAITING: _("⏳ no answer yet"), LayerStatus.INVESTIGATING: _("🔍 investigating"),
            LayerStatus.FIXED: _("🛠 fixed"), LayerStatus.CLEARED: _("✅ cleared"),
            LayerStatus.CAUSE_FOUND: _("🎯 cause found")}[status]


def _layer_line(layer: CoordinationLayerRow, tz: ZoneInfo) -> str:
    line = f"• *{neutralise_mentions(layer.name)}* — {layer.supplier} — {status_label(layer.status)}"
    if layer.status != LayerStatus.WAITING:
        line += " " + _("({who}, {at})").format(who=user(layer.updated_by), at=when(layer.updated_at, tz))
    elif layer.pinged_at:
        line += " — " + _("chased {who} at {at}").format(who=user(layer.pinged_user), at=when(layer.pinged_at, tz))
    elif layer.ping_at:
        line += " — " + _("ping at {at}").format(at=when(layer.ping_at, tz))
    if layer.twin_channel:
        line += " — " + _("their card is in {channel}").format(channel=channel(layer.twin_channel))
    if layer.notes:
        line += "\n" + note_lines(layer.notes, tz)
    return line


def _summary(layers: tuple[CoordinationLayerRow, ...]) -> str:
    found = [layer for layer in layers if layer.status == LayerStatus.CAUSE_FOUND]
    if found:
        return _("🎯 Cause found in {layers}.").format(layers=", ".join(
            f"*{neutralise_mentions(layer.name)}* ({layer.supplier})" for layer in found))
    if all(layer.status == LayerStatus.CLEARED for layer in layers):
        return _("Every layer is cleared, and the cause is still unknown.")
    answered = sum(1 for layer in layers if layer.status != LayerStatus.WAITING)
    return _("{answered} of {total} suppliers have answered; until the cause is known, they work on it "
             "together.").format(answered=answered, total=len(layers))


def _closed(card: CoordinationCard) -> str:
    text = _("✅ Closed by {who} {at}. Root cause in *{layer}*:").format(
        who=user(card.closed_by), at=when(card.closed_at, card.tz), layer=neutralise_mentions(card.cause_layer or ""))
    text += "\n" + quoted(card.root_cause or "", 1500)
    if card.complaints:
        text += "\n" + _("Complaints it caused: {complaints}").format(complaints=", ".join(
            f"#{complaint.id} {cut(neutralise_mentions(complaint.summary), 80)}" for complaint in card.complaints))
    return text


def render_coordination_card(card: CoordinationCard) -> Rendered:
    """The outage card: each layer's supplier and status, and one select to set a layer's status."""
    title = _("Outage coordination #{id} · {title}").format(id=card.id, title=card.title)
    lines = [_layer_line(layer, card.tz) for layer in card.layers]
    if card.closed_at is not None:
        blocks = [header(title), section(_closed(card)), section("\n".join(lines))]
        return Rendered(text=cut(f"{title}: {_('closed')}", 3000), blocks=blocks)
    groups = [OptionGroup(label=cut(f"{layer.name} · {layer.supplier}", OPTION_LIMIT),
                          options=[Option(text=status_label(status), value=f"{layer.name}={status.value}")
                                   for status in ANSWERS])
              for layer in card.layers]
    select = StaticSelectElement(action_id=Action.COORDINATION_STATUS, option_groups=groups,
                                 placeholder=_("Set a layer's status"))
    close = ButtonElement(text=_("Close with root cause"), action_id=Action.COORDINATION_CLOSE, value=str(card.id))
    blocks = [header(title), section(_summary(card.layers)), section("\n".join(lines)),
              ActionsBlock(block_id=f"{CARD_BLOCK_PREFIX}{card.id}", elements=[select, close]).to_dict(),
              context(_("Opened by {who} {at} · suppliers that have not answered within {minutes} minutes are chased "
                        "once").format(who=user(card.created_by), at=when(card.created_at, card.tz),
                                       minutes=card.ping_minutes))]
    text = f"{title}: {_summary(card.layers)}"
    return Rendered(text=cut(text, 3000), blocks=blocks)


def render_coordination_ping(card: CoordinationPingCard) -> Rendered:
    """The DM to a supplier's account owner: their supplier has not answered for a layer."""
    text = _("⏰ *{supplier}* has not answered on *{layer}* for outage #{id} “{title}” within {minutes} minutes. "
             "Chase them, then set the layer's status on the card in {channel}.").format(
        supplier=card.supplier, layer=neutralise_mentions(card.layer), id=card.id,
        title=cut(neutralise_mentions(card.title), 200), minutes=card.minutes, channel=channel(card.channel))
    return Rendered(text=text, blocks=[section(text)])


def build_coordination_opened(change: CoordinationChange, *, link: str | None) -> tuple[str, list[dict[str, Any]]]:
    """The receipt for whoever opened a coordination."""
    card = change.card
    text = _("Opened outage coordination #{id} with {count} layers. Suppliers that have not answered in {minutes} "
             "minutes will be chased once.").format(id=card.id, count=len(card.layers), minutes=card.ping_minutes)
    where = _("The card is in {channel}.").format(channel=channel(change.coordination.channel_id))
    if link:
        where += " " + _("<{link}|See it>").format(link=link)
    return f"{text} {where}", [section(text), context(where)]


def build_status_changed(change: CoordinationChange) -> str:
    """The ephemeral note after a status was chosen on the card."""
    layer = neutralise_mentions(change.layer or "")
    status = status_label(change.status) if change.status else ""
    if not change.changed:
        return _("*{layer}* is already {status} — nothing changed.").format(layer=layer, status=status)
    return _("*{layer}* on outage #{id} is now {status}.").format(layer=layer, id=change.card.id, status=status)
