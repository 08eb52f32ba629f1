"""What Slack puts in the payloads it sends the app: messages, views, and a submitted modal's state."""

from __future__ import annotations

import copy
from typing import Any

from .blockkit import iter_input_elements


def message_payload(message: dict[str, Any]) -> dict[str, Any]:
    """The message as Slack puts it in interaction payloads (no stand-in bookkeeping)."""
    keys = ("type", "subtype", "user", "ts", "text", "team", "blocks", "bot_id", "app_id",
            "thread_ts", "files", "metadata")
    return {k: message[k] for k in keys if message.get(k)}


def view_payload(view: dict[str, Any]) -> dict[str, Any]:
    """The view as Slack puts it in interaction payloads (no stand-in bookkeeping)."""
    return {k: v for k, v in view.items() if k not in ("user", "open", "errors")}


# Each kind of input element: the state key Slack reports its value under, and the value when empty.
_EMPTY_STATE: dict[str, tuple[str, list[Any] | None]] = {
    "plain_text_input": ("value", None), "number_input": ("value", None),
    "email_text_input": ("value", None), "url_text_input": ("value", None),
    "static_select": ("selected_option", None), "external_select": ("selected_option", None),
    "radio_buttons": ("selected_option", None), "users_select": ("selected_user", None),
    "conversations_select": ("selected_conversation", None),
    "channels_select": ("selected_channel", None), "datepicker": ("selected_date", None),
    "timepicker": ("selected_time", None), "datetimepicker": ("selected_date_time", None),
    "multi_static_select": ("selected_options", []), "multi_external_select": ("selected_options", []),
    "checkboxes": ("selected_options", []), "multi_users_select": ("selected_users", []),
    "multi_conversations_select": ("selected_conversations", []),
    "multi_channels_select": ("selected_channels", []), "rich_text_input": ("rich_text_value", None),
    "file_input": ("files", []),
}


def _element_state(element: dict[str, Any], raw: object) -> dict[str, Any]:
    """Turn a plain test value into the state Slack reports for this kind of element."""
    kind = element["type"]
    if isinstance(raw, dict) and "type" in raw:
        return raw
    key, empty = _EMPTY_STATE.get(kind, ("value", None))
    if raw is None:
        # Slack reports what the user sees: an untouched input keeps its initial value.
        initial = element.get("initial_" + key.removeprefix("selected_"))
        return {"type": kind, key: empty if initial is None else copy.deepcopy(initial)}
    if key in ("selected_option", "selected_options"):
        options = element.get("options") or [o for g in element.get("option_groups", [])
                                             for o in g["options"]]
        wanted = raw if isinstance(raw, (list, tuple)) else [raw]
        chosen = [o for w in wanted for o in options if w in (o["value"], o["text"]["text"])]
        if len(chosen) != len(wanted):
            raise LookupError(f"{element.get('action_id')} has no option among {wanted}; "
                              f"options: {[o['value'] for o in options]}")
        return {"type": kind, key: chosen if key == "selected_options" else chosen[0]}
    if isinstance(empty, list) and not isinstance(raw, (list, tuple)):
        raw = [raw]
    return {"type": kind, key: list(raw) if isinstance(raw, (list, tuple)) else raw}


def fill_state(view: dict[str, Any], values: dict[str, Any], check_required: bool) -> dict[str, Any]:
    """Build view.state.values as Slack does: every input element, filled or empty."""
    state: dict[str, dict[str, Any]] = {}
    for block, element in iter_input_elements(view["blocks"]):
        given = values.get(block["block_id"])
        action_id = element["action_id"]
        if isinstance(given, dict) and action_id in given:
            given = given[action_id]
        element_state = _element_state(element, given)
        key = _EMPTY_STATE.get(element["type"], ("value",))[0]
        if check_required and not block.get("optional") and element_state.get(key) in (None, [], ""):
            raise ValueError(f"input {block['block_id']!r} is required; Slack's client would not "
                             f"let {view['user']} submit without it")
        state.setdefault(block["block_id"], {})[action_id] = element_state
    unknown = set(values) - set(state)
    if unknown:
        raise LookupError(f"no input blocks {sorted(unknown)} in view {view['callback_id']!r}")
    return {"values": state}
