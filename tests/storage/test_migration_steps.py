"""Every migration since 0018 goes down and up again cleanly, one step at a time, on both databases."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import inspect

from storage.db import Database
from storage.migrate import alembic_config, revisions
from storage.models import metadata
from tests import databases

BASE = "0018"  # the last revision before downgrades were tested step by step
VERSIONS = Path(__file__).resolve().parents[2] / "storage" / "migrations" / "versions"
# Revisions are numbered in order (a test of the chain keeps them so): every one after BASE, oldest first.
STEPS = sorted(path.name[:4] for path in VERSIONS.glob("[0-9][0-9][0-9][0-9]_*.py") if path.name[:4] > BASE)


@pytest.fixture(params=["sqlite", "postgresql"])
def own_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A migrated database of each kind that no other test shares (these tests take it down and up)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'steps.db'}"
        command.upgrade(alembic_config(url), "head")
        yield url
        return
    reason = databases.postgres_unavailable_reason()
    if reason:
        if databases.REQUIRE_POSTGRES:
            pytest.fail(reason + " (RAPPORT_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)
    url = databases.create_worker_database("steps")
    yield url
    databases.drop_database(url)


Schema = dict[str, tuple[tuple[str, ...], tuple[str, ...]]]  # table: (its columns, its indexes)


def _state(url: str) -> tuple[str | None, Schema]:
    """The database's revision, and each table's columns and indexes."""
    database = Database(url)
    try:
        current, _head = revisions(database.engine)
        seen = inspect(database.engine)
        schema = {table: (tuple(sorted(column["name"] for column in seen.get_columns(table))),
                          tuple(sorted(str(index["name"]) for index in seen.get_indexes(table))))
                  for table in seen.get_table_names()}
        return current, schema
    finally:
        database.dispose()


def test_each_new_migration_downgrades_and_upgrades_again(own_database):
    config = alembic_config(own_database)
    _current, head = revisions_of(own_database)
    assert head == STEPS[-1]
    tables = {STEPS[-1]: _state(own_database)[1]}
    for revision, below in zip(reversed(STEPS), [*reversed(STEPS[:-1]), BASE], strict=True):
        command.downgrade(config, below)
        current, shown = _state(own_database)
        assert current == below
        tables[below] = shown
        assert shown != tables[revision], f"downgrading {revision} changed nothing"
    for revision in STEPS:
        command.upgrade(config, revision)
        assert _state(own_database) == (revision, tables[revision])
    database = Database(own_database)
    try:
        with database.engine.connect() as connection:
            differences = compare_metadata(MigrationContext.configure(connection, opts={"compare_type": True}),
                                           metadata)
        assert differences == []
    finally:
        database.dispose()


def revisions_of(url: str) -> tuple[str | None, str]:
    """(the database's revision, the newest this code knows)."""
    database = Database(url)
    try:
        return revisions(database.engine)
    finally:
        database.dispose()
