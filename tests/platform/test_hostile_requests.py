"""Hostile requests at the transport: unsigned, forged, replayed and oversized, through the real waitress server."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Sequence
from urllib.parse import urlencode

import pytest
from slack_bolt import BoltRequest
from sqlalchemy import func
from sqlmodel import select

from bot.platform.gate import DatabaseMemory, Gate, ProcessMemory, Verdict
from bot.platform.http import MAX_BODY_BYTES
from bot.sandbox.stand_in.driver import VERIFICATION_TOKEN, SlackDriver
from bot.sandbox.stand_in.web_api import SlackStandIn
from bot.sandbox.stand_in.workspace import APP_ID
from bot.sandbox.world import World
from storage.care.praise import Praise
from storage.db import Database
from storage.platform.seen import SeenRequest
from tests.expect import ephemeral_to, posts_in

FORM = "application/x-www-form-urlencoded"
BAD_TIMESTAMPS = ["abc", "", " ", "1e3", "nan", "+1700000000", " 1700000000", "1_700_000_000",
                  "99999999999999999999999"]


def command_body(stand_in: SlackStandIn, user: str, channel: str, command: str, text: str) -> str:
    """A slash command's form body as Slack sends it, with a fresh response_url and trigger_id."""
    return urlencode({
        "token": VERIFICATION_TOKEN, "team_id": "T0RAPPORT", "team_domain": "rapport-demo", "channel_id": channel,
        "channel_name": "general", "user_id": user, "user_name": "alice", "command": command, "text": text,
        "api_app_id": APP_ID, "is_enterprise_install": "false",
        "response_url": stand_in.issue_response_url(user=user, channel=channel),
        "trigger_id": stand_in.issue_trigger_id(user),
    })


def outbound_since(stand_in: SlackStandIn, before: int) -> list[str]:
    """The Slack calls and response_url posts the app made after the first `before`."""
    return [call["method"] for call in stand_in.calls()[before:]]


def praise_count(world: World) -> int:
    with world.services.db.session() as session:
        return int(session.exec(select(func.count()).select_from(Praise)).one())


@pytest.mark.parametrize("timestamp", BAD_TIMESTAMPS)
def test_a_malformed_timestamp_gets_401_and_nothing_else(sqlite_world: World, timestamp: str,
                                                         caplog: pytest.LogCaptureFixture) -> None:
    world = sqlite_world
    before = len(world.stand_in.calls())
    body = command_body(world.stand_in, "U0ALICE", "C0GENERAL", "/praise", "<@U0BOB|bob> thanks")
    answer = world.slack.post_raw(body, {"Content-Type": FORM, "X-Slack-Request-Timestamp": timestamp,
                                         "X-Slack-Signature": world.slack.sign(body, timestamp)})
    assert answer.status == 401
    world.wait_until_idle()
    assert outbound_since(world.stand_in, before) == []
    assert world.stand_in.ephemerals() == [] and world.stand_in.dm_messages("U0ALICE") == []
    assert "Traceback" not in caplog.text and not any(record.exc_info for record in caplog.records)


@pytest.mark.parametrize("headers", [
    {},  # no signature at all
    {"X-Slack-Signature": "v0=" + "0" * 64},  # forged
    {"X-Slack-Signature": "v0=abc", "X-Slack-Request-Timestamp": "abc"},
    {"X-Slack-Signature": "", "X-Slack-Request-Timestamp": ""},
], ids=["unsigned", "forged", "garbage", "empty"])
def test_unsigned_and_forged_requests_name_anyone_they_like_and_reach_no_one(sqlite_world: World,
                                                                           headers: dict[str, str]) -> None:
    world = sqlite_world
    before = len(world.stand_in.calls())
    url = world.stand_in.issue_response_url(user="U0ALICE", channel="C0GENERAL")
    action = {"type": "block_actions", "user": {"id": "U0ALICE"}, "channel": {"id": "C0GENERAL"},
              "container": {"channel_id": "C0GENERAL"}, "response_url": url, "trigger_id": "1.2.3",
              "actions": [{"action_id": "no_such_action", "value": "x"}]}
    for body in (command_body(world.stand_in, "U0ALICE", "C0GENERAL", "/praise", "<@U0BOB|bob> thanks"),
                 urlencode({"payload": json.dumps(action)}), "payload=%7Bnot json", "\xff\xfe"):
        stamp = {"X-Slack-Request-Timestamp": str(int(time.time()))}
        answer = world.slack.post_raw(body.encode("latin-1", "replace"), {"Content-Type": FORM, **stamp, **headers})
        assert answer.status == 401
    world.wait_until_idle()
    assert outbound_since(world.stand_in, before) == []


def test_a_stale_signature_is_refused(sqlite_world: World) -> None:
    world = sqlite_world
    body = command_body(world.stand_in, "U0ALICE", "C0GENERAL", "/praise", "<@U0BOB|bob> thanks")
    stale = world.slack.headers_for(body, FORM, timestamp=int(time.time()) - 301)
    assert world.slack.post_raw(body, stale).status == 401
    assert praise_count(world) == 0


