"""Block Kit for supplier changes and subcontracting: the reply when a change is recorded, the owner's reminder
with *Customer told* and the answer to that button, and the reply to `/supplier subcontractor`."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.platform.cards import Rendered
from bot.platform.i18n import _, ngettext
from bot.platform.text import cut, neutralise_mentions
from bot.suppliers.cards import SupplierChangeNoticeCard
from bot.suppliers.changes import ChangeRecorded, Told, change_text
from bot.suppliers.subcontracting import Clause, SubcontractChange
from handlers.blocks.common import Reply, context, section, user
from handlers.ids import Action


def _reason(reason: str | None) -> str:
    return "> " + cut(neutralise_mentions(reason), 1000) if reason else ""


def build_change_recorded(recorded: ChangeRecorded) -> Reply:
    """The change, and the accounts flagged with who is asked to tell each customer."""
    what = change_text(recorded.change.kind, recorded.supplier.name,
                       recorded.other.name if recorded.other else None)
    text = "🔁 " + _("Recorded: {what}.").format(what=what)
    blocks = [section(text)]
    if recorded.change.reason:
        blocks.append(section(_reason(recorded.change.reason)))
    if recorded.flagged:
        lines = [f"• *{f.account.name}* — " + ", ".join(user(p) for p in f.people) for f in recorded.flagged]
        head = ngettext("{n} account depends on {supplier}; its owner is asked to tell the customer, each working "
                        "day until they press *Customer told*:",
                        "{n} accounts depend on {supplier}; their owners are asked to tell the customer, each "
                        "working day until they press *Customer told*:", len(recorded.flagged)).format(
            n=len(recorded.flagged), supplier=recorded.supplier.name)
        blocks.append(section(head + "\n" + "\n".join(lines)))
        text += "\n" + head + "\n" + "\n".join(lines)
    else:
        none = _("No account has a support contract from {supplier}: no customer to tell.").format(
            supplier=recorded.supplier.name)
        blocks.append(context(none))
        text += "\n" + none
    return text, blocks


def render_supplier_change_notice(card: SupplierChangeNoticeCard) -> Rendered:
    """Ask an account's owner to tell the customer of a change of the supplier its service depends on."""
    what = change_text(card.change, card.supplier, card.other)
    if card.reminder:
        text = "⏰ " + _("Reminder: tell *{account}* that {what} — their service depends on it.").format(
            account=card.account, what=what)
    else:
        text = "🔁 " + _("Tell *{account}* that {what} — their service depends on it.").format(
            account=card.account, what=what)
    blocks = [section(text)]
    if card.reason:
        blocks.append(section(_reason(card.reason)))
    button = ButtonElement(text=_("Customer told"), action_id=Action.SUPPLIER_CHANGE_TOLD, value=str(card.notice_id),
                           style="primary")
    blocks.append(ActionsBlock(block_id=f"supplier_change_{card.notice_id}", elements=[button]).to_dict())
    blocks.append(context(_("Reminded each working day until you press *Customer told*. The change is in the "
                            "account's service report.")))
    return Rendered(text=text, blocks=blocks)


def build_told(told: Told) -> str:
    """The answer to *Customer told*."""
    if not told.changed:
        return _("Already noted: *{account}* was told of the change to {supplier}.").format(
            account=told.account.name, supplier=told.supplier.name)
    return "✅ " + _("Noted: *{account}* was told of the change to {supplier}. No more reminders.").format(
        account=told.account.name, supplier=told.supplier.name)


def build_subcontract_changed(change: SubcontractChange) -> Reply:
    """The subcontractor added, updated or removed, naming each clause its subcontract lacks."""
    if change.link is None:
        text = _("Removed {sub} from {supplier}'s subcontractors.").format(sub=change.subcontractor.name,
                                                                           supplier=change.supplier.name)
        return text, [section(text)]
    verb = _("Added") if change.added else _("Updated")
    text = _("{verb}: *{sub}* subcontracts for {supplier} — {scope}.").format(
        verb=verb, sub=change.subcontractor.name, supplier=change.supplier.name, scope=change.link.scope)
    missing = {Clause.AUDIT: _("no audit clause"), Clause.IP: _("no intellectual-property clause"),
               Clause.SECURITY: _("no information-security clause")}
    blocks = [section(text)]
    if change.missing:
        flags = "⚠️ " + ", ".join(missing[clause] for clause in change.missing)
        blocks.append(section(flags))
        text += "\n" + flags
    blocks.append(context(_("The contract check names it on each contract of {supplier}: `/supplier {supplier}`.")
                          .format(supplier=change.supplier.name)))
    return text, blocks
