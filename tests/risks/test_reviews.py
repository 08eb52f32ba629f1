"""Each risk's owner is reminded of its review at the opening of a working day, once, and once more when overdue."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.sandbox.world import World
from tests.expect import full_text, last_ephemeral_text, run


def review_dms(world: World, user: str, text: str) -> list[str]:
    world.wait_until_idle()
    return [full_text(m) for m in world.stand_in.dm_messages(user) if text in full_text(m)]


def test_a_review_falling_on_a_sunday_is_reminded_on_monday_then_once_when_overdue(world):
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    added = run(world, "U0ALICE", "#general", "/rapport", "risks add Acme Corp: our only DBA may leave")
    # Score 9: reviewed in 30 days, Sunday 27 Dec, so on Monday 28 Dec at 09:00 in Shanghai.
    assert "next review Mon 28 Dec 09:00" in added

    world.travel(datetime(2026, 12, 28, 0, 59, tzinfo=UTC))
    assert review_dms(world, "U0ALICE", "Review due today") == []
    world.travel(datetime(2026, 12, 28, 3, 0, tzinfo=UTC))
    [due] = review_dms(world, "U0ALICE", "Review due today")
    assert "risk #1 of *Acme Corp*" in due and "our only DBA may leave" in due
    world.travel(datetime(2026, 12, 29, 3, 0, tzinfo=UTC))
    assert len(review_dms(world, "U0ALICE", "Review overdue")) == 1
    world.travel(datetime(2027, 1, 5, 3, 0, tzinfo=UTC))
    assert len(review_dms(world, "U0ALICE", "Review due today")) == 1
    assert len(review_dms(world, "U0ALICE", "Review overdue")) == 1

    world.slack.click("U0ALICE", "Reviewed")
    reviewed = last_ephemeral_text(world, "U0ALICE", count=3)
    assert "Risk #1 reviewed. Next review" in reviewed


def test_a_closed_risk_is_not_reminded(world):
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    run(world, "U0ALICE", "#general", "/rapport", "risks add Acme Corp: our only DBA may leave")
    world.slack.click("U0ALICE", "Close")
    assert "Risk #1 of *Acme Corp* closed" in last_ephemeral_text(world, "U0ALICE", count=3)
    world.travel(datetime(2027, 1, 5, 3, 0, tzinfo=UTC))
    assert review_dms(world, "U0ALICE", "Review") == []
