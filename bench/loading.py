"""What the benchmarks share: scratch databases, bulk loading of model rows, and timing two cases fairly."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import psycopg
from sqlalchemy import insert, text
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from bot.platform.services import Services
from storage.db import table_of
from storage.migrate import upgrade

Row = dict[str, Any]
CHUNK = 50_000
WARMUP = 3


class BenchError(Exception):
    """The run could not measure what it set out to (as opposed to missing the goal)."""


def row_of(model: SQLModel) -> Row:
    """A table row from a model without its id, enums as their values (what bulk inserts take)."""
    return {key: getattr(value, "value", value) for key, value in model.model_dump(exclude={"id"}).items()}


def fresh_database(backend: str, postgres_url: str, directory: Path, label: str) -> str:
    """An empty, migrated database of this kind; its URL (PostgreSQL: the scratch database, `_small` for the small
    one)."""
    if backend == "sqlite":
        url = f"sqlite:///{directory / f'tick_scale_{label}.db'}"
    else:
        target = make_url(postgres_url)
        if label == "small":
            target = target.set(database=f"{target.database}_small")
        admin = target.set(drivername="postgresql", database="postgres").render_as_string(hide_password=False)
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as connection:
            connection.execute(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)')
            connection.execute(f'CREATE DATABASE "{target.database}"')
        url = target.render_as_string(hide_password=False)
    upgrade(url)
    return url


def bulk_insert(services: Services, model: type[SQLModel], rows: Iterator[Row]) -> None:
    """Insert rows of `model` fast: COPY on PostgreSQL, chunked executemany on SQLite."""
    table = table_of(model)
    if services.db.dialect == "postgresql":
        _copy(services, table.name, rows)
        return
    with services.db.engine.begin() as connection:
        chunk: list[Row] = []
        for row in rows:
            chunk.append(row)
            if len(chunk) == CHUNK:
                connection.execute(insert(table), chunk)
                chunk = []
        if chunk:
            connection.execute(insert(table), chunk)


def _copy(services: Services, table: str, rows: Iterator[Row]) -> None:
    first = next(rows, None)
    if first is None:
        return
    columns = list(first)
    connection = services.db.engine.raw_connection()
    try:
        # The driver's own connection: COPY is psycopg's, not part of the DB-API SQLAlchemy wraps.
        driver = connection.driver_connection
        assert isinstance(driver, psycopg.Connection)
        with driver.cursor() as cursor:
            names = ", ".join(f'"{c}"' for c in columns)
            with cursor.copy(f'COPY "{table}" ({names}) FROM STDIN') as copy:
                copy.write_row([first[c] for c in columns])
                for row in rows:
                    copy.write_row([row[c] for c in columns])
        connection.commit()
    finally:
        connection.close()


def analyze(services: Services) -> None:
    """Refresh the planner's statistics after a bulk load, as autovacuum or a DBA would."""
    with services.db.engine.begin() as connection:
        connection.execute(text("ANALYZE"))
    if services.db.dialect == "sqlite":
        # Fold the bulk load's write-ahead log into the database file, as SQLite's automatic
        # checkpoints do over time; otherwise the first timed ticks pay for it.
        raw = services.db.engine.raw_connection()  # outside a transaction, which a checkpoint needs
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            raw.close()


def timed_pair(small: Callable[[], object], large: Callable[[], object],
               repeat: int) -> tuple[list[float], list[float]]:
    """Seconds per call of each, alternating calls (and which goes first) so that load from other
    processes on the machine falls on both alike; after a warm-up."""
    for _ in range(WARMUP):
        small(), large()
    samples: tuple[list[float], list[float]] = ([], [])
    for round_ in range(repeat):
        order = ((0, small), (1, large)) if round_ % 2 == 0 else ((1, large), (0, small))
        for index, work in order:
            started = time.perf_counter()
            work()
            samples[index].append(time.perf_counter() - started)
    return samples
