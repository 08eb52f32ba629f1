"""The sandbox's `advance`: the scheduler run at each due moment (`World.travel`) against the former fixed grid.

Run `python -m bench.sandbox_advance` (options `--accounts`, `--days`, `--rounds`). For each run a fresh
SQLite world (Fri 27 Nov 2026, 10:00 in Shanghai, CN calendar) is filled through the real app: per
account an internal channel for cards, a weekly meeting, and two complaints (critical, high or normal in
turn) logged and taken a few minutes apart late on Friday afternoon, so their clocks stop for the
weekend. The clock then moves `--days` ahead, once by `travel` and once by the grid `advance` used to
run (every 5 minutes, at most 120 runs: longer jumps take longer steps), alternating which goes
first. The baseline is the grid in the same run. Reported per way: scheduler runs, wall time,
messages posted, and for every SLA warning and breach whether it was sent and how late (the minute
it was queued minus the minute it fell due). Exits non-zero only when it could not measure.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlmodel import select

from bench.loading import BenchError
from bot.care.complaint_clock import Clock, clock_marks, clock_times
from bot.sandbox.world import World
from storage.care.complaints import Complaint

START = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # Fri 27 Nov 2026, 10:00 in Shanghai
FILLED = timedelta(hours=7, minutes=20)  # complaints are logged from Fri 17:20 on
GRID_STEP = timedelta(minutes=5)  # the former `advance`: every 5 sandbox minutes…
GRID_RUNS = 120  # …at most 120 runs, longer jumps taking longer steps
SEVERITIES = ("critical", "high", "normal")
INTERNAL = "#acme-internal"


@dataclass
class Outcome:
    """What one way of moving the clock did."""

    runs: int = 0
    seconds: float = 0.0
    posted: int = 0
    sent: list[timedelta] = field(default_factory=list)  # lateness of each warning and breach sent
    skipped: int = 0  # warnings never sent (the breach came first in one run)


def main(argv: list[str] | None = None) -> int:
    """Run both ways `--rounds` times and print the table; 1 when the run could not measure."""
    args = _parse(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    ways: dict[str, Callable[[World, datetime], int]] = {"travel (due moments)": _travel, "grid (former)": _grid}
    outcomes: dict[str, list[Outcome]] = {name: [] for name in ways}
    try:
        for round_number in range(args.rounds):
            order = list(ways) if round_number % 2 == 0 else list(reversed(ways))
            for name in order:
                outcomes[name].append(_measure(ways[name], accounts=args.accounts, days=args.days))
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    _report(outcomes, args)
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.sandbox_advance", description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=10, help="accounts, two complaints each (default 10)")
    parser.add_argument("--days", type=float, default=3.0, help="how far to advance (default 3: over a weekend)")
    parser.add_argument("--rounds", type=int, default=3, help="runs of each way, alternating (default 3)")
    return parser.parse_args(argv)


def _measure(move: Callable[[World, datetime], int], *, accounts: int, days: float) -> Outcome:
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as tmp, \
            World(f"sqlite:///{tmp}/rapport.db", start=START, migrate=True) as world:
        world.stand_in.clock = lambda: world.clock.now().timestamp()  # as `rapport sandbox` does
        _fill(world, accounts)
        before = _posted(world)
        target = world.now() + timedelta(days=days)
        started = time.perf_counter()
        runs = move(world, target)
        outcome = Outcome(runs=runs, seconds=time.perf_counter() - started, posted=_posted(world) - before)
        _lateness(world, outcome)
    return outcome


def _fill(world: World, accounts: int) -> None:
    """Accounts with a weekly meeting and two complaints each, taken by Bob, logged from Fri 17:20."""
    for number in range(accounts):
        name = f"Customer {number}"
        _command(world, "/account", f"add {name} customer")
        _command(world, "/account", f"set {name} channel {INTERNAL}")
        _command(world, "/meeting", f"{name}: Weekly sync every tuesday 15:00")
    world.advance(FILLED)
    for number in range(accounts * 2):
        severity = SEVERITIES[number % len(SEVERITIES)]
        _command(world, "/complaint", f"Customer {number // 2}: outage {number} !{severity}")
        world.slack.click("U0BOB", "I'll take it", INTERNAL)
        world.wait_until_idle()
        world.clock.advance(timedelta(minutes=1))


def _command(world: World, command: str, text: str) -> None:
    response = world.slack.command("U0ALICE", "#general", command, text)
    if response.status != 200:
        raise BenchError(f"{command} {text}: HTTP {response.status}")
    world.wait_until_idle()


def _travel(world: World, target: datetime) -> int:
    journey = world.travel(target)
    if journey.errors or journey.cut_short:
        raise BenchError(f"travel: scheduler errors {sorted(journey.errors)}, cut short: {journey.cut_short}")
    return len(journey.ticks)


def _grid(world: World, target: datetime) -> int:
    now, runs = world.now(), 0
    step = max(GRID_STEP, (target - now) / GRID_RUNS)
    while now < target:
        now = min(now + step, target)
        world.clock.set(now)
        if world.tick(now).errors:
            raise BenchError("grid: the scheduler failed")
        runs += 1
    return runs


def _posted(world: World) -> int:
    return sum(len(world.stand_in.messages(channel.id)) for channel in world.stand_in.workspace.channels.values())


def _lateness(world: World, outcome: Outcome) -> None:
    """How late each warning and breach was queued; warnings never queued are counted as skipped."""
    with world.services.db.session() as session:
        for complaint in session.exec(select(Complaint)):
            for clock in Clock:
                (warn_at, due_at), (warned_at, breached_at) = clock_times(complaint, clock), clock_marks(complaint,
                                                                                                         clock)
                if breached_at is not None and due_at is not None:
                    outcome.sent.append(breached_at - due_at)
                if warned_at is not None and warn_at is not None:
                    if breached_at is not None and warned_at == breached_at:
                        outcome.skipped += 1  # marked as warned by the breach's run: no warning went out
                    else:
                        outcome.sent.append(warned_at - warn_at)


def _report(outcomes: dict[str, list[Outcome]], args: argparse.Namespace) -> None:
    print(f"advance {args.days:g} days from Fri 17:20 in Shanghai: {args.accounts} accounts, "
          f"{args.accounts * 2} complaints, {args.rounds} rounds (medians; lateness over every round)")
    print(f"{'way':<22} {'runs':>5} {'wall':>9} {'per run':>9} {'posted':>7} {'notices':>8} {'skipped':>8} "
          f"{'late (mean)':>12} {'late (max)':>11}")
    medians: dict[str, float] = {}
    for name, runs in outcomes.items():
        seconds = statistics.median(run.seconds for run in runs)
        medians[name] = seconds
        count = statistics.median(run.runs for run in runs)
        lateness = [late.total_seconds() / 60 for run in runs for late in run.sent]
        print(f"{name:<22} {count:>5g} {seconds:>8.2f}s {seconds / count * 1000:>7.1f}ms "
              f"{statistics.median(run.posted for run in runs):>7g} {len(lateness) / len(runs):>8g} "
              f"{sum(run.skipped for run in runs) / len(runs):>8g} {statistics.fmean(lateness or [0]):>9.1f} min "
              f"{max(lateness or [0]):>7.1f} min")
    travel, grid = medians["travel (due moments)"], medians["grid (former)"]
    print(f"travel / grid wall time: {travel / grid:.2f}x")


if __name__ == "__main__":
    sys.exit(main())
