"""What reaches /slack/events: only signed, fresh requests count; malformed ones never cause a 5xx."""

from __future__ import annotations

import http.client
import json
import time
import urllib.request
from urllib.parse import urlencode

import pytest

from tests.expect import posts_in


def praise_body(text: str = "<@U0BOB|bob> thanks") -> str:
    return urlencode({"command": "/praise", "text": text, "user_id": "U0ALICE", "team_id": "T0HOME",
                      "channel_id": "C0GENERAL", "response_url": "", "trigger_id": "1.2.3"})


def test_a_bad_signature_is_rejected_with_401_and_changes_nothing(sqlite_world):
    world = sqlite_world
    body = praise_body()
    headers = world.slack.headers_for(body, "application/x-www-form-urlencoded")
    headers["X-Slack-Signature"] = "v0=" + "0" * 64
    assert world.slack.post_raw(body, headers).status == 401
    world.tick()
    assert posts_in(world, "C0KUDOS") == []


def test_a_ten_minute_old_request_is_rejected_with_401(sqlite_world):
    world = sqlite_world
    body = praise_body()
    headers = world.slack.headers_for(body, "application/x-www-form-urlencoded", timestamp=int(time.time()) - 600)
    assert world.slack.post_raw(body, headers).status == 401
    world.tick()
    assert posts_in(world, "C0KUDOS") == []


MALFORMED = [
    ("payload=%7Bnot-json", "application/x-www-form-urlencoded"),
    ("payload=" + json.dumps({"type": "block_actions"}), "application/x-www-form-urlencoded"),
    ("payload=" + json.dumps({"type": "view_submission", "view": {}}), "application/x-www-form-urlencoded"),
    ("payload=" + json.dumps({"type": "message_action", "callback_id": "log_praise"}),
     "application/x-www-form-urlencoded"),
    ("command=%2Fpraise&text=hello", "application/x-www-form-urlencoded"),
    ("", "application/x-www-form-urlencoded"),
    ("{not json", "application/json"),
    (json.dumps({"type": "event_callback"}), "application/json"),
    ("\x00\xff binary", "application/octet-stream"),
]


@pytest.mark.parametrize(("body", "content_type"), MALFORMED)
def test_malformed_payloads_get_a_4xx_or_are_ignored_never_a_5xx(sqlite_world, body, content_type):
    world = sqlite_world
    response = world.slack.post_raw(body, world.slack.headers_for(body, content_type))
    assert response.status < 500
    health = urllib.request.urlopen(world.url + "/healthz", timeout=5)
    assert health.status == 200


def test_health_check_and_unknown_paths(sqlite_world):
    world = sqlite_world
    assert json.load(urllib.request.urlopen(world.url + "/healthz", timeout=5))["ok"] is True
    for path, method, status in (("/nowhere", "GET", 404), ("/slack/events", "GET", 405)):
        request = urllib.request.Request(world.url + path, method=method)
        with pytest.raises(urllib.error.HTTPError) as error:
            urllib.request.urlopen(request, timeout=5)
        assert error.value.code == status


def test_an_oversized_body_is_refused_before_it_is_read(sqlite_world):
    connection = http.client.HTTPConnection("127.0.0.1", sqlite_world.server.effective_port, timeout=5)
    connection.putrequest("POST", "/slack/events")
    connection.putheader("Content-Type", "application/x-www-form-urlencoded")
    connection.putheader("Content-Length", "2000000")
    connection.endheaders(b"text=")
    assert connection.getresponse().status == 413
    connection.close()


def test_url_verification_echoes_the_challenge(sqlite_world):
    response = sqlite_world.slack.url_verification("a-challenge")
    assert response.status == 200 and "a-challenge" in response.text
