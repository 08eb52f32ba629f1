"""Alembic environment: runs migrations against the URL given by storage.migrate."""

from alembic import context
from sqlalchemy import Connection, create_engine, pool

from storage.models import metadata

config = context.config


def run_migrations() -> None:
    """Run migrations online, in one transaction."""
    connectable = config.attributes.get("connection")
    if connectable is None:
        url = config.get_main_option("sqlalchemy.url")
        assert url, "storage.migrate sets sqlalchemy.url"
        engine = create_engine(url, poolclass=pool.NullPool)
        with engine.connect() as connection:
            _run(connection)
        engine.dispose()
    else:
        _run(connectable)


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=metadata, render_as_batch=True, compare_type=True)
    with context.begin_transaction():
        context.run_migrations()


run_migrations()
