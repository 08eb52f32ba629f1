"""/contact: log a touchpoint with an account, list the accounts gone cold, help."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond

from bot.contacts import list_cold_accounts, log_contact
from bot.praise import mentioned_users
from bot.services import Services
from handlers.blocks.contacts import build_cold_accounts, build_contact_logged
from handlers.blocks.help import build_help
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Command


def register(app: App) -> None:
    """Listen for /contact."""
    app.command(Command.CONTACT, middleware=[internal_only])(handle_contact_command)


def handle_contact_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond) -> None:
    """Route `/contact …` to help, the cold-accounts list or a new touchpoint."""
    ack()
    text = command.get("text", "").strip()
    verb = text.lower()
    if verb in ("", "help"):
        reply, blocks = build_help(Command.CONTACT)
    elif verb == "cold" or (verb.startswith("cold ") and verb[5:].strip().isdigit()):
        reply, blocks = show_cold_accounts(context, page=int(verb[5:].strip() or 1))
    else:
        reply, blocks = record_contact(text, command["channel_id"], context)
    respond(text=reply, blocks=blocks)


def show_cold_accounts(context: BoltContext, *, page: int) -> tuple[str, list[dict[str, Any]]]:
    """Managers see every account gone cold; anyone else, the ones they own."""
    services = services_of(context)
    actor = actor_of(context)
    everyone = actor.id in services.settings.rapport_managers or actor.id in services.settings.admins
    now = services.now()
    with services.db.session() as session:
        cold = list_cold_accounts(session, now=now, owner_id=None if everyone else actor.id, page=page)
    return build_cold_accounts(cold, now=now, zone=services.settings.zone, everyone=everyone)


def record_contact(text: str, channel_id: str, context: BoltContext) -> tuple[str, list[dict[str, Any]]]:
    """Log the touchpoint; the first customer mentioned in the text is the person it was with."""
    services = services_of(context)
    customers = customer_people(services, mentioned_users(text))
    with services.db.session() as session:
        logged = log_contact(session, actor_id=actor_of(context).id, text=text, channel_id=channel_id,
                             now=services.now(), customer_id=customers[0] if customers else None)
    return build_contact_logged(logged, zone=services.settings.zone)


def customer_people(services: Services, user_ids: list[str]) -> list[str]:
    """The users who belong to another organisation (the customer's people), in order."""
    home = services.slack.home_team_id()
    people = []
    for user_id in user_ids:
        person = services.slack.user(user_id)
        if person and not person.is_bot and person.team_id != home:
            people.append(user_id)
    return people
