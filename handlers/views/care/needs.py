"""Submissions of the need modals: log a need from a message, decline one with its reason, date its agreement."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.need_agreements import record_agreement
from bot.care.needs import MessageSource, change_status, check_text, log_need_from_message
from bot.platform.errors import InvalidInput, RapportError
from bot.platform.text import cut
from handlers.blocks.care.needs import build_agreement_changed, build_need_changed, build_need_logged
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import Block, View
from handlers.views.state import input_text, metadata, metadata_id
from storage.care.needs import NeedStatus

ERROR_LIMIT = 300


def register(app: App) -> None:
    """Listen for the need modals."""
    app.view(View.NEED_NEW, middleware=[internal_only])(handle_new_need_submission)
    app.view(View.NEED_DECLINED, middleware=[internal_only])(handle_decline_submission)
    app.view(View.NEED_AGREEMENT_DATE, middleware=[internal_only])(handle_agreement_submission)


def handle_new_need_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                               client: WebClient) -> None:
    """Log the need once; an empty or overlong text shows next to the field."""
    services = services_of(context)
    meta = metadata(view)
    text = input_text(view, Block.NEED_TEXT)
    try:
        check_text(text)
    except InvalidInput as problem:
        ack(response_action="errors", errors={Block.NEED_TEXT: cut(problem.message, ERROR_LIMIT)})
        return
    ack()
    where = {**body, "channel": {"id": meta.get("channel")}}
    source = MessageSource(channel_id=str(meta.get("channel") or ""), ts=str(meta.get("ts") or ""),
                           customer_id=meta.get("customer"), permalink=meta.get("permalink"))
    try:
        with services.db.session() as session:
            logged = log_need_from_message(session, actor_id=actor_of(context).id, source=source, text=text,
                                           now=services.now())
    except RapportError as problem:  # the modal has closed: say it where the person is
        reply(where, client, problem.message)
        return
    reply(where, client, *build_need_logged(logged, zone=services.settings.zone))


def handle_decline_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                              client: WebClient) -> None:
    """Decline the need with the reason given; a missing reason shows next to the field."""
    services = services_of(context)
    meta = metadata(view)
    need_id = metadata_id(meta, "need_id")
    try:
        with services.db.session() as session:
            changed = change_status(session, need_id=need_id, status=NeedStatus.DECLINED,
                                    actor_id=actor_of(context).id, now=services.now(),
                                    reason=input_text(view, Block.NEED_REASON))
    except RapportError as problem:
        ack(response_action="errors", errors={Block.NEED_REASON: cut(problem.message, ERROR_LIMIT)})
        return
    ack()
    reply({**body, "channel": {"id": meta.get("channel")}}, client,
          *build_need_changed(changed, zone=services.settings.zone))


def handle_agreement_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                                client: WebClient) -> None:
    """Record the supplementary agreement's date; a date Rapport cannot read shows next to the field."""
    services = services_of(context)
    meta = metadata(view)
    need_id = metadata_id(meta, "need_id")
    try:
        with services.db.session() as session:
            asked = record_agreement(session, need_id=need_id, when_text=input_text(view, Block.NEED_AGREEMENT_WHEN),
                                     actor_id=actor_of(context).id, now=services.now(), services=services)
    except RapportError as problem:
        ack(response_action="errors", errors={Block.NEED_AGREEMENT_WHEN: cut(problem.message, ERROR_LIMIT)})
        return
    ack()
    reply({**body, "channel": {"id": meta.get("channel")}}, client,
          build_agreement_changed(asked, zone=services.settings.zone))
