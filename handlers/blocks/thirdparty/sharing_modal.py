"""The information-sharing agreement modal: why, what, where, when, who, how, approved by, valid until (5W1H)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from enum import StrEnum
from typing import Any, TypeVar

from slack_sdk.models.blocks import (
    CheckboxesElement,
    ConversationFilter,
    ConversationSelectElement,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
    UserMultiSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.platform.i18n import _
from bot.platform.text import cut
from bot.thirdparty.sharing import MAX_PURPOSE, MAX_SCHEDULE
from handlers.blocks.common import context
from handlers.ids import Action, Block
from handlers.ids import View as ViewId
from storage.thirdparty.sharing import SharedKind, SharingMethod, SharingWindow

E = TypeVar("E", bound=StrEnum)


def kind_label(kind: SharedKind) -> str:
    """A kind of information in words."""
    return {SharedKind.COMPLAINTS: _("Complaint figures (open, past their SLA)"),
            SharedKind.DISPUTES: _("Supplier dispute figures (open, by level)"),
            SharedKind.REQUESTS: _("Their own requests and where they stand")}[kind]


def window_label(window: SharingWindow) -> str:
    """When sharing may happen, in words."""
    return {SharingWindow.ANY_TIME: _("Any time"), SharingWindow.BUSINESS_HOURS: _("Business hours only")}[window]


def method_label(method: SharingMethod) -> str:
    """How information is shared, in words."""
    return {SharingMethod.SLACK: _("A summary posted in the channel"), SharingMethod.EMAIL: _("Email"),
            SharingMethod.FILE_TRANSFER: _("Secure file transfer"),
            SharingMethod.MEETING: _("Read out in a meeting")}[method]


def _input(block_id: str, label: str, element: Any, *, optional: bool = False, hint: str | None = None) -> InputBlock:
    return InputBlock(block_id=block_id, label=PlainTextObject(text=label), element=element, optional=optional,
                      hint=PlainTextObject(text=hint) if hint else None)


def _select(values: list[E], labels: Callable[[E], str], initial: E) -> StaticSelectElement:
    options = [Option(text=labels(value), value=value.value) for value in values]
    return StaticSelectElement(action_id=Action.SHARING_INPUT, options=options,
                               initial_option=next(option for option in options if option.value == initial))


def build_agreement_modal(*, account_name: str, private_metadata: str, channel_id: str | None, actor_id: str,
                          approver: str | None, until: date) -> dict[str, Any]:
    """Record what may be shared with a third party, and under whose approval."""
    kinds = [Option(text=kind_label(kind), value=kind.value) for kind in SharedKind]
    blocks: list[InputBlock | dict[str, Any]] = [
        _input(Block.SHARING_WHY, _("Why — the purpose"), PlainTextInputElement(
            action_id=Action.SHARING_INPUT, multiline=True, max_length=MAX_PURPOSE,
            placeholder=PlainTextObject(text=_("e.g. ISO 20000 surveillance audit")))),
        _input(Block.SHARING_WHAT, _("What — kinds of information"), CheckboxesElement(
            action_id=Action.SHARING_INPUT, options=kinds)),
        _input(Block.SHARING_WHERE, _("Where — the channel"), ConversationSelectElement(
            action_id=Action.SHARING_INPUT, initial_conversation=channel_id,
            filter=ConversationFilter(include=["public", "private"], exclude_bot_users=True))),
        _input(Block.SHARING_WHEN, _("When"), _select(list(SharingWindow), window_label, SharingWindow.ANY_TIME)),
        _input(Block.SHARING_SCHEDULE, _("When — the schedule, in words"), PlainTextInputElement(
            action_id=Action.SHARING_INPUT, max_length=MAX_SCHEDULE,
            placeholder=PlainTextObject(text=_("e.g. monthly, after the service review"))), optional=True),
        _input(Block.SHARING_WHO, _("Who — people allowed to share"), UserMultiSelectElement(
            action_id=Action.SHARING_INPUT, initial_users=[actor_id])),
        _input(Block.SHARING_HOW, _("How — the method"),
               _select(list(SharingMethod), method_label, SharingMethod.SLACK)),
        _input(Block.SHARING_APPROVER, _("Approved by (a manager)"),
               UserSelectElement(action_id=Action.SHARING_INPUT, initial_user=approver),
               hint=_("The manager is asked by DM; nothing is shared until they approve.")),
        _input(Block.SHARING_UNTIL, _("Valid until (the last day)"), DatePickerElement(
            action_id=Action.SHARING_INPUT, initial_date=until.isoformat())),
        context(_("Rapport refuses to share anything into {name}'s channel that an agreement does not cover, and "
                  "says what is missing.").format(name=account_name)),
    ]
    return View(type="modal", callback_id=ViewId.SHARING_AGREEMENT, private_metadata=private_metadata,
                title=PlainTextObject(text=cut(_("Sharing agreement"), 24)), submit=PlainTextObject(text=_("Record")),
                close=PlainTextObject(text=_("Cancel")), blocks=blocks).to_dict()
