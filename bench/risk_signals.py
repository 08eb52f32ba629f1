"""The hourly risk-signal pass must cost what is there to look at, not a query per account or per cause.

Run `python -m bench.risk_signals` (options: `--backends`, `--small`, `--large`, `--repeat`, `--postgres-url`).
For each backend it migrates two databases with `--small` (1,000) and `--large` (10,000) customer accounts, one in
ten of them key accounts gone cold, one in five with three complaints in the last 30 days (and every account ten
complaints over the year before), one supplier per ten customers with a quarter's audit under the threshold and a
contract backing each of its customers that ends within 30 days. A first pass raises every cause; then it times the
steady state (`raise_new_causes`: every signal's causes found, none new) on both, alternating, and prints the
medians and the large/small ratio (goal: within 15x for 10x the data, i.e. linear in what is read). A timed pass
that raises anything aborts the run.
"""

from __future__ import annotations

import argparse
import logging
import sys
import time
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import insert

from bench.loading import BenchError, Row, analyze, bulk_insert, fresh_database, row_of
from bench.small_large import SmallLarge, run
from bench.tick_scale import NOW
from bot.platform.assemble import build_services
from bot.platform.config import Settings
from bot.platform.services import ManualClock, Services
from bot.risks.signal_runs import raise_new_causes
from storage.accounts import Account, AccountKind, AccountTier
from storage.care.complaints import Complaint, ComplaintSeverity
from storage.db import table_of
from storage.suppliers.contracts import SupportContract
from storage.suppliers.evaluations import SupplierAudit

GOAL = 15.0
SUPPLIER_EVERY = 10
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/rapport_bench_risks"

log = logging.getLogger("bench.risk_signals")


def _accounts(customers: int) -> Iterator[Row]:
    for n in range(customers):
        key = n % 10 == 0
        yield row_of(Account(name=f"Customer {n}", name_key=f"customer {n}", owner_id="U0ALICE",
                             tier=AccountTier.KEY if key else AccountTier.STANDARD, created_by="U0ALICE",
                             created_at=NOW - timedelta(days=400),
                             contact_due_at=NOW - timedelta(days=2) if key else NOW + timedelta(days=10)))
    for n in range(customers // SUPPLIER_EVERY):
        yield row_of(Account(name=f"Supplier {n}", name_key=f"supplier {n}", kind=AccountKind.SUPPLIER,
                             owner_id="U0BOB", created_by="U0BOB", created_at=NOW - timedelta(days=400)))


def _complaints(customers: int) -> Iterator[Row]:
    for account_id in range(1, customers + 1):
        recent = 3 if account_id % 5 == 0 else 0
        for n in range(10 + recent):
            at = NOW - timedelta(days=40 + 30 * n) if n >= recent else NOW - timedelta(days=2 + n)
            yield row_of(Complaint(account_id=account_id, summary=f"complaint {n}", severity=ComplaintSeverity.NORMAL,
                                   created_by="U0ALICE", created_at=at, updated_at=at, clock_started_at=at))


def _audits(customers: int) -> Iterator[Row]:
    for n in range(customers // SUPPLIER_EVERY):
        for quarter, average in enumerate((4.0, 3.5, 2.5)):
            yield row_of(SupplierAudit(account_id=customers + n + 1, scores={"responsiveness": 3}, average=average,
                                       period_start=date(2026, 1, 1), period_end=date(2026, 3, 31),
                                       auditor_id="U0BOB", created_by="U0BOB",
                                       created_at=NOW - timedelta(days=90 * (3 - quarter))))


def _contracts(customers: int) -> Iterator[Row]:
    for customer in range(1, customers + 1):
        supplier = customers + (customer - 1) // SUPPLIER_EVERY + 1
        yield row_of(SupportContract(supplier_id=supplier, customer_id=customer, severity=ComplaintSeverity.CRITICAL,
                                     response_minutes=10, resolution_minutes=120, availability=99.9,
                                     service_hours="7x24", valid_from=date(2026, 1, 1),
                                     valid_until=NOW.date() + timedelta(days=20), created_by="U0BOB",
                                     created_at=NOW - timedelta(days=300)))


def filled(backend: str, label: str, customers: int, args: argparse.Namespace, directory: Path) -> Services:
    """A migrated database with `customers` customers and their complaints, suppliers, audits and contracts."""
    url = fresh_database(backend, args.postgres_url, directory, f"risks_{label}" if backend == "sqlite" else label)
    settings = Settings(_env_file=None, database_url=url, slack_bot_token="xoxb-bench",
                        slack_api_url="http://127.0.0.1:9/api/", rapport_managers=["U0CAROL"],
                        rapport_timezone="Asia/Shanghai", rapport_country="CN")
    services = build_services(settings, clock=ManualClock(NOW))
    started = time.perf_counter()
    bulk_insert(services, Account, _accounts(customers))
    bulk_insert(services, Complaint, _complaints(customers))
    with services.db.engine.begin() as connection:  # JSON scores: a plain INSERT (COPY takes no dicts)
        connection.execute(insert(table_of(SupplierAudit)), list(_audits(customers)))
    bulk_insert(services, SupportContract, _contracts(customers))
    analyze(services)
    with services.db.session() as session:
        first = raise_new_causes(session, now=NOW, services=services)
    log.info("%s %s: %s customers loaded in %.0f s; the first pass raised %s risks", backend, label,
             f"{customers:,}", time.perf_counter() - started, f"{first:,}")
    return services


def steady_pass(services: Services) -> None:
    """One signal pass where every cause is known: it must raise nothing."""
    with services.db.session() as session:
        if raised := raise_new_causes(session, now=NOW, services=services):
            raise BenchError(f"a steady pass raised {raised} risks")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print its table."""
    return run(SmallLarge(prog="python -m bench.risk_signals", description=__doc__.splitlines()[0], unit="customers",
                          small=1_000, large=10_000, repeat=10, postgres_url=DEFAULT_POSTGRES, fill=filled,
                          work=steady_pass, measure="pass", goal=GOAL, goal_note=" for 10x the data", digits=1))


if __name__ == "__main__":
    sys.exit(main())
