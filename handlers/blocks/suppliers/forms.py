"""The supplier modals: evaluation (nine criteria), audit (six dimensions), support contract; their scored parts
are shared with the third-party evaluation and review modals (any criteria set, by labels)."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    CheckboxesElement,
    DatePickerElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from bot.platform.i18n import _
from bot.suppliers.audit_schedule import AUDIT_INTERVALS
from bot.suppliers.scoring import NOTE_LIMIT, SupplierPolicy
from handlers.blocks.common import context, section
from handlers.blocks.suppliers.labels import criterion_labels, dimension_labels, severity_words, weights_text
from handlers.ids import Action, Block
from handlers.ids import View as ViewId
from storage.accounts import Account
from storage.care.complaints import ComplaintSeverity
from storage.suppliers.evaluations import Criterion, Dimension


def score_block(key: str) -> str:
    """The block id of one criterion's or dimension's score."""
    return f"{Block.SUPPLIER_SCORE}_{key}"


def note_block(key: str) -> str:
    """The block id of one criterion's or dimension's notes."""
    return f"{Block.SUPPLIER_NOTE}_{key}"


def field_block(name: str) -> str:
    """The block id of any other field (weights, period, contract terms…)."""
    return f"{Block.SUPPLIER_FIELD}_{name}"


def error_blocks(fields: dict[str, str], scored: Collection[str] = ()) -> dict[str, str]:
    """FormErrors' fields as Slack's `errors` by block id (`scored`: the items besides a supplier's)."""
    scored = {c.value for c in Criterion} | {d.value for d in Dimension} | set(scored)
    return {score_block(key) if key in scored else field_block(key): text for key, text in fields.items()}


def _text(text: str) -> PlainTextObject:
    return PlainTextObject(text=text)


def _input(block_id: str, label: str, element: Any, *, optional: bool = False, hint: str | None = None) -> InputBlock:
    return InputBlock(block_id=block_id, label=_text(label), element=element, optional=optional,
                      hint=_text(hint) if hint else None)


def _score_options() -> list[Option]:
    words = [_("poor"), _("weak"), _("adequate"), _("good"), _("excellent")]
    return [Option(text=f"{n} — {word}", value=str(n)) for n, word in enumerate(words, start=1)]


def scored_inputs(labels: Mapping[str, str]) -> list[InputBlock]:
    """A 1–5 select and an optional note for each item."""
    blocks = []
    for key, label in labels.items():
        select = StaticSelectElement(action_id=Action.SUPPLIER_INPUT, placeholder=_text(_("1 to 5")),
                                     options=_score_options())
        blocks.append(_input(score_block(key), label, select))
        note = PlainTextInputElement(action_id=Action.SUPPLIER_INPUT, max_length=NOTE_LIMIT,
                                     placeholder=_text(_("Why this score?")))
        blocks.append(_input(note_block(key), _("Notes: {item}").format(item=label), note, optional=True))
    return blocks


def scoring_modal(callback_id: str, title: str, submit: str, metadata: dict[str, Any],
                  blocks: Sequence[InputBlock | dict[str, Any]]) -> dict[str, Any]:
    """A scoring modal (evaluation, audit, contract, a third party's review) around its blocks."""
    return View(type="modal", callback_id=callback_id, private_metadata=json.dumps(metadata), title=_text(title),
                submit=_text(submit), close=_text(_("Cancel")), blocks=blocks).to_dict()


def build_evaluation_modal(account: Account, *, channel_id: str, policy: SupplierPolicy) -> dict[str, Any]:
    """Score a candidate on the nine selection criteria, with optional weights."""
    intro = _("Score *{name}* on each criterion, from 1 (poor) to 5 (excellent). The total is the weighted "
              "average; {threshold:g} or more qualifies.").format(name=account.name, threshold=policy.qualify_threshold)
    weights = PlainTextInputElement(action_id=Action.SUPPLIER_INPUT, placeholder=_text("capital=2 scalability=3"))
    hint = _("Nine numbers in the order above, or name=weight for the ones that differ. Empty: {weights}.").format(
        weights=weights_text(policy.weights))
    blocks: list[InputBlock | dict[str, Any]] = [section(intro), *scored_inputs(criterion_labels()),
                                                 weights_input(weights, hint=hint)]
    return scoring_modal(ViewId.SUPPLIER_EVALUATION, _("Evaluate supplier"), _("Save"),
                  {"account_id": account.id, "channel": channel_id}, blocks)


def weights_input(element: PlainTextInputElement, *, hint: str) -> InputBlock:
    """The optional weights field of an evaluation modal."""
    return _input(field_block("weights"), _("Weights"), element, optional=True, hint=hint)


def build_audit_modal(account: Account, *, channel_id: str, actor_id: str, every_months: int,
                      today: date) -> dict[str, Any]:
    """Audit a supplier on the six dimensions, for a period, and say when the next audit falls due."""
    intro = _("Audit *{name}*: score each dimension from 1 (poor) to 5 (excellent) for the period audited.").format(
        name=account.name)
    blocks = period_inputs(intro, dimension_labels(), actor_id=actor_id, every_months=every_months, today=today,
                           next_label=_("Next audit"))
    return scoring_modal(ViewId.SUPPLIER_AUDIT, _("Audit supplier"), _("Save"),
                         {"account_id": account.id, "channel": channel_id}, blocks)


def period_inputs(intro: str, labels: Mapping[str, str], *, actor_id: str, every_months: int, today: date,
                  next_label: str) -> list[InputBlock | dict[str, Any]]:
    """An audit or review: the period, a score and note per item, who did it, and the interval to the next."""
    every = [Option(text=_("every {n} months").format(n=n) if n > 1 else _("every month"), value=str(n))
             for n in AUDIT_INTERVALS]
    initial = next((o for o in every if o.value == str(every_months)), None)
    blocks: list[InputBlock | dict[str, Any]] = [
        section(intro),
        _input(field_block("period_start"), _("Period audited: from"),
               DatePickerElement(action_id=Action.SUPPLIER_INPUT)),
        _input(field_block("period_end"), _("Period audited: until"),
               DatePickerElement(action_id=Action.SUPPLIER_INPUT, initial_date=today.isoformat())),
        *scored_inputs(labels),
        _input(field_block("auditor"), _("Auditor"), UserSelectElement(action_id=Action.SUPPLIER_INPUT,
                                                                      initial_user=actor_id), optional=True),
        _input(field_block("every"), next_label,
               StaticSelectElement(action_id=Action.SUPPLIER_INPUT, options=every, initial_option=initial),
               optional=True, hint=_("Counted from today.")),
    ]
    return blocks


def build_contract_modal(account: Account, *, channel_id: str, policy: SupplierPolicy, today: date) -> dict[str, Any]:
    """A support contract: its terms, validity, clauses, and the customer service it backs."""
    intro = _("A support contract with *{name}*. Each term is checked against the customer's SLA for the severity "
              "it backs: it must be stricter by {margin:.0%}.").format(name=account.name, margin=policy.margin)
    severities = [Option(text=severity_words()[s.value], value=s.value) for s in ComplaintSeverity]
    clauses = [Option(text=_("Subcontracting allowed"), value="subcontracting"),
               Option(text=_("Intellectual property clause"), value="ip"),
               Option(text=_("Information-security clause"), value="security")]

    def text_input(placeholder: str) -> PlainTextInputElement:
        return PlainTextInputElement(action_id=Action.SUPPLIER_INPUT, placeholder=_text(placeholder), max_length=40)

    blocks: list[InputBlock | dict[str, Any]] = [
        section(intro),
        _input(field_block("customer"), _("Customer account it backs"), text_input("Acme Corp")),
        _input(field_block("severity"), _("Severity it backs"),
               StaticSelectElement(action_id=Action.SUPPLIER_INPUT, options=severities)),
        _input(field_block("response"), _("Response time"), text_input("30m"), hint=_("e.g. 30m, 2h")),
        _input(field_block("resolution"), _("Resolution time"), text_input("4h"), hint=_("e.g. 4h, 90m")),
        _input(field_block("availability"), _("Availability (%)"), text_input("99.9")),
        _input(field_block("customer_availability"), _("Availability promised to the customer (%)"),
               text_input("99.5"), optional=True, hint=_("Leave empty if the customer's SLA sets none.")),
        _input(field_block("service_hours"), _("Service hours"), text_input("7x24"),
               hint=_("Days × hours, e.g. 7x24, 5x8 or 5x9 09:00-18:00")),
        _input(field_block("valid_from"), _("Valid from"),
               DatePickerElement(action_id=Action.SUPPLIER_INPUT, initial_date=today.isoformat())),
        _input(field_block("valid_until"), _("Valid until"), DatePickerElement(action_id=Action.SUPPLIER_INPUT)),
        _input(field_block("clauses"), _("Clauses"),
               CheckboxesElement(action_id=Action.SUPPLIER_INPUT, options=clauses), optional=True),
    ]
    blocks.append(context(_("Expiry alerts go to the supplier's owner 90, 30 and 7 days before the end.")))
    return scoring_modal(ViewId.SUPPLIER_CONTRACT, _("Support contract"), _("Save and check"),
                  {"account_id": account.id, "channel": channel_id}, blocks)
