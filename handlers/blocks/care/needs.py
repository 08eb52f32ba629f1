"""Block Kit for customer needs (需求): the need's card with its status buttons, the list, the modals, the
supplementary agreement (补充协议) reminder."""

from __future__ import annotations

import json
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.care.need_agreements import AgreementChanged, AgreementStage, NeedAgreementReminderCard
from bot.care.needs import MAX_REASON, MAX_TEXT, NeedChanged, NeedLogged, NeedPage, next_statuses, status_label
from bot.platform.cards import Rendered
from bot.platform.i18n import _
from bot.platform.text import cut, safe_text
from handlers.blocks.common import Reply, context, header, section, user, when
from handlers.ids import Action, Block
from handlers.ids import View as ViewId
from storage.accounts import Account
from storage.care.needs import AgreementStatus, Need, NeedStatus

QUOTE_LIMIT = 500


def agreement_label(status: AgreementStatus) -> str:
    """A supplementary agreement's state in words."""
    return {AgreementStatus.PENDING: _("to be signed"), AgreementStatus.SIGNED: _("signed"),
            AgreementStatus.DROPPED: _("dropped")}[status]


def agreement_line(need: Need, *, zone: ZoneInfo) -> str | None:
    """"Supplementary agreement: to be signed by Fri 4 Dec 09:00 CST", or None when none is asked for."""
    if need.agreement_status is None:
        return None
    state = agreement_label(AgreementStatus(need.agreement_status))
    return _("*Supplementary agreement:* {state} (by {when})").format(state=state, when=when(need.agreement_due_at,
                                                                                               zone))


def _quoted(text: str) -> str:
    return "> " + safe_text(text, QUOTE_LIMIT).replace("\n", "\n> ")


def status_buttons(need: Need) -> list[dict[str, Any]]:
    """The buttons moving a need on: each later status, and Decline (which asks why)."""
    assert need.id is not None  # a stored need
    elements = [ButtonElement(text=status_label(status).capitalize(), action_id=f"{Action.NEED_STATUS}_{status.value}",
                              value=str(need.id))
                for status in next_statuses(NeedStatus(need.status)) if status != NeedStatus.DECLINED]
    if NeedStatus.DECLINED in next_statuses(NeedStatus(need.status)):
        elements.append(ButtonElement(text=_("Decline"), action_id=Action.NEED_DECLINE, value=str(need.id)))
        if need.agreement_status != AgreementStatus.PENDING:
            elements.append(ButtonElement(text=_("Supplementary agreement"), action_id=Action.NEED_AGREEMENT,
                                          value=str(need.id)))
    return [ActionsBlock(block_id=f"need_{need.id}", elements=elements).to_dict()] if elements else []


def build_need_card(need: Need, account: Account, *, zone: ZoneInfo) -> Reply:
    """One need: what, whose, where it stands, its agreement, and the buttons moving it on."""
    title = _("Need #{id} · {account}").format(id=need.id, account=account.name)
    facts = [_("*Status:* {status}").format(status=status_label(NeedStatus(need.status))),
             _("*Owner:* {owner}").format(owner=user(need.owner_id)),
             _("*Logged:* {when} by {who}").format(when=when(need.created_at, zone), who=user(need.created_by))]
    if need.customer_id:
        facts.append(_("*From:* {customer}").format(customer=user(need.customer_id)))
    if need.declined_reason:
        facts.append(_("*Declined because:* {reason}").format(reason=safe_text(need.declined_reason, 300)))
    if line := agreement_line(need, zone=zone):
        facts.append(line)
    blocks = [header(title), section(_quoted(need.text)), section("\n".join(facts)), *status_buttons(need)]
    hints = [_("`/need {id} agreement <date>` — it changes the service: a supplementary agreement to sign").format(
        id=need.id)]
    if need.permalink:
        hints.insert(0, _("<{link}|from this message>").format(link=need.permalink))
    blocks.append(context(" · ".join(hints)))
    return f"{title}\n{need.text}\n" + "\n".join(facts), blocks


