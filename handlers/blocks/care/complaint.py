"""Block Kit for complaints: the card (updated in place), SLA notices, the customer's line, replies, lists."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement

from bot.calendar.when import describe
from bot.care.complaint_flag import FLAG_COUNT, AccountComplaintSummary
from bot.care.complaints import Change, ComplaintDetail, ComplaintPage
from bot.care.surveys import ONCE_PER
from bot.platform.cards import Rendered
from bot.platform.i18n import _, ngettext
from bot.platform.text import cut, neutralise_mentions
from handlers.blocks.common import SECTION_LIMIT, channel, context, header, section, user
from handlers.ids import Action
from storage.care.complaints import ComplaintFilter, ComplaintStatus

Reply = tuple[str, list[dict[str, Any]]]
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


def when(iso: str | None, tz: str) -> str:
    """A stored moment in the account's time zone: "Mon 30 Nov 09:30 CST"."""
    return describe(datetime.fromisoformat(iso), ZoneInfo(tz)) if iso else "—"


def quoted(text: str, limit: int = SECTION_LIMIT - 20) -> str:
    """User text as a quote that cannot ping anyone."""
    return "> " + cut(neutralise_mentions(text), limit).replace("\n", "\n> ")


def _clock_line(label: str, *, due: str | None, done: str | None, late: bool, tz: str, done_word: str) -> str:
    if done:
        after_due = due is not None and datetime.fromisoformat(done) > datetime.fromisoformat(due)
        missed = " " + _("(after its {due} deadline)").format(due=when(due, tz)) if late or after_due else ""
        return f"*{label}:* ✅ {done_word} {when(done, tz)}{missed}"
    if late:
        return f"*{label}:* 🚨 " + _("overdue since {due}").format(due=when(due, tz))
    return f"*{label}:* " + _("by {due}").format(due=when(due, tz))


def _buttons(data: dict[str, Any]) -> list[ButtonElement]:
    value = str(data["id"])
    if data["status"] in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED):
        return [ButtonElement(text=_("Reopen"), action_id=Action.COMPLAINT_REOPEN, value=value)]
    buttons = []
    if not data["owner"]:
        buttons.append(ButtonElement(text=_("I'll take it"), action_id=Action.COMPLAINT_CLAIM, value=value,
                                     style="primary"))
    if data["status"] == ComplaintStatus.OPEN:
        buttons.append(ButtonElement(text=_("Acknowledge"), action_id=Action.COMPLAINT_ACKNOWLEDGE, value=value))
    buttons.append(ButtonElement(text=_("Resolve"), action_id=Action.COMPLAINT_RESOLVE, value=value))
    if data["owner"]:
        buttons.append(ButtonElement(text=_("I'll take it"), action_id=Action.COMPLAINT_CLAIM, value=value))
    return buttons


def render_complaint_card(data: dict[str, Any]) -> Rendered:
    """The complaint card in the account's internal channel, showing its current state and buttons."""
    tz = data["tz"]
    title = _("Complaint #{id} · {account}").format(id=data["id"], account=data["account"])
    owner = user(data["owner"]) if data["owner"] else _("nobody yet — press *I'll take it*")
    source = [_("raised by {who}").format(who=user(data["complainant"]))] if data.get("complainant") else []
    source.append(_("logged by {who}").format(who=user(data["created_by"])))
    if data.get("permalink"):
        source.append(f"<{data['permalink']}|{_('original message')}>")
    lines = [
        _("*Severity:* {severity} · *Status:* {status}").format(severity=severity_label(data["severity"]),
                                                                status=status_label(data["status"])),
        _("*Owner:* {owner}").format(owner=owner),
        _clock_line(_("Acknowledge"), due=data["ack_due"], done=data["acknowledged_at"], late=data["ack_breached"],
                    tz=tz, done_word=_("acknowledged")),
    ]
    if data["status"] != ComplaintStatus.CLOSED:
        lines.append(_clock_line(_("Resolve"), due=data["resolve_due"], done=data["resolved_at"],
                                 late=data["resolve_breached"], tz=tz, done_word=_("resolved")))
    else:
        lines.append(_("*Closed* {when}").format(when=when(data["closed_at"], tz)))
    blocks = [header(title), section(quoted(data["summary"])), section("\n".join(lines))]
    if data.get("resolution"):
        blocks.append(section(_("*Resolution* by {who}:").format(who=user(data["resolved_by"])) + "\n"
                              + quoted(data["resolution"], 2000)))
    notes = [" · ".join(source)]
    if data.get("reopen_count"):
        notes.append(ngettext("reopened once", "reopened {n} times", data["reopen_count"]).format(
            n=data["reopen_count"]))
    notes.append(_("`/complaint {id}` for its history").format(id=data["id"]))
    blocks += [ActionsBlock(block_id=f"complaint_{data['id']}", elements=_buttons(data)).to_dict(),
               context(" · ".join(notes))]
    text = f"{title} ({status_label(data['status'])}, {severity_word(data['severity'])}): " \
           f"{cut(neutralise_mentions(data['summary']), 500)}"
    return Rendered(text=text, blocks=blocks)


