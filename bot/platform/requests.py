"""What a request from Slack is, read from its body for the request log and the metrics: surface, id, user."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs


@dataclass(frozen=True)
class SlackRequest:
    """The surface (command, block_actions, view_submission, event…), what on it (a command, action, callback or
    event type) and who."""

    surface: str
    id: str | None = None
    user: str | None = None


UNKNOWN = SlackRequest("unknown")

# Answers to open surveys (campaign_score_<n>, campaign_answer) are logged without the person nor the score:
# a request log line "campaign_score_2 by U…" would tell who answered what in an anonymous survey.
PRIVATE_PREFIX = "campaign_"


def _private(request: SlackRequest) -> SlackRequest:
    if request.id and request.id.startswith(PRIVATE_PREFIX):
        return SlackRequest(request.surface, request.id.rstrip("0123456789").rstrip("_"), None)
    return request


def describe(body: bytes, content_type: str) -> SlackRequest:
    """Read the surface, id and user of a Slack request body; UNKNOWN when it is not one Slack sends."""
    try:
        if content_type.startswith("application/json"):
            return _event(json.loads(body))
        form = {key: values[0] for key, values in parse_qs(body.decode()).items()}
        if "payload" in form:
            return _private(_interactive(json.loads(form["payload"])))
        if "command" in form:
            return SlackRequest("command", form["command"], form.get("user_id"))
        if "ssl_check" in form:
            return SlackRequest("ssl_check")
    except (ValueError, UnicodeDecodeError, AttributeError, TypeError):
        return UNKNOWN
    return UNKNOWN


def _event(body: Any) -> SlackRequest:
    if body.get("type") != "event_callback":
        return SlackRequest(str(body.get("type") or "unknown"))
    event = body.get("event") or {}
    user = event.get("user")
    return SlackRequest("event", event.get("type"), user if isinstance(user, str) else None)


def _interactive(payload: Any) -> SlackRequest:
    kind = str(payload.get("type") or "unknown")
    user = (payload.get("user") or {}).get("id")
    if kind in ("block_actions", "block_suggestion"):
        actions = payload.get("actions") or [{}]
        return SlackRequest(kind, actions[0].get("action_id") or payload.get("action_id"), user)
    if kind in ("view_submission", "view_closed"):
        return SlackRequest(kind, (payload.get("view") or {}).get("callback_id"), user)
    return SlackRequest(kind, payload.get("callback_id"), user)
