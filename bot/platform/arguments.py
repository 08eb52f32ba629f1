"""Numbers and list filters typed after a command, and ids carried by buttons: ASCII digits only."""

from __future__ import annotations

import re
from enum import StrEnum
from typing import TypeVar

from bot.platform.errors import InvalidInput
from bot.platform.i18n import _

# `[0-9]`, not `\d` or str.isdigit(): those also take "²" and "٣", which int() refuses or reads as 3.
_NUMBER = re.compile(r"[0-9]+")
_ID = re.compile(r"#?([0-9]+)")
# Digits of other scripts and super/subscripts (², ٣, ３, ①): meant as a number, but not one we read.
_OTHER_DIGITS = re.compile(r"#?[\d\u00b2\u00b3\u00b9\u2070-\u2079\u2080-\u2089\u2460-\u249b]+")
MAX_PAGE = 10_000  # past any real listing; keeps OFFSET far from the integer limits

E = TypeVar("E", bound=StrEnum)


def refuse_other_digits(text: str, *, example: str) -> None:
    """InvalidInput naming `example` when `text` is a number written with digits other than 0-9."""
    word = text.strip()
    if word and not word.isascii() and _OTHER_DIGITS.fullmatch(word):
        raise InvalidInput(_("“{word}” is not a number Rapport reads: use the digits 0-9, as in `{example}`.").format(
            word=word[:20], example=example))


def whole_number(text: str) -> int | None:
    """`12` → 12; None for anything else (signs, spaces, other scripts' digits)."""
    text = text.strip()
    return int(text) if _NUMBER.fullmatch(text) else None


def parse_id(text: str, *, example: str = "12") -> int | None:
    """`12` or `#12` → 12; None when the text is not an id; InvalidInput naming `example` for `#²` or `٣`."""
    refuse_other_digits(text, example=example)
    match = _ID.fullmatch(text.strip())
    return int(match.group(1)) if match else None


def parse_page(text: str, *, usage: str) -> int:
    """An optional page number (1 when empty); InvalidInput with `usage` otherwise."""
    if not text.strip():
        return 1
    page = whole_number(text)
    if page is None:
        raise InvalidInput(usage)
    return min(max(page, 1), MAX_PAGE)


def parse_listing(text: str, *, choices: type[E], default: E, usage: str) -> tuple[E, int]:
    """`[<choice>] [page]` in any order: the filter (default when absent) and the page (1 when absent)."""
    which, page = default, 1
    for word in text.split():
        if (number := whole_number(word)) is not None:
            page = min(max(number, 1), MAX_PAGE)
        elif word.lower() in {choice.value for choice in choices}:
            which = choices(word.lower())
        else:
            raise InvalidInput(usage)
    return which, page
