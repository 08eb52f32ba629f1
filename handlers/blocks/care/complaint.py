"""Block Kit for complaints: the card (updated in place), SLA notices, the customer's line, replies, lists."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.care.cards import ComplaintCard, ComplaintCustomerAckCard, ComplaintFlagCard, ComplaintSlaCard, SlaNotice
from bot.care.complaint_clock import Clock
from bot.care.complaint_flag import FLAG_COUNT, AccountComplaintSummary
from bot.care.complaint_lists import ComplaintDetail, ComplaintPage
from bot.care.complaints import Change, ComplaintAction
from bot.care.surveys import ONCE_PER
from bot.platform.cards import Rendered
from bot.platform.i18n import _, ngettext
from bot.platform.text import cut, neutralise_mentions
from handlers.blocks.common import Reply, channel, context, header, quoted, section, user, when
from handlers.ids import Action
from storage.care.complaints import ComplaintFilter, ComplaintStatus

SEVERITY_MARKS = {"critical": "🔴", "high": "🟠", "normal": "🟡", "low": "⚪"}


def severity_word(severity: str) -> str:
    """The severity in words: high."""
    return {"critical": _("critical"), "high": _("high"), "normal": _("normal"), "low": _("low")}[severity]


def severity_label(severity: str) -> str:
    """🟠 high."""
    return f"{SEVERITY_MARKS[severity]} {severity_word(severity)}"


def status_label(status: str) -> str:
    """The status in words."""
    return {"open": _("Open"), "acknowledged": _("Acknowledged"), "resolved": _("Resolved"),
            "closed": _("Closed")}[status]


def _clock_line(label: str, *, due: datetime | None, done: datetime | None, late: bool, tz: ZoneInfo,
                done_word: str) -> str:
    if done:
        after_due = due is not None and done > due
        missed = " " + _("(after its {due} deadline)").format(due=when(due, tz)) if late or after_due else ""
        return f"*{label}:* ✅ {done_word} {when(done, tz)}{missed}"
    if late:
        return f"*{label}:* 🚨 " + _("overdue since {due}").format(due=when(due, tz))
    return f"*{label}:* " + _("by {due}").format(due=when(due, tz))


def _buttons(card: ComplaintCard) -> list[ButtonElement]:
    value = str(card.id)
    if card.status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED):
        return [ButtonElement(text=_("Reopen"), action_id=Action.COMPLAINT_REOPEN, value=value)]
    buttons = []
    if not card.owner:
        buttons.append(ButtonElement(text=_("I'll take it"), action_id=Action.COMPLAINT_CLAIM, value=value,
                                     style="primary"))
    if card.status == ComplaintStatus.OPEN:
        buttons.append(ButtonElement(text=_("Acknowledge"), action_id=Action.COMPLAINT_ACKNOWLEDGE, value=value))
    buttons.append(ButtonElement(text=_("Resolve"), action_id=Action.COMPLAINT_RESOLVE, value=value))
    if card.owner:
        buttons.append(ButtonElement(text=_("I'll take it"), action_id=Action.COMPLAINT_CLAIM, value=value))
    return buttons


def render_complaint_card(card: ComplaintCard) -> Rendered:
    """The complaint card in the account's internal channel, showing its current state and buttons."""
    tz = card.tz
    title = _("Complaint #{id} · {account}").format(id=card.id, account=card.account)
    owner = user(card.owner) if card.owner else _("nobody yet — press *I'll take it*")
    source = [_("raised by {who}").format(who=user(card.complainant))] if card.complainant else []
    source.append(_("logged by {who}").format(who=user(card.created_by)))
    if card.permalink:
        source.append(f"<{card.permalink}|{_('original message')}>")
    lines = [
        _("*Severity:* {severity} · *Status:* {status}").format(severity=severity_label(card.severity),
                                                                status=status_label(card.status)),
        _("*Owner:* {owner}").format(owner=owner),
        _clock_line(_("Acknowledge"), due=card.ack_due, done=card.acknowledged_at, late=card.ack_breached,
                    tz=tz, done_word=_("acknowledged")),
    ]
    if card.status != ComplaintStatus.CLOSED:
        lines.append(_clock_line(_("Resolve"), due=card.resolve_due, done=card.resolved_at,
                                 late=card.resolve_breached, tz=tz, done_word=_("resolved")))
    else:
        lines.append(_("*Closed* {when}").format(when=when(card.closed_at, tz)))
    blocks = [header(title), section(quoted(card.summary)), section("\n".join(lines))]
    if card.resolution:
        blocks.append(section(_("*Resolution* by {who}:").format(who=user(card.resolved_by)) + "\n"
                              + quoted(card.resolution, 2000)))
    notes = [" · ".join(source)]
    if card.reopen_count:
        notes.append(ngettext("reopened once", "reopened {n} times", card.reopen_count).format(n=card.reopen_count))
    notes.append(_("`/complaint {id}` for its history").format(id=card.id))
    blocks += [ActionsBlock(block_id=f"complaint_{card.id}", elements=_buttons(card)).to_dict(),
               context(" · ".join(notes))]
    text = f"{title} ({status_label(card.status)}, {severity_word(card.severity)}): " \
           f"{cut(neutralise_mentions(card.summary), 500)}"
    return Rendered(text=text, blocks=blocks)


