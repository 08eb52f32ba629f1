"""Fixtures shared by the whole suite: databases (SQLite and PostgreSQL) and the Slack stand-in world."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import settings

from bot.sandbox.world import World
from storage.db import Database
from tests import databases

BACKENDS = ["sqlite", "postgresql"]

# CI draws the same examples on every run (HYPOTHESIS_PROFILE=ci in .ci/run), so whether a change lands does not
# hang on a lucky draw; runs elsewhere keep drawing new ones, and a failure they find prints how to reproduce it.
settings.register_profile("ci", derandomize=True, print_blob=True)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file, made once per test session."""
    return databases.sqlite_template(tmp_path_factory.mktemp("template"))


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """This worker's migrated PostgreSQL database, or a skip/fail saying why there is none."""
    reason = databases.postgres_unavailable_reason()
    if reason:
        if databases.REQUIRE_POSTGRES:
            pytest.fail(reason + " (RAPPORT_REQUIRE_POSTGRES=1)")
        pytest.skip(reason)
    url = databases.create_worker_database(os.environ.get("PYTEST_XDIST_WORKER", "main"))
    yield url
    databases.drop_database(url)


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest, sqlite_template: Path, tmp_path: Path) -> str:
    """An empty, migrated database of each kind, one per test."""
    if request.param == "sqlite":
        return databases.fresh_sqlite_url(sqlite_template, tmp_path)
    url: str = request.getfixturevalue("postgres_url")
    database = Database(url)
    databases.truncate_all(database)
    database.dispose()
    return url


@pytest.fixture
def db(database_url: str) -> Iterator[Database]:
    """The Database for this test."""
    database = Database(database_url)
    yield database
    database.dispose()


WORLD_START = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # Friday 27 Nov 2026, 10:00 in Shanghai


@pytest.fixture
def world(database_url: str) -> Iterator[World]:
    """Rapport on signed HTTP against the Slack stand-in, on each database kind."""
    with World(database_url, start=WORLD_START) as running:
        yield running


@pytest.fixture
def sqlite_world(sqlite_template: Path, tmp_path: Path) -> Iterator[World]:
    """Rapport on SQLite only, for tests about Slack behaviour rather than storage."""
    with World(databases.fresh_sqlite_url(sqlite_template, tmp_path), start=WORLD_START) as running:
        yield running
