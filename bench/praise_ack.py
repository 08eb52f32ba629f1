"""`/praise` under sustained load: ack latency and CPU per published praise, Rapport against a bare Bolt app.

Run `python -m bench.praise_ack` (options: `--clients`, `--round`, `--rounds`, `--warmup`). Rapport runs
as the tests run it (bot/sandbox/world.py: waitress with `THREADS` threads, a SQLite file, the Slack
stand-in); the bare app is a minimal Bolt App behind the same `create_server` with the same thread
count, which acks and posts one `chat.postMessage`. Both live in one process with the stand-in.

Load is continuous: each client thread (in a child process, so its clock does not queue behind the
servers for the GIL) sends its next signed request as soon as the previous one is answered, on a
keep-alive connection. A round is `--round` requests from `--clients` clients to one app; rounds
alternate between the apps, swapping which goes first. Every Rapport request publishes (several givers,
an allowance that never runs out) and a round ends only once every card is in #kudos and every giver
has its receipt (every bare post has landed): the work queued behind the acks is inside the round.
CPU per published praise is the process's CPU time over the round (sending to last confirmation)
divided by what the round published; it includes the Slack stand-in answering the app's calls (one
a praise for the bare app, three for Rapport: post, permalink, receipt), so the stand-in's own CPU
(its threads' time) is also shown apart, and the rest by the kind of thread that spent it.

Exits non-zero on errors only (a failed request, a refused praise, a missing card), not on the goals.
"""

from __future__ import annotations

import argparse
import logging
import math
import multiprocessing
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from http.client import HTTPConnection, HTTPException
from typing import Any
from urllib.parse import urlencode

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bench.loading import BenchError
from bot.platform.app import freeze_startup_heap
from bot.platform.http import create_server, listening_port
from bot.sandbox.stand_in import APP_ID, BOT_TOKEN, BOT_USER_ID, Channel, SlackDriver, User, Workspace
from bot.sandbox.stand_in.driver import VERIFICATION_TOKEN
from bot.sandbox.stand_in.wsgi import ServingInTurns
from bot.sandbox.world import SIGNING_SECRET, World
from handlers.ids import Command

CLIENTS = (16, 64)
GIVERS = 16
DAILY_LIMIT = 1000  # the highest allowance Settings accepts; the givers share the requests
LATENCY_GOAL = 1.5  # Rapport's p50 and p99 within 1.5x the bare app's (issue 10)
CPU_GOAL = 3.0  # Rapport's CPU per published praise within 3x the bare app's
START = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # a Friday morning in Shanghai
BENCH_CHANNEL = Channel("C0BENCH", "bench")  # where the commands are typed and the bare app posts
RECEIVERS = "@alice @bob"
KUDOS = "C0KUDOS"  # the World's kudos channel
REQUEST_TIMEOUT = 30.0
SETTLE_TIMEOUT = 120.0  # a round's work after its last ack must finish within this
RUN_TIMEOUT = 1800.0  # the whole run, warm-up included
POLL_SECONDS = 0.02


@dataclass
class Target:
    """One app under test at one client count: where to send, what it has measured."""

    name: str
    port: int
    sent: int = 0
    latencies: list[float] = field(default_factory=list)
    cpu_seconds: float = 0.0
    stand_in_cpu_seconds: float = 0.0  # of cpu_seconds, what the Slack stand-in spent answering
    by_role: dict[str, float] = field(default_factory=dict)  # of cpu_seconds, by the kind of thread that spent it
    published: int = 0  # in measured rounds, confirmed at the stand-in
    round_seconds: float = 0.0
    failures: list[str] = field(default_factory=list)