def render_complaint_sla(data: dict[str, Any]) -> Rendered:
    """An SLA notice: the 80% warning to the owner, or the escalation when a clock has run out."""
    what = _("acknowledged") if data["clock"] == "ack" else _("resolved")
    about = _("complaint #{id} ({account}, {severity})").format(id=data["id"], account=data["account"],
                                                                severity=severity_label(data["severity"]))
    due = when(data["due"], data["tz"])
    if data["notice"] == "warning":
        text = _("⏳ Heads-up: {about} must be {what} by {due} — 80% of its time has gone.").format(
            about=about, what=what, due=due)
    else:
        text = _("🚨 SLA breached: {about} was not {what} by {due}. Owner: {owner}.").format(
            about=about, what=what, due=due, owner=user(data["owner"]) if data["owner"] else _("nobody"))
    where = _("The card is in {channel}.").format(channel=channel(data["card_channel"])) if data["card_channel"] else ""
    blocks = [section(text), section(quoted(data["summary"], 1000))]
    blocks.append(context(" ".join(filter(None, [where, _("`/complaint {id}` for details").format(id=data["id"])]))))
    return Rendered(text=text, blocks=blocks)


def render_complaint_customer_ack(data: dict[str, Any]) -> Rendered:
    """The neutral line the customer sees in their message's thread: nothing internal."""
    text = _("Thanks, we've logged this — {owner} is on it.").format(owner=user(data["owner"]))
    return Rendered(text=text, blocks=[section(text)])


def render_complaint_flag(data: dict[str, Any]) -> Rendered:
    """Three complaints from one account within 30 days."""
    text = _("⚑ *{account}* has raised {count} complaints in the last {days} days (latest: #{id}). Time for a "
             "conversation with them — see `/account {account}`.").format(
        account=data["account"], count=data["count"], days=data["days"], id=data["complaint_id"])
    return Rendered(text=text, blocks=[section(text)])


def build_complaint_opened(change: Change, *, card_channel: str | None, link: str | None) -> Reply:
    """The receipt for whoever logged a complaint."""
    card = change.card
    if not change.changed:
        text = _("This message is already complaint #{id} ({status}) — nothing logged twice. "
                 "`/complaint {id}` shows it.").format(id=card["id"], status=status_label(card["status"]).lower())
        return text, [section(text)]
    text = _("Logged complaint #{id} for *{account}* ({severity}). Acknowledge by {ack}, resolve by {resolve}.").format(
        id=card["id"], account=card["account"], severity=severity_label(card["severity"]),
        ack=when(card["ack_due"], card["tz"]), resolve=when(card["resolve_due"], card["tz"]))
    where = _("The card is in {channel}.").format(channel=channel(card_channel))
    if link:
        where += " " + _("<{link}|See it>").format(link=link)
    blocks = [section(text), context(where)]
    if change.flagged:
        flag = _("⚑ {account} has raised {count} or more complaints in 30 days: the account is flagged.").format(
            account=card["account"], count=FLAG_COUNT)
        blocks.append(section(flag))
        text += "\n" + flag
    return text + " " + where, blocks


def build_complaint_changed(change: Change) -> str:
    """The ephemeral note after a button or modal: what happened, or why nothing needed to."""
    card, number = change.card, change.card["id"]
    tz = card["tz"]
    if change.changed:
        notes = {
            "claimed": _("Complaint #{id} is yours now.").format(id=number) + (
                " " + _("(taken over from {who})").format(who=user(change.previous_owner))
                if change.previous_owner else ""),
            "acknowledged": _("You acknowledged complaint #{id}; its acknowledge clock has stopped. "
                              "Resolve it by {due}.").format(id=number, due=when(card["resolve_due"], tz)),
            "resolved": _("Resolved complaint #{id}. Thank you!").format(id=number) + _survey_note(change),
            "reopened": _("Reopened complaint #{id}; a fresh resolve clock runs until {due}.").format(
                id=number, due=when(card["resolve_due"], tz)),
            "closed": _("Closed complaint #{id}.").format(id=number),
        }
        return notes[change.action]
    status = card["status"]
    if status in (ComplaintStatus.RESOLVED, ComplaintStatus.CLOSED) and change.action != "reopened":
        return _("Complaint #{id} is already {status} (by {who}, {at}) — nothing to do.").format(
            id=number, status=status_label(status).lower(), who=user(card["resolved_by"]),
            at=when(card["resolved_at"] or card["closed_at"], tz))
    if change.action == "claimed":
        return _("Complaint #{id} is already yours.").format(id=number)
    if change.action == "acknowledged":
        return _("Complaint #{id} was already acknowledged ({at}) — nothing more to do.").format(
            id=number, at=when(card["acknowledged_at"], tz))
    if change.action == "reopened":
        return _("Complaint #{id} is still open — nothing to reopen.").format(id=number)
    return _("Complaint #{id} is {status} — nothing to do.").format(id=number, status=status_label(status).lower())


def _survey_note(change: Change) -> str:
    """What resolving meant for the customer's satisfaction survey, when the complaint came from one."""
    who = change.card.get("complainant")
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
    tz = detail.card["tz"]
    history = [f"• {when(row.at.isoformat(), tz)} — {user(row.actor_id) if row.actor_id.startswith(('U', 'W')) else _('Rapport')} "
               f"{_action_word(row.action)}" for row in detail.history[-15:]]
    if history:
        blocks.append(section(_("*History*") + "\n" + "\n".join(history)))
    if card_link:
        blocks.append(context(_("<{link}|Open the card> to act on it.").format(link=card_link)))
    return rendered.text, blocks


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
