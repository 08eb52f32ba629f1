"""Hostile input, end to end: what people type reaches posts without pings, hidden links or markup."""

from __future__ import annotations

from datetime import timedelta

from bot.sandbox.world import World
from tests.care.complaint_steps import ESCALATIONS, click
from tests.expect import full_text, last_ephemeral_text, posts_in

PINGS = ("<!channel>", "<!here>", "<!everyone>", "<!subteam", "<https://evil")


def run(world: World, user: str, channel: str, command: str, text: str) -> str:
    """Send a command exactly as typed here (no escaping by the driver) and return the reply."""
    seen = len(world.stand_in.ephemerals(user=user))
    world.slack.command(user, channel, command, text, escape=False)
    return last_ephemeral_text(world, user, count=seen + 1)


def assert_no_pings(message: str) -> None:
    for ping in PINGS:
        assert ping not in message, message


def test_a_broadcast_in_an_account_name_does_not_reach_the_breach_post_or_the_dms(world):
    # Issue 9, defect 2: /account add <!channel> customer, a complaint on it, a tick: the breach post pinged.
    name = "<!channel> <!subteam^S0NETOPS|@netops>"
    assert "Added" in run(world, "U0ALICE", "#general", "/account", f"add {name} customer")
    assert "channel" in run(world, "U0ALICE", "#general", "/account", f"set {name} channel <#C0ACMEINT>")
    assert "Linked" in run(world, "U0ALICE", "#acme-shared", "/account", f"link {name}")
    reply = run(world, "U0BOB", "#acme-shared", "/complaint", "down <!here>: <https://evil.example|click> !critical")
    assert "#1" in reply
    click(world, "U0BOB", "I'll take it")
    world.advance(timedelta(days=4))
    world.tick()
    escalation = full_text(posts_in(world, ESCALATIONS)[0])
    assert "SLA breached" in escalation and "click (https://evil.example)" in escalation
    sent = [full_text(m) for m in posts_in(world, ESCALATIONS) + posts_in(world, "C0ACMEINT")]
    sent += [full_text(m) for user in ("U0ALICE", "U0BOB", "U0CAROL") for m in world.stand_in.dm_messages(user)]
    assert len(sent) >= 3
    for message in sent:
        assert_no_pings(message)


def test_a_broadcast_in_a_meeting_title_does_not_reach_the_reminder(world):
    # Issue 9, defect 2: /meeting <!channel>: <!here> review tomorrow 10am sent <!here> in the reminder (here on a
    # working day, so both reminders come).
    run(world, "U0ALICE", "#general", "/account", "add <!channel> customer")
    reply = run(world, "U0ALICE", "#general", "/meeting", "<!channel>: <!here> review next tuesday 10am")
    assert "Scheduled" in reply, reply
    world.travel(world.now() + timedelta(days=5))
    reminders = [full_text(m) for m in world.stand_in.dm_messages("U0ALICE")]
    assert len(reminders) == 2 and all("review" in text for text in reminders)
    for text in reminders:
        assert_no_pings(text)
