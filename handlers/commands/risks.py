"""`/rapport risks …`: the risk register (internal only, answered ephemerally through /rapport)."""

from __future__ import annotations

from typing import Any

from slack_bolt import BoltContext

from bot.platform import people
from bot.platform.text import mentioned_users
from bot.risks.commands import parse_risks_command
from bot.risks.register import add_own_risk, close_risk, list_risks, review_risk, set_risk_field
from handlers.blocks.common import section
from handlers.blocks.risks.register import (
    build_closed,
    build_reviewed,
    build_risk_added,
    build_risk_list,
)
from handlers.context import actor_of, services_of


def answer_risks(context: BoltContext, text: str) -> tuple[str, list[dict[str, Any]]]:
    """Route `/rapport risks …` to one domain call and its reply."""
    services, actor = services_of(context), actor_of(context)
    wanted = parse_risks_command(text)
    now, zone, calendar = services.now(), services.settings.zone, services.team_calendar()
    our_people = people.internal_people(services.slack, mentioned_users(wanted.value))  # a new owner must be ours
    if wanted.verb == "list":
        with services.db.session(read_only=True) as session:
            return build_risk_list(list_risks(session, name=wanted.name, page=wanted.page), zone=zone)
    with services.db.session() as session:
        if wanted.verb == "add":
            added = add_own_risk(session, text=wanted.value, actor_id=actor.id, now=now, calendar=calendar)
            return build_risk_added(added, zone=zone)
        if wanted.verb == "set":
            return build_risk_added(set_risk_field(session, risk_id=wanted.risk_id, field=wanted.field,
                                                   value=wanted.value, actor_id=actor.id, now=now, calendar=calendar,
                                                   our_people=our_people), zone=zone)
        if wanted.verb == "review":
            reply = build_reviewed(review_risk(session, risk_id=wanted.risk_id, actor_id=actor.id, now=now,
                                               calendar=calendar), zone=zone)
        else:
            reply = build_closed(close_risk(session, risk_id=wanted.risk_id, actor_id=actor.id, now=now))
    return reply, [section(reply)]
