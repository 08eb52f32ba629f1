"""Pure functions building Block Kit, and the renderers the outbox delivers with."""

from bot.notify import Renderer
from handlers.blocks.admin import render_delivery_failed
from handlers.blocks.complaint import (
    render_complaint_card,
    render_complaint_customer_ack,
    render_complaint_flag,
    render_complaint_sla,
)
from handlers.blocks.praise import render_praise_card
from handlers.blocks.surveys import render_survey_card, render_survey_comment_added, render_survey_low_score

RENDERERS: dict[str, Renderer] = {
    "praise_card": render_praise_card,
    "delivery_failed": render_delivery_failed,
    "survey_card": render_survey_card,
    "survey_low_score": render_survey_low_score,
    "survey_comment_added": render_survey_comment_added,
    "complaint_card": render_complaint_card,
    "complaint_sla": render_complaint_sla,
    "complaint_customer_ack": render_complaint_customer_ack,
    "complaint_flag": render_complaint_flag,
}
