"""The words of `/rapport risks`: list (of an account, a page), add your own, set a field, review, close."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.platform.arguments import parse_id, parse_page
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _

_PAGE = re.compile(r"^(?P<name>.*?)\s*\bpage\s+(?P<page>\S+)$", re.IGNORECASE)


@dataclass(frozen=True)
class RisksCommand:
    """What `/rapport risks …` asks for: `verb` is list, add, set, review or close."""

    verb: str
    name: str = ""
    page: int = 1
    risk_id: int = 0
    field: str = ""
    value: str = ""


def _risk_id(text: str, usage: str) -> int:
    risk_id = parse_id(text, example="3")
    if risk_id is None:
        raise InvalidInput(usage)
    return risk_id


def parse_risks_command(text: str) -> RisksCommand:
    """`Acme Corp page 2`, `add Acme Corp: …`, `set 3 impact high`, `review 3`, `close 3`."""
    text = text.strip()
    verb, _space, rest = text.partition(" ")
    verb = verb.lower()
    if verb == "add":
        return RisksCommand("add", value=rest)
    if verb in ("review", "close"):
        return RisksCommand(verb, risk_id=_risk_id(rest, _("Say `/rapport risks {verb} 3`.").format(verb=verb)))
    if verb == "set":
        usage = _("Say `/rapport risks set 3 status|likelihood|impact|control|owner|review <value>`.")
        number, _space, tail = rest.strip().partition(" ")
        field, _space, value = tail.strip().partition(" ")
        if not value.strip():
            raise InvalidInput(usage)
        return RisksCommand("set", risk_id=_risk_id(number, usage), field=field, value=value)
    match = _PAGE.match(text)
    if match is None:
        return RisksCommand("list", name=text)
    usage = _("Say `/rapport risks page 2`, or `/rapport risks Acme Corp page 2`.")
    page = parse_page(match.group("page"), usage=usage)
    return RisksCommand("list", name=match.group("name"), page=page)
