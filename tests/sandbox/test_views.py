"""Modals and the Home tab follow Slack's rules: trigger ids, view ids, stacks and hashes."""

from __future__ import annotations

import time
from typing import Any

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.sandbox.stand_in import SlackStandIn


def modal(callback_id: str = "complaint", title: str = "Log complaint") -> dict[str, Any]:
    return {"type": "modal", "callback_id": callback_id,
            "title": {"type": "plain_text", "text": title},
            "submit": {"type": "plain_text", "text": "Save"},
            "blocks": [{"type": "input", "block_id": "summary",
                        "label": {"type": "plain_text", "text": "Summary"},
                        "element": {"type": "plain_text_input", "action_id": "text"}}]}


def test_views_open_returns_the_view_with_an_id(client: WebClient, stand_in: SlackStandIn) -> None:
    trigger = stand_in.issue_trigger_id("U0ALICE")
    view = client.views_open(trigger_id=trigger, view=modal())["view"]
    assert view["id"].startswith("V") and view["callback_id"] == "complaint"
    assert view["state"] == {"values": {}} and view["hash"]
    current = stand_in.current_view("U0ALICE")
    assert current is not None and current["id"] == view["id"]
    assert "Summary: [____]" in stand_in.render_view(current)


def test_a_trigger_id_expires_after_three_seconds(client: WebClient, stand_in: SlackStandIn,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    issued_at = time.time()
    monkeypatch.setattr(stand_in, "clock", lambda: issued_at)
    trigger = stand_in.issue_trigger_id("U0ALICE")
    monkeypatch.setattr(stand_in, "clock", lambda: issued_at + 3.01)
    with pytest.raises(SlackApiError) as failure:
        client.views_open(trigger_id=trigger, view=modal())
    assert failure.value.response["error"] == "expired_trigger_id"


def test_trigger_ids_are_checked_and_spent_once(client: WebClient, stand_in: SlackStandIn) -> None:
    with pytest.raises(SlackApiError, match="invalid_trigger_id"):
        client.views_open(trigger_id="12345.98765.abcdef", view=modal())
    trigger = stand_in.issue_trigger_id("U0ALICE")
    client.views_open(trigger_id=trigger, view=modal())
    with pytest.raises(SlackApiError, match="exchanged_trigger_id"):
        client.views_open(trigger_id=trigger, view=modal())


def test_invalid_views_are_invalid_arguments(client: WebClient, stand_in: SlackStandIn) -> None:
    with pytest.raises(SlackApiError) as failure:
        client.views_open(trigger_id=stand_in.issue_trigger_id("U0ALICE"),
                          view=modal(title="A title far too long for Slack"))
    assert failure.value.response["error"] == "invalid_arguments"
    assert failure.value.response["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"]


def test_push_update_and_hash_conflict(client: WebClient, stand_in: SlackStandIn) -> None:
    root = client.views_open(trigger_id=stand_in.issue_trigger_id("U0BOB"), view=modal())["view"]
    pushed = client.views_push(trigger_id=stand_in.issue_trigger_id("U0BOB"),
                               view=modal("details", "Details"))["view"]
    assert pushed["root_view_id"] == root["id"] and pushed["previous_view_id"] == root["id"]
    updated = client.views_update(view_id=root["id"], hash=root["hash"],
                                  view=modal("complaint", "Complaint saved"))["view"]
    assert updated["id"] == root["id"] and updated["title"]["text"] == "Complaint saved"
    with pytest.raises(SlackApiError, match="hash_conflict"):
        client.views_update(view_id=root["id"], hash=root["hash"], view=modal())
    with pytest.raises(SlackApiError, match="not_found"):
        client.views_update(view_id="V0NOPE", view=modal())
    assert [v["callback_id"] for v in stand_in.views("U0BOB") if v["open"]] == \
        ["complaint", "details"]


def test_views_publish_sets_the_home_tab(client: WebClient, stand_in: SlackStandIn) -> None:
    blocks = [{"type": "section", "text": {"type": "mrkdwn", "text": "3 open complaints"}}]
    first = client.views_publish(user_id="U0CAROL", view={"type": "home", "blocks": blocks})
    again = client.views_publish(user_id="U0CAROL", view={"type": "home", "blocks": blocks * 2})
    assert first["view"]["id"] == again["view"]["id"]
    home = stand_in.home("U0CAROL")
    assert home is not None and len(home["blocks"]) == 2
    with pytest.raises(SlackApiError) as failure:
        client.views_publish(user_id="U0CAROL", view={"type": "home", "blocks": blocks * 101})
    assert "no more than 100 items allowed [json-pointer:/view/blocks]" in \
        failure.value.response["errors"]
