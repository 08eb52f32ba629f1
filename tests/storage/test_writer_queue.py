"""SQLite's writers queue in the process (storage/db.py): in turn, every write kept, and a turn always given back."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from storage.db import Database
from tests import databases

WAIT = 5.0  # far below SQLite's own 10 s busy timeout: a turn never given back would show as a hang


@pytest.fixture
def sqlite_db(sqlite_template: Path, tmp_path: Path) -> Iterator[Database]:
    database = Database(databases.fresh_sqlite_url(sqlite_template, tmp_path))
    with database.engine.begin() as connection:
        connection.execute(text("CREATE TABLE note (id INTEGER PRIMARY KEY, body TEXT NOT NULL)"))
    yield database
    database.dispose()


def _write(database: Database, body: str) -> None:
    with database.session() as session:
        session.execute(text("INSERT INTO note (body) VALUES (:body)"), {"body": body})


def _bodies(database: Database) -> list[str]:
    with database.session(read_only=True) as session:
        return [row[0] for row in session.execute(text("SELECT body FROM note ORDER BY id"))]


def _in_thread(target: object, *args: object) -> threading.Thread:
    thread = threading.Thread(target=target, args=args)  # type: ignore[arg-type]
    thread.start()
    return thread


def test_a_second_writer_waits_for_the_first_to_commit_and_both_writes_are_kept(sqlite_db: Database) -> None:
    first_wrote, go_on = threading.Event(), threading.Event()

    def slow_writer() -> None:
        with sqlite_db.session() as session:
            session.execute(text("INSERT INTO note (body) VALUES ('first')"))
            first_wrote.set()
            go_on.wait(WAIT)

    slow = _in_thread(slow_writer)
    assert first_wrote.wait(WAIT)
    second = _in_thread(_write, sqlite_db, "second")
    second.join(0.2)
    assert second.is_alive()  # waiting for its turn
    assert _bodies(sqlite_db) == []  # a reader is not held up, and sees nothing uncommitted
    go_on.set()
    slow.join(WAIT)
    second.join(WAIT)
    assert _bodies(sqlite_db) == ["first", "second"]


def test_a_writer_that_failed_gives_its_turn_back(sqlite_db: Database) -> None:
    with pytest.raises(RuntimeError), sqlite_db.session() as session:
        session.execute(text("INSERT INTO note (body) VALUES ('rolled back')"))
        raise RuntimeError("a rule refused it")
    writer = _in_thread(_write, sqlite_db, "after the failure")
    writer.join(WAIT)
    assert not writer.is_alive()
    assert _bodies(sqlite_db) == ["after the failure"]


def test_a_connection_closed_mid_transaction_gives_its_turn_back(sqlite_db: Database) -> None:
    connection = sqlite_db.engine.connect()
    connection.execute(text("INSERT INTO note (body) VALUES ('never committed')"))
    connection.close()
    writer = _in_thread(_write, sqlite_db, "next")
    writer.join(WAIT)
    assert not writer.is_alive()
    assert _bodies(sqlite_db) == ["next"]


def test_many_writers_at_once_all_land(sqlite_db: Database) -> None:
    writers = [_in_thread(_write, sqlite_db, f"note {number}") for number in range(24)]
    for writer in writers:
        writer.join(WAIT * 2)
    assert sorted(_bodies(sqlite_db)) == sorted(f"note {number}" for number in range(24))
