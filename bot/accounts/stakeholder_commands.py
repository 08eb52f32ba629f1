"""The words of `/account stakeholder <account>: <name> [role …] [influence …] [stance …] [sponsor] [met …]`.

Words in English or Chinese; the name is what comes before the first of them (or a Slack mention, for a
stakeholder in a shared channel). `remove` takes a stakeholder off the list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar
from zoneinfo import ZoneInfo

from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.platform.text import ECHO_LIMIT, cut
from storage.accounts.stakeholders import Influence, Stance

MAX_NAME = 80
MAX_ROLE = 80
EXAMPLE = "/account stakeholder Acme Corp: Erin Li role CIO influence high stance supporter sponsor"
KEYWORDS = {"role": "role", "角色": "role", "职务": "role",
            "influence": "influence", "影响力": "influence",
            "stance": "stance", "态度": "stance",
            "sponsor": "sponsor", "客户高层": "sponsor", "高层": "sponsor",
            "met": "met", "见面": "met", "最近见面": "met",
            "remove": "remove", "删除": "remove", "移除": "remove"}
INFLUENCE_WORDS = {"high": Influence.HIGH, "高": Influence.HIGH, "medium": Influence.MEDIUM, "中": Influence.MEDIUM,
                   "low": Influence.LOW, "低": Influence.LOW}
STANCE_WORDS = {"supporter": Stance.SUPPORTER, "supportive": Stance.SUPPORTER, "支持": Stance.SUPPORTER,
                "支持者": Stance.SUPPORTER, "neutral": Stance.NEUTRAL, "中立": Stance.NEUTRAL,
                "critic": Stance.CRITIC, "critical": Stance.CRITIC, "反对": Stance.CRITIC, "批评者": Stance.CRITIC}
NO_WORDS = ("no", "off", "否", "取消")
_PREFIX = re.compile(r"^\s*(?P<account>[^:：\n<>]{1,80}?)\s*[:：]\s*(?P<rest>.*)$", re.DOTALL)
_MENTION = re.compile(r"^<@(?P<id>[UW][A-Z0-9]+)(?:\|(?P<label>[^>]*))?>$")
_DAYS_AGO = re.compile(r"^(?P<n>[0-9]{1,3})\s*(?:days?\s+ago|天前)$")
T = TypeVar("T")


@dataclass(frozen=True)
class StakeholderChange:
    """What `/account stakeholder …` asks: add or change one stakeholder (what is not said stays), or remove it."""

    account: str
    name: str
    user_id: str | None = None
    role: str | None = None
    influence: Influence | None = None
    stance: Stance | None = None
    sponsor: bool | None = None
    met: str | None = None  # as typed: `today`, `yesterday`, `3 days ago`, `2026-11-20`
    remove: bool = False


@dataclass(frozen=True)
class ListStakeholders:
    """`/account stakeholder <account>`: who matters there."""

    account: str


def parse_stakeholder_command(text: str) -> StakeholderChange | ListStakeholders:
    """Read the text after `/account stakeholder`."""
    match = _PREFIX.match(text)
    if match is None:
        if not text.strip():
            raise InvalidInput(_("Name the account and the person: `{example}`").format(example=EXAMPLE))
        return ListStakeholders(text.strip())
    account, words = match.group("account").strip(), match.group("rest").split()
    first = next((i for i, word in enumerate(words) if word.lower() in KEYWORDS), len(words))
    name_words, values = words[:first], _keyword_values(words[first:])
    name, user_id = _name(" ".join(name_words))
    change = StakeholderChange(account=account, name=name, user_id=user_id, remove="remove" in values)
    if "role" in values:
        role = " ".join(values["role"])
        if not role or len(role) > MAX_ROLE:
            raise InvalidInput(_("Give the role after `role`, at most {limit} characters: `{example}`").format(
                limit=MAX_ROLE, example=EXAMPLE))
        change = replace(change, role=role)
    if "influence" in values:
        change = replace(change, influence=_choice(values["influence"], INFLUENCE_WORDS, "high, medium, low"))
    if "stance" in values:
        change = replace(change, stance=_choice(values["stance"], STANCE_WORDS, "supporter, neutral, critic"))
    if "sponsor" in values:
        change = replace(change, sponsor=not (values["sponsor"] and values["sponsor"][0].lower() in NO_WORDS))
    if "met" in values:
        change = replace(change, met=" ".join(values["met"]))
    return change


def _keyword_values(words: list[str]) -> dict[str, list[str]]:
    values: dict[str, list[str]] = {}
    current = ""
    for word in words:
        if word.lower() in KEYWORDS:
            current = KEYWORDS[word.lower()]
            values[current] = []
        else:
            values[current].append(word)
    return values


def _name(text: str) -> tuple[str, str | None]:
    text = " ".join(text.split())
    if not text:
        raise InvalidInput(_("Name the person after the account: `{example}`").format(example=EXAMPLE))
    mention = _MENTION.match(text)
    if mention:
        return (mention.group("label") or mention.group("id"))[:MAX_NAME], mention.group("id")
    if len(text) > MAX_NAME or "<" in text:
        raise InvalidInput(_("A stakeholder's name is plain text of at most {limit} characters, or a mention.").format(
            limit=MAX_NAME))
    return text, None


def _choice(words: list[str], choices: dict[str, T], allowed: str) -> T:
    word = " ".join(words).lower()
    if word not in choices:
        raise InvalidInput(_("“{word}” is not one of {allowed}.").format(word=cut(word, ECHO_LIMIT), allowed=allowed))
    return choices[word]


def read_met(text: str, *, now: datetime, zone: ZoneInfo) -> datetime:
    """When someone was met: `today` (or nothing), `yesterday`, `3 days ago`, `2026-11-20`; never in the future."""
    cleaned = " ".join(text.lower().split())
    today = now.astimezone(zone).date()
    if cleaned in ("", "today", "今天", "now"):
        return now
    if cleaned in ("yesterday", "昨天"):
        return _noon(today - timedelta(days=1), zone)
    if match := _DAYS_AGO.match(cleaned):
        return _noon(today - timedelta(days=int(match.group("n"))), zone)
    try:
        day = date.fromisoformat(cleaned)
    except ValueError:
        raise InvalidInput(_("Say when they were met: `met today`, `met yesterday`, `met 3 days ago` or `met "
                             "2026-11-20`.")) from None
    if day > today:
        raise InvalidInput(_("{day} is still to come; say when they were last met.").format(day=day.isoformat()))
    return min(_noon(day, zone), now)


def _noon(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(12), tzinfo=zone).astimezone(UTC)
