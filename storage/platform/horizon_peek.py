"""Read the tick horizon with the bare database driver (sqlite3 or psycopg), without importing SQLAlchemy.

A cron tick asks this first; any doubt (another driver, a missing table, an error) answers None and the
full tick runs, so this module can only ever cost a skipped shortcut, never a skipped reminder.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any
from urllib.parse import unquote

_SQLITE = re.compile(r"^sqlite(?:\+pysqlite)?:///(?P<path>[^?]+)$")
_POSTGRES = re.compile(r"^postgres(?:ql)?(?:\+psycopg)?://")
_HORIZON = "SELECT changes, checked_changes, next_due_at, fingerprint FROM tick_horizon WHERE id = 1"
_REVISION = "SELECT version_num FROM alembic_version"
# The same question as storage/platform/outbox.py next_delivery_at: a message waiting, or a lease run out.
_OUTBOX_DUE = ("SELECT 1 FROM outbox_message WHERE (status = 'pending' AND not_before <= {p}) "
               "OR (status = 'sending' AND lease_until <= {p}) LIMIT 1")


@dataclass(frozen=True, slots=True)
class Peek:
    """What the database says, read in one snapshot."""

    revision: str | None
    changes: int
    checked_changes: int | None
    next_due_at: datetime | None
    fingerprint: str | None
    outbox_due: bool


def peek(database_url: str, now: datetime) -> Peek | None:
    """The horizon row, the schema revision and whether the outbox has a message due at `now`; None if unsure."""
    try:
        if found := _SQLITE.match(database_url):
            return _peek_sqlite(unquote(found.group("path")), now)
        if _POSTGRES.match(database_url):
            return _peek_postgres(_POSTGRES.sub("postgresql://", database_url, count=1), now)
    except Exception:  # e.g. the table is not there yet: the full tick upgrades or refuses, as it always did
        return None
    return None


def _peek_sqlite(path: str, now: datetime) -> Peek | None:
    import sqlite3

    if path == ":memory:":
        return None
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=10, isolation_level=None)
    try:
        connection.execute("BEGIN")  # one read snapshot for the three questions (WAL)
        # SQLAlchemy keeps SQLite timestamps as UTC text in this form, which sorts as time does.
        moment = now.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")
        return _read(connection.execute, "?", moment, _sqlite_time)
    finally:
        connection.close()


def _sqlite_time(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(value).replace(tzinfo=UTC)


def _peek_postgres(conninfo: str, now: datetime) -> Peek | None:
    import psycopg

    with psycopg.connect(conninfo, connect_timeout=10) as connection:
        connection.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        return _read(connection.execute, "%s", now, lambda value: value)


def _read(execute: Any, placeholder: str, moment: Any, to_time: Any) -> Peek | None:
    revision = execute(_REVISION).fetchone()
    row = execute(_HORIZON).fetchone()
    if row is None:
        return None
    due = execute(_OUTBOX_DUE.format(p=placeholder), (moment, moment)).fetchone() is not None
    return Peek(revision=None if revision is None else revision[0], changes=int(row[0]),
                checked_changes=None if row[1] is None else int(row[1]), next_due_at=to_time(row[2]),
                fingerprint=row[3], outbox_due=due)
