"""A tick must cost what is due, not what is stored: 10k vs 1M touchpoints, and every table due work reads.

Run `python -m bench.tick_scale` (options: `--backends`, `--small`, `--large`, `--repeat`, `--postgres-url`).
For each backend it migrates two empty databases, fills one with the small data set (10k
touchpoints, 1k complaints, 1,000 accounts) and the other with the large one (1M touchpoints, 100k
complaints, the same accounts). Both also hold every table a due-work function of
bot/platform/scheduler.py DUE_WORK reads (bench/tick_scale_rows.py: surveys, first-response clocks,
supplier audit schedules, contracts, meetings and occurrences, agreements and report deadlines, action
items, disputes, coordination layers, third-party requests, digest subscribers): a fiftieth as many rows
as touchpoints each, one in 100 due a minute before now (one complaint in 1,000 at its acknowledgement
warning), the rest days ahead or done. Rows go in with bulk inserts: executemany on SQLite, COPY on
PostgreSQL (the scratch databases `rapport_bench` and `rapport_bench_small` are dropped and created again).

First the due tick: each due-work function runs at now as `tick` runs it, followed by the delivery of what
it queued (`tick(now, due_work=(f,))`), again until it finds nothing (a function takes at most 100-200 a
tick; the rest waits for the next), timed once per function and database, the last empty call included:
the figures are the cost per due item (what it queued) and per stored row. Then the idle tick: everything
due is handled, and `tick(now)` is timed on both databases, alternating between them so that load from other processes
falls on both alike; it prints both medians and their ratio (goal: within 2x). An idle tick that queues
or fails anything aborts the run.
Slack is the local stand-in (bot/sandbox/stand_in), where the accounts' 40 owners exist, because
some due work looks people up (their time zone); pacing waits move the bench's manual clock, not real time.
`/contact cold` (cold accounts, read by index) is timed alongside, with the same list computed from
the touchpoints themselves for comparison. Exits non-zero on errors only, not on the goal.
"""

from __future__ import annotations

import argparse
import logging
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import func
from sqlmodel import SQLModel, col, select

from bench.loading import BenchError, Row, analyze, bulk_insert, fresh_database, row_of, timed_pair
from bench.tick_scale_rows import Place, sent_cards, tables
from bot.accounts.registry import contact_due
from bot.care.contacts import list_cold_accounts
from bot.platform.assemble import build_services
from bot.platform.config import Settings
from bot.platform.scheduler import DUE_WORK, tick
from bot.platform.services import ManualClock, Services
from bot.sandbox.stand_in import BOT_TOKEN, BOT_USER_ID, SlackStandIn, User
from storage.accounts import Account, AccountKind, AccountTier
from storage.care.complaints import Complaint, ComplaintSeverity, ComplaintStatus
from storage.care.contacts import Touchpoint

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # Friday 27 Nov 2026, 10:00 in Shanghai
ACCOUNTS = 1_000
OWNERS = 40
COLD_EVERY = 20  # one account in 20 has had no contact for 45 days
OPEN_EVERY = 100  # one complaint in 100 is open, its next SLA check days away
DUE_COMPLAINT_EVERY = 1_000  # and one in 1,000 reaches its acknowledgement warning now
MAX_DUE_TICKS = 10  # ticks a due-work function may take to work through what is due (batch limits)
ROWS_PER_TOUCHPOINT = 50  # each due-work table holds a fiftieth as many rows as touchpoints
HISTORY = timedelta(days=730)
GOAL = 2.0
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/rapport_bench"

log = logging.getLogger("bench.tick_scale")


def touchpoint_rows(start: int, stop: int, latest: list[datetime]) -> Iterator[Row]:
    """Touchpoints start..stop-1; the first of each account is its latest contact, the rest are older."""
    rng = random.Random(start)
    for i in range(start, stop):
        account = i % ACCOUNTS
        at = latest[account] if i < ACCOUNTS else latest[account] - timedelta(seconds=rng.randrange(1, 63_000_000))
        yield {"account_id": account + 1, "summary": f"Check-in #{i}: service review and next steps",
               "logged_by": f"U0OWNER{account % OWNERS:02d}", "customer_id": f"U0CUST{account:04d}{i % 3}",
               "source_channel_id": None, "source_ts": None, "permalink": None, "occurred_at": at, "created_at": at}


