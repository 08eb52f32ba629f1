"""Submission of a value-added service proposal (增值服务)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.care.services_added import PRINCIPLES, PrincipleAnswer, ServiceForm, record_proposal
from bot.care.services_added_schedule import record_done
from bot.platform.errors import FormErrors, InvalidInput, NotFound
from bot.platform.i18n import _
from bot.platform.text import cut
from bot.rhythm.meetings import account_calendar
from handlers.blocks.care.services_added import (
    AFFIRMED,
    build_proposal_recorded,
    build_service_done,
    field_block,
    note_block,
    principle_block,
)
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import Block, View
from handlers.views.state import input_state, metadata, metadata_id
from storage.accounts import Account

ERROR_LIMIT = 300


def register(app: App) -> None:
    """Listen for the proposal modal."""
    app.view(View.SERVICE_PROPOSAL, middleware=[internal_only])(handle_proposal_submission)
    app.view(View.SERVICE_DONE, middleware=[internal_only])(handle_done_submission)


def handle_done_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                           client: WebClient) -> None:
    """Record the delivery with its note; a problem shows next to the note."""
    services = services_of(context)
    meta = metadata(view)
    service_id = metadata_id(meta, "service_id")
    try:
        with services.db.session() as session:
            delivered = record_done(session, service_id=service_id, note=_text(view, Block.SERVICE_DONE_NOTE),
                                    actor_id=actor_of(context).id, now=services.now())
    except InvalidInput as problem:
        ack(response_action="errors", errors={Block.SERVICE_DONE_NOTE: cut(problem.message, ERROR_LIMIT)})
        return
    ack()
    reply({**body, "channel": {"id": meta.get("channel")}}, client, build_service_done(delivered))


def _text(view: dict[str, Any], block: str) -> str:
    return str(input_state(view, block).get("value") or "")


def _proposal_form(view: dict[str, Any]) -> ServiceForm:
    principles = {key: PrincipleAnswer(
        affirmed=any(option.get("value") == AFFIRMED
                     for option in input_state(view, principle_block(key)).get("selected_options") or []),
        note=_text(view, note_block(key))) for key in PRINCIPLES}
    return ServiceForm(what=_text(view, field_block("what")), schedule=_text(view, field_block("schedule")),
                       cost=_text(view, field_block("cost")), effort=_text(view, field_block("effort")) or None,
                       principles=principles)


def _block_of(field: str) -> str:
    return principle_block(field) if field in PRINCIPLES else field_block(field)


def handle_proposal_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                               client: WebClient) -> None:
    """Record the proposal and ask the manager; a problem with a field shows next to it."""
    services = services_of(context)
    meta = metadata(view)
    account_id = metadata_id(meta, "account_id")
    try:
        with services.db.session() as session:
            account = session.get(Account, account_id)
            if account is None:
                raise NotFound(_("That account no longer exists; nothing was recorded."))
            recorded = record_proposal(session, account_id=account_id, form=_proposal_form(view),
                                       actor_id=actor_of(context).id, now=services.now(),
                                       calendar=account_calendar(account, services.settings),
                                       managers=tuple(services.settings.rapport_managers))
    except FormErrors as problem:
        ack(response_action="errors", errors={_block_of(field): cut(message, ERROR_LIMIT)
                                              for field, message in problem.fields.items()})
        return
    ack()
    services.deliver(keys=recorded.keys)
    text, blocks = build_proposal_recorded(recorded)
    reply({**body, "channel": {"id": meta.get("channel")}}, client, text, blocks)
