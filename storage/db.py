"""Engine and unit of work: SQLite (WAL, busy timeout) or PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from sqlalchemy import CursorResult, Engine, Executable, Table, create_engine, event, func, inspect
from sqlalchemy import select as sa_select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlmodel import Session, SQLModel

SQLITE_BUSY_TIMEOUT_MS = 10_000
ID_MAX = 2**31 - 1  # ids are INTEGER: PostgreSQL refuses to compare with more, SQLite overflows at 2**63


def storable_id(value: int) -> bool:
    """Whether a row could have this id; a larger one typed by someone is simply not found."""
    return 0 < value <= ID_MAX



def make_engine(url: str) -> Engine:
    """Create an engine tuned for Rapport's database kinds."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False})
        event.listen(engine, "connect", _configure_sqlite)
        # pysqlite's deferred BEGIN lets two writers both read and then fail on
        # upgrade (SQLITE_BUSY without waiting); BEGIN IMMEDIATE makes them queue.
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN IMMEDIATE"))
        return engine
    return create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)


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

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)

    @property
    def dialect(self) -> str:
        """'sqlite' or 'postgresql'."""
        return self.engine.dialect.name

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on any error."""
        with Session(self.engine, expire_on_commit=False) as session:
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
    table = table_of(model)
    statement = _insert(session)(table).values(**values).on_conflict_do_nothing(index_elements=[key])
    # RETURNING says whether a row went in on both dialects (psycopg may report rowcount -1).
    return session.execute(statement.returning(table.c[key])).first() is not None


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
