"""Block Kit for a dispute's mediator and clauses: the ask the mediator gets, the receipts for naming one and for
recording a dispute clause, a clause in one line for a contract's check."""

from __future__ import annotations

from typing import Any

from bot.platform import formatting
from bot.platform.cards import Rendered
from bot.platform.i18n import _
from bot.suppliers.cards import DisputeMediationAskCard
from bot.suppliers.dispute_ladder import ClauseSaved, Rung, rungs_of
from bot.suppliers.dispute_mediation import MediatorNamed
from handlers.blocks.common import Reply, channel, context, quoted, section, user
from handlers.blocks.suppliers.dispute import mark


def render_mediation_ask(card: DisputeMediationAskCard) -> Rendered:
    """To the mediator (their shared channel, or a DM): the subject and the ask — nothing internal."""
    greeting = _("Hello {person}, ").format(person=user(card.person)) if card.person else _("Hello, ")
    ask = greeting + _("we would value your help as a mediator in a disagreement about:")
    follow = _("Could you help the parties find a fair way forward? {contact} will be in touch — or reply "
               "to them directly.").format(contact=user(card.contact))
    return Rendered(text=f"{ask} {card.subject} {follow}",
                    blocks=[section(ask), section(quoted(card.subject, 1000)), section(follow)])


def build_mediator_named(named: MediatorNamed) -> Reply:
    """The receipt for naming a mediator: who was asked, and where."""
    number = named.change.card.id
    if named.person:
        where = _("by DM to {person}").format(person=user(named.person))
    else:
        where = _("in {channel}").format(channel=channel(named.channel))
    if named.change.changed:
        text = _("Asked *{mediator}* to mediate dispute #{id}, {where} — with the subject only.").format(
            mediator=named.mediator, id=number, where=where)
    else:
        text = _("*{mediator}* was already asked to mediate dispute #{id}, {where} — nothing sent again.").format(
            mediator=named.mediator, id=number, where=where)
    return text, [section(text)]


def build_clause_saved(saved: ClauseSaved) -> Reply:
    """The receipt for a dispute clause recorded on a contract or an agreement."""
    clause = saved.clause
    if clause.contract_id is not None:
        where = _("contract #{id} ({names})").format(id=clause.contract_id, names=clause.names)
    else:
        where = _("the service agreement with {name}").format(name=clause.names)
    if not saved.rungs:
        text = _("Removed the dispute clause of {where}: new disputes follow the default ladder.").format(where=where)
        return text, [section(text)]
    lines = clause_lines(saved.rungs)
    title = _("Dispute clause of {where}:").format(where=where)
    note = _("New disputes with *{name}* follow it instead of the default ladder.").format(name=saved.account.name)
    return f"{title} " + "; ".join(lines), [section(title + "\n" + "\n".join(lines)), context(note)]


def clause_lines(rungs: tuple[Rung, ...]) -> list[str]:
    """A dispute clause, one line per level: who decides, in how many working days."""
    lines = []
    for level, rung in enumerate(rungs, start=1):
        limit = formatting.working_days(rung.days) if rung.days else _("no time limit")
        lines.append(f"{mark(level)} {rung.decider} — {limit}")
    return lines


def clause_summary(data: list[dict[str, Any]] | None) -> str | None:
    """A contract's or agreement's dispute clause in one line, for its check; None without one."""
    if not data:
        return None
    return "⚖️ " + _("*Dispute clause:*") + " " + " · ".join(clause_lines(rungs_of(data)))
