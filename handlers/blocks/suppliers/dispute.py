"""Block Kit for disputes: the card (updated in place), level announcements, DMs, replies, the list."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import ActionsBlock, ButtonElement, ConfirmObject

from bot.accounts.labels import kind_label
from bot.platform import formatting
from bot.platform.cards import Rendered
from bot.platform.i18n import _
from bot.platform.text import cut, neutralise_mentions
from bot.suppliers.cards import (
    DisputeAssignedCard,
    DisputeCard,
    DisputeEscalatedCard,
    DisputeResolvedCard,
    DisputeStep,
)
from bot.suppliers.dispute_ladder import ClauseRef
from bot.suppliers.dispute_listing import DisputePage
from bot.suppliers.disputes import DisputeChange
from handlers.blocks.common import Reply, channel, context, header, quoted, section, user, when
from handlers.ids import Action
from storage.suppliers.disputes import DisputeAction, DisputeStatus

LEVEL_MARKS = {1: "①", 2: "②", 3: "③", 4: "④", 5: "⑤", 6: "⑥"}
MEDIATION_LEVEL = 2


def level_name(level: int) -> str:
    """The short name of a level of the default ladder (a dispute clause's levels beyond it are numbered)."""
    names = {1: _("Coordinate"), 2: _("Mediation"), 3: _("Company dispute process"), 4: _("Legal route")}
    return names.get(level) or _("Level {level}").format(level=level)


def level_purpose(level: int) -> str:
    """What happens at a ladder level (SPEC §1.2)."""
    return {1: _("identify the dispute and coordinate the parties"),
            2: _("bring in supplier resources, the end customer or third parties (consultants, auditors)"),
            3: _("the company's formal dispute process"),
            4: _("the legal route")}.get(level, "")


def decider_of(deciders: tuple[str | None, ...], level: int) -> str | None:
    """Who decides at a level, when a dispute clause says."""
    return deciders[level - 1] if 1 <= level <= len(deciders) else None


def rung_name(level: int, decider: str | None) -> str:
    """A level's name: who decides there when a dispute clause says, else the default ladder's name."""
    return _("decided by {who}").format(who=decider) if decider else level_name(level)


def level_label(deciders: tuple[str | None, ...], level: int) -> str:
    """A level's name on a ladder with these deciders."""
    return rung_name(level, decider_of(deciders, level))


def _purpose(level: int, decider: str | None) -> str:
    return _("the dispute clause's level {level}").format(level=level) if decider else level_purpose(level)


def mark(level: int) -> str:
    """A level's circled number."""
    return LEVEL_MARKS.get(level, f"({level})")


def clause_line(clause: ClauseRef | None, *, level: int, deciders: tuple[str | None, ...],
                days: dict[int, int]) -> str | None:
    """"Following the dispute clause of contract #3 (Netcom → Acme Corp): level 2 decided by …, 4 working days"."""
    if clause is None:
        return None
    if clause.contract_id is not None:
        source = _("the dispute clause of contract #{id} ({names})").format(id=clause.contract_id,
                                                                            names=clause.names)
    else:
        source = _("the dispute clause of the service agreement with {name}").format(name=clause.names)
    limit = formatting.working_days(days[level]) if level in days else _("no time limit")
    return _("Following {source}: level {level} {name}, {limit}.").format(
        source=source, level=level, name=level_label(deciders, level), limit=limit)


def _who(actor: str) -> str:
    return user(actor) if actor[:1] in ("U", "W") else _("Rapport")


def _ladder(card: DisputeCard) -> str:
    steps = []
    # A clause has at most six levels: a card claiming more is not one Rapport queued.
    for level in range(1, min(card.last, len(LEVEL_MARKS)) + 1):
        step = f"{mark(level)} {level_label(card.deciders, level)}"
        if level in card.days:
            step += f" ({formatting.working_days(card.days[level])})"
        steps.append(f"*{step}*" if level == card.level and card.status == DisputeStatus.OPEN else step)
    return _("Ladder:") + " " + " → ".join(steps)


def _history_line(step: DisputeStep, tz: ZoneInfo) -> str:
    level = step.level
    if step.action == DisputeAction.OPENED:
        did = _("opened it at level {level}").format(level=level)
    elif step.action == DisputeAction.RESOLVED and step.note:
        did = _("resolved it at level {level}: {resolution}").format(
            level=level, resolution=cut(neutralise_mentions(step.note), 200))
    elif step.action == DisputeAction.RESOLVED:
        did = _("resolved it at level {level}").format(level=level)
    elif step.action == DisputeAction.MEDIATOR:
        did = _("asked {mediator} to mediate").format(mediator=step.note or "")
    elif step.action == DisputeAction.REOPENED:
        did = _("reopened it at level {level}: {reason}").format(level=level,
                                                                 reason=cut(neutralise_mentions(step.note or ""), 200))
    elif step.automatic:
        did = _("escalated it to level {level} — level {previous} was overdue").format(level=level,
                                                                                     previous=level - 1)
    else:
        did = _("escalated it to level {level}").format(level=level)
    return f"• {when(step.at, tz)} — {_who(step.actor)} {did}"


def _facts(card: DisputeCard) -> list[str]:
    level = card.level
    lines = [_("*Level {level} of {last} — {name}:* {purpose}").format(
        level=level, last=card.last, name=level_label(card.deciders, level),
        purpose=_purpose(level, decider_of(card.deciders, level)))]
    if card.status == DisputeStatus.OPEN:
        if card.due and level < card.last:
            lines.append(_("*Deadline:* {due} — then level {next} ({name})").format(
                due=when(card.due, card.tz), next=level + 1, name=level_label(card.deciders, level + 1)))
        elif card.due:
            lines.append(_("*Time limit:* {due} — the last level").format(due=when(card.due, card.tz)))
        else:
            lines.append(_("*Deadline:* none — the last level"))
    following = clause_line(card.clause, level=level, deciders=card.deciders, days=dict(card.days))
    if following:
        lines.append(following)
    lines.append(_("*Owner:* {owner}").format(owner=user(card.owner)))
    if card.mediator:
        asked = _(" ({person} asked)").format(person=user(card.mediator.user)) if card.mediator.user else ""
        lines.append(_("*Mediator:* {name} ({kind}){asked}").format(
            name=card.mediator.name, kind=kind_label(card.mediator.kind), asked=asked))
    if card.others:
        lines.append(_("*Also involved:* {names}").format(names=", ".join(card.others)))
    if card.complaint:
        lines.append(_("*Complaint:* #{id} — {summary}").format(
            id=card.complaint.id, summary=cut(neutralise_mentions(card.complaint.summary), 100)))
    return lines


def render_dispute_card(card: DisputeCard) -> Rendered:
    """The dispute card in the escalation channel: where it stands, its history, Escalate and Resolve."""
    title = _("Dispute #{id} · {supplier} ({kind})").format(id=card.id, supplier=card.supplier,
                                                             kind=kind_label(card.party_kind))
    blocks = [header(title), section(quoted(card.subject)), section("\n".join(_facts(card)))]
    if card.scope:
        blocks.append(section(_("*Scope*") + "\n" + quoted(card.scope, 1500)))
    if card.status == DisputeStatus.RESOLVED:
        blocks.append(section(_("✅ *Resolved* by {who}, {at}:").format(who=user(card.resolved_by),
                                                                      at=when(card.resolved_at, card.tz))
                              + "\n" + quoted(card.resolution or "", 2000)))
    history = [_history_line(step, card.tz) for step in card.history[-10:]]
    blocks.append(section(_("*History*") + "\n" + "\n".join(history)))
    blocks.append(context(_ladder(card)))
    blocks.append(ActionsBlock(block_id=f"dispute_{card.id}", elements=_buttons(card)).to_dict())
    status = _("resolved") if card.status == DisputeStatus.RESOLVED else _("level {level}").format(level=card.level)
    text = f"{title} ({status}): {cut(neutralise_mentions(card.subject), 500)}"
    return Rendered(text=text, blocks=blocks)


def _buttons(card: DisputeCard) -> list[ButtonElement]:
    if card.status == DisputeStatus.RESOLVED:
        return [ButtonElement(text=_("Reopen"), action_id=Action.DISPUTE_REOPEN, value=str(card.id))]
    buttons = []
    level = card.level
    if level < card.last:
        confirm = ConfirmObject(
            title=_("Escalate?"), confirm=_("Escalate"), deny=_("Cancel"),
            text=_("Move dispute #{id} to level {next} — {name}?").format(id=card.id, next=level + 1,
                                                                          name=level_label(card.deciders, level + 1)))
        buttons.append(ButtonElement(text=_("Escalate"), action_id=Action.DISPUTE_ESCALATE,
                                     value=f"{card.id}:{level}", style="danger", confirm=confirm))
    if card.mediator is None and level <= MEDIATION_LEVEL <= card.last:
        buttons.append(ButtonElement(text=_("Ask a mediator"), action_id=Action.DISPUTE_MEDIATOR, value=str(card.id)))
    buttons.append(ButtonElement(text=_("Resolve"), action_id=Action.DISPUTE_RESOLVE, value=str(card.id),
                                 style="primary"))
    return buttons


def render_dispute_escalated(card: DisputeEscalatedCard) -> Rendered:
    """A dispute reached a new level: in the escalation channel and to the owner and managers."""
    level = card.level
    what = _("⬆️ Dispute #{id} with *{supplier}* is now at level {level} — {name}: {purpose}.").format(
        id=card.id, supplier=card.supplier, level=level, name=rung_name(level, card.decider),
        purpose=_purpose(level, card.decider))
    if card.overdue_since:
        why = _("Level {previous} was due by {due}, so Rapport escalated it.").format(
            previous=level - 1, due=when(card.overdue_since, card.tz))
    else:
        why = _("Escalated by {who}.").format(who=user(card.actor))
    due = _("Next deadline: {due}.").format(due=when(card.due, card.tz)) if card.due else _("No deadline now.")
    text = f"{what} {why} {due} " + _("Owner: {owner}.").format(owner=user(card.owner))
    notes = [_("`/dispute {id}` for its history").format(id=card.id)]
    if card.card_channel:
        notes.insert(0, _("The card is in {channel}.").format(channel=channel(card.card_channel)))
    return Rendered(text=text, blocks=[section(text), section(quoted(card.subject, 1000)),
                                       context(" · ".join(notes))])


def render_dispute_assigned(card: DisputeAssignedCard) -> Rendered:
    """A DM to the owner when someone else opened a dispute with their supplier."""
    due = _("runs until {due}").format(due=when(card.due, card.tz)) if card.due else _("has no time limit")
    text = _("{who} opened dispute #{id} with *{supplier}* ({kind}), and you own it as its service manager. "
             "Level 1 — {name} — {due}.").format(
        who=user(card.actor), id=card.id, supplier=card.supplier, kind=kind_label(card.party_kind),
        name=rung_name(1, card.decider), due=due)
    return Rendered(text=text, blocks=[section(text), section(quoted(card.subject, 1000)),
                                       context(_("`/dispute {id}` for the details").format(id=card.id))])


def render_dispute_resolved(card: DisputeResolvedCard) -> Rendered:
    """A DM to the owner of the complaint a resolved dispute was linked to."""
    text = _("✅ Dispute #{id} with *{supplier}*, linked to your complaint #{complaint}, was resolved by "
             "{who}.").format(id=card.id, supplier=card.supplier, complaint=card.complaint.id,
                              who=user(card.resolved_by))
    follow = _("`/complaint {id}` to follow up with the customer").format(id=card.complaint.id)
    return Rendered(text=text, blocks=[section(text), section(_("*Resolution*") + "\n" + quoted(card.resolution, 2000)),
                                       context(follow)])


def build_dispute_opened(change: DisputeChange, *, link: str | None, card_channel: str | None) -> Reply:
    """The receipt for whoever opened a dispute."""
    card = change.card
    owner = _("you own it") if card.owner == card.created_by else _("{owner} owns it (they manage {supplier})"
                                                                    ).format(owner=user(card.owner),
                                                                             supplier=card.supplier)
    due = _("until {due}").format(due=when(card.due, card.tz)) if card.due else _("with no time limit")
    text = _("Opened dispute #{id} with *{supplier}* at level 1 — {name}, {due}; {owner}.").format(
        id=card.id, supplier=card.supplier, name=level_label(card.deciders, 1), due=due, owner=owner)
    following = clause_line(card.clause, level=1, deciders=card.deciders, days=dict(card.days))
    if following:
        text += " " + following
    where = _("The card is in {channel}.").format(channel=channel(card_channel))
    if link:
        where += " " + _("<{link}|See it>").format(link=link)
    return f"{text} {where}", [section(text), context(where)]


def build_dispute_changed(change: DisputeChange) -> str:
    """The ephemeral note after Escalate or Resolve: what happened, or why nothing needed to."""
    card, number = change.card, change.card.id
    if change.changed and change.action == DisputeAction.ESCALATED:
        due = _("until {due}").format(due=when(card.due, card.tz)) if card.due else _("with no deadline")
        return _("Dispute #{id} is now at level {level} — {name}, {due}. The managers have been told.").format(
            id=number, level=card.level, name=level_label(card.deciders, card.level), due=due)
    if change.action == DisputeAction.REOPENED:
        if not change.changed:
            return _("Dispute #{id} is open — nothing to reopen.").format(id=number)
        due = _("until {due}").format(due=when(card.due, card.tz)) if card.due else _("with no deadline")
        return _("Reopened dispute #{id} at level {level} — {name}, {due}.").format(
            id=number, level=card.level, name=level_label(card.deciders, card.level), due=due)
    if change.changed:
        told = _(" The owner of complaint #{complaint} has been told.").format(
            complaint=card.complaint.id) if card.complaint else ""
        return _("Resolved dispute #{id}. Thank you!").format(id=number) + told
    if card.status == DisputeStatus.RESOLVED:
        return _("Dispute #{id} is already resolved (by {who}, {at}) — nothing to do.").format(
            id=number, who=user(card.resolved_by), at=when(card.resolved_at, card.tz))
    if card.level >= card.last:
        return _("Dispute #{id} is at the last level (legal route) — it cannot go higher.").format(id=number)
    return _("Dispute #{id} is already at level {level} — nothing to do.").format(id=number, level=card.level)


def build_dispute_list(listing: DisputePage) -> Reply:
    """One page of `/dispute list` (ephemeral, internal)."""
    open_ = listing.status == DisputeStatus.OPEN
    title = (_("Open disputes") if open_ else _("Resolved disputes")) + f" ({listing.total})"
    if not listing.total:
        text = _("No open disputes. 🎉") if open_ else _("No resolved disputes yet.")
        return text, [section(text)]
    lines = []
    for row in listing.rows:
        d = row.dispute
        if d.status == DisputeStatus.RESOLVED:
            state = _("resolved")
        elif d.level_due_at:
            state = _("due {due}").format(due=when(d.level_due_at, listing.tz))
        else:
            state = _("no deadline")
        lines.append(f"• *#{d.id}* {mark(d.level)} *{row.supplier}* ({kind_label(row.kind)}) — "
                     f"{cut(neutralise_mentions(d.subject), 80)} · {level_label(row.deciders, d.level)} · {state} · "
                     f"{user(d.owner_id)}")
    notes = [_("`/dispute <id>` for one dispute and its history")]
    if listing.pages > 1:
        notes.insert(0, _("Page {page} of {pages} · `/dispute list {status} {next}` for more").format(
            page=listing.page, pages=listing.pages, status=listing.status,
            next=min(listing.page + 1, listing.pages)))
    return title + "\n" + "\n".join(lines), [header(title), section("\n".join(lines)), context(" · ".join(notes))]


def build_dispute_detail(card: DisputeCard, *, link: str | None) -> Reply:
    """`/dispute <id>`: the card's content without its buttons, and a link to act on it."""
    rendered = render_dispute_card(card)
    blocks = [block for block in rendered.blocks if block["type"] != "actions"]
    if link:
        blocks.append(context(_("<{link}|Open the card> to escalate, resolve or reopen it.").format(link=link)))
    return rendered.text, blocks
