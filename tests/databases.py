"""Test databases: a migrated SQLite file per test, and a PostgreSQL database per test worker."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import psycopg
from sqlalchemy import text
from sqlalchemy.engine import URL, make_url

from storage.db import Database
from storage.migrate import upgrade
from storage.models import metadata

POSTGRES_ADMIN_URL = os.environ.get("RAPPORT_TEST_POSTGRES_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REQUIRE_POSTGRES = os.environ.get("RAPPORT_REQUIRE_POSTGRES") == "1"


def sqlite_template(directory: Path) -> Path:
    """A migrated SQLite file to copy for each test (migrating once is much faster)."""
    template = directory / "template.db"
    if not template.exists():
        upgrade(f"sqlite:///{template}")
    return template


def fresh_sqlite_url(template: Path, directory: Path) -> str:
    """A new database file copied from the migrated template."""
    target = directory / "rapport.db"
    shutil.copy(template, target)
    return f"sqlite:///{target}"


def postgres_unavailable_reason() -> str | None:
    """Why PostgreSQL cannot be used, or None when it can."""
    url = make_url(POSTGRES_ADMIN_URL)
    try:
        with psycopg.connect(_libpq(url), connect_timeout=3):
            return None
    except psycopg.Error as exc:
        return (f"PostgreSQL not reachable at {url.host}:{url.port} ({exc.__class__.__name__}); start it, "
                "or set RAPPORT_TEST_POSTGRES_URL")


def _libpq(url: URL) -> str:
    return url.set(drivername="postgresql").render_as_string(hide_password=False)


def create_worker_database(worker: str) -> str:
    """Create and migrate a database of this test process's own; return its URL."""
    admin = make_url(POSTGRES_ADMIN_URL)
    # The pid keeps parallel test runs (xdist workers, or two developers' runs) out of each other's way.
    name = f"rapport_test_{worker}_{os.getpid()}"
    with psycopg.connect(_libpq(admin), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    url = admin.set(database=name).render_as_string(hide_password=False)
    upgrade(url)
    return url


def drop_database(url: str) -> None:
    """Drop a test database made by create_worker_database."""
    admin = make_url(POSTGRES_ADMIN_URL)
    with psycopg.connect(_libpq(admin), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)')


def truncate_all(database: Database) -> None:
    """Empty every table (PostgreSQL), so each test starts clean without re-migrating."""
    names = ", ".join(f'"{table.name}"' for table in metadata.sorted_tables)
    with database.engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
