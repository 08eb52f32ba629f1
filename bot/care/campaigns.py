"""Open surveys (公开调查 — satisfaction surveys by questionnaire): a campaign asks the customer contacts of
chosen accounts a few questions between an opening and a closing moment, reminding once.

The rules, free of Slack. A campaign is drafted (`check_draft`, `create_campaign`), opened by the
scheduler (`campaign_schedule`), answered by the people it addresses — once each, changeable until it
closes — or recorded from a phone call, a visit or a web form. Anonymous campaigns keep no respondent
with an answer: see `respondent_key` and docs/decisions.md. Results are in `campaign_results`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlmodel import Session

from bot.calendar.when import read_when
from bot.calendar.workdays import WorkCalendar
from bot.care.cards import CampaignCard, CampaignCardState
from bot.platform import outbox
from bot.platform.errors import FormErrors, InvalidInput, NotFound
from bot.platform.i18n import _
from storage.accounts import (
    Account,
    AccountKind,
    AccountTier,
    first_shared_channel,
    list_accounts,
    list_accounts_named,
    shared_channel_ids,
)
from storage.care import campaigns as store
from storage.care.campaigns import CampaignRecipient, CampaignStatus, SurveyCampaign
from storage.platform.audit import record_change

MAX_QUESTIONS = 10
MAX_OPTIONS = 10
MAX_TITLE = 150
MAX_TEXT_ANSWER = 2000


class QuestionKind(StrEnum):
    """The kinds of question a campaign may ask."""

    CSAT = "csat"  # 1–5, how satisfied
    NPS = "nps"  # 0–10, how likely to recommend
    CHOICE = "choice"  # one of a few options
    TEXT = "text"  # free text


SCALES = {QuestionKind.CSAT: range(1, 6), QuestionKind.NPS: range(11)}
LOW = {QuestionKind.CSAT: 2, QuestionKind.NPS: 6}  # at or below: the account owner is alerted
KIND_WORDS = {
    "csat": QuestionKind.CSAT, "satisfaction": QuestionKind.CSAT, "满意度": QuestionKind.CSAT,
    "nps": QuestionKind.NPS, "recommend": QuestionKind.NPS, "推荐": QuestionKind.NPS,
    "choice": QuestionKind.CHOICE, "single": QuestionKind.CHOICE, "选择": QuestionKind.CHOICE,
    "text": QuestionKind.TEXT, "free": QuestionKind.TEXT, "文本": QuestionKind.TEXT,
}


@dataclass(frozen=True)
class Question:
    """One question of a campaign."""

    kind: QuestionKind
    text: str
    options: tuple[str, ...] = ()

    def dump(self) -> dict[str, Any]:
        """The question as stored."""
        return {"kind": self.kind.value, "text": self.text, "options": list(self.options)}

    @classmethod
    def load(cls, data: dict[str, Any]) -> Question:
        """A question as stored."""
        return cls(QuestionKind(data["kind"]), data["text"], tuple(data.get("options") or ()))


@dataclass(frozen=True)
class CampaignDraft:
    """What the author typed in the `/survey new` modal."""

    title: str
    questions: str
    anonymous: bool
    by_dm: bool
    audience: str
    opens: str
    closes: str
    remind: str = ""


def questions_of(campaign: SurveyCampaign) -> list[Question]:
    """A campaign's questions, in order."""
    return [Question.load(item) for item in campaign.questions]


def parse_questions(text: str) -> list[Question]:
    """Read one question a line: `csat: …`, `nps: …`, `choice: … | option | option`, `text: …`."""
    lines = [line.strip() for line in (text or "").splitlines() if line.strip()]
    if not lines:
        raise InvalidInput(_("Add at least one question, one a line, e.g. `csat: How satisfied are you with our "
                             "support?`"))
    if len(lines) > MAX_QUESTIONS:
        raise InvalidInput(_("A survey asks at most {limit} questions; this one has {count}.").format(
            limit=MAX_QUESTIONS, count=len(lines)))
    return [_question(line) for line in lines]


