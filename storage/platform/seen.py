"""Requests already accepted, remembered while their signature is still valid, so a replay does nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Connection, CursorResult, delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Field, Session, SQLModel, col

from storage.db import table_of
from storage.types import UTCDateTime


class SeenRequest(SQLModel, table=True):
    """One accepted request (a hash of its signature, or a Slack event id) and when it may be forgotten."""

    __tablename__ = "seen_request"

    key: str = Field(primary_key=True, max_length=80)
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))


def remember_all(connection: Connection, keys: dict[str, datetime], *, now: datetime) -> bool:
    """Remember every key until its moment, in one statement; False when any is remembered and not yet expired.

    One round trip (an autocommit connection needs no BEGIN or COMMIT): a key that is new goes in, a key
    whose memory has expired is taken over, and RETURNING names both, so a replay is a missing row.
    """
    table = table_of(SeenRequest)
    insert = (postgresql.insert if connection.dialect.name == "postgresql" else sqlite.insert)(table)
    rows = insert.values([{"key": key, "expires_at": until} for key, until in keys.items()])
    statement = rows.on_conflict_do_update(
        index_elements=["key"], set_={"expires_at": rows.excluded.expires_at}, where=table.c.expires_at <= now,
    ).returning(table.c.key)
    return len(connection.execute(statement).all()) == len(keys)


def forget_expired(session: Session | Connection, *, now: datetime) -> int:
    """Delete what no longer needs remembering; how many rows went."""
    result = session.execute(delete(SeenRequest).where(col(SeenRequest.expires_at) <= now))
    assert isinstance(result, CursorResult)  # what a DELETE returns
    return result.rowcount
