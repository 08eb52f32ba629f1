"""The monthly service report of an account with a year of data: building its sections from the record (time, memory).

Run `python -m bench.report_build` (options: `--contacts`, `--complaints`, `--answers`, `--repeat`, `--postgres URL`).
Two customer accounts are bulk-loaded into a fresh database (a SQLite file by default; with `--postgres`, also the
scratch database `rapport_bench`): **year** with a year of data (by default 10,000 touchpoints, 1,000 complaints
with their SLA clocks, 2,000 survey answers — three in four case surveys, the rest open-survey responses to four
campaigns, one anonymous — plus weekly meetings, praise, action items, value-added services, and two suppliers
behind it with contracts, audits and disputes), and **month** with one month of the same (a twelfth of each). Then
November's report of each (`build_report` with every section in `SECTIONS`) and, as a floor, a plain count of the
year account's rows in the same tables, are timed `--repeat` times, alternating (medians), and run once more under
tracemalloc (the peak of Python allocations). Ratios year/month and year/count are printed from the same run.
Exits non-zero only when it could not measure (e.g. a figure came out wrong).
"""

from __future__ import annotations

import argparse
import random
import resource
import statistics
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select
from sqlmodel import SQLModel

from bench.loading import BenchError, fresh_database, row_of
from bot.calendar.recurrence import Frequency, Period
from bot.platform.config import Settings
from bot.report.model import Figures, Report, ReportScope
from bot.report.sections import build_report
from storage.accounts import Account, AccountKind
from storage.care.campaigns import CampaignResponse, CampaignStatus, SurveyCampaign
from storage.care.complaints import Complaint, ComplaintSeverity, ComplaintStatus
from storage.care.contacts import Touchpoint
from storage.care.praise import Praise, PraiseReceiver
from storage.care.services_added import AddedService, ServiceStatus
from storage.care.surveys import Survey, SurveyStatus
from storage.db import Database, table_of
from storage.rhythm.action_items import ActionItem, ActionStatus
from storage.rhythm.meetings import Meeting, MeetingOccurrence, OccurrenceStatus
from storage.suppliers.contracts import SupportContract
from storage.suppliers.disputes import Dispute
from storage.suppliers.evaluations import SupplierAudit

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR_START = datetime(2025, 12, 1, tzinfo=SHANGHAI)
MONTH_START = datetime(2026, 11, 1, tzinfo=SHANGHAI)
END = datetime(2026, 12, 1, tzinfo=SHANGHAI)
NOW = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # Wednesday 2 December, 10:00 in Shanghai
NOVEMBER = Period(Frequency.MONTH, date(2026, 11, 1))
OWNER = "U0BENCH"
QUESTIONS = [{"kind": "nps", "text": "Recommend us?", "options": []},
             {"kind": "csat", "text": "How satisfied?", "options": []}]
# The tables the report reads an account's rows from, counted plainly as the floor to compare with.
COUNTED_TABLES: tuple[type[SQLModel], ...] = (Touchpoint, Complaint, Survey, CampaignResponse, MeetingOccurrence,
                                              Praise, ActionItem)


