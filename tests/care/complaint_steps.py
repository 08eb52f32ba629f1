"""What a person does and sees around complaints, for the end-to-end tests: Acme Corp, its channels, its cards."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from bot.sandbox.world import World
from storage.care.complaints import Complaint
from storage.platform.audit import AuditLog
from tests.expect import full_text, last_ephemeral_text, posts_in, run

INTERNAL = "C0ACMEINT"
ESCALATIONS = "C0ESCAL"
SHARED = "C0ACMESHR"




def click(world: World, user: str, label: str, channel: str = INTERNAL) -> str:
    """Press a button on the card and return the note the presser gets."""
    seen = len(world.stand_in.ephemerals(user=user))
    world.slack.click(user, label, channel)
    return last_ephemeral_text(world, user, count=seen + 1)


def setup_acme(world: World, **settings: str) -> None:
    """Acme Corp, owned by Alice, linked to #acme-shared, cards in #acme-internal."""
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    run(world, "U0ALICE", "#acme-shared", "/account", "link Acme Corp")
    run(world, "U0ALICE", "#general", "/account", "set Acme Corp channel #acme-internal")
    for key, value in settings.items():
        run(world, "U0ALICE", "#general", "/account", f"set Acme Corp {key} {value}")


def card(world: World, number: int = 1) -> dict[str, Any]:
    """The card of complaint #number in the internal channel."""
    cards = [m for m in posts_in(world, INTERNAL) if f"Complaint #{number} ·" in m["text"]]
    assert len(cards) == 1, world.stand_in.render_channel(INTERNAL)
    return cards[0]


def wait_for_card(world: World, number: int = 1, *, edits: int = 0, showing: str = "") -> dict[str, Any]:
    """Wait until the card has been edited `edits` times and shows `showing`."""
    def ready() -> dict[str, Any]:
        found = card(world, number)
        assert len(found["edits"]) >= edits and showing in full_text(found)  # not yet: wait_for tries again
        return found
    return world.stand_in.wait_for(ready)


def complaints(world: World) -> list[Complaint]:
    with world.services.db.session() as session:
        return list(session.exec(select(Complaint).order_by(col(Complaint.id))))


def audit_rows(world: World, action: str) -> int:
    with world.services.db.session() as session:
        return session.exec(select(func.count()).select_from(AuditLog).where(AuditLog.action == action)).one()


def texts(messages: list[dict[str, Any]]) -> list[str]:
    return [full_text(m) for m in messages]


def buttons(message: dict[str, Any]) -> list[str]:
    """The labels of a message's buttons, in order."""
    return [element["text"]["text"] for block in message["blocks"] if block["type"] == "actions"
            for element in block["elements"]]
