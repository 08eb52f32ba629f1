"""Survey rules as functions: scheduling, the 7-day limit, who may answer, the clocks, CSAT."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, col, select

from bot.care import surveys
from bot.care.survey_schedule import handle_due_surveys
from bot.care.surveys import Outcome
from bot.platform.errors import InvalidInput, Refused
from storage.accounts import Account, ChannelLink
from storage.care.complaints import Complaint, ComplaintStatus
from storage.care.surveys import Survey, SurveyDelivery, SurveyStatus
from storage.platform.outbox import OutboxMessage

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
ERIN = "U0ERIN"
MANAGERS = ["U0CAROL", "U0ALICE"]


def make_account(session: Session, *, shared: bool = True, by_dm: bool = False) -> Account:
    account = Account(name="Acme Corp", name_key="acme corp", owner_id="U0ALICE", created_by="U0ALICE",
                      created_at=NOW, survey_by_dm=by_dm)
    session.add(account)
    session.flush()
    session.add(ChannelLink(channel_id="C0ACMEINT", account_id=id_of(account), is_shared=False, linked_by="U0ALICE",
                            linked_at=NOW))
    if shared:
        session.add(ChannelLink(channel_id="C0ACMESHR", account_id=id_of(account), is_shared=True, linked_by="U0ALICE",
                                linked_at=NOW))
    session.flush()
    return account


def make_complaint(session: Session, account: Account, *, complainant: str | None = ERIN, channel: str = "C0ACMESHR",
                   at: datetime = NOW) -> Complaint:
    complaint = Complaint(account_id=id_of(account), summary="VPN", status=ComplaintStatus.RESOLVED,
                          complainant_id=complainant, source_channel_id=channel, created_by="U0ALICE", created_at=at,
                          updated_at=at, clock_started_at=at, resolved_at=at)
    session.add(complaint)
    session.flush()
    return complaint


def id_of(row: Account | Complaint | Survey | None) -> int:
    """The id of a stored row."""
    assert row is not None and row.id is not None
    return row.id


def keys(session: Session) -> list[str]:
    return [m.dedupe_key for m in session.exec(select(OutboxMessage).order_by(col(OutboxMessage.id)))]


def sent_survey(session: Session, *, by_dm: bool = False) -> Survey:
    account = make_account(session, by_dm=by_dm)
    survey = surveys.schedule_for_complaint(session, complaint=make_complaint(session, account), now=NOW)
    handle_due_surveys(session, now=NOW + surveys.SEND_DELAY, managers=MANAGERS)
    return session.get_one(Survey, id_of(survey))


def test_a_resolved_complaint_is_surveyed_two_hours_later(db):
    with db.session() as session:
        account = make_account(session)
        survey = surveys.schedule_for_complaint(session, complaint=make_complaint(session, account), now=NOW)
        assert survey is not None
        assert survey.send_at == survey.next_check_at == NOW + timedelta(hours=2)
        assert handle_due_surveys(session, now=NOW + timedelta(hours=1), managers=MANAGERS) == 0
        assert handle_due_surveys(session, now=NOW + timedelta(hours=2), managers=MANAGERS) == 1
        session.refresh(survey)
        assert (survey.status, survey.delivery, survey.channel_id) == ("sent", "channel", "C0ACMESHR")
        assert survey.next_check_at == NOW + timedelta(hours=50)
        assert survey.expires_at == NOW + timedelta(days=7, hours=2)
        assert keys(session) == [f"survey:{id_of(survey)}:card"]


def test_no_survey_without_a_complainant_and_resolving_twice_keeps_one(db):
    with db.session() as session:
        account = make_account(session)
        assert surveys.schedule_for_complaint(session, complaint=make_complaint(session, account, complainant=None),
                                              now=NOW) is None
        complaint = make_complaint(session, account)
        first = surveys.schedule_for_complaint(session, complaint=complaint, now=NOW)
        again = surveys.schedule_for_complaint(session, complaint=complaint, now=NOW + timedelta(minutes=1))
        assert id_of(first) == id_of(again)


def test_a_contact_is_asked_at_most_once_in_7_days(db):
    with db.session() as session:
        account = make_account(session)
        surveys.schedule_for_complaint(session, complaint=make_complaint(session, account), now=NOW)
        assert surveys.schedule_for_complaint(session, complaint=make_complaint(session, account), now=NOW) is None
        handle_due_surveys(session, now=NOW + timedelta(hours=2), managers=MANAGERS)
        later = NOW + timedelta(days=6)
        assert surveys.schedule_for_complaint(session, complaint=make_complaint(session, account), now=later) is None
        assert surveys.schedule_for_complaint(session, complaint=make_complaint(session, account),
                                              now=NOW + timedelta(days=7, hours=2)) is not None


def test_at_send_time_a_survey_sent_meanwhile_wins(db):
    with db.session() as session:
        account = make_account(session)
        planned = surveys.schedule_for_complaint(session, complaint=make_complaint(session, account), now=NOW)
        session.add(Survey(account_id=id_of(account), respondent_id=ERIN, status=SurveyStatus.SENT, send_at=NOW,
                           sent_at=NOW + timedelta(hours=1), created_by="U0BOB", created_at=NOW))
        handle_due_surveys(session, now=NOW + timedelta(hours=2), managers=MANAGERS)
        assert session.get_one(Survey, id_of(planned)).status == "cancelled"


def test_reopening_cancels_only_a_survey_not_yet_sent(db):
    with db.session() as session:
        account = make_account(session)
        complaint = make_complaint(session, account)
        survey = surveys.schedule_for_complaint(session, complaint=complaint, now=NOW)
        assert survey is not None
        assert surveys.cancel_for_complaint(session, complaint_id=id_of(complaint), now=NOW) == 1
        assert surveys.cancel_for_complaint(session, complaint_id=id_of(complaint), now=NOW) == 0
        session.refresh(survey)
        assert survey.status == "cancelled" and survey.next_check_at is None
        sent = sent_survey_for(session, account)
        assert sent.complaint_id is not None
        assert surveys.cancel_for_complaint(session, complaint_id=sent.complaint_id, now=NOW) == 0


def sent_survey_for(session: Session, account: Account) -> Survey:
    complaint = make_complaint(session, account, complainant="U0FRANK")
    survey = surveys.schedule_for_complaint(session, complaint=complaint, now=NOW)
    handle_due_surveys(session, now=NOW + timedelta(hours=2), managers=MANAGERS)
    return session.get_one(Survey, id_of(survey))


@pytest.mark.parametrize(("by_dm", "shared", "channel", "expected"), [
    (False, True, "C0ACMESHR", (SurveyDelivery.CHANNEL, "C0ACMESHR")),
    (False, True, "C0ACMEINT", (SurveyDelivery.CHANNEL, "C0ACMESHR")),  # never the internal channel
    (False, False, "C0ACMEINT", (SurveyDelivery.DM, None)),
    (True, True, "C0ACMESHR", (SurveyDelivery.DM, None)),
])
def test_where_the_card_goes(sqlite_db, by_dm, shared, channel, expected):
    with sqlite_db.session() as session:
        account = make_account(session, shared=shared, by_dm=by_dm)
        survey = Survey(account_id=id_of(account), respondent_id=ERIN, channel_id=channel, send_at=NOW, created_by="x",
                        created_at=NOW)
        assert surveys.destination(session, survey=survey, account=account) == expected


def test_only_the_respondent_answers_and_only_once(db):
    with db.session() as session:
        survey = sent_survey(session)
        later = NOW + timedelta(hours=3)
        assert surveys.record_answer(session, survey_id=id_of(survey), user_id="U0FRANK", score=5,
                                     now=later).outcome == Outcome.NOT_YOURS
        with pytest.raises(InvalidInput):
            surveys.record_answer(session, survey_id=id_of(survey), user_id=ERIN, score=6, now=later)
        answer = surveys.record_answer(session, survey_id=id_of(survey), user_id=ERIN, score=4, now=later)
        assert answer.outcome == Outcome.RECORDED and answer.keys == [f"survey:{id_of(survey)}:card:answered"]
        assert surveys.record_answer(session, survey_id=id_of(survey), user_id=ERIN, score=1,
                                     now=later).outcome == Outcome.ALREADY_ANSWERED
        session.refresh(survey)
        assert (survey.score, survey.answered_by, survey.next_check_at) == (4, ERIN, None)


def test_two_clicks_at_once_record_one_answer(db):
    with db.session() as session:
        survey_id = id_of(sent_survey(session))
    outcomes = []
    barrier = threading.Barrier(2)

    def click(score: int) -> None:
        barrier.wait()
        with db.session() as session:
            outcomes.append(surveys.record_answer(session, survey_id=survey_id, user_id=ERIN, score=score,
                                                  now=NOW + timedelta(hours=3)).outcome)

    threads = [threading.Thread(target=click, args=(score,)) for score in (2, 5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == [Outcome.ALREADY_ANSWERED, Outcome.RECORDED]


def test_remind_once_then_expire_and_an_expired_survey_cannot_be_answered(db):
    with db.session() as session:
        survey = sent_survey(session)
        sent = survey.sent_at
        assert sent is not None
        handle_due_surveys(session, now=sent + timedelta(hours=48), managers=MANAGERS)
        handle_due_surveys(session, now=sent + timedelta(hours=49), managers=MANAGERS)
        session.refresh(survey)
        assert survey.status == "reminded" and survey.next_check_at == sent + timedelta(days=7)
        handle_due_surveys(session, now=sent + timedelta(days=7), managers=MANAGERS)
        session.refresh(survey)
        assert survey.status == "expired" and survey.next_check_at is None
        assert keys(session)[-3:] == [f"survey:{id_of(survey)}:reminder", f"survey:{id_of(survey)}:card:expired",
                                      f"survey:{id_of(survey)}:reminder:expired"]
        assert surveys.record_answer(session, survey_id=id_of(survey), user_id=ERIN, score=3,
                                     now=sent + timedelta(days=8)).outcome == Outcome.CLOSED


def test_a_late_tick_expires_without_reminding(sqlite_db):
    with sqlite_db.session() as session:
        survey = sent_survey(session)
        assert survey.sent_at is not None
        handle_due_surveys(session, now=survey.sent_at + timedelta(days=9), managers=MANAGERS)
        session.refresh(survey)
        assert survey.status == "expired" and not any(k.endswith(":reminder") for k in keys(session))


def test_a_low_score_alerts_after_the_comment_grace_once(db):
    with db.session() as session:
        survey = sent_survey(session)
        at = NOW + timedelta(hours=3)
        surveys.record_answer(session, survey_id=id_of(survey), user_id=ERIN, score=2, now=at)
        assert handle_due_surveys(session, now=at + timedelta(minutes=14), managers=MANAGERS) == 0
        handle_due_surveys(session, now=at + timedelta(minutes=15), managers=MANAGERS)
        handle_due_surveys(session, now=at + timedelta(minutes=16), managers=MANAGERS)
        alerts = [k for k in keys(session) if ":low:" in k]
        assert alerts == [f"survey:{id_of(survey)}:low:U0ALICE", f"survey:{id_of(survey)}:low:U0CAROL"]


def test_comments_are_the_respondents_and_kept_once(db):
    with db.session() as session:
        survey = sent_survey(session)
        at = NOW + timedelta(hours=3)
        with pytest.raises(Refused, match="score first"):
            surveys.check_can_comment(session, survey_id=id_of(survey), user_id=ERIN)
        surveys.record_answer(session, survey_id=id_of(survey), user_id=ERIN, score=1, now=at)
        with pytest.raises(Refused, match="only they can comment"):
            surveys.record_comment(session, survey_id=id_of(survey), user_id="U0FRANK", text="hi", now=at, managers=[])
        with pytest.raises(InvalidInput):
            surveys.record_comment(session, survey_id=id_of(survey), user_id=ERIN, text="  ", now=at, managers=[])
        sent = surveys.record_comment(session, survey_id=id_of(survey), user_id=ERIN, text="too slow", now=at,
                                      managers=["U0CAROL"])
        assert sent == [f"survey:{id_of(survey)}:card:commented", f"survey:{id_of(survey)}:low:U0ALICE",
                        f"survey:{id_of(survey)}:low:U0CAROL"]
        with pytest.raises(Refused, match="already have your comment"):
            surveys.record_comment(session, survey_id=id_of(survey), user_id=ERIN, text="again", now=at, managers=[])


def test_alert_recipients_are_the_owner_then_managers_each_once():
    account = Account(name="A", name_key="a", owner_id="U0ALICE", created_by="x", created_at=NOW)
    assert surveys.alert_recipients(account, ["U0CAROL", "U0ALICE"]) == ["U0ALICE", "U0CAROL"]
    account.owner_id = None
    assert surveys.alert_recipients(account, ["U0CAROL"]) == ["U0CAROL"]


def test_csat_averages_the_answers_of_the_last_90_days(db):
    with db.session() as session:
        account = make_account(session)
        for days_ago, score in ((1, 4), (30, 5), (89, 3), (91, 1)):
            session.add(Survey(account_id=id_of(account), respondent_id=ERIN, status=SurveyStatus.ANSWERED, score=score,
                               answered_at=NOW - timedelta(days=days_ago), send_at=NOW, created_by="x",
                               created_at=NOW))
        session.add(Survey(account_id=id_of(account), respondent_id=ERIN, status=SurveyStatus.EXPIRED, send_at=NOW,
                           created_by="x", created_at=NOW))
        session.flush()
        csat = surveys.account_csat(session, account_id=id_of(account), now=NOW)
        assert (csat.average, csat.count) == (4.0, 3)
        assert surveys.account_csat(session, account_id=id_of(account) + 1, now=NOW).count == 0


@pytest.fixture
def sqlite_db(sqlite_template, tmp_path):
    """An SQLite-only database, for rules that do not depend on the backend."""
    from storage.db import Database
    from tests import databases

    database = Database(databases.fresh_sqlite_url(sqlite_template, tmp_path))
    yield database
    database.dispose()
