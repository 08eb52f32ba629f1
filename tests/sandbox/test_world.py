"""The World tells when the app has finished what it was sent, and travels in time as production would run."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.care.cards import PraiseCard
from bot.platform import outbox
from bot.sandbox.world import World
from tests.care.complaint_steps import ESCALATIONS, click, setup_acme
from tests.expect import posts_in, run


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


CST = ZoneInfo("Asia/Shanghai")


def posted_at(message: dict[str, Any]) -> str:
    """When a message was posted, in Shanghai, by its Slack timestamp."""
    return f"{datetime.fromtimestamp(float(message['ts']), CST):%a %H:%M}"


def test_travel_runs_the_scheduler_at_the_minute_each_thing_falls_due(world: World) -> None:
    world.stand_in.clock = lambda: world.clock.now().timestamp()  # messages carry the world's time, as in the sandbox
    setup_acme(world)
    world.advance(timedelta(hours=7, minutes=30))  # Fri 27 Nov 17:30 CST, half an hour before closing
    run(world, "U0BOB", "#general", "/complaint", "Acme Corp: the portal is down !critical")
    click(world, "U0BOB", "I'll take it")
    journey = world.travel(datetime(2026, 11, 30, 12, 0, tzinfo=CST))  # across the weekend to Mon noon

    # Acknowledge in 1 business hour: 80 % is Mon 09:18, the breach 09:30; resolve in 4: 80 % is Mon 11:42.
    dms = world.stand_in.dm_messages("U0BOB")
    assert [(posted_at(m), m["text"].split(":")[0]) for m in dms] == [
        ("Mon 09:18", "⏳ Heads-up"), ("Mon 09:30", "🚨 SLA breached"), ("Mon 11:42", "⏳ Heads-up")]
    assert [posted_at(m) for m in posts_in(world, ESCALATIONS)] == ["Mon 09:30"]
    # Carol's digest at 09:00 in her own zone (New York) on the Friday: 22:00 in Shanghai.
    assert [posted_at(m) for m in world.stand_in.dm_messages("U0CAROL")] == ["Fri 22:00", "Mon 09:30"]
    assert [f"{moment.astimezone(CST):%a %H:%M}" for moment in journey.ticks] == [
        "Fri 22:00", "Mon 09:18", "Mon 09:30", "Mon 11:42", "Mon 12:00"]
    assert journey.errors == set() and not journey.cut_short


def test_travel_with_nothing_due_runs_the_scheduler_once_at_the_end(sqlite_world: World) -> None:
    world = sqlite_world
    world.services.settings.rapport_managers.clear()  # no digests either
    target = world.now() + timedelta(days=10)
    journey = world.travel(target)
    assert journey.ticks == [target] and world.now() == target


def test_a_message_slack_refused_is_sent_again_when_its_retry_falls_due(sqlite_world: World) -> None:
    world = sqlite_world
    start = world.now()
    with world.services.db.session() as session:
        card = PraiseCard(praise_id=1, giver="U0ALICE", users=("U0BOB",), groups=(), reason="kept the lights on")
        outbox.post(session, key="praise:1", channel="C0KUDOS", card=card, now=start)
    world.stand_in.fail_next("chat.postMessage", status=503, times=2)  # slack_sdk tries twice, then the outbox waits
    journey = world.travel(start + timedelta(hours=1))
    assert len(posts_in(world, "C0KUDOS")) == 1
    # A tick interval after the message was found waiting (a tick would have sent it at once), then after the
    # outbox's first backoff of 30 s, then at the end of the hour.
    assert [moment - start for moment in journey.ticks] == [timedelta(seconds=60), timedelta(seconds=90),
                                                            timedelta(hours=1)]
