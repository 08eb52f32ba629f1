"""Block Kit for disputes: the card (updated in place), level announcements, DMs, replies, the list."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, ConfirmObject

from bot.calendar.when import describe
from bot.platform.cards import Rendered
from bot.platform.i18n import _
from bot.platform.text import cut, neutralise_mentions
from bot.suppliers.disputes import LAST_LEVEL, DisputeChange, DisputePage
from handlers.blocks.common import SECTION_LIMIT, channel, context, header, section, user
from handlers.ids import Action

Reply = tuple[str, list[dict[str, Any]]]
LEVEL_MARKS = {1: "①", 2: "②", 3: "③", 4: "④"}


def level_name(level: int) -> str:
    """The short name of a ladder level."""
    return {1: _("Coordinate"), 2: _("Mediation"), 3: _("Company dispute process"), 4: _("Legal route")}[level]


def level_purpose(level: int) -> str:
    """What happens at a ladder level (SPEC §1.2)."""
    return {1: _("identify the dispute and coordinate the parties"),
            2: _("bring in supplier resources, the end customer or third parties (consultants, auditors)"),
            3: _("the company's formal dispute process"),
            4: _("the legal route")}[level]


def when(iso: str | None, tz: str) -> str:
    """A stored moment in the team's zone: "Wed 2 Dec 10:00 CST"."""
    return describe(datetime.fromisoformat(iso), ZoneInfo(tz)) if iso else "—"


def quoted(text: str, limit: int = SECTION_LIMIT - 20) -> str:
    """User text as a quote that cannot ping anyone."""
    return "> " + cut(neutralise_mentions(text), limit).replace("\n", "\n> ")


def _who(actor: str) -> str:
    return user(actor) if actor[:1] in ("U", "W") else _("Rapport")


def _ladder(data: dict[str, Any]) -> str:
    days = data["days"]
    steps = []
    for level in range(1, LAST_LEVEL + 1):
        step = f"{LEVEL_MARKS[level]} {level_name(level)}"
        if str(level) in days:
            step += " " + _("({days} working days)").format(days=days[str(level)])
        steps.append(f"*{step}*" if level == data["level"] and data["status"] == "open" else step)
    return _("Ladder:") + " " + " → ".join(steps)


def _history_line(event: dict[str, Any], tz: str) -> str:
    level = event["level"]
    if event["action"] == "opened":
        did = _("opened it at level {level}").format(level=level)
    elif event["action"] == "resolved":
        did = _("resolved it at level {level}").format(level=level)
    elif event["automatic"]:
        did = _("escalated it to level {level} — level {previous} was overdue").format(level=level,
                                                                                     previous=level - 1)
    else:
        did = _("escalated it to level {level}").format(level=level)
    return f"• {when(event['at'], tz)} — {_who(event['actor'])} {did}"


def _facts(data: dict[str, Any]) -> list[str]:
    tz, level = data["tz"], data["level"]
    lines = [_("*Level {level} of {last} — {name}:* {purpose}").format(
        level=level, last=LAST_LEVEL, name=level_name(level), purpose=level_purpose(level))]
    if data["status"] == "open":
        if data["due"]:
            lines.append(_("*Deadline:* {due} — then level {next} ({name})").format(
                due=when(data["due"], tz), next=level + 1, name=level_name(level + 1)))
        else:
            lines.append(_("*Deadline:* none — the last level"))
    lines.append(_("*Owner:* {owner}").format(owner=user(data["owner"])))
    if data["others"]:
        lines.append(_("*Also involved:* {names}").format(names=", ".join(data["others"])))
    if data["complaint"]:
        lines.append(_("*Complaint:* #{id} — {summary}").format(
            id=data["complaint"]["id"], summary=cut(neutralise_mentions(data["complaint"]["summary"]), 100)))
    return lines


