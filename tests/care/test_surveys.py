"""Case-by-case surveys end to end over signed HTTP: sent after a resolved complaint, answered by the
customer it asks (and no one else), reminded once, expired, alerted on low scores, and *Ask for feedback*.
"""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select

from bot.care.surveys import cancel_for_complaint, schedule_for_complaint
from bot.sandbox.world import World
from storage.accounts import get_account_by_name
from storage.care.complaints import Complaint, ComplaintStatus
from storage.care.surveys import Survey
from storage.platform.audit import AuditLog
from tests.expect import ephemeral_to, full_text, last_ephemeral_text, posts_in, run

SHARED = "#acme-shared"
ERIN, FRANK = "U0ERIN", "U0FRANK"
OWNER, MANAGER = "U0ALICE", "U0CAROL"




def add_acme(world: World) -> None:
    """Acme Corp, owned by alice, with #acme-shared (Slack Connect) linked to it."""
    run(world, OWNER, "#general", "/account", "add Acme Corp customer")
    run(world, OWNER, SHARED, "/account", "link Acme Corp")


def resolve_complaint(world: World, *, complainant: str | None = ERIN) -> int:
    """A complaint raised by `complainant` in #acme-shared, resolved now (as the complaints code does it)."""
    now = world.now()
    with world.services.db.session() as session:
        account = get_account_by_name(session, name="Acme Corp")
        assert account is not None and account.id is not None
        complaint = Complaint(
            account_id=account.id, summary="The VPN drops every hour", status=ComplaintStatus.RESOLVED,
            complainant_id=complainant, source_channel_id="C0ACMESHR", source_ts=f"{now.timestamp():.6f}",
            permalink="https://rapport-demo.slack.com/archives/C0ACMESHR/p1", created_by=OWNER, created_at=now,
            updated_at=now, clock_started_at=now, resolved_at=now, resolved_by=OWNER, resolution="new tunnel",
        )
        session.add(complaint)
        session.flush()
        schedule_for_complaint(session, complaint=complaint, now=now)
        assert complaint.id is not None
        return complaint.id


def surveys(world: World) -> list[Survey]:
    with world.services.db.session() as session:
        return list(session.exec(select(Survey).order_by(col(Survey.id))))


def audit_count(world: World, action: str) -> int:
    with world.services.db.session() as session:
        return session.exec(select(func.count()).select_from(AuditLog).where(AuditLog.action == action)).one()


def dms_about_surveys(world: World, user: str) -> list[str]:
    """Low-score alerts and late comments a person received."""
    texts = [full_text(m) for m in world.stand_in.dm_messages(user)]
    return [t for t in texts if "Low satisfaction score from" in t or "added a comment to their" in t]


def survey_sent(world: World) -> dict[str, Any]:
    """Resolve erin's complaint and let 2 h pass: the card is in #acme-shared."""
    add_acme(world)
    resolve_complaint(world)
    world.advance(timedelta(hours=2))
    [card] = posts_in(world, SHARED)
    return card


def replay(world: World, payload: dict[str, Any]) -> None:
    """Send the same interaction payload again, as Slack does for a second click."""
    world.slack.click_again(payload)


def test_a_resolved_complaint_gets_one_survey_two_hours_later_mentioning_the_customer(world):
    add_acme(world)
    resolve_complaint(world)
    world.advance(timedelta(hours=1, minutes=59))
    assert posts_in(world, SHARED) == []
    world.advance(timedelta(minutes=1))
    [card] = posts_in(world, SHARED)
    text = full_text(card)
    assert "<@U0ERIN>" in text and "How did we do?" in text
    for label in ("1 · Very dissatisfied", "2 · Dissatisfied", "3 · Neutral", "4 · Satisfied", "5 · Very satisfied"):
        assert label in text
    assert "VPN drops" not in text and "new tunnel" not in text  # nothing internal in the shared channel
    world.advance(timedelta(minutes=5))
    assert len(posts_in(world, SHARED)) == 1
    assert posts_in(world, "#acme-internal") == [] and world.stand_in.dm_messages(ERIN) == []


