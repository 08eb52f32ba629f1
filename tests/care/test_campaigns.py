"""Open surveys (公开调查) end to end over signed HTTP: `/survey new`, the card in the shared channel, answers
from the addressed (once, changeable), polite refusals for anyone else, the reminder and the close, results,
the CSV and the chart, answers recorded from a phone call, the owner's alert, and anonymity on every path.
"""

from __future__ import annotations

import csv
import io
import logging
from datetime import timedelta
from typing import Any

from sqlmodel import col, select

from bot.sandbox.stand_in.workspace import User
from bot.sandbox.world import World
from storage.care.campaigns import CampaignResponse, SurveyCampaign
from storage.platform.audit import AuditLog
from tests.expect import full_text, last_ephemeral_text, posts_in, run

SHARED = "#acme-shared"
ERIN, FRANK = "U0ERIN", "U0FRANK"
OWNER, MANAGER, BOB = "U0ALICE", "U0CAROL", "U0BOB"
QUESTIONS = ("nps: How likely are you to recommend us?\n"
             "csat: How satisfied are you with our support?\n"
             "choice: Which office serves you? | Beijing | Shanghai\n"
             "text: What should we do better?")




def add_acme(world: World) -> None:
    """Acme Corp, owned by alice, with #acme-shared (Slack Connect: erin and frank of Acme) linked to it."""
    run(world, OWNER, "#general", "/account", "add Acme Corp customer")
    run(world, OWNER, SHARED, "/account", "link Acme Corp")


def new_survey(world: World, *, anonymous: bool = False, **fields: str) -> None:
    """alice fills in `/survey new` and schedules it."""
    world.slack.command(OWNER, "#general", "/survey", "new")
    world.stand_in.wait_for(lambda: world.stand_in.current_view(OWNER))
    values = {"title": "Service 2026", "questions": QUESTIONS, "anonymous": "anonymous" if anonymous else "named",
              "audience": "Acme Corp", "delivery": "channel", "opens": "now", "closes": "in 2 weeks", **fields}
    world.slack.submit_view(OWNER, "campaign_new", {f"campaign_field_{k}": v for k, v in values.items()})


def open_survey(world: World, **kwargs: Any) -> dict[str, Any]:
    """Acme, and a survey open now: its card in #acme-shared."""
    add_acme(world)
    new_survey(world, **kwargs)
    [card] = world.stand_in.wait_for(lambda: posts_in(world, SHARED))
    last_ephemeral_text(world, OWNER, count=3)  # "scheduled", after the two account replies
    return card


def answer_all(world: World, user: str, nps: str, csat: str = "4", office: str = "Beijing",
               text: str = "") -> None:
    """Click an NPS score on the card, then fill in the rest in the modal that opens."""
    world.slack.click(user, nps, SHARED)
    world.stand_in.wait_for(lambda: world.stand_in.current_view(user))
    world.slack.submit_view(user, "campaign_answer", {"campaign_question_1": csat, "campaign_question_2": office,
                                                      "campaign_question_3": text})


def responses(world: World) -> list[CampaignResponse]:
    with world.services.db.session() as session:
        return list(session.exec(select(CampaignResponse).order_by(col(CampaignResponse.id))))


def results_reply(world: World, campaign_id: int = 1) -> str:
    return run(world, OWNER, "#general", "/survey", f"results {campaign_id}")


def uploaded(world: World, name: str) -> bytes:
    """The latest file of this name Rapport uploaded."""
    files = world.stand_in.wait_for(lambda: [f for f in world.stand_in.files() if f["name"] == name])
    content: bytes = files[-1]["content"]
    return content


def low_score_alerts(world: World, user: str) -> list[str]:
    return [full_text(m) for m in world.stand_in.dm_messages(user) if "Low score in the survey" in full_text(m)]


