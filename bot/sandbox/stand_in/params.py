"""Reading Web API parameters the way Slack does, and Slack's error answers."""

from __future__ import annotations

import json
import re
from typing import Any


class SlackError(Exception):
    """A Slack error answered as HTTP 200 `{"ok": false, "error": code, ...extra}`."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


def invalid(error: str, problems: list[str]) -> SlackError:
    """Build an invalid_blocks-style error carrying Slack's per-field messages."""
    return SlackError(error, errors=problems,
                      response_metadata={"messages": [f"[ERROR] {p}" for p in problems]})


def parsed(params: dict[str, Any], name: str, *, error: str = "invalid_arguments") -> Any:
    """Return a structured parameter; form bodies carry blocks and views as JSON strings."""
    value = params.get(name)
    if isinstance(value, str):
        try:
            return json.loads(value) if value else None
        except ValueError:
            raise SlackError(error) from None
    return value


def flag(params: dict[str, Any], name: str) -> bool:
    """Read a boolean the way Slack does: true, 1 or the JSON literal."""
    return params.get(name) in (True, 1, "1", "true", "True")


def number(params: dict[str, Any], name: str, *, default: int) -> int | None:
    """Read a whole number (ASCII digits, as Slack's API takes them); None when it is something else."""
    value = str(params.get(name) or default)
    return int(value) if re.fullmatch(r"[0-9]+", value) else None
