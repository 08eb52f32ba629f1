"""The quick schema check (no Alembic) agrees with Alembic."""

from __future__ import annotations

from sqlalchemy import text

from storage.migrate import revisions
from storage.schema_version import code_head, database_revision, is_current


def test_the_quick_check_reads_the_same_head_and_revision_as_alembic(db):
    current, head = revisions(db.engine)
    assert code_head() == head
    assert is_current(db.engine) == (current == head)
    with db.engine.connect() as connection:
        assert database_revision(connection) == current
    try:
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
        assert not is_current(db.engine)
    finally:  # PostgreSQL's database is shared by the tests of one worker
        with db.engine.begin() as connection:
            connection.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": current})