@dataclass
class Counters:
    """How many requests each app has been sent so far in the run (they number the praises)."""

    rapport_sent: int = 0
    bare_sent: int = 0


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print the tables; 1 on errors, 0 otherwise (whether or not the goals are met)."""
    args = _parse(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    # More clients than server threads queue by design, for both apps; waitress would warn each time.
    logging.getLogger("waitress.queue").setLevel(logging.ERROR)
    started = time.monotonic()
    results: list[tuple[int, Target, Target]] = []
    with tempfile.TemporaryDirectory(prefix="rapport-bench-") as tmp, \
            World(f"sqlite:///{tmp}/rapport.db", start=START, migrate=True, rapport_kudos_channel=KUDOS,
                  rapport_praise_daily_limit=DAILY_LIMIT) as world:
        givers = _add_givers(world.stand_in.workspace)
        threads = world.server.adj.threads
        with _serving(_bare_app(world.stand_in.api_url), threads) as bare_port, \
                multiprocessing.get_context("spawn").Pool(1) as client:
            freeze_startup_heap()  # as `rapport serve` does once it has started
            counters = Counters()
            try:
                for clients in args.clients:
                    rapport, bare = Target("rapport", world.port), Target("bare bolt", bare_port)
                    _run(world, client, givers, (rapport, bare), clients, args, counters,
                         deadline=started + RUN_TIMEOUT)
                    results.append((clients, bare, rapport))
                    _report(clients, bare, rapport, args, threads)
            except BenchError as error:
                print(f"error: {error}", file=sys.stderr)
                return 1
            finally:
                client.close()
                client.join()
    print(f"wall {time.monotonic() - started:.1f} s")
    failed = any(t.failures for _, bare, rapport in results for t in (bare, rapport))
    return 1 if failed else 0


def _parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench.praise_ack", description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=lambda text: [int(part) for part in text.split(",")],
                        default=list(CLIENTS), help="client counts, comma-separated (default 16,64)")
    parser.add_argument("--round", type=int, default=300, help="requests per round (default 300)")
    parser.add_argument("--rounds", type=int, default=3, help="measured rounds per app and client count (3)")
    parser.add_argument("--warmup", type=int, default=50, help="unmeasured requests per app first (50)")
    args = parser.parse_args(argv)
    if min(args.round, args.rounds, args.warmup, *args.clients) < 1 or max(args.clients) > 256:
        parser.error("sizes must be positive and at most 256 clients")
    per_app = len(args.clients) * (args.warmup + args.round * args.rounds)
    if per_app > GIVERS * DAILY_LIMIT:
        parser.error(f"at most {GIVERS * DAILY_LIMIT} praises a run (the givers' allowance)")
    return args


def _add_givers(workspace: Workspace) -> list[str]:
    """Several colleagues who give the praise in turn, all in the bench channel."""
    givers = [f"U0GIVER{n}" for n in range(1, GIVERS + 1)]
    workspace.add_channel(Channel(BENCH_CHANNEL.id, BENCH_CHANNEL.name, [BOT_USER_ID, "U0ALICE", "U0BOB"]))
    for n, user_id in enumerate(givers, start=1):
        workspace.add_user(User(user_id, f"giver{n}", f"Giver {n}", tz="Asia/Shanghai"),
                           channels=(BENCH_CHANNEL.id, KUDOS))
    return givers


def _bare_app(api_url: str) -> App:
    """The least a Bolt app can do for /praise: ack, then post one message like Rapport's card."""
    app = App(signing_secret=SIGNING_SECRET, client=WebClient(token=BOT_TOKEN, base_url=api_url),
              process_before_response=False, logger=logging.getLogger("bench.bare"))

    @app.command(Command.PRAISE)
    def praise(ack: Ack, command: dict[str, Any], client: WebClient) -> None:
        ack()
        text = command["text"]
        client.chat_postMessage(channel=command["channel_id"], text=text, unfurl_links=False,
                                blocks=[{"type": "section", "text": {"type": "mrkdwn", "text": text}}])

    return app


@contextmanager
def _serving(app: App, threads: int) -> Iterator[int]:
    """Serve a Bolt app on 127.0.0.1 with Rapport's own waitress setup; yields the port."""
    sockets: dict[int, Any] = {}
    # No gate: the bare app checks signatures the way Bolt alone does, so Rapport's replay memory counts against it.
    server = create_server(app, None, host="127.0.0.1", port=0, threads=threads, map=sockets)
    serving = ServingInTurns(server, sockets, name="bare-http")
    try:
        yield listening_port(server)
    finally:
        serving.stop()


