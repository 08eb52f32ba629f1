"""No token or signing secret reaches the logs, at any level, in a full run with hostile requests and Slack failures."""

from __future__ import annotations

import logging
import time
from datetime import timedelta
from pathlib import Path

import pytest

from bot.sandbox.commands import Sandbox
from bot.sandbox.stand_in.workspace import BOT_TOKEN
from bot.sandbox.terminal import find_script
from bot.sandbox.world import SIGNING_SECRET, World
from tests import databases
from tests.conftest import WORLD_START

APP_TOKEN = "xapp-1-A0RAPPORT-LEAKCHECK-0123456789abcdef"
FORM = "application/x-www-form-urlencoded"


def test_the_logs_of_a_full_run_hold_no_secret(sqlite_template: Path, tmp_path: Path,
                                               caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)  # every logger, every level: what an operator sees when debugging
    url = databases.fresh_sqlite_url(sqlite_template, tmp_path)
    with World(url, start=WORLD_START, slack_app_token=APP_TOKEN) as world:
        world.stand_in.clock = lambda: world.clock.now().timestamp()  # as `rapport sandbox` does
        script = find_script("tour")
        assert script is not None
        sandbox = Sandbox(world, write=lambda _text: None)
        for line in script.read_text(encoding="utf-8").splitlines():
            sandbox.run(line)
        _send_hostile_requests(world)
        world.stand_in.fail_next("chat.postMessage", error="invalid_auth")
        world.stand_in.fail_next("chat.postEphemeral", status=500, times=3)
        world.slack.command("U0ALICE", "#general", "/praise", "@bob one more while Slack is unwell")
        world.wait_until_idle()
        world.travel(world.now() + timedelta(days=7))  # a week of ticks: reminders, SLA breaches, digests
    logged = caplog.text + "\n".join(str(record.__dict__) for record in caplog.records)
    assert len(caplog.records) > 100, "the run should have logged plenty"
    for secret in (BOT_TOKEN, APP_TOKEN, SIGNING_SECRET):
        assert secret not in logged


def _send_hostile_requests(world: World) -> None:
    body = "command=%2Fpraise&text=hi&user_id=U0ALICE&channel_id=C0GENERAL"
    for timestamp in ("abc", "", "1e3", str(int(time.time()) - 3600)):
        world.slack.post_raw(body, {"Content-Type": FORM, "X-Slack-Request-Timestamp": timestamp,
                                    "X-Slack-Signature": "v0=" + "0" * 64})
    signed = world.slack.headers_for(body, FORM)
    for _ in range(2):
        world.slack.post_raw(body, signed)
    world.slack.post_raw(b"x" * 2_000_000, {"Content-Type": FORM})
