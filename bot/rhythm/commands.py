"""The grammar of /meeting: which verb, the account, a meeting's number, and "<title> <when>".

`/meeting [help]`, `/meeting list [<account>]`, `/meeting cancel <n>`, `/meeting report <account> submitted`,
else `/meeting <account>: <title> <when>` — the when is a rule (bot.calendar.recurrence) or a one-off
date (bot.calendar.when) at the end. A verb followed by a colon is an account's name.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.calendar.recurrence import (
    RULE_START,
    ImpossibleRule,
    Occurrence,
    Rule,
    UnreadableRule,
    parse_rule,
    rule_start_positions,
)
from bot.calendar.when import AmbiguousDate, ImpossibleDate, UnreadableDate, read_when
from bot.calendar.workdays import WorkCalendar
from bot.platform.arguments import parse_id
from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.platform.text import cut, mentioned_users

EXAMPLE = "/meeting Acme Corp: Monthly review every month on working day 10 at 10:00"
MAX_TITLE = 200  # the column's length
DATE_WORDS = 8  # a one-off date is read from at most the last 8 words
SHOWN_OCCURRENCES = 3
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(?:\|([^>]*))?>")
_REPORT = re.compile(r"^(?P<name>.+?)\s+(?:submitted|done|已提交)$", re.IGNORECASE)


@dataclass(frozen=True)
class MeetingHelp:
    """`/meeting` or `/meeting help`."""


@dataclass(frozen=True)
class ListMeetings:
    """`/meeting list [<account>]` (an empty name lists every account's)."""

    account_name: str


@dataclass(frozen=True)
class CancelMeeting:
    """`/meeting cancel 12`."""

    meeting_id: int


@dataclass(frozen=True)
class ReportSubmitted:
    """`/meeting report Acme Corp submitted`."""

    account_name: str


@dataclass(frozen=True)
class ScheduleMeeting:
    """`/meeting Acme Corp: Weekly sync with @bob every tuesday 15:00`: the people mentioned are invited."""

    account_name: str
    details: str  # "<title> <when>", read on the account's calendar by read_title_and_when
    mentioned: tuple[str, ...]


MeetingCommand = MeetingHelp | ListMeetings | CancelMeeting | ReportSubmitted | ScheduleMeeting


def read_meeting_command(text: str) -> MeetingCommand:
    """What `/meeting <text>` asks for; InvalidInput says how to ask when it is unreadable."""
    text = text.strip()
    verb, _space, rest = text.partition(" ")
    verb = verb.lower()
    if verb in ("", "help"):
        return MeetingHelp()
    if ":" not in text:  # "list: …" or "Cancel Corp: …" name an account
        if verb == "list":
            return ListMeetings(rest.strip())
        if verb == "cancel":
            meeting_id = parse_id(rest, example="/meeting cancel 12")
            if meeting_id is None:
                raise InvalidInput(_("Give the meeting's number, as shown by `/meeting list`: `/meeting cancel 12`."))
            return CancelMeeting(meeting_id)
        if verb == "report":
            match = _REPORT.match(rest.strip())
            if not match:
                raise InvalidInput(_("Say which account's report was submitted: `/meeting report Acme Corp submitted`"))
            return ReportSubmitted(match.group("name"))
    name, details = split_account(text)
    return ScheduleMeeting(name, details, tuple(mentioned_users(text)))


def split_account(text: str) -> tuple[str, str]:
    """`Acme Corp: Weekly sync every tuesday 15:00` -> ("Acme Corp", "Weekly sync every tuesday 15:00")."""
    cleaned = text.replace("：", ":")
    name, colon, rest = cleaned.partition(":")
    if not colon or not name.strip():
        raise InvalidInput(_("Name the account, then a colon, the title and when: `{example}`").format(
            example=EXAMPLE))
    return name.strip(), rest.strip()


def read_title_and_when(text: str, *, now: datetime, calendar: WorkCalendar) -> tuple[str, Rule | None,
                                                                                  list[Occurrence]]:
    """Split "<title> <when>" and read the when: (title, rule or None, the next occurrences)."""
    rule_error: UnreadableRule | None = None
    for position in rule_start_positions(text):
        try:
            rule = parse_rule(text[position:])
        except ImpossibleRule:
            raise  # read as a rule and refused: a one-off titled with the rule would be a misreading
        except UnreadableRule as error:
            rule_error = rule_error or error
            continue
        rule = rule.anchored(calendar, after=now)  # a fortnight keeps the rhythm its first date sets
        return text[:position].strip(), rule, upcoming(rule, now=now, calendar=calendar)
    words = text.split()
    if not words:
        raise InvalidInput(_("When is it? `{example}`, or a date such as `next tuesday 15:00`.").format(
            example=EXAMPLE))
    for start in range(max(0, len(words) - DATE_WORDS), len(words)):
        try:
            moment = read_when(" ".join(words[start:]), now=now, tz=calendar.timezone, calendar=calendar)
        except AmbiguousDate:
            raise  # what was understood, and how to say it: a shorter tail would be a silent guess
        except ImpossibleDate:
            raise  # a date, refused with its reason; not part of the title
        except UnreadableDate:
            continue
        if moment <= now:
            raise InvalidInput(_("That time has passed: {when}. Pick a time still to come.").format(
                when=" ".join(words[start:])))
        return " ".join(words[:start]), None, [Occurrence(moment.astimezone(UTC))]
    if rule_error is not None:
        raise rule_error
    raise UnreadableDate(" ".join(words[-DATE_WORDS:]), _("Put the date at the end, after the title; a "
                                                         "repeating meeting starts with “every” or “每”."))


def upcoming(rule: Rule, *, now: datetime, calendar: WorkCalendar) -> list[Occurrence]:
    """The occurrences a new meeting's echo shows: the next SHOWN_OCCURRENCES after `now`."""
    return rule.occurrences(calendar, after=now, count=SHOWN_OCCURRENCES)


def read_date_or_rule(text: str, *, now: datetime, calendar: WorkCalendar) -> tuple[Rule | None, list[Occurrence]]:
    """The whole text as /meeting reads its when: a rule (`every …`, `每…`) and its next dates, or a one-off date.

    Raises UnreadableRule or UnreadableDate, whose messages give forms that work.
    """
    if RULE_START.match(text.strip()):
        rule = parse_rule(text).anchored(calendar, after=now)
        return rule, upcoming(rule, now=now, calendar=calendar)
    moment = read_when(text, now=now, tz=calendar.timezone, calendar=calendar)
    return None, [Occurrence(moment.astimezone(UTC))]


def meeting_title(title: str, *, account_name: str) -> str:
    """The title as stored: mentions as plain names (it can be shown anywhere), a default when none is left."""
    title = _MENTION.sub(lambda match: f"@{match.group(1)}" if match.group(1) else "", title)
    title = " ".join(title.split()).rstrip(" -–—,;:")
    if len(title) > MAX_TITLE:
        raise InvalidInput(_("A meeting title is at most {limit} characters; this one has {count}. Put the details in "
                             "the minutes.").format(limit=MAX_TITLE, count=len(title)))
    return cut(title or _("Meeting with {account}").format(account=account_name), MAX_TITLE)
