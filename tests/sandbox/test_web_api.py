"""The stand-in answers slack_sdk's WebClient the way Slack's Web API does."""

from __future__ import annotations

import json
import urllib.request
from types import SimpleNamespace
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry import builtin_handlers
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler, ServerErrorRetryHandler
from slack_sdk.http_retry.builtin_interval_calculators import FixedValueRetryIntervalCalculator

from bot.sandbox.stand_in import Channel, SlackStandIn, User


def test_auth_test_names_the_bot_and_its_team(client: WebClient) -> None:
    answer = client.auth_test()
    assert answer["ok"] is True
    assert (answer["team_id"], answer["user_id"], answer["bot_id"]) == \
        ("T0HOME", "U0RAPPORT", "B0RAPPORT")
    assert answer["url"] == "https://rapport-demo.slack.com/"


def test_an_unknown_token_is_invalid_auth(stand_in: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as failure:
        WebClient(token="xoxb-wrong", base_url=stand_in.api_url).auth_test()
    assert failure.value.response.status_code == 200
    assert failure.value.response.data == {"ok": False, "error": "invalid_auth"}


def test_an_unknown_method_is_a_404_with_unknown_method(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        client.api_call("chat.teleport")
    assert failure.value.response.status_code == 404
    assert failure.value.response["error"] == "unknown_method"


def test_post_message_answers_with_channel_and_increasing_ts(
        client: WebClient, stand_in: SlackStandIn) -> None:
    first = client.chat_postMessage(channel="C0GENERAL", text="one")
    second = client.chat_postMessage(channel="#general", text="two")
    assert first["channel"] == second["channel"] == "C0GENERAL"
    assert float(first["ts"]) < float(second["ts"])
    assert len(first["ts"].split(".")[1]) == 6
    assert first["message"]["bot_id"] == "B0RAPPORT"
    assert [m["text"] for m in stand_in.messages("C0GENERAL")] == ["one", "two"]


def test_posting_to_a_user_id_lands_in_their_dm(client: WebClient, stand_in: SlackStandIn) -> None:
    posted = client.chat_postMessage(channel="U0ALICE", text="your digest")
    opened = client.conversations_open(users="U0ALICE")
    assert posted["channel"] == opened["channel"]["id"] == "D0ALICE"
    assert opened["already_open"] is True
    assert [m["text"] for m in stand_in.dm_messages("U0ALICE")] == ["your digest"]


@pytest.mark.filterwarnings("ignore:The top-level `text` argument is missing")
def test_post_message_errors_match_slack(client: WebClient, stand_in: SlackStandIn) -> None:
    stand_in.workspace.add_channel(Channel("C0RANDOM", "random", ["U0ALICE"]))
    expectations: list[tuple[dict[str, Any], str]] = [
        ({"channel": "C0NOPE", "text": "x"}, "channel_not_found"),
        ({"channel": "C0RANDOM", "text": "x"}, "not_in_channel"),
        ({"channel": "C0GENERAL"}, "no_text"),
        ({"channel": "C0GENERAL", "text": "x" * 40001}, "msg_too_long"),
    ]
    for arguments, error in expectations:
        with pytest.raises(SlackApiError) as failure:
            client.chat_postMessage(**arguments)
        assert failure.value.response["error"] == error


def test_update_delete_and_permalink(client: WebClient, stand_in: SlackStandIn) -> None:
    posted = client.chat_postMessage(channel="C0KUDOS", text="draft")
    updated = client.chat_update(channel="C0KUDOS", ts=posted["ts"], text="final")
    assert updated["ts"] == posted["ts"] and updated["text"] == "final"
    message = stand_in.messages("C0KUDOS")[0]
    assert message["text"] == "final" and message["edits"][0]["text"] == "draft"
    link = client.chat_getPermalink(channel="C0KUDOS", message_ts=posted["ts"])["permalink"]
    assert link == f"https://rapport-demo.slack.com/archives/C0KUDOS/p{posted['ts'].replace('.', '')}"
    client.chat_delete(channel="C0KUDOS", ts=posted["ts"])
    assert stand_in.messages("C0KUDOS") == []
    with pytest.raises(SlackApiError, match="message_not_found"):
        client.chat_update(channel="C0KUDOS", ts=posted["ts"], text="again")


def test_only_the_bots_own_messages_can_be_updated(client: WebClient, stand_in: SlackStandIn) -> None:
    said = stand_in.add_message("C0ACMESHR", user="U0ERIN", text="VPN is down again")
    with pytest.raises(SlackApiError, match="cant_update_message"):
        client.chat_update(channel="C0ACMESHR", ts=said["ts"], text="edited")


def test_ephemeral_needs_the_user_in_the_channel(client: WebClient, stand_in: SlackStandIn) -> None:
    answer = client.chat_postEphemeral(channel="C0ACMESHR", user="U0ERIN", text="only you")
    assert answer["message_ts"]
    assert stand_in.ephemerals(user="U0ERIN")[0]["text"] == "only you"
    with pytest.raises(SlackApiError, match="user_not_in_channel"):
        client.chat_postEphemeral(channel="C0ESCAL", user="U0ERIN", text="internal")


def test_users_info_has_slacks_shape(client: WebClient, stand_in: SlackStandIn) -> None:
    alice = client.users_info(user="U0ALICE")["user"]
    assert alice["tz"] == "Asia/Shanghai" and alice["tz_offset"] == 8 * 3600
    assert alice["profile"]["display_name"] == "alice" and alice["is_bot"] is False
    assert client.users_info(user="U0ERIN")["user"]["team_id"] == "T0ACME"
    stand_in.workspace.add_user(User("U0GRACE", "grace", "Grace Hopper", tz="America/New_York"))
    assert client.users_info(user="U0GRACE")["user"]["tz_offset"] == -5 * 3600
    with pytest.raises(SlackApiError, match="user_not_found"):
        client.users_info(user="U0NOBODY")


def test_conversations_and_usergroups(client: WebClient) -> None:
    shared = client.conversations_info(channel="C0ACMESHR")["channel"]
    assert shared["is_ext_shared"] is True and shared["name"] == "acme-shared"
    members = client.conversations_members(channel="C0ACMESHR")["members"]
    assert {"U0ERIN", "U0FRANK"} <= set(members)
    assert client.usergroups_users_list(usergroup="S0NETOPS")["users"] == ["U0ALICE", "U0BOB"]
    with pytest.raises(SlackApiError, match="no_such_subteam"):
        client.usergroups_users_list(usergroup="S0NOPE")


def test_form_encoded_and_query_string_bodies_are_read(stand_in: SlackStandIn) -> None:
    request = urllib.request.Request(
        stand_in.api_url + "users.info?user=U0BOB", data=b"token=xoxb-stand-in",
        headers={"Content-Type": "application/x-www-form-urlencoded"})
    with urllib.request.urlopen(request) as reply:
        assert json.loads(reply.read())["user"]["name"] == "bob"


def test_files_upload_v2_records_the_file_and_a_message(client: WebClient,
                                                        stand_in: SlackStandIn) -> None:
    answer = client.files_upload_v2(channel="C0ACMEINT", content=b"\x89PNG...", filename="csat.png",
                                    title="CSAT trend", initial_comment="Monthly report")
    assert answer["file"]["title"] == "CSAT trend"
    (stored,) = stand_in.files("C0ACMEINT")
    assert stored["content"] == b"\x89PNG..." and stored["name"] == "csat.png"
    message = stand_in.messages("C0ACMEINT")[-1]
    assert message["text"] == "Monthly report" and message["files"][0]["id"] == stored["id"]


@pytest.fixture
def no_sleep(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Record slack_sdk's retry sleeps instead of waiting them out."""
    slept: list[float] = []
    monkeypatch.setattr(builtin_handlers, "time", SimpleNamespace(sleep=slept.append))
    return slept


def test_rate_limit_is_429_with_retry_after_and_slack_sdk_retries(
        stand_in: SlackStandIn, no_sleep: list[float]) -> None:
    stand_in.fail_next("chat.postMessage", status=429, retry_after=7)
    client = WebClient(token="xoxb-stand-in", base_url=stand_in.api_url,
                       retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=1)])
    assert client.chat_postMessage(channel="C0GENERAL", text="hello")["ok"] is True
    first, second = stand_in.calls("chat.postMessage")
    assert first["status"] == 429 and first["result"] == {"ok": False, "error": "ratelimited"}
    assert second["status"] == 200
    assert 7 <= no_sleep[0] < 8  # slept for Retry-After
    assert len(stand_in.messages("C0GENERAL")) == 1


def test_rate_limit_without_retries_raises_with_the_header(stand_in: SlackStandIn,
                                                           client: WebClient) -> None:
    stand_in.fail_next("users.info", retry_after=3)
    with pytest.raises(SlackApiError) as failure:
        client.users_info(user="U0ALICE")
    assert failure.value.response.status_code == 429
    assert failure.value.response.headers["Retry-After"] == "3"


def test_server_errors_are_retried_by_slack_sdk(stand_in: SlackStandIn) -> None:
    stand_in.fail_next("chat.postMessage", status=503, times=2)
    handler = ServerErrorRetryHandler(max_retry_count=2,
                                      interval_calculator=FixedValueRetryIntervalCalculator(0))
    client = WebClient(token="xoxb-stand-in", base_url=stand_in.api_url, retry_handlers=[handler])
    assert client.chat_postMessage(channel="C0GENERAL", text="after outage")["ok"] is True
    assert [c["status"] for c in stand_in.calls("chat.postMessage")] == [503, 503, 200]


def test_injected_slack_errors_and_delays(stand_in: SlackStandIn, client: WebClient) -> None:
    stand_in.fail_next("chat.postMessage", error="channel_not_found")
    with pytest.raises(SlackApiError, match="channel_not_found"):
        client.chat_postMessage(channel="C0GENERAL", text="lost")
    stand_in.delay_next("auth.test", 0.2)
    # slack_sdk takes any number of seconds, though its hint says int.
    slow = WebClient(token="xoxb-stand-in", base_url=stand_in.api_url, timeout=0.05)  # type: ignore[arg-type]
    with pytest.raises(TimeoutError):
        slow.auth_test()
    assert client.chat_postMessage(channel="C0GENERAL", text="fine")["ok"] is True


def test_wait_for_returns_the_value_or_dumps_the_transcript(stand_in: SlackStandIn,
                                                            client: WebClient) -> None:
    client.chat_postMessage(channel="C0KUDOS", text="Kudos to <@U0ALICE>")
    found = stand_in.wait_for(lambda: stand_in.messages("#kudos"), timeout=0.5)
    assert found[0]["text"] == "Kudos to <@U0ALICE>"
    with pytest.raises(AssertionError) as failure:
        stand_in.wait_for(lambda: stand_in.messages("#general"), timeout=0.05)
    assert "== #kudos ==" in str(failure.value) and "Kudos to @alice" in str(failure.value)
    assert "chat.postMessage -> ok" in str(failure.value)


def test_reset_forgets_the_transcript(stand_in: SlackStandIn, client: WebClient) -> None:
    client.chat_postMessage(channel="C0GENERAL", text="old")
    stand_in.reset()
    assert stand_in.messages("C0GENERAL") == [] and stand_in.calls() == []
