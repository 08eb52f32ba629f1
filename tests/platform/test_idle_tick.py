"""An idle cron tick exits early only when the last full tick vouched for the present state (issue 10)."""

from __future__ import annotations

import ast
import sqlite3
from datetime import timedelta
from pathlib import Path

from sqlalchemy import text
from sqlmodel import select

from bot.care.cards import PraiseCard
from bot.platform import outbox
from bot.platform.idle import idle_until
from bot.platform.scheduler import TickReport
from bot.sandbox.commands import Sandbox
from bot.sandbox.terminal import find_script
from storage.platform.horizon import TickHorizon, current_changes
from storage.platform.outbox import add_message
from tests.expect import run

ROOT = Path(__file__).resolve().parents[2]
# The only places that reach the database outside the unit of work (storage/db.py), and why none creates due work.
RAW_CONNECTIONS = {
    "storage/db.py",  # the unit of work itself
    "storage/platform/horizon.py",  # the horizon write, which must not move the counter it records
    "storage/schema_version.py",  # reads alembic_version
    "storage/migrate.py",  # migrations: a schema change is caught by the revision check instead
    "storage/migrations/env.py",
    "bot/platform/gate.py",  # remembered Slack request signatures (seen_request): nothing a tick reads
}


def _changes(world) -> int:
    with world.services.db.session(read_only=True) as session:
        changes = current_changes(session)
    assert changes is not None
    return changes


def _quiet(report: TickReport) -> bool:
    delivery = report.delivery
    return not (sum(report.queued.values()) or delivery.sent or delivery.retried or delivery.failed or report.errors)


def test_a_write_moves_the_change_counter_and_a_read_does_not(world):
    world.tick()  # the row is there after migrating; a full tick puts it back after a TRUNCATE (PostgreSQL tests)
    before = _changes(world)
    with world.services.db.session() as session:
        session.exec(select(TickHorizon)).all()
    with world.services.db.session(read_only=True) as session:
        session.exec(select(TickHorizon)).all()
    assert _changes(world) == before
    with world.services.db.session() as session:
        add_message(session, key="test:one", method="chat.postMessage", payload={"channel": "C0GENERAL", "text": "x"},
                    now=world.now() + timedelta(days=9))
    assert _changes(world) == before + 1


def test_sending_queued_messages_leaves_the_change_counter_where_it_was(world):
    world.tick()
    with world.services.db.session() as session:
        card = PraiseCard(praise_id=1, giver="U0ALICE", users=("U0BOB",), groups=(), reason="kept the lights on")
        outbox.post(session, key="praise:1", channel="C0KUDOS", card=card, now=world.now())
    before = _changes(world)
    world.services.deliver()  # claims the row, sends it, marks it sent: the cron tick's peek reads the outbox itself
    assert ["kept the lights on" in m["text"] for m in world.stand_in.messages("C0KUDOS")] == [True]
    assert _changes(world) == before


def test_an_idle_cron_tick_exits_until_a_command_changes_something(world):
    settings = world.services.settings
    assert idle_until(settings, world.now()) is None  # no full tick has vouched yet
    world.tick()
    world.tick()  # after the tests' TRUNCATE (PostgreSQL) the first puts the counter back, the second vouches
    idle = idle_until(settings, world.now() + timedelta(minutes=1))
    assert idle is not None and (idle.until is None or idle.until > world.now())  # e.g. the managers' digest
    run(world, "U0ALICE", "C0GENERAL", "/account", "add Acme customer")
    assert idle_until(settings, world.now() + timedelta(minutes=2)) is None
    world.tick()
    assert idle_until(settings, world.now() + timedelta(minutes=3)) is not None


