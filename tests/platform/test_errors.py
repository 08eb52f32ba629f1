"""The error funnel: typed errors read as advice; the unexpected get a reference and change nothing."""

from __future__ import annotations

import logging
import re

import pytest
from sqlalchemy import func
from sqlmodel import select

from bot.platform.errors import SlackUnavailable
from storage.care.praise import Praise
from tests.expect import last_ephemeral_text, posts_in


def test_an_unexpected_error_shows_a_reference_that_is_in_the_log(sqlite_world, monkeypatch, caplog):
    world = sqlite_world

    def broken_leaderboard(*args, **kwargs):
        raise ZeroDivisionError("a bug")

    monkeypatch.setattr("handlers.commands.care.praise.leaderboard", broken_leaderboard)
    with caplog.at_level(logging.ERROR, logger="rapport.errors"):
        world.slack.command("U0ALICE", "#general", "/praise", "top week")
        reply = last_ephemeral_text(world, "U0ALICE")
    found = re.search(r"Something went wrong \(ref ([0-9a-f]{8})\)", reply)
    assert found is not None, reply
    ref = found.group(1)
    assert "Traceback" not in reply and "ZeroDivisionError" not in reply
    assert any(ref in record.getMessage() and record.exc_info for record in caplog.records)


def test_a_failure_after_writing_rolls_the_whole_change_back(sqlite_world, monkeypatch):
    world = sqlite_world

    def failing_audit(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("bot.care.praise.record_change", failing_audit)
    world.slack.command("U0ALICE", "#general", "/praise", "@bob thanks")
    assert "Something went wrong" in last_ephemeral_text(world, "U0ALICE")
    world.tick()
    with world.services.db.session() as session:
        assert session.exec(select(func.count()).select_from(Praise)).one() == 0
    assert posts_in(world, "C0KUDOS") == []


def test_a_user_lookup_slack_cannot_answer_is_an_error_not_a_guess(sqlite_world):
    slack = sqlite_world.services.slack
    assert slack.user("U0NOBODY") is None
    sqlite_world.stand_in.fail_next("users.info", status=500, times=2)
    with pytest.raises(SlackUnavailable, match="try again"):
        slack.user("U0ALICE")
    assert slack.user("U0ALICE").tz == "Asia/Shanghai"
