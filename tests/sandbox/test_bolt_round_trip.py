"""A real Bolt app over HTTP, driven by signed requests, answering into the stand-in."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.sandbox.stand_in import SlackDriver, SlackStandIn
from bot.sandbox.stand_in.wsgi import serve_bolt_app

SECRET = "stand-in-signing-secret"

COMPLAINT_MODAL = {
    "type": "modal", "callback_id": "complaint", "title": {"type": "plain_text", "text": "Log complaint"},
    "submit": {"type": "plain_text", "text": "Save"},
    "blocks": [
        {"type": "input", "block_id": "summary", "label": {"type": "plain_text", "text": "Summary"},
         "element": {"type": "plain_text_input", "action_id": "text"}},
        {"type": "input", "block_id": "severity", "label": {"type": "plain_text", "text": "Severity"},
         "element": {"type": "static_select", "action_id": "pick", "options": [
             {"text": {"type": "plain_text", "text": label}, "value": label.lower()}
             for label in ("High", "Normal")]}},
    ],
}


def build_app(client: WebClient) -> App:
    """A minimal Bolt app touching each surface the stand-in has to imitate."""
    app = App(signing_secret=SECRET, client=client)

    @app.command("/praise")
    def praise(ack: Ack, command: dict[str, Any], respond: Respond, client: WebClient) -> None:
        ack()
        respond(f"Praise recorded: {command['text']}")
        client.chat_postMessage(channel="C0KUDOS", text=f"Kudos: {command['text']}", blocks=[
            {"type": "section", "text": {"type": "mrkdwn", "text": f"Kudos: {command['text']}"}},
            {"type": "actions", "elements": [{"type": "button", "action_id": "celebrate",
                                              "text": {"type": "plain_text", "text": "Celebrate"},
                                              "value": command["user_id"]}]}])

    @app.command("/rapport")
    def rapport(ack: Ack) -> None:
        ack("Try `/rapport help`.")

    @app.action("celebrate")
    def celebrate(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        respond(replace_original=True, text=f"Celebrated by <@{body['user']['id']}>")

    @app.shortcut("log_complaint")
    def log_complaint(ack: Ack, shortcut: dict[str, Any], client: WebClient) -> None:
        ack()
        view = dict(COMPLAINT_MODAL, private_metadata=shortcut["message"]["ts"])
        client.views_open(trigger_id=shortcut["trigger_id"], view=view)

    @app.view("complaint")
    def save_complaint(ack: Ack, view: dict[str, Any], client: WebClient) -> None:
        values = view["state"]["values"]
        summary = values["summary"]["text"]["value"]
        if len(summary) < 5:
            ack(response_action="errors", errors={"summary": "Say a little more"})
            return
        ack()
        severity = values["severity"]["pick"]["selected_option"]["value"]
        client.chat_postMessage(channel="C0ESCAL", text=f"[{severity}] {summary}")

    @app.event("app_mention")
    def mentioned(event: dict[str, Any], say, request) -> None:
        say(f"retry {request.headers.get('x-slack-retry-num', ['none'])[0]}: {event['text']}")

    return app


@pytest.fixture
def driver(stand_in: SlackStandIn, client: WebClient) -> Iterator[SlackDriver]:
    """A driver aimed at the Bolt app served by waitress."""
    with serve_bolt_app(build_app(client)) as app_url:
        yield SlackDriver(app_url, SECRET, stand_in)


def test_slash_command_replies_by_respond_and_by_post_message(
        driver: SlackDriver, stand_in: SlackStandIn) -> None:
    answer = driver.command("U0ALICE", "C0GENERAL", "/praise", "@bob fixed the VPN")
    assert answer.status == 200 and answer.acked_in_time
    assert answer.payload["text"] == "<@U0BOB|bob> fixed the VPN"  # escaped like Slack does
    kudos = stand_in.wait_for(lambda: stand_in.messages("#kudos"))
    assert kudos[0]["text"] == "Kudos: <@U0BOB|bob> fixed the VPN"
    (reply,) = stand_in.wait_for(lambda: stand_in.ephemerals(user="U0ALICE"))
    assert reply["channel"] == "C0GENERAL" and reply["source"] == "response_url"
    assert reply["text"] == "Praise recorded: <@U0BOB|bob> fixed the VPN"
    assert "Kudos: @bob fixed the VPN" in stand_in.render_channel("#kudos")


def test_an_ack_with_text_is_shown_to_the_user(driver: SlackDriver, stand_in: SlackStandIn) -> None:
    driver.command("U0CAROL", "C0GENERAL", "/rapport")
    assert stand_in.ephemerals(user="U0CAROL")[0]["text"] == "Try `/rapport help`."


def test_clicking_a_button_lets_the_app_replace_the_message(
        driver: SlackDriver, stand_in: SlackStandIn) -> None:
    driver.command("U0ALICE", "C0GENERAL", "/praise", "@bob fixed the VPN")
    stand_in.wait_for(lambda: stand_in.find_button("Celebrate"))
    answer = driver.click("U0DAVE", "Celebrate")
    assert answer.status == 200
    assert answer.payload["actions"][0]["value"] == "U0ALICE"
    assert answer.payload["container"]["channel_id"] == "C0KUDOS"
    message = stand_in.wait_for(lambda: [m for m in stand_in.messages("#kudos") if m["edits"]])[0]
    assert message["text"] == "Celebrated by <@U0DAVE>" and message["blocks"] == []


def test_shortcut_opens_a_modal_and_submission_follows_response_action(
        driver: SlackDriver, stand_in: SlackStandIn) -> None:
    said, _ = driver.say("U0ERIN", "C0ACMESHR", "VPN is down again", deliver=False)
    driver.message_shortcut("U0ALICE", "C0ACMESHR", "log_complaint")
    view = stand_in.wait_for(lambda: stand_in.current_view("U0ALICE"))
    assert view["private_metadata"] == said["ts"]

    with pytest.raises(ValueError, match="'severity' is required"):
        driver.submit_view("U0ALICE", "complaint", {"summary": "VPN"})
    driver.submit_view("U0ALICE", "complaint", {"summary": "VPN", "severity": "High"})
    still_open = stand_in.current_view("U0ALICE")
    assert still_open is not None and still_open["errors"] == {"summary": "Say a little more"}

    driver.submit_view("U0ALICE", "complaint", {"summary": "VPN down twice", "severity": "high"})
    assert stand_in.current_view("U0ALICE") is None
    posted = stand_in.wait_for(lambda: stand_in.messages("#escalations"))
    assert posted[0]["text"] == "[high] VPN down twice"


def test_events_carry_retry_headers(driver: SlackDriver, stand_in: SlackStandIn) -> None:
    event = {"type": "app_mention", "user": "U0BOB", "channel": "C0GENERAL",
             "text": "<@U0RAPPORT> hi", "ts": stand_in.next_ts()}
    first = driver.event(event)
    driver.event(event, event_id=first.payload["event_id"], retry_num=1)

    def both_answers() -> list[str] | None:
        texts = [m["text"] for m in stand_in.messages("#general")]
        return texts if len(texts) == 2 else None

    texts = stand_in.wait_for(both_answers)
    assert sorted(texts) == ["retry 1: <@U0RAPPORT> hi", "retry none: <@U0RAPPORT> hi"]


def test_url_verification_echoes_the_challenge(driver: SlackDriver) -> None:
    assert driver.url_verification("abc123").json() == {"challenge": "abc123"}


def test_a_bad_signature_or_an_old_timestamp_is_refused(driver: SlackDriver) -> None:
    body = urlencode({"command": "/rapport", "text": "", "user_id": "U0ALICE", "team_id": "T0HOME"})
    content_type = "application/x-www-form-urlencoded"
    forged = driver.headers_for(body, content_type)
    forged["X-Slack-Signature"] = "v0=" + "0" * 64
    assert driver.post_raw(body, forged).status == 401
    stale = driver.headers_for(body, content_type, timestamp=int(time.time()) - 600)
    assert driver.post_raw(body, stale).status == 401
    fresh = driver.headers_for(body, content_type)
    assert fresh["X-Slack-Signature"] == driver.sign(body, fresh["X-Slack-Request-Timestamp"])
    assert driver.post_raw(body, fresh).status == 200
