"""Block Kit for the rest of the rhythm: action item and report deadline DMs, and the replies about them."""

from __future__ import annotations

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.calendar.recurrence import Frequency, Period, period_label
from bot.calendar.when import describe
from bot.platform.cards import Rendered
from bot.platform.i18n import _, ngettext
from bot.platform.text import safe_text
from bot.rhythm.action_items import Completed
from bot.rhythm.agreements import AgreementSaved, Submission
from bot.rhythm.cards import ActionItemReminderCard, ActionItemStage, ReportReminderCard, ReportStage
from bot.rhythm.minutes import Minutes
from handlers.blocks.common import Reply, context, section, user
from handlers.blocks.rhythm.meetings import review_when, rhythm_line
from handlers.ids import Action

TEXT_LIMIT = 500


def render_action_item_reminder(card: ActionItemReminderCard) -> Rendered:
    """An action item DM to its owner: assigned, due today, overdue, or done (updated in place, no button)."""
    item = "*" + safe_text(card.text, TEXT_LIMIT) + "*"
    due, account = describe(card.due_at, card.zone), card.account
    if card.stage == ActionItemStage.DONE:
        text = _("✅ Done: {item} ({account}) — completed by {who}.").format(item=item, account=account,
                                                                         who=user(card.done_by))
        return Rendered(text=text, blocks=[section(text)])
    if card.stage == ActionItemStage.ASSIGNED:
        text = _("{who} gave you an action item from the meeting with {account}: {item} — due {due}.").format(
            who=user(card.assigned_by), account=account, item=item, due=due)
    elif card.stage == ActionItemStage.DUE:
        text = _("Due today: {item} ({account}) — due {due}.").format(item=item, account=account, due=due)
    else:
        text = _("Overdue: {item} ({account}) was due {due}.").format(item=item, account=account, due=due)
    button = ButtonElement(text=_("Done"), action_id=Action.ACTION_ITEM_DONE, value=str(card.item_id),
                           style="primary")
    blocks = [section("☑️ " + text), ActionsBlock(block_id=f"action_item_{card.item_id}",
                                                 elements=[button]).to_dict()]
    return Rendered(text=text, blocks=blocks)


def render_report_reminder(card: ReportReminderCard) -> Rendered:
    """A report deadline DM to the account's owner; once submitted, updated in place without the button."""
    values = {"account": card.account, "period": period_label(Period(card.cycle, card.period_start)),
              "due": describe(card.due_at, card.zone)}
    if card.stage == ReportStage.SUBMITTED:
        text = _("✅ The service report of *{account}* on {period} was submitted by {who}.").format(
            who=user(card.submitted_by), **values)
        return Rendered(text=text, blocks=[section(text)])
    if card.stage == ReportStage.DUE:
        text = _("Due today: the service report of *{account}* on {period} — by {due}.").format(**values)
    else:
        text = _("The service report of *{account}* on {period} is due {due}, in two working days.").format(**values)
    button = ButtonElement(text=_("Report submitted"), action_id=Action.REPORT_SUBMITTED,
                           value=str(card.deadline_id), style="primary")
    blocks = [section("📝 " + text), ActionsBlock(block_id=f"report_{card.deadline_id}", elements=[button]).to_dict(),
              context(_("Reminders stop once it is marked submitted."))]
    return Rendered(text=text, blocks=blocks)


def build_agreement_saved(saved: AgreementSaved) -> Reply:
    """Confirm an agreement and say what Rapport planned from it."""
    agreement, zone, summary = saved.agreement, saved.calendar.timezone, saved.summary
    lines = [_("Saved the service agreement of *{account}*: {rhythm}.").format(
        account=saved.account.name, rhythm=rhythm_line(agreement.cycle, agreement.report_day, agreement.review_day,
                                                       agreement.review_time))]
    if summary.next_review:
        lines.append(_("Next review meeting: {review}.").format(review=review_when(summary.next_review, zone)))
    if summary.next_report:
        report = summary.next_report
        lines.append(_("Next service report due: {when} (on {period}).").format(
            when=describe(report.due_at, zone), period=period_label(Period(Frequency(report.cycle),
                                                                          report.period_start))))
    lines.append(_("Customer reminders in the shared channel: {state}.").format(
        state=_("on (title and time only)") if saved.account.meeting_reminders_shared else _("off")))
    text = "\n".join(lines)
    return text, [section(text), context(_("Rapport plans each next review and report by itself, period after "
                                           "period, and reminds the owner."))]


def build_minutes_saved(minutes: Minutes) -> Reply:
    """Confirm recorded minutes, listing the action items and their owners."""
    target = minutes.target
    text = _("Minutes of *{title}* with {account} saved.").format(title=target.meeting.title,
                                                                  account=target.account.name)
    lines = [_("• {text} — {owner}, due {due}").format(text=safe_text(item.text, 200), owner=user(item.owner_id),
                                                       due=describe(item.due_at, target.zone))
             for item in minutes.items]
    if lines:
        text += " " + ngettext("{n} action item:", "{n} action items:", len(lines)).format(n=len(lines))
        text += "\n" + "\n".join(lines)
    return text, [section(text)]


def build_item_done_note(completed: Completed) -> str | None:
    """A note for a click on Done that changed nothing (someone else, or a double click, got there first)."""
    if completed.changed:
        return None
    return _("Already done — {who} completed it.").format(who=user(completed.item.done_by))


def build_report_submitted(submission: Submission) -> Reply:
    """Confirm a report marked submitted (or that it already was)."""
    deadline = submission.deadline
    period = period_label(Period(Frequency(deadline.cycle), deadline.period_start))
    if submission.changed:
        text = _("Recorded: the service report of *{account}* on {period} is submitted. Its reminders stop.").format(
            account=submission.account.name, period=period)
    else:
        text = _("The service report of *{account}* on {period} was already marked submitted by {who}.").format(
            account=submission.account.name, period=period, who=user(deadline.submitted_by))
    return text, [section(text)]
