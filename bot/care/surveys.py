"""Case-by-case satisfaction surveys (满意度调查 a): schedule, ask, answer — the rules, free of Slack.

A survey asks one customer (the respondent) to rate one service event from 1 to 5: a resolved
complaint (sent 2 h after it was resolved) or any message an engineer picks with *Ask for
feedback* (sent at once). Only the respondent's answer counts, and only the first one. A score of
1 or 2 alerts the account's owner and the managers. The scheduler's part (send, remind once,
expire, alert) is in `survey_schedule`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TypeVar
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.calendar.when import describe
from bot.care.cards import (
    SurveyAbout,
    SurveyAlert,
    SurveyCard,
    SurveyCardState,
    SurveyCommentAddedCard,
    SurveyLowScoreCard,
)
from bot.platform import outbox
from bot.platform.errors import InvalidInput, NotFound, Refused
from bot.platform.i18n import _
from storage.accounts import Account, get_account_for_channel, list_account_channels
from storage.care import surveys as store
from storage.care.complaints import Complaint
from storage.care.surveys import Csat, Survey, SurveyDelivery, SurveyStatus
from storage.platform.audit import SCHEDULER, record_change

SEND_DELAY = timedelta(hours=2)  # after a complaint is resolved
REMIND_AFTER = timedelta(hours=48)
EXPIRE_AFTER = timedelta(days=7)
ONCE_PER = timedelta(days=7)  # a customer is asked at most this often
# A low score waits this long for the respondent's comment, so the alert can carry it.
COMMENT_GRACE = timedelta(minutes=15)
CSAT_WINDOW = timedelta(days=90)
LOW_SCORE = 2
SCORES = range(1, 6)
MAX_COMMENT = 2000

A = TypeVar("A", bound=SurveyAlert)


class Outcome(StrEnum):
    """What became of a click on a score."""

    RECORDED = "recorded"
    ALREADY_ANSWERED = "already_answered"
    NOT_YOURS = "not_yours"
    CLOSED = "closed"


@dataclass(frozen=True)
class Answer:
    """The result of a click on a score, and the outbox keys to deliver at once."""

    outcome: Outcome
    survey: Survey
    keys: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Asked:
    """A survey sent at once with *Ask for feedback*, and the outbox key of its card."""

    survey: Survey
    card_key: str


def card_key(survey_id: int) -> str:
    """The outbox key of a survey's card."""
    return f"survey:{survey_id}:card"


def reminder_key(survey_id: int) -> str:
    """The outbox key of a survey's reminder (a second copy of the card)."""
    return f"survey:{survey_id}:reminder"


def survey_card(survey: Survey, state: SurveyCardState) -> SurveyCard:
    """The survey card in one state; nothing internal, as it may go to a shared channel."""
    return SurveyCard(survey_id=_id(survey), respondent=survey.respondent_id,
                      about=SurveyAbout.COMPLAINT if survey.complaint_id else SurveyAbout.EVENT,
                      permalink=survey.source_permalink, state=state, score=survey.score)


def _recently_asked(session: Session, *, respondent_id: str, now: datetime) -> Survey | None:
    return store.recent_survey_for(session, respondent_id=respondent_id, since=now - ONCE_PER)


def schedule_for_complaint(session: Session, *, complaint: Complaint, now: datetime) -> Survey | None:
    """Plan the survey of a just-resolved complaint (due SEND_DELAY later); None when none is due.

    No survey without an external complainant, nor when that person was asked in the last 7 days;
    resolving twice keeps the one survey already planned or open.
    """
    respondent = complaint.complainant_id
    if not respondent:
        return None
    assert complaint.id is not None  # a stored complaint
    live = store.list_surveys_for_complaint(session, complaint_id=complaint.id, statuses=store.LIVE)
    if live:
        return live[0]
    recent = _recently_asked(session, respondent_id=respondent, now=now)
    if recent:
        record_change(session, actor_id=SCHEDULER, action="survey.skip", object_type="complaint",
                      object_id=complaint.id, at=now,
                      after={"respondent_id": respondent, "recent_survey_id": recent.id})
        return None
    send_at = now + SEND_DELAY
    survey = store.add_survey(session, Survey(
        account_id=complaint.account_id, respondent_id=respondent, complaint_id=complaint.id,
        channel_id=complaint.source_channel_id, source_permalink=complaint.permalink,
        send_at=send_at, next_check_at=send_at, created_by=SCHEDULER, created_at=now,
    ))
    record_change(session, actor_id=SCHEDULER, action="survey.schedule", object_type="survey", object_id=survey.id,
                  at=now, after={"complaint_id": complaint.id, "respondent_id": respondent,
                                 "send_at": send_at.isoformat()})
    return survey