def test_the_same_signed_praise_sent_three_times_is_published_once(world: World) -> None:
    body = command_body(world.stand_in, "U0ALICE", "C0GENERAL", "/praise", "<@U0BOB|bob> kept the lights on")
    headers = world.slack.headers_for(body, FORM)
    answers = [world.slack.post_raw(body, headers) for _ in range(3)]
    assert [answer.status for answer in answers] == [200, 200, 200]
    ephemeral_to(world, "U0ALICE")
    world.wait_until_idle()
    assert len(posts_in(world, "C0KUDOS")) == 1 and praise_count(world) == 1
    assert len(world.stand_in.ephemerals(user="U0ALICE")) == 1


def test_a_second_app_process_on_the_same_database_refuses_the_replay_too(world: World) -> None:
    if world.services.db.dialect == "sqlite":
        pytest.skip("SQLite serves one process, so its replay memory is the process's own (docs/security.md)")
    body = command_body(world.stand_in, "U0ALICE", "C0GENERAL", "/praise", "<@U0BOB|bob> kept the lights on")
    headers = world.slack.headers_for(body, FORM)
    with World(world.settings.database_url, start=world.now()) as other:
        other_driver = SlackDriver(other.url, world.slack.signing_secret, world.stand_in)
        assert world.slack.post_raw(body, headers).status == 200
        assert other_driver.post_raw(body, headers).status == 200
        other.wait_until_idle()
    world.wait_until_idle()
    assert praise_count(world) == 1


def test_a_slack_retry_of_an_event_already_taken_is_not_handled_again(sqlite_world: World) -> None:
    world = sqlite_world
    event = {"type": "app_home_opened", "user": "U0ALICE", "tab": "home", "channel": "D0ALICE"}
    first = world.slack.event(event)
    assert first.status == 200
    world.stand_in.wait_for(lambda: world.stand_in.home("U0ALICE"))
    world.wait_until_idle()
    handled = len(world.stand_in.calls())
    retry = world.slack.event(event, event_id=first.payload["event_id"], retry_num=1)
    assert retry.status == 200
    world.wait_until_idle()
    assert outbound_since(world.stand_in, handled) == []


@pytest.mark.parametrize("size", [MAX_BODY_BYTES + 1, 5_000_000, 20_000_000])
def test_an_oversized_body_gets_413_not_a_reset(sqlite_world: World, size: int) -> None:
    world = sqlite_world
    answer = world.slack.post_raw(b"text=" + b"x" * size, {"Content-Type": FORM})
    assert answer.status == 413
    assert world.slack.command("U0ALICE", "#general", "/praise", "@bob still here").status == 200



@pytest.mark.parametrize("timestamp", ["abc", "", "1e3", "nan"])
def test_bolt_itself_answers_nobody_when_a_request_crashes_its_signature_check(sqlite_world: World, timestamp: str,
                                                                              caplog: pytest.LogCaptureFixture) -> None:
    world = sqlite_world  # past the gate (as a future server set-up might be): the error funnel must stay silent
    before = len(world.stand_in.calls())
    body = command_body(world.stand_in, "U0ALICE", "C0GENERAL", "/praise", "<@U0BOB|bob> thanks")
    headers: dict[str, str | Sequence[str]] = {"content-type": FORM, "x-slack-request-timestamp": timestamp,
                                               "x-slack-signature": "v0=abc"}
    response = world.app.dispatch(BoltRequest(body=body, headers=headers))
    assert response.status in (401, 500)
    world.wait_until_idle()
    assert outbound_since(world.stand_in, before) == []
    assert not any(record.exc_info for record in caplog.records)


def _signed(body: bytes, timestamp: int, secret: str = "gate-secret") -> dict[str, str]:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:".encode() + body, hashlib.sha256).hexdigest()
    return {"x-slack-request-timestamp": str(timestamp), "x-slack-signature": "v0=" + digest}


@pytest.mark.parametrize("kind", ["table", "process"])
def test_the_gate_remembers_event_ids_and_signatures_for_their_windows(db: Database, kind: str) -> None:
    clock = [1_800_000_000.0]
    memory = DatabaseMemory(db.url) if kind == "table" else ProcessMemory()
    gate = Gate("gate-secret", memory, clock=lambda: clock[0])
    event = json.dumps({"type": "event_callback", "event_id": "Ev0GATE1", "event": {"type": "app_home_opened"}})
    body = event.encode()
    first = _signed(body, int(clock[0]))
    assert gate.admit(body, first) is Verdict.ACCEPT
    assert gate.admit(body, first) is Verdict.REPLAY  # the same request again
    clock[0] += 60  # Slack's retry: signed afresh, same event id
    assert gate.admit(body, {**_signed(body, int(clock[0])), "x-slack-retry-num": "1"}) is Verdict.REPLAY
    assert gate.admit(body, {**_signed(body, int(clock[0])), "x-slack-signature": "v0=" + "0" * 64}) is Verdict.REFUSE
    clock[0] += 301
    assert gate.admit(body, first) is Verdict.REFUSE  # its signature has expired with its memory
    clock[0] += 15 * 60  # past the event window: the id may be used again, and the old rows are pruned
    assert gate.admit(body, _signed(body, int(clock[0]))) is Verdict.ACCEPT
    memory.close()
    if kind == "table":
        with db.session() as session:
            assert len(session.exec(select(SeenRequest)).all()) == 2  # this request's signature and event id


def test_the_gate_refuses_everything_without_a_signing_secret() -> None:
    gate = Gate("", ProcessMemory())
    body = b"command=%2Fpraise"
    assert gate.admit(body, _signed(body, int(time.time()), secret="")) is Verdict.REFUSE
