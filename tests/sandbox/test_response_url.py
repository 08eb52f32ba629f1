"""response_url behaves as Slack's: ephemeral by default, in_channel, replace, delete, five uses."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.sandbox.stand_in import SlackStandIn


def card(client: WebClient) -> str:
    """Post a bot message with a button and return its ts."""
    return str(client.chat_postMessage(channel="C0ACMESHR", text="How did we do?", blocks=[
        {"type": "actions", "elements": [{"type": "button", "action_id": "score_5", "value": "5",
                                          "text": {"type": "plain_text", "text": "5"}}]}])["ts"])


def test_ephemeral_is_the_default_and_in_channel_posts(stand_in: SlackStandIn) -> None:
    url = stand_in.issue_response_url(user="U0ALICE", channel="C0GENERAL")
    hook = WebhookClient(url)
    assert hook.send(text="only you").status_code == 200
    assert hook.send(text="everyone", response_type="in_channel").status_code == 200
    assert [e["text"] for e in stand_in.ephemerals(user="U0ALICE", channel="#general")] == \
        ["only you"]
    assert [m["text"] for m in stand_in.messages("#general")] == ["everyone"]
    assert stand_in.messages("#general")[0]["bot_id"] == "B0RAPPORT"


def test_replace_and_delete_original(client: WebClient, stand_in: SlackStandIn) -> None:
    ts = card(client)
    source = {"surface": "message", "channel": "C0ACMESHR", "ts": ts}
    hook = WebhookClient(stand_in.issue_response_url(user="U0ERIN", channel="C0ACMESHR",
                                                     source=source))
    hook.send(text="Thanks for your score", replace_original=True)
    (message,) = stand_in.messages("#acme-shared")
    assert message["text"] == "Thanks for your score" and message["blocks"] == []
    hook.send_dict({"delete_original": True})
    assert stand_in.messages("#acme-shared") == []


def test_replace_an_ephemeral_original(client: WebClient, stand_in: SlackStandIn) -> None:
    ts = client.chat_postEphemeral(channel="C0GENERAL", user="U0BOB", text="Sure?")["message_ts"]
    source = {"surface": "ephemeral", "channel": "C0GENERAL", "ts": ts}
    WebhookClient(stand_in.issue_response_url(user="U0BOB", channel="C0GENERAL", source=source)
                  ).send(text="Done", replace_original=True)
    (ephemeral,) = stand_in.ephemerals(user="U0BOB")
    assert ephemeral["text"] == "Done" and ephemeral["edits"][0]["text"] == "Sure?"


def test_a_response_url_works_five_times_and_for_thirty_minutes(
        stand_in: SlackStandIn, monkeypatch: pytest.MonkeyPatch) -> None:
    hook = WebhookClient(stand_in.issue_response_url(user="U0ALICE", channel="C0GENERAL"))
    assert [hook.send(text=str(i)).status_code for i in range(6)] == [200] * 5 + [404]
    assert "used_url" in hook.send(text="again").body
    later = stand_in.clock() + 31 * 60
    fresh = WebhookClient(stand_in.issue_response_url(user="U0ALICE", channel="C0GENERAL"))
    monkeypatch.setattr(stand_in, "clock", lambda: later)
    assert fresh.send(text="late").status_code == 404


def test_bad_payloads_are_refused(stand_in: SlackStandIn) -> None:
    hook = WebhookClient(stand_in.issue_response_url(user="U0ALICE", channel="C0GENERAL"))
    assert hook.send_dict({}).status_code == 400
    too_long = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    answer = hook.send(text="fallback", blocks=too_long)
    assert answer.status_code == 400 and "invalid_blocks" in answer.body
    assert WebhookClient(stand_in.base_url + "response/unknown").send(text="x").status_code == 404


def test_response_url_failures_can_be_injected(stand_in: SlackStandIn) -> None:
    hook = WebhookClient(stand_in.issue_response_url(user="U0ALICE", channel="C0GENERAL"))
    stand_in.fail_next("response_url", status=500)
    assert hook.send(text="lost").status_code == 500
    assert hook.send(text="kept").status_code == 200
    assert [e["text"] for e in stand_in.ephemerals()] == ["kept"]
