"""The drafted report's DM (with its files and Edit and submit), the Edit and submit modal, and the receipt."""

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
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.calendar.recurrence import period_label
from bot.calendar.when import describe
from bot.platform.cards import Rendered
from bot.platform.i18n import _
from bot.platform.text import cut
from bot.report.cards import ReportDraftCard
from bot.report.files import report_files
from bot.report.periods import period_slug
from bot.report.submission import MAX_KEY_ISSUES, MAX_PRESET_NAME, EditForm, SubmittedReport
from handlers.blocks.common import Reply, channel, context, section, user
from handlers.ids import Action, Block
from handlers.ids import View as ViewId


def report_block(field: str) -> str:
    """The block id of one Edit and submit field."""
    return f"{Block.REPORT_FIELD}_{field}"


def render_report_draft(card: ReportDraftCard) -> Rendered:
    """The drafted report, DM'd with its files and **Edit and submit**; once submitted, edited to say by whom."""
    values = {"account": card.report.account_name, "period": period_label(card.report.scope.period)}
    if card.submitted_by:
        text = _("✅ Submitted by {who}: the service report of *{account}* on {period}.").format(
            who=user(card.submitted_by), **values)
        return Rendered(text=text, blocks=[section(text)])
    text = _("📝 The service report of *{account}* on {period} is drafted from the record: its PDF, Markdown and "
             "charts are below. Write the key issues and improvement plan, choose what the customer sees, and submit "
             "it by {due}.").format(due=describe(card.due_at, card.zone), **values)
    button = ButtonElement(text=_("Edit and submit"), action_id=Action.REPORT_EDIT, value=str(card.report_id),
                           style="primary")
    blocks = [section(text), ActionsBlock(block_id=f"report_draft_{card.report_id}", elements=[button]).to_dict(),
              context(_("This draft is internal: it holds every section. The customer version holds only the "
                        "sections you tick."))]
    return Rendered(text=text, blocks=blocks, files=tuple(report_files(card.report)))


def build_edit_modal(form: EditForm) -> dict[str, Any]:
    """Edit and submit: key issues and improvement plan, the customer's sections, a reader's saved choice, posting."""
    options = [Option(text=title[:75], value=key) for key, title in form.shareable]
    ticked = [option for option in options if option.value in form.chosen]
    blocks: list[InputBlock | dict[str, Any]] = [
        section(_("The service report of *{account}* on {period}.").format(account=form.account_name,
                                                                          period=period_label(form.period))),
        InputBlock(block_id=report_block("key_issues"), optional=True,
                   label=PlainTextObject(text=_("Key issues and improvement plan")),
                   element=PlainTextInputElement(action_id=Action.REPORT_INPUT, multiline=True,
                                                 initial_value=form.key_issues or None, max_length=MAX_KEY_ISSUES)),
        InputBlock(block_id=report_block("sections"), label=PlainTextObject(text=_("Sections in the customer version")),
                   optional=True, element=CheckboxesElement(action_id=Action.REPORT_INPUT, options=options,
                                                            initial_options=ticked or None)),
    ]
    if form.presets:
        readers = [Option(text=name[:75], value=name) for name, _sections in form.presets]
        blocks.append(InputBlock(block_id=report_block("preset"), optional=True,
                                 label=PlainTextObject(text=_("Or use a reader's saved choice")),
                                 element=StaticSelectElement(action_id=Action.REPORT_INPUT, options=readers)))
    blocks.append(InputBlock(block_id=report_block("save_as"), optional=True,
                             label=PlainTextObject(text=_("Save the ticked sections for a reader named")),
                             element=PlainTextInputElement(action_id=Action.REPORT_INPUT, max_length=MAX_PRESET_NAME,
                                                           placeholder=PlainTextObject(text=_("e.g. CIO")))))
    if form.shared_channel:
        post = Option(text=_("Post the customer version in the shared channel"), value="on")
        blocks.append(InputBlock(block_id=report_block("post"), optional=True,
                                 label=PlainTextObject(text=_("Share with the customer")),
                                 element=CheckboxesElement(action_id=Action.REPORT_INPUT, options=[post])))
        blocks.append(context(_("Only the ticked shareable sections go to {channel}; supplier scores, disputes, risks "
                                "and internal notes never do.").format(channel=channel(form.shared_channel))))
    metadata = json.dumps({"report_id": form.report_id})
    return View(type="modal", callback_id=ViewId.REPORT_EDIT, private_metadata=metadata,
                title=PlainTextObject(text=_("Service report")), submit=PlainTextObject(text=_("Submit")),
                close=PlainTextObject(text=_("Cancel")), blocks=blocks).to_dict()


def build_report_submitted(done: SubmittedReport) -> Reply:
    """What the submitter is told."""
    values = {"account": done.account.name, "period": period_label(done.internal.scope.period)}
    text = _("Submitted the service report of *{account}* on {period}: its deadline is met and reminders stop. The "
             "internal and customer versions are sent to {owner} by DM.").format(owner=user(done.owner), **values)
    if done.channel:
        text += " " + _("The customer version is posted in {channel}.").format(channel=channel(done.channel))
    return text, [section(text)]


def build_files_not_sent(done: SubmittedReport, problem: str) -> Reply:
    """The report is submitted, but Slack took none or only some of its files."""
    period = done.internal.scope.period
    text = _("Submitted the service report of *{account}* on {period}, but its files could not be sent ({problem}). "
             "Get the internal version with `/rapport report {account} {slug}`.").format(
        account=done.account.name, period=period_label(period), problem=cut(problem, 100), slug=period_slug(period))
    return text, [section(text)]
