"""The schema's version without loading Alembic: what the database is at, and the newest migration this code has.

A cron tick and a health check ask this at every run; Alembic (a quarter of a second to import) is only loaded
when the two differ and something must be upgraded or explained (storage/migrate.py).
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, inspect, text

from storage.migration_heads import VERSIONS, code_head

__all__ = ["VERSIONS", "code_head", "database_revision", "is_current"]


def database_revision(connection: Connection) -> str | None:
    """The migration the database is at (None for an empty one)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def is_current(engine: Engine) -> bool:
    """True when the database is at this code's newest migration."""
    with engine.connect() as connection:
        return code_head() is not None and database_revision(connection) == code_head()
