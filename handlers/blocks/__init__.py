"""Pure functions building Block Kit, and the renderers the outbox delivers with."""

from bot.care.cards import (
    CampaignCard,
    CampaignLowScoreCard,
    ComplaintCard,
    ComplaintCustomerAckCard,
    ComplaintFlagCard,
    ComplaintSlaCard,
    FirstResponseCard,
    PraiseCard,
    PraiseStoryCard,
    PraiseThanksCard,
    ProblemReceivedCard,
    ReportProblemInviteCard,
    SurveyCard,
    SurveyCommentAddedCard,
    SurveyLowScoreCard,
)
from bot.care.need_agreements import NeedAgreementReminderCard
from bot.care.services_added import ServiceApprovalCard, ServiceDecidedCard
from bot.care.services_added_schedule import ServiceReminderCard
from bot.overview.cards import DigestCard
from bot.platform.cards import CardRenderer, CardRenderers
from bot.platform.outbox import DeliveryFailedCard
from bot.report.cards import ReportDraftCard
from bot.rhythm.cards import (
    ActionItemReminderCard,
    MeetingCustomerReminderCard,
    MeetingPartyReminderCard,
    MeetingReminderCard,
    ReportReminderCard,
)
from bot.risks.cards import RiskRaisedCard, RiskReviewCard
from bot.suppliers.cards import (
    CoordinationCard,
    CoordinationChaseCard,
    CoordinationClosedCard,
    CoordinationPingCard,
    CoordinationTwinCard,
    DisputeAssignedCard,
    DisputeCard,
    DisputeEscalatedCard,
    DisputeMediationAskCard,
    DisputeResolvedCard,
    SupplierAuditDueCard,
    SupplierChangeNoticeCard,
    SupplierContractExpiryCard,
)
from bot.thirdparty.cards import (
    SharedSummaryCard,
    SharingApprovalCard,
    SharingDecidedCard,
    ThirdPartyReminderCard,
    ThirdPartyReviewDueCard,
)
from handlers.blocks.care.campaigns import render_campaign_card, render_campaign_low_score
from handlers.blocks.care.capture import render_first_response
from handlers.blocks.care.complaint import (
    render_complaint_card,
    render_complaint_customer_ack,
    render_complaint_flag,
    render_complaint_sla,
)
from handlers.blocks.care.needs import render_need_agreement_reminder
from handlers.blocks.care.praise import render_praise_card, render_praise_story, render_praise_thanks
from handlers.blocks.care.report_problem import render_problem_received, render_report_problem_invite
from handlers.blocks.care.services_added import (
    render_service_approval,
    render_service_decided,
    render_service_reminder,
)
from handlers.blocks.care.surveys import render_survey_card, render_survey_comment_added, render_survey_low_score
from handlers.blocks.overview.digest import render_digest
from handlers.blocks.platform.admin import render_delivery_failed
from handlers.blocks.report.drafts import render_report_draft
from handlers.blocks.rhythm.meetings import (
    render_meeting_customer_reminder,
    render_meeting_party_reminder,
    render_meeting_reminder,
)
from handlers.blocks.rhythm.reminders import render_action_item_reminder, render_report_reminder
from handlers.blocks.risks.register import render_risk_raised, render_risk_review
from handlers.blocks.suppliers.changes import render_supplier_change_notice
from handlers.blocks.suppliers.contracts import render_supplier_contract_expiry
from handlers.blocks.suppliers.coordination import render_coordination_card, render_coordination_ping
from handlers.blocks.suppliers.coordination_close import render_coordination_closed
from handlers.blocks.suppliers.coordination_twin import render_coordination_chase, render_coordination_twin
from handlers.blocks.suppliers.dispute import (
    render_dispute_assigned,
    render_dispute_card,
    render_dispute_escalated,
    render_dispute_resolved,
)
from handlers.blocks.suppliers.dispute_mediation import render_mediation_ask
from handlers.blocks.suppliers.scorecard import render_supplier_audit_due
from handlers.blocks.thirdparty.messages import (
    render_shared_summary,
    render_sharing_approval,
    render_sharing_decided,
    render_third_party_reminder,
)
from handlers.blocks.thirdparty.reviews import render_third_party_review_due

RENDERERS = CardRenderers([
    CardRenderer(PraiseCard, render_praise_card),
    CardRenderer(DeliveryFailedCard, render_delivery_failed),
    CardRenderer(SurveyCard, render_survey_card),
    CardRenderer(SurveyLowScoreCard, render_survey_low_score),
    CardRenderer(SurveyCommentAddedCard, render_survey_comment_added),
    CardRenderer(CampaignCard, render_campaign_card),
    CardRenderer(PraiseThanksCard, render_praise_thanks),
    CardRenderer(PraiseStoryCard, render_praise_story),
    CardRenderer(CampaignLowScoreCard, render_campaign_low_score),
    CardRenderer(SupplierAuditDueCard, render_supplier_audit_due),
    CardRenderer(SupplierContractExpiryCard, render_supplier_contract_expiry),
    CardRenderer(SupplierChangeNoticeCard, render_supplier_change_notice),
    CardRenderer(ComplaintCard, render_complaint_card),
    CardRenderer(ComplaintSlaCard, render_complaint_sla),
    CardRenderer(ComplaintCustomerAckCard, render_complaint_customer_ack),
    CardRenderer(ComplaintFlagCard, render_complaint_flag),
    CardRenderer(FirstResponseCard, render_first_response),
    CardRenderer(ReportProblemInviteCard, render_report_problem_invite),
    CardRenderer(ProblemReceivedCard, render_problem_received),
    CardRenderer(MeetingReminderCard, render_meeting_reminder),
    CardRenderer(MeetingCustomerReminderCard, render_meeting_customer_reminder),
    CardRenderer(MeetingPartyReminderCard, render_meeting_party_reminder),
    CardRenderer(ActionItemReminderCard, render_action_item_reminder),
    CardRenderer(ReportReminderCard, render_report_reminder),
    CardRenderer(ReportDraftCard, render_report_draft),
    CardRenderer(DisputeCard, render_dispute_card),
    CardRenderer(DisputeEscalatedCard, render_dispute_escalated),
    CardRenderer(DisputeAssignedCard, render_dispute_assigned),
    CardRenderer(DisputeResolvedCard, render_dispute_resolved),
    CardRenderer(DisputeMediationAskCard, render_mediation_ask),
    CardRenderer(CoordinationCard, render_coordination_card),
    CardRenderer(CoordinationPingCard, render_coordination_ping),
    CardRenderer(CoordinationTwinCard, render_coordination_twin),
    CardRenderer(CoordinationChaseCard, render_coordination_chase),
    CardRenderer(CoordinationClosedCard, render_coordination_closed),
    CardRenderer(SharedSummaryCard, render_shared_summary),
    CardRenderer(ThirdPartyReminderCard, render_third_party_reminder),
    CardRenderer(ThirdPartyReviewDueCard, render_third_party_review_due),
    CardRenderer(SharingApprovalCard, render_sharing_approval),
    CardRenderer(SharingDecidedCard, render_sharing_decided),
    CardRenderer(ServiceApprovalCard, render_service_approval),
    CardRenderer(ServiceDecidedCard, render_service_decided),
    CardRenderer(ServiceReminderCard, render_service_reminder),
    CardRenderer(NeedAgreementReminderCard, render_need_agreement_reminder),
    CardRenderer(RiskRaisedCard, render_risk_raised),
    CardRenderer(RiskReviewCard, render_risk_review),
    CardRenderer(DigestCard, render_digest),
])
