"""Reading a submitted modal back: each input block holds one input, whatever its action id.

Submissions are requests like any other: a forged or stale one may lack blocks, carry metadata that is not
ours, or pick an option the form never offered. Readers here never raise KeyError or ValueError on that: a
missing block reads as empty, bad metadata is MalformedForm, an unknown option a FieldError under its block.
"""

from __future__ import annotations

import json
from enum import StrEnum
from typing import Any, TypeVar

from bot.platform.arguments import whole_number
from bot.platform.errors import FieldError, MalformedForm
from bot.platform.i18n import _

E = TypeVar("E", bound=StrEnum)


def malformed() -> MalformedForm:
    """The refusal for a form that did not come back as Rapport sent it."""
    return MalformedForm(_("That form came back incomplete or out of date, so nothing was saved. Please open it "
                           "again and submit it once more."))


def input_state(view: dict[str, Any], block: str) -> dict[str, Any]:
    """The state Slack sent for the one input of `block` ({} when the block is absent or empty)."""
    state = view.get("state")
    values = state.get("values") if isinstance(state, dict) else None
    actions = values.get(block) if isinstance(values, dict) else None
    found = next(iter(actions.values()), None) if isinstance(actions, dict) else None
    return found if isinstance(found, dict) else {}


def input_value(view: dict[str, Any], block: str) -> Any:
    """The plain value of a block's input: text, an option's value, a list of values, or a user id."""
    state = input_state(view, block)
    if "selected_option" in state:
        return (state["selected_option"] or {}).get("value")
    if "selected_options" in state:
        return [option["value"] for option in state["selected_options"] or []]
    if "selected_user" in state:
        return state["selected_user"]
    return state.get("value") or ""


def input_text(view: dict[str, Any], block: str) -> str:
    """A text input's value ("" when absent or not text)."""
    value = input_value(view, block)
    return value if isinstance(value, str) else ""


def input_choice(view: dict[str, Any], block: str, choices: type[E], default: E) -> E:
    """The option picked in a select, `default` when none; FieldError for a value the form never offered."""
    value = input_value(view, block)
    if not value:
        return default
    if value not in {choice.value for choice in choices}:
        names = ", ".join(choice.value for choice in choices)
        raise FieldError(block, _("Pick one of the options offered: {names}.").format(names=names))
    return choices(value)


def metadata(view: dict[str, Any]) -> dict[str, Any]:
    """The private_metadata Rapport put in the modal (a JSON object); MalformedForm otherwise."""
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except ValueError:
        raise malformed() from None
    if not isinstance(meta, dict):
        raise malformed()
    return meta


def metadata_id(meta: dict[str, Any], key: str) -> int:
    """An id carried in the metadata (ASCII digits); MalformedForm when absent or anything else."""
    number = whole_number(str(meta.get(key, "")))
    if number is None:
        raise malformed()
    return number
