"""Block Kit for open surveys: the card customers answer from, the answer modal, the `/survey new` modal,
the owner's low-score alert, and the internal replies (list, results)."""

from __future__ import annotations

import json
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    InputBlock,
    Option,
    PlainTextInputElement,
    PlainTextObject,
    RadioButtonsElement,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.care.campaign_answers import AnswerResult, Outcome
from bot.care.campaign_results import CampaignResults
from bot.care.campaigns import MAX_TEXT_ANSWER, SCALES, Question, QuestionKind
from bot.care.cards import CampaignCard, CampaignCardState, CampaignLowScoreCard
from bot.platform.cards import Rendered
from bot.platform.i18n import _
from handlers.blocks.common import Reply, context, divider, header, section, user, when
from handlers.ids import Action, Block
from handlers.ids import View as ViewId
from storage.care.campaigns import SurveyCampaign

FIELDS = ("title", "questions", "anonymous", "delivery", "audience", "opens", "closes", "remind")


def score_action_id(score: int) -> str:
    """The action id of one score button on a campaign card."""
    return f"{Action.CAMPAIGN_SCORE}_{score}"


def field_block(name: str) -> str:
    """The block id of one field of the `/survey new` modal."""
    return f"{Block.CAMPAIGN_FIELD}_{name}"


def question_block(number: int) -> str:
    """The block id of one question in the answer modal."""
    return f"{Block.CAMPAIGN_QUESTION}_{number}"


def render_campaign_card(card: CampaignCard) -> Rendered:
    """The survey card: the title, who it is for, the first scale's buttons and *Answer the survey*."""
    who = " ".join(user(person) for person in card.addressed)
    if card.state == CampaignCardState.CLOSED:
        text = _("The survey “{title}” has closed. Thank you to everyone who answered!").format(title=card.title)
        return Rendered(text=text, blocks=[section(text)])
    intro = _("Hi {who} — we'd value your view: “{title}” ({count} questions, a minute or two).").format(
        who=who, title=card.title, count=card.questions)
    if card.state == CampaignCardState.REMINDER:
        intro = _("A gentle reminder: ") + intro
    blocks = [header(_("Your opinion counts")), section(intro)]
    kind = QuestionKind(card.first_kind)
    if kind in SCALES:
        blocks.append(section(f"*{card.first_text}*"))
        blocks.append(ActionsBlock(block_id="campaign_scores", elements=[
            ButtonElement(text=str(n), action_id=score_action_id(n), value=f"{card.campaign_id}:{n}")
            for n in SCALES[kind]]).to_dict())
    answer = ButtonElement(text=_("Answer the survey"), action_id=Action.CAMPAIGN_ANSWER, value=str(card.campaign_id),
                           style="primary")
    blocks.append(ActionsBlock(block_id="campaign_answer", elements=[answer]).to_dict())
    note = _("Anonymous: your name is not kept with your answers.") if card.anonymous else \
        _("Your answers are kept with your name.")
    blocks.append(context(_("Open until {when} · you can change your answers until then · {note}").format(
        when=when(card.closes_at, card.tz), note=note)))
    return Rendered(text=intro, blocks=blocks)


def render_campaign_low_score(card: CampaignLowScoreCard) -> Rendered:
    """Tell the account owner (and managers) about a detractor or a CSAT of 1–2."""
    scale = "10" if card.question_kind == QuestionKind.NPS else "5"
    who = user(card.respondent) if card.respondent else _("an anonymous respondent")
    text = _("Low score in the survey “{title}” from {who} of {account}: {score}/{scale} on “{question}”.").format(
        title=card.title, who=who, account=card.account, score=card.score, scale=scale, question=card.question)
    blocks = [section("⚠️ " + text), context(_("Close the loop: talk to them, then log it with "
                                                "`/contact {account}: …`. `/survey results {id}` shows the "
                                                "whole picture.").format(account=card.account, id=card.campaign_id))]
    return Rendered(text=text, blocks=blocks)


def _input(name: str, label: str, element: Any, *, optional: bool = False, hint: str | None = None) -> dict[str, Any]:
    return InputBlock(block_id=field_block(name), label=PlainTextObject(text=label), element=element,
                      optional=optional, hint=PlainTextObject(text=hint) if hint else None).to_dict()


def _text(initial: str | None = None, *, multiline: bool = False, placeholder: str | None = None) -> Any:
    return PlainTextInputElement(action_id=Action.CAMPAIGN_INPUT, multiline=multiline, initial_value=initial,
                                 placeholder=PlainTextObject(text=placeholder) if placeholder else None)


def _radio(options: list[tuple[str, str]], initial: str) -> Any:
    choices = [Option(value=value, label=label) for value, label in options]
    return RadioButtonsElement(action_id=Action.CAMPAIGN_INPUT, options=choices,
                               initial_option=next(o for o in choices if o.value == initial))


