"""People as Slack last described them: time zone and language, so a tick need not ask Slack again."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column
from sqlmodel import Field, Session, SQLModel, col, select

from storage.db import insert_ignoring_conflicts
from storage.types import UTCDateTime


class Person(SQLModel, table=True):
    """One Slack user: who they are (team), where (time zone) and which language they read."""

    __tablename__ = "person"

    user_id: str = Field(primary_key=True, max_length=32)
    team_id: str = Field(default="", max_length=32)
    name: str = Field(default="", max_length=200)
    tz: str | None = Field(default=None, max_length=64)
    locale: str | None = Field(default=None, max_length=16)
    is_bot: bool = False
    refreshed_at: datetime = Field(sa_column=Column(UTCDateTime, nullable=False))


def list_people(session: Session) -> list[Person]:
    """Everyone Rapport has looked up."""
    return list(session.exec(select(Person)))


def get_person(session: Session, *, user_id: str) -> Person | None:
    """One person, if Rapport has looked them up."""
    return session.get(Person, user_id)


def save_person(session: Session, *, user_id: str, team_id: str, name: str, tz: str | None, locale: str | None,
                is_bot: bool, refreshed_at: datetime) -> None:
    """Record what Slack said about a person (insert or update)."""
    values = {"user_id": user_id, "team_id": team_id, "name": name[:200], "tz": tz, "locale": locale,
              "is_bot": is_bot, "refreshed_at": refreshed_at}
    if not insert_ignoring_conflicts(session, Person, values, key="user_id"):
        person = session.get(Person, user_id)
        assert person is not None  # the conflict says it is there
        for name_, value in values.items():
            setattr(person, name_, value)
        session.add(person)


def names_of(session: Session, *, user_ids: set[str]) -> dict[str, str]:
    """The names Slack last gave for these people (those Rapport has looked up and that have one), in one query."""
    if not user_ids:
        return {}
    query = select(Person.user_id, Person.name).where(col(Person.user_id).in_(user_ids))
    return {user_id: name for user_id, name in session.exec(query) if name}
