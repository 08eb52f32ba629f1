"""Alembic migrations, run from code: `rapport db upgrade`, and checks at start-up."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util import CommandError
from sqlalchemy import Engine

MIGRATIONS = Path(__file__).parent / "migrations"


class SchemaError(Exception):
    """The database schema cannot be used by this version of Rapport."""


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at our migrations and `url`."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade(url: str, revision: str = "head") -> None:
    """Apply migrations up to `revision`."""
    command.upgrade(alembic_config(url), revision)


def revisions(engine: Engine) -> tuple[str | None, str]:
    """(the database's revision, the newest this code knows)."""
    script = ScriptDirectory.from_config(alembic_config(engine.url.render_as_string(hide_password=False)))
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
    head = script.get_current_head()
    assert head is not None, "storage/migrations/versions holds no migration"
    return current, head


def _known(engine: Engine, revision: str) -> bool:
    script = ScriptDirectory.from_config(alembic_config(engine.url.render_as_string(hide_password=False)))
    try:
        return script.get_revision(revision) is not None
    except CommandError:
        return False


def _refuse_unknown(engine: Engine, current: str | None) -> None:
    if current is not None and not _known(engine, current):
        raise SchemaError(
            f"the database is at migration {current}, which this version of Rapport does not know "
            "(was it upgraded by a newer release?). Run the matching release, or restore a backup."
        )


def ensure_current(engine: Engine) -> str:
    """Upgrade an empty or outdated database; refuse one newer than this code. Returns what was done."""
    current, head = revisions(engine)
    if current == head:
        return f"up to date (at {head})"
    _refuse_unknown(engine, current)
    upgrade(engine.url.render_as_string(hide_password=False))
    return f"upgraded from {current or 'empty'} to {head}"


def require_current(engine: Engine) -> None:
    """Refuse, saying how to upgrade, a database this code cannot read as it is; change nothing."""
    current, head = revisions(engine)
    if current == head:
        return
    _refuse_unknown(engine, current)
    found = "is empty" if current is None else f"is at migration {current}"
    raise SchemaError(f"the database {found}; this release needs migration {head}: run `rapport db upgrade` first")
