"""Block Kit for value-added services (增值服务): the proposal modal, the manager's approval DM, and replies."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    CheckboxesElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.care.services_added import (
    MAX_EFFORT,
    MAX_NOTE,
    MAX_SCHEDULE,
    MAX_WHAT,
    PRINCIPLES,
    ServiceApprovalCard,
    ServiceDecidedCard,
    ServiceDecision,
    ServiceRecorded,
    principle_label,
)
from bot.care.services_added_schedule import ServiceDelivered, ServiceReminderCard
from bot.platform.cards import Rendered
from bot.platform.i18n import _
from bot.platform.text import cut
from handlers.blocks.common import Reply, context, section, user, when
from handlers.ids import Action, Block
from handlers.ids import View as ViewId
from storage.care.services_added import ServiceStatus

FIELDS = ("what", "schedule", "cost", "effort")
AFFIRMED = "affirmed"  # the value of a principle's one checkbox


def field_block(name: str) -> str:
    """The block id of one field of the proposal modal."""
    return f"{Block.SERVICE_FIELD}_{name}"


def principle_block(key: str) -> str:
    """The block id of a principle's checkbox."""
    return f"{Block.SERVICE_PRINCIPLE}_{key}"


def note_block(key: str) -> str:
    """The block id of a principle's note."""
    return f"{Block.SERVICE_NOTE}_{key}"


def _input(block_id: str, label: str, element: Any, *, optional: bool = False,
           hint: str | None = None) -> dict[str, Any]:
    return InputBlock(block_id=block_id, label=PlainTextObject(text=label), element=element, optional=optional,
                      hint=PlainTextObject(text=hint) if hint else None).to_dict()


def _text(*, max_length: int, multiline: bool = False, placeholder: str | None = None) -> PlainTextInputElement:
    return PlainTextInputElement(action_id=Action.SERVICE_INPUT, multiline=multiline, max_length=max_length,
                                 placeholder=PlainTextObject(text=placeholder) if placeholder else None)


def build_proposal_modal(*, account_name: str, private_metadata: str) -> dict[str, Any]:
    """What, when, cost and effort, and the four principles each affirmed with a note."""
    blocks: list[dict[str, Any]] = [
        section(_("A value-added service for *{account}*, beyond the agreed service. The manager is asked by DM.")
                .format(account=account_name)),
        _input(field_block("what"), _("What — the service"), _text(
            max_length=MAX_WHAT, multiline=True, placeholder=_("e.g. a free security health check"))),
        _input(field_block("schedule"), _("When"), _text(
            max_length=MAX_SCHEDULE, placeholder=_("next friday 10:00, or every quarter on working day 5 at 10:00")),
            hint=_("Once on a date, or a repeating rule as /meeting reads them; holidays move to working days.")),
        _input(field_block("cost"), _("Estimated cost"), _text(max_length=16, placeholder="1200"),
               hint=_("A whole amount; 0 if it costs only effort.")),
        _input(field_block("effort"), _("Estimated effort"), _text(
            max_length=MAX_EFFORT, placeholder=_("e.g. two engineer-days")), optional=True),
    ]
    for key in PRINCIPLES:
        blocks.append(_input(principle_block(key), principle_label(key), CheckboxesElement(
            action_id=Action.SERVICE_INPUT, options=[Option(value=AFFIRMED, text=_("Affirmed"))]), optional=True))
        blocks.append(_input(note_block(key), _("Why — a note"), _text(max_length=MAX_NOTE), optional=True))
    blocks.append(context(_("A manager can approve it only when all four principles are affirmed and its cost is "
                            "within the account's budget for value-added services.")))
    return View(type="modal", callback_id=ViewId.SERVICE_PROPOSAL, private_metadata=private_metadata,
                title=PlainTextObject(text=cut(_("Value-added service"), 24)),
                submit=PlainTextObject(text=_("Propose")), close=PlainTextObject(text=_("Cancel")),
                blocks=blocks).to_dict()


def proposal_metadata(account_id: int | None, channel_id: str | None) -> str:
    """The modal's private metadata: the account, and where to reply."""
    return json.dumps({"account_id": account_id, "channel": channel_id})


def _standing(status: ServiceStatus, approver: str) -> str:
    return {ServiceStatus.PENDING: _("waiting for {who}"), ServiceStatus.APPROVED: _("approved by {who}"),
            ServiceStatus.DECLINED: _("declined by {who}")}[status].format(who=user(approver))


def _principle_lines(principles: tuple[tuple[str, bool, str], ...]) -> list[str]:
    return [("✅ " if affirmed else "❌ ") + principle_label(key) + (f" — {note}" if note else "")
            for key, affirmed, note in principles]