def complaint_rows(start: int, stop: int) -> Iterator[Row]:
    """Complaints start..stop-1, built from the Complaint model: closed, or open with nothing due yet."""
    rng = random.Random(-start - 1)
    for i in range(start, stop):
        created = NOW - timedelta(seconds=rng.randrange(3_600, int(HISTORY.total_seconds())))
        owner = f"U0OWNER{i % OWNERS:02d}"
        common: dict[str, Any] = {
            "account_id": i % ACCOUNTS + 1, "summary": f"Complaint #{i}: the VPN drops every hour",
            "severity": list(ComplaintSeverity)[i % 4], "owner_id": owner,
            "complainant_id": f"U0CUST{i % ACCOUNTS:04d}0", "created_by": owner, "created_at": created,
            "clock_started_at": created, "acknowledged_at": created + timedelta(minutes=30), "acknowledged_by": owner,
            "ack_due_at": created + timedelta(hours=8),
        }
        if i % DUE_COMPLAINT_EVERY == 1:
            created = NOW - timedelta(hours=7)
            complaint = Complaint(**{**common, "created_at": created, "clock_started_at": created,
                                     "acknowledged_at": None, "acknowledged_by": None,
                                     "ack_due_at": NOW + timedelta(hours=1)},
                                  status=ComplaintStatus.OPEN, updated_at=created,
                                  ack_warn_at=NOW - timedelta(minutes=1), resolve_due_at=created + timedelta(hours=48),
                                  next_check_at=NOW - timedelta(minutes=1))
        elif i % OPEN_EVERY == 0:
            created = NOW - timedelta(hours=1)
            complaint = Complaint(**{**common, "created_at": created, "clock_started_at": created,
                                     "acknowledged_at": created, "ack_due_at": created + timedelta(hours=8)},
                                  status=ComplaintStatus.ACKNOWLEDGED, updated_at=created,
                                  resolve_warn_at=NOW + timedelta(days=4), resolve_due_at=NOW + timedelta(days=5),
                                  next_check_at=NOW + timedelta(days=4))
        else:
            done = created + timedelta(hours=20)
            complaint = Complaint(**common, status=ComplaintStatus.CLOSED, updated_at=done + timedelta(days=7),
                                  resolved_at=done, resolved_by=owner, resolution="Fixed the tunnel",
                                  resolve_due_at=created + timedelta(hours=48), closed_at=done + timedelta(days=7))
        yield row_of(complaint)


def account_rows() -> tuple[list[Row], list[datetime]]:
    """1,000 accounts (one in five key) and the latest contact of each; their cold dates follow from it."""
    rng = random.Random(7)
    rows, latest = [], []
    for n in range(ACCOUNTS):
        last = NOW - (timedelta(days=45) if n % COLD_EVERY == 0 else timedelta(seconds=rng.randrange(0, 864_000)))
        account = Account(name=f"Account {n:04d}", name_key=f"account {n:04d}", kind=AccountKind.CUSTOMER,
                          tier=AccountTier.KEY if n % 5 == 0 else AccountTier.STANDARD,
                          owner_id=f"U0OWNER{n % OWNERS:02d}", created_by="U0CAROL",
                          created_at=NOW - HISTORY - timedelta(days=1), last_contact_at=last)
        account.contact_due_at = contact_due(account, since=last)
        rows.append(row_of(account))
        latest.append(last)
    return rows, latest


def quiet_tick(services: Services) -> None:
    """One tick that must find nothing to do."""
    report = tick(services, NOW)
    busy = {name: n for name, n in report.queued.items() if n}
    if busy or report.errors or report.delivery.sent or report.delivery.failed or report.delivery.retried:
        raise BenchError(f"the tick was not idle: queued {busy}, errors {report.errors}, delivery {report.delivery}")


def cold_by_index(services: Services) -> int:
    """`/contact cold` for a manager: cold accounts read from account.contact_due_at."""
    with services.db.session() as session:
        return list_cold_accounts(session, now=NOW).total


def cold_by_scan(services: Services) -> int:
    """The same list computed from the touchpoints (the latest per account), for comparison."""
    latest = func.max(Touchpoint.occurred_at)
    account = col(Touchpoint.account_id)
    query = select(account).group_by(account).having(latest < NOW - timedelta(days=30))
    with services.db.session() as session:
        return len(session.exec(query).all())


@dataclass
class DuePass:
    """What the due tick found and cost on one database: per due-work function, and its totals."""

    ms: dict[str, float] = field(default_factory=dict)
    queued: dict[str, int] = field(default_factory=dict)
    sent: int = 0
    failed: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def total_ms(self) -> float:
        return sum(self.ms.values())

    @property
    def items(self) -> int:
        return sum(self.queued.values())