def render_dispute_card(data: dict[str, Any]) -> Rendered:
    """The dispute card in the escalation channel: where it stands, its history, Escalate and Resolve."""
    title = _("Dispute #{id} · {supplier}").format(id=data["id"], supplier=data["supplier"])
    blocks = [header(title), section(quoted(data["subject"])), section("\n".join(_facts(data)))]
    if data.get("scope"):
        blocks.append(section(_("*Scope*") + "\n" + quoted(data["scope"], 1500)))
    if data["status"] == "resolved":
        blocks.append(section(_("✅ *Resolved* by {who}, {at}:").format(who=user(data["resolved_by"]),
                                                                      at=when(data["resolved_at"], data["tz"]))
                              + "\n" + quoted(data["resolution"], 2000)))
    history = [_history_line(event, data["tz"]) for event in data["history"][-10:]]
    blocks.append(section(_("*History*") + "\n" + "\n".join(history)))
    blocks.append(context(_ladder(data)))
    if data["status"] == "open":
        blocks.append(ActionsBlock(block_id=f"dispute_{data['id']}", elements=_buttons(data)).to_dict())
    status = _("resolved") if data["status"] == "resolved" else _("level {level}").format(level=data["level"])
    text = f"{title} ({status}): {cut(neutralise_mentions(data['subject']), 500)}"
    return Rendered(text=text, blocks=blocks)


def _buttons(data: dict[str, Any]) -> list[ButtonElement]:
    buttons = []
    level = data["level"]
    if level < LAST_LEVEL:
        confirm = ConfirmObject(
            title=_("Escalate?"), confirm=_("Escalate"), deny=_("Cancel"),
            text=_("Move dispute #{id} to level {next} — {name}?").format(id=data["id"], next=level + 1,
                                                                          name=level_name(level + 1)))
        buttons.append(ButtonElement(text=_("Escalate"), action_id=Action.DISPUTE_ESCALATE,
                                     value=f"{data['id']}:{level}", style="danger", confirm=confirm))
    buttons.append(ButtonElement(text=_("Resolve"), action_id=Action.DISPUTE_RESOLVE, value=str(data["id"]),
                                 style="primary"))
    return buttons


def render_dispute_escalated(data: dict[str, Any]) -> Rendered:
    """A dispute reached a new level: in the escalation channel and to the owner and managers."""
    level, tz = data["level"], data["tz"]
    what = _("⬆️ Dispute #{id} with *{supplier}* is now at level {level} — {name}: {purpose}.").format(
        id=data["id"], supplier=data["supplier"], level=level, name=level_name(level), purpose=level_purpose(level))
    if data["overdue_since"]:
        why = _("Level {previous} was due by {due}, so Rapport escalated it.").format(
            previous=level - 1, due=when(data["overdue_since"], tz))
    else:
        why = _("Escalated by {who}.").format(who=user(data["actor"]))
    due = _("Next deadline: {due}.").format(due=when(data["due"], tz)) if data["due"] else _("No deadline now.")
    text = f"{what} {why} {due} " + _("Owner: {owner}.").format(owner=user(data["owner"]))
    notes = [_("`/dispute {id}` for its history").format(id=data["id"])]
    if data.get("card_channel"):
        notes.insert(0, _("The card is in {channel}.").format(channel=channel(data["card_channel"])))
    return Rendered(text=text, blocks=[section(text), section(quoted(data["subject"], 1000)),
                                       context(" · ".join(notes))])


def render_dispute_assigned(data: dict[str, Any]) -> Rendered:
    """A DM to the owner when someone else opened a dispute with their supplier."""
    text = _("{who} opened dispute #{id} with *{supplier}*, and you own it as the supplier's service manager. "
             "Level 1 — {name} — runs until {due}.").format(
        who=user(data["actor"]), id=data["id"], supplier=data["supplier"], name=level_name(1),
        due=when(data["due"], data["tz"]))
    return Rendered(text=text, blocks=[section(text), section(quoted(data["subject"], 1000)),
                                       context(_("`/dispute {id}` for the details").format(id=data["id"]))])


def render_dispute_resolved(data: dict[str, Any]) -> Rendered:
    """A DM to the owner of the complaint a resolved dispute was linked to."""
    text = _("✅ Dispute #{id} with *{supplier}*, linked to your complaint #{complaint}, was resolved by {who}.").format(
        id=data["id"], supplier=data["supplier"], complaint=data["complaint"]["id"], who=user(data["resolved_by"]))
    return Rendered(text=text, blocks=[section(text), section(_("*Resolution*") + "\n" + quoted(data["resolution"],
                                                                                                 2000)),
                                       context(_("`/complaint {id}` to follow up with the customer").format(
                                           id=data["complaint"]["id"]))])


