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


# Issue 9, defect 3: digits other than 0-9 in ids and numbers.
OTHER_DIGITS = [
    ("/complaint", "²", "as in `/complaint 12`"),
    ("/complaint", "#²", "as in `/complaint 12`"),
    ("/complaint", "٣", "as in `/complaint 12`"),
    ("/complaint", "list ²", "`/complaint list breached 2`"),
    ("/dispute", "²", "as in `/dispute 12`"),
    ("/dispute", "list ٣", "/dispute list"),
    ("/account", "list ²", "`/account list 2`"),
    ("/supplier", "list ²", "`/supplier list 2`"),
    ("/contact", "cold ²", "`/contact cold 2`"),
    ("/meeting", "cancel ²", "as in `/meeting cancel 12`"),
    ("/meeting", "cancel ٣", "as in `/meeting cancel 12`"),
    ("/thirdparty", "done ²", "as in `/thirdparty done 12`"),
    ("/account", "set Acme Corp cadence ٣", "cadence in days"),
    ("/meeting", "Acme Corp: review ٢٠٢٧-٠١-٠٥ 10:00", "digits 0-9"),
    ("/meeting", "Acme Corp: sync every month on working day ٣ at 10:00", "digits 0-9"),
]


def add_acme(world: World) -> None:
    assert "Added" in run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")


def test_numbers_in_other_digits_are_refused_naming_the_form(sqlite_world):
    world = sqlite_world
    add_acme(world)
    for command, text, expected in OTHER_DIGITS:
        reply = run(world, "U0ALICE", "#general", command, text)
        assert expected in reply and "Something went wrong" not in reply, (command, text, reply)
    assert "Scheduled" not in full_text(world.stand_in.ephemerals(user="U0ALICE")[-1])


# Issue 9, defect 4: ids past the database's integers are simply not found.
TOO_LARGE = [
    ("/complaint", "99999999999999999999", "There is no complaint #99999999999999999999"),
    ("/complaint", "2147483648", "There is no complaint #2147483648"),
    ("/dispute", "2147483648", "There is no dispute #2147483648"),
    ("/thirdparty", "done 2147483648", "There is no third-party request #2147483648"),
    ("/meeting", "cancel 99999999999999999999", "There is no meeting 99999999999999999999"),
    ("/complaint", "list 99999999999999999999", "complaint"),
    ("/account", "list 99999999999999999999", "account"),
]


def test_ids_too_large_for_the_database_are_not_found(world):
    for command, text, expected in TOO_LARGE:
        reply = run(world, "U0ALICE", "#general", command, text)
        assert expected in reply and "Something went wrong" not in reply, (command, text, reply)


# Issue 9, defect 5: long free text is refused saying the limit, never echoed whole.
LONG = "é" * 40_000
TOO_LONG = [
    ("/account", LONG, "at most 80 characters"),
    ("/account", f"add {LONG} customer", "at most 80 characters"),
    ("/account", f"link {LONG}", "at most 80 characters"),
    ("/supplier", LONG, "at most 80 characters"),
    ("/meeting", f"Acme Corp: {LONG} tomorrow 10am", "at most 200 characters"),
    ("/meeting", f"Acme Corp: {'x' * 201} tomorrow 10am", "at most 200 characters"),
    ("/complaint", f"Acme Corp: {LONG}", "keep it under 2000"),
    ("/contact", f"Acme Corp: {LONG}", "keep it under 2000"),
    ("/praise", f"<@U0BOB> {LONG}", "Keep it under"),
    ("/rapport", LONG, "I don't know"),
    ("/account", f"set Acme Corp {LONG}", "is not a setting"),
]


def test_long_text_is_refused_with_its_limit_and_never_echoed(world):
    add_acme(world)
    for command, text, expected in TOO_LONG:
        reply = run(world, "U0ALICE", "#general", command, text)
        assert expected in reply and len(reply) < 4000 and "Something went wrong" not in reply, (command, reply[:300])
    assert "Scheduled" not in "".join(full_text(m) for m in world.stand_in.ephemerals(user="U0ALICE"))