def build_need_logged(logged: NeedLogged, *, zone: ZoneInfo) -> Reply:
    """The receipt of a new need (its card), or that the message was logged before."""
    if not logged.new:
        text = _("This message is already need #{id} of {account}. `/need {id}` shows it.").format(
            id=logged.need.id, account=logged.account.name)
        return text, [section(text)]
    text, blocks = build_need_card(logged.need, logged.account, zone=zone)
    done = _("Logged need #{id} for {account}.").format(id=logged.need.id, account=logged.account.name)
    return done + "\n" + text, [section("✅ " + done), *blocks]


def build_need_changed(changed: NeedChanged, *, zone: ZoneInfo) -> Reply:
    """The card again after a status change, headed by what changed."""
    need = changed.need
    if NeedStatus(need.status) == changed.before:
        note = _("Need #{id} is already {status}.").format(id=need.id, status=status_label(changed.before))
    else:
        note = _("Need #{id}: {before} → {after}.").format(id=need.id, before=status_label(changed.before),
                                                           after=status_label(NeedStatus(need.status)))
    text, blocks = build_need_card(need, changed.account, zone=zone)
    return note + "\n" + text, [section(note), *blocks]


def build_need_list(page: NeedPage, *, zone: ZoneInfo) -> Reply:
    """Open needs, newest first, each with its status (and agreement)."""
    title = _("Open needs of {account}").format(account=page.account.name) if page.account else _("Open needs")
    if not page.total:
        text = _("No open needs. Log one with `{example}`.").format(example="/need Acme Corp: …")
        return text, [header(title), section(text)]
    lines = []
    for need, account_name in page.needs:
        parts = [f"*#{need.id}* {cut(' '.join(need.text.split()), 120)}", status_label(NeedStatus(need.status))]
        if not page.account:
            parts.insert(1, account_name)
        if need.agreement_status == AgreementStatus.PENDING:
            parts.append(_("agreement by {when}").format(when=when(need.agreement_due_at, zone)))
        lines.append("• " + " · ".join(parts))
    blocks = [header(title), section("\n".join(lines))]
    footer = _("{total} open · `/need <id>` for one").format(total=page.total)
    if page.pages > 1:
        footer += " · " + _("page {page} of {pages}").format(page=page.page, pages=page.pages)
    blocks.append(context(footer))
    return title + "\n" + "\n".join(lines), blocks


def build_agreement_changed(changed: AgreementChanged, *, zone: ZoneInfo) -> str:
    """The note after asking for, signing or dropping a supplementary agreement."""
    need = changed.need
    values = {"id": need.id, "account": changed.account}
    status = AgreementStatus(need.agreement_status) if need.agreement_status else None
    if not changed.changed:
        return _("The supplementary agreement of need #{id} ({account}) is already {state}.").format(
            state=agreement_label(status) if status else "—", **values)
    if status == AgreementStatus.PENDING:
        return _("Need #{id} ({account}) changes the service: its supplementary agreement is to be signed by {when}. "
                 "{owner} is reminded on working days until it is signed or dropped.").format(
            when=when(need.agreement_due_at, zone), owner=user(need.owner_id), **values)
    if status == AgreementStatus.SIGNED:
        return _("The supplementary agreement of need #{id} ({account}) is signed; its reminders stop.").format(
            **values)
    return _("The supplementary agreement of need #{id} ({account}) is dropped; its reminders stop.").format(**values)


