"""/supplier: add suppliers, open the evaluation, audit and contract modals, a contract's dispute clause, the
scorecard, the list, help."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.risks.register import catalog_offer
from bot.suppliers.audits import scorecard, set_audit_interval
from bot.suppliers.changes import parse_change, record_change_of_supplier
from bot.suppliers.dispute_ladder import record_contract_clause, split_clause_command
from bot.suppliers.evaluation import add_supplier, list_candidates, parse_list_page, supplier_for_form
from bot.suppliers.scoring import SupplierPolicy
from bot.suppliers.subcontracting import parse_subcontract, record_subcontract
from handlers.blocks.platform.help import build_help
from handlers.blocks.risks.register import with_catalog_offer
from handlers.blocks.suppliers.changes import build_change_recorded, build_subcontract_changed
from handlers.blocks.suppliers.dispute_mediation import build_clause_saved
from handlers.blocks.suppliers.forms import build_audit_modal, build_contract_modal, build_evaluation_modal
from handlers.blocks.suppliers.scorecard import (
    build_candidates,
    build_schedule_changed,
    build_scorecard,
    build_supplier_added,
)
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Command

FORMS = ("evaluate", "audit", "contract")


def register(app: App) -> None:
    """Listen for /supplier."""
    app.command(Command.SUPPLIER, middleware=[internal_only])(handle_supplier_command)


def handle_supplier_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond,
                            client: WebClient) -> None:
    """Route `/supplier …` to its sub-commands; everything answered is shown only to the person who asked."""
    ack()
    text = command.get("text", "").strip()
    verb, _space, rest = text.partition(" ")
    verb = verb.lower()
    services = services_of(context)
    actor = actor_of(context)
    policy = SupplierPolicy.from_settings(services.settings)
    now = services.now()
    clause = split_clause_command(rest) if verb == "contract" else None
    if clause is not None:
        with services.db.session() as session:
            saved = record_contract_clause(session, supplier_name=clause[0], text=clause[1], actor_id=actor.id,
                                           now=now, today=now.astimezone(policy.timezone).date())
        reply, blocks = build_clause_saved(saved)
    elif verb in FORMS:
        open_form(verb, rest, command, context, client)
        return
    elif verb in ("", "help"):
        reply, blocks = build_help(Command.SUPPLIER)
    elif verb == "add":
        with services.db.session() as session:
            account, profile = add_supplier(session, name=rest, actor_id=actor.id, now=now, policy=policy)
            offer = catalog_offer(session, account=account)
        reply, blocks = with_catalog_offer(build_supplier_added(account, profile, zone=policy.timezone), offer)
    elif verb == "list":
        page = parse_list_page(rest)
        with services.db.session() as session:
            listing = list_candidates(session, page=page, policy=policy)
        reply, blocks = build_candidates(listing)
    elif verb == "change":
        with services.db.session() as session:
            recorded = record_change_of_supplier(session, draft=parse_change(rest), actor_id=actor.id, now=now,
                                                 settings=services.settings)
        services.deliver(keys=recorded.keys)
        reply, blocks = build_change_recorded(recorded)
    elif verb == "subcontractor":
        with services.db.session() as session:
            subcontract = record_subcontract(session, draft=parse_subcontract(rest), actor_id=actor.id, now=now)
        reply, blocks = build_subcontract_changed(subcontract)
    elif verb == "schedule":
        with services.db.session() as session:
            account, profile = set_audit_interval(session, text=rest, actor_id=actor.id, now=now, policy=policy)
        reply, blocks = build_schedule_changed(account, profile, zone=policy.timezone)
    else:
        with services.db.session() as session:
            card = scorecard(session, name=text, now=now, policy=policy)
        reply, blocks = build_scorecard(card, zone=policy.timezone, threshold=policy.audit_threshold)
    respond(text=reply, blocks=blocks)


def open_form(verb: str, name: str, command: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Open the evaluation, audit or contract modal for a supplier."""
    services = services_of(context)
    if not name.strip():
        raise InvalidInput(_("Name the supplier: `/supplier {verb} Net Co`.").format(verb=verb))
    policy = SupplierPolicy.from_settings(services.settings)
    today = services.now().astimezone(policy.timezone).date()
    with services.db.session() as session:
        account, every_months = supplier_for_form(session, name=name)
    channel_id = command["channel_id"]
    if verb == "evaluate":
        view = build_evaluation_modal(account, channel_id=channel_id, policy=policy)
    elif verb == "audit":
        view = build_audit_modal(account, channel_id=channel_id, actor_id=actor_of(context).id,
                                 every_months=every_months, today=today)
    else:
        view = build_contract_modal(account, channel_id=channel_id, policy=policy, today=today)
    client.views_open(trigger_id=command["trigger_id"], view=view)
