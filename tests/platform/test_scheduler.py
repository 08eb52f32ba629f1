"""tick(now): due work is queued with dedupe keys and delivered once, however many ticks run."""

from __future__ import annotations

import threading
from datetime import timedelta

from bot.care.cards import PraiseCard
from bot.platform import outbox
from bot.platform.scheduler import DUE_WORK, NEXT_DUE, next_due_at, start_scheduler, tick
from storage.platform.ledger import claim_run
from tests.expect import posts_in


def reminder_due_work(session, now, services):
    """A stand-in feature: one reminder per day at 09:00 UTC or later."""
    if now.hour < 9:
        return 0
    day = now.date().isoformat()
    card = PraiseCard(praise_id=1, giver="U0ALICE", users=("U0BOB",), groups=(), reason=f"day {day}")
    return int(outbox.post(session, key=f"test-reminder:{day}", channel="C0GENERAL", card=card, now=now))


def test_two_ticks_at_the_same_moment_deliver_a_due_row_once(world):
    moment = world.now().replace(hour=9)
    barrier = threading.Barrier(2)

    def run() -> None:
        barrier.wait()
        tick(world.services, moment, due_work=(reminder_due_work,))

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    tick(world.services, moment + timedelta(minutes=1), due_work=(reminder_due_work,))
    assert len(posts_in(world, "C0GENERAL")) == 1


def test_the_next_period_is_delivered_again(sqlite_world):
    world = sqlite_world
    moment = world.now().replace(hour=9)
    tick(world.services, moment, due_work=(reminder_due_work,))
    tick(world.services, moment + timedelta(days=1), due_work=(reminder_due_work,))
    assert len(posts_in(world, "C0GENERAL")) == 2


def test_a_broken_feature_does_not_stop_the_others(sqlite_world):
    world = sqlite_world

    def broken(session, now, services):
        raise RuntimeError("bug")

    report = tick(world.services, world.now().replace(hour=9), due_work=(broken, reminder_due_work))
    assert report.errors == ["broken"] and report.queued == {"reminder_due_work": 1}
    assert len(posts_in(world, "C0GENERAL")) == 1


def test_the_run_ledger_claims_a_period_once(db):
    from datetime import UTC, datetime

    now = datetime(2026, 11, 27, 1, 0, tzinfo=UTC)
    with db.session() as session:
        assert claim_run(session, key="digest:U0CAROL:2026-11-27", now=now)
    with db.session() as session:
        assert not claim_run(session, key="digest:U0CAROL:2026-11-27", now=now)


def test_apscheduler_calls_tick_every_configured_interval(sqlite_world):
    scheduler = start_scheduler(sqlite_world.services)
    try:
        job = scheduler.get_job("rapport-tick")
        assert job.trigger.interval == timedelta(seconds=sqlite_world.settings.rapport_tick_seconds)
        assert job.max_instances == 1 and job.coalesce
    finally:
        scheduler.shutdown(wait=False)


def test_every_due_work_says_when_it_next_has_work():
    """`advance` in the sandbox runs the scheduler at these moments: a job without one would be skipped over."""
    assert [work.__name__.replace("run_due_", "next_due_") for work in DUE_WORK] == [
        next_due.__name__ for next_due in NEXT_DUE]


def test_the_next_due_moment_is_the_earliest_of_every_kind_and_the_outbox(sqlite_world):
    world = sqlite_world
    world.services.settings.rapport_managers.clear()  # no digests
    now = world.now()
    assert next_due_at(world.services, now) is None
    card = PraiseCard(praise_id=1, giver="U0ALICE", users=("U0BOB",), groups=(), reason="later")
    with world.services.db.session() as session:
        outbox.post(session, key="later", channel="C0GENERAL", card=card, now=now, not_before=now + timedelta(hours=5))
    assert next_due_at(world.services, now) == now + timedelta(hours=5)
    world.slack.command("U0ALICE", "#general", "/account", "add Acme Corp customer")
    world.wait_until_idle()
    world.slack.command("U0ALICE", "#general", "/complaint", "Acme Corp: the portal is down !critical")
    world.wait_until_idle()
    # Logged Fri 10:00 in Shanghai: 80 % of the one-hour acknowledge clock is 10:48.
    assert next_due_at(world.services, now) == now + timedelta(minutes=48)