def _run(world: World, client: Any, givers: list[str], targets: tuple[Target, Target], clients: int,
         args: argparse.Namespace, counters: Counters, *, deadline: float) -> None:
    """Warm both apps up, then alternate measured rounds between them (and swap who goes first)."""
    plan: list[tuple[Target, int, bool]] = [(t, args.warmup, False) for t in targets]
    for index in range(args.rounds):
        pair = targets if index % 2 == 0 else targets[::-1]
        plan += [(t, args.round, True) for t in pair]
    for target, size, measured in plan:
        if time.monotonic() > deadline:
            raise BenchError(f"the run took longer than {RUN_TIMEOUT:.0f} s")
        is_rapport = target.name == "rapport"
        first = counters.rapport_sent if is_rapport else counters.bare_sent
        requests = [_signed_praise(world.slack, givers[(first + n) % len(givers)], first + n) for n in range(size)]
        before = _done(world, is_rapport)
        cpu, wall, stand_in_cpu = time.process_time(), time.monotonic(), world.stand_in.cpu_seconds()
        roles = _cpu_by_role()
        results = client.apply(send_round, (target.port, clients, requests))
        failures = [f"HTTP {status}: {detail}" for status, _, detail in results if status != 200]
        _settle(world, target, before + size - len(failures))
        cpu, wall = time.process_time() - cpu, time.monotonic() - wall
        stand_in_cpu = world.stand_in.cpu_seconds() - stand_in_cpu
        if is_rapport:
            counters.rapport_sent += size
            world.wait_until_idle()
        else:
            counters.bare_sent += size
        target.failures += failures
        target.sent += size
        if measured:
            target.latencies += [seconds for status, seconds, _ in results if status == 200]
            target.cpu_seconds += cpu
            target.stand_in_cpu_seconds += stand_in_cpu
            for role, seconds in _cpu_by_role().items():
                target.by_role[role] = target.by_role.get(role, 0.0) + seconds - roles.get(role, 0.0)
            target.round_seconds += wall
            target.published += _done(world, is_rapport) - before
    if counters.rapport_sent != _published_cards(world):
        raise BenchError(f"{counters.rapport_sent} praises sent but {_published_cards(world)} cards in #kudos")


# Which part of an app a thread belongs to, by its name (the stand-in counts its own threads apart).
ROLES = (("waitress-", "server"), ("rapport-listener", "listeners"), ("ThreadPoolExecutor", "listeners"),
         ("rapport-delivery", "delivery"))


def _cpu_by_role() -> dict[str, float]:
    """CPU seconds each kind of long-lived thread has spent so far: the server's (HTTP, signature, Bolt's
    dispatch, the ack), the listeners' (the work after the ack) and the delivery worker's."""
    spent: dict[str, float] = {}
    for thread in threading.enumerate():
        role = next((role for prefix, role in ROLES if thread.name.startswith(prefix)), None)
        if role is None or thread.ident is None:
            continue
        try:
            seconds = time.clock_gettime(time.pthread_getcpuclockid(thread.ident))
        except OSError:
            continue  # ended meanwhile
        spent[role] = spent.get(role, 0.0) + seconds
    return spent


def _done(world: World, is_rapport: bool) -> int:
    """Requests whose work is done: receipts the givers got (Rapport), posts in the bench channel (bare)."""
    stand_in = world.stand_in
    return stand_in.count_ephemerals() if is_rapport else stand_in.count_messages(BENCH_CHANNEL.id)


def _settle(world: World, target: Target, wanted: int) -> None:
    """Wait until the work after every ack so far is done (polling counts, which copies nothing)."""
    until = time.monotonic() + SETTLE_TIMEOUT
    while (done := _done(world, target.name == "rapport")) < wanted:
        if time.monotonic() > until:
            raise BenchError(f"{target.name}: only {done} of {wanted} requests finished {SETTLE_TIMEOUT:.0f} s "
                             "after the last ack")
        time.sleep(POLL_SECONDS)


def _published_cards(world: World) -> int:
    """Commendation cards in #kudos and receipts saying "published" (each must match what was sent)."""
    cards = [m for m in world.stand_in.messages(KUDOS)
             if m.get("user") == BOT_USER_ID and "bench praise #" in m.get("text", "")
             and "praised by" in m.get("text", "")]
    receipts = [e for e in world.stand_in.ephemerals(channel=BENCH_CHANNEL.id)
                if "is published in" in e.get("text", "")]
    return min(len(cards), len(receipts))


def _signed_praise(driver: SlackDriver, giver: str, number: int) -> tuple[bytes, dict[str, str]]:
    """The form body and headers Slack sends for `/praise @alice @bob …`, signed now."""
    stand_in = driver.stand_in
    person = driver.workspace.user(giver)
    assert person is not None  # _add_givers put them in the workspace
    fields = {
        "token": VERIFICATION_TOKEN, "team_id": driver.workspace.team.id,
        "team_domain": driver.workspace.team.domain, "channel_id": BENCH_CHANNEL.id,
        "channel_name": BENCH_CHANNEL.name, "user_id": giver,
        "user_name": person.name, "command": str(Command.PRAISE),
        "text": driver.escape(f"{RECEIVERS} kept the core network up through the storm (bench praise #{number})"),
        "api_app_id": APP_ID, "is_enterprise_install": "false",
        "response_url": stand_in.issue_response_url(user=giver, channel=BENCH_CHANNEL.id),
        "trigger_id": stand_in.issue_trigger_id(giver),
    }
    body = urlencode(fields)
    return body.encode(), driver.headers_for(body, "application/x-www-form-urlencoded")


# -- the client side (runs in the child process) -----------------------------------------------

_client_state = threading.local()
_pools: dict[int, ThreadPoolExecutor] = {}


