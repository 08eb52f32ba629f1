"""Small assertions on what a person would see in the stand-in."""

from __future__ import annotations

import json
from typing import Any

from bot.sandbox.stand_in.transcript import WAIT_TIMEOUT
from bot.sandbox.world import World


def full_text(message: dict[str, Any]) -> str:
    """Everything a message shows: its fallback text and every text in its blocks."""
    return (message.get("text") or "") + "\n" + json.dumps(message.get("blocks") or [], ensure_ascii=False)


def ephemeral_to(world: World, user: str, *, count: int = 1, timeout: float = WAIT_TIMEOUT) -> list[dict[str, Any]]:
    """Wait until `user` has seen `count` ephemeral replies; return them."""
    def seen() -> list[dict[str, Any]]:
        replies = world.stand_in.ephemerals(user=user)
        return replies if len(replies) >= count else []

    return world.stand_in.wait_for(seen, timeout=timeout)


def last_ephemeral_text(world: World, user: str, *, count: int = 1) -> str:
    """The text of the latest ephemeral reply to `user`, once `count` replies exist."""
    return full_text(ephemeral_to(world, user, count=count)[-1])


def posts_in(world: World, channel: str) -> list[dict[str, Any]]:
    """Messages the bot posted in a channel (people's own messages left out)."""
    return [m for m in world.stand_in.messages(channel) if m.get("bot_id")]


def run(world: World, user: str, channel: str, command: str, text: str = "") -> str:
    """Send a command and return the reply it gets."""
    seen = len(world.stand_in.ephemerals(user=user))
    world.slack.command(user, channel, command, text)
    return last_ephemeral_text(world, user, count=seen + 1)
