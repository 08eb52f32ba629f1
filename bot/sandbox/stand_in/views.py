"""The stand-in's modals and Home tabs: views.open, views.push, views.update, views.publish, trigger ids."""

from __future__ import annotations

import itertools
import secrets
import threading
from dataclasses import dataclass
from typing import Any

from .blockkit import fill_ids, validate_view
from .params import SlackError, invalid, parsed
from .transcript import Transcript
from .workspace import APP_ID, BOT_ID

TRIGGER_LIFETIME = 3.0  # seconds Slack lets a trigger_id be exchanged for a modal
MODAL_STACK_LIMIT = 3


@dataclass
class _Trigger:
    """A trigger_id Slack handed out with an interaction: whose, when, and whether a modal used it."""

    user: str
    issued: float
    used: bool = False


class ViewsApi:
    """The views.* methods over a transcript; they share the Web API's lock and id counter."""

    def __init__(self, transcript: Transcript, lock: threading.RLock, ids: itertools.count[int]) -> None:
        self.transcript = transcript
        self.workspace = transcript.workspace
        self._lock = lock
        self._ids = ids
        self._triggers: dict[str, _Trigger] = {}

    def issue_trigger_id(self, user: str) -> str:
        """Issue a trigger_id for a user's interaction; it may open one modal within 3 s."""
        now = self.transcript.clock()
        with self._lock:
            trigger_id = f"{next(self._ids)}.{int(now)}.{secrets.token_hex(16)}"
            self._triggers[trigger_id] = _Trigger(user=user, issued=now)
        return trigger_id

    def _exchange_trigger(self, params: dict[str, Any]) -> str:
        """Spend a trigger_id and return its user, failing exactly as Slack does."""
        trigger = self._triggers.get(params.get("trigger_id") or "")
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        if self.transcript.clock() - trigger.issued > TRIGGER_LIFETIME:
            raise SlackError("expired_trigger_id")
        trigger.used = True
        return trigger.user

    def _new_view(self, view: Any, user: str) -> dict[str, Any]:
        problems = validate_view(view)
        if problems:
            raise invalid("invalid_arguments", problems)
        view_id = f"V0{next(self._ids):08d}"
        record = {
            "id": view_id, "team_id": self.workspace.team.id, "type": view["type"],
            "title": view.get("title"), "close": view.get("close"), "submit": view.get("submit"),
            "blocks": fill_ids(view.get("blocks") or []),
            "private_metadata": view.get("private_metadata", ""),
            "callback_id": view.get("callback_id", ""), "external_id": view.get("external_id", ""),
            "state": {"values": {}}, "hash": self._hash(),
            "clear_on_close": bool(view.get("clear_on_close")),
            "notify_on_close": bool(view.get("notify_on_close")),
            "root_view_id": view_id, "previous_view_id": None, "app_id": APP_ID,
            "app_installed_team_id": self.workspace.team.id, "bot_id": BOT_ID,
            "user": user, "open": view["type"] == "modal", "errors": {},
        }
        return record

    def _hash(self) -> str:
        return f"{int(self.transcript.clock())}.{secrets.token_hex(4)}"

    def _modal(self, params: dict[str, Any]) -> dict[str, Any]:
        view = parsed(params, "view")
        if not isinstance(view, dict) or view.get("type") != "modal":
            raise invalid("invalid_arguments", ["must be a modal view [json-pointer:/view/type]"])
        return view

    def api_views_open(self, params: dict[str, Any]) -> dict[str, Any]:
        view = self._modal(params)
        user = self._exchange_trigger(params)
        record = self._new_view(view, user)
        for open_id in list(self.transcript.modal_stack(user)[:1]):
            self.transcript.close_view(open_id)  # a new modal replaces whatever was open
        self.transcript.modal_stack(user).append(record["id"])
        return {"view": self._view_shape(self.transcript.put_view(record))}

    def api_views_push(self, params: dict[str, Any]) -> dict[str, Any]:
        view = self._modal(params)
        return {"view": self._view_shape(self.push_view(self._exchange_trigger(params), view))}

    def push_view(self, user: str, view: dict[str, Any]) -> dict[str, Any]:
        """Push a modal on top of the user's open one (views.push, response_action push)."""
        with self._lock:
            stack = self.transcript.modal_stack(user)
            if not stack:
                raise SlackError("not_found")
            if len(stack) >= MODAL_STACK_LIMIT:
                raise SlackError("push_limit_reached")
            record = self._new_view(view, user)
            record.update(root_view_id=stack[0], previous_view_id=stack[-1])
            stack.append(record["id"])
            return self.transcript.put_view(record)

    def api_views_update(self, params: dict[str, Any]) -> dict[str, Any]:
        record = self.transcript.find_view(params.get("view_id") or None,
                                           external_id=params.get("external_id") or None)
        if record is None:
            raise SlackError("not_found")
        if params.get("hash") and params["hash"] != record["hash"]:
            raise SlackError("hash_conflict")
        return {"view": self._view_shape(self.replace_view(record, parsed(params, "view")))}

    def replace_view(self, record: dict[str, Any], view: Any) -> dict[str, Any]:
        """Give an existing view new content, keeping its id (views.update, response_action)."""
        fresh = self._new_view(view, record["user"])
        keep = ("id", "root_view_id", "previous_view_id", "user", "open")
        record.update({k: v for k, v in fresh.items() if k not in keep})
        return self.transcript.put_view(record)

    def api_views_publish(self, params: dict[str, Any]) -> dict[str, Any]:
        user = params.get("user_id") or ""
        if self.workspace.user(user) is None:
            raise SlackError("user_not_found")
        view = parsed(params, "view")
        if not isinstance(view, dict) or view.get("type") != "home":
            raise invalid("invalid_arguments", ["must be a home view [json-pointer:/view/type]"])
        current = self.transcript.home(user)
        if current and params.get("hash") and params["hash"] != current["hash"]:
            raise SlackError("hash_conflict")
        live = self.transcript.find_view(current["id"]) if current else None
        if live is not None:
            record = self.replace_view(live, view)
        else:
            record = self.transcript.put_view(self._new_view(view, user))
        return {"view": self._view_shape(record)}

    @staticmethod
    def _view_shape(record: dict[str, Any]) -> dict[str, Any]:
        return {k: v for k, v in record.items()
                if k not in ("user", "open", "errors") and not k.startswith("_")}
