"""Reading what a person types in the sandbox: shortcuts by name, buttons by label, modal fields, durations."""

from __future__ import annotations

import re
import shlex
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.calendar.workdays import WorkCalendar
from handlers.ids import Shortcut

_SHORTCUT = re.compile(r"(?P<name>.+?)(?:\s+on\s+(?P<which>\d+|last))?", re.IGNORECASE)
_CLICK = re.compile(r"(?P<label>.+?)(?:\s+in\s+(?P<where>#\S+|dm))?", re.IGNORECASE)
_LABELLED_MENTION = re.compile(r"<(@[UW][A-Z0-9]+|!subteam\^[A-Z0-9]+)\|[^>]*>")
_DURATION_PART = re.compile(r"(\d+)\s*(weeks?|w|days?|d|hours?|hrs?|h|minutes?|mins?|m)(?![a-z])", re.IGNORECASE)
_DURATION = re.compile(rf"(?:\s*{_DURATION_PART.pattern}\s*(?:and\s+)?)+", re.IGNORECASE)
_WORKING_DAYS = re.compile(r"\s*(\d+)\s+working\s+days?\s*", re.IGNORECASE)
_UNIT = {"w": timedelta(weeks=1), "d": timedelta(days=1), "h": timedelta(hours=1), "m": timedelta(minutes=1)}

Block = dict[str, Any]
Element = dict[str, Any]


class SandboxError(Exception):
    """A line the sandbox cannot run; the message says what to type instead."""


def key(name: str) -> str:
    """A name reduced to what matters when a person types it: `Log praise` and `log_praise` are one key."""
    return re.sub(r"[^a-z0-9]+", "_", name.casefold()).strip("_")


def shortcut_title(shortcut: Shortcut) -> str:
    """`log_praise` → `Log praise`, as Slack's menu shows it."""
    return shortcut.value.replace("_", " ").capitalize()


def read_shortcut(text: str) -> tuple[Shortcut, int | None]:
    """`Log praise on 3` → (the shortcut, 3); None for the last message (`on last`, or nothing said)."""
    match = _SHORTCUT.fullmatch(text)
    names = ", ".join(f"{shortcut_title(s)} ({s.value})" for s in Shortcut)
    if match is None:
        raise SandboxError(f"which shortcut? Rapport's message shortcuts: {names}")
    wanted = key(match["name"].strip("\"'“”"))
    found = next((s for s in Shortcut if wanted in (key(s.value), key(shortcut_title(s)))), None)
    if found is None:
        raise SandboxError(f"no shortcut {match['name']!r}; Rapport's message shortcuts: {names}")
    which = (match["which"] or "last").lower()
    return found, None if which == "last" else int(which)


def read_click(text: str) -> tuple[str, str | None]:
    """`"Acknowledge" in #escalations` → (the label, where); where is None when not said."""
    if text[:1] in ("'", '"'):
        words = _split(text)
        label, tail = words[0], words[1:]
        if tail and (len(tail) != 2 or tail[0].lower() != "in"):
            raise SandboxError('write `click "<label>"` or `click "<label>" in #channel`')
        return label, tail[1] if tail else None
    match = _CLICK.fullmatch(text)
    if match is None:
        raise SandboxError('click what? e.g. `click "Acknowledge"` (`show` lists what is on screen)')
    return match["label"], match["where"]


def read_fields(text: str, inputs: list[tuple[Block, Element]], *,
                fields_hint: str) -> list[tuple[Block, Element, str]]:
    """`receivers=@bob note="on time"` → each field's input block, its element and the typed text."""
    found = []
    for token in _split(text):
        field, equals, raw = token.partition("=")
        match = next(((block, element) for block, element in inputs if key(field) in _names(block, element)), None)
        if not equals or match is None:
            raise SandboxError(f"write fields as field=value; this modal's fields: {fields_hint}")
        found.append((*match, raw))
    return found


def _names(block: Block, element: Element) -> tuple[str, ...]:
    """What a field may be called: its block id, its action id or its label."""
    return key(block["block_id"]), key(element.get("action_id", "")), key((block.get("label") or {}).get("text", ""))


def field_parts(element: Element, raw: str) -> tuple[list[str], bool]:
    """The values typed for one field (several for a multi-select, comma-separated), and whether it takes several."""
    kind = element["type"]
    many = kind.startswith("multi_") or kind == "checkboxes"
    parts = [part.strip() for part in raw.split(",") if part.strip()] if many else [raw.strip()]
    return [part for part in parts if part], many


def unlabelled_mentions(text: str) -> str:
    """Mentions as the Slack client writes them in a message: `<@U0BOB>`, without the command's `|bob` label."""
    return _LABELLED_MENTION.sub(r"<\1>", text)


def read_target(text: str, *, now: datetime, zone: ZoneInfo, calendar: WorkCalendar) -> datetime:
    """Where `advance` moves the clock: `2h`, `1d4h`, `30 minutes` from now, or `3 working days` from now."""
    working = _WORKING_DAYS.fullmatch(text)
    if working:
        local = now.astimezone(zone)
        day = calendar.add_working_days(local.date(), int(working[1]))
        return datetime.combine(day, local.time(), zone)
    if not _DURATION.fullmatch(text):
        raise SandboxError(f"cannot read {text!r} as a duration; e.g. `advance 2h`, `1d`, `30m`, `1d4h`, "
                           "`3 working days`")
    return now + sum((int(n) * _UNIT[unit[0].lower()] for n, unit in _DURATION_PART.findall(text)), timedelta())


def _split(text: str) -> list[str]:
    try:
        return shlex.split(text)
    except ValueError as exc:
        raise SandboxError(f"cannot read that: {exc}") from None
