"""/account: add accounts, link channels, the 360° view, the list, an agreement's dispute clause."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.accounts.commands import parse_new_account
from bot.accounts.registry import add_account, link_channel, list_account_page, require_account
from bot.accounts.settings import change_setting
from bot.accounts.stakeholder_commands import ListStakeholders, parse_stakeholder_command
from bot.accounts.stakeholders import account_stakeholders, save_stakeholder
from bot.care.complaint_clock import ComplaintPolicy
from bot.care.report_problem import post_welcome
from bot.overview.account_view import view_account
from bot.overview.health import HealthPolicy
from bot.platform import people
from bot.platform.arguments import parse_page
from bot.platform.i18n import _
from bot.platform.text import mentioned_users
from bot.rhythm.agreements import agreement_form
from bot.risks.register import catalog_offer
from bot.suppliers.dispute_ladder import record_agreement_clause, split_clause_command
from handlers.actions.rhythm import open_agreement_modal
from handlers.blocks.accounts.settings import build_setting_changed
from handlers.blocks.accounts.stakeholders import build_stakeholder_list, build_stakeholder_saved
from handlers.blocks.accounts.view import build_account_added, build_account_linked, build_account_list
from handlers.blocks.care.report_problem import build_welcome_posted
from handlers.blocks.overview.account_view import build_account_view
from handlers.blocks.platform.help import build_help
from handlers.blocks.risks.register import with_catalog_offer
from handlers.blocks.suppliers.dispute_mediation import build_clause_saved
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Command


def register(app: App) -> None:
    """Listen for /account."""
    app.command(Command.ACCOUNT, middleware=[internal_only])(handle_account_command)


def handle_account_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond,
                           client: WebClient) -> None:
    """Route `/account …` to its sub-commands."""
    ack()
    text = command.get("text", "").strip()
    verb, _space, rest = text.partition(" ")
    verb = verb.lower()
    services = services_of(context)
    actor = actor_of(context)
    now = services.now()
    if verb in ("", "help"):
        reply, blocks = build_help(Command.ACCOUNT)
    elif verb == "add":
        wanted = parse_new_account(rest)
        with services.db.session() as session:
            account = add_account(session, name=wanted.name, kind=wanted.kind, actor_id=actor.id, now=now,
                                  zone=services.settings.zone, role=wanted.role)
            offer = catalog_offer(session, account=account)
        reply, blocks = with_catalog_offer(build_account_added(account), offer)
    elif verb == "link":
        channel_id = command["channel_id"]
        facts = services.slack.channel_facts(channel_id)
        with services.db.session() as session:
            account, new = link_channel(session, name=rest, channel_id=channel_id, is_shared=facts.shared,
                                        actor_id=actor.id, now=now)
        reply, blocks = build_account_linked(account, channel_id=channel_id, shared=facts.shared, new=new,
                                             listening=facts.bot_is_member)
    elif verb == "list":
        page = parse_page(rest, usage=_("Say `/account list`, or `/account list 2` for the next page."))
        with services.db.session() as session:
            listing = list_account_page(session, page=page)
        reply, blocks = build_account_list(listing)
    elif verb == "set":
        our_people = people.internal_people(services.slack, mentioned_users(rest))
        with services.db.session() as session:
            changed = change_setting(session, text=rest, actor_id=actor.id, now=now, our_people=our_people)
        reply, blocks = build_setting_changed(changed, zone=services.settings.zone)
    elif verb == "welcome":
        with services.db.session() as session:
            welcomed = post_welcome(session, name=rest, actor_id=actor.id, now=now)
        services.deliver(keys=welcomed.keys)
        reply, blocks = build_welcome_posted(welcomed)
    elif verb == "stakeholder":
        reply, blocks = stakeholder(rest, context)
    elif verb == "agreement":
        answered = agreement(rest, command, context, client)
        if answered is None:  # the agreement's form opened
            return
        reply, blocks = answered
    else:
        with services.db.session() as session:
            view = view_account(session, name=text, now=now, policy=ComplaintPolicy.from_settings(services.settings),
                                health=HealthPolicy.from_settings(services.settings))
        reply, blocks = build_account_view(view, zone=services.settings.zone, now=now)
    respond(text=reply, blocks=blocks)


def agreement(text: str, command: dict[str, Any], context: BoltContext,
              client: WebClient) -> tuple[str, list[dict[str, Any]]] | None:
    """`/account agreement <account> [clause …]`: record its dispute clause, or open the agreement's form (None)."""
    services = services_of(context)
    if (clause := split_clause_command(text)) is not None:
        with services.db.session() as session:
            saved = record_agreement_clause(session, account_name=clause[0], text=clause[1],
                                            actor_id=actor_of(context).id, now=services.now())
        return build_clause_saved(saved)
    with services.db.session() as session:
        form = agreement_form(session, name=text)
    open_agreement_modal(client, command["trigger_id"], form, channel=command.get("channel_id"))
    return None


def stakeholder(text: str, context: BoltContext) -> tuple[str, list[dict[str, Any]]]:
    """`/account stakeholder <account>[: <name> …]`: list an account's stakeholders, or add, change or remove one."""
    services = services_of(context)
    now, zone = services.now(), services.settings.zone
    asked = parse_stakeholder_command(text)
    if isinstance(asked, ListStakeholders):
        with services.db.session(read_only=True) as session:
            account = require_account(session, name=asked.account)
            assert account.id is not None  # a stored account
            return build_stakeholder_list(account, account_stakeholders(session, account_id=account.id), now=now,
                                          zone=zone)
    with services.db.session() as session:
        saved = save_stakeholder(session, change=asked, actor_id=actor_of(context).id, now=now, zone=zone)
    return build_stakeholder_saved(saved, now=now, zone=zone)
