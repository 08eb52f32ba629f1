"""Requests already accepted, remembered while their signature is still valid, so a replay does nothing."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, delete, update
from sqlmodel import Field, Session, SQLModel, col

from storage.db import insert_ignoring_conflicts, rows_changed
from storage.types import UTCDateTime


class SeenRequest(SQLModel, table=True):
    """One accepted request (a hash of its signature, or a Slack event id) and when it may be forgotten."""

    __tablename__ = "seen_request"

    key: str = Field(primary_key=True, max_length=80)
    expires_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))


def remember(session: Session, *, key: str, now: datetime, until: datetime) -> bool:
    """Remember `key` until `until`; False when it is remembered already (a replay)."""
    if insert_ignoring_conflicts(session, SeenRequest, {"key": key, "expires_at": until}, key="key"):
        return True
    # A row past its expiry proves nothing any more: take it over in one statement, so only one process can.
    taken = update(SeenRequest).where(col(SeenRequest.key) == key, col(SeenRequest.expires_at) <= now)
    return rows_changed(session, taken.values(expires_at=until)) == 1


def forget_expired(session: Session, *, now: datetime) -> int:
    """Delete what no longer needs remembering; how many rows went."""
    return rows_changed(session, delete(SeenRequest).where(col(SeenRequest.expires_at) <= now))
