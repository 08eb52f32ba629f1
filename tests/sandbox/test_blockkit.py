"""Block Kit limits are enforced as Slack enforces them, and blocks render readably."""

from __future__ import annotations

from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.stand_in import SlackStandIn, render_blocks, validate_message_blocks, validate_view


def section(text: str, **extra: object) -> dict[str, Any]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}, **extra}


def button(label: str, action_id: str, value: str = "v") -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": label},
            "action_id": action_id, "value": value}


@pytest.mark.parametrize(("blocks", "problem"), [
    ([section("x" * 3001)], "must be less than 3001 characters [json-pointer:/blocks/0/text/text]"),
    ([section("ok")] * 51, "no more than 50 items allowed [json-pointer:/blocks]"),
    ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f"}] * 11}],
     "no more than 10 items allowed [json-pointer:/blocks/0/fields]"),
    ([{"type": "section", "fields": [{"type": "mrkdwn", "text": "f" * 2001}]}],
     "must be less than 2001 characters [json-pointer:/blocks/0/fields/0/text]"),
    ([{"type": "header", "text": {"type": "plain_text", "text": "h" * 151}}],
     "must be less than 151 characters [json-pointer:/blocks/0/text/text]"),
    ([{"type": "header", "text": {"type": "mrkdwn", "text": "*h*"}}],
     "must be plain_text [json-pointer:/blocks/0/text/type]"),
    ([{"type": "actions", "elements": [button("b" * 76, "a")]}],
     "must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]"),
    ([{"type": "actions", "elements": [button("b", "a", "v" * 2001)]}],
     "must be less than 2001 characters [json-pointer:/blocks/0/elements/0/value]"),
    ([{"type": "actions", "elements": [button("b", "a" * 256)]}],
     "must be less than 256 characters [json-pointer:/blocks/0/elements/0/action_id]"),
    ([{"type": "actions", "elements": [button("b", f"a{i}") for i in range(26)]}],
     "no more than 25 items allowed [json-pointer:/blocks/0/elements]"),
    ([{"type": "actions", "elements": [button("One", "same"), button("Two", "same")]}],
     "duplicate action_id: same [json-pointer:/blocks/0/elements/1/action_id]"),
    ([section("a", block_id="b1"), section("b", block_id="b1")],
     "duplicate block_id: b1 [json-pointer:/blocks/1/block_id]"),
    ([{"type": "context", "elements": [{"type": "mrkdwn", "text": "c"}] * 11}],
     "no more than 10 items allowed [json-pointer:/blocks/0/elements]"),
    ([{"type": "carousel"}], "unsupported block type: carousel [json-pointer:/blocks/0/type]"),
    ([section("")], "must be more than 0 characters [json-pointer:/blocks/0/text/text]"),
])
def test_slack_rejects_blocks_over_its_limits(blocks: list[Any], problem: str) -> None:
    assert problem in validate_message_blocks(blocks)


def test_valid_blocks_pass(stand_in: SlackStandIn) -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Complaint #12"}},
        section("*VPN down* for <@U0ERIN>", accessory=button("Open", "open")),
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "SLA 4 h"}]},
        {"type": "actions", "elements": [button("Acknowledge", "ack"), button("Resolve", "res")]},
    ]
    assert validate_message_blocks(blocks) == []


def test_invalid_blocks_reach_the_client_as_slack_words_them(client: WebClient) -> None:
    with pytest.raises(SlackApiError) as failure:
        client.chat_postMessage(channel="C0GENERAL", text="fallback", blocks=[section("x" * 3001)])
    answer = failure.value.response
    assert answer["error"] == "invalid_blocks"
    assert answer["response_metadata"]["messages"] == [
        "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"]


def test_views_have_their_own_limits() -> None:
    modal = {"type": "modal", "title": {"type": "plain_text", "text": "t" * 25},
             "submit": {"type": "plain_text", "text": "s" * 25},
             "blocks": [section("ok")] * 101}
    problems = validate_view(modal)
    assert "must be less than 25 characters [json-pointer:/view/title/text]" in problems
    assert "must be less than 25 characters [json-pointer:/view/submit/text]" in problems
    assert "no more than 100 items allowed [json-pointer:/view/blocks]" in problems
    home = {"type": "home", "blocks": [section("ok")] * 100}
    assert validate_view(home) == []


def test_rendering_reads_like_the_slack_client(stand_in: SlackStandIn) -> None:
    blocks = [
        {"type": "header", "text": {"type": "plain_text", "text": "Complaint #12"}},
        section("VPN down for <@U0ERIN> in <#C0ACMESHR|acme-shared>, cc <!subteam^S0NETOPS>"),
        {"type": "section", "fields": [{"type": "mrkdwn", "text": "*Severity*\nhigh"},
                                       {"type": "mrkdwn", "text": "*Owner*\n<@U0ALICE>"}]},
        {"type": "divider"},
        {"type": "context", "elements": [{"type": "mrkdwn", "text": "Ack due 10:00"},
                                         {"type": "image", "image_url": "https://x/y.png",
                                          "alt_text": "clock"}]},
        {"type": "image", "image_url": "https://x/chart.png", "alt_text": "CSAT trend"},
        {"type": "actions", "elements": [button("Acknowledge", "ack"), button("Resolve", "res")]},
    ]
    lines = render_blocks(blocks, stand_in.name_of)
    assert lines[:2] == ["Complaint #12", "============="]
    assert lines[2] == "VPN down for @erin in #acme-shared, cc @netops"
    assert lines[3] == "*Severity* high | *Owner* @alice"
    assert "  Ack due 10:00 · [image: clock]" in lines
    assert "[image: CSAT trend]" in lines
    assert lines[-1] == "[Acknowledge] [Resolve]"


def test_find_button_returns_the_latest_match(client: WebClient, stand_in: SlackStandIn) -> None:
    older = client.chat_postMessage(channel="C0ACMESHR", text="card 1", blocks=[
        {"type": "actions", "elements": [button("Acknowledge", "ack", "c1")]}])
    newer = client.chat_postMessage(channel="C0ACMESHR", text="card 2", blocks=[
        {"type": "actions", "elements": [button("Acknowledge", "ack", "c2")]}])
    found = stand_in.find_button("Acknowledge", "C0ACMESHR")
    assert found.message is not None
    assert (found.value, found.channel, found.message["ts"]) == ("c2", "C0ACMESHR", newer["ts"])
    assert found.block_id  # Slack fills in block ids the app left out
    assert stand_in.find_button("acknowledge", ts=older["ts"]).value == "c1"
    with pytest.raises(LookupError, match="buttons on screen: \\['Acknowledge'\\]"):
        stand_in.find_button("Escalate")
    assert "[Acknowledge]" in stand_in.render_channel("#acme-shared")


def test_limits_count_characters_not_bytes_as_slack_does():
    header = {"type": "header", "text": {"type": "plain_text", "text": "汉" * 150}}  # 450 bytes in UTF-8
    assert validate_message_blocks([header, section("投" * 3000)]) == []
    too_long = {"type": "header", "text": {"type": "plain_text", "text": "汉" * 151}}
    assert "must be less than 151 characters [json-pointer:/blocks/0/text/text]" in validate_message_blocks([too_long])