def test_a_survey_opens_with_one_card_addressed_to_the_customer_contacts(world):
    card = open_survey(world)
    text = full_text(card)
    assert "<@U0ERIN>" in text and "<@U0FRANK>" in text and "Service 2026" in text
    assert "How likely are you to recommend us?" in text and "Answer the survey" in text
    assert "<@U0ALICE>" not in text and "<@U0BOB>" not in text  # our people are not asked
    note = last_ephemeral_text(world, OWNER, count=3)
    assert "Survey #1 “Service 2026” is scheduled" in note
    world.advance(timedelta(hours=1))
    assert len(posts_in(world, SHARED)) == 1


def test_the_addressed_answer_once_and_may_change_it_until_the_close(world):
    open_survey(world)
    answer_all(world, ERIN, "9", csat="5")
    world.slack.click(ERIN, "10", SHARED)
    assert "Your answers are updated" in last_ephemeral_text(world, ERIN, count=2)
    world.slack.close_view(ERIN)
    [response] = responses(world)
    assert response.answers == {"0": 10, "1": 5, "2": "Beijing"} and response.respondent_id == ERIN
    reply = results_reply(world)
    assert "Response rate 50 %: 1 of 2 addressed" in reply and "NPS 100 · 1 promoters" in reply


def test_someone_not_addressed_is_told_politely_and_nothing_is_kept(world):
    open_survey(world)
    world.slack.click(BOB, "3", SHARED)
    assert "only their answers count" in last_ephemeral_text(world, BOB)
    world.stand_in.workspace.add_user(User("U0GINA", "gina", "Gina Acme", team_id="T0ACME"), channels=("C0ACMESHR",))
    world.slack.click("U0GINA", "Answer the survey", SHARED)
    assert "only their answers count" in last_ephemeral_text(world, "U0GINA")
    assert world.stand_in.current_view("U0GINA") is None
    assert responses(world) == []


def test_a_detractor_alerts_the_account_owner_and_managers_once(world):
    open_survey(world)
    answer_all(world, FRANK, "3")
    for person in (OWNER, MANAGER):
        [alert] = world.stand_in.wait_for(lambda person=person: low_score_alerts(world, person))
        assert "from <@U0FRANK> of Acme Corp: 3/10" in alert
    world.slack.click(FRANK, "2", SHARED)
    world.advance(timedelta(hours=1))
    assert len(low_score_alerts(world, OWNER)) == 1


def test_reminded_once_by_dm_halfway_then_closed(world):
    open_survey(world)
    answer_all(world, ERIN, "8")
    world.advance(timedelta(days=7))
    reminders = [m for m in world.stand_in.dm_messages(FRANK) if "A gentle reminder" in full_text(m)]
    assert len(reminders) == 1 and not [m for m in world.stand_in.dm_messages(ERIN) if "reminder" in full_text(m)]
    world.advance(timedelta(days=7))
    card = world.stand_in.wait_for(lambda: [m for m in posts_in(world, SHARED) if "has closed" in full_text(m)])[0]
    assert "Answer the survey" not in full_text(card)
    with world.services.db.session() as session:
        [campaign] = session.exec(select(SurveyCampaign)).all()
        assert campaign.status == "closed" and campaign.respondent_salt is None


