"""Case-by-case satisfaction surveys (满意度调查 a): schedule, ask, answer — the rules, free of Slack.

A survey asks one customer (the respondent) to rate one service event from 1 to 5: a resolved
complaint (sent 2 h after it was resolved) or any message an engineer picks with *Ask for
feedback* (sent at once). Only the respondent's answer counts, and only the first one. A score of
1 or 2 alerts the account's owner and the managers. `run_due_surveys` is the scheduler's part:
send, remind once, expire, and alert.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from bot.calendar.when import describe
from bot.platform import outbox
from bot.platform.errors import InvalidInput, NotFound, Refused
from bot.platform.i18n import _
from storage.accounts import Account, get_account_for_channel, list_account_channels
from storage.care import surveys as store
from storage.care.complaints import Complaint
from storage.care.surveys import Csat, Survey, SurveyDelivery, SurveyStatus
from storage.platform.audit import SCHEDULER, record_change

if TYPE_CHECKING:
    from bot.platform.services import Services

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
DUE_BATCH = 200  # surveys handled per tick; the rest wait for the next one


class CardState(StrEnum):
    """What the survey card shows."""

    ASKING = "asking"
    REMINDER = "reminder"
    ANSWERED = "answered"
    COMMENTED = "commented"
    EXPIRED = "expired"


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


def card_key(survey_id: int) -> str:
    """The outbox key of a survey's card."""
    return f"survey:{survey_id}:card"


def reminder_key(survey_id: int) -> str:
    """The outbox key of a survey's reminder (a second copy of the card)."""
    return f"survey:{survey_id}:reminder"


def card_data(survey: Survey, state: CardState) -> dict[str, Any]:
    """What the survey card renderer needs; nothing internal, as it may go to a shared channel."""
    return {
        "survey_id": survey.id,
        "respondent": survey.respondent_id,
        "about": "complaint" if survey.complaint_id else "event",
        "permalink": survey.source_permalink,
        "state": state.value,
        "score": survey.score,
    }


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
        values = {"status": SurveyStatus.CANCELLED, "next_check_at": None}
        if store.change_survey(session, survey_id=survey.id, statuses=(SurveyStatus.PENDING,), values=values):
            record_change(session, actor_id=actor_id, action="survey.cancel", object_type="survey",
                          object_id=survey.id, at=now, before={"status": SurveyStatus.PENDING.value},
                          after={"status": SurveyStatus.CANCELLED.value, "reason": "complaint reopened"})
            cancelled += 1
    return cancelled


def ask_for_feedback(session: Session, *, actor_id: str, channel_id: str, message_ts: str, author_id: str | None,
                     author_is_external: bool, permalink: str | None, now: datetime, timezone: ZoneInfo) -> Survey:
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
    return send_survey(session, survey=survey, account=account, now=now, actor_id=actor_id)


def destination(session: Session, *, survey: Survey, account: Account) -> tuple[SurveyDelivery, str | None]:
    """Where the card goes: by DM if the account prefers, else a shared channel of the account."""
    if account.survey_by_dm:
        return SurveyDelivery.DM, None
    shared = [link.channel_id for link in list_account_channels(session, account_id=account.id) if link.is_shared]
    if survey.channel_id in shared:
        return SurveyDelivery.CHANNEL, survey.channel_id
    if shared:
        return SurveyDelivery.CHANNEL, shared[0]
    return SurveyDelivery.DM, None  # never post a survey in an internal channel


def send_survey(session: Session, *, survey: Survey, account: Account, now: datetime,
                actor_id: str = SCHEDULER) -> Survey:
    """Queue the card of a pending survey and start its reminder and expiry clocks."""
    delivery, channel = destination(session, survey=survey, account=account)
    key = card_key(survey.id)
    values = {"status": SurveyStatus.SENT, "delivery": delivery, "channel_id": channel, "sent_at": now,
              "expires_at": now + EXPIRE_AFTER, "next_check_at": now + REMIND_AFTER, "card_key": key}
    if not store.change_survey(session, survey_id=survey.id, statuses=(SurveyStatus.PENDING,), values=values):
        return store.get_survey(session, survey_id=survey.id)
    survey = store.get_survey(session, survey_id=survey.id)
    _queue_card(session, survey, key=key, state=CardState.ASKING, now=now)
    record_change(session, actor_id=actor_id, action="survey.send", object_type="survey", object_id=survey.id, at=now,
                  before={"status": SurveyStatus.PENDING.value},
                  after={"status": SurveyStatus.SENT.value, "delivery": delivery.value, "channel_id": channel})
    return survey


