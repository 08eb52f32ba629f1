"""An idle `rapport tick` from cron, cold: wall time, CPU time, memory and what it imports.

Run `python -m bench.cold_tick` (options `--runs`, `--source DIR` to time another checkout, e.g. an
export of main, with this environment's packages). Each run is a fresh interpreter running
`python -m bot.platform.cli tick` against a migrated, empty SQLite file (nothing is due, so Slack is
never called), as cron would start it; a last run with `-X importtime` counts the modules imported and
the import time. Reported: median and best wall and CPU (user+sys) seconds, peak RSS, modules, and
whether Bolt, the listeners (`handlers.`), Alembic or dateparser were loaded. Exits non-zero when a tick
fails.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

GOAL_SECONDS = 0.5  # wall time of an idle cron tick (issue 10)
HEAVY = ("slack_bolt", "handlers.", "alembic", "dateparser", "apscheduler", "prometheus_client")


def _environment(directory: Path, source: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(source), "DATABASE_URL": f"sqlite:///{directory / 'tick.db'}",
            "SLACK_BOT_TOKEN": "xoxb-bench", "SLACK_API_URL": "http://127.0.0.1:9/api/"}


def _run(arguments: list[str], environment: dict[str, str], source: Path) -> tuple[float, float, int, str]:
    """One child process: (wall s, cpu s, peak RSS KiB, stderr)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, *arguments], env=environment, cwd=source, capture_output=True, text=True,
                          check=False)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if done.returncode != 0:
        raise SystemExit(f"tick failed ({done.returncode}): {done.stderr[-2000:]}")
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, after.ru_maxrss, done.stderr


def main(argv: list[str] | None = None) -> int:
    """Time cold idle ticks and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--source", type=Path, default=Path(__file__).resolve().parent.parent)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        environment = _environment(Path(scratch), args.source)
        _run(["-m", "bot.platform.cli", "db", "upgrade"], environment, args.source)
        runs = [_run(["-m", "bot.platform.cli", "tick"], environment, args.source) for _ in range(args.runs)]
        *_, imports = _run(["-X", "importtime", "-m", "bot.platform.cli", "tick"], environment, args.source)
    modules = [line.rsplit("|", 1)[-1].strip() for line in imports.splitlines() if line.startswith("import time:")]
    import_us = sum(int(line.split("|")[0].split(":")[1]) for line in imports.splitlines()
                    if line.startswith("import time:") and line.split("|")[0].split(":")[1].strip().isdigit())
    walls, cpus = [run[0] for run in runs], [run[1] for run in runs]
    load = os.getloadavg()[0]
    print(f"source {args.source}, {args.runs} runs, load average {load:.1f} on {os.cpu_count()} CPUs")
    print(f"wall  median {statistics.median(walls):.2f} s, best {min(walls):.2f} s (goal {GOAL_SECONDS} s)")
    rss = runs[-1][2] / 1024
    print(f"cpu   median {statistics.median(cpus):.2f} s, best {min(cpus):.2f} s; peak RSS {rss:.0f} MiB")
    print(f"imports: {len(modules) - 1} modules, {import_us / 1e6:.2f} s of import time")
    loaded = {name: any(module.startswith(name) for module in modules) for name in HEAVY}
    print("loaded: " + ", ".join(f"{name.rstrip('.')} {'yes' if hit else 'no'}" for name, hit in loaded.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