def test_the_customer_answers_with_one_click_and_the_card_says_thanks_in_place(world):
    survey_sent(world)
    world.slack.click(ERIN, "4 · Satisfied", SHARED)
    card = world.stand_in.wait_for(lambda: [m for m in posts_in(world, SHARED) if "you rated" in full_text(m)])[0]
    assert "Thanks <@U0ERIN> — you rated 4/5 (Satisfied)." in full_text(card)
    assert len(posts_in(world, SHARED)) == 1 and len(card["edits"]) == 1
    assert "Add a comment" in full_text(card) and "survey_score" not in full_text(card)
    [survey] = surveys(world)
    assert (survey.status, survey.score, survey.answered_by) == ("answered", 4, ERIN)
    assert world.stand_in.ephemerals(user=ERIN) == []
    with world.services.db.session() as session:
        assert session.get(Complaint, survey.complaint_id).status == "closed"  # the loop is closed


def test_another_customer_clicking_gets_a_polite_note_and_nothing_is_recorded(world):
    survey_sent(world)
    world.slack.click(FRANK, "1 · Very dissatisfied", SHARED)
    note = last_ephemeral_text(world, FRANK)
    assert "This survey is for <@U0ERIN>" in note and "only their answer counts" in note
    seen = len(world.stand_in.ephemerals(user=OWNER))
    world.slack.click(OWNER, "5 · Very satisfied", SHARED)
    assert "This survey is for <@U0ERIN>" in last_ephemeral_text(world, OWNER, count=seen + 1)
    [survey] = surveys(world)
    assert (survey.status, survey.score) == ("sent", None)
    [card] = posts_in(world, SHARED)
    assert card["edits"] == [] and audit_count(world, "survey.answer") == 0
    world.advance(timedelta(minutes=30))
    assert world.stand_in.dm_messages(OWNER) == [] and world.stand_in.dm_messages(MANAGER) == []


