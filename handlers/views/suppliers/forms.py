"""Reading the supplier modals back: scores and notes, weights, audit fields, a contract."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.suppliers.contracts import ContractForm
from handlers.blocks.suppliers.forms import field_block, note_block, score_block
from handlers.views.state import input_state


def _selected(view: dict[str, Any], block_id: str) -> str | None:
    option = input_state(view, block_id).get("selected_option")
    return option["value"] if option else None


def _typed(view: dict[str, Any], block_id: str) -> str | None:
    return input_state(view, block_id).get("value")


def _day(view: dict[str, Any], block_id: str) -> date | None:
    chosen = input_state(view, block_id).get("selected_date")
    return date.fromisoformat(chosen) if chosen else None


def read_scores(view: dict[str, Any], keys: list[str]) -> tuple[dict[str, int | None], dict[str, str | None]]:
    """(scores, notes) of the items of an evaluation or audit modal."""
    scores = {key: int(v) if (v := _selected(view, score_block(key))) and v.isdigit() else None for key in keys}
    notes = {key: _typed(view, note_block(key)) for key in keys}
    return scores, notes


def read_weights(view: dict[str, Any]) -> str | None:
    """The weights typed in an evaluation modal."""
    return _typed(view, field_block("weights"))


def read_audit_fields(view: dict[str, Any]) -> dict[str, Any]:
    """Period, auditor and interval of an audit modal."""
    every = _selected(view, field_block("every"))
    return {"period_start": _day(view, field_block("period_start")),
            "period_end": _day(view, field_block("period_end")),
            "auditor_id": input_state(view, field_block("auditor")).get("selected_user"),
            "every_months": int(every) if every and every.isdigit() else None}


def read_contract(view: dict[str, Any]) -> ContractForm:
    """The contract modal's fields, unchecked."""
    clauses = {o["value"] for o in input_state(view, field_block("clauses")).get("selected_options") or []}
    return ContractForm(
        customer=_typed(view, field_block("customer")), severity=_selected(view, field_block("severity")),
        response=_typed(view, field_block("response")), resolution=_typed(view, field_block("resolution")),
        availability=_typed(view, field_block("availability")),
        customer_availability=_typed(view, field_block("customer_availability")),
        service_hours=_typed(view, field_block("service_hours")), valid_from=_day(view, field_block("valid_from")),
        valid_until=_day(view, field_block("valid_until")), subcontracting_allowed="subcontracting" in clauses,
        ip_clause="ip" in clauses, security_clause="security" in clauses,
    )


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    """The supplier and channel a modal was opened for."""
    return json.loads(view.get("private_metadata") or "{}")