def test_an_anonymous_survey_never_surfaces_who_answered_what(world, caplog):
    caplog.set_level(logging.INFO)
    open_survey(world, anonymous=True)
    answer_all(world, ERIN, "10", csat="5", text="Erin here: all good")
    answer_all(world, FRANK, "2", csat="1", text="Slow answers")
    [alert] = world.stand_in.wait_for(lambda: low_score_alerts(world, OWNER))
    assert "an anonymous respondent of Acme Corp" in alert and "U0FRANK" not in alert
    for response in responses(world):
        assert response.respondent_id is None and response.answered_at.hour == 0  # kept to the day
    reply = results_reply(world)
    assert "fewer than 3 answers, not broken down" in reply
    table = uploaded(world, "survey-1.csv").decode("utf-8-sig")
    world.advance(timedelta(days=14))  # closed: the key is gone
    view = run(world, OWNER, "#general", "/account", "Acme Corp")
    with world.services.db.session() as session:
        audit = [row for row in session.exec(select(AuditLog)) if row.action.startswith("campaign.")]
    answered = [row for row in audit if row.action in ("campaign.recorded", "campaign.changed")]
    assert len(answered) == 4 and {row.actor_id for row in answered} == {"anonymous"}  # a click, then the modal
    for surface in (reply, table, view, repr([(r.actor_id, r.before, r.after) for r in audit]), caplog.text):
        for person in (ERIN, FRANK, "Erin Acme", "Frank Acme"):
            assert person not in surface
    rows = list(csv.reader(io.StringIO(table)))
    assert {row[0] for row in rows[1:]} == {"(fewer than 3 answers)"} and {row[1] for row in rows[1:]} == {""}


def test_a_csv_cell_starting_with_a_formula_sign_is_neutralised(world):
    open_survey(world)
    answer_all(world, ERIN, "7", text='=HYPERLINK("http://evil.example","click")')
    results_reply(world)
    rows = list(csv.reader(io.StringIO(uploaded(world, "survey-1.csv").decode("utf-8-sig"))))
    assert rows[1][-1] == '\'=HYPERLINK("http://evil.example","click")'
    chart = uploaded(world, "survey-1.png")
    assert chart.startswith(b"\x89PNG")
    assert not world.stand_in.files(SHARED)  # results never go to the shared channel


def test_answers_taken_by_phone_are_recorded_with_their_channel(world):
    open_survey(world)
    reply = run(world, OWNER, "#general", "/survey", "record 1 phone Acme Corp: 6; 2; -; call back please")
    assert "Recorded an answer by phone from Acme Corp in survey #1" in reply
    [response] = responses(world)
    assert (response.channel, response.recorded_by, response.answers) == (
        "phone", OWNER, {"0": 6, "1": 2, "3": "call back please"})
    world.stand_in.wait_for(lambda: low_score_alerts(world, OWNER))
    assert "Recorded elsewhere: by phone 1" in results_reply(world)


def test_bad_drafts_are_refused_next_to_their_field_and_nothing_is_stored(world):
    add_acme(world)
    new_survey(world, questions="rating: How are we?", audience="Initech", opens="in 3 days", closes="tomorrow")
    view = world.stand_in.current_view(OWNER)
    assert set(view["errors"]) == {"campaign_field_questions", "campaign_field_audience", "campaign_field_closes"}
    with world.services.db.session() as session:
        assert session.exec(select(SurveyCampaign)).all() == []


def test_scores_reach_the_account_view_and_the_digest_says_new_survey_results(world):
    open_survey(world)
    answer_all(world, ERIN, "9", csat="4")
    world.advance(timedelta(days=14))
    view = run(world, OWNER, "#general", "/account", "Acme Corp")
    assert "*Open surveys over a year:* CSAT 4.0 · NPS 100 (1 answer)" in view
    digest = run(world, MANAGER, "#general", "/rapport", "digest")
    assert "New survey results" in digest and "#1 “Service 2026”: 1 answers (2 addressed) · NPS 100" in digest


def test_a_survey_scheduled_in_chinese_opens_at_its_minute(world):
    add_acme(world)
    new_survey(world, opens="下周一上午9点", closes="下周五下午5点")
    assert "opens Mon 30 Nov 09:00 CST" in last_ephemeral_text(world, OWNER, count=3)
    world.advance(timedelta(days=2, hours=22, minutes=59))  # Mon 30 Nov 08:59 in Shanghai
    assert posts_in(world, SHARED) == []
    world.advance(timedelta(minutes=1))
    [card] = posts_in(world, SHARED)
    assert "<@U0ERIN>" in full_text(card) and "Fri 4 Dec 17:00 CST" in full_text(card)
