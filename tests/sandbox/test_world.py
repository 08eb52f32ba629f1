"""The World tells when the app has finished what it was sent, so a test can check that nothing happened."""

from __future__ import annotations

import pytest

from bot.sandbox.world import World


def test_waiting_until_idle_covers_the_work_after_the_ack(sqlite_world: World) -> None:
    world = sqlite_world
    world.stand_in.delay_next("response_url", 1.5)  # the reply comes well after the ack
    response = world.slack.command("U0ALICE", "#general", "/account", "list")
    assert response.status == 200 and world.stand_in.ephemerals(user="U0ALICE") == []
    world.wait_until_idle()
    assert "No accounts yet" in world.stand_in.ephemerals(user="U0ALICE")[-1]["text"]


def test_a_world_still_busy_says_so_with_the_transcript(sqlite_world: World) -> None:
    world = sqlite_world
    world.stand_in.delay_next("response_url", 1.0)
    world.slack.command("U0ALICE", "#general", "/account", "list")
    with pytest.raises(AssertionError, match="still busy"):
        world.wait_until_idle(timeout=0.01)
    world.wait_until_idle()
