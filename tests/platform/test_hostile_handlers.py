"""Property-based, through the Bolt app on signed requests: adversarial text in every command and every button value.

Fewer examples than the parser suite (each is a real request): never a 5xx, never a traceback or "Something went
wrong", and the person always gets an answer.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.sandbox.world import World
from handlers.ids import Action, Command
from tests.conftest import WORLD_START
from tests.databases import fresh_sqlite_url
from tests.platform.hostile import hostile_text
from tests.platform.test_external_sweep import PREFIXED, click

ALICE = "U0ALICE"
BUTTONS = sorted(f"{a.value}{suffix}" for a in Action for suffix in PREFIXED.get(a, [""])
                 if not a.value.endswith(("_input", "_select")))
HANDLER_SETTINGS = settings(max_examples=6, deadline=None,
                            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


@pytest.fixture(scope="module")
def shared_world(sqlite_template_module) -> Iterator[World]:
    """One world for all examples of this module (a world per example would be too slow)."""
    url, _ = sqlite_template_module
    with World(url, start=WORLD_START) as world:
        world.slack.command(ALICE, "#general", "/account", "add Acme Corp customer")
        world.stand_in.wait_for(lambda: world.stand_in.ephemerals(user=ALICE))
        yield world


@pytest.fixture(scope="module")
def sqlite_template_module(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, None]:
    from tests import databases

    template = databases.sqlite_template(tmp_path_factory.mktemp("hostile-template"))
    return fresh_sqlite_url(template, tmp_path_factory.mktemp("hostile")), None


def crashed(caplog: pytest.LogCaptureFixture) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.exc_info or r.levelno >= logging.ERROR]


@pytest.mark.parametrize("command", [c.value for c in Command])
@HANDLER_SETTINGS
@given(text=hostile_text)
def test_every_command_answers_hostile_text_readably(shared_world, command, text, caplog):
    world = shared_world
    caplog.clear()
    seen, views = len(world.stand_in.ephemerals(user=ALICE)), len(world.stand_in.views(ALICE))
    response = world.slack.command(ALICE, "#general", command, text, escape=False)
    assert response.status == 200
    world.stand_in.wait_for(lambda: len(world.stand_in.ephemerals(user=ALICE)) > seen
                            or len(world.stand_in.views(ALICE)) > views)
    replies = world.stand_in.ephemerals(user=ALICE)[seen:]
    for reply in replies:
        assert "Something went wrong" not in (reply.get("text") or ""), (command, text[:80])
    assert crashed(caplog) == [], (command, text[:80])


@pytest.mark.parametrize("action_id", BUTTONS)
@HANDLER_SETTINGS
@given(value=hostile_text | st.sampled_from(["²", "٣", "1:٣", "#1", "2147483648", "99999999999999999999:1"]))
def test_every_button_refuses_a_hostile_value_readably(shared_world, action_id, value, caplog):
    world = shared_world
    caplog.clear()
    seen = len(world.stand_in.ephemerals(user=ALICE))
    response = click(world, ALICE, action_id, value)
    assert response.status == 200, (action_id, value[:80])
    world.stand_in.wait_for(lambda: len(world.stand_in.ephemerals(user=ALICE)) > seen)
    for reply in world.stand_in.ephemerals(user=ALICE)[seen:]:
        assert "Something went wrong" not in (reply.get("text") or ""), (action_id, value[:80])
    assert crashed(caplog) == [], (action_id, value[:80])