def _question(line: str) -> Question:
    head, sep, rest = line.replace("：", ":").partition(":")
    kind = KIND_WORDS.get(head.strip().lower())
    if not sep or kind is None:
        raise InvalidInput(_("“{line}” doesn't start with a kind. Start each line with csat:, nps:, choice: or "
                             "text:").format(line=line[:80]))
    parts = [part.strip() for part in rest.split("|")]
    question, options = parts[0], tuple(dict.fromkeys(p for p in parts[1:] if p))
    if not question or len(question) > 150:
        raise InvalidInput(_("Each question needs its words (at most 150 characters): “{line}”").format(
            line=line[:80]))
    if kind == QuestionKind.CHOICE and not 2 <= len(options) <= MAX_OPTIONS:
        raise InvalidInput(_("A choice question lists 2 to {limit} options after its words, separated by |: "
                             "`choice: Which office? | Beijing | Shanghai`").format(limit=MAX_OPTIONS))
    return Question(kind, question, options if kind == QuestionKind.CHOICE else ())


def parse_audience(session: Session, text: str) -> dict[str, Any]:
    """Read the audience: `all` customers, a tier (`tier key`), or account names separated by commas."""
    words = (text or "").strip()
    lowered = words.lower()
    if lowered in ("all", "everyone", "全部", "所有"):
        return {"all": True}
    if lowered.startswith("tier ") or lowered in ("key", "standard"):
        tier = lowered.removeprefix("tier ").strip()
        if tier not in (AccountTier.KEY.value, AccountTier.STANDARD.value):
            raise InvalidInput(_("A tier is key or standard: `tier key`."))
        return {"tier": tier}
    names = [name.strip() for name in words.replace("，", ",").split(",") if name.strip()]
    if not names:
        raise InvalidInput(_("Say who is asked: `all`, `tier key`, or account names separated by commas."))
    found = {account.name_key: account for account in list_accounts_named(session, names=names)}
    missing = [name for name in names if " ".join(name.split()).casefold() not in found]
    if missing:
        raise NotFound(_("No account called {names}. See `/account list`.").format(
            names=", ".join(f"“{name}”" for name in missing)))
    return {"accounts": sorted({account.id for account in found.values() if account.id is not None})}


def audience_accounts(session: Session, audience: dict[str, Any]) -> list[Account]:
    """The customer accounts a campaign's audience names."""
    customers = list_accounts(session, kind=AccountKind.CUSTOMER, limit=10_000)
    if audience.get("all"):
        return customers
    if audience.get("tier"):
        return [a for a in customers if a.tier == audience["tier"]]
    wanted = set(audience.get("accounts") or [])
    return [a for a in customers if a.id in wanted]


@dataclass(frozen=True)
class Schedule:
    """When a campaign opens, is reminded and closes."""

    opens_at: datetime
    remind_at: datetime | None
    closes_at: datetime


def read_schedule(draft: CampaignDraft, *, now: datetime, calendar: WorkCalendar) -> Schedule:
    """The campaign's moments in plain language (English or Chinese); FormErrors naming the field."""
    problems: dict[str, str] = {}

    def read(name: str, text: str, default: datetime | None) -> datetime | None:
        if not text.strip():
            return default
        try:
            return read_when(text, now=now, tz=calendar.timezone, calendar=calendar)
        except InvalidInput as problem:
            problems[name] = problem.message
            return None

    opens = read("opens", draft.opens, now)
    closes = read("closes", draft.closes, None)
    if "closes" not in problems and closes is None:
        problems["closes"] = _("Say when the survey closes, e.g. `in 2 weeks` or `下周五下午5点`.")
    remind = read("remind", draft.remind, None)
    if problems or opens is None or closes is None:
        raise FormErrors(problems)
    opens = max(opens, now)
    if closes <= opens:
        raise FormErrors({"closes": _("The survey must close after it opens.")})
    if remind is None:
        remind = opens + (closes - opens) / 2  # by default, halfway through
    elif not opens < remind < closes:
        raise FormErrors({"remind": _("The reminder goes out between the opening and the closing.")})
    return Schedule(opens, remind, closes)