def _queue_card(session: Session, survey: Survey, *, key: str, state: CardState, now: datetime) -> None:
    data = card_data(survey, state)
    if survey.delivery == SurveyDelivery.DM:
        outbox.dm(session, key=key, user=survey.respondent_id, kind="survey_card", data=data, now=now)
    else:
        outbox.post(session, key=key, channel=survey.channel_id, kind="survey_card", data=data, now=now)


def queue_card_updates(session: Session, survey: Survey, *, state: CardState, now: datetime) -> list[str]:
    """Update the card (and its reminder copy) in place; the keys queued."""
    keys = []
    originals = [card_key(survey.id)] + ([reminder_key(survey.id)] if survey.reminded_at else [])
    for original in originals:
        key = f"{original}:{state.value}"
        outbox.update(session, key=key, original_key=original, kind="survey_card", data=card_data(survey, state),
                      now=now)
        keys.append(key)
    return keys


def record_answer(session: Session, *, survey_id: int, user_id: str, score: int, now: datetime) -> Answer:
    """Record the respondent's score, once; anyone else's click changes nothing."""
    if score not in SCORES:
        raise InvalidInput(_("Scores go from 1 to 5."))
    survey = _require_survey(session, survey_id)
    if user_id != survey.respondent_id:
        return Answer(Outcome.NOT_YOURS, survey)
    if survey.status == SurveyStatus.ANSWERED:
        return Answer(Outcome.ALREADY_ANSWERED, survey)
    if survey.status not in store.OPEN:
        return Answer(Outcome.CLOSED, survey)
    low = score <= LOW_SCORE
    values = {"status": SurveyStatus.ANSWERED, "score": score, "answered_at": now, "answered_by": user_id,
              "next_check_at": now + COMMENT_GRACE if low else None}
    if not store.change_survey(session, survey_id=survey.id, statuses=store.OPEN, values=values):
        survey = _require_survey(session, survey_id)  # a double click got there first, or it just expired
        return Answer(Outcome.ALREADY_ANSWERED if survey.status == SurveyStatus.ANSWERED else Outcome.CLOSED, survey)
    before = SurveyStatus(survey.status)
    survey = _require_survey(session, survey_id)
    keys = queue_card_updates(session, survey, state=CardState.ANSWERED, now=now)
    record_change(session, actor_id=user_id, action="survey.answer", object_type="survey", object_id=survey.id, at=now,
                  before={"status": before.value}, after={"status": SurveyStatus.ANSWERED.value, "score": score})
    return Answer(Outcome.RECORDED, survey, keys)


def check_can_comment(session: Session, *, survey_id: int, user_id: str) -> Survey:
    """The survey the respondent may now comment on, or Refused saying why not."""
    survey = _require_survey(session, survey_id)
    if user_id != survey.respondent_id:
        raise Refused(_("This survey is for <@{user}>, so only they can comment on it. Thanks all the same — "
                        "you're welcome to write to us in this channel.").format(user=survey.respondent_id))
    if survey.status != SurveyStatus.ANSWERED:
        raise Refused(_("Choose a score first, then add your comment."))
    if survey.comment:
        raise Refused(_("We already have your comment — thank you!"))
    return survey


def record_comment(session: Session, *, survey_id: int, user_id: str, text: str, now: datetime,
                   managers: tuple[str, ...] | list[str]) -> list[str]:
    """Keep the respondent's comment (the first one); return the outbox keys to deliver at once."""
    comment = (text or "").strip()
    if not comment:
        raise InvalidInput(_("Write a few words, or close this window to skip the comment."))
    if len(comment) > MAX_COMMENT:
        raise InvalidInput(_("Please keep it under {limit} characters.").format(limit=MAX_COMMENT))
    check_can_comment(session, survey_id=survey_id, user_id=user_id)
    if not store.set_comment(session, survey_id=survey_id, comment=comment):
        raise Refused(_("We already have your comment — thank you!"))
    survey = _require_survey(session, survey_id)
    record_change(session, actor_id=user_id, action="survey.comment", object_type="survey", object_id=survey.id,
                  at=now, after={"comment": comment})
    keys = queue_card_updates(session, survey, state=CardState.COMMENTED, now=now)
    if survey.score is not None and survey.score <= LOW_SCORE:
        account = session.get(Account, survey.account_id)
        if store.mark_alerted(session, survey_id=survey.id, now=now):
            keys += alert_low_score(session, survey=survey, account=account, managers=managers, now=now)
        else:
            keys += _queue_alerts(session, survey=survey, account=account, managers=managers, now=now,
                                  kind="survey_comment_added", suffix="comment")
    return keys


def alert_low_score(session: Session, *, survey: Survey, account: Account, managers: tuple[str, ...] | list[str],
                    now: datetime) -> list[str]:
    """DM the owner and managers about a score of 1 or 2, with the comment if any (close the loop)."""
    keys = _queue_alerts(session, survey=survey, account=account, managers=managers, now=now,
                         kind="survey_low_score", suffix="low")
    record_change(session, actor_id=SCHEDULER, action="survey.alert", object_type="survey", object_id=survey.id,
                  at=now, after={"score": survey.score, "recipients": alert_recipients(account, managers)})
    return keys