def due_tick(services: Services) -> DuePass:
    """Each due-work function at NOW until it finds nothing more (its batch limit may leave some for the next
    tick), with the delivery of what it queued, timed apart."""
    found = DuePass()
    for work in DUE_WORK:
        name, started = work.__name__, time.perf_counter()
        for _ in range(MAX_DUE_TICKS):
            report = tick(services, NOW, due_work=(work,))
            found.sent += len(report.delivery.sent)
            found.failed += len(report.delivery.failed)
            found.errors += report.errors
            if not report.queued.get(name) or report.errors:
                break
            found.queued[name] = found.queued.get(name, 0) + report.queued[name]
        else:
            raise BenchError(f"{name} still found work after {MAX_DUE_TICKS} ticks")
        found.ms[name] = (time.perf_counter() - started) * 1000
        found.queued.setdefault(name, 0)
    if found.errors:
        raise BenchError(f"the due tick failed: {found.errors}")
    return found


def stored_rows(services: Services) -> int:
    """Rows in every table of the database (what a tick must not pay for)."""
    with services.db.engine.connect() as connection:
        return sum(connection.execute(select(func.count()).select_from(table)).scalar_one()
                   for table in SQLModel.metadata.sorted_tables)


def measure(small: Services, large: Services, repeat: int) -> dict[str, dict[str, float]]:
    """Median milliseconds of an idle tick and of the cold-account lists, on each database."""
    ticks = timed_pair(lambda: quiet_tick(small), lambda: quiet_tick(large), repeat)
    by_index = timed_pair(lambda: cold_by_index(small), lambda: cold_by_index(large), repeat)
    by_scan = timed_pair(lambda: cold_by_scan(small), lambda: cold_by_scan(large), max(3, repeat // 5))
    return {
        label: {"tick": statistics.median(ticks[i]) * 1000, "tick_p95": _p95(ticks[i]) * 1000,
                "cold": statistics.median(by_index[i]) * 1000, "scan": statistics.median(by_scan[i]) * 1000}
        for i, label in enumerate(("small", "large"))
    }


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def start_slack() -> SlackStandIn:
    """The Slack stand-in, with the accounts' owners as members of the home team."""
    slack = SlackStandIn().start()
    for n in range(OWNERS):
        slack.workspace.add_user(User(f"U0OWNER{n:02d}", f"owner{n:02d}", f"Owner {n:02d}", tz="Asia/Shanghai"))
    return slack


def filled(backend: str, label: str, touchpoints: int, args: argparse.Namespace, directory: Path,
           slack: SlackStandIn) -> Services:
    """A migrated database holding 1,000 accounts, `touchpoints` touchpoints and a tenth as many complaints."""
    url = fresh_database(backend, args.postgres_url, directory, label)
    settings = Settings(_env_file=None, database_url=url, slack_bot_token=BOT_TOKEN, slack_api_url=slack.api_url,
                        rapport_managers=["U0CAROL"], rapport_escalation_channel="C0ESCAL",
                        rapport_timezone="Asia/Shanghai", rapport_country="CN")
    services = build_services(settings, clock=ManualClock(NOW))
    started = time.perf_counter()
    accounts, latest = account_rows()
    bulk_insert(services, Account, iter(accounts))
    bulk_insert(services, Touchpoint, touchpoint_rows(0, touchpoints, latest))
    bulk_insert(services, Complaint, complaint_rows(0, touchpoints // 10))
    place, rows = Place(NOW, ACCOUNTS, OWNERS), touchpoints // ROWS_PER_TOUCHPOINT
    for model, fill in tables(place, rows):
        bulk_insert(services, model, fill())
    with services.db.session() as session:
        session.add_all(sent_cards(place, rows, lambda channel: str(
            slack.add_message(channel, user=BOT_USER_ID, text="card")["ts"])))
    analyze(services)
    log.info("%s %s: %s touchpoints, %s complaints loaded in %.0f s", backend, label, f"{touchpoints:,}",
             f"{touchpoints // 10:,}", time.perf_counter() - started)
    expected = ACCOUNTS // COLD_EVERY
    if cold_by_index(services) != expected or cold_by_scan(services) < expected:
        raise BenchError(f"expected {expected} cold accounts on {backend} {label}")
    return services


def bench_backend(backend: str, args: argparse.Namespace, directory: Path,
                  slack: SlackStandIn) -> dict[str, dict[str, float]]:
    """Fill a small and a large database, run the due tick on each, then time idle ticks on both, alternately.

    A due tick on a throwaway database goes first, so that neither size pays for first-use costs (imports,
    templates, connections to the stand-in).
    """
    warm = filled(backend, "warmup", ACCOUNTS, args, directory, slack)
    try:
        due_tick(warm)
    finally:
        warm.db.dispose()
    small = filled(backend, "small", args.small, args, directory, slack)
    try:
        large = filled(backend, "large", args.large, args, directory, slack)
        try:
            passes = {"small": due_tick(small), "large": due_tick(large)}
            stored = {"small": stored_rows(small), "large": stored_rows(large)}
            results = measure(small, large, args.repeat)
        finally:
            large.db.dispose()
    finally:
        small.db.dispose()
    for label, size in (("small", args.small), ("large", args.large)):
        found = passes[label]
        results[label].update(touchpoints=size, complaints=size // 10, stored=stored[label], due_ms=found.total_ms,
                              due_items=found.items, sent=found.sent, failed=found.failed)
        for work, ms in found.ms.items():
            results[label][f"ms:{work}"] = ms
            results[label][f"queued:{work}"] = found.queued[work]
        log.info("%s %s: due tick %.0f ms for %d items (%d sent, %d failed)", backend, label, found.total_ms,
                 found.items, found.sent, found.failed)
        log.info("%s %s: tick %.2f ms (p95 %.2f), cold list %.2f ms, from touchpoints %.1f ms", backend, label,
                 results[label]["tick"], results[label]["tick_p95"], results[label]["cold"], results[label]["scan"])
    return results


def report(all_results: dict[str, dict[str, dict[str, float]]]) -> str:
    """The figures as a table, with the large/small ratio per backend."""
    lines = [f"{'backend':<11}{'touchpoints':>12}{'complaints':>11}{'tick ms':>9}{'p95 ms':>8}"
             f"{'cold list ms':>13}{'from touchpoints ms':>21}"]
    for backend, results in all_results.items():
        for size in ("small", "large"):
            r = results[size]
            lines.append(f"{backend:<11}{r['touchpoints']:>12,}{r['complaints']:>11,}{r['tick']:>9.2f}"
                         f"{r['tick_p95']:>8.2f}{r['cold']:>13.2f}{r['scan']:>21.1f}")
    lines.append("")
    lines.append(f"{'backend':<11}{'size':<6}{'stored rows':>12}{'due items':>10}{'sent':>6}{'failed':>7}"
                 f"{'due tick ms':>12}{'ms/item':>8}{'us/row':>8}{'idle us/row':>12}")
    for backend, results in all_results.items():
        for size in ("small", "large"):
            r = results[size]
            lines.append(f"{backend:<11}{size:<6}{r['stored']:>12,.0f}{r['due_items']:>10.0f}{r['sent']:>6.0f}"
                         f"{r['failed']:>7.0f}{r['due_ms']:>12.0f}{r['due_ms'] / max(r['due_items'], 1):>8.2f}"
                         f"{r['due_ms'] * 1000 / r['stored']:>8.2f}{r['tick'] * 1000 / r['stored']:>12.4f}")
    lines.append("")
    lines.append("due tick per function (queued / ms), small | large:")
    for backend, results in all_results.items():
        for work in DUE_WORK:
            name = work.__name__
            cells = [f"{results[size][f'queued:{name}']:>4.0f} / {results[size][f'ms:{name}']:>7.1f}"
                     for size in ("small", "large")]
            lines.append(f"  {backend:<11}{name:<26}{cells[0]} | {cells[1]}")
    for backend, results in all_results.items():
        ratio = results["large"]["tick"] / results["small"]["tick"]
        verdict = "within" if ratio <= GOAL else "NOT within"
        lines.append(f"{backend}: idle tick large/small = {ratio:.2f} ({verdict} the {GOAL:.0f}x goal); "
                     f"cold list {results['large']['cold'] / results['small']['cold']:.2f}x, "
                     f"from touchpoints {results['large']['scan'] / results['small']['scan']:.1f}x")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(prog="python -m bench.tick_scale", description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--small", type=int, default=10_000, help="touchpoints in the small database")
    parser.add_argument("--large", type=int, default=1_000_000, help="touchpoints in the large database")
    parser.add_argument("--repeat", type=int, default=50, help="timed ticks per database")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES,
                        help="scratch database for the large set; the small one adds _small (both recreated)")
    args = parser.parse_args(argv)
    if not ACCOUNTS <= args.small < args.large:
        parser.error(f"need {ACCOUNTS} <= --small < --large")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("bot.platform.scheduler").setLevel(logging.CRITICAL)  # a failed tick is reported as BenchError
    logging.getLogger("alembic").setLevel(logging.WARNING)
    logging.getLogger("rapport.delivery").setLevel(logging.WARNING)  # a line per message sent in the due tick
    all_results = {}
    slack = start_slack()
    try:
        with tempfile.TemporaryDirectory(prefix="rapport-bench-") as directory:
            for backend in args.backends.split(","):
                all_results[backend] = bench_backend(backend.strip(), args, Path(directory), slack)
    except (BenchError, psycopg.OperationalError) as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    finally:
        slack.stop()
    print(report(all_results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
