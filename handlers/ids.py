"""Slash commands, shortcut callbacks, actions and views: the ids shared with app.yaml."""

from enum import StrEnum


class Command(StrEnum):
    """Slash commands in app.yaml."""

    PRAISE = "/praise"
    ACCOUNT = "/account"
    RAPPORT = "/rapport"
    CONTACT = "/contact"
    COMPLAINT = "/complaint"


class Event(StrEnum):
    """Events API subscriptions in app.yaml (bot_events)."""


class Shortcut(StrEnum):
    """Message shortcut callback ids in app.yaml."""

    LOG_PRAISE = "log_praise"
    LOG_CONTACT = "log_contact"
    ASK_FOR_FEEDBACK = "ask_for_feedback"
    LOG_COMPLAINT = "log_complaint"


class View(StrEnum):
    """Modal callback ids."""

    PRAISE_RECEIVERS = "praise_receivers"
    SURVEY_COMMENT = "survey_comment"
    COMPLAINT_NEW = "complaint_new"
    COMPLAINT_RESOLVE = "complaint_resolve"


class Block(StrEnum):
    """Block ids of inputs read back from modals."""

    RECEIVERS = "receivers"
    SURVEY_COMMENT = "survey_comment"
    COMPLAINT_ACCOUNT = "complaint_account"
    COMPLAINT_SUMMARY = "complaint_summary"
    COMPLAINT_SEVERITY = "complaint_severity"
    COMPLAINT_RESOLUTION = "complaint_resolution"


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
