"""The words of `/need`: log a need, list them, show one, move it on, ask for its supplementary agreement.

`help` and `list` come through bot/platform/command_words (帮助, 列表); the words after a need's number
(statuses, 补充协议, 已签署 …) are read here, since they follow a number rather than lead the command.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.platform.arguments import parse_id
from storage.care.needs import NeedStatus

# What people type after a need's number, in English and Chinese.
STATUS_WORDS: dict[str, NeedStatus] = {
    "heard": NeedStatus.HEARD, "已听取": NeedStatus.HEARD,
    "analysed": NeedStatus.ANALYSED, "analyzed": NeedStatus.ANALYSED, "分析": NeedStatus.ANALYSED,
    "已分析": NeedStatus.ANALYSED,
    "proposed": NeedStatus.PROPOSED, "提议": NeedStatus.PROPOSED, "已提议": NeedStatus.PROPOSED,
    "已提出方案": NeedStatus.PROPOSED,
    "agreed": NeedStatus.AGREED, "同意": NeedStatus.AGREED, "已同意": NeedStatus.AGREED, "已确认": NeedStatus.AGREED,
    "delivered": NeedStatus.DELIVERED, "交付": NeedStatus.DELIVERED, "已交付": NeedStatus.DELIVERED,
    "declined": NeedStatus.DECLINED, "decline": NeedStatus.DECLINED, "拒绝": NeedStatus.DECLINED,
    "已拒绝": NeedStatus.DECLINED,
}
AGREEMENT_WORDS = ("agreement", "补充协议", "协议")
SIGNED_WORDS = ("signed", "已签署", "签署")
DROPPED_WORDS = ("dropped", "放弃", "已放弃")
_PAGE = re.compile(r"^[0-9]{1,5}$")
_NUMBERED = re.compile(r"^#?(?P<id>[0-9]{1,12})(?:\s+(?P<word>\S+)(?:\s+(?P<rest>.*))?)?$", re.DOTALL)


@dataclass(frozen=True)
class NeedHelp:
    """`/need` alone, or `/need help`."""


@dataclass(frozen=True)
class ListNeeds:
    """`/need list [<account>] [page]`."""

    account: str
    page: int


@dataclass(frozen=True)
class ShowNeed:
    """`/need <id>`."""

    need_id: int


@dataclass(frozen=True)
class ChangeNeedStatus:
    """`/need <id> <status> [reason]`."""

    need_id: int
    status: NeedStatus
    reason: str


@dataclass(frozen=True)
class AskAgreement:
    """`/need <id> agreement <date>`: the need changes the service."""

    need_id: int
    when: str


@dataclass(frozen=True)
class CloseAgreement:
    """`/need <id> signed` or `/need <id> dropped`."""

    need_id: int
    signed: bool


@dataclass(frozen=True)
class LogNeed:
    """`/need [<account>:] <what>`."""

    text: str


NeedCommand = NeedHelp | ListNeeds | ShowNeed | ChangeNeedStatus | AskAgreement | CloseAgreement | LogNeed


def parse_need_command(text: str) -> NeedCommand:
    """Read `/need …`; anything that is not a command word after a number is a need to log."""
    text = text.strip()
    if text.lower() in ("", "help"):
        return NeedHelp()
    word, _space, rest = text.partition(" ")
    if word.lower() == "list":
        name, _space, last = rest.strip().rpartition(" ")
        if _PAGE.match(last):  # `list 2`, `list Acme Corp 2`
            return ListNeeds(name.strip(), int(last))
        return ListNeeds(rest.strip(), 1)
    match = _NUMBERED.match(text)
    if match is None or (need_id := parse_id(match.group("id"))) is None:
        return LogNeed(text)
    word, rest = (match.group("word") or "").lower(), (match.group("rest") or "").strip()
    if not word:
        return ShowNeed(need_id)
    if word in AGREEMENT_WORDS:
        head, _space, tail = rest.partition(" ")
        if head.lower() in SIGNED_WORDS + DROPPED_WORDS and not tail.strip():
            return CloseAgreement(need_id, signed=head.lower() in SIGNED_WORDS)
        return AskAgreement(need_id, rest)
    if word in SIGNED_WORDS + DROPPED_WORDS and not rest:
        return CloseAgreement(need_id, signed=word in SIGNED_WORDS)
    if word in STATUS_WORDS:
        return ChangeNeedStatus(need_id, STATUS_WORDS[word], rest)
    return LogNeed(text)
