"""Submissions of the supplier modals: evaluation, audit, support contract."""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient
from sqlmodel import Session

from bot.platform.errors import FormErrors, RapportError
from bot.suppliers.audits import record_audit
from bot.suppliers.contracts import record_contract
from bot.suppliers.evaluation import record_evaluation
from bot.suppliers.scoring import SupplierPolicy
from handlers.blocks.common import Reply
from handlers.blocks.suppliers.contracts import build_contract_saved
from handlers.blocks.suppliers.forms import error_blocks
from handlers.blocks.suppliers.scorecard import build_audit_saved, build_evaluation_saved
from handlers.context import actor_of, internal_only, reply, services_of
from handlers.ids import View
from handlers.views.suppliers.forms import opened_for, read_audit_form, read_contract, read_scores, read_weights
from storage.suppliers.evaluations import Criterion, Dimension

Save = Callable[[Session, int, str, SupplierPolicy], Reply]


def register(app: App) -> None:
    """Listen for the supplier modals."""
    app.view(View.SUPPLIER_EVALUATION, middleware=[internal_only])(handle_evaluation_submission)
    app.view(View.SUPPLIER_AUDIT, middleware=[internal_only])(handle_audit_submission)
    app.view(View.SUPPLIER_CONTRACT, middleware=[internal_only])(handle_contract_submission)


def submit(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient,
           save: Save, scored: Collection[str] = ()) -> None:
    """Save the form in one unit of work; show field errors in the modal (nothing saved), else close it and reply.

    `scored`: the items scored besides a supplier's (a third party's criteria), so their errors show on them.
    """
    services = services_of(context)
    source = opened_for(view)
    policy = SupplierPolicy.from_settings(services.settings)
    answer_to = {**body, "channel": {"id": source.channel}}
    try:
        with services.db.session() as session:
            text, blocks = save(session, source.account_id, actor_of(context).id, policy)
    except FormErrors as error:
        ack(response_action="errors", errors=error_blocks(error.fields, scored))
        return
    except RapportError as error:
        ack()
        reply(answer_to, client, error.message)
        return
    ack()
    reply(answer_to, client, text, blocks)


def handle_evaluation_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                                 client: WebClient) -> None:
    """Score a candidate on the nine criteria: its total and verdict."""
    now = services_of(context).now()
    scores, notes = read_scores(view, [c.value for c in Criterion])

    def save(session: Session, account_id: int, actor_id: str, policy: SupplierPolicy) -> Reply:
        account, evaluation = record_evaluation(session, account_id=account_id, scores=scores, notes=notes,
                                                weights=read_weights(view), actor_id=actor_id, now=now, policy=policy)
        return build_evaluation_saved(account, evaluation)

    submit(ack, body, view, context, client, save)


def handle_audit_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                            client: WebClient) -> None:
    """Record an audit on the six dimensions: its average, the next due date, and any flag."""
    now = services_of(context).now()
    scores, notes = read_scores(view, [d.value for d in Dimension])

    def save(session: Session, account_id: int, actor_id: str, policy: SupplierPolicy) -> Reply:
        recorded = record_audit(session, account_id=account_id, scores=scores, notes=notes, form=read_audit_form(view),
                                actor_id=actor_id, now=now, policy=policy)
        return build_audit_saved(recorded, zone=policy.timezone, threshold=policy.audit_threshold)

    submit(ack, body, view, context, client, save)


def handle_contract_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext,
                               client: WebClient) -> None:
    """Save a support contract and check it against the customer SLA it backs."""
    now = services_of(context).now()
    form = read_contract(view)

    def save(session: Session, account_id: int, actor_id: str, policy: SupplierPolicy) -> Reply:
        status = record_contract(session, supplier_id=account_id, form=form, actor_id=actor_id, now=now, policy=policy)
        return build_contract_saved(status)

    submit(ack, body, view, context, client, save)