class Loader:
    """Rows of one account over [start, END), spread evenly at random, in bulk."""

    def __init__(self, db: Database, rng: random.Random) -> None:
        self.db = db
        self.rng = rng

    def put(self, model: type[SQLModel], rows: Sequence[SQLModel]) -> list[int]:
        """Insert rows of `model` at once; their ids."""
        with self.db.engine.begin() as connection:
            table = table_of(model)
            result = connection.execute(insert(table).returning(table.c.id), [row_of(row) for row in rows])
            return [int(row_id) for row_id in result.scalars()]

    def moment(self, start: datetime) -> datetime:
        """A random moment from `start` to before the end of November, in UTC."""
        return (start + (END - start) * self.rng.random()).astimezone(UTC)

    def account(self, name: str, **values: Any) -> int:
        """A customer or supplier account."""
        return self.put(Account, [Account(name=name, name_key=name.casefold(), owner_id=OWNER, created_by=OWNER,
                                          created_at=YEAR_START - timedelta(days=30), **values)])[0]

    def load(self, account_id: int, start: datetime, *, contacts: int, complaints: int, answers: int,
             suppliers: list[int]) -> int:
        """An account's data from `start`; how many complaints it opened in November (to check the report)."""
        rng, at = self.rng, self.moment
        self.put(Touchpoint, [Touchpoint(account_id=account_id, summary=f"call {i}", logged_by=OWNER,
                                         occurred_at=(m := at(start)), created_at=m) for i in range(contacts)])
        rows = [self.complaint(account_id, at(start), i) for i in range(complaints)]
        complaint_ids = self.put(Complaint, rows)
        cases = answers * 3 // 4
        self.put(Survey, [Survey(account_id=account_id, respondent_id="U0CUST", status=SurveyStatus.ANSWERED,
                                 send_at=(m := at(start)), sent_at=m, score=rng.choice((1, 2, 3, 4, 4, 5, 5, 5)),
                                 answered_at=m, answered_by="U0CUST", created_by=OWNER, created_at=m)
                          for _ in range(cases)])
        campaigns = self.put(SurveyCampaign, [SurveyCampaign(
            title=f"Survey {i}", questions=QUESTIONS, anonymous=i == 0, audience={"all": True},
            status=CampaignStatus.CLOSED, opens_at=start, closes_at=END, created_by=OWNER, created_at=start)
            for i in range(4)])
        self.put(CampaignResponse, [CampaignResponse(
            campaign_id=rng.choice(campaigns), account_id=account_id, answered_at=at(start),
            answers={"0": rng.randint(0, 10), "1": rng.randint(1, 5)}) for _ in range(answers - cases)])
        meeting_id = self.put(Meeting, [Meeting(account_id=account_id, title="Weekly sync", rule="every thursday 15:00",
                                                created_by=OWNER, created_at=start)])[0]
        weeks = int((END - start) / timedelta(weeks=1))
        self.put(MeetingOccurrence, [MeetingOccurrence(
            meeting_id=meeting_id, account_id=account_id,
            starts_at=(start + timedelta(weeks=w, hours=15)).astimezone(UTC),
            status=rng.choice((OccurrenceStatus.DONE, OccurrenceStatus.DONE, OccurrenceStatus.CANCELLED)),
            created_at=start) for w in range(weeks)])
        praise_ids = self.put(Praise, [Praise(giver_id="U0CUST", logged_by=OWNER, reason=f"thanks <@U0ENG{i % 9}>",
                                              account_id=account_id, created_at=at(start))
                                       for i in range(max(complaints // 3, 1))])
        self.put(PraiseReceiver, [PraiseReceiver(praise_id=p, user_id=f"U0ENG{p % 9}") for p in praise_ids])
        self.put(ActionItem, [ActionItem(account_id=account_id, text=f"action {i}", owner_id=OWNER, due_at=at(start),
                                         status=rng.choice((ActionStatus.OPEN, ActionStatus.DONE)), created_by=OWNER,
                                         created_at=start) for i in range(max(complaints // 5, 1))])
        self.put(AddedService, [AddedService(
            account_id=account_id, what=f"service {i}", schedule="every month", first_at=start, cost=100,
            deliveries=[{"at": at(start).isoformat(), "by": OWNER, "note": "done"} for _ in range(6)],
            principles={}, approver=OWNER, status=ServiceStatus.APPROVED, created_by=OWNER, created_at=start)
            for i in range(4)])
        for supplier_id in suppliers:
            self.put(SupportContract, [SupportContract(
                supplier_id=supplier_id, customer_id=account_id, severity=ComplaintSeverity.CRITICAL,
                response_minutes=30, resolution_minutes=120, availability=99.9, service_hours="7x24",
                valid_from=date(2025, 1, 1), valid_until=date(2027, 12, 31), created_by=OWNER, created_at=start)])
            self.put(Dispute, [Dispute(supplier_id=supplier_id, subject="fault", complaint_id=rng.choice(complaint_ids),
                                       owner_id=OWNER, level_started_at=(m := at(start)), created_by=OWNER,
                                       created_at=m, updated_at=m) for _ in range(3)])
        since, until = MONTH_START.astimezone(UTC), END.astimezone(UTC)
        return sum(1 for row in rows if since <= row.created_at < until)

    def complaint(self, account_id: int, created: datetime, index: int) -> Complaint:
        """A complaint with both clocks; some late, the latest ones still open."""
        rng = self.rng
        ack_due, resolve_due = created + timedelta(hours=4), created + timedelta(days=2)
        acknowledged = created + timedelta(minutes=rng.randint(10, 300))
        resolved: datetime | None = created + timedelta(hours=rng.randint(2, 60))
        if resolved is not None and resolved > NOW:
            resolved = None
        status = ComplaintStatus.CLOSED if resolved else ComplaintStatus.ACKNOWLEDGED
        return Complaint(account_id=account_id, summary=f"complaint {index}",
                         severity=rng.choice(list(ComplaintSeverity)), status=status, created_by=OWNER,
                         created_at=created, updated_at=created, clock_started_at=created, ack_due_at=ack_due,
                         acknowledged_at=min(acknowledged, NOW), resolve_due_at=resolve_due, resolved_at=resolved)


def load(db: Database, *, contacts: int, complaints: int, answers: int) -> tuple[int, int, int, int]:
    """(year account, month account, and each one's complaints opened in November)."""
    loader = Loader(db, random.Random(14))
    suppliers = [loader.account(f"Supplier {i}", kind=AccountKind.SUPPLIER) for i in range(2)]
    for supplier_id in suppliers:
        loader.put(SupplierAudit, [SupplierAudit(
            account_id=supplier_id, scores={"responsiveness": 3}, average=2.5 + q / 2, period_start=date(2026, 1, 1),
            period_end=date(2026, 3, 31), auditor_id=OWNER, created_by=OWNER,
            created_at=(YEAR_START + timedelta(days=90 * q)).astimezone(UTC)) for q in range(4)])
    year = loader.account("Year Co", contact_cadence_days=7)
    month = loader.account("Month Co", contact_cadence_days=7)
    year_opened = loader.load(year, YEAR_START, contacts=contacts, complaints=complaints, answers=answers,
                              suppliers=suppliers)
    month_opened = loader.load(month, MONTH_START, contacts=contacts // 12, complaints=complaints // 12,
                               answers=answers // 12, suppliers=suppliers[:1])
    return year, month, year_opened, month_opened


def opened_in(report: Report) -> str:
    """The "complaints opened" figure of a built report."""
    [service] = [section for section in report.sections if section.key == "service"]
    return next(figure.value for block in service.blocks if isinstance(block, Figures) for figure in block.items)


def timed(steps: list[Callable[[], Any]], repeat: int) -> list[tuple[float, float]]:
    """(median seconds, peak MiB under tracemalloc) of each step; the steps alternate, so load falls on all alike."""
    samples: list[list[float]] = [[] for _step in steps]
    for step in steps:
        step()  # warm-up: first-use costs (catalogs, calendars, statement compilation)
    for round_ in range(repeat):
        order = list(enumerate(steps)) if round_ % 2 == 0 else list(reversed(list(enumerate(steps))))
        for index, step in order:
            started = time.perf_counter()
            step()
            samples[index].append(time.perf_counter() - started)
    peaks = []
    for step in steps:
        tracemalloc.start()
        step()
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        peaks.append(peak / 2**20)
    return [(statistics.median(times), peak) for times, peak in zip(samples, peaks, strict=True)]


def run(url: str, *, contacts: int, complaints: int, answers: int, repeat: int) -> None:
    """Load, check November's figures, then time the two reports and the count."""
    db = Database(url)
    settings = Settings(_env_file=None, database_url=url, rapport_timezone="Asia/Shanghai", rapport_country="CN")
    try:
        started = time.perf_counter()
        year, month, year_opened, month_opened = load(db, contacts=contacts, complaints=complaints, answers=answers)
        loaded = time.perf_counter() - started

        def report(account_id: int) -> Callable[[], Report]:
            def build() -> Report:
                with db.session(read_only=True) as session:
                    return build_report(session, ReportScope(account_id, NOVEMBER, NOW), settings)
            return build

        def count() -> int:
            with db.session(read_only=True) as session:
                return sum(int(session.execute(select(func.count()).select_from(table_of(model))
                                               .where(table_of(model).c.account_id == year)).scalar_one())
                           for model in COUNTED_TABLES)

        for account_id, expected in ((year, year_opened), (month, month_opened)):
            if opened_in(report(account_id)()) != f"{expected:,}":
                raise BenchError(f"account {account_id}: the report's complaints opened is not {expected}")
        (year_s, year_mib), (month_s, month_mib), (count_s, count_mib) = timed(
            [report(year), report(month), count], repeat)
        print(f"{db.dialect:10} loaded in {loaded:.1f} s; rows counted for the year account: {count():,}")
        print(f"{db.dialect:10} year report  {year_s * 1000:8.1f} ms (peak {year_mib:5.1f} MiB)  "
              f"month report {month_s * 1000:8.1f} ms (peak {month_mib:5.1f} MiB)  "
              f"count {count_s * 1000:6.1f} ms (peak {count_mib:4.2f} MiB)")
        print(f"{db.dialect:10} year/month {year_s / month_s:5.2f}x time, {year_mib / month_mib:5.2f}x memory;  "
              f"year/count {year_s / count_s:5.1f}x time")
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    """Parse options and run; non-zero when it could not measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--complaints", type=int, default=1_000)
    parser.add_argument("--answers", type=int, default=2_000)
    parser.add_argument("--repeat", type=int, default=9)
    parser.add_argument("--postgres", default=None, help="also on this PostgreSQL server (its rapport_bench database)")
    options = parser.parse_args(argv)
    sizes = {"contacts": options.contacts, "complaints": options.complaints, "answers": options.answers}
    try:
        with tempfile.TemporaryDirectory() as directory:
            run(fresh_database("sqlite", "", Path(directory), "report"), repeat=options.repeat, **sizes)
            if options.postgres:
                run(fresh_database("postgresql", options.postgres, Path(directory), "large"), repeat=options.repeat,
                    **sizes)
    except BenchError as error:
        print(f"could not measure: {error}", file=sys.stderr)
        return 1
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the whole run: {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
