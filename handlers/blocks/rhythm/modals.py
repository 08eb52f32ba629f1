"""The rhythm's modals: an account's service agreement, and a meeting's minutes with its action items."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    CheckboxesElement,
    InputBlock,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.calendar.recurrence import MAX_WORKING_DAY, Frequency
from bot.calendar.when import describe
from bot.platform.i18n import _
from bot.rhythm.agreements import AgreementForm
from bot.rhythm.minutes import MAX_NOTES, MinutesTarget
from handlers.blocks.common import context, section
from handlers.ids import Action, Block
from handlers.ids import View as ViewId

ACTION_ROWS = 3


def agreement_block(field: str) -> str:
    """The block id of one agreement field."""
    return f"{Block.AGREEMENT_FIELD}_{field}"


def action_block(field: str, row: int) -> str:
    """The block id of one part (text, owner, due) of an action item row."""
    return f"{Block.MINUTES_ACTION}_{field}_{row}"


def _day_input(field: str, label: str, value: int) -> InputBlock:
    most = MAX_WORKING_DAY[Frequency.QUARTER]
    return InputBlock(block_id=agreement_block(field), label=PlainTextObject(text=label),
                      element=NumberInputElement(action_id=Action.AGREEMENT_INPUT, is_decimal_allowed=False,
                                                 initial_value=str(value), min_value="1", max_value=str(most)))


def build_agreement_modal(form: AgreementForm, *, channel: str | None) -> dict[str, Any]:
    """The service agreement of an account: cycle, report and review working days, review time, customer reminders.

    `channel`, where it was opened from, gets the receipt.
    """
    cycles = [Option(text=_("Weekly"), value=Frequency.WEEK.value),
              Option(text=_("Monthly"), value=Frequency.MONTH.value),
              Option(text=_("Quarterly"), value=Frequency.QUARTER.value)]
    shared = Option(text=_("Also remind the customer in the shared channel (title and time only)"), value="on")
    blocks: list[InputBlock | dict[str, Any]] = [
        section(_("How *{account}* and we review the service together (定期沟通).").format(account=form.account_name)),
        InputBlock(block_id=agreement_block("cycle"), label=PlainTextObject(text=_("Review cycle")),
                   element=StaticSelectElement(action_id=Action.AGREEMENT_INPUT, options=cycles,
                                               initial_option=next(o for o in cycles if o.value == form.cycle))),
        _day_input("report_day", _("Service report due by working day … of the next period"), form.report_day),
        _day_input("review_day", _("Review meeting by working day … of the next period"), form.review_day),
        InputBlock(block_id=agreement_block("review_time"), label=PlainTextObject(text=_("Review meeting time")),
                   element=PlainTextInputElement(action_id=Action.AGREEMENT_INPUT, initial_value=form.review_time,
                                                 max_length=5, placeholder=PlainTextObject(text="10:00"))),
        InputBlock(block_id=agreement_block("shared"), label=PlainTextObject(text=_("Customer reminders")),
                   optional=True,
                   element=CheckboxesElement(action_id=Action.AGREEMENT_INPUT, options=[shared],
                                             initial_options=[shared] if form.shared_reminders else None)),
        context(_("Working days follow the account's calendar: holidays are skipped and official make-up working "
                  "days count. Example: monthly, report by working day 5, review by working day 10.")),
    ]
    metadata = json.dumps({"account_id": form.account_id, "channel": channel})
    return View(type="modal", callback_id=ViewId.AGREEMENT, private_metadata=metadata,
                title=PlainTextObject(text=_("Service agreement")), submit=PlainTextObject(text=_("Save")),
                close=PlainTextObject(text=_("Cancel")), blocks=blocks).to_dict()


def build_minutes_modal(target: MinutesTarget, *, channel: str | None) -> dict[str, Any]:
    """The minutes of one meeting: notes, and up to three action items (what, who, by when).

    `channel`, where it was opened from, gets the receipt.
    """
    title = target.meeting.title
    blocks: list[InputBlock | dict[str, Any]] = [
        section(_("*{title}* with {account} — {when}").format(title=title, account=target.account.name,
                                                             when=describe(target.occurrence.starts_at, target.zone))),
        InputBlock(block_id=Block.MINUTES_NOTES, label=PlainTextObject(text=_("Notes")), optional=True,
                   element=PlainTextInputElement(action_id=Action.MINUTES_INPUT, multiline=True, max_length=MAX_NOTES,
                                                 placeholder=PlainTextObject(text=_("What was reviewed and agreed")))),
    ]
    for row in range(1, ACTION_ROWS + 1):
        blocks += [
            InputBlock(block_id=action_block("text", row), optional=True,
                       label=PlainTextObject(text=_("Action item {n}").format(n=row)),
                       element=PlainTextInputElement(action_id=Action.MINUTES_INPUT, max_length=500,
                                                     placeholder=PlainTextObject(text=_("What is to be done")))),
            InputBlock(block_id=action_block("owner", row), optional=True, label=PlainTextObject(text=_("Owner")),
                       element=UserSelectElement(action_id=Action.MINUTES_INPUT)),
            InputBlock(block_id=action_block("due", row), optional=True, label=PlainTextObject(text=_("Due")),
                       element=PlainTextInputElement(action_id=Action.MINUTES_INPUT, max_length=60,
                                                     placeholder=PlainTextObject(text=_("friday, in 3 working days, "
                                                                                        "下周一")))),
        ]
    blocks.append(context(_("Each owner is reminded on the due day, and once more if it is overdue.")))
    metadata = json.dumps({"occurrence_id": target.occurrence.id, "channel": channel})
    return View(type="modal", callback_id=ViewId.MEETING_MINUTES, private_metadata=metadata,
                title=PlainTextObject(text=_("Meeting minutes")), submit=PlainTextObject(text=_("Save minutes")),
                close=PlainTextObject(text=_("Cancel")), blocks=blocks).to_dict()
