"""Customer care cards for the outbox: commendations, survey cards and alerts, complaint cards and notices.

Field names are those of the dictionaries the outbox held before the cards were typed, so messages
queued then still load.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import ClassVar
from zoneinfo import ZoneInfo

from bot.care.complaint_clock import Clock
from bot.platform.cards import CardKind
from storage.care.complaints import ComplaintSeverity, ComplaintStatus


@dataclass(frozen=True)
class PraisedGroup:
    """A user group praised as a team."""

    id: str
    handle: str


@dataclass(frozen=True)
class PraiseCard:
    """The commendation published in the kudos channel."""

    kind: ClassVar[CardKind] = CardKind.PRAISE_CARD
    praise_id: int
    giver: str
    users: tuple[str, ...]
    groups: tuple[PraisedGroup, ...]
    reason: str
    account: str | None = None


@dataclass(frozen=True)
class PraiseThanksCard:
    """A letter of thanks for a customer's praise, in their shared channel or DM (it goes to the customer)."""

    kind: ClassVar[CardKind] = CardKind.PRAISE_THANKS
    to: str
    text: str
    sender: str


@dataclass(frozen=True)
class PraiseStoryCard:
    """A customer's praise turned into an experience-sharing post for an internal channel."""

    kind: ClassVar[CardKind] = CardKind.PRAISE_STORY
    praise_id: int
    account: str
    receivers: tuple[str, ...]
    praise: str
    done: str
    lessons: str
    author: str


class SurveyCardState(StrEnum):
    """What the survey card shows."""

    ASKING = "asking"
    REMINDER = "reminder"
    ANSWERED = "answered"
    COMMENTED = "commented"
    EXPIRED = "expired"


class SurveyAbout(StrEnum):
    """What a survey asks about."""

    COMPLAINT = "complaint"  # a resolved complaint
    EVENT = "event"  # a message an engineer picked with *Ask for feedback*


@dataclass(frozen=True)
class SurveyCard:
    """The card the respondent answers; nothing internal, as it may go to a shared channel."""

    kind: ClassVar[CardKind] = CardKind.SURVEY_CARD
    survey_id: int
    respondent: str
    about: SurveyAbout
    permalink: str | None
    state: SurveyCardState
    score: int | None


@dataclass(frozen=True)
class SurveyAlert:
    """What the owner and managers are told about a low score (internal: sent by DM only)."""

    survey_id: int
    account: str
    respondent: str
    score: int
    comment: str | None
    complaint_id: int | None
    permalink: str | None


@dataclass(frozen=True)
class SurveyLowScoreCard(SurveyAlert):
    """A score of 1 or 2, with the respondent's comment when there is one."""

    kind: ClassVar[CardKind] = CardKind.SURVEY_LOW_SCORE


@dataclass(frozen=True)
class SurveyCommentAddedCard(SurveyAlert):
    """The comment a respondent added after their low score had been reported."""

    kind: ClassVar[CardKind] = CardKind.SURVEY_COMMENT_ADDED


class CampaignCardState(StrEnum):
    """What an open survey's card shows."""

    OPEN = "open"
    REMINDER = "reminder"
    CLOSED = "closed"


@dataclass(frozen=True)
class CampaignCard:
    """An open survey (公开调查) addressed to customer contacts: nothing internal, it may go to a shared channel."""

    kind: ClassVar[CardKind] = CardKind.CAMPAIGN_CARD
    campaign_id: int
    title: str
    addressed: tuple[str, ...]
    questions: int
    first_kind: str  # the first question's kind: its buttons sit on the card when it is a scale (csat, nps)
    first_text: str
    anonymous: bool
    closes_at: datetime
    tz: ZoneInfo
    state: CampaignCardState


@dataclass(frozen=True)
class CampaignLowScoreCard:
    """A detractor (NPS 0–6) or a CSAT of 1–2 in an open survey, for the account owner and managers (by DM)."""

    kind: ClassVar[CardKind] = CardKind.CAMPAIGN_LOW_SCORE
    campaign_id: int
    title: str
    account: str
    respondent: str | None  # None when the survey is anonymous (or the answer was recorded without a name)
    question: str
    question_kind: str
    score: int


@dataclass(frozen=True)
class ComplaintCard:
    """The complaint card in the account's internal channel (internal: it never goes to a shared channel)."""

    kind: ClassVar[CardKind] = CardKind.COMPLAINT_CARD
    id: int
    account: str
    summary: str
    severity: ComplaintSeverity
    status: ComplaintStatus
    owner: str | None
    complainant: str | None
    created_by: str
    permalink: str | None
    tz: ZoneInfo  # the account's calendar: every moment on the card is shown in it
    created_at: datetime
    ack_due: datetime | None
    acknowledged_at: datetime | None
    ack_breached: bool
    resolve_due: datetime | None
    resolved_at: datetime | None
    resolve_breached: bool
    resolution: str | None
    resolved_by: str | None
    reopen_count: int
    closed_at: datetime | None


class SlaNotice(StrEnum):
    """Which SLA notice a clock has reached."""

    WARNING = "warning"  # 80% of the time has gone
    BREACH = "breach"  # the time has run out


@dataclass(frozen=True)
class ComplaintSlaCard:
    """An SLA notice about one clock of a complaint: a warning to its owner, or an escalation."""

    kind: ClassVar[CardKind] = CardKind.COMPLAINT_SLA
    id: int
    account: str
    summary: str
    severity: ComplaintSeverity
    status: ComplaintStatus
    clock: Clock
    due: datetime
    tz: ZoneInfo
    owner: str | None
    card_channel: str | None
    notice: SlaNotice


@dataclass(frozen=True)
class ComplaintCustomerAckCard:
    """The neutral line in the customer's thread: who is on it, nothing internal."""

    kind: ClassVar[CardKind] = CardKind.COMPLAINT_CUSTOMER_ACK
    owner: str


@dataclass(frozen=True)
class ComplaintFlagCard:
    """An account has raised `count` complaints within `days` days."""

    kind: ClassVar[CardKind] = CardKind.COMPLAINT_FLAG
    account: str
    count: int
    days: int
    complaint_id: int


@dataclass(frozen=True)
class FirstResponseCard:
    """A customer's message still waiting for our first response: the owner's nudge, or the internal alert."""

    kind: ClassVar[CardKind] = CardKind.FIRST_RESPONSE
    message_id: int
    account: str
    notice: SlaNotice
    author: str | None
    permalink: str | None
    channel: str
    posted_at: datetime
    due: datetime
    tz: ZoneInfo
    target_minutes: int
    owner: str | None


@dataclass(frozen=True)
class ReportProblemInviteCard:
    """The *Report a problem* button in a shared channel: neutral, for the customer's people."""

    kind: ClassVar[CardKind] = CardKind.REPORT_PROBLEM_INVITE


@dataclass(frozen=True)
class ProblemReceivedCard:
    """The neutral line the customer sees after reporting a problem: nothing internal."""

    kind: ClassVar[CardKind] = CardKind.PROBLEM_RECEIVED
    reporter: str
