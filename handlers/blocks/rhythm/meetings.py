"""Block Kit for meetings: replies to /meeting, meeting reminders (internal, with the review agenda; and the
customer's, with only title and time), and the account view's agreement lines.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.calendar.recurrence import Frequency, Period, describe_rule, parse_rule, period_label
from bot.calendar.when import describe
from bot.platform.cards import Rendered
from bot.platform.i18n import _, ngettext
from bot.platform.text import cut, safe_text
from bot.rhythm.cards import (
    AgendaReport,
    MeetingCustomerReminderCard,
    MeetingPartyReminderCard,
    MeetingReminderCard,
    ReviewAgenda,
)
from bot.rhythm.meeting_reminders import SNOOZES, Snoozed
from bot.rhythm.meetings import MeetingList, Scheduled
from handlers.blocks.care.complaint import severity_label
from handlers.blocks.common import Reply, context, divider, header, join_names, local_day, section, user
from handlers.blocks.suppliers.dispute_mediation import clause_summary
from handlers.ids import Action
from storage.rhythm.agreements import AgreementSummary
from storage.rhythm.meetings import Meeting, MeetingOccurrence, ReminderStage

TITLE_LIMIT = 150


def period_of(start: date, end: date) -> Period:
    """The week, month or quarter from its first day and the day after its last."""
    days = (end - start).days
    frequency = Frequency.WEEK if days == 7 else Frequency.MONTH if days <= 31 else Frequency.QUARTER
    return Period(frequency, start)


def rhythm_line(cycle: str, report_day: int, review_day: int, review_time: str) -> str:
    """"monthly — report by working day 5, review by working day 10 at 10:00"."""
    cycles = {"week": _("weekly"), "month": _("monthly"), "quarter": _("quarterly")}
    return _("{cycle} — service report by working day {report} of the next period, review meeting by working day "
             "{review} at {time}").format(cycle=cycles[cycle], report=report_day, review=review_day, time=review_time)


def review_when(occurrence: MeetingOccurrence, zone: ZoneInfo) -> str:
    """"Mon 14 Dec 10:00 CST (reviewing November 2026)"."""
    moment = describe(occurrence.starts_at, zone)
    if occurrence.period_start is None or occurrence.period_end is None:
        return moment
    period = period_label(period_of(occurrence.period_start, occurrence.period_end))
    return _("{when} (reviewing {period})").format(when=moment, period=period)


def agreement_lines(summary: AgreementSummary, *, zone: ZoneInfo) -> list[str]:
    """The account view's lines about its service agreement."""
    agreement = summary.agreement
    if agreement is None:
        return [_("*Service agreement:* not set — set its review cycle with the button below")]
    lines = [_("*Service agreement:* {rhythm}").format(rhythm=rhythm_line(
        agreement.cycle, agreement.report_day, agreement.review_day, agreement.review_time))]
    if summary.next_review:
        lines.append(_("*Next review meeting:* {review}").format(review=review_when(summary.next_review, zone)))
    if summary.next_report:
        report = summary.next_report
        period = period_label(Period(Frequency(report.cycle), report.period_start))
        lines.append(_("*Next service report due:* {when} (on {period})").format(
            when=describe(report.due_at, zone), period=period))
    clause = clause_summary(agreement.dispute_clause)
    return [*lines, clause] if clause else lines


def agreement_button(account_id: int, *, exists: bool) -> dict[str, Any]:
    """The account view's button opening the agreement modal."""
    label = _("Service agreement…") if exists else _("Set service agreement…")
    return ActionsBlock(block_id="account_agreement", elements=[
        ButtonElement(text=label, action_id=Action.AGREEMENT_OPEN, value=str(account_id))]).to_dict()


def _people(people: list[str]) -> str:
    return join_names([user(person) for person in people])


