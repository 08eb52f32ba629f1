"""`rapport forget <user>`: a person's captured words and name leave Rapport; the counts stay.

Captured messages they wrote lose their text and author (they still count as inbound or outbound, and
their clocks as answered or not); clocks they stopped lose who stopped them; touchpoints lose the
customer's name, and those logged from the customer's own message lose its words. The audit row says
how much was forgotten, not whom.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.platform.errors import InvalidInput
from storage.care import capture, contacts
from storage.platform.audit import record_change

FORGOTTEN = "(forgotten)"
OPERATOR = "cli"


@dataclass(frozen=True)
class Forgotten:
    """How many rows lost the person's words or name."""

    messages: int
    touchpoints: int


def forget_person(session: Session, *, user_id: str, now: datetime) -> Forgotten:
    """Remove one person's captured text and names, keeping every aggregate."""
    user_id = user_id.strip()
    if not user_id or user_id[0] not in "UW" or not user_id.isalnum():
        raise InvalidInput(f"“{user_id}” is not a Slack user ID (such as U0123ABCD).")
    forgotten = Forgotten(messages=capture.forget_person(session, user_id=user_id),
                          touchpoints=contacts.forget_customer(session, user_id=user_id, placeholder=FORGOTTEN))
    record_change(session, actor_id=OPERATOR, action="person.forget", object_type="person", object_id=None, at=now,
                  after={"messages": forgotten.messages, "touchpoints": forgotten.touchpoints})
    return forgotten