def cancel_for_complaint(session: Session, *, complaint_id: int, now: datetime, actor_id: str = SCHEDULER) -> int:
    """Cancel a complaint's survey that has not gone out yet (the complaint was reopened); how many."""
    cancelled = 0
    for survey in store.list_surveys_for_complaint(session, complaint_id=complaint_id,
                                                   statuses=(SurveyStatus.PENDING,)):
        if cancel_pending(session, survey_id=_id(survey), now=now, actor_id=actor_id,
                          why={"reason": "complaint reopened"}):
            cancelled += 1
    return cancelled


def cancel_pending(session: Session, *, survey_id: int, now: datetime, actor_id: str, why: dict[str, object]) -> bool:
    """Cancel a survey still waiting to go out, and audit why; False when it had already gone (or gone away)."""
    values = {"status": SurveyStatus.CANCELLED, "next_check_at": None}
    if not store.change_survey(session, survey_id=survey_id, statuses=(SurveyStatus.PENDING,), values=values):
        return False
    record_change(session, actor_id=actor_id, action="survey.cancel", object_type="survey", object_id=survey_id,
                  at=now, before={"status": SurveyStatus.PENDING.value},
                  after={"status": SurveyStatus.CANCELLED.value, **why})
    return True


def ask_for_feedback(session: Session, *, actor_id: str, channel_id: str, message_ts: str, author_id: str | None,
                     author_is_external: bool, permalink: str | None, now: datetime, timezone: ZoneInfo) -> Asked:
    """Survey the customer who wrote a message about the service they got there; sent at once."""
    if not author_id:
        raise InvalidInput(_("That message has no author to ask (was it posted by a bot?). "
                             "Use *Ask for feedback* on a message a customer wrote."))
    account = get_account_for_channel(session, channel_id=channel_id)
    if account is None:
        raise NotFound(_("This channel isn't linked to an account, so Rapport can't tell whose feedback it is. "
                         "Link it first: `/account link <name>`."))
    if not author_is_external:
        raise Refused(_("<@{user}> is one of our own people. *Ask for feedback* on a message a customer wrote.").format(
            user=author_id))
    earlier = store.get_survey_for_message(session, channel_id=channel_id, ts=message_ts)
    if earlier:
        raise Refused(_("Feedback on this message was already asked for ({when}).").format(
            when=describe(earlier.created_at, timezone)))
    recent = _recently_asked(session, respondent_id=author_id, now=now)
    if recent:
        asked = recent.sent_at or recent.send_at
        raise Refused(_("<@{user}> was already asked for feedback on {when}. Rapport asks a customer at most once "
                        "in 7 days so surveys stay welcome; try again after {after}.").format(
            user=author_id, when=describe(asked, timezone), after=describe(asked + ONCE_PER, timezone)))
    assert account.id is not None  # a stored account
    survey = Survey(account_id=account.id, respondent_id=author_id, source_channel_id=channel_id, source_ts=message_ts,
                    source_permalink=permalink, channel_id=channel_id, send_at=now, created_by=actor_id,
                    created_at=now)
    try:
        with session.begin_nested():
            store.add_survey(session, survey)
    except IntegrityError:  # a colleague asked about the same message at the same moment
        raise Refused(_("Feedback on this message was already asked for just now.")) from None
    record_change(session, actor_id=actor_id, action="survey.ask", object_type="survey", object_id=survey.id, at=now,
                  after={"respondent_id": author_id, "channel_id": channel_id, "ts": message_ts})
    sent = send_survey(session, survey=survey, account=account, now=now, actor_id=actor_id)
    return Asked(sent, card_key(_id(sent)))


def destination(session: Session, *, survey: Survey, account: Account) -> tuple[SurveyDelivery, str | None]:
    """Where the card goes: by DM if the account prefers, else a shared channel of the account."""
    if account.survey_by_dm:
        return SurveyDelivery.DM, None
    assert account.id is not None  # a stored account
    shared = [link.channel_id for link in list_account_channels(session, account_id=account.id) if link.is_shared]
    if survey.channel_id in shared:
        return SurveyDelivery.CHANNEL, survey.channel_id
    if shared:
        return SurveyDelivery.CHANNEL, shared[0]
    return SurveyDelivery.DM, None  # never post a survey in an internal channel


