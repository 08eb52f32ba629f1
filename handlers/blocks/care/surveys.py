"""Block Kit for case-by-case surveys: the card customers answer, the comment modal, alerts and replies."""

from __future__ import annotations

from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    PlainTextInputElement,
    PlainTextObject,
)
from slack_sdk.models.views import View

from bot.care.cards import (
    SurveyAbout,
    SurveyAlert,
    SurveyCard,
    SurveyCardState,
    SurveyCommentAddedCard,
    SurveyLowScoreCard,
)
from bot.care.surveys import MAX_COMMENT, Answer, Outcome
from bot.platform.cards import Rendered
from bot.platform.i18n import _
from bot.platform.text import cut, neutralise_mentions
from handlers.blocks.common import SECTION_LIMIT, Reply, context, header, section, user
from handlers.ids import Action, Block
from handlers.ids import View as ViewId
from storage.care.surveys import Survey, SurveyDelivery


def score_word(score: int) -> str:
    """The words for a score, 1 (very dissatisfied) to 5 (very satisfied)."""
    return {1: _("Very dissatisfied"), 2: _("Dissatisfied"), 3: _("Neutral"), 4: _("Satisfied"),
            5: _("Very satisfied")}[score]


def score_action_id(score: int) -> str:
    """The action id of one score button."""
    return f"{Action.SURVEY_SCORE}_{score}"


def _question(card: SurveyCard) -> str:
    who = user(card.respondent)
    link = card.permalink
    if card.about == SurveyAbout.COMPLAINT:
        issue = f"<{link}|{_('the issue you raised')}>" if link else _("the issue you raised")
        return _("Hi {who} — we recently resolved {issue}. How satisfied are you with how we handled it?").format(
            who=who, issue=issue)
    help_ = f"<{link}|{_('our help here')}>" if link else _("our recent help")
    return _("Hi {who} — how satisfied are you with {help}?").format(who=who, help=help_)


def render_survey_card(card: SurveyCard) -> Rendered:
    """The survey card, in whichever state the survey is: asking, reminder, answered, commented, expired."""
    state = card.state
    who = user(card.respondent)
    if state in (SurveyCardState.ASKING, SurveyCardState.REMINDER):
        question = _question(card)
        if state == SurveyCardState.REMINDER:
            question = _("A gentle reminder: ") + question
        buttons = [ButtonElement(text=f"{n} · {score_word(n)}", action_id=score_action_id(n),
                                 value=f"{card.survey_id}:{n}") for n in range(1, 6)]
        blocks = [
            header(_("How did we do?")),
            section(question),
            ActionsBlock(block_id="survey_scores", elements=buttons).to_dict(),
            context(_("Only {who} can answer · one click is enough · you can add a comment afterwards").format(
                who=who)),
        ]
        return Rendered(text=question, blocks=blocks)
    if state == SurveyCardState.EXPIRED:
        text = _("This survey for {who} has closed without an answer. Thanks all the same — if anything still needs "
                 "attention, just write to us here.").format(who=who)
        return Rendered(text=text, blocks=[section(text)])
    assert card.score is not None  # an answered survey's card carries its score
    rated = _("Thanks {who} — you rated {score}/5 ({word}).").format(who=who, score=card.score,
                                                                     word=score_word(card.score))
    if state == SurveyCardState.COMMENTED:
        text = rated + " " + _("We've got your comment too.")
        return Rendered(text=text, blocks=[section(text)])
    comment = ButtonElement(text=_("Add a comment"), action_id=Action.SURVEY_COMMENT, value=str(card.survey_id))
    blocks = [section(rated), ActionsBlock(block_id="survey_comment", elements=[comment]).to_dict(),
              context(_("Anything you'd like to tell us? A comment is optional."))]
    return Rendered(text=rated, blocks=blocks)


def _about(card: SurveyAlert) -> str:
    about = _("complaint #{id}").format(id=card.complaint_id) if card.complaint_id else _("a conversation")
    return f"<{card.permalink}|{about}>" if card.permalink else about


def _quoted(comment: str) -> str:
    return "> " + cut(neutralise_mentions(comment), SECTION_LIMIT - 20).replace("\n", "\n> ")


def render_survey_low_score(card: SurveyLowScoreCard) -> Rendered:
    """Tell the owner or a manager about a score of 1 or 2 (close the loop)."""
    text = _("Low satisfaction score from {who} of {account}: {score}/5 ({word}), about {about}.").format(
        who=user(card.respondent), account=card.account, score=card.score, word=score_word(card.score),
        about=_about(card))
    comment = _quoted(card.comment) if card.comment else _("_No comment given._")
    blocks = [section("⚠️ " + text), section(comment),
              context(_("Close the loop: talk to them, then log it with `/contact {account}: …`").format(
                  account=card.account))]
    return Rendered(text=text, blocks=blocks)


def render_survey_comment_added(card: SurveyCommentAddedCard) -> Rendered:
    """Pass on the comment a customer added after a low score had been reported."""
    text = _("{who} of {account} added a comment to their {score}/5 about {about}:").format(
        who=user(card.respondent), account=card.account, score=card.score, about=_about(card))
    comment = card.comment or ""
    return Rendered(text=text + " " + cut(neutralise_mentions(comment), 2000),
                    blocks=[section(text), section(_quoted(comment))])


def build_comment_modal(survey_id: int) -> dict[str, Any]:
    """The modal where the respondent adds a comment to their score."""
    return View(
        type="modal",
        callback_id=ViewId.SURVEY_COMMENT,
        private_metadata=str(survey_id),
        title=PlainTextObject(text=_("Your comment")),
        submit=PlainTextObject(text=_("Send")),
        close=PlainTextObject(text=_("Skip")),
        blocks=[
            InputBlock(
                block_id=Block.SURVEY_COMMENT,
                label=PlainTextObject(text=_("What should we know?")),
                element=PlainTextInputElement(action_id=Action.SURVEY_COMMENT_INPUT, multiline=True,
                                              max_length=MAX_COMMENT),
            ),
        ],
    ).to_dict()


def build_answer_note(answer: Answer) -> str | None:
    """The ephemeral note for a click on a score; None when the updated card says it all."""
    if answer.outcome == Outcome.NOT_YOURS:
        return _("Thanks for wanting to help! This survey is for {who}, so only their answer counts. If you'd like "
                 "to tell us something yourself, just write to us here.").format(who=user(answer.survey.respondent_id))
    if answer.outcome == Outcome.ALREADY_ANSWERED:
        return _("You've already answered — thank you!")
    if answer.outcome == Outcome.CLOSED:
        return _("This survey has closed. Thanks all the same — if anything still needs attention, just write to us.")
    return None


def build_feedback_asked(survey: Survey, *, link: str | None) -> Reply:
    """Tell the engineer where the survey went."""
    if survey.delivery == SurveyDelivery.DM:
        text = _("Asked {who} for feedback by direct message.").format(who=user(survey.respondent_id))
    else:
        text = _("Asked {who} for feedback in <#{channel}>.").format(who=user(survey.respondent_id),
                                                                     channel=survey.channel_id)
    if link:
        text += " " + _("<{link}|See the survey>.").format(link=link)
    text += " " + _("Scores show in `/account`; a score of 1 or 2 alerts the owner and managers.")
    return text, [section(text)]