def test_a_message_waiting_for_slack_or_pending_migrations_make_the_tick_run_in_full(world):
    settings = world.services.settings
    world.tick()
    with world.services.db.session() as session:
        add_message(session, key="test:later", method="chat.postMessage", payload={"channel": "C0GENERAL", "text": "x"},
                    now=world.now(), not_before=world.now() + timedelta(hours=1))
    world.tick()
    assert idle_until(settings, world.now() + timedelta(minutes=59)) is not None
    assert idle_until(settings, world.now() + timedelta(hours=1)) is None  # the message is due
    with world.services.db.engine.begin() as connection:  # as if the code were newer than the schema
        head = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
        connection.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    assert idle_until(settings, world.now() + timedelta(minutes=1)) is None
    with world.services.db.engine.begin() as connection:
        connection.execute(text("UPDATE alembic_version SET version_num = :head"), {"head": head})
    assert idle_until(settings, world.now() + timedelta(minutes=1)) is not None
    other = settings.model_copy(update={"rapport_business_hours": "07:00-16:00"})
    assert idle_until(other, world.now() + timedelta(minutes=1)) is None  # other settings: other due moments


def test_a_tick_that_failed_vouches_for_nothing(sqlite_world):
    world = sqlite_world
    world.tick()
    assert idle_until(world.services.settings, world.now()) is not None
    from bot.platform import scheduler

    def broken(session, now, services):
        raise RuntimeError("bug")

    original = scheduler.DUE_WORK
    scheduler.DUE_WORK = (broken,)
    try:
        world.tick()
    finally:
        scheduler.DUE_WORK = original
    assert idle_until(world.services.settings, world.now()) is None


def test_no_code_reaches_the_database_around_the_unit_of_work():
    found = set()
    for top in ("bot", "storage", "handlers"):
        for path in (ROOT / top).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            if any(_reaches_around(node) for node in ast.walk(tree)):
                found.add(str(path.relative_to(ROOT)))
    assert found <= RAW_CONNECTIONS, f"writes here would not move the change counter: {found - RAW_CONNECTIONS}"


def test_a_cron_tick_never_skips_a_tick_that_would_queue_or_deliver(sqlite_world, tmp_path):
    world = sqlite_world
    sandbox = Sandbox(world, write=lambda _line: None)
    script = find_script("tour")
    assert script is not None
    for line in script.read_text(encoding="utf-8").splitlines():  # a populated workspace: every feature's rows
        if line.strip() and not line.strip().startswith("#"):
            sandbox.run(line.strip())
    live = Path(world.services.settings.database_url.removeprefix("sqlite:///"))
    saved = tmp_path / "cron.db"
    moment, skipped, ran = world.now(), 0, 0
    for step in range(120):  # five days, at odd minutes, as a cron every few minutes would reach them
        moment += timedelta(minutes=61 if step % 3 else 17)
        world.clock.set(moment)
        if idle_until(world.services.settings, moment) is None:
            world.tick(moment)
            ran += 1
            continue
        # Cron exits here. The full tick on the same state must have had nothing to do; then the state is put
        # back as cron leaves it, so later moments are judged on the older horizon too.
        _copy(live, saved)
        report = world.tick(moment)
        assert _quiet(report), f"a cron tick at {moment} would have skipped {report}"
        world.services.db.dispose()
        _copy(saved, live)
        skipped += 1
    assert skipped > 20 and ran > 5


def _reaches_around(node: ast.AST) -> bool:
    """`<…engine>.begin/connect/raw_connection` or a `Session(...)` of its own."""
    if isinstance(node, ast.Attribute) and node.attr in ("begin", "connect", "raw_connection"):
        return "engine" in ast.unparse(node.value)
    return isinstance(node, ast.Call) and ast.unparse(node.func) == "Session"


def _copy(source: Path, target: Path) -> None:
    with sqlite3.connect(source) as reading, sqlite3.connect(target) as writing:
        reading.backup(writing)
    reading.close()
    writing.close()


def test_a_digest_recipient_whose_time_zone_slack_did_not_give_keeps_the_ticks_full(sqlite_world):
    world = sqlite_world  # carol, a manager, gets the morning digest at 09:00 in her own time zone
    world.stand_in.fail_next("users.info", status=500, times=100)
    world.tick()
    assert idle_until(world.services.settings, world.now() + timedelta(minutes=1)) is None
    world.stand_in.reset()  # Slack answers again
    world.tick()
    world.tick()
    idle = idle_until(world.services.settings, world.now() + timedelta(minutes=1))
    assert idle is not None and idle.until is not None and idle.until <= world.now() + timedelta(days=1)