def _queue_alerts(session: Session, *, survey: Survey, account: Account, managers: tuple[str, ...] | list[str],
                  now: datetime, kind: str, suffix: str) -> list[str]:
    data = {"survey_id": survey.id, "account": account.name, "respondent": survey.respondent_id,
            "score": survey.score, "comment": survey.comment, "complaint_id": survey.complaint_id,
            "permalink": survey.source_permalink}
    keys = []
    for user in alert_recipients(account, managers):
        key = f"survey:{survey.id}:{suffix}:{user}"
        outbox.dm(session, key=key, user=user, kind=kind, data=data, now=now)
        keys.append(key)
    return keys


def alert_recipients(account: Account, managers: tuple[str, ...] | list[str]) -> list[str]:
    """The account owner, then the managers, each once."""
    people = [account.owner_id] if account.owner_id else []
    return people + [m for m in managers if m not in people]


def _require_survey(session: Session, survey_id: int) -> Survey:
    survey = store.get_survey(session, survey_id=survey_id)
    if survey is None:
        raise NotFound(_("That survey no longer exists."))
    return survey


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


def run_due_surveys(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: send due surveys, remind once after 48 h, expire after 7 days, alert on low scores."""
    managers = tuple(services.settings.rapport_managers)
    handled = 0
    for survey in store.claim_due_surveys(session, now=now, limit=DUE_BATCH):
        account = session.get(Account, survey.account_id)
        status = SurveyStatus(survey.status)
        if status == SurveyStatus.PENDING:
            _send_unless_asked_lately(session, survey, account, now)
        elif status == SurveyStatus.SENT and now < survey.expires_at:
            _remind(session, survey, now)
        elif status in store.OPEN:
            _expire(session, survey, now)
        elif status == SurveyStatus.ANSWERED and store.mark_alerted(session, survey_id=survey.id, now=now):
            alert_low_score(session, survey=survey, account=account, managers=managers, now=now)
        else:
            store.change_survey(session, survey_id=survey.id, statuses=(status,), values={"next_check_at": None})
        handled += 1
    return handled


def _send_unless_asked_lately(session: Session, survey: Survey, account: Account, now: datetime) -> None:
    """Send, unless another survey reached the same person in the last 7 days meanwhile."""
    other = store.recent_survey_for(session, respondent_id=survey.respondent_id, since=now - ONCE_PER, pending=False,
                                    exclude_id=survey.id)
    if other is None:
        send_survey(session, survey=survey, account=account, now=now)
        return
    values = {"status": SurveyStatus.CANCELLED, "next_check_at": None}
    if store.change_survey(session, survey_id=survey.id, statuses=(SurveyStatus.PENDING,), values=values):
        record_change(session, actor_id=SCHEDULER, action="survey.cancel", object_type="survey", object_id=survey.id,
                      at=now, before={"status": SurveyStatus.PENDING.value},
                      after={"status": SurveyStatus.CANCELLED.value, "reason": "asked recently",
                             "recent_survey_id": other.id})


def _remind(session: Session, survey: Survey, now: datetime) -> None:
    """Post the card once more, saying it is a reminder; answering either copy counts."""
    values = {"status": SurveyStatus.REMINDED, "reminded_at": now, "next_check_at": survey.expires_at}
    if not store.change_survey(session, survey_id=survey.id, statuses=(SurveyStatus.SENT,), values=values):
        return
    survey = store.get_survey(session, survey_id=survey.id)
    _queue_card(session, survey, key=reminder_key(survey.id), state=CardState.REMINDER, now=now)
    record_change(session, actor_id=SCHEDULER, action="survey.remind", object_type="survey", object_id=survey.id,
                  at=now, before={"status": SurveyStatus.SENT.value}, after={"status": SurveyStatus.REMINDED.value})


def _expire(session: Session, survey: Survey, now: datetime) -> None:
    """Close an unanswered survey and say so on its card(s)."""
    before = SurveyStatus(survey.status)
    values = {"status": SurveyStatus.EXPIRED, "next_check_at": None}
    if not store.change_survey(session, survey_id=survey.id, statuses=store.OPEN, values=values):
        return
    survey = store.get_survey(session, survey_id=survey.id)
    queue_card_updates(session, survey, state=CardState.EXPIRED, now=now)
    record_change(session, actor_id=SCHEDULER, action="survey.expire", object_type="survey", object_id=survey.id,
                  at=now, before={"status": before.value}, after={"status": SurveyStatus.EXPIRED.value})
