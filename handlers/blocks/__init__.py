"""Pure functions building Block Kit, and the renderers the outbox delivers with."""

from bot.platform.slack import Renderer
from handlers.blocks.platform.admin import render_delivery_failed
from handlers.blocks.care.complaint import (
    render_complaint_card,
    render_complaint_customer_ack,
    render_complaint_flag,
    render_complaint_sla,
)
from handlers.blocks.suppliers.contracts import render_supplier_contract_expiry
from handlers.blocks.suppliers.coordination import render_coordination_card, render_coordination_ping
from handlers.blocks.overview.digest import render_digest
from handlers.blocks.suppliers.dispute import (
    render_dispute_assigned,
    render_dispute_card,
    render_dispute_escalated,
    render_dispute_resolved,
)
from handlers.blocks.rhythm.meetings import render_meeting_customer_reminder, render_meeting_reminder
from handlers.blocks.care.praise import render_praise_card
from handlers.blocks.rhythm.reminders import render_action_item_reminder, render_report_reminder
from handlers.blocks.suppliers.scorecard import render_supplier_audit_due
from handlers.blocks.care.surveys import render_survey_card, render_survey_comment_added, render_survey_low_score
from handlers.blocks.thirdparty.messages import (
    render_shared_summary,
    render_sharing_approval,
    render_sharing_decided,
    render_third_party_reminder,
)

RENDERERS: dict[str, Renderer] = {
    "praise_card": render_praise_card,
    "delivery_failed": render_delivery_failed,
    "survey_card": render_survey_card,
    "survey_low_score": render_survey_low_score,
    "survey_comment_added": render_survey_comment_added,
    "supplier_audit_due": render_supplier_audit_due,
    "supplier_contract_expiry": render_supplier_contract_expiry,
    "complaint_card": render_complaint_card,
    "complaint_sla": render_complaint_sla,
    "complaint_customer_ack": render_complaint_customer_ack,
    "complaint_flag": render_complaint_flag,
    "meeting_reminder": render_meeting_reminder,
    "meeting_customer_reminder": render_meeting_customer_reminder,
    "action_item_reminder": render_action_item_reminder,
    "report_reminder": render_report_reminder,
    "dispute_card": render_dispute_card,
    "dispute_escalated": render_dispute_escalated,
    "dispute_assigned": render_dispute_assigned,
    "dispute_resolved": render_dispute_resolved,
    "coordination_card": render_coordination_card,
    "coordination_ping": render_coordination_ping,
    "shared_summary": render_shared_summary,
    "third_party_reminder": render_third_party_reminder,
    "sharing_approval": render_sharing_approval,
    "sharing_decided": render_sharing_decided,
    "digest": render_digest,
}
