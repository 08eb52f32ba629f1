"""Morning digests for 200 managers over 100k complaints: time and SQL queries per digest, 5 vs 50 accounts each.

Run `python -m bench.digest_scale` (options: `--backends`, `--managers`, `--complaints`, `--per-manager`,
`--postgres-url`). For each backend and each number of accounts per manager (5 and 50 by default) it
migrates an empty database and bulk-loads it (executemany on SQLite, COPY on PostgreSQL, into the
scratch databases `rapport_bench_digest_<n>`, dropped and created again): 200 managers who turned the
digest on, each owning n accounts; 100,000 complaints spread over the accounts (one in a hundred open
past its SLA, one in a hundred new since yesterday, one in a hundred resolved since yesterday, the rest
closed over two years); 20,000 survey answers, 5,000 praises, 10,000 action items, a meeting and a
report deadline per account. Then it builds each manager's digest (`bot.overview.digest.collect_digest` and the
Block Kit renderer) and counts the SQL statements each one runs with a SQLAlchemy
`before_cursor_execute` listener; it also queues all 200 through the scheduler's
`run_due_digests` (run-ledger claim and outbox message included) and builds the team-wide digest a
RAPPORT_MANAGERS member gets. The point: queries per digest stay the same with 5 or 50 accounts per
manager (no N+1). Exits non-zero on errors only.
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
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from sqlalchemy import event
from sqlalchemy.engine import make_url

from bench.loading import BenchError, Row, analyze, bulk_insert, fresh_database, row_of
from bot.overview.digest import collect_digest, run_due_digests, user_zone
from bot.platform.assemble import build_services
from bot.platform.config import Settings
from bot.platform.services import ManualClock, Services
from bot.sandbox.stand_in import BOT_TOKEN, SlackStandIn, User
from handlers.blocks.overview.digest import render_digest
from storage.accounts import Account, AccountTier
from storage.care.complaints import Complaint, ComplaintSeverity, ComplaintStatus
from storage.care.praise import Praise, PraiseReceiver
from storage.care.surveys import Survey, SurveyStatus
from storage.overview.digest import DigestSubscription
from storage.platform.outbox import OutboxMessage
from storage.rhythm.action_items import ActionItem
from storage.rhythm.agreements import ReportDeadline
from storage.rhythm.meetings import Meeting, MeetingOccurrence

ZONE = ZoneInfo("Asia/Shanghai")
NOW = datetime(2026, 11, 30, 10, 0, tzinfo=ZONE).astimezone(UTC)  # Monday 30 Nov 2026, 10:00 in Shanghai
HISTORY = timedelta(days=730)
DAY = timedelta(hours=20)  # "since yesterday": within the last working day
TEAM_MANAGER = "U0CAROL"
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/rapport_bench_digest"

log = logging.getLogger("bench.digest_scale")


def manager(n: int) -> str:
    """The user id of manager n."""
    return f"U0MGR{n:03d}"


def account_rows(managers: int, per_manager: int) -> Iterator[Row]:
    """`per_manager` accounts for each manager; one in five key, one in ten gone cold."""
    for n in range(managers * per_manager):
        due = NOW - timedelta(days=3) if n % 10 == 0 else NOW + timedelta(days=5 + n % 20)
        yield row_of(Account(name=f"Account {n:05d}", name_key=f"account {n:05d}", owner_id=manager(n // per_manager),
                            tier=AccountTier.KEY if n % 5 == 0 else AccountTier.STANDARD, created_by=TEAM_MANAGER,
                            created_at=NOW - HISTORY - timedelta(days=1), last_contact_at=due - timedelta(days=14),
                            contact_due_at=due))


def complaint_rows(count: int, accounts: int) -> Iterator[Row]:
    """Complaints: one in 100 open past its SLA, one new, one resolved since yesterday; the rest closed long ago."""
    rng = random.Random(1)
    for i in range(count):
        created = NOW - timedelta(seconds=rng.randrange(86_400 * 3, int(HISTORY.total_seconds())))
        kind = i % 100
        common: dict[str, Any] = {"account_id": i % accounts + 1,
                                  "summary": f"Complaint #{i}: the VPN drops every hour",
                                  "severity": list(ComplaintSeverity)[i % 4], "created_by": "U0BOB", "updated_at": NOW}
        if kind == 0:
            row = Complaint(**common, status=ComplaintStatus.OPEN, created_at=created, clock_started_at=created,
                            ack_due_at=created + timedelta(hours=8), ack_breached_at=created + timedelta(hours=8),
                            resolve_due_at=created + timedelta(hours=48))
        elif kind == 1:
            new = NOW - timedelta(seconds=rng.randrange(60, int(DAY.total_seconds())))
            row = Complaint(**common, status=ComplaintStatus.OPEN, created_at=new, clock_started_at=new,
                            ack_due_at=NOW + timedelta(hours=8), resolve_due_at=NOW + timedelta(hours=48))
        else:
            resolved = (NOW - timedelta(seconds=rng.randrange(60, int(DAY.total_seconds()))) if kind == 2
                        else created + timedelta(hours=20))
            row = Complaint(**common, status=ComplaintStatus.RESOLVED if kind == 2 else ComplaintStatus.CLOSED,
                            created_at=created, clock_started_at=created, acknowledged_at=created,
                            ack_due_at=created + timedelta(hours=8), resolve_due_at=created + timedelta(hours=48),
                            resolved_at=resolved, resolved_by="U0BOB", resolution="Fixed the tunnel")
        yield row_of(row)


def survey_rows(count: int, accounts: int) -> Iterator[Row]:
    """Answered surveys: one in ten since yesterday (one in five of those scored 2), the rest older."""
    for i in range(count):
        answered = NOW - (timedelta(hours=i % 19 + 1) if i % 10 == 0 else timedelta(days=2 + i % 700))
        yield row_of(Survey(account_id=i % accounts + 1, respondent_id=f"U0CUST{i % 997:04d}",
                           status=SurveyStatus.ANSWERED, score=2 if i % 50 == 0 else 4 + i % 2, send_at=answered,
                           sent_at=answered, answered_at=answered, created_by="U0BOB", created_at=answered))


def praise_rows(count: int, accounts: int) -> Iterator[Row]:
    """Praise from the accounts' people; one in ten since yesterday."""
    for i in range(count):
        given = NOW - (timedelta(hours=i % 19 + 1) if i % 10 == 0 else timedelta(days=2 + i % 700))
        yield row_of(Praise(giver_id="U0BOB", logged_by="U0BOB", reason=f"Praise #{i}: fixed it fast",
                           account_id=i % accounts + 1, created_at=given))


