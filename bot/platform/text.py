"""User text: made safe to re-post (no mass pings, within Block Kit limits), and the people it mentions."""

from __future__ import annotations

import re

ELLIPSIS = "…"
WORD_JOINER = "\u2060"  # invisible; keeps "@channel" from ever becoming a mention
_BROADCASTS = ("channel", "here", "everyone")
# Any <…> entity, or a stray angle bracket that could pair with markup a renderer adds around the text.
_ENTITY = re.compile(r"<([^<>]*)>|[<>]")
_KEPT = re.compile(r"[@#][A-Z0-9]+(?:\|[^|]*)?")  # user and channel mentions: they ping one person or nobody
_SCHEME = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*:")
_BARE_BROADCAST = re.compile(r"@(channel|here|everyone)\b")
USER_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_LOOKALIKE = {"<": "‹", ">": "›"}
ECHO_LIMIT = 40  # a word we did not understand, quoted back: enough to recognise it, never the whole paste


def _special(command: str, label: str) -> str:
    """`<!channel>`, `<!subteam^S1|@ops>`, `<!date^…|fallback>`: the words, never the ping."""
    word = command.split("^", 1)[0]
    if word in _BROADCASTS:
        return f"@{WORD_JOINER}{word}"
    if word == "subteam":
        return f"@{WORD_JOINER}{label.lstrip('@') or 'team'}"
    return label or word


def _defuse(match: re.Match[str]) -> str:
    body = match.group(1)
    if body is None:
        return _LOOKALIKE[match.group(0)]
    target, _bar, label = body.partition("|")
    if _KEPT.fullmatch(body):
        return match.group(0)
    if target.startswith("!"):
        return _special(target[1:], label)
    if _SCHEME.match(target):
        # A link shows where it goes: a label cannot hide "https://evil" behind "click".
        return f"{label} ({target})" if label and label != target else target
    return f"‹{body}›"


def neutralise_mentions(text: str) -> str:
    """User text made safe to post: no @channel/@here/@everyone or group pings, no hidden links, no markup.

    User and channel mentions stay (they ping one person or nobody); broadcasts and user groups become plain
    words; `<https://evil|click>` becomes "click (https://evil)"; stray angle brackets become lookalikes, so the
    text cannot open or close an entity around a renderer's own markup.
    """
    return _BARE_BROADCAST.sub(lambda m: f"@{WORD_JOINER}{m.group(1)}", _ENTITY.sub(_defuse, text))


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
