"""The messages risks send on their own: a risk raised by a signal, and a review reminder (both to the owner)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import ClassVar
from zoneinfo import ZoneInfo

from bot.platform.cards import CardKind


class ReviewStage(StrEnum):
    """A review reminder: on the review day, or the next working day when still not reviewed."""

    DUE = "due"
    OVERDUE = "overdue"


@dataclass(frozen=True)
class RiskFacts:
    """What a card says of a risk; title and control are worded in the reader's language at delivery."""

    risk_id: int
    account: str
    source: str
    catalog_key: str | None
    signal: str | None
    facts: dict[str, str]
    title: str
    control: str | None
    likelihood: int
    impact: int
    owner: str
    status: str
    next_review_at: datetime
    zone: ZoneInfo


@dataclass(frozen=True)
class RiskRaisedCard:
    """A DM to the account's owner: Rapport raised a risk from its signals."""

    kind: ClassVar[CardKind] = CardKind.RISK_RAISED
    risk: RiskFacts


@dataclass(frozen=True)
class RiskReviewCard:
    """A DM to a risk's owner: its review is due today, or overdue."""

    kind: ClassVar[CardKind] = CardKind.RISK_REVIEW
    risk: RiskFacts
    stage: ReviewStage