def build_new_campaign_modal(channel_id: str | None) -> dict[str, Any]:
    """The `/survey new` modal: title, questions (one a line), named or anonymous, audience, delivery, dates."""
    questions_hint = _("One a line, starting with its kind: csat: (1–5), nps: (0–10), choice: … | option | option, "
                       "text: — at most 10.")
    blocks = [
        _input("title", _("Title"), _text(placeholder=_("Service satisfaction 2026"))),
        _input("questions", _("Questions"), _text(multiline=True, initial=_(
            "nps: How likely are you to recommend our service to a colleague?\n"
            "csat: How satisfied are you with our support?\n"
            "text: What should we do better?")), hint=questions_hint),
        _input("anonymous", _("Answers are"), _radio([("named", _("Named")), ("anonymous", _("Anonymous"))],
                                                     "named")),
        _input("audience", _("Who is asked"), _text(initial="all"),
               hint=_("The customer contacts of: all customer accounts (all), a tier (tier key), or accounts "
                      "separated by commas (Acme Corp, Globex).")),
        _input("delivery", _("Delivered"), _radio([("channel", _("A card in each account's shared channel")),
                                                    ("dm", _("By direct message"))], "channel")),
        _input("opens", _("Opens"), _text(initial="now"),
               hint=_("In plain words: now, next monday 9am, 下周一上午9点")),
        _input("closes", _("Closes"), _text(initial="in 2 weeks")),
        _input("remind", _("Reminder to those who haven't answered"), _text(), optional=True,
               hint=_("Empty: halfway between opening and closing.")),
    ]
    return View(type="modal", callback_id=ViewId.CAMPAIGN_NEW, private_metadata=json.dumps({"channel": channel_id}),
                title=PlainTextObject(text=_("New survey")), submit=PlainTextObject(text=_("Schedule")),
                close=PlainTextObject(text=_("Cancel")), blocks=blocks).to_dict()


def _question_element(question: Question, current: Any) -> Any:
    if question.kind == QuestionKind.TEXT:
        return PlainTextInputElement(action_id=Action.CAMPAIGN_INPUT, multiline=True, max_length=MAX_TEXT_ANSWER,
                                     initial_value=str(current) if current is not None else None)
    values = [str(n) for n in SCALES[question.kind]] if question.kind in SCALES else list(question.options)
    options = [Option(value=value, label=value) for value in values]
    initial = next((o for o in options if o.value == str(current)), None) if current is not None else None
    return StaticSelectElement(action_id=Action.CAMPAIGN_INPUT, options=options, initial_option=initial,
                               placeholder=PlainTextObject(text=_("Choose")))


def _scale_label(question: Question) -> str:
    if question.kind == QuestionKind.CSAT:
        return _(" (1 = very dissatisfied, 5 = very satisfied)")
    if question.kind == QuestionKind.NPS:
        return _(" (0 = not at all likely, 10 = extremely likely)")
    return ""


def build_answer_modal(campaign: SurveyCampaign, questions: list[Question], current: dict[str, Any]) -> dict[str, Any]:
    """The modal with every question, prefilled with the person's answers so far."""
    blocks: list[dict[str, Any]] = []
    if campaign.anonymous:
        blocks.append(context(_("Anonymous: your name is not kept with your answers.")))
    for number, question in enumerate(questions):
        label = f"{number + 1}. {question.text}{_scale_label(question)}"[:2000]
        blocks.append(InputBlock(block_id=question_block(number), label=PlainTextObject(text=label),
                                 element=_question_element(question, current.get(str(number))),
                                 optional=True).to_dict())
    return View(type="modal", callback_id=ViewId.CAMPAIGN_ANSWER, private_metadata=str(campaign.id),
                title=PlainTextObject(text=_("Survey")[:24]), submit=PlainTextObject(text=_("Send")),
                close=PlainTextObject(text=_("Cancel")), blocks=blocks).to_dict()


def build_answer_note(result: AnswerResult) -> str:
    """The ephemeral note for an answer, or for someone who may not answer."""
    match result.outcome:
        case Outcome.NOT_ADDRESSED:
            return _("Thanks for wanting to take part! This survey is addressed to particular contacts, so only "
                     "their answers count. If you'd like to tell us something, just write to us here.")
        case Outcome.NOT_OPEN:
            return _("This survey isn't open yet.")
        case Outcome.CLOSED:
            return _("This survey has closed. Thanks all the same — if anything needs attention, just write to us.")
        case Outcome.CHANGED:
            return _("Your answers are updated — thank you! You can change them until the survey closes.")
    return _("Thank you — your answer is recorded. You can change it until the survey closes.")


