"""Block Kit for *Report a problem*: the button in the shared channel, the customer's form, the neutral thanks.

Everything here is seen by the customer's people: no account data, no complaint numbers, no deadlines.
"""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.care.cards import ProblemReceivedCard, ReportProblemInviteCard
from bot.care.complaints import MAX_SUMMARY
from bot.care.report_problem import Urgency, Welcomed
from bot.platform.cards import Rendered
from bot.platform.i18n import _
from handlers.blocks.common import Reply, channel, section, user
from handlers.ids import Action, Block
from handlers.ids import View as ViewId


def urgency_label(urgency: Urgency) -> str:
    """How urgent, in the customer's words."""
    return {Urgency.BLOCKING: _("It stops our work"), Urgency.SOON: _("It needs fixing soon"),
            Urgency.WHENEVER: _("When you can")}[urgency]


def render_report_problem_invite(card: ReportProblemInviteCard) -> Rendered:
    """The button a customer presses to tell us about a problem."""
    text = _("Something not working? Tell us here and the team will pick it up — or just write in this channel.")
    button = ButtonElement(text=_("Report a problem"), action_id=Action.REPORT_PROBLEM, value="report",
                           style="primary")
    return Rendered(text=text, blocks=[section(text), ActionsBlock(elements=[button]).to_dict()])


def render_problem_received(card: ProblemReceivedCard) -> Rendered:
    """The neutral thanks in the shared channel."""
    text = _("Thanks {reporter}, we've received your report and will get back to you here.").format(
        reporter=user(card.reporter))
    return Rendered(text=text, blocks=[section(text)])


def build_report_problem_modal(*, channel_id: str) -> dict[str, Any]:
    """The customer's form: what happened, and how urgent it is."""
    options = [Option(text=urgency_label(u), value=u.value) for u in Urgency]
    return View(
        type="modal", callback_id=ViewId.REPORT_PROBLEM, private_metadata=channel_id,
        title=PlainTextObject(text=_("Report a problem")), submit=PlainTextObject(text=_("Send")),
        close=PlainTextObject(text=_("Cancel")),
        blocks=[
            InputBlock(block_id=Block.PROBLEM_WHAT, label=PlainTextObject(text=_("What happened?")),
                       element=PlainTextInputElement(action_id=Action.PROBLEM_INPUT, multiline=True,
                                                     max_length=MAX_SUMMARY)),
            InputBlock(block_id=Block.PROBLEM_URGENCY, label=PlainTextObject(text=_("How urgent is it?")),
                       element=StaticSelectElement(action_id=Action.PROBLEM_INPUT, options=options,
                                                   initial_option=options[1])),
        ],
    ).to_dict()


def build_welcome_posted(welcomed: Welcomed) -> Reply:
    """The receipt for whoever asked for the button."""
    where = ", ".join(channel(c) for c in welcomed.channels)
    text = _("Posted the *Report a problem* button for *{account}* in {channels}. A customer's report becomes a "
             "complaint with its card in the internal channel; they see only a neutral thanks.").format(
        account=welcomed.account, channels=where)
    return text, [section(text)]
