"""The message a shortcut was used on, as Slack's payload describes it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class PickedMessage:
    """Where a message is, who wrote it and what it says."""

    channel_id: str
    ts: str
    author: str | None  # the user who posted it (None when Slack names nobody)
    text: str
    by_app: bool = False  # posted by an app, not a person
    thread_ts: str | None = None  # the thread it is in (its parent's ts), when it is a reply


def picked_message(shortcut: dict[str, Any]) -> PickedMessage:
    """The message of a message shortcut's payload."""
    message = shortcut.get("message") or {}
    return PickedMessage(channel_id=shortcut["channel"]["id"], ts=message.get("ts") or shortcut["message_ts"],
                         author=message.get("user"), text=message.get("text", ""), by_app=bool(message.get("bot_id")),
                         thread_ts=message.get("thread_ts"))
