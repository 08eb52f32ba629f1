"""Praise given by colleagues and customers, and who received it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, Text, UniqueConstraint, bindparam, func, insert
from sqlalchemy import select as sa_select
from sqlmodel import Field, Session, SQLModel, col, select

from storage.db import table_of
from storage.types import UTCDateTime


class Praise(SQLModel, table=True):
    """A commendation: who gave it, why, and (for customer praise) which account."""

    __tablename__ = "praise"
    __table_args__ = (UniqueConstraint("source_channel_id", "source_ts", name="uq_praise_source"),)

    id: int | None = Field(default=None, primary_key=True)
    giver_id: str = Field(max_length=32, index=True)
    logged_by: str = Field(max_length=32)
    reason: str = Field(sa_column=Column(Text, nullable=False))
    account_id: int | None = Field(default=None, foreign_key="account.id", index=True)
    source_channel_id: str | None = Field(default=None, max_length=32)
    source_ts: str | None = Field(default=None, max_length=32)
    created_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False, index=True))


class PraiseReceiver(SQLModel, table=True):
    """One person or user group a praise is for."""

    __tablename__ = "praise_receiver"

    id: int | None = Field(default=None, primary_key=True)
    praise_id: int = Field(foreign_key="praise.id", index=True)
    user_id: str | None = Field(default=None, max_length=32, index=True)
    usergroup_id: str | None = Field(default=None, max_length=32)
    usergroup_handle: str | None = Field(default=None, max_length=80)


def add_praise(session: Session, *, giver_id: str, logged_by: str, reason: str, created_at: datetime,
               account_id: int | None = None, source: tuple[str, str] | None = None, users: list[str],
               groups: list[tuple[str, str]]) -> int:
    """Store a praise (from a message: `source` is its channel and ts) and whom it is for (users, then
    (user group id, handle)); the new praise's id."""
    # Core statements built once, values passed apart, no model object: /praise runs this on a listener
    # thread for every request, and the ORM's unit of work, per-call statement building and the model's
    # constructor cost more CPU than the statements themselves (issue 10).
    praise_id = int(session.execute(_INSERT_PRAISE, {
        "giver_id": giver_id, "logged_by": logged_by, "reason": reason, "account_id": account_id,
        "source_channel_id": source[0] if source else None, "source_ts": source[1] if source else None,
        "created_at": created_at}).scalar_one())
    receivers = [{"praise_id": praise_id, "user_id": user_id, "usergroup_id": None, "usergroup_handle": None}
                 for user_id in users]
    receivers += [{"praise_id": praise_id, "user_id": None, "usergroup_id": group_id, "usergroup_handle": handle}
                  for group_id, handle in groups]
    if receivers:
        session.execute(_INSERT_RECEIVER, receivers)
    return praise_id


def count_given_since(session: Session, *, giver_id: str, since: datetime) -> int:
    """How many praises a person has given since a moment."""
    return int(session.execute(_COUNT_GIVEN, {"giver_id": giver_id, "since": since}).scalar_one())


_PRAISE = table_of(Praise)
_INSERT_PRAISE = insert(_PRAISE).returning(_PRAISE.c.id)
_INSERT_RECEIVER = insert(table_of(PraiseReceiver))
_COUNT_GIVEN = (sa_select(func.count()).select_from(_PRAISE)
                .where(_PRAISE.c.giver_id == bindparam("giver_id"), _PRAISE.c.created_at >= bindparam("since")))


def get_praise_from_message(session: Session, *, channel_id: str, ts: str) -> Praise | None:
    """The praise already logged from a Slack message, if any."""
    query = select(Praise).where(Praise.source_channel_id == channel_id, Praise.source_ts == ts)
    return session.exec(query).first()


def top_receivers(session: Session, *, since: datetime,
                  limit: int = 10) -> list[tuple[str | None, str | None, str | None, int]]:
    """(user_id, usergroup_id, usergroup_handle, count) with the most praise since a moment."""
    count = func.count(col(PraiseReceiver.id)).label("n")
    query = (
        select(PraiseReceiver.user_id, PraiseReceiver.usergroup_id, func.max(PraiseReceiver.usergroup_handle), count)
        .join(Praise, col(Praise.id) == col(PraiseReceiver.praise_id))
        .where(Praise.created_at >= since)
        .group_by(col(PraiseReceiver.user_id), col(PraiseReceiver.usergroup_id))
        .order_by(count.desc(), col(PraiseReceiver.user_id), col(PraiseReceiver.usergroup_id))
        .limit(limit)
    )
    return [(user, group, handle, n) for user, group, handle, n in session.exec(query)]


def count_praise_for_account(session: Session, *, account_id: int, since: datetime | None = None,
                             until: datetime | None = None) -> int:
    """Praise from one account's people (given from `since` to before `until`, when given)."""
    query = select(func.count()).select_from(Praise).where(Praise.account_id == account_id)
    if since is not None:
        query = query.where(Praise.created_at >= since)
    if until is not None:
        query = query.where(Praise.created_at < until)
    return session.exec(query).one()


def list_account_praise(session: Session, *, account_id: int, since: datetime, until: datetime,
                        limit: int) -> list[Praise]:
    """Praise from one account's people from `since` to before `until`, oldest first."""
    query = (select(Praise).where(Praise.account_id == account_id, col(Praise.created_at) >= since,
                                  col(Praise.created_at) < until)
             .order_by(col(Praise.created_at), col(Praise.id)).limit(limit))
    return list(session.exec(query))


def list_receivers(session: Session, *, praise_ids: list[int]) -> dict[int, list[PraiseReceiver]]:
    """Whom each of these praises is for, in the order named (one query)."""
    if not praise_ids:
        return {}
    query = (select(PraiseReceiver).where(col(PraiseReceiver.praise_id).in_(praise_ids))
             .order_by(col(PraiseReceiver.id)))
    receivers: dict[int, list[PraiseReceiver]] = {}
    for receiver in session.exec(query):
        receivers.setdefault(receiver.praise_id, []).append(receiver)
    return receivers


def count_account_receivers(session: Session, *, account_id: int, since: datetime, until: datetime) -> int:
    """How many different people and groups one account's people praised from `since` to before `until`."""
    who = func.coalesce(PraiseReceiver.user_id, PraiseReceiver.usergroup_id)
    query = (select(func.count(func.distinct(who)))
             .join(Praise, col(Praise.id) == col(PraiseReceiver.praise_id))
             .where(Praise.account_id == account_id, col(Praise.created_at) >= since, col(Praise.created_at) < until))
    return int(session.exec(query).one())
