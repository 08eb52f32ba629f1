"""Submissions of the complaint modals: log a complaint, resolve one."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.complaint_clock import ComplaintPolicy
from bot.care.complaint_commands import Draft
from bot.care.complaints import MessageSource, check_draft, check_resolution, open_complaint, resolve_complaint
from bot.platform.errors import InvalidInput, NotConfigured, NotFound, RapportError, Refused
from bot.platform.text import cut
from handlers.blocks.care.complaint import build_complaint_changed
from handlers.commands.care.complaint import confirm_opened
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import Block, View
from handlers.views.state import input_choice, input_text, metadata, metadata_id
from storage.care.complaints import ComplaintSeverity

ERROR_LIMIT = 300


def register(app: App) -> None:
    """Listen for the complaint modals."""
    app.view(View.COMPLAINT_NEW, middleware=[internal_only])(handle_new_complaint_submission)
    app.view(View.COMPLAINT_RESOLVE, middleware=[internal_only])(handle_resolve_submission)


def handle_new_complaint_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                                    client: WebClient) -> None:
    """Log the complaint; problems with the account or the summary show in the modal, next to the field.

    Only the database is asked before the ack (Slack's 3 s): what Slack knows about the message came
    in the modal's metadata, and whether the card's channel is shared is asked after the ack.
    """
    services = services_of(context)
    meta = metadata(view)
    draft = read_draft(view)
    policy = ComplaintPolicy.from_settings(services.settings)
    try:
        with services.db.session() as session:
            check_draft(session, draft=draft, channel_id=meta.get("channel"), policy=policy)
    except (NotFound, Refused, NotConfigured) as problem:
        ack(response_action="errors", errors={Block.COMPLAINT_ACCOUNT: cut(problem.message, ERROR_LIMIT)})
        return
    except InvalidInput as problem:
        ack(response_action="errors", errors={Block.COMPLAINT_SUMMARY: cut(problem.message, ERROR_LIMIT)})
        return
    ack()
    where = {**body, "channel": {"id": meta.get("channel")}}
    try:
        with services.db.session() as session:
            change = open_complaint(session, draft=draft, channel_id=meta.get("channel"),
                                    actor_id=actor_of(context).id, now=services.now(), policy=policy,
                                    is_shared=services.slack.is_shared_channel, source=message_source(meta))
    except RapportError as problem:  # the modal has closed: say it where the person is
        reply(where, client, problem.message)
        return
    text, blocks = confirm_opened(change, services)
    reply(where, client, text, blocks)


def read_draft(view: dict[str, Any]) -> Draft:
    """The complaint typed in the modal: account, summary and severity (normal unless chosen)."""
    return Draft(summary=input_text(view, Block.COMPLAINT_SUMMARY),
                 severity=input_choice(view, Block.COMPLAINT_SEVERITY, ComplaintSeverity, ComplaintSeverity.NORMAL),
                 account_name=input_text(view, Block.COMPLAINT_ACCOUNT).strip() or None)


def message_source(meta: dict[str, Any]) -> MessageSource | None:
    """The message a complaint comes from, as the Log complaint shortcut found it; None from /complaint."""
    if not meta.get("ts"):
        return None
    return MessageSource(channel_id=str(meta.get("channel") or ""), ts=str(meta["ts"]),
                         complainant_id=meta.get("complainant"), permalink=meta.get("permalink"),
                         thread_ts=meta.get("thread_ts"))


def handle_resolve_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                              client: WebClient) -> None:
    """Resolve the complaint with the text given; an empty resolution is refused in the modal."""
    services = services_of(context)
    meta = metadata(view)
    complaint_id = metadata_id(meta, "id")
    resolution = input_text(view, Block.COMPLAINT_RESOLUTION)
    try:
        check_resolution(resolution)
    except InvalidInput as problem:
        ack(response_action="errors", errors={Block.COMPLAINT_RESOLUTION: cut(problem.message, ERROR_LIMIT)})
        return
    ack()
    actor = actor_of(context)
    with services.db.session() as session:
        change = resolve_complaint(session, complaint_id=complaint_id, resolution=resolution, actor_id=actor.id,
                                   now=services.now(), policy=ComplaintPolicy.from_settings(services.settings))
    services.deliver(keys=change.keys)
    reply({**body, "channel": {"id": meta.get("channel")}}, client, build_complaint_changed(change))