def build_dispute_opened(change: DisputeChange, *, link: str | None, card_channel: str | None) -> Reply:
    """The receipt for whoever opened a dispute."""
    card = change.card
    owner = _("you own it") if card["owner"] == card["created_by"] else _("{owner} owns it (they manage {supplier})"
                                                                          ).format(owner=user(card["owner"]),
                                                                                   supplier=card["supplier"])
    text = _("Opened dispute #{id} with *{supplier}* at level 1 — {name}, until {due}; {owner}.").format(
        id=card["id"], supplier=card["supplier"], name=level_name(1), due=when(card["due"], card["tz"]), owner=owner)
    where = _("The card is in {channel}.").format(channel=channel(card_channel))
    if link:
        where += " " + _("<{link}|See it>").format(link=link)
    return f"{text} {where}", [section(text), context(where)]


def build_dispute_changed(change: DisputeChange) -> str:
    """The ephemeral note after Escalate or Resolve: what happened, or why nothing needed to."""
    card, number = change.card, change.card["id"]
    if change.changed and change.action == "escalated":
        due = _("until {due}").format(due=when(card["due"], card["tz"])) if card["due"] else _("with no deadline")
        return _("Dispute #{id} is now at level {level} — {name}, {due}. The managers have been told.").format(
            id=number, level=card["level"], name=level_name(card["level"]), due=due)
    if change.changed:
        told = _(" The owner of complaint #{complaint} has been told.").format(
            complaint=card["complaint"]["id"]) if card["complaint"] else ""
        return _("Resolved dispute #{id}. Thank you!").format(id=number) + told
    if card["status"] == "resolved":
        return _("Dispute #{id} is already resolved (by {who}, {at}) — nothing to do.").format(
            id=number, who=user(card["resolved_by"]), at=when(card["resolved_at"], card["tz"]))
    if card["level"] >= LAST_LEVEL:
        return _("Dispute #{id} is at the last level (legal route) — it cannot go higher.").format(id=number)
    return _("Dispute #{id} is already at level {level} — nothing to do.").format(id=number, level=card["level"])


def build_dispute_list(listing: DisputePage) -> Reply:
    """One page of `/dispute list` (ephemeral, internal)."""
    title = (_("Open disputes") if listing.status == "open" else _("Resolved disputes")) + f" ({listing.total})"
    if not listing.total:
        text = _("No open disputes. 🎉") if listing.status == "open" else _("No resolved disputes yet.")
        return text, [section(text)]
    lines = []
    for row in listing.rows:
        d = row.dispute
        state = _("due {due}").format(due=when(d.level_due_at.isoformat(), listing.tz)) if d.level_due_at and \
            d.status == "open" else (_("resolved") if d.status == "resolved" else _("no deadline"))
        lines.append(f"• *#{d.id}* {LEVEL_MARKS[d.level]} *{row.supplier}* — {cut(neutralise_mentions(d.subject), 80)}"
                     f" · {level_name(d.level)} · {state} · {user(d.owner_id)}")
    notes = [_("`/dispute <id>` for one dispute and its history")]
    if listing.pages > 1:
        notes.insert(0, _("Page {page} of {pages} · `/dispute list {status} {next}` for more").format(
            page=listing.page, pages=listing.pages, status=listing.status,
            next=min(listing.page + 1, listing.pages)))
    return title + "\n" + "\n".join(lines), [header(title), section("\n".join(lines)), context(" · ".join(notes))]


def build_dispute_detail(card: dict[str, Any], *, link: str | None) -> Reply:
    """`/dispute <id>`: the card's content without its buttons, and a link to act on it."""
    rendered = render_dispute_card(card)
    blocks = [block for block in rendered.blocks if block["type"] != "actions"]
    if link:
        blocks.append(context(_("<{link}|Open the card> to escalate or resolve it.").format(link=link)))
    return rendered.text, blocks
