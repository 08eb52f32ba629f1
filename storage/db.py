"""Engine and unit of work: SQLite (WAL, busy timeout) or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from typing import Any

from sqlalchemy import Connection, CursorResult, Engine, Executable, Table, create_engine, event, func, inspect
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

SQLITE_BUSY_TIMEOUT_MS = 10_000
POOL_SIZE = 10  # connections kept open; a server passes its own (one per thread that may hold a session)
READ_ONLY = "rapport_read_only"  # execution option marking a session that only reads
ID_MAX = 2**31 - 1  # ids are INTEGER: PostgreSQL refuses to compare with more, SQLite overflows at 2**63
WROTE = "rapport_wrote"  # connection info: this transaction ran a statement that may have changed a row
# Statements that change no row; anything else (INSERT, UPDATE, DELETE, WITH…, DDL) counts as a write.
_READS = ("SELECT", "BEGIN", "PRAGMA", "SAVEPOINT", "RELEASE", "ROLLBACK", "COMMIT", "SHOW", "SET ")
# Updates of queued messages alone (claimed, sent, put back, failed) do not count: a cron tick reads the outbox
# itself (storage/platform/horizon_peek.py), and every message sent would otherwise cost an UPDATE of the one
# counter row, which on PostgreSQL also holds each delivery's commit behind every other write (issue 10).
_OUTBOX_UPDATE = "UPDATE OUTBOX_MESSAGE "
# The change counter a cron tick compares (storage/platform/horizon.py; SQL here, so no import cycle).
COUNT_CHANGE = "UPDATE tick_horizon SET changes = changes + 1 WHERE id = 1"


def storable_id(value: int) -> bool:
    """Whether a row could have this id; a larger one typed by someone is simply not found."""
    return 0 < value <= ID_MAX



def make_engine(url: str, *, pool_size: int = POOL_SIZE) -> Engine:
    """Create an engine tuned for Rapport's database kinds, keeping up to `pool_size` connections open."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        in_memory = parsed.database in (None, "", ":memory:")
        pool: dict[str, Any] = {} if in_memory else {"pool_size": pool_size, "max_overflow": pool_size // 2}
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
                               **pool)
        event.listen(engine, "connect", _configure_sqlite)
        event.listen(engine, "begin", _forget_writes)
        event.listen(engine, "begin", _begin_sqlite)
    else:
        engine = create_engine(url, pool_pre_ping=True, pool_size=pool_size, max_overflow=pool_size // 2)
        event.listen(engine, "begin", _forget_writes)
    event.listen(engine, "before_cursor_execute", _note_write)
    return engine


def _forget_writes(conn: Connection) -> None:
    conn.info.pop(WROTE, None)


def _note_write(conn: Connection, _cursor: Any, statement: str, *_args: Any) -> None:
    if not conn.info.get(WROTE):
        start = statement.lstrip()[:22].upper()
        if not start.startswith(_READS) and not start.startswith(_OUTBOX_UPDATE):
            conn.info[WROTE] = True


class _UnitOfWork(Session):
    """A session whose commit moves the change counter when it wrote (an idle cron tick trusts that counter)."""


def _count_changes(session: Session) -> None:
    # Every write that can create due work commits here, so a cron tick that finds the counter where the
    # last full tick left it knows nothing changed. Flushed first: the commit's own flush writes too.
    if not session.in_transaction():
        return
    session.flush()
    connection = session.connection()
    if connection.info.get(WROTE) and _counts_changes(connection):
        connection.exec_driver_sql(COUNT_CHANGE)


def _counts_changes(connection: Connection) -> bool:
    """Whether the schema has the counter yet (a database being migrated may not); remembered once it has."""
    engine = connection.engine
    if engine.__dict__.get("_rapport_counts_changes"):
        return True
    found = inspect(connection).has_table("tick_horizon")
    if found:
        engine.__dict__["_rapport_counts_changes"] = True
    return found


event.listen(_UnitOfWork, "before_commit", _count_changes)


def _begin_sqlite(conn: Connection) -> None:
    # pysqlite's deferred BEGIN lets two writers both read and then fail on upgrade (SQLITE_BUSY
    # without waiting); BEGIN IMMEDIATE makes them queue. A session that only reads needs no write
    # lock: in WAL mode its deferred BEGIN reads a snapshot while writers carry on.
    read_only = conn.get_execution_options().get(READ_ONLY, False)
    conn.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def _configure_sqlite(dbapi_connection: Any, _record: Any) -> None:
    dbapi_connection.isolation_level = None  # let the "begin" hook issue BEGIN itself
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


class Database:
    """One engine and the unit-of-work helper used by handlers, tick and CLI."""

    def __init__(self, url: str, *, pool_size: int = POOL_SIZE) -> None:
        self.url = url
        self.engine = make_engine(url, pool_size=pool_size)
        self._reader = self.engine.execution_options(**{READ_ONLY: True})

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @contextmanager
    def session(self, *, read_only: bool = False) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error; `read_only` ones take no write lock."""
        with _UnitOfWork(self._reader if read_only else self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def dispose(self) -> None:
        """Close every pooled connection."""
        self.engine.dispose()


def _insert(session: Session) -> Any:
    """The INSERT of the session's dialect, which can skip rows that conflict with a unique key."""
    return postgresql.insert if session.get_bind().dialect.name == "postgresql" else sqlite.insert


def table_of(model: type[SQLModel]) -> Table:
    """The table a SQLModel table class maps to (SQLModel does not declare `__table__` for type checkers)."""
    table = inspect(model).local_table
    assert isinstance(table, Table), f"{model.__name__} is not a table model"
    return table


def insert_ignoring_conflicts(session: Session, model: type[SQLModel], values: dict[str, Any], *, key: str) -> bool:
    """Insert a row of `model` unless one with the same unique `key` exists; True if inserted."""
    statement = _insert_ignoring(table_of(model), key, session.get_bind().dialect.name)
    return session.execute(statement, values).first() is not None


@cache
def _insert_ignoring(table: Table, key: str, dialect: str) -> Executable:
    """The statement, built once per table: with the values passed apart, it is compiled once too (issue 10)."""
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    # RETURNING says whether a row went in on both dialects (psycopg may report rowcount -1).
    return insert(table).on_conflict_do_nothing(index_elements=[key]).returning(table.c[key])


def insert_new_id(session: Session, model: type[SQLModel], values: dict[str, Any], *,
                  keys: Sequence[str]) -> int | None:
    """Insert a row unless one with the same unique `keys` exists; the new row's id, or None."""
    statement = _insert(session)(model).values(**values).on_conflict_do_nothing(index_elements=list(keys))
    row = session.execute(statement.returning(inspect(model).primary_key[0])).first()
    return None if row is None else int(row[0])


def rows_changed(session: Session, statement: Executable) -> int:
    """Run an UPDATE or DELETE and say how many rows it changed."""
    result = session.execute(statement)
    assert isinstance(result, CursorResult)  # what a DML statement returns
    return result.rowcount


def earliest(session: Session, *columns: Any) -> datetime | None:
    """The earliest value in any of these (indexed, UTC datetime) columns; None when all are empty."""
    found = [session.execute(sa_select(func.min(column))).scalar() for column in columns]
    return min((moment for moment in found if moment is not None), default=None)
