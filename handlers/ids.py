"""Slash commands, shortcut callbacks, actions and views: the ids shared with app.yaml."""

from enum import StrEnum


class Command(StrEnum):
    """Slash commands in app.yaml."""

    PRAISE = "/praise"
    ACCOUNT = "/account"
    RAPPORT = "/rapport"
    CONTACT = "/contact"
    COMPLAINT = "/complaint"
    SUPPLIER = "/supplier"
    MEETING = "/meeting"
    DISPUTE = "/dispute"
    THIRDPARTY = "/thirdparty"
    SURVEY = "/survey"
    SERVICE = "/service"
    NEED = "/need"


class Event(StrEnum):
    """Events API subscriptions in app.yaml (bot_events)."""

    APP_HOME_OPENED = "app_home_opened"
    USER_CHANGE = "user_change"
    MESSAGE = "message"  # subscribed as message.channels and message.groups
    REACTION_ADDED = "reaction_added"


class Shortcut(StrEnum):
    """Message shortcut callback ids in app.yaml."""

    LOG_PRAISE = "log_praise"
    LOG_CONTACT = "log_contact"
    ASK_FOR_FEEDBACK = "ask_for_feedback"
    LOG_COMPLAINT = "log_complaint"
    LOG_NEED = "log_need"


class View(StrEnum):
    """Modal callback ids."""

    PRAISE_RECEIVERS = "praise_receivers"
    SURVEY_COMMENT = "survey_comment"
    COMPLAINT_NEW = "complaint_new"
    COMPLAINT_RESOLVE = "complaint_resolve"
    SUPPLIER_EVALUATION = "supplier_evaluation"
    SUPPLIER_AUDIT = "supplier_audit"
    SUPPLIER_CONTRACT = "supplier_contract"
    THIRDPARTY_EVALUATION = "thirdparty_evaluation"
    THIRDPARTY_REVIEW = "thirdparty_review"
    AGREEMENT = "agreement"
    MEETING_MINUTES = "meeting_minutes"
    DISPUTE_NEW = "dispute_new"
    DISPUTE_RESOLVE = "dispute_resolve"
    DISPUTE_MEDIATOR = "dispute_mediator"
    DISPUTE_REOPEN = "dispute_reopen"
    SHARING_AGREEMENT = "sharing_agreement"
    REPORT_PROBLEM = "report_problem"
    CAMPAIGN_NEW = "campaign_new"
    PRAISE_THANKS = "praise_thanks"
    PRAISE_STORY = "praise_story"
    CAMPAIGN_ANSWER = "campaign_answer"
    SERVICE_PROPOSAL = "service_proposal"
    SERVICE_DONE = "service_done"
    COORDINATION_NOTE = "coordination_note"
    COORDINATION_CLOSE = "coordination_close"
    NEED_NEW = "need_new"
    NEED_DECLINED = "need_declined"
    NEED_AGREEMENT_DATE = "need_agreement_date"
    REPORT_EDIT = "report_edit"


class Block(StrEnum):
    """Block ids of inputs read back from modals."""

    RECEIVERS = "receivers"
    SURVEY_COMMENT = "survey_comment"
    COMPLAINT_ACCOUNT = "complaint_account"
    COMPLAINT_SUMMARY = "complaint_summary"
    COMPLAINT_SEVERITY = "complaint_severity"
    COMPLAINT_RESOLUTION = "complaint_resolution"
    SUPPLIER_SCORE = "supplier_score"  # a prefix: supplier_score_<criterion or dimension>
    SUPPLIER_NOTE = "supplier_note"  # a prefix: supplier_note_<criterion or dimension>
    SUPPLIER_FIELD = "supplier_field"  # a prefix: supplier_field_<weights, period_start, customer, …>
    AGREEMENT_FIELD = "agreement_field"  # a prefix: agreement_field_<cycle, report_day, review_day, …>
    MINUTES_NOTES = "minutes_notes"
    MINUTES_ACTION = "minutes_action"  # a prefix: minutes_action_<text|owner|due>_<row>
    DISPUTE_SUPPLIER = "dispute_supplier"
    DISPUTE_SUBJECT = "dispute_subject"
    DISPUTE_SCOPE = "dispute_scope"
    DISPUTE_COMPLAINT = "dispute_complaint"
    DISPUTE_OTHERS = "dispute_others"
    DISPUTE_RESOLUTION = "dispute_resolution"
    DISPUTE_MEDIATOR_ACCOUNT = "dispute_mediator_account"
    DISPUTE_MEDIATOR_PERSON = "dispute_mediator_person"
    DISPUTE_REOPEN_REASON = "dispute_reopen_reason"
    SHARING_WHY = "sharing_why"
    SHARING_WHAT = "sharing_what"
    SHARING_WHERE = "sharing_where"
    SHARING_WHEN = "sharing_when"
    SHARING_SCHEDULE = "sharing_schedule"
    SHARING_WHO = "sharing_who"
    SHARING_HOW = "sharing_how"
    SHARING_APPROVER = "sharing_approver"
    SHARING_UNTIL = "sharing_until"
    PROBLEM_WHAT = "problem_what"
    COORDINATION_NOTE = "coordination_note"
    COORDINATION_LAYER = "coordination_layer"
    COORDINATION_CAUSE = "coordination_cause"
    COORDINATION_COMPLAINTS = "coordination_complaints"
    COORDINATION_PICKED = "coordination_picked"  # complaints picked from those opened around the outage
    PROBLEM_URGENCY = "problem_urgency"
    PRAISE_FIELD = "praise_field"  # a prefix: praise_field_<text, channel, done, lessons>
    CAMPAIGN_FIELD = "campaign_field"  # a prefix: campaign_field_<title, questions, audience, opens, …>
    CAMPAIGN_QUESTION = "campaign_question"  # a prefix: campaign_question_<number from 0>
    SERVICE_FIELD = "service_field"  # a prefix: service_field_<what, schedule, cost, effort>
    SERVICE_PRINCIPLE = "service_principle"  # a prefix: service_principle_<key>, its note service_note_<key>
    SERVICE_NOTE = "service_note"  # a prefix: service_note_<principle key>
    SERVICE_DONE_NOTE = "service_done_note"
    NEED_TEXT = "need_text"
    NEED_REASON = "need_reason"
    NEED_AGREEMENT_WHEN = "need_agreement_when"
    REPORT_FIELD = "report_field"  # a prefix: report_field_<key_issues, sections, preset, save_as, post>


