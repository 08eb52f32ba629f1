"""Fixtures for the stand-in's own tests: a running stand-in and a WebClient pointed at it."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from slack_sdk import WebClient

from bot.sandbox.stand_in import BOT_TOKEN, SlackStandIn


@pytest.fixture
def stand_in() -> Iterator[SlackStandIn]:
    """A fresh stand-in Slack on a free local port."""
    with SlackStandIn() as running:
        yield running


@pytest.fixture
def client(stand_in: SlackStandIn) -> WebClient:
    """slack_sdk's WebClient talking to the stand-in with the bot token."""
    return WebClient(token=BOT_TOKEN, base_url=stand_in.api_url)