# Issue 9, defect 11: dates and rules that cannot be are refused with the reason, not folded into the title.
IMPOSSIBLE = [
    ("Acme Corp: review 9999-12-31 10:00", "more than five years ahead"),
    ("Acme Corp: review 2036-01-01 10:00", "more than five years ahead"),
    ("Acme Corp: review 2026-02-30 10:00", "no such day"),
    ("Acme Corp: review 2020-01-01 10:00", "has passed"),
    ("Acme Corp: review every month on working day 99 at 10:00", "working day from 1 to"),
    ("Acme Corp: review every week on working day 9 at 10:00", "working day from 1 to"),
]


def test_impossible_dates_and_rules_are_refused_with_the_reason(sqlite_world):
    world = sqlite_world
    add_acme(world)
    for text, reason in IMPOSSIBLE:
        reply = run(world, "U0ALICE", "#general", "/meeting", text)
        assert reason in reply and "Scheduled" not in reply, (text, reply)
    reply = run(world, "U0ALICE", "#general", "/meeting", "Acme Corp: m² pricing tomorrow 10am")
    assert "Scheduled *m² pricing*" in reply  # a title word with a superscript is still a title


# Issue 9, defect 8: when Slack cannot open a form, say so and what to retry.
def test_when_slack_cannot_open_a_form_the_person_is_told_to_retry(sqlite_world, caplog):
    world = sqlite_world
    for status, command in ((500, "/complaint"), (429, "/dispute"), (503, "/complaint")):
        world.stand_in.fail_next("views.open", status=status, times=2)  # the client retries once itself
        reply = run(world, "U0ALICE", "#general", command, "")
        assert "Slack is busy" in reply and f"`{command}` again" in reply, reply
        assert "Something went wrong" not in reply
    assert "Traceback" not in caplog.text
    world.slack.command("U0ALICE", "#general", "/complaint", "")
    assert world.stand_in.wait_for(lambda: world.stand_in.views("U0ALICE"))  # once Slack answers, the form opens


# Issue 9, defect 9: a message that fails for good is reported to the person whose action sent it, and why.
def test_a_praise_that_fails_for_good_is_reported_to_the_giver_with_the_reason(sqlite_world):
    world = sqlite_world
    world.stand_in.fail_next("chat.postMessage", status=503, times=2)  # slow first: "will appear shortly"
    reply = run(world, "U0ALICE", "#general", "/praise", "<@U0BOB|bob> handled the outage")
    assert "will appear in <#C0KUDOS> shortly" in reply
    world.stand_in.fail_next("chat.postMessage", error="channel_not_found")
    world.advance(timedelta(minutes=5))
    world.tick()
    notices = [full_text(m) for m in world.stand_in.dm_messages("U0ALICE")]
    assert len(notices) == 1, notices
    assert "Your praise could not be delivered to <#C0KUDOS> and will not be retried" in notices[0]
    assert "the channel no longer exists" in notices[0]
    assert posts_in(world, "C0KUDOS") == []


def test_a_praise_refused_at_once_says_so_in_the_receipt(sqlite_world):
    world = sqlite_world
    world.stand_in.fail_next("chat.postMessage", error="channel_not_found")
    reply = run(world, "U0ALICE", "#general", "/praise", "<@U0BOB|bob> handled the outage")
    assert "could not be published in <#C0KUDOS>: the channel no longer exists" in reply
    assert "shortly" not in reply


def test_a_feedback_request_that_fails_for_good_is_reported_to_who_asked(sqlite_world):
    world = sqlite_world
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    run(world, "U0ALICE", "#acme-shared", "/account", "link Acme Corp")
    message, _response = world.slack.say("U0ERIN", "#acme-shared", "Thanks for the quick fix")
    world.stand_in.fail_next("chat.postMessage", error="not_in_channel")
    seen = len(world.stand_in.ephemerals(user="U0BOB"))
    world.slack.message_shortcut("U0BOB", "#acme-shared", "ask_for_feedback", message["ts"])
    last_ephemeral_text(world, "U0BOB", count=seen + 1)
    world.tick()
    [notice] = [full_text(m) for m in world.stand_in.dm_messages("U0BOB")]
    assert "Your feedback request could not be delivered to <#C0ACMESHR>" in notice
    assert "Rapport is not a member of the channel" in notice