def render_service_approval(card: ServiceApprovalCard) -> Rendered:
    """The DM asking the manager to approve a proposal; once decided, updated in place without the buttons."""
    values = {"id": card.id, "account": card.account, "who": user(card.proposed_by)}
    if card.status == ServiceStatus.PENDING:
        text = _("{who} proposes value-added service #{id} for *{account}*.").format(**values)
    else:
        text = _("Value-added service #{id} for *{account}* is {standing}.").format(
            standing=_standing(card.status, card.approver), **values)
    budget = str(card.budget) if card.budget is not None else _("none set (you decide)")
    details = [_("• *What:* {what}").format(what=card.what),
               _("• *When:* {schedule} (first {first})").format(schedule=card.schedule,
                                                                 first=when(card.first_at, card.tz)),
               _("• *Cost:* {cost} (budget {budget})").format(cost=card.cost, budget=budget)]
    if card.effort:
        details.append(_("• *Effort:* {effort}").format(effort=card.effort))
    blocks = [section("🎁 " + text), section("\n".join(details)), section("\n".join(_principle_lines(card.principles)))]
    if card.status == ServiceStatus.PENDING:
        blocks.append(ActionsBlock(block_id=f"service_{card.id}", elements=[
            ButtonElement(text=_("Approve"), action_id=Action.SERVICE_APPROVE, value=str(card.id), style="primary"),
            ButtonElement(text=_("Decline"), action_id=Action.SERVICE_DECLINE, value=str(card.id)),
        ]).to_dict())
    return Rendered(text=text, blocks=blocks)


def render_service_decided(card: ServiceDecidedCard) -> Rendered:
    """The DM telling the proposer their service was approved or declined."""
    text = _("Your value-added service #{id} for *{account}* (“{what}”) was {standing}.").format(
        id=card.id, account=card.account, what=cut(card.what, 200), standing=_standing(card.status, card.approver))
    return Rendered(text=text, blocks=[section("🎁 " + text)])


def render_service_reminder(card: ServiceReminderCard) -> Rendered:
    """The owner's reminder a working day before an occurrence."""
    text = _("Value-added service #{id} for *{account}* is due {when}: {what}").format(
        id=card.id, account=card.account, when=when(card.at, card.tz), what=cut(card.what, 300))
    how = _("Once delivered: *Done*, or `/service done {id} <what was done>`.").format(id=card.id)
    done = ActionsBlock(block_id=f"service_done_{card.id}", elements=[
        ButtonElement(text=_("Done"), action_id=Action.SERVICE_DONE, value=str(card.id), style="primary")]).to_dict()
    return Rendered(text=text, blocks=[section("🎁 " + text), done, context(how)])


def build_done_modal(service_id: int, *, channel_id: str | None) -> dict[str, Any]:
    """The note of a delivery, asked by the reminder's Done button."""
    blocks = [_input(Block.SERVICE_DONE_NOTE, _("What was delivered"), _text(max_length=MAX_NOTE, multiline=True))]
    return View(type="modal", callback_id=ViewId.SERVICE_DONE,
                private_metadata=json.dumps({"service_id": service_id, "channel": channel_id}),
                title=PlainTextObject(text=cut(_("Service delivered"), 24)), submit=PlainTextObject(text=_("Record")),
                close=PlainTextObject(text=_("Cancel")), blocks=blocks).to_dict()


def build_service_done(delivered: ServiceDelivered) -> str:
    """The note after recording a delivery."""
    return _("Recorded the delivery of value-added service #{id} for *{account}* ({count} so far).").format(
        id=delivered.service.id, account=delivered.account.name, count=delivered.count)


def build_proposal_recorded(recorded: ServiceRecorded) -> Reply:
    """The note to the proposer after submitting."""
    service = recorded.service
    text = _("Proposed value-added service #{id} for *{account}*; {approver} is asked to approve it. You'll get a "
             "DM when it is decided.").format(id=service.id, account=recorded.account.name,
                                              approver=user(service.approver))
    return text, [section(text)]


def build_service_decided(decision: ServiceDecision) -> str:
    """The note to the manager after a click."""
    service = decision.service
    values = {"id": service.id, "account": decision.account.name, "who": user(service.created_by)}
    if decision.changed and service.status == ServiceStatus.APPROVED:
        return _("You approved value-added service #{id} for {account}; {who} is told.").format(**values)
    if decision.changed:
        return _("You declined value-added service #{id} for {account}; {who} is told.").format(**values)
    return _("Value-added service #{id} for {account} is already {standing}.").format(
        standing=_standing(ServiceStatus(service.status), service.approver), **values)