def send_survey(session: Session, *, survey: Survey, account: Account, now: datetime,
                actor_id: str = SCHEDULER) -> Survey:
    """Queue the card of a pending survey and start its reminder and expiry clocks."""
    survey_id = _id(survey)
    delivery, channel = destination(session, survey=survey, account=account)
    key = card_key(survey_id)
    values = {"status": SurveyStatus.SENT, "delivery": delivery, "channel_id": channel, "sent_at": now,
              "expires_at": now + EXPIRE_AFTER, "next_check_at": now + REMIND_AFTER, "card_key": key}
    if not store.change_survey(session, survey_id=survey_id, statuses=(SurveyStatus.PENDING,), values=values):
        return require_survey(session, survey_id)
    survey = require_survey(session, survey_id)
    queue_card(session, survey, key=key, state=SurveyCardState.ASKING, now=now, actor=actor_id)
    record_change(session, actor_id=actor_id, action="survey.send", object_type="survey", object_id=survey_id, at=now,
                  before={"status": SurveyStatus.PENDING.value},
                  after={"status": SurveyStatus.SENT.value, "delivery": delivery.value, "channel_id": channel})
    return survey


def queue_card(session: Session, survey: Survey, *, key: str, state: SurveyCardState, now: datetime,
               actor: str | None = None) -> None:
    """Queue the survey's card (or its reminder copy) where the survey was sent: a DM or the shared channel.

    Either way it speaks the account's language (the customer's), not our respondent's Slack locale's guess;
    `actor`, who asked for the feedback, is told if the card fails for good.
    """
    card = survey_card(survey, state)
    if survey.delivery == SurveyDelivery.DM or survey.channel_id is None:
        language = session.get_one(Account, survey.account_id).language
        outbox.dm(session, key=key, user=survey.respondent_id, card=card, now=now, language=language, actor=actor)
    else:
        outbox.post(session, key=key, channel=survey.channel_id, card=card, now=now, actor=actor)


def queue_card_updates(session: Session, survey: Survey, *, state: SurveyCardState, now: datetime) -> list[str]:
    """Update the card (and its reminder copy) in place; the keys queued."""
    keys = []
    survey_id = _id(survey)
    originals = [card_key(survey_id)] + ([reminder_key(survey_id)] if survey.reminded_at else [])
    for original in originals:
        key = f"{original}:{state.value}"
        outbox.update(session, key=key, original_key=original, card=survey_card(survey, state), now=now)
        keys.append(key)
    return keys


def record_answer(session: Session, *, survey_id: int, user_id: str, score: int, now: datetime) -> Answer:
    """Record the respondent's score, once; anyone else's click changes nothing."""
    if score not in SCORES:
        raise InvalidInput(_("Scores go from 1 to 5."))
    survey = require_survey(session, survey_id)
    if user_id != survey.respondent_id:
        return Answer(Outcome.NOT_YOURS, survey)
    if survey.status == SurveyStatus.ANSWERED:
        return Answer(Outcome.ALREADY_ANSWERED, survey)
    if survey.status not in store.OPEN:
        return Answer(Outcome.CLOSED, survey)
    low = score <= LOW_SCORE
    values = {"status": SurveyStatus.ANSWERED, "score": score, "answered_at": now, "answered_by": user_id,
              "next_check_at": now + COMMENT_GRACE if low else None}
    if not store.change_survey(session, survey_id=survey_id, statuses=store.OPEN, values=values):
        survey = require_survey(session, survey_id)  # a double click got there first, or it just expired
        return Answer(Outcome.ALREADY_ANSWERED if survey.status == SurveyStatus.ANSWERED else Outcome.CLOSED, survey)
    before = SurveyStatus(survey.status)
    survey = require_survey(session, survey_id)
    keys = queue_card_updates(session, survey, state=SurveyCardState.ANSWERED, now=now)
    record_change(session, actor_id=user_id, action="survey.answer", object_type="survey", object_id=survey_id, at=now,
                  before={"status": before.value}, after={"status": SurveyStatus.ANSWERED.value, "score": score})
    return Answer(Outcome.RECORDED, survey, keys)


def check_can_comment(session: Session, *, survey_id: int, user_id: str) -> Survey:
    """The survey the respondent may now comment on, or Refused saying why not."""
    survey = require_survey(session, survey_id)
    if user_id != survey.respondent_id:
        raise Refused(_("This survey is for <@{user}>, so only they can comment on it. Thanks all the same — "
                        "you're welcome to write to us in this channel.").format(user=survey.respondent_id))
    if survey.status != SurveyStatus.ANSWERED:
        raise Refused(_("Choose a score first, then add your comment."))
    if survey.comment:
        raise Refused(_("We already have your comment — thank you!"))
    return survey


