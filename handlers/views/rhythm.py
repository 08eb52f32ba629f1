"""Submissions of the rhythm's modals: an account's service agreement, and a meeting's minutes."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.platform import people
from bot.platform.errors import FormErrors, RapportError
from bot.rhythm.action_items import ActionRow, RowProblem
from bot.rhythm.agreements import AgreementEntry, save_agreement
from bot.rhythm.minutes import record_minutes
from handlers.blocks.rhythm.modals import ACTION_ROWS, action_block, agreement_block
from handlers.blocks.rhythm.reminders import build_agreement_saved, build_minutes_saved
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import Block, View
from handlers.views.state import input_value, metadata, metadata_id


def register(app: App) -> None:
    """Listen for the agreement and minutes modals."""
    app.view(View.AGREEMENT, middleware=[internal_only])(handle_agreement_submission)
    app.view(View.MEETING_MINUTES, middleware=[internal_only])(handle_minutes_submission)


@dataclass(frozen=True)
class Opened:
    """What a modal was opened for (an account, or a meeting's occurrence) and the channel that gets the receipt."""

    id: int
    channel: str | None


def read_opened(view: dict[str, Any], *, key: str) -> Opened:
    """The id under `key` and the channel the modal's builder put in its private metadata."""
    meta = metadata(view)
    return Opened(metadata_id(meta, key), meta.get("channel"))


def read_agreement(view: dict[str, Any]) -> AgreementEntry:
    """The agreement modal's fields, as submitted."""
    return AgreementEntry(cycle=input_value(view, agreement_block("cycle")) or "",
                          report_day=input_value(view, agreement_block("report_day")),
                          review_day=input_value(view, agreement_block("review_day")),
                          review_time=input_value(view, agreement_block("review_time")),
                          shared_reminders="on" in input_value(view, agreement_block("shared")))


def read_action_rows(view: dict[str, Any]) -> list[ActionRow]:
    """The action item rows of the minutes modal, as typed (any part may be empty)."""
    return [ActionRow(row=row, text=input_value(view, action_block("text", row)),
                      owner_id=input_value(view, action_block("owner", row)) or None,
                      due_text=input_value(view, action_block("due", row))) for row in range(1, ACTION_ROWS + 1)]


def handle_agreement_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                                client: WebClient) -> None:
    """Save the agreement (errors shown on their field), close the modal, and say what was planned."""
    services = services_of(context)
    opened = read_opened(view, key="account_id")
    try:
        with services.db.session() as session:
            saved = save_agreement(session, account_id=opened.id, entry=read_agreement(view),
                                   actor_id=actor_of(context).id, now=services.now(), settings=services.settings)
    except FormErrors as problem:
        ack(response_action="errors", errors={agreement_block(name): text for name, text in problem.fields.items()})
        return
    ack()
    text, blocks = build_agreement_saved(saved)
    reply({**body, "channel": {"id": opened.channel}}, client, text, blocks)


def handle_minutes_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                              client: WebClient) -> None:
    """Record the minutes and action items (errors shown on their row), close the modal, tell the owners."""
    services = services_of(context)
    opened = read_opened(view, key="occurrence_id")
    try:
        with services.db.session() as session:
            # Up to three users.info look-ups for the owners, cached: quick enough before the ack.
            minutes = record_minutes(session, occurrence_id=opened.id, notes=input_value(view, Block.MINUTES_NOTES),
                                     rows=read_action_rows(view), actor_id=actor_of(context).id, now=services.now(),
                                     settings=services.settings,
                                     is_internal=lambda user_id: people.is_internal(services.slack, user_id))
    except RowProblem as problem:
        ack(response_action="errors", errors={action_block(problem.field, problem.row): problem.message})
        return
    except RapportError as error:  # shown on the notes, so nothing typed is lost
        ack(response_action="errors", errors={Block.MINUTES_NOTES: error.message})
        return
    ack()
    services.deliver(keys=minutes.keys)
    text, blocks = build_minutes_saved(minutes)
    reply({**body, "channel": {"id": opened.channel}}, client, text, blocks)
