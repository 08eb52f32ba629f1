"""Steps shared by the meeting, agreement and action item tests: commands, ticks at a local time, what people see."""

from __future__ import annotations

import threading
from datetime import datetime
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy import func, inspect
from sqlmodel import Session, SQLModel, select

from bot.platform.scheduler import tick
from bot.sandbox.world import World
from storage.accounts import Account, get_account_by_name
from storage.platform.audit import AuditLog
from tests.expect import full_text, run

SHANGHAI = ZoneInfo("Asia/Shanghai")
ALICE, BOB, CAROL, ERIN = "U0ALICE", "U0BOB", "U0CAROL", "U0ERIN"
SHARED = "#acme-shared"
T = TypeVar("T", bound=SQLModel)


def local(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    """A moment in the team's zone (Asia/Shanghai)."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)




def add_acme(world: World) -> None:
    """Acme Corp, owned by alice, with #acme-shared (Slack Connect) linked to it."""
    run(world, ALICE, "#general", "/account", "add Acme Corp customer")
    run(world, ALICE, SHARED, "/account", "link Acme Corp")


def at(world: World, moment: datetime) -> None:
    """Move the clock to a moment and run one tick there."""
    world.clock.set(moment)
    report = world.tick(moment)
    assert report.errors == [], report.errors


def two_ticks_at_once(world: World, moment: datetime) -> None:
    """Two scheduler passes at the same moment in two threads, as two processes would run them."""
    world.clock.set(moment)
    barrier = threading.Barrier(2)
    errors: list[list[str]] = []

    def one() -> None:
        barrier.wait()
        errors.append(tick(world.services, moment).errors)

    threads = [threading.Thread(target=one) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [[], []]


def dms(world: World, user: str, containing: str = "") -> list[str]:
    """The texts of the bot's DMs to a person (as edited last), optionally only those containing a phrase."""
    return [full_text(m) for m in world.stand_in.dm_messages(user) if containing in full_text(m)]


def reminder_dms(world: World, user: str, containing: str = "") -> list[str]:
    """The bot's DMs to a person but the drafted service report's (its message, files and submitted edit)."""
    return [full_text(m) for m in world.stand_in.dm_messages(user)
            if not m.get("files") and containing in full_text(m)
            and not any(mark in full_text(m) for mark in ("is drafted from the record", "✅ Submitted by"))]


def audit_count(world: World, action: str) -> int:
    """How many audit rows an action wrote."""
    with world.services.db.session() as session:
        return session.exec(select(func.count()).select_from(AuditLog).where(AuditLog.action == action)).one()


def rows(world: World, table: type[T]) -> list[T]:
    """Every row of a table, by id."""
    with world.services.db.session() as session:
        return list(session.exec(select(table).order_by(*inspect(table).primary_key)))


def acme(session: Session) -> Account:
    """Acme Corp, as add_acme stored it."""
    account = get_account_by_name(session, name="Acme Corp")
    assert account is not None
    return account


def replay(world: World, payload: dict[str, Any]) -> None:
    """Send the same interaction payload again, as Slack does for a second click."""
    world.slack.click_again(payload)
