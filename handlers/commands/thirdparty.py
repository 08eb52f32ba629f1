"""/thirdparty: information-sharing agreements (5W1H), sharing a summary, third parties' requests, and their
evaluation and periodic reviews."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext, Respond
from slack_sdk import WebClient

from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.platform.services import Services
from bot.suppliers.scoring import SupplierPolicy
from bot.thirdparty.requests import (
    list_open_requests,
    log_request,
    mark_done,
    parse_request_id,
    parse_request_text,
    third_party_overview,
)
from bot.thirdparty.reviews import form_for, review_standing
from bot.thirdparty.sharing import parse_share_text, share_summary, start_agreement
from handlers.blocks.common import Reply
from handlers.blocks.platform.help import build_help
from handlers.blocks.thirdparty.messages import (
    build_request_done,
    build_request_list,
    build_request_logged,
    build_shared,
    build_third_party_view,
)
from handlers.blocks.thirdparty.reviews import build_evaluation_modal, build_review_modal, standing_blocks
from handlers.blocks.thirdparty.sharing_modal import build_agreement_modal
from handlers.context import actor_of, internal_only, services_of
from handlers.ids import Command


def register(app: App) -> None:
    """Listen for /thirdparty."""
    app.command(Command.THIRDPARTY, middleware=[internal_only])(handle_thirdparty_command)


def handle_thirdparty_command(ack: Ack, command: dict[str, Any], context: BoltContext, respond: Respond,
                              client: WebClient) -> None:
    """Route `/thirdparty …` to its sub-commands."""
    ack()
    services = services_of(context)
    actor = actor_of(context)
    text = command.get("text", "").strip()
    verb, _space, rest = text.partition(" ")
    verb = verb.lower()
    tz = services.settings.zone
    calendar = services.team_calendar()
    if verb in ("", "help"):
        reply, blocks = build_help(Command.THIRDPARTY)
    elif verb == "agree":
        open_agreement_modal(services, rest, command, client, actor_id=actor.id)
        return
    elif verb in ("evaluate", "review"):
        open_scoring_modal(services, verb, rest, command, client, actor_id=actor.id)
        return
    elif verb == "share":
        reply, blocks = share(services, rest, channel_id=command["channel_id"], user_id=actor.id)
    elif verb == "request":
        with services.db.session() as session:
            change = log_request(session, draft=parse_request_text(rest), actor_id=actor.id, now=services.now(),
                                 calendar=calendar)
        reply, blocks = build_request_logged(change, tz=tz)
    elif verb == "requests":
        with services.db.session() as session:
            rows = list_open_requests(session, name=rest.strip() or None)
        reply, blocks = build_request_list(rows, tz=tz)
    elif verb == "done":
        request_id = parse_request_id(rest)
        with services.db.session() as session:
            change = mark_done(session, request_id=request_id, actor_id=actor.id, now=services.now())
        reply = build_request_done(change)
        blocks = []
    else:
        with services.db.session() as session:
            overview = third_party_overview(session, name=text, now=services.now(), calendar=calendar)
            standing = review_standing(session, account=overview.account, now=services.now(),
                                       settings=services.settings)
        reply, blocks = build_third_party_view(overview.account, overview.agreements, overview.requests, tz=tz)
        threshold = SupplierPolicy.from_settings(services.settings).audit_threshold
        blocks += standing_blocks(standing, zone=tz, threshold=threshold)
    respond(text=reply, blocks=blocks or None)


def open_agreement_modal(services: Services, name: str, command: dict[str, Any], client: WebClient, *,
                         actor_id: str) -> None:
    """The 5W1H form for `/thirdparty agree <name>`, its channel prefilled from the account's link."""
    managers = tuple(services.settings.rapport_managers)
    with services.db.session() as session:
        start = start_agreement(session, name=name, managers=managers)
    today = services.now().astimezone(services.settings.zone).date()
    metadata = json.dumps({"account_id": start.account.id, "channel": command["channel_id"]})
    client.views_open(trigger_id=command["trigger_id"], view=build_agreement_modal(
        account_name=start.account.name, private_metadata=metadata, channel_id=start.channel_id, actor_id=actor_id,
        approver=actor_id if actor_id in managers else None, until=today + timedelta(days=365)))


def open_scoring_modal(services: Services, verb: str, name: str, command: dict[str, Any], client: WebClient, *,
                       actor_id: str) -> None:
    """The evaluation or review modal for `/thirdparty evaluate|review <name>`, on the criteria of its role."""
    if not name.strip():
        raise InvalidInput(_("Name the third party: `/thirdparty {verb} AuditCo`.").format(verb=verb))
    with services.db.session(read_only=True) as session:
        form = form_for(session, name=name, now=services.now(), settings=services.settings)
    if verb == "evaluate":
        threshold = SupplierPolicy.from_settings(services.settings).qualify_threshold
        view = build_evaluation_modal(form, channel_id=command["channel_id"], threshold=threshold)
    else:
        view = build_review_modal(form, channel_id=command["channel_id"], actor_id=actor_id)
    client.views_open(trigger_id=command["trigger_id"], view=view)


def share(services: Services, text: str, *, channel_id: str, user_id: str) -> Reply:
    """`/thirdparty share <name> <kind> [#channel]`: post the summary if an agreement covers it."""
    draft = parse_share_text(text, channel_id=channel_id)
    with services.db.session() as session:
        shared = share_summary(session, draft=draft, user_id=user_id, now=services.now(),
                               calendar=services.team_calendar())
    landing = services.deliver_and_link(shared.key)
    return build_shared(shared, posted=landing.delivered), []
