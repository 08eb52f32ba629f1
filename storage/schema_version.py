"""The schema's version without loading Alembic: what the database is at, and the newest migration this code has.

A cron tick and a health check ask this at every run; Alembic (a quarter of a second to import) is only loaded
when the two differ and something must be upgraded or explained (storage/migrate.py).
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

from sqlalchemy import Connection, Engine, inspect, text

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_REVISION = re.compile(r"""^revision\s*(?::[^=]*)?=\s*['"]([^'"]+)['"]""", re.MULTILINE)
_DOWN = re.compile(r"""^down_revision\s*(?::[^=]*)?=\s*['"]([^'"]+)['"]""", re.MULTILINE)


@cache
def code_head() -> str | None:
    """The newest migration in storage/migrations/versions: the one no other revises (None if not exactly one)."""
    revisions, revised = set(), set()
    for script in VERSIONS.glob("*.py"):
        source = script.read_text(encoding="utf-8")
        if found := _REVISION.search(source):
            revisions.add(found.group(1))
        revised.update(_DOWN.findall(source))
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None


def database_revision(connection: Connection) -> str | None:
    """The migration the database is at (None for an empty one)."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


def is_current(engine: Engine) -> bool:
    """True when the database is at this code's newest migration."""
    with engine.connect() as connection:
        return code_head() is not None and database_revision(connection) == code_head()
