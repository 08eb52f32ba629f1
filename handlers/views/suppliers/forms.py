"""Reading the supplier modals back: scores and notes, weights, audit fields, a contract."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from bot.platform.arguments import whole_number
from bot.suppliers.audits import AuditForm
from bot.suppliers.contracts import ContractForm
from handlers.blocks.suppliers.forms import field_block, note_block, score_block
from handlers.views.state import input_state, metadata, metadata_id


def _selected(view: dict[str, Any], block_id: str) -> str | None:
    option = input_state(view, block_id).get("selected_option")
    return str(option["value"]) if option else None


def _typed(view: dict[str, Any], block_id: str) -> str | None:
    value = input_state(view, block_id).get("value")
    return str(value) if value is not None else None


def _day(view: dict[str, Any], block_id: str) -> date | None:
    chosen = input_state(view, block_id).get("selected_date")
    return date.fromisoformat(chosen) if chosen else None


def read_scores(view: dict[str, Any], keys: list[str]) -> tuple[dict[str, int | None], dict[str, str | None]]:
    """(scores, notes) of the items of an evaluation or audit modal."""
    scores = {key: whole_number(_selected(view, score_block(key)) or "") for key in keys}
    notes = {key: _typed(view, note_block(key)) for key in keys}
    return scores, notes


def read_weights(view: dict[str, Any]) -> str | None:
    """The weights typed in an evaluation modal."""
    return _typed(view, field_block("weights"))


def read_audit_form(view: dict[str, Any]) -> AuditForm:
    """Period, auditor and interval of an audit modal."""
    return AuditForm(period_start=_day(view, field_block("period_start")),
                     period_end=_day(view, field_block("period_end")),
                     auditor_id=input_state(view, field_block("auditor")).get("selected_user"),
                     every_months=whole_number(_selected(view, field_block("every")) or ""))


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


@dataclass(frozen=True)
class Opened:
    """The supplier and channel a supplier modal was opened for (its private metadata)."""

    account_id: int
    channel: str | None


def opened_for(view: dict[str, Any]) -> Opened:
    """The supplier and channel a modal was opened for."""
    meta = metadata(view)
    return Opened(account_id=metadata_id(meta, "account_id"), channel=meta.get("channel"))