def build_meeting_scheduled(scheduled: Scheduled, *, owner: str | None) -> Reply:
    """Confirm a new meeting and echo when it will be, so a misreading can be corrected."""
    meeting, zone = scheduled.meeting, scheduled.zone
    shown = " · ".join(describe(moment, zone) for moment in scheduled.upcoming)
    if scheduled.rule:
        text = _("Scheduled *{title}* with *{account}*, {rule}. Next: {dates}.").format(
            title=meeting.title, account=scheduled.account.name, rule=describe_rule(scheduled.rule), dates=shown)
    else:
        text = _("Scheduled *{title}* with *{account}* on {date}.").format(
            title=meeting.title, account=scheduled.account.name, date=shown)
    people = list(dict.fromkeys(([owner] if owner else []) + scheduled.attendees))
    note = _("Meeting {id} · reminders to {people} one working day and one hour before · cancel with "
             "`/meeting cancel {id}`").format(id=meeting.id, people=_people(people))
    if scheduled.parties:
        note += "\n" + _("Also invited: {parties}. Each party is reminded once in its shared channel (or its people "
                         "by DM) with the title, the time and the parties' names only.").format(
            parties=join_names([party.name for party in scheduled.parties]))
    return text + "\n" + note, [section(text), context(note)]


def build_meeting_list(listing: MeetingList) -> Reply:
    """Upcoming meetings (and an account's pending report deadlines)."""
    zone = listing.zone
    title = _("Upcoming meetings with {account}").format(account=listing.account.name) if listing.account \
        else _("Upcoming meetings")
    lines = []
    for slot in listing.meetings:
        repeat = f" · {describe_rule(parse_rule(slot.rule))}" if slot.rule else ""
        account = "" if listing.account else f" · {slot.account_name}"
        lines.append(f"• {describe(slot.starts_at, zone)} — *{cut(slot.title, TITLE_LIMIT)}*{account}{repeat} "
                     f"(#{slot.meeting_id})")
    body = "\n".join(lines) or _("No meetings planned. Schedule one: `/meeting Acme Corp: Weekly sync every tuesday "
                                 "15:00`")
    blocks = [header(title), section(body)]
    if listing.deadlines and listing.account:  # deadlines are listed for one account
        reports = "\n".join(
            _("• {account}: report on {period} due {when}").format(
                account=d.account_name, period=period_label(Period(Frequency(d.cycle), d.period_start)),
                when=describe(d.due_at, zone)) for d in listing.deadlines)
        blocks += [section(_("*Service reports waiting*") + "\n" + reports),
                   context(_("Mark one done: `/meeting report {account} submitted`").format(
                       account=listing.account.name))]
        body += "\n" + reports
    return f"{title}\n{body}", blocks


def build_meeting_cancelled(meeting: Meeting, cancelled: int) -> Reply:
    """Confirm a cancelled meeting."""
    text = _("Cancelled *{title}* (meeting {id}).").format(title=meeting.title, id=meeting.id)
    if cancelled:
        text += " " + ngettext("Its next occurrence is off, with its reminders.",
                               "Its {n} occurrences to come are off, with their reminders.",
                               cancelled).format(n=cancelled)
    return text, [section(text)]


def build_snooze_note(snoozed: Snoozed) -> str:
    """The snoozer's receipt."""
    at = describe(snoozed.remind_at, snoozed.zone)
    if snoozed.new:
        return _("Snoozed — I'll remind you again {when}.").format(when=at)
    return _("Already snoozed — I'll remind you again {when}.").format(when=at)


def _reminder_buttons(card: MeetingReminderCard) -> dict[str, Any]:
    value = f"{card.occurrence_id}:{card.stage.value}:{card.generation}"
    labels = {"30m": _("Snooze 30 min"), "1h": _("Snooze 1 h"), "1d": _("Snooze 1 day")}
    buttons = [ButtonElement(text=labels[delay], action_id=f"{Action.MEETING_SNOOZE}_{delay}", value=value)
               for delay in SNOOZES]
    buttons.append(ButtonElement(text=_("Done"), action_id=Action.MEETING_DONE, value=str(card.occurrence_id),
                                 style="primary"))
    return ActionsBlock(block_id=f"meeting_reminder_{card.occurrence_id}", elements=buttons).to_dict()


