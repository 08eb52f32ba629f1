"""Dispute escalation, coordination pings and third-party reminders must cost what is due, not what is stored.

Run `python -m bench.dispute_scan` (options: `--backends`, `--small`, `--large`, `--repeat`, `--postgres-url`).
For each backend it migrates two empty databases and fills them with `--small` (1,000) and `--large`
(100,000) each of disputes, coordination layers and third-party requests, of which one in ten is
still open with its next deadline, ping or reminder days ahead and the rest resolved, answered or
done: nothing is due. It then times `run_due_disputes`, `run_due_pings` and `run_due_requests` (the
scheduler's work for this feature, each in its own unit of work as `tick` runs them) on both,
alternating, and prints the medians and their large/small ratio (goal: within 2x). A pass that
queues anything aborts the run. Exits non-zero on errors only, not on the goal.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from bench.loading import BenchError, Row, analyze, bulk_insert, fresh_database, row_of
from bench.small_large import SmallLarge, run
from bench.tick_scale import NOW
from bot.platform.assemble import build_services
from bot.platform.config import Settings
from bot.platform.services import ManualClock, Services
from bot.suppliers.coordination import run_due_pings
from bot.suppliers.disputes import run_due_disputes
from bot.thirdparty.requests import run_due_requests
from storage.accounts import Account, AccountKind
from storage.suppliers.coordination import Coordination, CoordinationLayer, LayerStatus
from storage.suppliers.disputes import Dispute, DisputeStatus
from storage.thirdparty.requests import RequestStatus, ThirdPartyRequest

OPEN_EVERY = 10
AHEAD = timedelta(days=3)
GOAL = 2.0
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/rapport_bench_disputes"
WORK = (run_due_disputes, run_due_pings, run_due_requests)

log = logging.getLogger("bench.dispute_scan")


def _accounts() -> Iterator[Row]:
    for number, kind in ((1, AccountKind.SUPPLIER), (2, AccountKind.THIRD_PARTY)):
        yield row_of(Account(name=f"Account {number}", name_key=f"account {number}", kind=kind, owner_id="U0CAROL",
                           created_by="U0CAROL", created_at=NOW - timedelta(days=400)))


def _disputes(count: int) -> Iterator[Row]:
    for n in range(count):
        is_open = n % OPEN_EVERY == 0
        due = NOW + AHEAD if is_open else NOW - timedelta(days=30)
        yield row_of(Dispute(supplier_id=1, subject=f"dispute {n}",
                             status=DisputeStatus.OPEN if is_open else DisputeStatus.RESOLVED,
                           owner_id="U0CAROL", level_started_at=NOW - timedelta(days=1), level_due_at=due,
                           next_check_at=due if is_open else None, resolution=None if is_open else "settled",
                           created_by="U0CAROL", created_at=NOW - timedelta(days=40),
                           updated_at=NOW - timedelta(days=1)))


def _coordinations(count: int) -> Iterator[Row]:
    for n in range(count):
        yield row_of(Coordination(title=f"outage {n}", channel_id="C0ESCAL", created_by="U0CAROL",
                                created_at=NOW - timedelta(days=1), updated_at=NOW - timedelta(days=1)))


def _layers(count: int) -> Iterator[Row]:
    for n in range(count):
        waiting = n % OPEN_EVERY == 0
        yield row_of(CoordinationLayer(coordination_id=n + 1, name="network", supplier_id=1,
                                     status=LayerStatus.WAITING if waiting else LayerStatus.CLEARED,
                                     ping_at=NOW + AHEAD if waiting else None))


def _requests(count: int) -> Iterator[Row]:
    for n in range(count):
        is_open = n % OPEN_EVERY == 0
        yield row_of(ThirdPartyRequest(account_id=2, what=f"evidence {n}",
                                     due_at=NOW + AHEAD if is_open else NOW - timedelta(days=9),
                                     status=RequestStatus.OPEN if is_open else RequestStatus.DONE,
                                     owner_id="U0ALICE", created_by="U0ALICE",
                                     created_at=NOW - timedelta(days=10),
                                     next_check_at=NOW + AHEAD if is_open else None))


def filled(backend: str, label: str, count: int, args: argparse.Namespace, directory: Path) -> Services:
    """A migrated database holding `count` disputes, coordination layers and requests, none due at NOW."""
    url = fresh_database(backend, args.postgres_url, directory, label)
    settings = Settings(_env_file=None, database_url=url, slack_bot_token="xoxb-bench",
                        slack_api_url="http://127.0.0.1:9/api/", rapport_managers=["U0CAROL"],
                        rapport_escalation_channel="C0ESCAL", rapport_timezone="Asia/Shanghai", rapport_country="CN")
    services = build_services(settings, clock=ManualClock(NOW))
    started = time.perf_counter()
    bulk_insert(services, Account, _accounts())
    bulk_insert(services, Dispute, _disputes(count))
    bulk_insert(services, Coordination, _coordinations(count))
    bulk_insert(services, CoordinationLayer, _layers(count))
    bulk_insert(services, ThirdPartyRequest, _requests(count))
    analyze(services)
    log.info("%s %s: %s of each loaded in %.0f s", backend, label, f"{count:,}", time.perf_counter() - started)
    return services


def quiet_scan(services: Services) -> None:
    """This feature's due work, each function in its own unit of work as tick runs it; nothing may be due."""
    for work in WORK:
        with services.db.session() as session:
            queued = work(session, NOW, services)
        if queued:
            raise BenchError(f"{work.__name__} queued {queued} messages: the data set was meant to be idle")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    return run(SmallLarge(prog="python -m bench.dispute_scan", description=__doc__.splitlines()[0], unit="rows of each",
                          small=1_000, large=100_000, repeat=50, postgres_url=DEFAULT_POSTGRES, fill=filled,
                          work=quiet_scan, measure="scan", goal=GOAL, goal_note="", digits=2))


if __name__ == "__main__":
    sys.exit(main())
