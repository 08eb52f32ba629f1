"""Log complaint on customers' messages: the thread the customer's line goes to, and what the person
resolving is told about the satisfaction survey."""

from __future__ import annotations

from bot.sandbox.world import World
from tests.care.complaint_steps import INTERNAL, SHARED, setup_acme
from tests.expect import last_ephemeral_text, posts_in


def log_complaint(world: World, user: str, ts: str, summary: str) -> None:
    """Log complaint on a message of #acme-shared, through its modal, and wait for the receipt."""
    seen = len(world.stand_in.ephemerals(user=user))
    world.slack.message_shortcut(user, "#acme-shared", "log_complaint", ts)
    world.stand_in.wait_for(lambda: world.stand_in.current_view(user))
    world.slack.submit_view(user, "complaint_new", {"complaint_account": "Acme Corp", "complaint_summary": summary})
    assert "Logged complaint" in last_ephemeral_text(world, user, count=seen + 1)


def resolve(world: World, user: str, number: int, resolution: str) -> str:
    """Press Resolve on complaint #number's card, say how, and return the note."""
    seen = len(world.stand_in.ephemerals(user=user))
    card = world.stand_in.wait_for(
        lambda: [m for m in posts_in(world, INTERNAL) if f"Complaint #{number} ·" in m["text"]])
    world.slack.click(user, "Resolve", INTERNAL, ts=card[0]["ts"])
    world.stand_in.wait_for(lambda: world.stand_in.current_view(user))
    world.slack.submit_view(user, "complaint_resolve", {"complaint_resolution": resolution})
    return last_ephemeral_text(world, user, count=seen + 1)


def test_a_complaint_logged_on_a_thread_reply_is_answered_in_that_thread(sqlite_world):
    world = sqlite_world
    setup_acme(world, **{"customer-ack": "on"})
    parent, _ = world.slack.say("U0FRANK", "#acme-shared", "Maintenance went fine?", deliver=False)
    reply, _ = world.slack.say("U0ERIN", "#acme-shared", "No, the VPN is down since!", thread_ts=parent["ts"],
                               deliver=False)
    log_complaint(world, "U0ALICE", reply["ts"], "VPN down after the maintenance")
    world.slack.click("U0BOB", "I'll take it", INTERNAL)
    [line] = world.stand_in.wait_for(lambda: posts_in(world, SHARED))
    assert line["thread_ts"] == parent["ts"]
    assert line["text"] == "Thanks, we've logged this — <@U0BOB> is on it."


def test_resolving_says_no_survey_when_the_customer_was_asked_lately(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    first, _ = world.slack.say("U0ERIN", "#acme-shared", "The VPN is down", deliver=False)
    second, _ = world.slack.say("U0ERIN", "#acme-shared", "And the portal is slow", deliver=False)
    log_complaint(world, "U0ALICE", first["ts"], "The VPN is down")
    log_complaint(world, "U0ALICE", second["ts"], "The portal is slow")
    assert "<@U0ERIN> will get a short satisfaction survey" in resolve(world, "U0BOB", 1, "Restarted the gateway")
    note = resolve(world, "U0BOB", 2, "Added a cache")
    assert "will get a short satisfaction survey" not in note
    assert "<@U0ERIN> was asked for feedback in the last 7 days, so no survey this time" in note
