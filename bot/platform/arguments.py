"""Numbers and list filters typed after a command, and ids carried by buttons: ASCII digits only."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TypeVar

from bot.platform.errors import InvalidInput

# `[0-9]`, not `\d` or str.isdigit(): those also take "²" and "٣", which int() refuses or reads as 3.
_NUMBER = re.compile(r"[0-9]+")
_ID = re.compile(r"#?([0-9]+)")

E = TypeVar("E", bound=StrEnum)


def whole_number(text: str) -> int | None:
    """`12` → 12; None for anything else (signs, spaces, other scripts' digits)."""
    text = text.strip()
    return int(text) if _NUMBER.fullmatch(text) else None


def parse_id(text: str) -> int | None:
    """`12` or `#12` → 12; None when the text is not an id."""
    match = _ID.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def parse_page(text: str, *, usage: str) -> int:
    """An optional page number (1 when empty); InvalidInput with `usage` otherwise."""
    if not text.strip():
        return 1
    page = whole_number(text)
    if page is None:
        raise InvalidInput(usage)
    return max(page, 1)


def parse_listing(text: str, *, choices: type[E], default: E, usage: str) -> tuple[E, int]:
    """`[<choice>] [page]` in any order: the filter (default when absent) and the page (1 when absent)."""
    which, page = default, 1
    for word in text.split():
        if (number := whole_number(word)) is not None:
            page = max(number, 1)
        elif word.lower() in {choice.value for choice in choices}:
            which = choices(word.lower())
        else:
            raise InvalidInput(usage)
    return which, page