def check_draft(session: Session, draft: CampaignDraft, *, now: datetime,
                calendar: WorkCalendar) -> tuple[list[Question], dict[str, Any], Schedule]:
    """Read the whole draft; FormErrors with every field that needs fixing."""
    problems: dict[str, str] = {}
    questions: list[Question] = []
    audience: dict[str, Any] = {}
    schedule = None
    title = draft.title.strip()
    if not title or len(title) > MAX_TITLE:
        problems["title"] = _("Give the survey a title (at most {limit} characters).").format(limit=MAX_TITLE)
    try:
        questions = parse_questions(draft.questions)
    except InvalidInput as problem:
        problems["questions"] = problem.message
    try:
        audience = parse_audience(session, draft.audience)
    except (InvalidInput, NotFound) as problem:
        problems["audience"] = problem.message
    try:
        schedule = read_schedule(draft, now=now, calendar=calendar)
    except FormErrors as problem:
        problems.update(problem.fields)
    if problems or schedule is None:
        raise FormErrors(problems)
    return questions, audience, schedule


def create_campaign(session: Session, draft: CampaignDraft, *, actor_id: str, now: datetime,
                    calendar: WorkCalendar) -> SurveyCampaign:
    """Store a checked campaign, scheduled to open at its opening moment."""
    questions, audience, schedule = check_draft(session, draft, now=now, calendar=calendar)
    campaign = store.add_campaign(session, SurveyCampaign(
        title=draft.title.strip(), questions=[q.dump() for q in questions], anonymous=draft.anonymous,
        by_dm=draft.by_dm, audience=audience, opens_at=schedule.opens_at, remind_at=schedule.remind_at,
        closes_at=schedule.closes_at, next_check_at=schedule.opens_at, respondent_salt=secrets.token_hex(32),
        created_by=actor_id, created_at=now,
    ))
    record_change(session, actor_id=actor_id, action="campaign.create", object_type="survey_campaign",
                  object_id=campaign.id, at=now,
                  after={"title": campaign.title, "anonymous": campaign.anonymous, "audience": audience,
                         "opens_at": schedule.opens_at.isoformat(), "closes_at": schedule.closes_at.isoformat()})
    return campaign


def respondent_key(campaign: SurveyCampaign, user_id: str) -> str:
    """The keyed hash a respondent's answer is found by while the campaign is open (its key dies at close)."""
    assert campaign.respondent_salt is not None  # only open campaigns take answers
    return hmac.new(bytes.fromhex(campaign.respondent_salt), user_id.encode(), hashlib.sha256).hexdigest()


# -- opening: who is asked, and the cards ------------------------------------------------------------

Members = Callable[[str], list[str]]  # a shared channel's customer contacts (the Slack port answers it)


def contacts_of(session: Session, account: Account, members: Members) -> list[str]:
    """An account's customer contacts: the customer's people in its linked shared channels."""
    assert account.id is not None  # a stored account
    people: list[str] = []
    for channel in shared_channel_ids(session, account_id=account.id):
        people += [user for user in members(channel) if user not in people]
    return people


def card_key(campaign_id: int, *, account_id: int | None = None, user: str | None = None) -> str:
    """The outbox key of a campaign's card in an account's channel, or in one person's DM."""
    return f"campaign:{campaign_id}:dm:{user}" if user else f"campaign:{campaign_id}:card:{account_id}"


def campaign_card(campaign: SurveyCampaign, addressed: Sequence[str], state: CampaignCardState,
                  calendar: WorkCalendar) -> CampaignCard:
    """The card the addressed people answer from."""
    assert campaign.id is not None  # a stored campaign
    first = questions_of(campaign)[0]
    return CampaignCard(campaign_id=campaign.id, title=campaign.title, addressed=tuple(addressed),
                        questions=len(campaign.questions), first_kind=first.kind.value, first_text=first.text,
                        anonymous=campaign.anonymous, closes_at=campaign.closes_at, tz=calendar.timezone,
                        state=state)


def card_places(session: Session, campaign: SurveyCampaign,
                recipients: Sequence[CampaignRecipient]) -> list[tuple[str, str | None, str | None, list[str]]]:
    """Where the cards go: (key, channel, dm user, addressed people) — one card an account, or one DM a person."""
    assert campaign.id is not None  # a stored campaign
    by_account: dict[int, list[str]] = {}
    for recipient in recipients:
        by_account.setdefault(recipient.account_id, []).append(recipient.user_id)
    places: list[tuple[str, str | None, str | None, list[str]]] = []
    for account_id, people in by_account.items():
        channel = None if campaign.by_dm else first_shared_channel(session, account_id=account_id)
        if channel:
            places.append((card_key(campaign.id, account_id=account_id), channel, None, people))
        else:  # never post a survey in an internal channel: by DM instead
            places += [(card_key(campaign.id, user=user), None, user, [user]) for user in people]
    return places


