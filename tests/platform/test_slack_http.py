"""Keep-alive HTTP to Slack: one open connection per thread and host, and Slack's answers as slack_sdk reads them."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from urllib.error import URLError

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from bot.platform import slack_http
from bot.platform.slack import make_client
from bot.sandbox.stand_in import BOT_TOKEN, SlackStandIn
from handlers.context import BoundedRespond

CHANNEL = "C0GENERAL"


@pytest.fixture
def stand_in() -> Iterator[SlackStandIn]:
    with SlackStandIn() as slack:
        yield slack
    slack_http.close_all()  # this thread's connections to the stopped stand-in


def _texts(stand_in: SlackStandIn) -> list[str]:
    return [message["text"] for message in stand_in.messages(CHANNEL)]


def test_calls_from_one_thread_share_one_connection(stand_in: SlackStandIn) -> None:
    client = make_client(BOT_TOKEN, stand_in.api_url)
    for number in range(5):
        client.chat_postMessage(channel=CHANNEL, text=f"kept {number}")
    assert _texts(stand_in) == [f"kept {number}" for number in range(5)]
    assert stand_in.connections_opened() == 1


def test_slack_sdks_own_client_opens_a_connection_a_call(stand_in: SlackStandIn) -> None:
    client = WebClient(token=BOT_TOKEN, base_url=stand_in.api_url)  # what a bare Bolt app uses
    for number in range(3):
        client.chat_postMessage(channel=CHANNEL, text=f"closed {number}")
    assert stand_in.connections_opened() == 3


def test_each_thread_has_its_own_connection(stand_in: SlackStandIn) -> None:
    client = make_client(BOT_TOKEN, stand_in.api_url)

    def post_twice(name: str) -> None:
        for number in range(2):
            client.chat_postMessage(channel=CHANNEL, text=f"{name} {number}")

    threads = [threading.Thread(target=post_twice, args=(f"t{n}",)) for n in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(_texts(stand_in)) == sorted(f"t{n} {k}" for n in range(3) for k in range(2))
    assert stand_in.connections_opened() == 3


def test_a_connection_slack_closed_while_idle_is_replaced_and_the_message_posted_once(stand_in: SlackStandIn) -> None:
    client = make_client(BOT_TOKEN, stand_in.api_url)
    client.chat_postMessage(channel=CHANNEL, text="before")
    stand_in.drop_connections()
    client.chat_postMessage(channel=CHANNEL, text="after")
    assert _texts(stand_in) == ["before", "after"]
    assert stand_in.connections_opened() == 2


def test_a_rate_limit_reaches_the_caller_with_its_retry_after(stand_in: SlackStandIn) -> None:
    client = make_client(BOT_TOKEN, stand_in.api_url, wait_on_429=False)
    stand_in.fail_next("chat.postMessage", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel=CHANNEL, text="too fast")
    assert refused.value.response.status_code == 429
    assert refused.value.response.headers["Retry-After"] == "7"
    client.chat_postMessage(channel=CHANNEL, text="on time")  # the same connection goes on
    assert _texts(stand_in) == ["on time"]
    assert stand_in.connections_opened() == 1


def test_a_server_error_is_tried_again_once_as_slack_sdk_does(stand_in: SlackStandIn) -> None:
    client = make_client(BOT_TOKEN, stand_in.api_url)
    stand_in.fail_next("chat.postMessage", status=500)
    client.chat_postMessage(channel=CHANNEL, text="second time lucky")
    assert [call["status"] for call in stand_in.calls("chat.postMessage")] == [500, 200]
    assert _texts(stand_in) == ["second time lucky"]


def test_an_error_slack_answers_in_its_body_is_raised(stand_in: SlackStandIn) -> None:
    client = make_client(BOT_TOKEN, stand_in.api_url)
    with pytest.raises(SlackApiError) as refused:
        client.chat_postMessage(channel="C0NOWHERE", text="lost")
    assert refused.value.response["error"] == "channel_not_found"


def test_a_stopped_slack_does_not_answer_on_a_connection_kept_open() -> None:
    with SlackStandIn() as slack:
        client = make_client(BOT_TOKEN, slack.api_url)
        client.chat_postMessage(channel=CHANNEL, text="while up")
    with pytest.raises((SlackClientError, OSError)):
        client.chat_postMessage(channel=CHANNEL, text="while down")
    assert [message["text"] for message in slack.messages(CHANNEL)] == ["while up"]
    slack_http.close_all()


def test_replies_to_a_response_url_share_a_connection_too(stand_in: SlackStandIn) -> None:
    url = stand_in.issue_response_url(user="U0ALICE", channel=CHANNEL)
    for number in range(3):
        BoundedRespond(response_url=url)(text=f"reply {number}")
    assert [reply["text"] for reply in stand_in.ephemerals(channel=CHANNEL)] == [f"reply {n}" for n in range(3)]
    assert stand_in.connections_opened() == 1


def test_no_slack_listening_fails_with_the_error_urllib_raises() -> None:
    with SlackStandIn() as slack:
        url = slack.api_url
    client = make_client(BOT_TOKEN, url)  # the port is closed now: nothing answers there
    with pytest.raises(URLError):
        client.chat_postMessage(channel=CHANNEL, text="into the void")
    assert slack.calls() == []
