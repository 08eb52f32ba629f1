"""The outbox at Slack's pace: leases that hold while a long pass works, about one message a second a
channel, a 429 that defers only its channel, and each channel's messages in queue order, once each."""

from __future__ import annotations

import threading
from datetime import timedelta

from bot.care.cards import PraiseCard
from bot.platform import outbox
from bot.sandbox.world import World
from tests.expect import full_text, posts_in

CHANNELS = ("C0KUDOS", "C0GENERAL", "C0ESCAL")


def queue(world: World, channel: str, n: int) -> str:
    """Queue praise card `n` for `channel`; its key."""
    key = f"pace:{channel}:{n}"
    card = PraiseCard(praise_id=n, giver="U0ALICE", users=("U0BOB",), groups=(), reason=f"message {n}")
    with world.services.db.session() as session:
        outbox.post(session, key=key, channel=channel, card=card, now=world.now())
    return key


def numbers_in(world: World, channel: str) -> list[int]:
    """The numbers of the praise cards posted in `channel`, in the order Slack got them."""
    return [int(full_text(post).split("message ")[1].split()[0].strip("*_.,")) for post in posts_in(world, channel)]


def on_world_clock(world: World) -> None:
    """The stand-in judges Slack's pace by the world's manual clock, so nothing waits for real."""
    world.stand_in.clock = lambda: world.clock.now().timestamp()


def test_a_second_tick_does_not_take_back_messages_a_long_tick_is_still_sending(world):
    for n, channel in enumerate(CHANNELS):
        queue(world, channel, n)
    slow_first, slow_second = world.stand_in.hold_next("chat.postMessage"), world.stand_in.hold_next("chat.postMessage")
    first = threading.Thread(target=world.tick)
    first.start()
    slow_first.wait_arrived()
    world.clock.advance(timedelta(seconds=90))  # the first send takes 90 s (a slow Slack)
    slow_first.release()
    slow_second.wait_arrived()
    world.clock.advance(timedelta(seconds=90))  # three minutes after the claim, the second send still in flight
    second = world.tick()
    slow_second.release()
    first.join(timeout=30)
    assert second.delivery.sent == []
    assert [numbers_in(world, channel) for channel in CHANNELS] == [[0], [1], [2]]


def test_each_channel_gets_its_messages_in_order_at_slacks_pace_without_429s(sqlite_world):
    world = sqlite_world
    on_world_clock(world)
    world.stand_in.enforce_channel_pace(per_second=1.0, burst=3)
    start = world.now()
    for n in range(12):
        queue(world, "C0KUDOS", n)
        queue(world, CHANNELS[1 + n % 2], 100 + n)
    report = world.tick()
    assert len(report.delivery.sent) == 24
    assert world.stand_in.rate_limited() == 0
    assert numbers_in(world, "C0KUDOS") == list(range(12))
    assert numbers_in(world, "C0GENERAL") == [100 + n for n in range(0, 12, 2)]
    assert numbers_in(world, "C0ESCAL") == [100 + n for n in range(1, 12, 2)]
    # 12 messages to one channel at 1/s after a burst of 2 take 10 s of the (manual) clock
    assert timedelta(seconds=10) <= world.now() - start < timedelta(seconds=12)


def test_a_429_defers_its_channel_by_retry_after_while_the_others_go_on(sqlite_world):
    world = sqlite_world
    on_world_clock(world)
    start = world.now()
    for n in range(3):
        queue(world, "C0KUDOS", n)
        queue(world, "C0GENERAL", 100 + n)
    world.stand_in.fail_next("chat.postMessage", status=429, retry_after=30)
    first = world.tick()
    assert numbers_in(world, "C0GENERAL") == [100, 101, 102]
    assert numbers_in(world, "C0KUDOS") == []  # the 429'd message keeps its place: nothing overtakes it
    assert first.delivery.retried == ["pace:C0KUDOS:0"]
    assert world.now() - start < timedelta(seconds=5)  # the pass did not sleep through Retry-After
    world.advance(timedelta(seconds=10))
    assert numbers_in(world, "C0KUDOS") == []
    world.advance(timedelta(seconds=21))
    assert numbers_in(world, "C0KUDOS") == [0, 1, 2]
    assert numbers_in(world, "C0GENERAL") == [100, 101, 102]


def test_a_message_queued_behind_a_deferred_one_waits_for_it(sqlite_world):
    world = sqlite_world
    queue(world, "C0KUDOS", 1)
    world.stand_in.fail_next("chat.postMessage", status=429, retry_after=30)
    world.tick()
    later = queue(world, "C0KUDOS", 2)
    assert world.services.deliver_and_link(later).delivered is False
    world.advance(timedelta(seconds=31))
    assert numbers_in(world, "C0KUDOS") == [1, 2]


def test_the_home_team_is_asked_of_slack_once_per_process(sqlite_world):
    world = sqlite_world
    before = len(world.stand_in.calls("auth.test"))  # Bolt checks its own token at start-up
    threads = [threading.Thread(target=world.services.slack.home_team_id) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    world.services.slack.home_team_id()
    assert len(world.stand_in.calls("auth.test")) == before + 1
