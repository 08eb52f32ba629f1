"""Praise beyond the team, end to end over signed HTTP: a letter of thanks to the customer who praised us
(drafted, edited, sent by a manager or the owner, recorded on the account) and the story shared inside."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from bot.sandbox.world import World
from storage.care.contacts import Touchpoint
from tests.expect import ephemeral_to, full_text, last_ephemeral_text, posts_in

CAROL, BOB, ERIN = "U0CAROL", "U0BOB", "U0ERIN"  # carol is a service manager (and owns Acme here)


def praised(world: World) -> dict[str, Any]:
    """erin of Acme praises bob and alice in #acme-shared; carol logs it: the card in #kudos."""
    world.slack.command(CAROL, "#acme-internal", "/account", "add Acme customer")
    ephemeral_to(world, CAROL, count=1)
    world.slack.command(CAROL, "#acme-shared", "/account", "link Acme")
    ephemeral_to(world, CAROL, count=2)
    world.slack.say(ERIN, "#acme-shared", "Big thanks to @bob and @alice for the quick fix!")
    world.slack.message_shortcut(CAROL, "#acme-shared", "log_praise")
    [card] = world.stand_in.wait_for(lambda: posts_in(world, "C0KUDOS"))
    return card


def test_a_manager_sends_an_edited_thank_you_note_into_the_customers_channel(world):
    card = praised(world)
    assert "Send a thank-you note" in full_text(card) and "Share the story" in full_text(card)
    world.slack.click(CAROL, "Send a thank-you note", "C0KUDOS")
    view = world.stand_in.wait_for(lambda: world.stand_in.current_view(CAROL))
    assert "Dear <@U0ERIN>, thank you for your kind words about" in str(view)  # drafted from the praise
    world.slack.submit_view(CAROL, "praise_thanks", {"praise_field_text": "Dear Erin, thank you! — the NOC team"})
    [note] = world.stand_in.wait_for(lambda: [m for m in posts_in(world, "#acme-shared")
                                              if "thank you! — the NOC team" in full_text(m)])
    assert "<@U0CAROL>" in full_text(note)
    with world.services.db.session() as session:
        [touch] = session.exec(select(Touchpoint)).all()
    assert touch.summary.startswith("Letter of thanks for their praise") and touch.customer_id == ERIN
    world.slack.click(CAROL, "Send a thank-you note", "C0KUDOS")
    world.stand_in.wait_for(lambda: world.stand_in.current_view(CAROL))
    world.slack.submit_view(CAROL, "praise_thanks", {"praise_field_text": "Again"})
    assert "already sent" in str(world.stand_in.current_view(CAROL)["errors"])


def test_an_engineer_is_told_who_sends_the_note(world):
    praised(world)
    world.slack.click(BOB, "Send a thank-you note", "C0KUDOS")
    assert "the engineers' manager or the owner of Acme sends it" in last_ephemeral_text(world, BOB)
    assert world.stand_in.current_view(BOB) is None


def test_the_story_goes_to_an_internal_channel_never_a_shared_one(world):
    praised(world)
    world.slack.click(BOB, "Share the story", "C0KUDOS")
    world.stand_in.wait_for(lambda: world.stand_in.current_view(BOB))
    values = {"praise_field_channel": "C0ACMESHR", "praise_field_done": "Rebuilt the tunnel in ten minutes",
              "praise_field_lessons": "Keep the runbook next to the alert"}
    world.slack.submit_view(BOB, "praise_story", values)
    assert "shared with another organisation" in str(world.stand_in.current_view(BOB)["errors"])
    world.slack.submit_view(BOB, "praise_story", {**values, "praise_field_channel": "C0GENERAL"})
    [post] = world.stand_in.wait_for(lambda: posts_in(world, "#general"))
    text = full_text(post)
    assert "What we learned: praise from Acme" in text and "Keep the runbook next to the alert" in text
    assert [m for m in posts_in(world, "#acme-shared") if "What we learned" in full_text(m)] == []
