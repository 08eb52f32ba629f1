"""The words of `/dispute <id> …`: name a mediator (`mediator <account> [@person]`) or reopen (`reopen: <reason>`)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from bot.platform.errors import InvalidInput
from bot.platform.i18n import _
from bot.platform.text import USER_MENTION, mentioned_users

MEDIATOR_EXAMPLE = "/dispute 12 mediator AuditCo @erin"
_STEP = re.compile(r"^#?(?P<id>[0-9]{1,12})\s+(?P<verb>mediator|mediate|调解方|调解|reopen|重开|重新打开)"
                   r"(?:\s*[:：]\s*|\s+|$)(?P<rest>.*)$", re.IGNORECASE | re.DOTALL)
_REOPEN_WORDS = ("reopen", "重开", "重新打开")


@dataclass(frozen=True)
class MediatorRequest:
    """`/dispute 12 mediator AuditCo @erin`: the mediating account and, optionally, the person to ask."""

    dispute_id: int
    mediator: str
    person: str | None


@dataclass(frozen=True)
class ReopenRequest:
    """`/dispute 12 reopen: <reason>`."""

    dispute_id: int
    reason: str


def parse_dispute_step(text: str) -> MediatorRequest | ReopenRequest | None:
    """The step asked of one dispute; None when the text is something else (a new dispute, a list…)."""
    match = _STEP.match(text.strip())
    if match is None:
        return None
    dispute_id, rest = int(match.group("id")), match.group("rest").strip()
    if match.group("verb").lower() in _REOPEN_WORDS:
        return ReopenRequest(dispute_id, rest)
    people = mentioned_users(rest)
    if len(people) > 1:
        raise InvalidInput(_("Name one person to ask, at most: `{example}`").format(example=MEDIATOR_EXAMPLE))
    name = html.unescape(USER_MENTION.sub("", rest)).strip()
    if not name:
        raise InvalidInput(_("Name the mediating account (a customer, supplier or third party), and the person to "
                             "ask if you like: `{example}`").format(example=MEDIATOR_EXAMPLE))
    return MediatorRequest(dispute_id, name, people[0] if people else None)
