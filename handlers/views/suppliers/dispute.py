"""Submissions of the dispute modals: open a dispute, resolve one, ask a mediator, reopen one."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.platform.errors import FormErrors, InvalidInput, RapportError
from bot.platform.text import cut
from bot.suppliers.dispute_ladder import DisputePolicy
from bot.suppliers.dispute_mediation import name_mediator
from bot.suppliers.disputes import (
    DisputeDraft,
    check_reason,
    check_resolution,
    open_dispute,
    parse_other_suppliers,
    reopen_dispute,
    resolve_dispute,
)
from handlers.blocks.suppliers.dispute import build_dispute_changed
from handlers.blocks.suppliers.dispute_mediation import build_mediator_named
from handlers.commands.suppliers.dispute import confirm_opened
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import Block, View
from handlers.views.state import input_state, input_value, metadata, metadata_id

ERROR_LIMIT = 300
DISPUTE_FIELDS = {"supplier": Block.DISPUTE_SUPPLIER, "subject": Block.DISPUTE_SUBJECT, "scope": Block.DISPUTE_SCOPE,
                  "complaint": Block.DISPUTE_COMPLAINT, "others": Block.DISPUTE_OTHERS}


def register(app: App) -> None:
    """Listen for the dispute modals."""
    app.view(View.DISPUTE_NEW, middleware=[internal_only])(handle_new_dispute_submission)
    app.view(View.DISPUTE_RESOLVE, middleware=[internal_only])(handle_resolve_submission)
    app.view(View.DISPUTE_MEDIATOR, middleware=[internal_only])(handle_mediator_submission)
    app.view(View.DISPUTE_REOPEN, middleware=[internal_only])(handle_reopen_submission)


def _text(view: dict[str, Any], block: str) -> str:
    return (input_state(view, block).get("value") or "").strip()


def handle_new_dispute_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                                  client: WebClient) -> None:
    """Open the dispute; a problem shows in the modal next to the field it concerns."""
    services = services_of(context)
    meta = metadata(view)
    draft = DisputeDraft(supplier=_text(view, Block.DISPUTE_SUPPLIER), subject=_text(view, Block.DISPUTE_SUBJECT),
                         scope=_text(view, Block.DISPUTE_SCOPE) or None,
                         complaint=_text(view, Block.DISPUTE_COMPLAINT) or None,
                         others=parse_other_suppliers(_text(view, Block.DISPUTE_OTHERS)))
    try:
        with services.db.session() as session:
            change = open_dispute(session, draft=draft, actor_id=actor_of(context).id, now=services.now(),
                                  policy=DisputePolicy.from_services(services),
                                  is_shared=services.slack.is_shared_channel)
    except FormErrors as problem:
        ack(response_action="errors", errors={DISPUTE_FIELDS[field]: cut(message, ERROR_LIMIT)
                                              for field, message in problem.fields.items()})
        return
    except RapportError as problem:  # the escalation channel is missing or shared: nothing to fix in the form
        ack(response_action="errors", errors={Block.DISPUTE_SUPPLIER: cut(problem.message, ERROR_LIMIT)})
        return
    ack()
    text, blocks = confirm_opened(change, services)
    reply({**body, "channel": {"id": meta.get("channel")}}, client, text, blocks)


def handle_resolve_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                              client: WebClient) -> None:
    """Resolve the dispute with the text given; an empty resolution is refused in the modal."""
    services = services_of(context)
    meta = metadata(view)
    dispute_id = metadata_id(meta, "id")
    resolution = _text(view, Block.DISPUTE_RESOLUTION)
    try:
        check_resolution(resolution)
    except InvalidInput as problem:
        ack(response_action="errors", errors={Block.DISPUTE_RESOLUTION: cut(problem.message, ERROR_LIMIT)})
        return
    ack()
    with services.db.session() as session:
        change = resolve_dispute(session, dispute_id=dispute_id, resolution=resolution,
                                 actor_id=actor_of(context).id, now=services.now(),
                                 policy=DisputePolicy.from_services(services))
    services.deliver(keys=change.keys)
    reply({**body, "channel": {"id": meta.get("channel")}}, client, build_dispute_changed(change))


def handle_mediator_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                               client: WebClient) -> None:
    """Record the mediator and ask them; a problem (no such account, nowhere to ask) shows in the modal."""
    services = services_of(context)
    meta = metadata(view)
    person = input_value(view, Block.DISPUTE_MEDIATOR_PERSON)
    try:
        with services.db.session() as session:
            named = name_mediator(session, dispute_id=metadata_id(meta, "id"),
                                  mediator_name=_text(view, Block.DISPUTE_MEDIATOR_ACCOUNT),
                                  person=person if isinstance(person, str) and person else None,
                                  actor_id=actor_of(context).id, now=services.now(),
                                  policy=DisputePolicy.from_services(services))
    except RapportError as problem:
        ack(response_action="errors", errors={Block.DISPUTE_MEDIATOR_ACCOUNT: cut(problem.message, ERROR_LIMIT)})
        return
    ack()
    services.deliver(keys=named.change.keys)
    text, blocks = build_mediator_named(named)
    reply({**body, "channel": {"id": meta.get("channel")}}, client, text, blocks)


def handle_reopen_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                             client: WebClient) -> None:
    """Reopen the dispute with the reason given; an empty reason is refused in the modal."""
    services = services_of(context)
    meta = metadata(view)
    reason = _text(view, Block.DISPUTE_REOPEN_REASON)
    try:
        check_reason(reason)
    except InvalidInput as problem:
        ack(response_action="errors", errors={Block.DISPUTE_REOPEN_REASON: cut(problem.message, ERROR_LIMIT)})
        return
    ack()
    with services.db.session() as session:
        change = reopen_dispute(session, dispute_id=metadata_id(meta, "id"), reason=reason,
                                actor_id=actor_of(context).id, now=services.now(),
                                policy=DisputePolicy.from_services(services))
    services.deliver(keys=change.keys)
    reply({**body, "channel": {"id": meta.get("channel")}}, client, build_dispute_changed(change))
