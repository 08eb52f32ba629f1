"""Two people doing the same thing at the same moment get one result and a friendly word, never an error.

Each test holds both requests just after their "is it there already?" check until both have made
it, so both go on to write: on PostgreSQL the second write meets the unique constraint. (SQLite
queues the two transactions, so the second one's check already sees the first one's row.)
"""

from __future__ import annotations

import contextlib
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.sandbox.world import World
from storage import accounts as account_store
from storage.accounts import Account, ChannelLink
from storage.care import praise as praise_store
from storage.care.praise import Praise
from tests.expect import ephemeral_to, full_text, last_ephemeral_text, posts_in

BOTH_WAIT = 1.5  # seconds a request waits for the other at the check; SQLite never gets both there


def hold_after_check(monkeypatch: pytest.MonkeyPatch, module: Any, name: str) -> None:
    """Make callers of module.name wait for each other after the call, so both pass the check first."""
    barrier = threading.Barrier(2)
    check = getattr(module, name)

    def checked_together(*args: Any, **kwargs: Any) -> Any:
        found = check(*args, **kwargs)
        with contextlib.suppress(threading.BrokenBarrierError):  # SQLite: the other never gets there
            barrier.wait(BOTH_WAIT)
        return found

    monkeypatch.setattr(module, name, checked_together)


def at_once(*requests: Any) -> list[Any]:
    """Send the requests in parallel threads; their responses, in order."""
    with ThreadPoolExecutor(max_workers=len(requests)) as pool:
        return list(pool.map(lambda request: request(), requests))


def count(world: World, table: Any) -> int:
    with world.services.db.session() as session:
        return session.exec(select(func.count()).select_from(table)).one()


def replies(world: World, *users: str) -> list[str]:
    return [last_ephemeral_text(world, user) for user in users]


def test_two_people_adding_one_account_at_once_get_one_account(world, monkeypatch):
    hold_after_check(monkeypatch, account_store, "get_account_by_name")
    at_once(lambda: world.slack.command("U0ALICE", "#general", "/account", "add Acme Corp"),
            lambda: world.slack.command("U0BOB", "#general", "/account", "add acme corp"))
    answers = replies(world, "U0ALICE", "U0BOB")
    assert sum("Added customer account" in answer for answer in answers) == 1, answers
    assert sum("already exists" in answer for answer in answers) == 1, answers
    assert count(world, Account) == 1


def test_two_people_linking_one_channel_at_once_get_one_link(world, monkeypatch):
    for name in ("Acme", "Globex"):
        world.slack.command("U0ALICE", "#general", "/account", f"add {name}")
    ephemeral_to(world, "U0ALICE", count=2)
    hold_after_check(monkeypatch, account_store, "get_channel_link")
    at_once(lambda: world.slack.command("U0ALICE", "#acme-shared", "/account", "link Acme"),
            lambda: world.slack.command("U0BOB", "#acme-shared", "/account", "link Globex"))
    alice = last_ephemeral_text(world, "U0ALICE", count=3)
    bob = last_ephemeral_text(world, "U0BOB")
    answers = [alice, bob]
    assert sum("Linked <#C0ACMESHR>" in answer for answer in answers) == 1, answers
    assert sum("already linked to" in answer for answer in answers) == 1, answers
    assert count(world, ChannelLink) == 1


def test_two_log_praise_at_once_on_one_message_publish_it_once(world, monkeypatch):
    world.slack.command("U0CAROL", "#general", "/account", "add Acme")
    ephemeral_to(world, "U0CAROL", count=1)
    world.slack.command("U0CAROL", "#acme-shared", "/account", "link Acme")
    assert "Linked" in last_ephemeral_text(world, "U0CAROL", count=2)
    said, _response = world.slack.say("U0ERIN", "#acme-shared", "Thanks @bob, the VPN is back!", deliver=False)
    hold_after_check(monkeypatch, praise_store, "get_praise_from_message")
    at_once(lambda: world.slack.message_shortcut("U0ALICE", "#acme-shared", "log_praise", said["ts"]),
            lambda: world.slack.message_shortcut("U0CAROL", "#acme-shared", "log_praise", said["ts"]))
    alice = last_ephemeral_text(world, "U0ALICE")
    carol = last_ephemeral_text(world, "U0CAROL", count=3)
    answers = [alice, carol]
    assert sum("logged already" in answer for answer in answers) == 1, answers
    assert not any("Something went wrong" in answer for answer in answers), answers
    cards = world.stand_in.wait_for(lambda: posts_in(world, "C0KUDOS"))
    assert len(cards) == 1 and "<@U0BOB>" in full_text(cards[0])
    assert count(world, Praise) == 1
