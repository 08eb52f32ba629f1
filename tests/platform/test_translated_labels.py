"""Stored values (tiers, severities) and counts are shown through the catalog, never raw."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from babel.messages.pofile import read_po, write_po

from bot.platform import i18n
from bot.platform.outbox import DeliveryFailedCard
from bot.sandbox.world import World
from handlers.blocks.platform.admin import render_delivery_failed
from tests.expect import posts_in, run

POT = Path(__file__).resolve().parents[2] / "bot" / "locale" / "rapport.pot"
SHOUTED = ("standard", "high")


@pytest.fixture
def shouting(sqlite_world: World, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[World]:
    """The world in a throwaway language that upper-cases a few words, and nothing else."""
    with POT.open("rb") as pot:
        catalog = read_po(pot, locale="en")
    for word in SHOUTED:
        catalog[word].string = word.upper()
    folder = tmp_path / "xx" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "rapport.po").open("wb") as po:
        write_po(po, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.activate("xx")
    # The workspace's language (channels) is its settings' RAPPORT_LANGUAGE, as if it had been xx all along.
    monkeypatch.setattr(sqlite_world.settings, "rapport_language", "xx")
    monkeypatch.setattr(sqlite_world.services.slack, "language", "xx")
    for user in sqlite_world.stand_in.workspace.users.values():
        user.locale = "xx"  # each person reads their own Slack language
    yield sqlite_world
    i18n.activate("en")




def test_the_account_view_shows_the_tier_in_the_users_language(shouting):
    run(shouting, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    assert "*Tier:* STANDARD" in run(shouting, "U0ALICE", "#general", "/account", "Acme Corp")


def test_a_complaint_cards_notification_text_shows_the_severity_in_the_users_language(shouting):
    run(shouting, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    run(shouting, "U0ALICE", "#general", "/complaint", "Acme Corp: the VPN drops every hour !high")
    [card] = shouting.stand_in.wait_for(lambda: posts_in(shouting, "C0ESCAL"))
    assert "(Open, HIGH)" in card["text"]


def test_a_failed_delivery_counts_its_attempts_in_words():
    def failed(attempts: int) -> DeliveryFailedCard:
        return DeliveryFailedCard(message_id=7, key="praise:1:card", error="channel_not_found", attempts=attempts)

    assert "after 1 attempt: `channel_not_found`" in render_delivery_failed(failed(1)).text
    assert "after 5 attempts: `channel_not_found`" in render_delivery_failed(failed(5)).text
