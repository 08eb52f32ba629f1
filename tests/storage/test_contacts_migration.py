"""Migration 0004 starts the contact clock of accounts that existed before it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import text
from sqlmodel import select

from storage.accounts import Account
from storage.db import Database
from storage.migrate import upgrade

CREATED = datetime(2026, 10, 1, 8, 0, tzinfo=UTC)


def test_existing_accounts_go_cold_a_cadence_after_they_were_created(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    upgrade(url, "0003")
    database = Database(url)
    with database.engine.begin() as connection:
        for name, tier in (("Acme", "key"), ("Globex", "standard")):
            connection.execute(text(
                "INSERT INTO account (name, name_key, kind, tier, created_by, created_at, customer_ack, survey_by_dm) "
                "VALUES (:name, :key, 'customer', :tier, 'U0ALICE', :created, 0, 0)"),
                {"name": name, "key": name.lower(), "tier": tier, "created": CREATED.replace(tzinfo=None)})
    upgrade(url)
    with database.session() as session:
        due = {a.name: a.contact_due_at for a in session.exec(select(Account))}
    database.dispose()
    assert due == {"Acme": CREATED + timedelta(days=14), "Globex": CREATED + timedelta(days=30)}