def render_complaint_sla(card: ComplaintSlaCard) -> Rendered:
    """An SLA notice: the 80% warning to the owner, or the escalation when a clock has run out."""
    what = _("acknowledged") if card.clock == Clock.ACK else _("resolved")
    about = _("complaint #{id} ({account}, {severity})").format(id=card.id, account=card.account,
                                                                severity=severity_label(card.severity))
    due = when(card.due, card.tz)
    if card.notice == SlaNotice.WARNING:
        text = _("⏳ Heads-up: {about} must be {what} by {due} — 80% of its time has gone.").format(
            about=about, what=what, due=due)
    else:
        text = _("🚨 SLA breached: {about} was not {what} by {due}. Owner: {owner}.").format(
            about=about, what=what, due=due, owner=user(card.owner) if card.owner else _("nobody"))
    where = _("The card is in {channel}.").format(channel=channel(card.card_channel)) if card.card_channel else ""
    blocks = [section(text), section(quoted(card.summary, 1000))]
    blocks.append(context(" ".join(filter(None, [where, _("`/complaint {id}` for details").format(id=card.id)]))))
    return Rendered(text=text, blocks=blocks)


def render_complaint_customer_ack(card: ComplaintCustomerAckCard) -> Rendered:
    """The neutral line the customer sees in their message's thread: nothing internal."""
    text = _("Thanks, we've logged this — {owner} is on it.").format(owner=user(card.owner))
    return Rendered(text=text, blocks=[section(text)])


def render_complaint_flag(card: ComplaintFlagCard) -> Rendered:
    """Three complaints from one account within 30 days."""
    text = _("⚑ *{account}* has raised {count} complaints in the last {days} days (latest: #{id}). Time for a "
             "conversation with them — see `/account {account}`.").format(
        account=card.account, count=card.count, days=card.days, id=card.complaint_id)
    return Rendered(text=text, blocks=[section(text)])


def build_complaint_opened(change: Change, *, link: str | None) -> Reply:
    """The receipt for whoever logged a complaint."""
    card = change.card
    if not change.changed:
        text = _("This message is already complaint #{id} ({status}) — nothing logged twice. "
                 "`/complaint {id}` shows it.").format(id=card.id, status=status_label(card.status).lower())
        return text, [section(text)]
    text = _("Logged complaint #{id} for *{account}* ({severity}). Acknowledge by {ack}, resolve by {resolve}.").format(
        id=card.id, account=card.account, severity=severity_label(card.severity),
        ack=when(card.ack_due, card.tz), resolve=when(card.resolve_due, card.tz))
    where = _("The card is in {channel}.").format(channel=channel(change.card_channel))
    if link:
        where += " " + _("<{link}|See it>").format(link=link)
    blocks = [section(text), context(where)]
    if change.flagged:
        flag = _("⚑ {account} has raised {count} or more complaints in 30 days: the account is flagged.").format(
            account=card.account, count=FLAG_COUNT)
        blocks.append(section(flag))
        text += "\n" + flag
    return text + " " + where, blocks


def build_complaint_changed(change: Change) -> str:
    """The ephemeral note after a button or modal: what happened, or why nothing needed to."""
    card, number = change.card, change.card.id
    tz = card.tz
    if change.changed:
        notes = {
            ComplaintAction.CLAIMED: _("Complaint #{id} is yours now.").format(id=number) + (
                " " + _("(taken over from {who})").format(who=user(change.previous_owner))
                if change.previous_owner else ""),
            ComplaintAction.ACKNOWLEDGED: _("You acknowledged complaint #{id}; its acknowledge clock has stopped. "
                                            "Resolve it by {due}.").format(id=number, due=when(card.resolve_due, tz)),
            ComplaintAction.RESOLVED: _("Resolved complaint #{id}. Thank you!").format(id=number)
            + _survey_note(change),
            ComplaintAction.REOPENED: _("Reopened complaint #{id}; a fresh resolve clock runs until {due}.").format(
                id=number, due=when(card.resolve_due, tz)),
            ComplaintAction.CLOSED: _("Closed complaint #{id}.").format(id=number),
        }
        return notes[change.action]
    status = card.status
    if status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED) and change.action != ComplaintAction.REOPENED:
        return _("Complaint #{id} is already {status} (by {who}, {at}) — nothing to do.").format(
            id=number, status=status_label(status).lower(), who=user(card.resolved_by),
            at=when(card.resolved_at or card.closed_at, tz))
    if change.action == ComplaintAction.CLAIMED:
        return _("Complaint #{id} is already yours.").format(id=number)
    if change.action == ComplaintAction.ACKNOWLEDGED:
        return _("Complaint #{id} was already acknowledged ({at}) — nothing more to do.").format(
            id=number, at=when(card.acknowledged_at, tz))
    if change.action == ComplaintAction.REOPENED:
        return _("Complaint #{id} is still open — nothing to reopen.").format(id=number)
    return _("Complaint #{id} is {status} — nothing to do.").format(id=number, status=status_label(status).lower())


