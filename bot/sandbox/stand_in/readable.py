"""Block Kit and mrkdwn as a person reads them in Slack: mentions by name, buttons in brackets, one line each."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from .blockkit import SELECT_TYPES

Names = Callable[[str], str | None] | None  # a user, channel or group id to the name Slack shows, when known

_MENTION = re.compile(r"<([@#!])([^>|]+)(?:\|([^>]*))?>")
_LINK = re.compile(r"<((?:https?|mailto):[^>|]+)(?:\|([^>]*))?>")


def readable_text(text: str, names: Names = None) -> str:
    """Turn Slack mrkdwn markup (mentions, links, escapes) into what the client shows."""

    def mention(match: re.Match[str]) -> str:
        sigil, target, label = match.groups()
        if sigil == "!":
            if target.startswith("date^"):
                return label or target.split("^")[1]
            if target.startswith("subteam^"):
                handle = label or (names and names(target.split("^", 1)[1])) or target
                return handle if handle.startswith("@") else f"@{handle}"
            return f"@{target.split('^')[0]}"
        name = label or (names and names(target)) or target
        return f"{sigil}{name}"

    def link(match: re.Match[str]) -> str:
        url, label = match.groups()
        return f"{label} ({url})" if label else url

    text = _LINK.sub(link, _MENTION.sub(mention, text))
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _plain(obj: Any, names: Names) -> str:
    """Return the readable text of a text object (or "" for anything else)."""
    if isinstance(obj, dict) and isinstance(obj.get("text"), str):
        return readable_text(obj["text"], names) if obj.get("type") == "mrkdwn" else obj["text"]
    return ""


def render_element(element: dict[str, Any], names: Names = None) -> str:
    """Render one element inline: buttons as `[Label]`, selects as `[Pick one ▾]`."""
    kind = element.get("type")
    if kind in ("button", "workflow_button"):
        return f"[{_plain(element.get('text'), names)}]"
    if kind == "image":
        return f"[image: {element.get('alt_text', '')}]"
    if kind in ("checkboxes", "radio_buttons"):
        mark = "[ ]" if kind == "checkboxes" else "( )"
        return "  ".join(f"{mark} {_plain(o.get('text'), names)}"
                         for o in element.get("options", []))
    if kind == "overflow":
        return "[...]"
    chosen = element.get("initial_option") or {}
    shown = (_plain(chosen.get("text"), names) or element.get("initial_value")
             or element.get("initial_date") or element.get("initial_time")
             or _plain(element.get("placeholder"), names))
    if kind in SELECT_TYPES:
        return f"[{shown or 'Select'} v]"
    return f"[{shown or ''}____]"


def _rich_text(elements: list[Any], names: Names) -> list[str]:
    """Flatten rich_text sections, lists and quotes into lines."""
    lines: list[str] = []
    for part in elements or []:
        kind = part.get("type")
        if kind == "rich_text_list":
            for item in part.get("elements", []):
                lines.extend(f"  • {line}" for line in _rich_text([item], names))
            continue
        pieces = []
        for piece in part.get("elements", []):
            if piece.get("type") == "user":
                pieces.append(f"@{(names and names(piece['user_id'])) or piece['user_id']}")
            elif piece.get("type") == "channel":
                pieces.append(f"#{(names and names(piece['channel_id'])) or piece['channel_id']}")
            elif piece.get("type") == "link":
                pieces.append(piece.get("text") or piece.get("url", ""))
            elif piece.get("type") == "emoji":
                pieces.append(f":{piece.get('name')}:")
            else:
                pieces.append(piece.get("text", ""))
        prefix = "> " if kind == "rich_text_quote" else ""
        lines.extend(prefix + line for line in "".join(pieces).split("\n"))
    return lines


def render_blocks(blocks: list[dict[str, Any]], names: Names = None) -> list[str]:
    """Render blocks as the lines a person reads in Slack."""
    lines: list[str] = []
    for block in blocks or []:
        kind = block.get("type")
        render = _BLOCK_RENDERERS.get(kind or "")
        lines += render(block, names) if render else [f"[{kind}]"]
    return lines


def _render_header(block: dict[str, Any], names: Names) -> list[str]:
    title = _plain(block.get("text"), names)
    return [title, "=" * max(len(title), 3)]


def _render_section(block: dict[str, Any], names: Names) -> list[str]:
    lines = _plain(block.get("text"), names).split("\n") if block.get("text") else []
    fields = [_plain(f, names).replace("\n", " ") for f in block.get("fields", [])]
    lines += [" | ".join(fields[i:i + 2]) for i in range(0, len(fields), 2)]
    if isinstance(block.get("accessory"), dict):
        lines.append("  " + render_element(block["accessory"], names))
    return lines


def _render_context(block: dict[str, Any], names: Names) -> list[str]:
    parts = [render_element(e, names) if e.get("type") == "image" else _plain(e, names)
             for e in block.get("elements", [])]
    return ["  " + " · ".join(parts)]


def _render_image(block: dict[str, Any], names: Names) -> list[str]:
    title = _plain(block.get("title"), names)
    return [f"[image: {block.get('alt_text', '')}]" + (f" {title}" if title else "")]


def _render_input(block: dict[str, Any], names: Names) -> list[str]:
    optional = " (optional)" if block.get("optional") else ""
    return [f"{_plain(block.get('label'), names)}{optional}: {render_element(block.get('element') or {}, names)}"]


def _render_table(block: dict[str, Any], names: Names) -> list[str]:
    return [" | ".join(_plain(cell, names) or "".join(_rich_text(cell.get("elements", []), names)) for cell in row)
            for row in block.get("rows", [])]


_BLOCK_RENDERERS: dict[str, Callable[[dict[str, Any], Names], list[str]]] = {
    "header": _render_header,
    "section": _render_section,
    "divider": lambda block, names: ["-" * 40],
    "context": _render_context,
    "actions": lambda block, names: [" ".join(render_element(e, names) for e in block.get("elements", []))],
    "image": _render_image,
    "input": _render_input,
    "rich_text": lambda block, names: _rich_text(block.get("elements", []), names),
    "markdown": lambda block, names: readable_text(block.get("text", ""), names).split("\n"),
    "table": _render_table,
}
