"""Submissions of the complaint modals: log a complaint, resolve one."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.complaint_clock import ComplaintPolicy
from bot.complaints import Draft, MessageSource, check_resolution, open_complaint, resolve_complaint
from bot.errors import InvalidInput, NotConfigured, NotFound, Refused
from bot.services import Services
from bot.text import cut
from handlers.blocks.complaint import build_complaint_changed
from handlers.commands.complaint import confirm_opened
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import Action, Block, View
from storage.complaints import ComplaintSeverity

ERROR_LIMIT = 300


def register(app: App) -> None:
    """Listen for the complaint modals."""
    app.view(View.COMPLAINT_NEW, middleware=[internal_only])(handle_new_complaint_submission)
    app.view(View.COMPLAINT_RESOLVE, middleware=[internal_only])(handle_resolve_submission)


def _value(view: dict[str, Any], block: str) -> dict[str, Any]:
    return view["state"]["values"][block][Action.COMPLAINT_INPUT]


def handle_new_complaint_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                                    client: WebClient) -> None:
    """Log the complaint; problems with the account or the summary show in the modal, next to the field."""
    services = services_of(context)
    meta = json.loads(view.get("private_metadata") or "{}")
    option = _value(view, Block.COMPLAINT_SEVERITY).get("selected_option") or {}
    draft = Draft(summary=_value(view, Block.COMPLAINT_SUMMARY).get("value") or "",
                  severity=ComplaintSeverity(option.get("value", ComplaintSeverity.NORMAL)),
                  account_name=(_value(view, Block.COMPLAINT_ACCOUNT).get("value") or "").strip() or None)
    source = message_source(services, meta) if meta.get("ts") else None
    try:
        with services.db.session() as session:
            change = open_complaint(session, draft=draft, channel_id=meta.get("channel"),
                                    actor_id=actor_of(context).id, now=services.now(),
                                    policy=ComplaintPolicy.from_settings(services.settings),
                                    is_shared=services.slack.is_shared_channel, source=source)
    except (NotFound, Refused, NotConfigured) as problem:
        ack(response_action="errors", errors={Block.COMPLAINT_ACCOUNT: cut(problem.message, ERROR_LIMIT)})
        return
    except InvalidInput as problem:
        ack(response_action="errors", errors={Block.COMPLAINT_SUMMARY: cut(problem.message, ERROR_LIMIT)})
        return
    ack()
    text, blocks = confirm_opened(change, services)
    reply({**body, "channel": {"id": meta.get("channel")}}, client, text, blocks)


def message_source(services: Services, meta: dict[str, str]) -> MessageSource:
    """The message a complaint comes from: its author is the complainant when they are a customer."""
    author = meta.get("author")
    person = services.slack.user(author) if author else None
    external = person is not None and not person.is_bot and person.team_id != services.slack.home_team_id()
    return MessageSource(channel_id=meta["channel"], ts=meta["ts"], complainant_id=author if external else None,
                         permalink=services.slack.permalink(meta["channel"], meta["ts"]))


def handle_resolve_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                              client: WebClient) -> None:
    """Resolve the complaint with the text given; an empty resolution is refused in the modal."""
    services = services_of(context)
    meta = json.loads(view.get("private_metadata") or "{}")
    resolution = _value(view, Block.COMPLAINT_RESOLUTION).get("value") or ""
    try:
        check_resolution(resolution)
    except InvalidInput as problem:
        ack(response_action="errors", errors={Block.COMPLAINT_RESOLUTION: cut(problem.message, ERROR_LIMIT)})
        return
    ack()
    actor = actor_of(context)
    with services.db.session() as session:
        change = resolve_complaint(session, complaint_id=int(meta["id"]), resolution=resolution, actor_id=actor.id,
                                   now=services.now(), policy=ComplaintPolicy.from_settings(services.settings))
    if change.keys:
        services.deliver(keys=change.keys)
    reply({**body, "channel": {"id": meta.get("channel")}}, client, build_complaint_changed(change))
