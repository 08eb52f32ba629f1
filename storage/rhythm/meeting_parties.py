"""Multi-party meetings (召集多方会议): the other accounts a meeting invites, and their named people."""

from __future__ import annotations

from sqlalchemy import Column
from sqlmodel import Field, Session, SQLModel, col, select

from storage.types import JSONData


class MeetingParty(SQLModel, table=True):
    """One more account invited to a meeting (beside the meeting's own), and its people to remind by DM."""

    __tablename__ = "meeting_party"

    meeting_id: int = Field(foreign_key="meeting.id", primary_key=True)
    account_id: int = Field(foreign_key="account.id", primary_key=True)
    position: int = 0
    people: list[str] = Field(default_factory=list, sa_column=Column(JSONData, nullable=False))


def add_parties(session: Session, *, meeting_id: int, parties: list[tuple[int, list[str]]]) -> None:
    """Store the accounts a meeting also invites, in the order given, each with its named people."""
    session.add_all([MeetingParty(meeting_id=meeting_id, account_id=account_id, position=position, people=people)
                     for position, (account_id, people) in enumerate(parties)])
    session.flush()


def list_parties(session: Session, *, meeting_id: int) -> list[MeetingParty]:
    """The accounts a meeting also invites, in the order they were named."""
    query = select(MeetingParty).where(MeetingParty.meeting_id == meeting_id).order_by(col(MeetingParty.position))
    return list(session.exec(query))
