"""Submissions of the third-party modals: the information-sharing agreement (5W1H), an evaluation, a review."""

from __future__ import annotations

from datetime import date
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlmodel import Session

from bot.platform import people
from bot.platform.errors import FormErrors
from bot.platform.text import cut
from bot.suppliers.scoring import SupplierPolicy
from bot.thirdparty.criteria import all_keys, criteria_for
from bot.thirdparty.reviews import record_evaluation, record_review
from bot.thirdparty.sharing import AgreementForm, record_agreement
from handlers.blocks.common import Reply
from handlers.blocks.thirdparty.messages import build_agreement_recorded
from handlers.blocks.thirdparty.reviews import build_evaluation_saved, build_review_saved
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import Block, View
from handlers.views.state import input_state, metadata, metadata_id
from handlers.views.suppliers.forms import read_audit_form, read_scores, read_weights
from handlers.views.suppliers.supplier import submit
from storage.thirdparty.sharing import SharingMethod, SharingWindow

ERROR_LIMIT = 300
SHARING_FIELDS = {"why": Block.SHARING_WHY, "what": Block.SHARING_WHAT, "where": Block.SHARING_WHERE,
                  "schedule": Block.SHARING_SCHEDULE, "who": Block.SHARING_WHO, "approver": Block.SHARING_APPROVER,
                  "until": Block.SHARING_UNTIL}


def register(app: App) -> None:
    """Listen for the sharing-agreement modal."""
    app.view(View.SHARING_AGREEMENT, middleware=[internal_only])(handle_agreement_submission)
    app.view(View.THIRDPARTY_EVALUATION, middleware=[internal_only])(handle_evaluation_submission)
    app.view(View.THIRDPARTY_REVIEW, middleware=[internal_only])(handle_review_submission)


def _agreement_form(view: dict[str, Any]) -> AgreementForm:
    def value(block: str) -> dict[str, Any]:
        return input_state(view, block)

    until = value(Block.SHARING_UNTIL).get("selected_date")
    return AgreementForm(
        purpose=value(Block.SHARING_WHY).get("value") or "",
        kinds=[option["value"] for option in value(Block.SHARING_WHAT).get("selected_options") or []],
        channel_id=value(Block.SHARING_WHERE).get("selected_conversation"),
        window=SharingWindow((value(Block.SHARING_WHEN).get("selected_option") or {}).get(
            "value", SharingWindow.ANY_TIME)),
        schedule=value(Block.SHARING_SCHEDULE).get("value"),
        people=list(value(Block.SHARING_WHO).get("selected_users") or []),
        method=SharingMethod((value(Block.SHARING_HOW).get("selected_option") or {}).get(
            "value", SharingMethod.SLACK)),
        approved_by=value(Block.SHARING_APPROVER).get("selected_user"),
        valid_until=date.fromisoformat(until) if until else None,
    )


def handle_agreement_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                                client: WebClient) -> None:
    """Record the agreement and ask its approver; a problem with one of its 5W1H shows next to that field."""
    services = services_of(context)
    meta = metadata(view)
    account_id = metadata_id(meta, "account_id")
    try:
        with services.db.session() as session:
            # One users.info look-up for the approver, cached: quick enough before the ack.
            recorded = record_agreement(session, account_id=account_id, form=_agreement_form(view),
                                        actor_id=actor_of(context).id, now=services.now(),
                                        calendar=services.team_calendar(),
                                        managers=tuple(services.settings.rapport_managers),
                                        is_internal=lambda user_id: people.is_internal(services.slack, user_id))
    except FormErrors as problem:
        ack(response_action="errors", errors={SHARING_FIELDS[field]: cut(message, ERROR_LIMIT)
                                              for field, message in problem.fields.items()})
        return
    ack()
    services.deliver(keys=recorded.keys)
    text, blocks = build_agreement_recorded(recorded)
    reply({**body, "channel": {"id": meta.get("channel")}}, client, text, blocks)


def _role(view: dict[str, Any]) -> str | None:
    role = metadata(view).get("role")
    return str(role) if role else None


def handle_evaluation_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                                 client: WebClient) -> None:
    """Evaluate a third party on its role's criteria: total, verdict, next review."""
    services = services_of(context)
    now = services.now()
    role = _role(view)
    scores, notes = read_scores(view, list(criteria_for(role).keys))

    def save(session: Session, account_id: int, actor_id: str, _policy: SupplierPolicy) -> Reply:
        account, evaluation, criteria, profile = record_evaluation(
            session, account_id=account_id, scores=scores, notes=notes, weights=read_weights(view), role=role,
            actor_id=actor_id, now=now, settings=services.settings)
        return build_evaluation_saved(account, evaluation, criteria, zone=services.settings.zone, profile=profile)

    submit(ack, body, view, context, client, save, all_keys())


def handle_review_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                             client: WebClient) -> None:
    """Review a third party for a period: average, trend, any flag, the next review on a working day."""
    services = services_of(context)
    now = services.now()
    role = _role(view)
    scores, notes = read_scores(view, list(criteria_for(role).keys))

    def save(session: Session, account_id: int, actor_id: str, policy: SupplierPolicy) -> Reply:
        recorded, criteria = record_review(session, account_id=account_id, scores=scores, notes=notes,
                                           form=read_audit_form(view), role=role, actor_id=actor_id, now=now,
                                           settings=services.settings)
        return build_review_saved(recorded, criteria, zone=services.settings.zone, threshold=policy.audit_threshold)

    submit(ack, body, view, context, client, save, all_keys())
