"""Results of an open survey with 10,000 answers: `/survey results`' figures, the CSV and the chart (time, memory).

Run `python -m bench.survey_results` (options: `--answers`, `--accounts`, `--repeat`, `--postgres URL`). One
campaign of four questions (NPS, CSAT, single choice, free text) addressed to as many people as answers, spread
over the accounts, is loaded in bulk into a fresh database (a SQLite file by default; with `--postgres`, the
scratch database `rapport_bench`); then each step runs `--repeat` times and the medians are printed, with the
peak of Python allocations during one run of each (tracemalloc) and the process's peak RSS at the end.
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
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bench.loading import BenchError, fresh_database
from storage.accounts import Account
from storage.care.campaigns import CampaignRecipient, CampaignResponse, SurveyCampaign
from storage.db import Database, table_of

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
QUESTIONS = [
    {"kind": "nps", "text": "How likely are you to recommend us?", "options": []},
    {"kind": "csat", "text": "How satisfied are you with our support?", "options": []},
    {"kind": "choice", "text": "Which office serves you?", "options": ["Beijing", "Shanghai", "Shenzhen"]},
    {"kind": "text", "text": "What should we do better?", "options": []},
]


def load(db: Database, *, answers: int, accounts: int, anonymous: bool) -> int:
    """One campaign, `accounts` accounts, `answers` recipients who all answered; the campaign's id."""
    rng = random.Random(13)
    with db.engine.begin() as connection:
        connection.execute(insert(table_of(Account)), [
            {"name": f"Account {i}", "name_key": f"account {i}", "kind": "customer", "tier": "standard",
             "created_by": "U0BENCH", "created_at": NOW, "customer_ack": False, "survey_by_dm": False,
             "meeting_reminders_shared": False} for i in range(accounts)])
        campaign_id = connection.execute(insert(table_of(SurveyCampaign)).returning(table_of(SurveyCampaign).c.id), [{
            "title": "Bench", "questions": QUESTIONS, "anonymous": anonymous, "by_dm": False,
            "audience": {"all": True}, "status": "closed", "opens_at": NOW - timedelta(days=14),
            "closes_at": NOW, "closed_at": NOW, "created_by": "U0BENCH", "created_at": NOW}]).scalar_one()
        people = [(f"U{i:08d}", 1 + i % accounts) for i in range(answers)]
        connection.execute(insert(table_of(CampaignRecipient)), [
            {"campaign_id": campaign_id, "account_id": account, "user_id": user} for user, account in people])
        connection.execute(insert(table_of(CampaignResponse)), [
            {"campaign_id": campaign_id, "account_id": account, "respondent_id": None if anonymous else user,
             "respondent_key": f"{i:064x}", "channel": "slack", "answered_at": NOW, "alerted": False,
             "answers": {"0": rng.randint(0, 10), "1": rng.randint(1, 5),
                         "2": rng.choice(["Beijing", "Shanghai", "Shenzhen"]),
                         **({"3": "=needs work " * rng.randint(0, 3)} if i % 3 == 0 else {})}}
            for i, (user, account) in enumerate(people)])
    return int(campaign_id)


def measure(step: Callable[[], Any], repeat: int) -> tuple[float, float, Any]:
    """Median seconds over `repeat` runs, the peak MiB Python allocated in one run, and the last result."""
    times = []
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = step()
        times.append(time.perf_counter() - started)
    tracemalloc.start()
    step()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return statistics.median(times), peak / 2**20, result


def run(url: str, *, answers: int, accounts: int, repeat: int, anonymous: bool) -> None:
    """Load, then time the results, the CSV and the chart."""
    from bot.care.campaign_results import campaign_results, results_chart, results_csv
    from storage.care import campaigns as store

    db = Database(url)
    try:
        campaign_id = load(db, answers=answers, accounts=accounts, anonymous=anonymous)

        def results() -> Any:
            with db.session() as session:
                campaign = store.get_campaign(session, campaign_id=campaign_id)
                assert campaign is not None
                return campaign_results(session, campaign)

        def table() -> bytes:
            with db.session() as session:
                campaign = store.get_campaign(session, campaign_id=campaign_id)
                assert campaign is not None
                return results_csv(session, campaign)

        seconds, peak, figures = measure(results, repeat)
        if figures.addressed != answers or figures.answered_in_slack != answers:
            raise BenchError(f"expected {answers} answers, results say {figures.answered_in_slack}")
        csv_seconds, csv_peak, csv_bytes = measure(table, repeat)
        chart_seconds, chart_peak, png = measure(lambda: results_chart(figures), repeat)
        if not png or not png.startswith(b"\x89PNG") or csv_bytes.count(b"\n") != answers + 1:
            raise BenchError("the chart or the CSV came out wrong")
        kind = "anonymous" if anonymous else "named"
        print(f"{db.dialect:10} {kind:9} {answers:>7,} answers  results {seconds * 1000:8.1f} ms "
              f"(peak {peak:5.1f} MiB)  csv {csv_seconds * 1000:8.1f} ms (peak {csv_peak:5.1f} MiB, "
              f"{len(csv_bytes) / 1024:.0f} KiB)  chart {chart_seconds * 1000:7.1f} ms (peak {chart_peak:5.1f} MiB, "
              f"{len(png) / 1024:.0f} KiB)")
    finally:
        db.dispose()


def main(argv: list[str] | None = None) -> int:
    """Parse options and run; non-zero when it could not measure."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=int, default=10_000)
    parser.add_argument("--accounts", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--postgres", default=None, help="also on this PostgreSQL server (its rapport_bench database)")
    options = parser.parse_args(argv)
    try:
        with tempfile.TemporaryDirectory() as directory:
            for anonymous in (False, True):
                label = "anonymous" if anonymous else "named"
                url = fresh_database("sqlite", "", Path(directory), f"survey_{label}")
                run(url, answers=options.answers, accounts=options.accounts, repeat=options.repeat,
                    anonymous=anonymous)
                if options.postgres:
                    url = fresh_database("postgresql", options.postgres, Path(directory), "large")
                    run(url, answers=options.answers, accounts=options.accounts, repeat=options.repeat,
                        anonymous=anonymous)
    except BenchError as error:
        print(f"could not measure: {error}", file=sys.stderr)
        return 1
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of the whole run: {rss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