def build_campaign_scheduled(campaign: SurveyCampaign, zone: Any) -> Reply:
    """Tell the author when the survey opens, is reminded and closes."""
    text = _("Survey #{id} “{title}” is scheduled: opens {opens}, reminder {remind}, closes {closes}. "
             "Results: `/survey results {id}`.").format(
        id=campaign.id, title=campaign.title, opens=when(campaign.opens_at, zone),
        remind=when(campaign.remind_at, zone), closes=when(campaign.closes_at, zone))
    return text, [section(text)]


def build_campaign_list(campaigns: list[SurveyCampaign], zone: Any) -> Reply:
    """The latest campaigns."""
    if not campaigns:
        text = _("No surveys yet. Start one with `/survey new`.")
        return text, [section(text)]
    lines = [_("#{id} “{title}” — {status}, closes {closes}{anonymous}").format(
        id=c.id, title=c.title, status=_status(c.status), closes=when(c.closes_at, zone),
        anonymous=_(" · anonymous") if c.anonymous else "") for c in campaigns]
    text = "\n".join(lines)
    return text, [header(_("Open surveys")), section(text)]


def _status(status: str) -> str:
    return {"scheduled": _("scheduled"), "open": _("open"), "closed": _("closed")}.get(status, status)


def _question_lines(results: CampaignResults) -> list[str]:
    lines = []
    for q in results.questions:
        title = f"*{q.number + 1}. {q.question.text}*"
        if q.question.kind == QuestionKind.CSAT and q.mean is not None:
            figure = _("CSAT {mean:.2f} / 5 · {pct} % satisfied (4–5) · {count} answers").format(
                mean=q.mean, pct=q.satisfied_pct, count=q.count)
        elif q.question.kind == QuestionKind.NPS and q.nps is not None:
            figure = _("NPS {score} · {promoters} promoters, {passives} passives, {detractors} detractors").format(
                score=q.nps.score, promoters=q.nps.promoters, passives=q.nps.passives, detractors=q.nps.detractors)
        elif q.question.kind == QuestionKind.TEXT:
            figure = _("{count} answers").format(count=q.count) + "".join(
                "\n> " + text.replace("\n", " ")[:200] for text in q.texts[:10])
        else:
            figure = _("{count} answers").format(count=q.count)
        distribution = " · ".join(f"{value}: {count}" for value, count in q.distribution if count)
        lines.append(title + "\n" + figure + (f"\n`{distribution}`" if distribution else ""))
    return lines


def build_results(results: CampaignResults) -> Reply:
    """`/survey results`: response rate, CSAT, NPS, distributions and the accounts (small anonymous groups not
    broken down). Shown to our own people only."""
    campaign = results.campaign
    rate = f"{results.response_rate} %" if results.response_rate is not None else "—"
    summary = _("Response rate {rate}: {answered} of {addressed} addressed answered in Slack.").format(
        rate=rate, answered=results.answered_in_slack, addressed=results.addressed)
    if results.recorded:
        summary += " " + _("Recorded elsewhere: {counts}.").format(
            counts=", ".join(f"{_channel_word(k)} {v}" for k, v in results.recorded.items()))
    accounts = []
    for row in results.accounts:
        if row.hidden:
            accounts.append(_("• {account}: {answers} of {addressed} — fewer than 3 answers, not broken down").format(
                account=row.account, answers=row.answers, addressed=row.addressed))
        else:
            csat = f"{row.csat:.2f}" if row.csat is not None else "—"
            nps = str(row.nps) if row.nps is not None else "—"
            accounts.append(_("• {account}: {answers} of {addressed} · CSAT {csat} · NPS {nps}").format(
                account=row.account, answers=row.answers, addressed=row.addressed, csat=csat, nps=nps))
    title = _("Survey #{id} “{title}”").format(id=campaign.id, title=campaign.title)
    blocks = [header(title), section(summary), divider()]
    blocks += [section(line) for line in _question_lines(results)[:20]]
    if accounts:
        blocks += [divider(), section("\n".join(accounts))]
    blocks.append(context(_("Internal: results are never posted in a shared channel. The chart and the CSV are in "
                            "your direct messages with Rapport.")))
    return f"{title}\n{summary}", blocks


def _channel_word(channel: str) -> str:
    return {"phone": _("by phone"), "visit": _("on visits"), "web": _("by web form")}.get(channel, channel)


def build_recorded(campaign_id: int, account: str, channel: str) -> Reply:
    """Confirm an answer recorded from elsewhere."""
    text = _("Recorded an answer {how} from {account} in survey #{id}.").format(
        how=_channel_word(channel), account=account, id=campaign_id)
    return text, [section(text)]
