"""What `/complaint` text says: a complaint to log (account, summary, severity), a list, one complaint, help."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.platform.arguments import parse_id, parse_listing
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from storage.care.complaints import ComplaintFilter, ComplaintSeverity

EXAMPLE = "/complaint Acme Corp: the VPN drops every hour !high"

_SEVERITY_WORDS = {
    **{severity.value: severity for severity in ComplaintSeverity},
    "urgent": ComplaintSeverity.CRITICAL, "medium": ComplaintSeverity.NORMAL,
    "紧急": ComplaintSeverity.CRITICAL, "高": ComplaintSeverity.HIGH, "中": ComplaintSeverity.NORMAL,
    "普通": ComplaintSeverity.NORMAL, "低": ComplaintSeverity.LOW,
}
_SEVERITY_TAIL = re.compile(r"(?:^|\s)[!！](\w+)\s*$")
_SEVERITY_ANYWHERE = re.compile(r"(?:^|\s)!(critical|high|normal|low)\b", re.IGNORECASE)
# "Acme Corp: text". The colon must be followed by a space (or be full-width) so "at 10:30" or a
# link is not read as an account name.
_ACCOUNT_PREFIX = re.compile(r"^\s*([^:：<>\n]{1,80}?)\s*(?::\s+|:$|：\s*)(.*)$", re.DOTALL)


@dataclass(frozen=True)
class Draft:
    """What someone asked to log: the summary, a severity and perhaps an account name."""

    summary: str
    severity: ComplaintSeverity = ComplaintSeverity.NORMAL
    account_name: str | None = None
    # The whole text, for when the "name:" prefix turns out to be part of the summary.
    whole_text: str | None = None


@dataclass(frozen=True)
class OpenModal:
    """`/complaint` alone: the modal that asks for everything."""


@dataclass(frozen=True)
class ShowHelp:
    """`/complaint help`."""


@dataclass(frozen=True)
class ListComplaints:
    """`/complaint list [mine|open|breached] [page]`."""

    which: ComplaintFilter
    page: int


@dataclass(frozen=True)
class ShowComplaint:
    """`/complaint <id>` (or `#<id>`)."""

    complaint_id: int


@dataclass(frozen=True)
class LogComplaint:
    """`/complaint [<account>:] <summary> [!severity]`."""

    draft: Draft


ComplaintCommand = OpenModal | ShowHelp | ListComplaints | ShowComplaint | LogComplaint


def parse_complaint_command(text: str) -> ComplaintCommand:
    """Read `/complaint …`: the modal, help, a list, one complaint by id, or a complaint to log."""
    text = text.strip()
    verb, _space, rest = text.partition(" ")
    if not text:
        return OpenModal()
    if verb.lower() == "help":
        return ShowHelp()
    if verb.lower() == "list":
        which, page = parse_list_args(rest)
        return ListComplaints(which, page)
    if (complaint_id := parse_id(text, example="/complaint 12")) is not None:
        return ShowComplaint(complaint_id)
    return LogComplaint(parse_complaint_text(text))


def parse_list_args(text: str) -> tuple[ComplaintFilter, int]:
    """`[mine|open|breached] [page]`, open and page 1 by default."""
    return parse_listing(text, choices=ComplaintFilter, default=ComplaintFilter.OPEN,
                         usage=_("Choose mine, open or breached, and a page: `/complaint list breached 2`"))


def parse_severity(word: str) -> ComplaintSeverity:
    """Read a severity word (critical, high, normal, low; 紧急/高/中/低)."""
    severity = _SEVERITY_WORDS.get(word.strip().lstrip("!！").lower())
    if severity is None:
        raise InvalidInput(_("“{word}” is not a severity. Use !critical, !high, !normal or !low: `{example}`").format(
            word=word, example=EXAMPLE))
    return severity


def parse_complaint_text(text: str) -> Draft:
    """Split `[<account>:] <summary> [!severity]`."""
    text = text.strip()
    severity = ComplaintSeverity.NORMAL
    if tail := _SEVERITY_TAIL.search(text):
        severity = parse_severity(tail.group(1))
        text = text[:tail.start()].strip()
    elif anywhere := _SEVERITY_ANYWHERE.search(text):
        severity = parse_severity(anywhere.group(1))
        text = (text[:anywhere.start()] + " " + text[anywhere.end():]).strip()
    if prefix := _ACCOUNT_PREFIX.match(text):
        return Draft(prefix.group(2).strip(), severity, html.unescape(prefix.group(1)).strip(), text)
    return Draft(text, severity)
