"""An idle `rapport tick` from cron, cold: wall time, CPU time, memory and what it imports.

Run `python -m bench.cold_tick` (options `--runs`, `--source DIR`, repeatable, to time other checkouts in the same
run, e.g. an export of main, with this environment's packages; `--backend sqlite|postgresql`, `--postgres-url`). Each
run is a fresh interpreter running `python -m bot.platform.cli tick` against a migrated, empty database (a SQLite
file, or a scratch PostgreSQL database dropped and created; nothing is due, so Slack is never called), as cron would
start it. The first tick after the upgrade runs in full (and, from issue 10 on, stores the horizon); the next `--runs`
are the idle ticks cron repeats every minute; a last run with `-X importtime` counts the modules imported and the
import time. Reported: the first tick, then median and best wall and CPU (user+sys) seconds and the largest peak RSS
of the idle ticks, modules, and whether SQLAlchemy, Bolt, the listeners (`handlers.`), Alembic or dateparser were
loaded. Exits non-zero when a tick fails.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 0.5  # wall time of an idle cron tick (issue 10)
HEAVY = ("sqlalchemy", "slack_bolt", "handlers.", "alembic", "dateparser", "apscheduler", "prometheus_client")


DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/rapport_bench_cold_tick"


def _environment(database_url: str, source: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(source), "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_API_URL": "http://127.0.0.1:9/api/"}


def _database(backend: str, postgres_url: str, directory: Path) -> str:
    """An empty database of this kind (migrated by the first child, `rapport db upgrade`)."""
    if backend == "sqlite":
        return f"sqlite:///{directory / 'tick.db'}"
    import psycopg  # only here: the parent's imports are not what is measured, but keep them few
    from sqlalchemy.engine import make_url

    target = make_url(postgres_url)
    admin = target.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
    with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{target.database}"')
    return target.render_as_string(hide_password=False)


def _run(arguments: list[str], environment: dict[str, str], source: Path) -> tuple[float, float, int, str]:
    """One child process: (wall s, cpu s, its own peak RSS KiB, stderr)."""
    started = time.perf_counter()
    child = subprocess.Popen([sys.executable, *arguments], env=environment, cwd=source, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    assert child.stderr is not None
    stderr = child.stderr.read()
    _pid, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise SystemExit(f"tick failed ({child.returncode}): {stderr[-2000:]}")
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss, stderr


def bench(source: Path, runs: int, backend: str = "sqlite", postgres_url: str = DEFAULT_POSTGRES) -> None:
    """Time one checkout: the first (full) tick, then idle ones, then count imports."""
    with tempfile.TemporaryDirectory() as scratch:
        environment = _environment(_database(backend, postgres_url, Path(scratch)), source)
        _run(["-m", "bot.platform.cli", "db", "upgrade"], environment, source)
        first = _run(["-m", "bot.platform.cli", "tick"], environment, source)
        idle = [_run(["-m", "bot.platform.cli", "tick"], environment, source) for _ in range(runs)]
        *_, imports = _run(["-X", "importtime", "-m", "bot.platform.cli", "tick"], environment, source)
    modules = [line.rsplit("|", 1)[-1].strip() for line in imports.splitlines() if line.startswith("import time:")]
    import_us = sum(int(line.split("|")[0].split(":")[1]) for line in imports.splitlines()
                    if line.startswith("import time:") and line.split("|")[0].split(":")[1].strip().isdigit())
    walls, cpus = [run[0] for run in idle], [run[1] for run in idle]
    print(f"source {source}, {backend}, {runs} idle runs, load average {os.getloadavg()[0]:.1f} "
          f"on {os.cpu_count()} CPUs")
    print(f"first tick after the upgrade: wall {first[0]:.2f} s, cpu {first[1]:.2f} s, "
          f"peak RSS {first[2] / 1024:.0f} MiB")
    print(f"wall  median {statistics.median(walls):.2f} s, best {min(walls):.2f} s (goal {GOAL_SECONDS} s)")
    rss = max(run[2] for run in idle) / 1024
    print(f"cpu   median {statistics.median(cpus):.2f} s, best {min(cpus):.2f} s; peak RSS {rss:.0f} MiB")
    print(f"imports: {len(modules) - 1} modules, {import_us / 1e6:.2f} s of import time")
    loaded = {name: any(module.startswith(name) for module in modules) for name in HEAVY}
    print("loaded: " + ", ".join(f"{name.rstrip('.')} {'yes' if hit else 'no'}" for name, hit in loaded.items()))


def main(argv: list[str] | None = None) -> int:
    """Time cold idle ticks of each checkout and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--source", type=Path, action="append",
                        help="a checkout to time (repeatable; default: this one)")
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--postgres-url", default=DEFAULT_POSTGRES, help="scratch database (dropped and created)")
    args = parser.parse_args(argv)
    for source in args.source or [Path(__file__).resolve().parent.parent]:
        bench(source, args.runs, args.backend, args.postgres_url)
    return 0


if __name__ == "__main__":
    sys.exit(main())