def render_meeting_reminder(card: MeetingReminderCard) -> Rendered:
    """The internal reminder DM: title, account, time; the review agenda on the first one; Snooze and Done."""
    moment = describe(card.starts_at, card.zone)
    title = cut(card.title, TITLE_LIMIT)
    if card.generation:
        lead = _("Snoozed reminder: *{title}* with {account} — {when}.")
    elif card.stage == ReminderStage.HOUR:
        lead = _("In one hour: *{title}* with {account} — {when}.")
    else:
        lead = _("Coming up: *{title}* with {account} — {when}.")
    text = lead.format(title=title, account=card.account, when=moment)
    blocks = [section("📅 " + text)]
    if card.parties:
        blocks.append(context(_("With {parties}; each is reminded with only the title, the time and the parties' "
                                "names.").format(parties=join_names(list(card.parties)))))
    if card.agenda:
        blocks += agenda_blocks(card.agenda, zone=card.zone)
    blocks.append(_reminder_buttons(card))
    blocks.append(context(_("Done opens the minutes: notes and action items.")))
    return Rendered(text=text, blocks=blocks)


def agenda_blocks(agenda: ReviewAgenda, *, zone: ZoneInfo) -> list[dict[str, Any]]:
    """The review's internal agenda: service achieved, key issues still open, open action items (due days in `zone`)."""
    period = period_label(period_of(agenda.period_start, agenda.period_end))
    complaints, csat = agenda.complaints, agenda.csat
    satisfaction = _("CSAT {average:.1f}/5 from {answers}").format(
        average=csat.average, answers=ngettext("{n} answer", "{n} answers", csat.answers).format(
            n=csat.answers)) if csat.answers else _("no survey answers")
    achieved = "\n".join([
        _("• Complaints: {opened} opened · {resolved} resolved · {breached} breached an SLA").format(
            opened=complaints.opened, resolved=complaints.resolved, breached=complaints.breached),
        _("• Satisfaction: {csat}").format(csat=satisfaction),
        _("• Praise received: {count}").format(count=agenda.praise),
    ])
    issues = "\n".join(
        f"• #{issue.id} ({severity_label(issue.severity)}"
        f"{', ' + _('SLA breached') if issue.breached else ''}) {safe_text(issue.summary, 200)}"
        for issue in agenda.issues) or _("• None open")
    actions = "\n".join(
        _("• {text} — {owner}, due {due}{late}").format(
            text=safe_text(item.text, 200), owner=user(item.owner), due=local_day(item.due_at, zone),
            late=" " + _("(overdue)") if item.overdue else "") for item in agenda.actions) or _("• None open")
    more = agenda.actions_total - len(agenda.actions)
    if more > 0:
        actions += "\n" + _("…and {n} more").format(n=more)
    return [
        divider(),
        header(_("Agenda — review of {period}").format(period=period)),
        *([_report_section(agenda.report)] if agenda.report else []),
        section(_("*Service achieved in {period}*").format(period=period) + "\n" + achieved),
        section(_("*Key issues still open*") + "\n" + issues),
        section(_("*Open action items*") + "\n" + actions),
        context(_("Internal — never shown to the customer. Agree an improvement plan and record it as action items.")),
    ]


def _report_section(report: AgendaReport) -> dict[str, Any]:
    """The latest submitted service report, linked."""
    period = period_label(Period(report.cycle, report.period_start))
    name = safe_text(report.name, 200) or _("service report")
    shown = f"<{report.link}|{name}>" if report.link.startswith("https://") else name
    return section(_("*Service report on {period}:* {report} — submitted by {who}").format(
        period=period, report=shown, who=user(report.submitted_by)))


def render_meeting_customer_reminder(card: MeetingCustomerReminderCard) -> Rendered:
    """The customer-facing reminder in the shared channel: only the title and the time."""
    text = _("Reminder: {title} — {when}").format(title=safe_text(card.title, TITLE_LIMIT),
                                                   when=describe(card.starts_at, card.zone))
    return Rendered(text=text, blocks=[section("📅 " + text)])


def render_meeting_party_reminder(card: MeetingPartyReminderCard) -> Rendered:
    """A multi-party meeting's reminder to one party: only the title, the time and the parties' names."""
    text = _("Reminder: {title} — {when}").format(title=safe_text(card.title, TITLE_LIMIT),
                                                   when=describe(card.starts_at, card.zone))
    with_whom = _("With {parties}").format(parties=join_names([safe_text(name, 80) for name in card.parties]))
    return Rendered(text=f"{text} · {with_whom}", blocks=[section("📅 " + text), context(with_whom)])
