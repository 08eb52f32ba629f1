"""Conversation capture end to end: messages in a linked channel become touchpoints once, inbound or outbound;
an unanswered customer message runs a first-response clock on business hours, nudges the owner at 80 % and
alerts the internal channel once at breach; a reply from our side stops it.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from bot.sandbox.stand_in.workspace import Channel
from bot.sandbox.world import World
from handlers.context import internal_only
from storage.accounts import get_account_by_name
from storage.care.capture import CapturedMessage, Direction
from storage.care.complaints import Complaint
from storage.care.contacts import Touchpoint
from tests.care.complaint_steps import INTERNAL, SHARED, audit_rows, setup_acme
from tests.expect import full_text, posts_in, run
from tests.overview.test_home import open_home
from tests.platform.test_cli import rapport
from tests.rhythm.steps import local

ALICE, BOB, ERIN, FRANK = "U0ALICE", "U0BOB", "U0ERIN", "U0FRANK"


def captured(world: World) -> list[CapturedMessage]:
    """Every captured message, in the order they were posted."""
    world.wait_until_idle()
    with world.services.db.session() as session:
        rows = list(session.exec(select(CapturedMessage).order_by(col(CapturedMessage.id))))
        session.expunge_all()
        return rows


def say(world: World, user: str, text: str, *, thread: dict[str, Any] | None = None) -> dict[str, Any]:
    """Post in the shared channel (in a message's thread when given) and wait until the app has handled it."""
    message, _response = world.slack.say(user, SHARED, text, thread_ts=thread["ts"] if thread else None)
    world.wait_until_idle()
    return message


def nudges(world: World) -> list[str]:
    """The owner's first-response nudges."""
    return [full_text(m) for m in world.stand_in.dm_messages(ALICE) if "waiting for an answer" in full_text(m)]


def alerts(world: World) -> list[str]:
    """The first-response alerts in the internal channel."""
    return [full_text(m) for m in posts_in(world, INTERNAL) if "First response missed" in full_text(m)]


def test_inbound_and_outbound_are_counted_once_and_a_retry_is_not_double_counted(world):
    setup_acme(world)
    question, delivered = world.slack.say(ERIN, SHARED, "Is the VPN down for you too?")
    assert delivered is not None and delivered.status == 200 and delivered.acked_in_time
    world.wait_until_idle()
    retried = world.slack.event(delivered.payload["event"], event_id=delivered.payload["event_id"], retry_num=1)
    assert retried.status == 200
    world.slack.event(delivered.payload["event"], event_id="Ev0SAMEMSG01")  # the same message under another id
    say(world, BOB, "Looking at it now", thread=question)

    rows = captured(world)
    assert [(row.direction, row.author_id) for row in rows] == [(Direction.INBOUND, ERIN), (Direction.OUTBOUND, BOB)]
    assert all(row.text is None for row in rows)  # metadata only, by default
    assert rows[0].permalink and rows[0].permalink.startswith("https://")
    assert rows[0].answered_by == BOB and rows[1].thread_ts == question["ts"]
    with world.services.db.session() as session:
        account = get_account_by_name(session, name="Acme Corp")
        assert account is not None and account.last_contact_at is not None  # a touchpoint: the account is not cold


def test_an_unanswered_question_nudges_the_owner_and_breaches_once_and_a_weekend_is_not_counted(world):
    setup_acme(world)
    world.travel(local(11, 27, 17))  # Fri 17:00, an hour before closing
    question = say(world, ERIN, "Our invoices page shows an error since this morning")
    say(world, FRANK, "Same here", thread=question)  # the customer's follow-up does not restart the clock
    world.travel(local(11, 29, 23))  # the weekend goes by: one business hour used of four
    assert nudges(world) == [] and alerts(world) == []

    world.travel(local(11, 30, 11, 11))
    assert nudges(world) == []
    world.travel(local(11, 30, 11, 12))  # 80 % of four business hours: 1 h on Friday, 2 h 12 on Monday
    [nudge] = nudges(world)
    assert "<@U0ERIN> (Acme Corp) is waiting for an answer" in nudge and "Reply by Mon 30 Nov 12:00 CST" in nudge
    assert "https://" in nudge  # a link to the message

    world.travel(local(12, 2, 12))  # two days past the target
    [alert] = alerts(world)
    assert "no answer since Fri 27 Nov 17:00 CST" in alert and "ran out at Mon 30 Nov 12:00 CST" in alert
    assert "Owner: <@U0ALICE>" in alert
    assert len(nudges(world)) == 1 and audit_rows(world, "first_response.breach") == 1
    assert posts_in(world, SHARED) == []  # nothing internal in the shared channel


def test_a_reply_from_our_side_stops_the_clock_in_its_thread_or_in_the_channel(world):
    setup_acme(world, tier="key")  # 30 business minutes
    question = say(world, ERIN, "Can you check ticket 4411?")
    world.travel(local(11, 27, 10, 10))
    say(world, ERIN, "It's urgent", thread=question)
    say(world, BOB, "On it", thread=question)
    second = say(world, ERIN, "Also, who renews our certificates?")
    say(world, ALICE, "I'll find out")  # in the channel, after it
    world.travel(local(11, 30, 18))
    assert nudges(world) == [] and alerts(world) == []
    rows = {row.ts: row for row in captured(world)}
    assert rows[question["ts"]].answered_by == BOB and rows[second["ts"]].answered_by == ALICE


def test_a_key_account_question_left_alone_is_nudged_at_24_minutes_and_alerted_at_30(world):
    setup_acme(world, tier="key")
    say(world, ERIN, "Is the maintenance window tonight?")
    world.travel(local(11, 27, 10, 24))
    assert len(nudges(world)) == 1 and alerts(world) == []
    world.travel(local(11, 27, 10, 30))
    assert len(alerts(world)) == 1
    world.travel(local(11, 27, 15))
    assert len(alerts(world)) == 1 and len(nudges(world)) == 1


def test_bots_joins_and_unlinked_channels_are_not_captured_and_a_deleted_question_stops_its_clock(sqlite_world):
    world = sqlite_world
    setup_acme(world, tier="key")
    world.slack.event({"type": "message", "subtype": "channel_join", "channel": "C0ACMESHR", "user": FRANK,
                       "ts": "1764230401.000100", "text": "<@U0FRANK> has joined the channel"})
    world.slack.event({"type": "message", "subtype": "bot_message", "channel": "C0ACMESHR", "bot_id": "B0OTHER",
                       "ts": "1764230401.000200", "text": "Deploy finished"})
    world.slack.say(BOB, "#general", "lunch?")
    question = say(world, ERIN, "Sorry, wrong channel")
    world.slack.event({"type": "message", "subtype": "message_deleted", "channel": "C0ACMESHR",
                       "deleted_ts": question["ts"], "ts": "1764230402.000100", "hidden": True})
    world.wait_until_idle()
    world.travel(local(11, 27, 12))
    assert [row.ts for row in captured(world)] == [question["ts"]]
    assert nudges(world) == [] and alerts(world) == []


def test_with_capture_text_the_text_is_kept_and_follows_edits(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    assert "text (who, when, a link and what was written)" in run(world, ALICE, "#general", "/account",
                                                                  "set Acme Corp capture text")
    question = say(world, ERIN, "The portal is slow")
    world.slack.event({"type": "message", "subtype": "message_changed", "channel": "C0ACMESHR",
                       "message": {"type": "message", "user": ERIN, "text": "The portal is very slow",
                                   "ts": question["ts"]},
                       "previous_message": {"type": "message", "user": ERIN, "text": "The portal is slow",
                                            "ts": question["ts"]},
                       "ts": "1764230403.000100", "hidden": True})
    [row] = captured(world)
    assert row.text == "The portal is very slow" and row.edited_at is not None
    assert "is not" not in run(world, ALICE, "#general", "/account", "set Acme Corp capture metadata")


def test_linking_a_channel_rapport_is_not_in_says_so(sqlite_world):
    world = sqlite_world
    world.stand_in.workspace.add_channel(Channel("C0QUIET", "acme-quiet", ["U0ALICE"]))
    run(world, ALICE, "#general", "/account", "add Acme Corp customer")
    reply = run(world, ALICE, "#acme-quiet", "/account", "link Acme Corp")
    assert "Linked" in reply and "I'm not a member of <#C0QUIET>" in reply and "/invite @Rapport" in reply
    assert "not a member" not in run(world, ALICE, "#acme-shared", "/account", "link Acme Corp")


def test_a_message_is_acknowledged_at_once(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    _message, response = world.slack.say(ERIN, SHARED, "Hello?")
    assert response is not None and response.status == 200 and response.acked_in_time
    assert timedelta(0) <= world.now() - captured(world)[0].posted_at <= timedelta(hours=1)


def test_contact_waiting_home_digest_and_the_account_view_show_what_waits_and_how_fast_we_answer(world):
    setup_acme(world)
    answered = say(world, ERIN, "Did the backup run last night?")
    world.travel(local(11, 27, 10, 5))
    say(world, BOB, "Yes, at 02:00", thread=answered)  # five minutes: within target
    world.travel(local(11, 27, 10, 20))
    second = say(world, ERIN, "Can we move Tuesday's call?")
    world.travel(local(11, 27, 10, 40))
    third = say(world, FRANK, "And what about tonight's?", thread=answered)  # a new question in an answered thread
    world.travel(local(11, 27, 11))

    waiting = run(world, ALICE, "#general", "/contact", "waiting")
    assert "Waiting for you (2)" in waiting
    assert waiting.index("<@U0ERIN>, Fri 27 Nov 10:20 CST") < waiting.index("<@U0FRANK>, Fri 27 Nov 10:40 CST")
    assert "answer by Fri 27 Nov 14:20 CST" in waiting and "answer by Fri 27 Nov 14:40 CST" in waiting
    assert "Waiting for us (2)" in run(world, "U0CAROL", "#general", "/contact", "waiting")  # a manager: all
    assert "No customer message is waiting" in run(world, BOB, "#general", "/contact", "waiting")

    view = run(world, ALICE, "#general", "/account", "Acme Corp")
    assert "*Conversation (90 days):* 3 from them · 1 from us" in view
    assert "*First response:* median 5m, p90 5m, 100% within target" in view and "2 waiting for us" in view

    home = open_home(world, ALICE)
    assert "*💬 Customers waiting for us* (2)" in home and "answer by Fri 27 Nov 14:20 CST" in home
    assert "2 customer messages waiting for us" in run(world, ALICE, "#general", "/rapport", "digest")

    say(world, ALICE, "Sure, Wednesday works")  # in the channel: answers the channel's question, not the thread's
    rows = {row.ts: row for row in captured(world)}
    assert rows[second["ts"]].answered_by == ALICE and rows[third["ts"]].answered_at is None
    assert "Waiting for you (1)" in run(world, ALICE, "#general", "/contact", "waiting")


def complaints_logged(world: World) -> list[str]:
    """The summaries of the complaints logged so far."""
    world.wait_until_idle()
    with world.services.db.session() as session:
        return [c.summary for c in session.exec(select(Complaint).order_by(col(Complaint.id)))]


def test_our_complaint_emoji_on_a_customer_message_logs_it_once_and_a_customers_reaction_does_nothing(world):
    setup_acme(world)
    question = say(world, ERIN, "Third outage this week, this is not acceptable")
    ours = say(world, ALICE, "We're on it")
    world.slack.react(ERIN, SHARED, question["ts"], "rotating_light")  # the customer's own reaction
    world.slack.react(BOB, SHARED, ours["ts"], "rotating_light")  # our own message is no complaint
    world.slack.react(BOB, SHARED, question["ts"], "eyes")  # any other emoji
    assert complaints_logged(world) == []

    reacted = world.slack.react(BOB, SHARED, question["ts"], "rotating_light::skin-tone-2")
    assert complaints_logged(world) == ["Third outage this week, this is not acceptable"]
    world.slack.event(reacted.payload["event"], event_id=reacted.payload["event_id"], retry_num=1)
    assert len(complaints_logged(world)) == 1
    [card] = [m for m in posts_in(world, INTERNAL) if "Complaint #1 ·" in m["text"]]
    assert "Third outage this week" in full_text(card)
    [receipt] = [full_text(m) for m in world.stand_in.dm_messages(BOB) if "complaint #1" in full_text(m)]
    assert "Logged complaint #1 for *Acme Corp*" in receipt
    assert posts_in(world, SHARED) == []  # nothing internal reaches the shared channel


def test_our_praise_emoji_on_a_customer_message_praises_the_engineers_it_mentions(sqlite_world):
    world = sqlite_world
    setup_acme(world)
    thanks = say(world, ERIN, "Thanks @alice for the quick fix!")
    world.slack.react(FRANK, SHARED, thanks["ts"], "raised_hands")  # a customer's reaction
    world.wait_until_idle()
    assert posts_in(world, "#kudos") == []
    world.slack.react(BOB, SHARED, thanks["ts"], "raised_hands")
    world.wait_until_idle()
    [card] = posts_in(world, "#kudos")
    assert "<@U0ALICE>" in full_text(card) and "quick fix" in full_text(card)
    vague = say(world, ERIN, "Great work, everyone")
    world.slack.react(BOB, SHARED, vague["ts"], "raised_hands")
    world.wait_until_idle()
    assert any("Log praise" in full_text(m) for m in world.stand_in.dm_messages(BOB))
    assert len(posts_in(world, "#kudos")) == 1


def test_rapport_forget_removes_a_persons_words_and_name_and_keeps_the_counts(sqlite_world, tmp_path):
    world = sqlite_world
    setup_acme(world)
    run(world, ALICE, "#general", "/account", "set Acme Corp capture text")
    question = say(world, ERIN, "My phone number is 555-0100, call me")
    say(world, BOB, "Calling you now", thread=question)
    world.slack.message_shortcut(BOB, SHARED, "log_contact", question["ts"])
    world.wait_until_idle()

    result = rapport("forget", "U0ERIN", cwd=tmp_path, env={"DATABASE_URL": world.settings.database_url})
    assert result.returncode == 0, result.stderr
    assert "forgot U0ERIN: 1 captured messages and 1 touchpoints" in result.stdout
    erin, bob = captured(world)
    assert (erin.text, erin.author_id, erin.direction) == (None, None, Direction.INBOUND)
    assert bob.text == "Calling you now" and erin.answered_by == BOB
    with world.services.db.session() as session:
        [touchpoint] = session.exec(select(Touchpoint)).all()
        assert "555" not in touchpoint.summary and touchpoint.customer_id is None
    assert "*Conversation (90 days):* 1 from them · 1 from us" in run(world, ALICE, "#general", "/account",
                                                                      "Acme Corp")
    refused = rapport("forget", "erin", cwd=tmp_path, env={"DATABASE_URL": world.settings.database_url})
    assert refused.returncode == 2 and "not a Slack user ID" in refused.stderr


def test_a_customers_report_a_problem_reaches_the_internal_channel_and_nothing_internal_the_shared_one(world):
    setup_acme(world)
    assert "Posted the *Report a problem* button for *Acme Corp* in <#C0ACMESHR>" in run(
        world, ALICE, "#general", "/account", "welcome Acme Corp")
    world.stand_in.wait_for(lambda: world.stand_in.find_button("Report a problem", SHARED))
    world.slack.click(ERIN, "Report a problem", SHARED)
    world.stand_in.wait_for(lambda: [v for v in world.stand_in.views(ERIN) if v["open"]])
    refused = world.slack.submit_view(ERIN, "report_problem", {"problem_what": "   "}, check_required=False)
    assert "Tell us in a few words what happened" in refused.text and complaints_logged(world) == []
    world.slack.submit_view(ERIN, "report_problem", {"problem_what": "Invoices page shows error 500",
                                                    "problem_urgency": "blocking"})
    world.stand_in.wait_for(lambda: len(posts_in(world, SHARED)) == 2)

    assert complaints_logged(world) == ["Invoices page shows error 500"]
    [card] = [m for m in posts_in(world, INTERNAL) if "Complaint #1 ·" in m["text"]]
    assert "Invoices page shows error 500" in full_text(card) and "high" in full_text(card)
    invite, thanks = (full_text(m) for m in posts_in(world, SHARED))
    assert "Thanks <@U0ERIN>, we've received your report and will get back to you here." in thanks
    for shown in (invite, thanks):
        assert not any(word in shown for word in ("#1", "Complaint", "SLA", "Acknowledge", "Acme Corp", "U0ALICE"))


def test_only_surveys_and_report_a_problem_are_open_to_external_users(sqlite_world):
    open_to_anyone = {
        listener.ack_function.__name__ for listener in sqlite_world.app._listeners
        if not any(getattr(m, "func", None) is internal_only for m in listener.middleware)
    }
    assert open_to_anyone == {
        "handle_survey_score", "handle_add_comment", "handle_survey_comment_submission",  # the respondent only
        "handle_campaign_score", "handle_campaign_answer", "handle_answer_submission",  # open surveys: those addressed
        "handle_report_problem_button", "handle_report_problem_submission",  # the linked channel's account only
        "handle_twin_status", "handle_twin_note", "handle_layer_note_submission",  # the layer's supplier only
        "handle_app_home_opened", "handle_message_event", "handle_reaction_added",  # events: they check who acts
        "handle_user_change",  # an event: Slack telling of a profile change, acting on nobody's behalf
    }
