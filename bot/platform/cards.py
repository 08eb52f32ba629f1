"""Typed cards: what domain code hands the outbox, one frozen dataclass per kind, serialised in one place.

Domain packages define their cards (`bot/<domain>/cards.py`), each naming its `kind`; the outbox stores
`dump(card)` as JSON, and at delivery the renderer registry `load`s it back into the same dataclass,
with real datetimes, dates and Decimals, before a `handlers/blocks` renderer turns it into Block Kit.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, fields, is_dataclass, replace
from enum import StrEnum
from functools import cache
from typing import Any, ClassVar, Generic, Protocol, TypeVar

from pydantic import TypeAdapter

from bot.platform.text import neutralise_mentions


class CardKind(StrEnum):
    """Every kind of message the outbox delivers."""

    DELIVERY_FAILED = "delivery_failed"
    PRAISE_CARD = "praise_card"
    SURVEY_CARD = "survey_card"
    SURVEY_LOW_SCORE = "survey_low_score"
    SURVEY_COMMENT_ADDED = "survey_comment_added"
    CAMPAIGN_CARD = "campaign_card"
    PRAISE_THANKS = "praise_thanks"
    PRAISE_STORY = "praise_story"
    CAMPAIGN_LOW_SCORE = "campaign_low_score"
    COMPLAINT_CARD = "complaint_card"
    COMPLAINT_SLA = "complaint_sla"
    COMPLAINT_CUSTOMER_ACK = "complaint_customer_ack"
    COMPLAINT_FLAG = "complaint_flag"
    FIRST_RESPONSE = "first_response"
    REPORT_PROBLEM_INVITE = "report_problem_invite"
    PROBLEM_RECEIVED = "problem_received"
    MEETING_REMINDER = "meeting_reminder"
    MEETING_CUSTOMER_REMINDER = "meeting_customer_reminder"
    MEETING_PARTY_REMINDER = "meeting_party_reminder"
    ACTION_ITEM_REMINDER = "action_item_reminder"
    REPORT_REMINDER = "report_reminder"
    REPORT_DRAFT = "report_draft"
    SUPPLIER_AUDIT_DUE = "supplier_audit_due"
    SUPPLIER_CONTRACT_EXPIRY = "supplier_contract_expiry"
    DISPUTE_CARD = "dispute_card"
    DISPUTE_ESCALATED = "dispute_escalated"
    DISPUTE_ASSIGNED = "dispute_assigned"
    DISPUTE_RESOLVED = "dispute_resolved"
    DISPUTE_MEDIATION_ASK = "dispute_mediation_ask"
    COORDINATION_CARD = "coordination_card"
    COORDINATION_PING = "coordination_ping"
    COORDINATION_TWIN = "coordination_twin"
    COORDINATION_CHASE = "coordination_chase"
    COORDINATION_CLOSED = "coordination_closed"
    SHARED_SUMMARY = "shared_summary"
    THIRD_PARTY_REMINDER = "third_party_reminder"
    THIRD_PARTY_REVIEW_DUE = "third_party_review_due"
    SUPPLIER_CHANGE_NOTICE = "supplier_change_notice"
    SHARING_APPROVAL = "sharing_approval"
    SHARING_DECIDED = "sharing_decided"
    SERVICE_APPROVAL = "service_approval"
    SERVICE_DECIDED = "service_decided"
    SERVICE_REMINDER = "service_reminder"
    NEED_AGREEMENT_REMINDER = "need_agreement_reminder"
    RISK_RAISED = "risk_raised"
    RISK_REVIEW = "risk_review"
    DIGEST = "digest"


class Card(Protocol):
    """A frozen dataclass the outbox can deliver: it names its kind."""

    kind: ClassVar[CardKind]


C = TypeVar("C", bound=Card)


@dataclass(frozen=True)
class UploadFile:
    """A file to share: its name, bytes, title and a description for screen readers."""

    name: str
    content: bytes
    title: str
    alt_text: str


@dataclass(frozen=True)
class Rendered:
    """A message ready for Slack: fallback text plus Block Kit blocks, and files shared after it (a new message
    only: an edit shares none)."""

    text: str
    blocks: list[dict[str, Any]]
    files: tuple[UploadFile, ...] = ()


@cache
def _adapter(card_type: type[Any]) -> TypeAdapter[Any]:
    return TypeAdapter(card_type)


def dump(card: Card) -> dict[str, Any]:
    """A card as JSON-ready data (datetimes as ISO-8601 with their offset, Decimals as strings)."""
    data: dict[str, Any] = _adapter(type(card)).dump_python(card, mode="json")
    return data


def load(card_type: type[C], data: Mapping[str, Any]) -> C:
    """The card stored as `data`, validated back into its dataclass."""
    card: C = _adapter(card_type).validate_python(data)
    return card


def neutralised(value: Any) -> Any:
    """`value` with every user-supplied string in it made safe to post, however deeply it sits in the card.

    Every plain `str` in a card came from people (names, titles, summaries, reasons) or is an id, a URL or a
    time zone, which neutralising leaves as they are; enums are ours and stay. So a new field cannot forget.
    """
    if type(value) is str:
        return neutralise_mentions(value)
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: neutralised(getattr(value, f.name)) for f in fields(value) if f.init}
        return replace(value, **changes)
    if isinstance(value, tuple):
        return tuple(neutralised(item) for item in value)
    if isinstance(value, list):
        return [neutralised(item) for item in value]
    if isinstance(value, dict):
        return {key: neutralised(item) for key, item in value.items()}
    return value


@dataclass(frozen=True)
class CardRenderer(Generic[C]):
    """One kind of card and the function that renders it."""

    card_type: type[C]
    render: Callable[[C], Rendered]


class CardRenderers:
    """Renderers by card kind: the one place a stored card becomes a Slack message."""

    def __init__(self, entries: Iterable[CardRenderer[Any]]) -> None:
        self._by_kind: dict[CardKind, CardRenderer[Any]] = {}
        for entry in entries:
            kind = entry.card_type.kind
            if kind in self._by_kind:
                raise ValueError(f"two renderers for {kind}")
            self._by_kind[kind] = entry

    def kinds(self) -> set[CardKind]:
        """The kinds this registry renders."""
        return set(self._by_kind)

    def render(self, kind: str, data: Mapping[str, Any]) -> Rendered:
        """Load the stored card of `kind`, neutralise what people typed into it, and render it.

        This is the one boundary every posted message crosses, so broadcasts (`<!channel>`, `<!here>`,
        `<!everyone>`, `<!subteam^…>`) and disguised links in names and titles never reach Slack as markup.
        KeyError for a kind nobody renders.
        """
        entry = self._by_kind[CardKind(kind)]
        return entry.render(neutralised(load(entry.card_type, data)))

    def render_card(self, card: Card) -> Rendered:
        """Render a card in hand exactly as it renders once stored and loaded back."""
        return self.render(card.kind, dump(card))
