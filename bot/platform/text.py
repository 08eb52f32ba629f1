"""User text: made safe to re-post (no mass pings, within Block Kit limits), and the people it mentions."""

from __future__ import annotations

import re

ELLIPSIS = "…"
WORD_JOINER = "\u2060"  # invisible; keeps "@channel" from ever becoming a mention
_BROADCAST = re.compile(r"<!(channel|here|everyone)(?:\|[^>]*)?>")
_SUBTEAM = re.compile(r"<!subteam\^([A-Z0-9]+)(?:\|@?([^>]*))?>")
_BARE_BROADCAST = re.compile(r"@(channel|here|everyone)\b")
USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def neutralise_mentions(text: str) -> str:
    """Turn @channel/@here/@everyone and user-group mentions into plain text that cannot ping."""
    text = _BROADCAST.sub(lambda m: f"@{WORD_JOINER}{m.group(1)}", text)
    text = _SUBTEAM.sub(lambda m: f"@{WORD_JOINER}{m.group(2) or 'team'}", text)
    return _BARE_BROADCAST.sub(lambda m: f"@{WORD_JOINER}{m.group(1)}", text)


def cut(text: str, limit: int) -> str:
    """Shorten text to `limit` characters, ending with "…", without splitting a <…> entity."""
    if len(text) <= limit:
        return text
    head = text[: limit - len(ELLIPSIS)]
    open_at = head.rfind("<")
    if open_at > head.rfind(">"):
        head = head[:open_at]  # a cut mention or link would render as garbage
    return head.rstrip() + ELLIPSIS


def safe_text(text: str, limit: int) -> str:
    """Neutralise mass mentions, then cut to `limit`."""
    return cut(neutralise_mentions(text), limit)


def mentioned_users(text: str) -> list[str]:
    """Every user mentioned anywhere in a message, in order, once each."""
    seen: list[str] = []
    for user_id in USER_MENTION.findall(text or ""):
        if user_id not in seen:
            seen.append(user_id)
    return seen
