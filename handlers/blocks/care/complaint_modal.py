"""The complaint modals: log a complaint (from /complaint or a message), and resolve one."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import InputBlock, Option, PlainTextInputElement, PlainTextObject, StaticSelectElement
from slack_sdk.models.views import View

from bot.care.complaints import MAX_RESOLUTION, MAX_SUMMARY
from bot.platform.i18n import _
from bot.platform.text import cut
from handlers.blocks.care.complaint import severity_label
from handlers.blocks.common import context, quoted, section
from handlers.ids import Action, Block
from handlers.ids import View as ViewId
from storage.care.complaints import ComplaintSeverity


def _severity_select(initial: ComplaintSeverity) -> StaticSelectElement:
    options = [Option(text=severity_label(s.value), value=s.value) for s in ComplaintSeverity]
    chosen = next(option for option in options if option.value == initial.value)
    return StaticSelectElement(action_id=Action.COMPLAINT_INPUT, options=options, initial_option=chosen)


def build_new_complaint_modal(*, private_metadata: str, account_name: str | None, summary: str = "",
                              complainant: str | None = None) -> dict[str, Any]:
    """Log a complaint: the account (prefilled from the channel's link), a summary and a severity."""
    blocks: list[Any] = []
    if complainant:
        blocks.append(section(_("From {who}'s message. Check the summary and the severity, then log it.").format(
            who=f"<@{complainant}>")))
    blocks += [
        InputBlock(block_id=Block.COMPLAINT_ACCOUNT, label=PlainTextObject(text=_("Account")),
                   element=PlainTextInputElement(action_id=Action.COMPLAINT_INPUT, initial_value=account_name or None,
                                                 max_length=80, placeholder=PlainTextObject(text="Acme Corp"))),
        InputBlock(block_id=Block.COMPLAINT_SUMMARY, label=PlainTextObject(text=_("What is the complaint?")),
                   element=PlainTextInputElement(action_id=Action.COMPLAINT_INPUT, multiline=True,
                                                 initial_value=cut(summary, MAX_SUMMARY) or None,
                                                 max_length=MAX_SUMMARY)),
        InputBlock(block_id=Block.COMPLAINT_SEVERITY, label=PlainTextObject(text=_("Severity")),
                   element=_severity_select(ComplaintSeverity.NORMAL)),
        context(_("SLA (business hours) — critical 1h/4h · high 4h/24h · normal 8h/48h · low 24h/120h to "
                  "acknowledge/resolve, unless the account sets its own.")),
    ]
    return View(type="modal", callback_id=ViewId.COMPLAINT_NEW, private_metadata=private_metadata,
                title=PlainTextObject(text=_("Log complaint")), submit=PlainTextObject(text=_("Log it")),
                close=PlainTextObject(text=_("Cancel")), blocks=blocks).to_dict()


def build_resolve_modal(*, complaint_id: int, summary: str, private_metadata: str) -> dict[str, Any]:
    """Ask how a complaint was resolved."""
    return View(
        type="modal", callback_id=ViewId.COMPLAINT_RESOLVE, private_metadata=private_metadata,
        title=PlainTextObject(text=_("Resolve #{id}").format(id=complaint_id)),
        submit=PlainTextObject(text=_("Resolve")), close=PlainTextObject(text=_("Cancel")),
        blocks=[
            section(quoted(summary, 1000)),
            InputBlock(block_id=Block.COMPLAINT_RESOLUTION, label=PlainTextObject(text=_("How was it resolved?")),
                       element=PlainTextInputElement(action_id=Action.COMPLAINT_INPUT, multiline=True,
                                                     max_length=MAX_RESOLUTION)),
            context(_("The customer who raised it gets a short satisfaction survey afterwards.")),
        ],
    ).to_dict()
