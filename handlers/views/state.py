"""Reading a submitted modal back: each input block holds one input, whatever its action id."""

from __future__ import annotations

from typing import Any


def input_state(view: dict[str, Any], block: str) -> dict[str, Any]:
    """The state Slack sent for the one input of `block` ({} when the block is absent or empty)."""
    actions = view["state"]["values"].get(block) or {}
    return next(iter(actions.values()), None) or {}


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
