"""The outbox against a stand-in that enforces Slack's pace: 200 messages to one channel, 200 over 20 channels.

Run `python -m bench.outbox_pace` (options `--messages`, `--channels`, `--burst`). The stand-in answers
chat.postMessage with 429 and Retry-After when a channel gets more than one message a second after a
burst of `--burst` (Slack: "about one message per second per channel, short bursts tolerated"). Rapport
delivers with its real clock, its Slack port (no inline 429 retries) and a fresh SQLite file, calling
`deliver_due` again whenever a message falls due, as the delivery worker or the next tick would. Reported
per case: messages posted, 429 answers (goal: zero), wall time, and the theoretical least time
((messages per channel - burst) / 1 s), duplicates and order within each channel (both must be clean).
Exits non-zero when a message is missing, doubled or out of order.
"""

from __future__ import annotations

import argparse
import logging
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from bench.loading import BenchError
from bot.care.cards import PraiseCard
from bot.platform import outbox
from bot.platform.assemble import build_services
from bot.platform.config import Settings
from bot.platform.services import Services
from bot.sandbox.stand_in import BOT_TOKEN, BOT_USER_ID, Channel, SlackStandIn
from storage.migrate import upgrade
from storage.platform.outbox import OutboxStatus, next_delivery_at
from storage.platform.outbox import list_messages as outbox_rows

RUN_TIMEOUT = 900.0  # seconds per case


@dataclass
class Outcome:
    """What one case did."""

    label: str
    messages: int
    channels: int
    posted: int
    rate_limited: int
    seconds: float
    least: float
    doubled: int
    out_of_order: int


def run_case(label: str, messages: int, channels: int, burst: int, directory: Path) -> Outcome:
    """Queue `messages` spread round-robin over `channels` and deliver them all against the enforcing stand-in."""
    with SlackStandIn() as stand_in:
        ids = [f"C0PACE{n:02d}" for n in range(channels)]
        for channel in ids:
            stand_in.workspace.add_channel(Channel(channel, channel.lower(), [BOT_USER_ID, "U0ALICE"]))
        stand_in.enforce_channel_pace(per_second=1.0, burst=burst)
        url = f"sqlite:///{directory / f'{label}.db'}"
        upgrade(url)
        settings = Settings(_env_file=None, slack_bot_token=BOT_TOKEN, slack_signing_secret="bench",
                            slack_api_url=stand_in.api_url, database_url=url)
        services = build_services(settings)
        try:
            _queue(services, messages, ids)
            seconds = _deliver_all(services, messages)
        finally:
            services.db.dispose()
        posted = {channel: [_number(post["text"]) for post in stand_in.messages(channel)] for channel in ids}
    flat = [n for numbers in posted.values() for n in numbers]
    per_channel = -(-messages // channels)
    return Outcome(label, messages, channels, len(flat), stand_in.rate_limited(), seconds,
                   least=max(per_channel - burst, 0) / 1.0, doubled=len(flat) - len(set(flat)),
                   out_of_order=sum(numbers != sorted(numbers) for numbers in posted.values()))


def _queue(services: Services, messages: int, channels: list[str]) -> None:
    now = services.now()
    with services.db.session() as session:
        for n in range(messages):
            card = PraiseCard(praise_id=n, giver="U0ALICE", users=("U0ALICE",), groups=(), reason=f"pace {n} end")
            outbox.post(session, key=f"pace:{n}", channel=channels[n % len(channels)], card=card, now=now)


def _deliver_all(services: Services, messages: int) -> float:
    """Deliver until nothing is left, waiting (for real) for the next due message between passes; the wall time."""
    started = time.perf_counter()
    while time.perf_counter() - started < RUN_TIMEOUT:
        services.deliver()
        with services.db.session() as session:
            left = next_delivery_at(session)
        if left is None:
            return time.perf_counter() - started
        time.sleep(max((left - datetime.now(UTC)).total_seconds(), 0.0))
    with services.db.session() as session:
        stuck = len(outbox_rows(session, status=OutboxStatus.PENDING, limit=messages))
    raise BenchError(f"{stuck} messages still queued after {RUN_TIMEOUT:.0f} s")


def _number(text: str) -> int:
    return int(text.split("pace ")[1].split(maxsplit=1)[0])


def main(argv: list[str] | None = None) -> int:
    """Run both cases and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=200)
    parser.add_argument("--channels", type=int, default=20)
    parser.add_argument("--burst", type=int, default=3)
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.WARNING)
    with tempfile.TemporaryDirectory() as scratch:
        outcomes = [run_case("one_channel", args.messages, 1, args.burst, Path(scratch)),
                    run_case("spread", args.messages, args.channels, args.burst, Path(scratch))]
    print(f"{'case':<12} {'channels':>8} {'posted':>6} {'429s':>5} {'wall s':>7} {'least s':>7} {'ratio':>6} "
          f"{'doubled':>7} {'disorder':>8}")
    for o in outcomes:
        ratio = o.seconds / o.least if o.least else float("nan")
        print(f"{o.label:<12} {o.channels:>8} {o.posted:>6} {o.rate_limited:>5} {o.seconds:>7.1f} {o.least:>7.1f} "
              f"{ratio:>6.2f} {o.doubled:>7} {o.out_of_order:>8}")
    broken = [o.label for o in outcomes if o.posted != o.messages or o.doubled or o.out_of_order]
    if broken:
        print(f"broken: {', '.join(broken)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
