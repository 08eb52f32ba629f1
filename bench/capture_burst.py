"""A burst of customer and team messages across 50 linked channels: ack latency and messages recorded per second.

Run `python -m bench.capture_burst` (options: `--messages`, `--channels`, `--seconds`, `--clients`,
`--backend sqlite|postgresql`, `--postgres-url`). Rapport runs as the tests run it (bot/sandbox/world.py:
waitress with 8 threads, the Slack stand-in; SQLite in a temp dir, or the scratch PostgreSQL database
`rapport_bench_capture`, dropped and created again). 50 customer accounts each get a linked Slack
Connect channel. In each channel the messages go in turns: a customer's question, the customer's
follow-up in its thread, our answer in that thread; they are sent as signed `message` events by
`--clients` threads, paced to spread `--messages` over `--seconds` (0: as fast as they go). Ack latency
is measured by the client, from sending the event to reading the response; recorded per second is the
number of messages captured divided by the time from the first send until the last one was in the
database. Every event is then delivered a second time as a retry (X-Slack-Retry-Num: 1) and the count
must not move. Exits non-zero when a request fails or a message is lost or counted twice.
"""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from bench.loading import fresh_database
from bot.sandbox.stand_in import BOT_USER_ID, Channel
from bot.sandbox.world import World
from storage.accounts import Account, ChannelLink
from storage.care.capture import CapturedMessage, Direction

START = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # Friday 27 Nov 2026, 10:00 in Shanghai
CUSTOMER, ENGINEER, OWNER = "U0ERIN", "U0BOB", "U0ALICE"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/rapport_bench_capture"


@dataclass
class Burst:
    """What the clients sent and measured."""

    latencies: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def main(argv: list[str] | None = None) -> int:
    """Run the burst and print what it measured; 1 on errors or lost or doubled messages."""
    args = _parse(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as tmp:
        url = fresh_database(args.backend, args.postgres_url, Path(tmp), "burst")
        with World(url, start=START, migrate=True) as world:
            channels = _link_channels(world, args.channels)
            burst = Burst()
            started = time.monotonic()
            _send(world, channels, burst, args)
            world.wait_until_idle(timeout=600)
            recorded_in = time.monotonic() - started
            recorded = _count(world)
            _retry_all(world, burst, args.clients)
            world.wait_until_idle(timeout=600)
            after_retries = _count(world)
            inbound, waiting = _split(world)
    _report(args, burst, recorded, recorded_in, after_retries, inbound, waiting, args.backend)
    if burst.failures:
        print(f"error: {len(burst.failures)} requests failed, e.g. {burst.failures[0]}", file=sys.stderr)
        return 1
    if recorded != args.messages or after_retries != args.messages:
        print(f"error: {args.messages} sent, {recorded} recorded, {after_retries} after retries", file=sys.stderr)
        return 1
    return 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.capture_burst", description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=1000, help="messages in the burst (default 1000)")
    parser.add_argument("--channels", type=int, default=50, help="linked channels they spread over (default 50)")
    parser.add_argument("--seconds", type=float, default=60.0, help="spread the burst over this long (0: flat out)")
    parser.add_argument("--clients", type=int, default=16, help="client threads sending (default 16)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help="scratch database (dropped and created)")
    args = parser.parse_args(argv)
    if not (1 <= args.messages <= 20000 and 1 <= args.channels <= 500 and 1 <= args.clients <= 64):
        parser.error("--messages 1..20000, --channels 1..500, --clients 1..64")
    return args


def _link_channels(world: World, count: int) -> list[str]:
    """`count` customer accounts, each with a shared channel linked to it (rows written directly)."""
    now = world.now()
    ids = [f"C0BURST{n:03d}" for n in range(count)]
    with world.services.db.session() as session:
        for n, channel_id in enumerate(ids):
            world.stand_in.workspace.add_channel(Channel(channel_id, f"burst-{n}", [BOT_USER_ID, CUSTOMER, ENGINEER],
                                                         is_ext_shared=True))
            account = Account(name=f"Burst {n}", name_key=f"burst {n}", owner_id=OWNER, created_by=OWNER,
                              created_at=now)
            session.add(account)
            session.flush()
            assert account.id is not None
            session.add(ChannelLink(channel_id=channel_id, account_id=account.id, is_shared=True, linked_by=OWNER,
                                    linked_at=now))
    return ids


def _send(world: World, channels: list[str], burst: Burst, args: argparse.Namespace) -> None:
    """Send the burst from the client threads, paced over --seconds."""
    gap = args.seconds / args.messages if args.seconds else 0.0
    latest: dict[str, str] = {}
    order = threading.Lock()
    begin = time.monotonic()

    def one(n: int) -> None:
        if gap:
            time.sleep(max(0.0, begin + n * gap - time.monotonic()))
        channel = channels[n % len(channels)]
        turn = (n // len(channels)) % 3
        with order:
            thread = latest.get(channel) if turn else None
        user = ENGINEER if turn == 2 else CUSTOMER
        sent = time.monotonic()
        try:
            record, response = world.slack.say(user, channel, f"message {n}", thread_ts=thread)
        except OSError as error:
            with burst.lock:
                burst.failures.append(str(error))
            return
        took = time.monotonic() - sent
        with burst.lock:
            if response is None or response.status != 200:
                burst.failures.append(f"{n}: HTTP {response.status if response else '?'}")
                return
            burst.latencies.append(took)
            burst.events.append(response.payload)
        if turn == 0:
            with order:
                latest[channel] = record["ts"]

    with ThreadPoolExecutor(args.clients) as pool:
        list(pool.map(one, range(args.messages)))


def _retry_all(world: World, burst: Burst, clients: int) -> None:
    """Deliver every event again, as Slack's first retry."""
    def again(envelope: dict[str, Any]) -> None:
        response = world.slack.event(envelope["event"], event_id=envelope["event_id"], retry_num=1)
        if response.status != 200:
            with burst.lock:
                burst.failures.append(f"retry: HTTP {response.status}")

    with ThreadPoolExecutor(clients) as pool:
        list(pool.map(again, burst.events))


def _count(world: World) -> int:
    with world.services.db.session() as session:
        return session.exec(select(func.count()).select_from(CapturedMessage)).one()


def _split(world: World) -> tuple[int, int]:
    """(inbound messages, messages still waiting for an answer)."""
    with world.services.db.session() as session:
        inbound = session.exec(select(func.count()).select_from(CapturedMessage).where(
            CapturedMessage.direction == Direction.INBOUND)).one()
        waiting = session.exec(select(func.count()).select_from(CapturedMessage).where(
            col(CapturedMessage.due_at).is_not(None), col(CapturedMessage.answered_at).is_(None))).one()
    return inbound, waiting


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))] if ordered else 0.0


def _report(args: argparse.Namespace, burst: Burst, recorded: int, recorded_in: float, after_retries: int,
            inbound: int, waiting: int, backend: str) -> None:
    ms = [x * 1000 for x in burst.latencies]
    pace = f"over {args.seconds:g} s" if args.seconds else "flat out"
    print(f"capture burst: {args.messages} messages {pace}, {args.channels} channels, {args.clients} clients, "
          f"{backend}")
    if ms:
        print(f"ack ms: p50 {statistics.median(ms):.1f}  p99 {_percentile(ms, 0.99):.1f}  max {max(ms):.1f}")
    print(f"recorded {recorded} in {recorded_in:.1f} s from the first send: {recorded / recorded_in:.1f} messages/s")
    print(f"after a retry of every event: {after_retries} ({inbound} inbound, {waiting} waiting for an answer)")


if __name__ == "__main__":
    sys.exit(main())