def test_a_double_click_is_one_answer_and_the_first_score_stands(world):
    survey_sent(world)
    first = world.slack.click(ERIN, "5 · Very satisfied", SHARED)
    action = first.payload["actions"][0]
    second = dict(first.payload, actions=[dict(action, value=action["value"][:-1] + "3")])
    threads = [threading.Thread(target=replay, args=(world, payload)) for payload in (first.payload, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    notes = ephemeral_to(world, ERIN, count=2)
    assert all("already answered — thank you" in full_text(note) for note in notes)
    [survey] = surveys(world)
    assert (survey.status, survey.score) == ("answered", 5)
    assert audit_count(world, "survey.answer") == 1
    assert len(posts_in(world, SHARED)) == 1
    world.stand_in.wait_for(lambda: "you rated 5/5" in full_text(posts_in(world, SHARED)[0]))
    assert len(posts_in(world, SHARED)[0]["edits"]) == 1


def test_a_low_score_with_a_comment_alerts_the_owner_and_managers_once(world):
    survey_sent(world)
    world.slack.click(ERIN, "2 · Dissatisfied", SHARED)
    world.stand_in.wait_for(lambda: world.stand_in.find_button("Add a comment", SHARED))
    world.slack.click(FRANK, "Add a comment", SHARED)
    assert "only they can comment" in last_ephemeral_text(world, FRANK)
    world.slack.click(ERIN, "Add a comment", SHARED)
    world.stand_in.wait_for(lambda: world.stand_in.current_view(ERIN))
    world.slack.submit_view(ERIN, "survey_comment", {"survey_comment": "Still slow every morning @channel"})
    for person in (OWNER, MANAGER):
        [alert] = world.stand_in.wait_for(lambda person=person: dms_about_surveys(world, person))
        assert "Low satisfaction score from <@U0ERIN> of Acme Corp: 2/5 (Dissatisfied)" in alert
        assert "Still slow every morning" in alert and "<!channel>" not in alert
    card = full_text(posts_in(world, SHARED)[0])
    assert "you rated 2/5" in card and "We've got your comment too." in card and "Add a comment" not in card
    assert "Still slow" not in card  # the comment goes to our people, not back to the shared channel
    world.advance(timedelta(minutes=20))
    world.advance(timedelta(days=1))
    assert len(dms_about_surveys(world, OWNER)) == 1 and len(dms_about_surveys(world, MANAGER)) == 1
    assert dms_about_surveys(world, "U0BOB") == [] and audit_count(world, "survey.alert") == 1
    [survey] = surveys(world)
    assert survey.comment == "Still slow every morning @channel"


def test_a_low_score_without_a_comment_alerts_after_a_short_wait_and_a_late_comment_follows(sqlite_world):
    world = sqlite_world
    survey_sent(world)
    world.slack.click(ERIN, "1 · Very dissatisfied", SHARED)
    world.stand_in.wait_for(lambda: world.stand_in.find_button("Add a comment", SHARED))
    world.advance(timedelta(minutes=5))
    assert dms_about_surveys(world, OWNER) == []
    world.advance(timedelta(minutes=10))
    [alert] = dms_about_surveys(world, OWNER)
    assert "1/5 (Very dissatisfied)" in alert and "No comment given" in alert
    world.slack.click(ERIN, "Add a comment", SHARED)
    world.stand_in.wait_for(lambda: world.stand_in.current_view(ERIN))
    world.slack.submit_view(ERIN, "survey_comment", {"survey_comment": "Nobody called back"})
    world.stand_in.wait_for(lambda: len(dms_about_surveys(world, MANAGER)) == 2)
    follow_up = dms_about_surveys(world, MANAGER)[1]
    assert "added a comment to their 1/5" in follow_up and "Nobody called back" in follow_up
    world.advance(timedelta(hours=1))
    assert len(dms_about_surveys(world, OWNER)) == 2


def test_an_empty_comment_is_refused_in_the_modal(sqlite_world):
    world = sqlite_world
    survey_sent(world)
    world.slack.click(ERIN, "3 · Neutral", SHARED)
    world.stand_in.wait_for(lambda: world.stand_in.find_button("Add a comment", SHARED))
    world.slack.click(ERIN, "Add a comment", SHARED)
    world.stand_in.wait_for(lambda: world.stand_in.current_view(ERIN))
    world.slack.submit_view(ERIN, "survey_comment", {"survey_comment": "   "})
    view = world.stand_in.current_view(ERIN)
    assert view and "Write a few words" in view["errors"]["survey_comment"]
    [survey] = surveys(world)
    assert survey.comment is None


def test_one_reminder_after_48_hours_and_either_copy_can_be_answered(sqlite_world):
    world = sqlite_world
    survey_sent(world)
    world.advance(timedelta(hours=47))
    assert len(posts_in(world, SHARED)) == 1
    world.advance(timedelta(hours=1))
    cards = posts_in(world, SHARED)
    assert len(cards) == 2 and "A gentle reminder" in full_text(cards[1]) and "<@U0ERIN>" in full_text(cards[1])
    world.advance(timedelta(hours=1))
    world.advance(timedelta(days=1))
    assert len(posts_in(world, SHARED)) == 2
    world.slack.click(ERIN, "4 · Satisfied", SHARED)
    world.stand_in.wait_for(lambda: all("you rated 4/5" in full_text(c) for c in posts_in(world, SHARED)))


def test_an_unanswered_survey_expires_after_7_days_and_its_card_says_so(world):
    survey_sent(world)
    world.advance(timedelta(hours=48))
    world.advance(timedelta(days=4, hours=23))
    assert surveys(world)[0].status == "reminded"
    world.advance(timedelta(hours=1))
    cards = posts_in(world, SHARED)
    assert len(cards) == 2
    assert all("has closed without an answer" in full_text(c) and "survey_score" not in full_text(c) for c in cards)
    [survey] = surveys(world)
    assert survey.status == "expired" and survey.next_check_at is None
    world.advance(timedelta(days=1))
    assert len(posts_in(world, SHARED)) == 2 and audit_count(world, "survey.expire") == 1


def test_reopening_before_the_two_hours_cancels_the_survey(world):
    add_acme(world)
    complaint_id = resolve_complaint(world)
    world.advance(timedelta(hours=1))
    with world.services.db.session() as session:
        assert cancel_for_complaint(session, complaint_id=complaint_id, now=world.now(), actor_id=OWNER) == 1
    world.advance(timedelta(hours=2))
    assert posts_in(world, SHARED) == []
    [survey] = surveys(world)
    assert survey.status == "cancelled" and audit_count(world, "survey.cancel") == 1


def test_a_complaint_without_an_external_complainant_gets_no_survey(sqlite_world):
    world = sqlite_world
    add_acme(world)
    resolve_complaint(world, complainant=None)
    world.advance(timedelta(hours=3))
    assert surveys(world) == [] and posts_in(world, SHARED) == []


def test_a_customer_is_surveyed_at_most_once_in_7_days(world):
    survey_sent(world)
    world.advance(timedelta(days=1))
    resolve_complaint(world)
    world.advance(timedelta(hours=3))
    assert len(posts_in(world, SHARED)) == 1
    world.slack.say(ERIN, SHARED, "Thanks for the quick fix on the printer!")
    world.slack.message_shortcut("U0BOB", SHARED, "ask_for_feedback")
    assert "at most once in 7 days" in last_ephemeral_text(world, "U0BOB")
    world.advance(timedelta(days=6))
    resolve_complaint(world)
    world.advance(timedelta(hours=2))
    cards = posts_in(world, SHARED)
    assert len(cards) == 2 and "How did we do?" in full_text(cards[1]) and "<@U0ERIN>" in full_text(cards[1])


def test_two_ticks_at_the_same_moment_send_one_survey(world):
    add_acme(world)
    resolve_complaint(world)
    moment = world.clock.advance(timedelta(hours=2))
    barrier = threading.Barrier(2)

    def tick() -> None:
        barrier.wait()
        world.tick(moment)

    threads = [threading.Thread(target=tick) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    world.tick(moment)
    assert len(posts_in(world, SHARED)) == 1 and audit_count(world, "survey.send") == 1


def test_ask_for_feedback_sends_the_survey_to_the_author_at_once(world):
    add_acme(world)
    message, _response = world.slack.say(ERIN, SHARED, "That answer about the firewall rules was perfect, thanks")
    world.slack.message_shortcut("U0BOB", SHARED, "ask_for_feedback", message["ts"])
    reply = last_ephemeral_text(world, "U0BOB")
    assert "Asked <@U0ERIN> for feedback in <#C0ACMESHR>" in reply
    cards = [m for m in posts_in(world, SHARED) if "How did we do?" in full_text(m)]
    assert len(cards) == 1
    text = full_text(cards[0])
    assert "<@U0ERIN>" in text and "archives/C0ACMESHR/p" in text
    [survey] = surveys(world)
    assert (survey.respondent_id, survey.complaint_id, survey.source_ts) == (ERIN, None, message["ts"])
    world.slack.click(ERIN, "5 · Very satisfied", SHARED)
    world.stand_in.wait_for(lambda: "you rated 5/5" in full_text(posts_in(world, SHARED)[-1]))


def test_ask_for_feedback_refusals_say_why(sqlite_world):
    world = sqlite_world
    add_acme(world)
    world.slack.say(OWNER, SHARED, "The patch is deployed.")
    world.slack.message_shortcut("U0BOB", SHARED, "ask_for_feedback")
    assert "one of our own people" in last_ephemeral_text(world, "U0BOB")
    world.slack.say("U0DAVE", "#general", "lunch?")
    world.slack.message_shortcut("U0BOB", "#general", "ask_for_feedback")
    assert "isn't linked to an account" in last_ephemeral_text(world, "U0BOB", count=2)
    world.slack.message_shortcut(ERIN, SHARED, "ask_for_feedback")
    assert "only available to the team" in last_ephemeral_text(world, ERIN)
    thanks, _response = world.slack.say(FRANK, SHARED, "Thanks!")
    world.slack.message_shortcut("U0BOB", SHARED, "ask_for_feedback", thanks["ts"])
    assert "Asked <@U0FRANK> for feedback" in last_ephemeral_text(world, "U0BOB", count=3)
    world.slack.message_shortcut(MANAGER, SHARED, "ask_for_feedback", thanks["ts"])
    assert "already asked for" in last_ephemeral_text(world, MANAGER)
    assert len(surveys(world)) == 1


def test_an_account_that_prefers_dm_gets_its_surveys_by_direct_message(sqlite_world):
    world = sqlite_world
    add_acme(world)
    assert "Send surveys by `dm`" in run(world, OWNER, "#general", "/account", "set Acme Corp surveys soon")
    reply = run(world, OWNER, "#general", "/account", "set Acme Corp surveys dm")
    assert "surveys is now by direct message (was in its shared channel (the default))" in reply
    assert audit_count(world, "account.set.surveys") == 1
    resolve_complaint(world)
    world.advance(timedelta(hours=2))
    assert posts_in(world, SHARED) == []
    [card] = world.stand_in.dm_messages(ERIN)
    assert "How did we do?" in full_text(card)
    world.slack.click(ERIN, "4 · Satisfied", ERIN)
    world.stand_in.wait_for(lambda: "you rated 4/5" in full_text(world.stand_in.dm_messages(ERIN)[0]))


def test_the_account_view_shows_csat_over_90_days(world):
    add_acme(world)
    assert "*CSAT over 90 days:* no answers yet" in run(world, OWNER, "#general", "/account", "Acme Corp")
    resolve_complaint(world)
    world.advance(timedelta(hours=2))
    world.slack.click(ERIN, "4 · Satisfied", SHARED)
    world.stand_in.wait_for(lambda: surveys(world)[0].score == 4)
    world.advance(timedelta(days=8))
    message, _response = world.slack.say(ERIN, SHARED, "thanks for the quick answer")
    world.slack.message_shortcut("U0BOB", SHARED, "ask_for_feedback", message["ts"])
    last_ephemeral_text(world, "U0BOB")
    world.slack.click(ERIN, "5 · Very satisfied", SHARED)
    world.stand_in.wait_for(lambda: surveys(world)[1].score == 5)
    view = run(world, OWNER, "#general", "/account", "Acme Corp")
    assert "*CSAT over 90 days:* 4.5 (2 answers)" in view


def test_resolving_a_logged_complaint_in_slack_surveys_its_customer_two_hours_later(world):
    add_acme(world)
    run(world, OWNER, "#general", "/account", "set Acme Corp channel #acme-internal")
    world.slack.say(ERIN, SHARED, "The VPN has dropped three times this morning!")
    world.slack.message_shortcut(OWNER, SHARED, "log_complaint")
    world.stand_in.wait_for(lambda: world.stand_in.current_view(OWNER))
    world.slack.submit_view(OWNER, "complaint_new", {"complaint_account": "Acme Corp",
                                                     "complaint_summary": "VPN drops"})
    world.stand_in.wait_for(lambda: world.stand_in.find_button("Resolve", "#acme-internal"))
    world.slack.click("U0BOB", "Resolve", "#acme-internal")
    world.stand_in.wait_for(lambda: world.stand_in.current_view("U0BOB"))
    world.slack.submit_view("U0BOB", "complaint_resolve", {"complaint_resolution": "Replaced the firewall"})
    world.stand_in.wait_for(lambda: surveys(world))
    world.advance(timedelta(hours=1))
    assert [m for m in posts_in(world, SHARED) if "How did we do?" in full_text(m)] == []
    world.advance(timedelta(hours=1))
    [card] = [m for m in posts_in(world, SHARED) if "How did we do?" in full_text(m)]
    assert "<@U0ERIN>" in full_text(card) and "the issue you raised" in full_text(card)
    assert "Replaced the firewall" not in full_text(card) and "VPN drops" not in full_text(card)
    [survey] = surveys(world)
    assert survey.complaint_id is not None and survey.respondent_id == ERIN