def record_comment(session: Session, *, survey_id: int, user_id: str, text: str, now: datetime,
                   managers: Sequence[str]) -> list[str]:
    """Keep the respondent's comment (the first one); return the outbox keys to deliver at once."""
    comment = (text or "").strip()
    if not comment:
        raise InvalidInput(_("Write a few words, or close this window to skip the comment."))
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(_("Please keep it under {limit} characters.").format(limit=MAX_COMMENT))
    check_can_comment(session, survey_id=survey_id, user_id=user_id)
    if not store.set_comment(session, survey_id=survey_id, comment=comment):
        raise Refused(_("We already have your comment — thank you!"))
    survey = require_survey(session, survey_id)
    record_change(session, actor_id=user_id, action="survey.comment", object_type="survey", object_id=survey_id,
                  at=now, after={"comment": comment})
    keys = queue_card_updates(session, survey, state=SurveyCardState.COMMENTED, now=now)
    if survey.score is not None and survey.score <= LOW_SCORE:
        account = session.get_one(Account, survey.account_id)
        if store.mark_alerted(session, survey_id=survey_id, now=now):
            keys += alert_low_score(session, survey=survey, account=account, managers=managers, now=now)
        else:
            card = _alert(SurveyCommentAddedCard, survey, account)
            keys += _queue_alerts(session, card, account=account, managers=managers, now=now, suffix="comment")
    return keys


def alert_low_score(session: Session, *, survey: Survey, account: Account, managers: Sequence[str],
                    now: datetime) -> list[str]:
    """DM the owner and managers about a score of 1 or 2, with the comment if any (close the loop)."""
    card = _alert(SurveyLowScoreCard, survey, account)
    keys = _queue_alerts(session, card, account=account, managers=managers, now=now, suffix="low")
    record_change(session, actor_id=SCHEDULER, action="survey.alert", object_type="survey", object_id=survey.id,
                  at=now, after={"score": survey.score, "recipients": alert_recipients(account, managers)})
    return keys


def _alert(card_type: type[A], survey: Survey, account: Account) -> A:
    assert survey.score is not None  # only an answered survey alerts
    return card_type(survey_id=_id(survey), account=account.name, respondent=survey.respondent_id,
                       score=survey.score, comment=survey.comment, complaint_id=survey.complaint_id,
                       permalink=survey.source_permalink)


def _queue_alerts(session: Session, card: SurveyLowScoreCard | SurveyCommentAddedCard, *, account: Account,
                  managers: Sequence[str], now: datetime, suffix: str) -> list[str]:
    keys = []
    for user in alert_recipients(account, managers):
        key = f"survey:{card.survey_id}:{suffix}:{user}"
        outbox.dm(session, key=key, user=user, card=card, now=now)
        keys.append(key)
    return keys


def alert_recipients(account: Account, managers: Sequence[str]) -> list[str]:
    """The account owner, then the managers, each once."""
    people = [account.owner_id] if account.owner_id else []
    return people + [m for m in managers if m not in people]


def require_survey(session: Session, survey_id: int) -> Survey:
    """The survey, read fresh; NotFound when it no longer exists."""
    survey = store.get_survey(session, survey_id=survey_id)
    if survey is None:
        raise NotFound(_("That survey no longer exists."))
    return survey


def _id(survey: Survey) -> int:
    assert survey.id is not None  # surveys are stored (flushed) before anything is queued about them
    return survey.id


def parse_survey_delivery(text: str) -> bool:
    """Read the "surveys" account setting: True for `dm`, False for `channel`."""
    word = text.strip().lower()
    if word in ("dm", "dms", "direct", "direct-message", "私信"):
        return True
    if word in ("channel", "shared", "shared-channel", "default", "频道"):
        return False
    raise InvalidInput(_("Send surveys by `dm` or in the shared `channel`: `/account set Acme Corp surveys dm`"))


def show_survey_delivery(account: Account) -> str:
    """Where an account's surveys go, in words."""
    return _("by direct message") if account.survey_by_dm else _("in its shared channel (the default)")


def account_csat(session: Session, *, account_id: int, now: datetime) -> Csat:
    """CSAT of an account over the last 90 days."""
    return store.csat_for_account(session, account_id=account_id, since=now - CSAT_WINDOW)
