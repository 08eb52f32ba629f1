"""Small Block Kit helpers shared by every builder."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.errors import SlackObjectFormationError

from bot.calendar.when import describe
from bot.platform import formatting
from bot.platform.text import cut, neutralise_mentions

# What a reply builder returns: the fallback text and the Block Kit blocks.
Reply = tuple[str, list[dict[str, Any]]]
SECTION_LIMIT = 3000
HEADER_LIMIT = 150
CONTEXT_LIMIT = 2000


# Plain dicts, the same as slack_sdk's block models' to_dict() gives (keys in its sorted order, empty
# texts left out): building the models cost 0.1-0.2 ms a block, a fifth of a praise's delivery (issue 10).

def header(text: str) -> dict[str, Any]:
    """A header block, cut to Slack's limit."""
    if not text:
        raise SlackObjectFormationError("text attribute must be specified")
    return {"text": {"emoji": True, "text": cut(text, HEADER_LIMIT), "type": "plain_text"}, "type": "header"}


def section(text: str) -> dict[str, Any]:
    """A mrkdwn section, cut to Slack's limit."""
    return {"text": _mrkdwn(cut(text, SECTION_LIMIT)), "type": "section"}


def context(*texts: str) -> dict[str, Any]:
    """A context line of mrkdwn parts."""
    elements = [_mrkdwn(cut(t, CONTEXT_LIMIT)) for t in texts[:10]]
    return {"elements": elements, "type": "context"} if elements else {"type": "context"}


def divider() -> dict[str, Any]:
    """A divider."""
    return {"type": "divider"}


def _mrkdwn(text: str) -> dict[str, Any]:
    return {"text": text, "type": "mrkdwn"} if text else {"type": "mrkdwn"}


def user(user_id: str | None) -> str:
    """A user mention."""
    return f"<@{user_id}>" if user_id else "—"


def channel(channel_id: str | None) -> str:
    """A channel mention."""
    return f"<#{channel_id}>" if channel_id else "—"


def join_names(names: list[str]) -> str:
    """a, b and c."""
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " & " + names[-1]


def when(moment: datetime | None, zone: ZoneInfo) -> str:
    """A moment in a time zone as people check it: "Wed 2 Dec 10:00 CST" ("—" for none)."""
    return describe(moment, zone) if moment else "—"


def quoted(text: str, limit: int = SECTION_LIMIT - 20) -> str:
    """User text as a quote that cannot ping anyone."""
    return "> " + cut(neutralise_mentions(text), limit).replace("\n", "\n> ")


def date_label(day: date) -> str:
    """A date the way people say it: "Sat 27 Feb 2027" / "2027年2月27日 周六"."""
    return formatting.day(day)


def local_day(moment: datetime, zone: ZoneInfo) -> str:
    """The day of a moment in the team's time zone."""
    return date_label(moment.astimezone(zone).date())
