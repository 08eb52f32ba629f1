"""Submissions of the outage modals: a note on a layer (a supplier's people may send it: the domain checks their
organisation again), and closing an outage (internal only)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.platform.errors import InvalidInput, RapportError
from bot.platform.text import cut
from bot.suppliers.coordination_close import CloseDraft, check_cause, close_coordination, parse_complaint_ids
from bot.suppliers.coordination_parties import add_layer_note, authorise_twin_press, check_note
from handlers.actions.suppliers import twin_press
from handlers.blocks.suppliers.coordination_close import build_coordination_closed
from handlers.blocks.suppliers.coordination_twin import build_twin_changed
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import Block, View
from handlers.views.state import input_text, input_value, metadata, metadata_id

ERROR_LIMIT = 300


def register(app: App) -> None:
    """Listen for the outage modals."""
    app.view(View.COORDINATION_NOTE)(handle_layer_note_submission)
    app.view(View.COORDINATION_CLOSE, middleware=[internal_only])(handle_close_submission)


def handle_layer_note_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                           client: WebClient) -> None:
    """Add the note to the layer; both cards update."""
    try:
        text = check_note(input_text(view, Block.COORDINATION_NOTE))
    except InvalidInput as problem:
        ack(response_action="errors", errors={Block.COORDINATION_NOTE: cut(problem.message, ERROR_LIMIT)})
        return
    ack()
    services = services_of(context)
    meta = metadata(view)
    channel = meta.get("channel") if isinstance(meta.get("channel"), str) else None
    press = twin_press(body, context, channel)
    with services.db.session(read_only=True) as session:
        target = authorise_twin_press(session, services.slack, layer_id=metadata_id(meta, "layer"), press=press)
    with services.db.session() as session:
        change = add_layer_note(session, target=target, text=text, actor_id=press.actor_id, now=services.now(),
                                tz=services.settings.zone, calendar=services.team_calendar())
    services.deliver(keys=change.keys)
    reply({**body, "channel": {"id": channel}}, client, build_twin_changed(change))


def handle_close_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                            client: WebClient) -> None:
    """Close the outage; a missing cause or a bad complaint number shows in the modal."""
    services = services_of(context)
    meta = metadata(view)
    try:
        cause = check_cause(input_text(view, Block.COORDINATION_CAUSE))
    except InvalidInput as problem:
        ack(response_action="errors", errors={Block.COORDINATION_CAUSE: cut(problem.message, ERROR_LIMIT)})
        return
    try:
        picked = input_value(view, Block.COORDINATION_PICKED)
        typed = input_text(view, Block.COORDINATION_COMPLAINTS)
        complaints = parse_complaint_ids(" ".join([*(picked if isinstance(picked, list) else []), typed]))
    except InvalidInput as problem:
        ack(response_action="errors", errors={Block.COORDINATION_COMPLAINTS: cut(problem.message, ERROR_LIMIT)})
        return
    draft = CloseDraft(metadata_id(meta, "id"), str(input_value(view, Block.COORDINATION_LAYER) or ""), cause,
                       complaints)
    try:
        with services.db.session() as session:
            change = close_coordination(session, draft=draft, actor_id=actor_of(context).id, now=services.now(),
                                        tz=services.settings.zone)
    except RapportError as problem:  # an unknown complaint, or the outage was closed meanwhile
        ack(response_action="errors", errors={Block.COORDINATION_COMPLAINTS: cut(problem.message, ERROR_LIMIT)})
        return
    ack()
    services.deliver(keys=change.keys)
    text, blocks = build_coordination_closed(change)
    reply({**body, "channel": {"id": meta.get("channel")}}, client, text, blocks)