def _survey_note(change: Change) -> str:
    """What resolving meant for the customer's satisfaction survey, when the complaint came from one."""
    who = change.card.complainant
    if not who:
        return ""
    if change.survey_planned:
        return " " + _("{who} will get a short satisfaction survey.").format(who=user(who))
    return " " + _("{who} was asked for feedback in the last {days} days, so no survey this time.").format(
        who=user(who), days=ONCE_PER.days)


_LIST_TITLES = {ComplaintFilter.MINE: lambda: _("Your open complaints"),
                ComplaintFilter.OPEN: lambda: _("Open complaints"),
                ComplaintFilter.BREACHED: lambda: _("Complaints past their SLA")}


def build_complaint_list(listing: ComplaintPage) -> Reply:
    """One page of a complaint list (ephemeral, internal)."""
    title = _LIST_TITLES[listing.which]() + f" ({listing.total})"
    if not listing.total:
        text = {ComplaintFilter.MINE: _("Nothing open is yours. 🎉 See `/complaint list open` for everyone's."),
                ComplaintFilter.OPEN: _("No open complaints. 🎉"),
                ComplaintFilter.BREACHED: _("No complaint is past its SLA. 🎉")}[listing.which]
        return text, [section(text)]
    lines = []
    for row in listing.rows:
        c = row.complaint
        late = " 🚨" if c.breached else ""
        owner = user(c.owner_id) if c.owner_id else _("unclaimed")
        lines.append(f"• *#{c.id}* {SEVERITY_MARKS[c.severity]} *{row.account_name}* — "
                     f"{cut(neutralise_mentions(c.summary), 80)} · {status_label(c.status).lower()} · {owner}{late}")
    blocks = [header(title), section("\n".join(lines))]
    notes = [_("`/complaint <id>` for one complaint")]
    if listing.pages > 1:
        notes.insert(0, _("Page {page} of {pages} · `/complaint list {which} {next}` for more").format(
            page=listing.page, pages=listing.pages, which=listing.which.value,
            next=min(listing.page + 1, listing.pages)))
    blocks.append(context(" · ".join(notes)))
    return title + "\n" + "\n".join(lines), blocks


def build_complaint_detail(detail: ComplaintDetail, *, card_link: str | None) -> Reply:
    """One complaint: its card's content, where the card is, and its history."""
    rendered = render_complaint_card(detail.card)
    blocks = [block for block in rendered.blocks if block["type"] != "actions"]
    history = [f"• {when(row.at, detail.card.tz)} — {_actor(row.actor_id)} {_action_word(row.action)}"
               for row in detail.history[-15:]]
    if history:
        blocks.append(section(_("*History*") + "\n" + "\n".join(history)))
    if card_link:
        blocks.append(context(_("<{link}|Open the card> to act on it.").format(link=card_link)))
    return rendered.text, blocks


def _actor(actor_id: str) -> str:
    """A person's mention, or Rapport for what the scheduler did."""
    return user(actor_id) if actor_id.startswith(("U", "W")) else _("Rapport")


def _action_word(action: str) -> str:
    return {"complaint.open": _("logged it"), "complaint.claim": _("took it"),
            "complaint.acknowledge": _("acknowledged it"), "complaint.resolve": _("resolved it"),
            "complaint.reopen": _("reopened it"), "complaint.close": _("closed it"),
            "complaint.sla_warning": _("warned that a deadline is near"),
            "complaint.sla_breach": _("escalated a missed deadline")}.get(action, action)


def complaints_line(summary: AccountComplaintSummary) -> str:
    """The account view's line: active and breached complaints, and the 3-in-30-days flag."""
    line = _("*Complaints:* {open} open · {breached} past their SLA").format(open=summary.open,
                                                                             breached=summary.breached)
    if summary.flagged:
        line += " · " + _("⚑ flagged: {count}+ complaints in 30 days").format(count=FLAG_COUNT)
    return line
