"""users.info calls per tick with 200 digest subscribers: a long-running process and cron ticks (issue 10).

Run `python -m bench.users_info_per_tick` (`--subscribers`, `--ticks`). It counts, it does not time: Slack
allows users.info about 100 times a minute, and a tick used to ask it once per subscriber (plus the
managers) every minute. On a throwaway SQLite database with the Slack stand-in, it subscribes N people to
the morning digest and runs `--ticks` ticks a minute apart in one process (as `rapport serve` does), then
the same number each in a new process on the same database (as `rapport tick` from cron does), then one
a day later. It prints the users.info calls of each tick.
"""

from __future__ import annotations

import argparse
import logging
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.sandbox.stand_in.workspace import User
from bot.sandbox.world import World
from storage.migrate import upgrade
from storage.overview.digest import set_subscription

START = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai: digests are due


def subscribers(count: int) -> list[str]:
    """The subscribers' user ids."""
    return [f"U0SUB{n:04d}" for n in range(count)]


def add_to_slack(world: World, people: list[str]) -> None:
    """The subscribers as the stand-in's users.info knows them."""
    for user_id in people:
        world.stand_in.workspace.add_user(User(user_id, user_id.lower(), user_id, tz="Asia/Shanghai"))


def calls(world: World) -> int:
    """users.info calls the stand-in has answered so far."""
    return len(world.stand_in.calls("users.info"))


def counted_tick(world: World, by: timedelta) -> int:
    """Advance the clock by `by`, tick once, and say how many users.info calls the tick made."""
    before = calls(world)
    world.advance(by)
    return calls(world) - before


def main() -> None:
    """Print users.info calls per tick, in one process and from cron."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscribers", type=int, default=200)
    parser.add_argument("--ticks", type=int, default=3)
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    people = subscribers(args.subscribers)
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        upgrade(url)
        with World(url, start=START) as serve:
            add_to_slack(serve, people)
            with serve.services.db.session() as session:
                for user_id in people:
                    set_subscription(session, user_id=user_id, enabled=True, actor_id=user_id, now=serve.now())
            in_process = [counted_tick(serve, timedelta(minutes=1)) for _ in range(args.ticks)]
        from_cron = []
        for n in range(args.ticks):
            with World(url, start=START + timedelta(minutes=args.ticks + n)) as cron:
                add_to_slack(cron, people)
                from_cron.append(counted_tick(cron, timedelta(minutes=1)))
        with World(url, start=START + timedelta(days=1, minutes=10)) as next_day:
            add_to_slack(next_day, people)
            day_later = counted_tick(next_day, timedelta(minutes=1))
    print(f"{args.subscribers} digest subscribers (+ the managers); users.info calls per tick:")
    print(f"  one process, a tick a minute: {in_process}")
    print(f"  cron, a new process each tick: {from_cron}")
    print(f"  a day later: {day_later}")


if __name__ == "__main__":
    main()