def receiver_rows(count: int) -> Iterator[Row]:
    """One receiver per praise."""
    for i in range(count):
        yield {"praise_id": i + 1, "user_id": "U0DAVE", "usergroup_id": None, "usergroup_handle": None}


def action_rows(count: int, accounts: int, per_manager: int) -> Iterator[Row]:
    """Open action items owned by the accounts' owners; one in five overdue."""
    for i in range(count):
        account = i % accounts
        due = NOW - timedelta(days=1 + i % 9) if i % 5 == 0 else NOW + timedelta(days=1 + i % 30)
        yield row_of(ActionItem(account_id=account + 1, text=f"Send the capacity plan #{i}",
                               owner_id=manager(account // per_manager), due_at=due, created_by="U0BOB",
                               created_at=NOW - timedelta(days=30)))


def meeting_rows(accounts: int) -> tuple[Iterator[Row], Iterator[Row]]:
    """A meeting per account; one in four meets today at 15:00."""
    meetings = (row_of(Meeting(account_id=n + 1, title=f"Weekly sync {n}", rule="every monday 15:00",
                              created_by="U0BOB", created_at=NOW - timedelta(days=60))) for n in range(accounts))
    today = datetime(2026, 11, 30, 15, tzinfo=ZONE).astimezone(UTC)
    occurrences = (row_of(MeetingOccurrence(meeting_id=n + 1, account_id=n + 1,
                                           starts_at=today if n % 4 == 0 else today + timedelta(days=7),
                                           created_at=NOW - timedelta(days=1))) for n in range(accounts))
    return meetings, occurrences


def deadline_rows(accounts: int) -> Iterator[Row]:
    """November's service report per account, pending; one in ten due today."""
    for n in range(accounts):
        due = datetime(2026, 11, 30, 18, tzinfo=ZONE) if n % 10 == 0 else datetime(2026, 12, 7, 18, tzinfo=ZONE)
        yield row_of(ReportDeadline(account_id=n + 1, cycle="month", period_start=date(2026, 11, 1),
                                   period_end=date(2026, 12, 1), due_at=due.astimezone(UTC), created_at=NOW))


def filled(backend: str, per_manager: int, args: argparse.Namespace, directory: Path, slack: SlackStandIn) -> Services:
    """A migrated database with the managers, their accounts and everything the digest reads."""
    if backend == "sqlite":
        url = fresh_database("sqlite", "", directory, f"digest_{per_manager}")
    else:
        target = make_url(args.postgres_url)
        target = target.set(database=f"{target.database}_{per_manager}")
        url = fresh_database("postgresql", target.render_as_string(hide_password=False), directory, "large")
    settings = Settings(_env_file=None, database_url=url, slack_bot_token=BOT_TOKEN, slack_api_url=slack.api_url,
                        rapport_managers=[TEAM_MANAGER], rapport_timezone="Asia/Shanghai", rapport_country="CN")
    services = build_services(settings, clock=ManualClock(NOW))
    started = time.perf_counter()
    accounts = args.managers * per_manager
    bulk_insert(services, Account, account_rows(args.managers, per_manager))
    bulk_insert(services, Complaint, complaint_rows(args.complaints, accounts))
    bulk_insert(services, Survey, survey_rows(args.complaints // 5, accounts))
    bulk_insert(services, Praise, praise_rows(args.complaints // 20, accounts))
    bulk_insert(services, PraiseReceiver, receiver_rows(args.complaints // 20))
    bulk_insert(services, ActionItem, action_rows(args.complaints // 10, accounts, per_manager))
    meetings, occurrences = meeting_rows(accounts)
    bulk_insert(services, Meeting, meetings)
    bulk_insert(services, MeetingOccurrence, occurrences)
    bulk_insert(services, ReportDeadline, deadline_rows(accounts))
    bulk_insert(services, DigestSubscription, iter(
        [{"user_id": manager(n), "enabled": True, "changed_by": manager(n), "changed_at": NOW}
         for n in range(args.managers)]))
    analyze(services)
    log.info("%s, %d accounts per manager: %s accounts, %s complaints loaded in %.0f s", backend, per_manager,
             f"{accounts:,}", f"{args.complaints:,}", time.perf_counter() - started)
    return services


class QueryCounter:
    """Counts the SQL statements an engine runs."""

    def __init__(self, services: Services) -> None:
        self.count = 0
        event.listen(services.db.engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: object) -> None:
        self.count += 1


def one_digest(services: Services, user_id: str, *, team_wide: bool, counter: QueryCounter) -> tuple[float, int, int]:
    """(seconds, SQL statements, items needing attention) for one digest, built and rendered."""
    before = counter.count
    started = time.perf_counter()
    with services.db.session() as session:
        data = collect_digest(session, user_id=user_id, team_wide=team_wide, zone=ZONE, now=NOW,
                              calendar=services.team_calendar())
    render_digest(data)
    elapsed = time.perf_counter() - started
    return elapsed, counter.count - before, sum(listing.total for listing in data.attention.listings())


def measure(services: Services, managers: int) -> dict[str, float]:
    """Per-digest time and queries for every manager, the queued run of all of them, and the team digest."""
    counter = QueryCounter(services)
    for n in range(3):  # warm-up: caches, prepared plans
        one_digest(services, manager(n), team_wide=False, counter=counter)
    samples = [one_digest(services, manager(n), team_wide=False, counter=counter) for n in range(managers)]
    times, queries, attention = zip(*samples, strict=True)
    if min(attention) == 0:
        raise BenchError("a manager's digest had nothing needing attention: the data set is not what it should be")
    team = [one_digest(services, TEAM_MANAGER, team_wide=True, counter=counter) for _ in range(5)]
    for n in range(managers):  # users.info answers are cached for an hour; ticks come every minute
        user_zone(services, manager(n))
    before = counter.count
    started = time.perf_counter()
    with services.db.session() as session:
        queued = run_due_digests(session, NOW, services)
    queue_seconds = time.perf_counter() - started
    queue_queries = counter.count - before
    if queued != managers:  # the team manager (New York) is not due at 10:00 in Shanghai
        raise BenchError(f"run_due_digests queued {queued} digests, expected {managers}")
    with services.db.session() as session:
        if session.get(OutboxMessage, 1) is None:
            raise BenchError("no digest reached the outbox")
    return {"median_ms": statistics.median(times) * 1000, "p95_ms": sorted(times)[int(0.95 * (len(times) - 1))] * 1000,
            "queries_min": min(queries), "queries_max": max(queries),
            "queue_ms": queue_seconds * 1000 / queued, "queue_queries": queue_queries / queued,
            "team_ms": statistics.median(t for t, _q, _a in team) * 1000, "team_queries": team[0][1]}


def report(results: dict[tuple[str, int], dict[str, float]], args: argparse.Namespace) -> str:
    """The figures as a table, and whether queries per digest grew with accounts per manager."""
    lines = [f"{args.managers} managers, {args.complaints:,} complaints",
             f"{'backend':<11}{'acc/mgr':>8}{'digest ms':>10}{'p95':>8}{'queries/digest':>16}{'queued ms':>11}"
             f"{'queries/queued':>16}{'team ms':>9}{'team queries':>14}"]
    for (backend, per_manager), r in results.items():
        queries = (f"{r['queries_min']:.0f}" if r["queries_min"] == r["queries_max"]
                   else f"{r['queries_min']:.0f}–{r['queries_max']:.0f}")
        lines.append(f"{backend:<11}{per_manager:>8}{r['median_ms']:>10.2f}{r['p95_ms']:>8.2f}{queries:>16}"
                     f"{r['queue_ms']:>11.2f}{r['queue_queries']:>16.2f}{r['team_ms']:>9.2f}{r['team_queries']:>14.0f}")
    for backend in dict.fromkeys(b for b, _n in results):
        counts = {n: results[(b, n)]["queries_max"] for b, n in results if b == backend}
        same = len(set(counts.values())) == 1
        lines.append(f"{backend}: queries per digest " + ", ".join(f"{c:.0f} with {n} accounts per manager"
                                                               for n, c in counts.items())
                     + (" — the same: no N+1" if same else " — NOT the same"))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    parser = argparse.ArgumentParser(prog="python -m bench.digest_scale", description=__doc__.splitlines()[0])
    parser.add_argument("--backends", default="sqlite", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--managers", type=int, default=200, help="managers who get a digest")
    parser.add_argument("--complaints", type=int, default=100_000, help="complaints in each database")
    parser.add_argument("--per-manager", default="5,50", help="accounts per manager, comma-separated")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES,
                        help="scratch database; _<accounts per manager> is added (dropped and created again)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    slack = SlackStandIn().start()
    for n in range(args.managers):  # the digest reads each manager's time zone from users.info
        slack.workspace.add_user(User(manager(n), f"manager{n:03d}", f"Manager {n:03d}", tz="Asia/Shanghai"))
    results: dict[tuple[str, int], dict[str, float]] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="rapport-bench-") as directory:
            for backend in (b.strip() for b in args.backends.split(",")):
                for per_manager in (int(n) for n in args.per_manager.split(",")):
                    services = filled(backend, per_manager, args, Path(directory), slack)
                    try:
                        results[(backend, per_manager)] = measure(services, args.managers)
                    finally:
                        services.db.dispose()
                    log.info("%s, %d per manager: %s", backend, per_manager, results[(backend, per_manager)])
    except (BenchError, psycopg.OperationalError) as error:
        print(f"benchmark failed: {error}", file=sys.stderr)
        return 1
    finally:
        slack.stop()
    print(report(results, args))
    return 0


if __name__ == "__main__":
    sys.exit(main())
