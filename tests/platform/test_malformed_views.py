"""Malformed view submissions (issue 9, defect 10): a field error in the modal, or 200 and a clear message; never 500.

Every modal callback id in handlers/ids.py gets every malformed shape, so a new modal is covered without being listed.
"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlmodel import SQLModel

import storage.models  # noqa: F401 (every table, for the row count)
from bot.sandbox.world import World
from handlers.ids import Block, View

MALFORMED: dict[str, dict[str, Any]] = {
    "no state": {"private_metadata": "{}"},
    "no values": {"state": {}, "private_metadata": "{}"},
    "empty values": {"state": {"values": {}}, "private_metadata": "{}"},
    "metadata not json": {"state": {"values": {}}, "private_metadata": "{not json"},
    "metadata a list": {"state": {"values": {}}, "private_metadata": "[1, 2]"},
    "metadata with a bad id": {"state": {"values": {}}, "private_metadata": '{"id": "²", "survey": "x"}'},
    "values not a dict": {"state": {"values": ["x"]}, "private_metadata": "7"},
}


def submit(world: World, user: str, callback_id: str, view: dict[str, Any]) -> Any:
    """POST a view_submission with exactly this view, signed as Slack signs it."""
    payload = {"type": "view_submission", **world.slack._common(user),
               "trigger_id": world.stand_in.issue_trigger_id(user),
               "view": {"id": "V0MALFORMED", "type": "modal", "callback_id": callback_id, **view},
               "response_urls": []}
    return world.slack._post_payload(payload)


def assert_answered(world: World, response: Any, user: str, seen: int, caplog: pytest.LogCaptureFixture) -> None:
    """Field errors in the modal, or a 200 and one clear message to the person; no 5xx, no traceback."""
    assert response.status == 200, response.text
    answer = response.json() or {}
    if answer.get("response_action") == "errors":
        assert answer["errors"] and all(isinstance(text, str) and text for text in answer["errors"].values())
    else:
        def told() -> list[str]:
            texts = [m.get("text") or "" for m in world.stand_in.ephemerals(user=user)]
            texts += [m.get("text") or "" for m in world.stand_in.dm_messages(user)]
            return texts if len(texts) > seen else []
        message = world.stand_in.wait_for(told)[-1]
        assert "Something went wrong" not in message and len(message) > 20, message
    assert not [r for r in caplog.records if r.exc_info], [r.getMessage() for r in caplog.records if r.exc_info]


def rows(world: World) -> dict[str, int]:
    """How many rows each table holds: a refused submission writes none, not even half of one."""
    with world.services.db.session() as session:
        return {name: session.execute(select(func.count()).select_from(table)).scalar_one()
                for name, table in SQLModel.metadata.tables.items()}


def messages_to(world: World, user: str) -> int:
    return len(world.stand_in.ephemerals(user=user)) + len(world.stand_in.dm_messages(user))


@pytest.mark.parametrize("callback_id", [view.value for view in View])
def test_every_modal_survives_every_malformed_shape(sqlite_world, callback_id, caplog):
    world = sqlite_world
    caplog.set_level(logging.WARNING)
    before = rows(world)
    for shape, view in MALFORMED.items():
        caplog.clear()
        seen = messages_to(world, "U0ALICE")
        response = submit(world, "U0ALICE", callback_id, view)
        assert_answered(world, response, "U0ALICE", seen, caplog)
        assert rows(world) == before, shape


def test_an_unknown_severity_is_a_field_error(sqlite_world, caplog):
    world = sqlite_world
    view = {"state": {"values": {
        Block.COMPLAINT_ACCOUNT: {"a": {"type": "plain_text_input", "value": "Acme Corp"}},
        Block.COMPLAINT_SUMMARY: {"a": {"type": "plain_text_input", "value": "portal down"}},
        Block.COMPLAINT_SEVERITY: {"a": {"type": "static_select", "selected_option": {"value": "urgent"}}},
    }}, "private_metadata": "{}"}
    response = submit(world, "U0ALICE", View.COMPLAINT_NEW, view)
    assert response.status == 200 and response.json()["response_action"] == "errors"
    assert "critical" in response.json()["errors"][Block.COMPLAINT_SEVERITY]
