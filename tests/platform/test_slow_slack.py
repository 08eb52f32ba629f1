"""Modal submissions answer Slack within 3 s even while Slack itself is slow (429s, a busy API): what
Slack must be asked is asked after the ack, or before the modal opened."""

from __future__ import annotations

from sqlmodel import select

from bot.sandbox.world import World
from storage.care.complaints import Complaint
from tests.expect import ephemeral_to, full_text, last_ephemeral_text, posts_in

SLOW = 3.2  # seconds: longer than Slack waits for an ack
LOOK_UPS = ("users.info", "chat.getPermalink", "conversations.info")


def link_acme(world: World) -> None:
    """Acme Corp linked to #acme-shared, its cards in #acme-internal; each step answered before the next."""
    for channel, text in (("#general", "add Acme Corp customer"), ("#acme-shared", "link Acme Corp"),
                          ("#general", "set Acme Corp channel #acme-internal")):
        seen = len(world.stand_in.ephemerals(user="U0ALICE"))
        world.slack.command("U0ALICE", channel, "/account", text)
        last_ephemeral_text(world, "U0ALICE", count=seen + 1)


def test_logging_a_complaint_answers_slack_in_time_while_slack_is_slow(sqlite_world):
    world = sqlite_world
    link_acme(world)
    said, _ = world.slack.say("U0ERIN", "#acme-shared", "Our VPN keeps dropping", deliver=False)
    world.slack.message_shortcut("U0BOB", "#acme-shared", "log_complaint", said["ts"])
    world.stand_in.wait_for(lambda: world.stand_in.current_view("U0BOB"))
    for method in LOOK_UPS:
        world.stand_in.delay_next(method, SLOW)
    response = world.slack.submit_view("U0BOB", "complaint_new", {"complaint_account": "Acme Corp",
                                                                  "complaint_summary": "VPN keeps dropping"})
    assert response.status == 200 and response.acked_in_time
    receipt = full_text(ephemeral_to(world, "U0BOB", count=1, timeout=15)[-1])
    assert "Logged complaint #1" in receipt
    with world.services.db.session() as session:
        [complaint] = session.exec(select(Complaint)).all()
    assert complaint.complainant_id == "U0ERIN" and complaint.permalink
    assert world.stand_in.current_view("U0BOB") is None  # the modal closed


def test_picking_whom_a_praise_is_for_answers_slack_in_time_while_slack_is_slow(sqlite_world):
    world = sqlite_world
    link_acme(world)
    world.slack.say("U0ERIN", "#acme-shared", "Your team was fantastic today", deliver=False)
    world.slack.message_shortcut("U0CAROL", "#acme-shared", "log_praise")
    world.stand_in.wait_for(lambda: world.stand_in.current_view("U0CAROL"))
    world.stand_in.delay_next("users.info", SLOW, times=2)
    response = world.slack.submit_view("U0CAROL", "praise_receivers",
                                       {"receivers": {"receivers_select": ["U0DAVE", "U0FRANK"]}})
    assert response.status == 200 and response.acked_in_time
    cards = world.stand_in.wait_for(lambda: posts_in(world, "C0KUDOS"), timeout=15)
    assert "<@U0DAVE>" in full_text(cards[0]) and "<@U0FRANK>" not in full_text(cards[0])


def test_picking_only_customers_for_a_praise_logs_nothing_and_says_why(sqlite_world):
    world = sqlite_world
    link_acme(world)
    world.slack.say("U0ERIN", "#acme-shared", "Your team was fantastic today", deliver=False)
    world.slack.message_shortcut("U0CAROL", "#acme-shared", "log_praise")
    world.stand_in.wait_for(lambda: world.stand_in.current_view("U0CAROL"))
    world.slack.submit_view("U0CAROL", "praise_receivers", {"receivers": {"receivers_select": ["U0FRANK"]}})
    assert "None of the people you picked is one of ours" in last_ephemeral_text(world, "U0CAROL")
    assert posts_in(world, "C0KUDOS") == []