def open_campaign(session: Session, campaign: SurveyCampaign, *, now: datetime, members: Members,
                  calendar: WorkCalendar) -> int:
    """Address the campaign to the audience's customer contacts and queue their cards; how many people."""
    assert campaign.id is not None  # a stored campaign
    next_check = campaign.remind_at if campaign.remind_at and campaign.remind_at > now else campaign.closes_at
    if not store.change_campaign(session, campaign_id=campaign.id, statuses=(CampaignStatus.SCHEDULED,),
                                 values={"status": CampaignStatus.OPEN, "opened_at": now,
                                         "next_check_at": next_check}):
        return 0
    seen: set[str] = set()
    for account in audience_accounts(session, campaign.audience):
        assert account.id is not None  # a stored account
        for person in contacts_of(session, account, members):
            if person not in seen:
                seen.add(person)
                store.add_recipient(session, CampaignRecipient(campaign_id=campaign.id, account_id=account.id,
                                                               user_id=person))
    session.flush()
    recipients = store.list_recipients(session, campaign_id=campaign.id)
    for key, channel, user, people in card_places(session, campaign, recipients):
        card = campaign_card(campaign, people, CampaignCardState.OPEN, calendar)
        if channel:
            outbox.post(session, key=key, channel=channel, card=card, now=now)
        elif user:
            outbox.dm(session, key=key, user=user, card=card, now=now)
    record_change(session, actor_id="scheduler", action="campaign.open", object_type="survey_campaign",
                  object_id=campaign.id, at=now, after={"recipients": len(recipients)})
    return len(recipients)


def remind_campaign(session: Session, campaign: SurveyCampaign, *, now: datetime, calendar: WorkCalendar) -> int:
    """Remind, once and by DM, each addressed person who has not answered; how many.

    By DM even when the card is in a shared channel: a reminder naming who has not answered in front of
    everyone would tell the channel who has.
    """
    assert campaign.id is not None  # a stored campaign
    if not store.change_campaign(session, campaign_id=campaign.id, statuses=(CampaignStatus.OPEN,),
                                 values={"reminded_at": now, "next_check_at": campaign.closes_at}):
        return 0
    answered = store.response_keys(session, campaign_id=campaign.id)
    waiting = [r.user_id for r in store.list_recipients(session, campaign_id=campaign.id)
               if respondent_key(campaign, r.user_id) not in answered]
    for user in waiting:
        card = campaign_card(campaign, [user], CampaignCardState.REMINDER, calendar)
        outbox.dm(session, key=f"campaign:{campaign.id}:reminder:{user}", user=user, card=card, now=now)
    record_change(session, actor_id="scheduler", action="campaign.remind", object_type="survey_campaign",
                  object_id=campaign.id, at=now, after={"reminded": len(waiting)})
    return len(waiting)


def close_campaign(session: Session, campaign: SurveyCampaign, *, now: datetime, calendar: WorkCalendar) -> bool:
    """Close the campaign: no more answers, the respondents' key erased, the cards say so."""
    assert campaign.id is not None  # a stored campaign
    if not store.change_campaign(session, campaign_id=campaign.id, statuses=(CampaignStatus.OPEN,),
                                 values={"status": CampaignStatus.CLOSED, "closed_at": now, "next_check_at": None,
                                         "respondent_salt": None}):
        return False
    recipients = store.list_recipients(session, campaign_id=campaign.id)
    for key, _channel, _user, people in card_places(session, campaign, recipients):
        card = campaign_card(campaign, people, CampaignCardState.CLOSED, calendar)
        outbox.update(session, key=f"{key}:closed", original_key=key, card=card, now=now)
    record_change(session, actor_id="scheduler", action="campaign.close", object_type="survey_campaign",
                  object_id=campaign.id, at=now)
    return True


def require_campaign(session: Session, campaign_id: int) -> SurveyCampaign:
    """The campaign, read fresh; NotFound when there is none."""
    campaign = store.get_campaign(session, campaign_id=campaign_id)
    if campaign is None:
        raise NotFound(_("There is no survey #{id}. See `/survey list`.").format(id=campaign_id))
    return campaign