def render_need_agreement_reminder(card: NeedAgreementReminderCard) -> Rendered:
    """The owner's working-day reminder of an unsigned supplementary agreement, with Signed and Dropped."""
    values = {"id": card.need_id, "account": card.account, "due": when(card.due_at, card.tz),
              "what": safe_text(card.text, 300)}
    if card.stage in (AgreementStage.SIGNED, AgreementStage.DROPPED):
        closed = (_("✅ The supplementary agreement of need #{id} ({account}) was signed by {who}: {what}")
                  if card.stage == AgreementStage.SIGNED else
                  _("The supplementary agreement of need #{id} ({account}) was dropped by {who}: {what}"))
        text = closed.format(who=user(card.closed_by), **values)
        return Rendered(text=text, blocks=[section(text)])
    if card.stage == AgreementStage.BEFORE:
        text = _("The supplementary agreement of need #{id} ({account}) is to be signed by {due}: {what}")
    elif card.stage == AgreementStage.DUE:
        text = _("Due today: the supplementary agreement of need #{id} ({account}), by {due}: {what}")
    else:
        text = _("Overdue: the supplementary agreement of need #{id} ({account}) was to be signed by {due}: "
                 "{what}")
    text = text.format(**values)
    buttons = ActionsBlock(block_id=f"need_agreement_{card.need_id}", elements=[
        ButtonElement(text=_("Signed"), action_id=Action.NEED_AGREEMENT_SIGNED, value=str(card.need_id),
                      style="primary"),
        ButtonElement(text=_("Dropped"), action_id=Action.NEED_AGREEMENT_DROPPED, value=str(card.need_id))])
    return Rendered(text=text, blocks=[section("📝 " + text), buttons.to_dict(),
                                       context(_("You are reminded each working day until it is signed or "
                                                 "dropped."))])


def _input(block_id: str, label: str, *, initial: str | None, max_length: int) -> InputBlock:
    return InputBlock(block_id=block_id, label=PlainTextObject(text=label), element=PlainTextInputElement(
        action_id=Action.NEED_INPUT, multiline=True, initial_value=initial or None, max_length=max_length))


def build_new_need_modal(*, private_metadata: str, account_name: str, text: str,
                         customer: str | None) -> dict[str, Any]:
    """Log need: the message's text to confirm (or shorten) before it is recorded."""
    intro = _("A need of *{account}*").format(account=account_name)
    if customer:
        intro += " " + _("from {who}'s message").format(who=user(customer))
    blocks: list[Any] = [section(intro + ". " + _("Check the text, then log it.")),
                         _input(Block.NEED_TEXT, _("What does the customer need?"), initial=cut(text, MAX_TEXT),
                                max_length=MAX_TEXT)]
    return View(type="modal", callback_id=ViewId.NEED_NEW, private_metadata=private_metadata,
                title=PlainTextObject(text=_("Log need")), submit=PlainTextObject(text=_("Log it")),
                close=PlainTextObject(text=_("Cancel")), blocks=blocks).to_dict()


def build_decline_modal(need_id: int, *, channel_id: str | None) -> dict[str, Any]:
    """Why a need is declined: the reason is kept with it."""
    return View(type="modal", callback_id=ViewId.NEED_DECLINED,
                private_metadata=json.dumps({"need_id": need_id, "channel": channel_id}),
                title=PlainTextObject(text=cut(_("Decline need #{id}").format(id=need_id), 24)),
                submit=PlainTextObject(text=_("Decline")), close=PlainTextObject(text=_("Cancel")),
                blocks=[_input(Block.NEED_REASON, _("Why is it declined?"), initial=None, max_length=MAX_REASON)],
                ).to_dict()


def build_agreement_modal(need_id: int, *, channel_id: str | None) -> dict[str, Any]:
    """The need changes the service: by when its supplementary agreement is to be signed."""
    field = PlainTextInputElement(action_id=Action.NEED_INPUT, max_length=100,
                                  placeholder=PlainTextObject(text=_("next friday, 12/18, 下周五")))
    intro = _("Need #{id} changes the service, so it asks for a supplementary agreement (补充协议). Its owner is "
              "reminded each working day from the day before the date until it is signed or dropped.").format(
        id=need_id)
    blocks: list[Any] = [section(intro), InputBlock(block_id=Block.NEED_AGREEMENT_WHEN,
                                                    label=PlainTextObject(text=_("To be signed by")), element=field)]
    return View(type="modal", callback_id=ViewId.NEED_AGREEMENT_DATE,
                private_metadata=json.dumps({"need_id": need_id, "channel": channel_id}),
                title=PlainTextObject(text=cut(_("Supplementary agreement"), 24)),
                submit=PlainTextObject(text=_("Record")), close=PlainTextObject(text=_("Cancel")),
                blocks=blocks).to_dict()
