"""The driver's requests carry what Slack's do, for every surface a person can act on."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.sandbox.stand_in import SlackDriver, SlackStandIn
from bot.sandbox.stand_in.wsgi import serve_bolt_app

SECRET = "driver-test-secret"


def button(label: str, action_id: str) -> dict[str, Any]:
    return {"type": "button", "text": {"type": "plain_text", "text": label}, "action_id": action_id,
            "value": label.lower()}


@pytest.fixture
def seen(stand_in: SlackStandIn, client: WebClient) -> Iterator[tuple[SlackDriver, list[dict[str, Any]]]]:
    """A Bolt app that acks everything and keeps each request body it received."""
    bodies: list[dict[str, Any]] = []
    app = App(signing_secret=SECRET, client=client)

    def keep(ack: Ack, body: dict[str, Any]) -> None:
        ack()
        bodies.append(body)

    app.command("/survey")(keep)
    app.action(re.compile(".*"))(keep)
    app.shortcut("new_account")(keep)
    app.view_closed("survey")(keep)
    app.event("message")(keep)
    with serve_bolt_app(app) as url:
        yield SlackDriver(url, SECRET, stand_in), bodies


def test_an_external_users_command_names_their_own_team(seen, stand_in: SlackStandIn) -> None:
    driver, bodies = seen
    driver.command("U0ERIN", "#acme-shared", "/survey", "results 3")
    (body,) = bodies
    assert (body["team_id"], body["user_id"], body["channel_name"]) == \
        ("T0ACME", "U0ERIN", "acme-shared")
    assert body["response_url"].startswith(stand_in.base_url + "response/")
    with pytest.raises(AssertionError, match="not in"):
        driver.command("U0ERIN", "#escalations", "/survey")


def test_clicking_an_ephemeral_button_sends_no_message(seen, client: WebClient) -> None:
    driver, bodies = seen
    client.chat_postEphemeral(channel="C0GENERAL", user="U0BOB", text="Sure?",
                              blocks=[{"type": "actions", "elements": [button("Yes", "confirm")]}])
    with pytest.raises(LookupError):
        driver.click("U0ALICE", "Yes")  # only Bob sees it
    driver.click("U0BOB", "Yes")
    (body,) = bodies
    assert body["container"]["is_ephemeral"] is True and "message" not in body
    assert body["actions"][0] | {"action_ts": None} == {
        "type": "button", "action_id": "confirm", "block_id": body["actions"][0]["block_id"],
        "text": {"type": "plain_text", "text": "Yes", "emoji": True}, "value": "yes",
        "action_ts": None}


def test_clicking_in_the_home_tab_and_choosing_from_a_select(seen, client: WebClient) -> None:
    driver, bodies = seen
    client.views_publish(user_id="U0CAROL", view={"type": "home", "blocks": [
        {"type": "actions", "elements": [
            button("Refresh", "refresh"),
            {"type": "static_select", "action_id": "period",
             "options": [{"text": {"type": "plain_text", "text": t}, "value": t.lower()}
                         for t in ("Week", "Month")]}]}]})
    driver.click("U0CAROL", "Refresh")
    driver.select("U0CAROL", "period", "Month")
    refresh, period = bodies
    assert refresh["container"]["type"] == "view" and refresh["view"]["type"] == "home"
    assert period["actions"][0]["selected_option"]["value"] == "month"


def test_global_shortcut_and_closing_a_modal(seen, stand_in: SlackStandIn,
                                             client: WebClient) -> None:
    driver, bodies = seen
    driver.global_shortcut("U0DAVE", "new_account")
    trigger = bodies[0]["trigger_id"]
    client.views_open(trigger_id=trigger, view={
        "type": "modal", "callback_id": "survey", "notify_on_close": True,
        "title": {"type": "plain_text", "text": "Survey"},
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Rate us"}}]})
    driver.close_view("U0DAVE", "survey")
    assert bodies[1]["type"] == "view_closed" and bodies[1]["view"]["callback_id"] == "survey"
    assert stand_in.current_view("U0DAVE") is None


def test_a_customer_message_arrives_as_a_slack_connect_event(seen, stand_in: SlackStandIn) -> None:
    driver, bodies = seen
    record, answer = driver.say("U0FRANK", "#acme-shared", "Thanks @bob, all good now")
    assert answer.status == 200
    event = stand_in.wait_for(lambda: bodies)[0]["event"]
    assert (event["user"], event["ts"], event["user_team"]) == ("U0FRANK", record["ts"], "T0ACME")
    assert event["text"] == record["text"] == "Thanks <@U0BOB>, all good now"
    assert bodies[0]["is_ext_shared_channel"] is True


def test_mentions_are_escaped_like_slack(stand_in: SlackStandIn) -> None:
    driver = SlackDriver("http://127.0.0.1:9", SECRET, stand_in)
    text = "@alice and @netops see #kudos, mail bob@acme.com, not @nobody @here <@U0BOB|bob>"
    assert driver.escape(text) == (
        "<@U0ALICE|alice> and <!subteam^S0NETOPS|@netops> see <#C0KUDOS|kudos>, mail bob@acme.com,"
        " not @nobody <!here> <@U0BOB|bob>")
