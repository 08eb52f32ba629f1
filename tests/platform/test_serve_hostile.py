"""`rapport serve --http` as a process, against the Slack stand-in: hostile requests are refused and change nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlencode

import pytest

from bot.sandbox.stand_in.driver import VERIFICATION_TOKEN, SlackDriver
from bot.sandbox.stand_in.web_api import SlackStandIn
from bot.sandbox.stand_in.workspace import APP_ID
from tests.platform.test_cli import ENV_PREFIXES, free_port

BOT_TOKEN = "xoxb-7-PROCESS-LEAKCHECK-bot"
APP_TOKEN = "xapp-7-PROCESS-LEAKCHECK-app"
SECRET = "process-leakcheck-signing-secret"
FORM = "application/x-www-form-urlencoded"


@dataclass
class Served:
    """A running `rapport serve --http`, the stand-in it talks to, and everything it has printed."""

    slack: SlackStandIn
    driver: SlackDriver
    process: subprocess.Popen[bytes]
    output: list[str] = field(default_factory=list)

    def log(self) -> str:
        """What the process has printed so far."""
        return "".join(self.output)


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """One server process for the module (starting one costs a few seconds of a shared CPU)."""
    folder = tmp_path_factory.mktemp("serve")
    port = free_port()
    with SlackStandIn(tokens=(BOT_TOKEN,)) as slack:
        env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_APP_TOKEN": APP_TOKEN, "SLACK_SIGNING_SECRET": SECRET,
               "SLACK_API_URL": slack.api_url, "DATABASE_URL": f"sqlite:///{folder / 'rapport.db'}",
               "RAPPORT_KUDOS_CHANNEL": "C0KUDOS", "RAPPORT_MANAGERS": "U0CAROL", "PYTHONUNBUFFERED": "1"}
        clean = {k: v for k, v in os.environ.items() if not k.startswith(ENV_PREFIXES)}
        process = subprocess.Popen([sys.executable, "-m", "bot.platform.cli", "serve", "--http", "--port", str(port)],
                                   cwd=folder, env={**clean, **env}, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        running = Served(slack, SlackDriver(f"http://127.0.0.1:{port}", SECRET, slack), process)
        reader = threading.Thread(target=_collect, args=(process, running.output), daemon=True)
        reader.start()
        try:
            _wait_healthy(running, port)
            yield running
        finally:
            process.terminate()
            process.wait(timeout=10)
            reader.join(timeout=5)


def _collect(process: subprocess.Popen[bytes], into: list[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        into.append(line.decode("utf-8", "replace"))


def _wait_healthy(running: Served, port: int) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            if urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1).status == 200:
                return
        except OSError:
            assert time.monotonic() < deadline and running.process.poll() is None, running.log()
            time.sleep(0.2)


def praise_body(slack: SlackStandIn, text: str) -> str:
    """A /praise from alice in #general, as Slack would send it."""
    return urlencode({
        "token": VERIFICATION_TOKEN, "team_id": "T0RAPPORT", "team_domain": "rapport-demo", "channel_id": "C0GENERAL",
        "channel_name": "general", "user_id": "U0ALICE", "user_name": "alice", "command": "/praise", "text": text,
        "api_app_id": APP_ID, "is_enterprise_install": "false",
        "response_url": slack.issue_response_url(user="U0ALICE", channel="C0GENERAL"),
        "trigger_id": slack.issue_trigger_id("U0ALICE"),
    })


def test_unsigned_and_forged_requests_get_401_and_reach_no_one(served: Served) -> None:
    body = praise_body(served.slack, "<@U0BOB|bob> forged thanks")
    for timestamp in ("abc", "", " ", "1e3", "nan"):
        answer = served.driver.post_raw(body, {"Content-Type": FORM, "X-Slack-Request-Timestamp": timestamp,
                                               "X-Slack-Signature": served.driver.sign(body, timestamp)})
        assert answer.status == 401
    assert served.driver.post_raw(body, {"Content-Type": FORM}).status == 401
    forged = served.driver.headers_for(body, FORM)
    forged["X-Slack-Signature"] = "v0=" + "0" * 64
    assert served.driver.post_raw(body, forged).status == 401
    stale = served.driver.headers_for(body, FORM, timestamp=int(time.time()) - 600)
    assert served.driver.post_raw(body, stale).status == 401
    # A refusal is decided before anything runs; other tests' work may still be arriving, so look for this one's.
    made = json.dumps(served.slack.calls())
    assert "forged thanks" not in made and parse_qs(body)["response_url"][0].rsplit("/", 1)[1] not in made
    assert "Traceback" not in served.log()


def test_a_replayed_praise_is_published_once(served: Served) -> None:
    body = praise_body(served.slack, "<@U0BOB|bob> kept the lights on")
    headers = served.driver.headers_for(body, FORM)
    assert [served.driver.post_raw(body, headers).status for _ in range(3)] == [200, 200, 200]
    served.slack.wait_for(lambda: served.slack.messages("C0KUDOS"), timeout=15)
    served.slack.wait_for(lambda: served.slack.ephemerals(user="U0ALICE"), timeout=15)
    fresh = praise_body(served.slack, "<@U0BOB|bob> and once more, on purpose")  # a new request still acts
    assert served.driver.post_raw(fresh, served.driver.headers_for(fresh, FORM)).status == 200
    served.slack.wait_for(lambda: len(served.slack.messages("C0KUDOS")) == 2 or None, timeout=15)
    kudos = [message["text"] for message in served.slack.messages("C0KUDOS")]
    assert len(kudos) == 2 and sum("kept the lights on" in text for text in kudos) == 1


@pytest.mark.parametrize("size", [1_000_001, 5_000_000])
def test_an_oversized_body_gets_413_and_the_server_keeps_serving(served: Served, size: int) -> None:
    assert served.driver.post_raw(b"x" * size, {"Content-Type": FORM}).status == 413
    body = praise_body(served.slack, "")
    assert served.driver.post_raw(body, served.driver.headers_for(body, FORM)).status == 200


def test_the_process_logs_hold_no_secret(served: Served) -> None:
    test_unsigned_and_forged_requests_get_401_and_reach_no_one(served)
    log = served.log()
    assert "serving POST /slack/events" in log
    for secret in (BOT_TOKEN, APP_TOKEN, SECRET):
        assert secret not in log
