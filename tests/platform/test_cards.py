"""Typed cards: every kind has exactly one renderer, and a card survives the outbox's JSON unchanged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import ClassVar

import pytest

from bot.care.cards import PraiseCard, PraisedGroup
from bot.platform import cards
from bot.platform.cards import CardKind, CardRenderer, CardRenderers, Rendered
from handlers.blocks import RENDERERS


def test_every_kind_has_a_renderer_and_every_renderer_a_kind():
    assert RENDERERS.kinds() == set(CardKind)


def test_two_renderers_for_one_kind_are_refused():
    def render(card: PraiseCard) -> Rendered:
        return Rendered(text=card.reason, blocks=[])

    with pytest.raises(ValueError, match="praise_card"):
        CardRenderers([CardRenderer(PraiseCard, render), CardRenderer(PraiseCard, render)])


@dataclass(frozen=True)
class Sample:
    kind: ClassVar[CardKind] = CardKind.PRAISE_CARD
    at: datetime
    day: date
    cost: Decimal
    groups: tuple[PraisedGroup, ...]
    note: str | None = None


def test_a_card_round_trips_through_json_with_real_types():
    card = Sample(at=datetime(2026, 12, 7, 2, 0, tzinfo=UTC), day=date(2026, 12, 7), cost=Decimal("12.50"),
                  groups=(PraisedGroup(id="S1", handle="noc"),))
    stored = cards.dump(card)
    assert stored["at"] == "2026-12-07T02:00:00Z" and stored["cost"] == "12.50"
    assert cards.load(Sample, stored) == card


def test_a_stored_card_missing_a_field_is_refused():
    with pytest.raises(ValueError, match="reason"):
        cards.load(PraiseCard, {"praise_id": 1, "giver": "U1", "users": [], "groups": []})
