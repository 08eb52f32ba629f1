"""A benchmark of one piece of work on a small and a large database, on each backend, with its table and goal."""

from __future__ import annotations

import argparse
import logging
import statistics
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bench.loading import BenchError, timed_pair
from bot.platform.services import Services

# A database of `count` rows for this backend and label ("small" or "large"), made under `directory`.
Fill = Callable[[str, str, int, argparse.Namespace, Path], Services]


@dataclass(frozen=True)
class SmallLarge:
    """What one such benchmark measures and how it words its table."""

    prog: str
    description: str
    unit: str  # the size column's header: "customers", "rows of each"
    small: int
    large: int
    repeat: int
    postgres_url: str
    fill: Fill
    work: Callable[[Services], object]
    measure: str  # "pass", "scan"
    goal: float
    goal_note: str  # after "the {goal}x goal", e.g. " for 10x the data"
    digits: int = 1


def small_and_large(fill: Callable[[str], Services], work: Callable[[Services], object],
                    repeat: int) -> dict[str, float]:
    """Median and p95 milliseconds of `work` on the "small" and the "large" database `fill(label)` makes."""
    small = fill("small")
    try:
        large = fill("large")
        try:
            samples = timed_pair(lambda: work(small), lambda: work(large), repeat)
        finally:
            large.db.dispose()
    finally:
        small.db.dispose()
    result = {}
    for label, runs in zip(("small", "large"), samples, strict=True):
        ordered = sorted(runs)
        result[label] = statistics.median(runs) * 1000
        result[f"{label}_p95"] = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] * 1000
    return result


def run(spec: SmallLarge, argv: list[str] | None = None) -> int:
    """Parse the command line, measure each backend, print the table and the goal; 1 when nothing was measured."""
    parser = argparse.ArgumentParser(prog=spec.prog, description=spec.description)
    parser.add_argument("--backends", default="sqlite,postgresql", help="comma-separated: sqlite, postgresql")
    parser.add_argument("--small", type=int, default=spec.small, help=f"{spec.unit} in the small database")
    parser.add_argument("--large", type=int, default=spec.large, help=f"{spec.unit} in the large database")
    parser.add_argument("--repeat", type=int, default=spec.repeat, help=f"timed {spec.measure}es per database")
    parser.add_argument("--postgres-url", default=spec.postgres_url,
                        help="scratch database for the large set; the small one adds _small (both recreated)")
    args = parser.parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s", datefmt="%H:%M:%S")
    logging.getLogger("alembic").setLevel(logging.WARNING)
    sizes = {"small": args.small, "large": args.large}
    results: dict[str, dict[str, float]] = {}
    try:
        with tempfile.TemporaryDirectory() as folder:
            for backend in (name.strip() for name in args.backends.split(",")):
                results[backend] = small_and_large(_filler(spec, backend, sizes, args, Path(folder)), spec.work,
                                                   args.repeat)
    except BenchError as problem:
        print(f"could not measure: {problem}", file=sys.stderr)
        return 1
    width = max(10, len(spec.unit) + 1)
    print(f"{'backend':<11}{spec.unit:>{width}}{spec.measure + ' ms':>9}{'p95 ms':>8}")
    for backend, r in results.items():
        for label, size in sizes.items():
            print(f"{backend:<11}{size:>{width},}{r[label]:>9.{spec.digits}f}{r[f'{label}_p95']:>8.{spec.digits}f}")
    for backend, r in results.items():
        ratio = r["large"] / r["small"]
        verdict = "within" if ratio <= spec.goal else "NOT within"
        print(f"{backend}: {spec.measure} large/small = {ratio:.2f} ({verdict} the {spec.goal:.0f}x goal"
              f"{spec.goal_note})")
    return 0


def _filler(spec: SmallLarge, backend: str, sizes: dict[str, int], args: argparse.Namespace,
            directory: Path) -> Callable[[str], Services]:
    """Fill one backend's database of a label's size."""
    return lambda label: spec.fill(backend, label, sizes[label], args, directory)
