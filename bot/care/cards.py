"""Customer care cards for the outbox: commendations (and, as they move here, complaints and surveys)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from bot.platform.cards import CardKind


@dataclass(frozen=True)
class PraisedGroup:
    """A user group praised as a team."""

    id: str
    handle: str


@dataclass(frozen=True)
class PraiseCard:
    """The commendation published in the kudos channel."""

    kind: ClassVar[CardKind] = CardKind.PRAISE_CARD
    praise_id: int
    giver: str
    users: tuple[str, ...]
    groups: tuple[PraisedGroup, ...]
    reason: str
    account: str | None = None