class Action(StrEnum):
    """Action ids of interactive elements."""

    RECEIVERS_SELECT = "receivers_select"
    SURVEY_SCORE = "survey_score"  # a prefix: survey_score_1 … survey_score_5
    SURVEY_COMMENT = "survey_comment"
    SURVEY_COMMENT_INPUT = "survey_comment_input"
    COMPLAINT_CLAIM = "complaint_claim"
    COMPLAINT_ACKNOWLEDGE = "complaint_acknowledge"
    COMPLAINT_RESOLVE = "complaint_resolve"
    COMPLAINT_REOPEN = "complaint_reopen"
    COMPLAINT_INPUT = "complaint_input"  # the one input of each complaint modal block
    SUPPLIER_INPUT = "supplier_input"  # the one input of each supplier modal block
    SUPPLIER_CHANGE_TOLD = "supplier_change_told"  # the owner told the customer of a supplier change
    AGREEMENT_OPEN = "agreement_open"
    AGREEMENT_INPUT = "agreement_input"  # the one input of each agreement modal block
    MEETING_SNOOZE = "meeting_snooze"  # a prefix: meeting_snooze_30m, _1h, _1d
    MEETING_DONE = "meeting_done"
    MINUTES_INPUT = "minutes_input"  # the one input of each minutes modal block
    ACTION_ITEM_DONE = "action_item_done"
    REPORT_SUBMITTED = "report_submitted"
    DISPUTE_ESCALATE = "dispute_escalate"
    DISPUTE_RESOLVE = "dispute_resolve"
    DISPUTE_MEDIATOR = "dispute_mediator"
    DISPUTE_REOPEN = "dispute_reopen"
    DISPUTE_INPUT = "dispute_input"  # the one input of each dispute modal block
    COORDINATION_STATUS = "coordination_status"
    # The twin card in a supplier's shared channel (external users of that supplier may press them).
    COORDINATION_TWIN_STATUS = "coordination_twin"  # a prefix: coordination_twin_<status>
    COORDINATION_NOTE = "coordination_note"
    COORDINATION_CLOSE = "coordination_close"
    SHARING_INPUT = "sharing_input"  # the one input of each sharing-agreement modal block
    SHARING_APPROVE = "sharing_approve"
    SHARING_DECLINE = "sharing_decline"
    REQUEST_DONE = "third_party_request_done"
    REPORT_PROBLEM = "report_problem"  # the customer's button in a shared channel (external users may press it)
    PROBLEM_INPUT = "problem_input"  # the one input of each Report a problem modal block
    PRAISE_THANKS = "praise_thanks"
    PRAISE_STORY = "praise_story"
    PRAISE_INPUT = "praise_input"  # the one input of each praise follow-up modal block
    CAMPAIGN_SCORE = "campaign_score"  # a prefix: campaign_score_0 … campaign_score_10
    CAMPAIGN_ANSWER = "campaign_answer"
    CAMPAIGN_INPUT = "campaign_input"  # the one input of each campaign modal block
    SERVICE_INPUT = "service_input"  # the one input of each value-added service modal block
    SERVICE_APPROVE = "service_approve"
    SERVICE_DECLINE = "service_decline"
    SERVICE_DONE = "service_done"
    NEED_STATUS = "need_status"  # a prefix: need_status_<analysed|proposed|agreed|delivered>
    NEED_DECLINE = "need_decline"
    NEED_INPUT = "need_input"  # the one input of each need modal block
    NEED_AGREEMENT = "need_agreement"  # opens the supplementary agreement's modal
    NEED_AGREEMENT_SIGNED = "need_agreement_signed"
    NEED_AGREEMENT_DROPPED = "need_agreement_dropped"
    REPORT_EDIT = "report_edit"  # Edit and submit, on a drafted service report
    REPORT_INPUT = "report_input"  # the one input of each Edit and submit modal block
    RISK_ADOPT = "risk_adopt"  # value: <account id>:<catalog key>
    RISK_REVIEW = "risk_review"
    RISK_CLOSE = "risk_close"
