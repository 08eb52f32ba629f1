"""Migrations build exactly the schema the models describe, on both databases."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext

from storage.migrate import ensure_current, require_current, revisions
from storage.models import metadata


def test_migrated_schema_matches_the_models(db):
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"compare_type": True})
        differences = compare_metadata(context, metadata)
    assert differences == []


def test_a_migrated_database_is_reported_up_to_date(db):
    current, head = revisions(db.engine)
    assert current == head
    assert ensure_current(db.engine) == f"up to date (at {head})"
    require_current(db.engine)  # nothing to say


def test_a_database_from_a_newer_release_is_refused_with_advice(db):
    import pytest
    from sqlalchemy import text

    from storage.migrate import SchemaError

    _, head = revisions(db.engine)
    with db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = 'f00dcafe'"))
    try:
        with pytest.raises(SchemaError, match="does not know"):
            ensure_current(db.engine)
        with pytest.raises(SchemaError, match="does not know"):
            require_current(db.engine)
    finally:  # PostgreSQL's database is shared by the tests of one worker: /healthz reads the version
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
