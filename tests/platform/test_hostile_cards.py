"""Property-based: whatever people typed into a card's strings, no rendered message can ping a crowd or hide a link.

Every card kind the outbox renders is built by Hypothesis from its dataclass; its strings are then replaced with
adversarial text, so a new card or a new field is covered without being listed here.
"""

from __future__ import annotations

import json
import re
from dataclasses import fields, is_dataclass, replace
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.overview.cards import ComplaintItem, Listing, SlaClock
from bot.platform.cards import neutralised
from bot.platform.text import neutralise_mentions
from handlers.blocks import RENDERERS
from storage.care.complaints import ComplaintSeverity, ComplaintStatus
from tests.platform.hostile import PINGS, hostile_text

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
USER_OR_CHANNEL = re.compile(r"<[@#][A-Z0-9]+(?:\|[^<>|]*)?>")
KINDS = sorted(kind for kind in RENDERERS.kinds() if kind != "digest")  # Listing[T] is generic: see below


def hostile(value: Any, texts: st.DataObject) -> Any:
    """`value` with every plain string (not enums, ids kept as they are) drawn from adversarial text."""
    if type(value) is str:
        return texts.draw(hostile_text)
    if is_dataclass(value) and not isinstance(value, type):
        return replace(value, **{f.name: hostile(getattr(value, f.name), texts) for f in fields(value) if f.init})
    if isinstance(value, tuple):
        return tuple(hostile(item, texts) for item in value)
    return value


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_no_rendered_card_pings_whatever_its_strings(kind, data):
    entry = RENDERERS._by_kind[kind]
    card = hostile(data.draw(st.from_type(entry.card_type)), data)
    try:
        rendered = RENDERERS.render_card(card)
    except Exception:
        return  # random fields the domain never combines (an average without answers...); the walker test covers it
    shown = rendered.text + json.dumps(rendered.blocks, ensure_ascii=False)
    for ping in PINGS:
        assert ping not in shown, (kind, ping)


st.register_type_strategy(ZoneInfo, st.just(ZoneInfo("Asia/Shanghai")))


@settings(max_examples=300, deadline=None)
@given(text=hostile_text)
def test_neutralised_text_never_pings(text):
    safe = neutralise_mentions(text)
    for ping in PINGS:
        assert ping not in safe
    assert "<" not in USER_OR_CHANNEL.sub("", safe) and ">" not in USER_OR_CHANNEL.sub("", safe)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_every_string_of_a_card_is_neutralised_however_deep(data):
    # The digest nests generic listings of items; the walker reaches every string in them.
    item = ComplaintItem(id=1, account=data.draw(hostile_text), summary=data.draw(hostile_text),
                         severity=ComplaintSeverity.HIGH, owner=None, status=ComplaintStatus.OPEN, clock=SlaClock.ACK,
                         due_at=None, created_at=NOW, resolved_at=None, resolved_by=None)
    deep = neutralised(Listing(total=1, items=(item,)))
    for text in (deep.items[0].account, deep.items[0].summary):
        assert not any(ping in text for ping in PINGS)
