"""Pure functions building Block Kit, and the renderers the outbox delivers with."""

from typing import Any

from pydantic_core import core_schema

from bot.care.cards import PraiseCard
from bot.overview.cards import DigestCard
from bot.platform.cards import CardKind, CardRenderer, CardRenderers, Rendered
from bot.platform.outbox import DeliveryFailedCard
from handlers.blocks.care.complaint import (
    render_complaint_card,
    render_complaint_customer_ack,
    render_complaint_flag,
    render_complaint_sla,
)
from handlers.blocks.care.praise import render_praise_card
from handlers.blocks.care.surveys import render_survey_card, render_survey_comment_added, render_survey_low_score
from handlers.blocks.overview.digest import render_digest
from handlers.blocks.platform.admin import render_delivery_failed
from handlers.blocks.rhythm.meetings import render_meeting_customer_reminder, render_meeting_reminder
from handlers.blocks.rhythm.reminders import render_action_item_reminder, render_report_reminder
from handlers.blocks.suppliers.contracts import render_supplier_contract_expiry
from handlers.blocks.suppliers.coordination import render_coordination_card, render_coordination_ping
from handlers.blocks.suppliers.dispute import (
    render_dispute_assigned,
    render_dispute_card,
    render_dispute_escalated,
    render_dispute_resolved,
)
from handlers.blocks.suppliers.scorecard import render_supplier_audit_due
from handlers.blocks.thirdparty.messages import (
    render_shared_summary,
    render_sharing_approval,
    render_sharing_decided,
    render_third_party_reminder,
)


def _untyped(kind: CardKind, render: Any) -> CardRenderer[Any]:
    """A kind whose card is still a plain dict (being moved to a dataclass)."""
    schema = classmethod(lambda cls, source, handler: core_schema.dict_schema())
    card_type = type(f"Untyped_{kind}", (dict,), {"kind": kind, "__get_pydantic_core_schema__": schema})
    return CardRenderer(card_type, lambda data: render(dict(data)))


RENDERERS = CardRenderers([
    CardRenderer(PraiseCard, render_praise_card),
    CardRenderer(DeliveryFailedCard, render_delivery_failed),
    CardRenderer(DigestCard, render_digest),
    _untyped(CardKind.SURVEY_CARD, render_survey_card),
    _untyped(CardKind.SURVEY_LOW_SCORE, render_survey_low_score),
    _untyped(CardKind.SURVEY_COMMENT_ADDED, render_survey_comment_added),
    _untyped(CardKind.SUPPLIER_AUDIT_DUE, render_supplier_audit_due),
    _untyped(CardKind.SUPPLIER_CONTRACT_EXPIRY, render_supplier_contract_expiry),
    _untyped(CardKind.COMPLAINT_CARD, render_complaint_card),
    _untyped(CardKind.COMPLAINT_SLA, render_complaint_sla),
    _untyped(CardKind.COMPLAINT_CUSTOMER_ACK, render_complaint_customer_ack),
    _untyped(CardKind.COMPLAINT_FLAG, render_complaint_flag),
    _untyped(CardKind.MEETING_REMINDER, render_meeting_reminder),
    _untyped(CardKind.MEETING_CUSTOMER_REMINDER, render_meeting_customer_reminder),
    _untyped(CardKind.ACTION_ITEM_REMINDER, render_action_item_reminder),
    _untyped(CardKind.REPORT_REMINDER, render_report_reminder),
    _untyped(CardKind.DISPUTE_CARD, render_dispute_card),
    _untyped(CardKind.DISPUTE_ESCALATED, render_dispute_escalated),
    _untyped(CardKind.DISPUTE_ASSIGNED, render_dispute_assigned),
    _untyped(CardKind.DISPUTE_RESOLVED, render_dispute_resolved),
    _untyped(CardKind.COORDINATION_CARD, render_coordination_card),
    _untyped(CardKind.COORDINATION_PING, render_coordination_ping),
    _untyped(CardKind.SHARED_SUMMARY, render_shared_summary),
    _untyped(CardKind.THIRD_PARTY_REMINDER, render_third_party_reminder),
    _untyped(CardKind.SHARING_APPROVAL, render_sharing_approval),
    _untyped(CardKind.SHARING_DECIDED, render_sharing_decided),
])