def send_round(port: int, clients: int, requests: list[tuple[bytes, dict[str, str]]]) -> list[tuple[int, float, str]]:
    """Send the requests from `clients` threads, each sending its next as soon as one is answered."""
    pool = _pools.get(clients)
    if pool is None:
        pool = _pools[clients] = ThreadPoolExecutor(clients, thread_name_prefix=f"slack{clients}")
    return list(pool.map(partial(_send, port), requests))


def _send(port: int, request: tuple[bytes, dict[str, str]]) -> tuple[int, float, str]:
    body, headers = request
    connections: dict[int, HTTPConnection] = _client_state.__dict__.setdefault("connections", {})
    connection = connections.get(port)
    if connection is None:
        connection = connections[port] = HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    started = time.perf_counter()
    try:
        connection.request("POST", "/slack/events", body=body, headers=headers)
        reply = connection.getresponse()
        text = reply.read()
    except (OSError, HTTPException) as error:
        connection.close()
        del connections[port]
        return 0, time.perf_counter() - started, f"{type(error).__name__}: {error}"
    elapsed = time.perf_counter() - started
    if reply.will_close:
        connection.close()
        del connections[port]
    return reply.status, elapsed, text[:200].decode("utf-8", "replace")


# -- the report ---------------------------------------------------------------------------------

def _percentile(values: list[float], percent: float) -> float:
    """Nearest-rank percentile, in milliseconds."""
    ordered = sorted(values)
    return ordered[max(math.ceil(percent / 100 * len(ordered)) - 1, 0)] * 1000


def _cpu_ms(target: Target, *, stand_in: bool = True) -> float:
    """CPU per published praise, in ms: the whole process's, or without the stand-in's share."""
    seconds = target.cpu_seconds - (0.0 if stand_in else target.stand_in_cpu_seconds)
    return seconds * 1000 / target.published if target.published else math.nan


def _report(clients: int, bare: Target, rapport: Target, args: argparse.Namespace, threads: int) -> None:
    print(f"\n/praise under continuous load: {clients} clients, {args.rounds} rounds of {args.round} per app "
          f"after {args.warmup} warm-up, {threads} server threads each")
    print(f"{'app':<10} {'n':>5} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'max ms':>8} {'CPU ms':>7} "
          f"{'w/o stand-in':>12} {'published':>9} {'per s':>6} {'errors':>6}")
    for target in (bare, rapport):
        values = target.latencies or [math.nan]
        rate = target.published / target.round_seconds if target.round_seconds else math.nan
        print(f"{target.name:<10} {len(target.latencies):>5} {_percentile(values, 50):>8.1f} "
              f"{_percentile(values, 99):>8.1f} {statistics.fmean(values) * 1000:>8.1f} {max(values) * 1000:>8.1f} "
              f"{_cpu_ms(target):>7.2f} {_cpu_ms(target, stand_in=False):>12.2f} {target.published:>9} {rate:>6.0f} "
              f"{len(target.failures):>6}")
    if bare.latencies and rapport.latencies:
        p50 = _percentile(rapport.latencies, 50) / _percentile(bare.latencies, 50)
        p99 = _percentile(rapport.latencies, 99) / _percentile(bare.latencies, 99)
        cpu = _cpu_ms(rapport) / _cpu_ms(bare)
        print(f"rapport/bare: p50 {p50:.2f}x, p99 {p99:.2f}x (goal <= {LATENCY_GOAL}x: "
              f"{_verdict(max(p50, p99) <= LATENCY_GOAL)}), CPU per published praise {cpu:.2f}x "
              f"(goal <= {CPU_GOAL}x: {_verdict(cpu <= CPU_GOAL)}); without the stand-in's share "
              f"{_cpu_ms(rapport, stand_in=False) / _cpu_ms(bare, stand_in=False):.2f}x")
    for target in (bare, rapport):
        shares = {**target.by_role, "stand-in": target.stand_in_cpu_seconds}
        shares["other"] = target.cpu_seconds - sum(shares.values())
        per_praise = ", ".join(f"{role} {seconds * 1000 / max(target.published, 1):.2f}" for role, seconds in
                               shares.items())
        print(f"{target.name} CPU ms per praise by thread: {per_praise}")
    for target in (bare, rapport):
        for failure in target.failures[:5]:
            print(f"{target.name} failure: {failure}")
    print(f"Rapport published {rapport.published} of {len(rapport.latencies)} measured praises "
          f"(card in #kudos and receipt to the giver)")


def _verdict(met: bool) -> str:
    return "met" if met else "NOT met"


if __name__ == "__main__":
    sys.exit(main())
