"""Results of an open survey: response rate, CSAT, NPS, distributions, a CSV export and a chart — internal only.

Anonymous campaigns: no name anywhere, an account with fewer than 3 answers is not broken down (nor
named in the CSV), free-text answers and CSV rows come in a neutral order rather than the order given.
"""

from __future__ import annotations

import csv
import io
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel import Session

from bot.care.campaigns import Question, QuestionKind, questions_of
from bot.platform.i18n import _
from storage.care import campaigns as store
from storage.care.campaigns import AnswerChannel, CampaignResponse, ResponseRow, SurveyCampaign

MIN_GROUP = 3  # an anonymous group with fewer answers is not broken down
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Nps:
    """Net promoter score: promoters (9–10) minus detractors (0–6), in per cent of answers, a whole number."""

    score: int
    promoters: int
    passives: int
    detractors: int


@dataclass(frozen=True)
class QuestionResult:
    """One question's answers."""

    number: int
    question: Question
    count: int
    distribution: list[tuple[str, int]]  # value and how many, in the scale's or the options' order
    mean: float | None = None  # CSAT
    satisfied_pct: int | None = None  # CSAT: % of 4–5
    nps: Nps | None = None
    texts: list[str] = field(default_factory=list)  # free text, in a neutral (sorted) order


@dataclass(frozen=True)
class AccountResult:
    """One account's part: None figures when the group is too small to break down."""

    account: str
    addressed: int
    answers: int
    csat: float | None
    nps: int | None
    hidden: bool  # anonymous and fewer than MIN_GROUP answers


@dataclass(frozen=True)
class CampaignResults:
    """Everything `/survey results` shows."""

    campaign: SurveyCampaign
    addressed: int
    answered_in_slack: int
    recorded: dict[str, int]  # by phone, visit, web
    questions: list[QuestionResult]
    accounts: list[AccountResult]

    @property
    def response_rate(self) -> int | None:
        """Per cent of the addressed who answered in Slack."""
        return whole_percent(self.answered_in_slack, self.addressed) if self.addressed else None


def whole_percent(part: int, whole: int) -> int:
    """part/whole in per cent, rounded half away from zero (so −50.5 is −51, like 50.5 is 51)."""
    value = 100 * part / whole
    return int(math.copysign(math.floor(abs(value) + 0.5), value))


def nps_of(scores: list[int]) -> Nps | None:
    """The NPS of 0–10 scores; None without any."""
    if not scores:
        return None
    promoters = sum(1 for s in scores if s >= 9)
    detractors = sum(1 for s in scores if s <= 6)
    return Nps(whole_percent(promoters - detractors, len(scores)), promoters, len(scores) - promoters - detractors,
               detractors)


def _scores(responses: Sequence[ResponseRow | CampaignResponse], number: int) -> list[int]:
    return [r.answers[str(number)] for r in responses if isinstance(r.answers.get(str(number)), int)]


def question_result(question: Question, number: int, responses: list[ResponseRow]) -> QuestionResult:
    """Count one question's answers."""
    values = [r.answers[str(number)] for r in responses if str(number) in r.answers]
    counts = Counter(values)
    if question.kind == QuestionKind.TEXT:
        return QuestionResult(number, question, len(values), [], texts=sorted(str(v) for v in values))
    order: list[Any] = list(range(1, 6) if question.kind == QuestionKind.CSAT else range(11)) \
        if question.kind != QuestionKind.CHOICE else list(question.options)
    distribution = [(str(value), counts.get(value, 0)) for value in order]
    if question.kind == QuestionKind.CSAT:
        scores = _scores(responses, number)
        mean = sum(scores) / len(scores) if scores else None
        satisfied = whole_percent(sum(1 for s in scores if s >= 4), len(scores)) if scores else None
        return QuestionResult(number, question, len(values), distribution, mean=mean, satisfied_pct=satisfied)
    if question.kind == QuestionKind.NPS:
        return QuestionResult(number, question, len(values), distribution, nps=nps_of(_scores(responses, number)))
    return QuestionResult(number, question, len(values), distribution)


def _first(questions: list[Question], kind: QuestionKind) -> int | None:
    return next((i for i, q in enumerate(questions) if q.kind == kind), None)


def account_results(session: Session, campaign: SurveyCampaign, questions: list[Question],
                    responses: list[ResponseRow]) -> list[AccountResult]:
    """Each account's answers, CSAT and NPS (of the first such question); small anonymous groups hidden."""
    assert campaign.id is not None  # a stored campaign
    addressed = store.recipient_counts(session, campaign_id=campaign.id)
    by_account: dict[int, list[ResponseRow]] = {}
    for response in responses:
        by_account.setdefault(response.account_id, []).append(response)
    csat_q, nps_q = _first(questions, QuestionKind.CSAT), _first(questions, QuestionKind.NPS)
    names = store.account_names(session, account_ids=set(addressed) | set(by_account))
    rows = []
    for account_id in sorted(set(addressed) | set(by_account)):
        group = by_account.get(account_id, [])
        name = names.get(account_id, "?")
        hidden = campaign.anonymous and len(group) < MIN_GROUP
        csat = _scores(group, csat_q) if csat_q is not None else []
        nps = nps_of(_scores(group, nps_q)) if nps_q is not None else None
        rows.append(AccountResult(name, addressed.get(account_id, 0), len(group),
                                  None if hidden or not csat else sum(csat) / len(csat),
                                  None if hidden or nps is None else nps.score, hidden))
    return rows


def campaign_results(session: Session, campaign: SurveyCampaign) -> CampaignResults:
    """The results of a campaign, as they stand."""
    assert campaign.id is not None  # a stored campaign
    questions = questions_of(campaign)
    responses = store.response_rows(session, campaign_id=campaign.id)
    addressed = sum(store.recipient_counts(session, campaign_id=campaign.id).values())
    channels = Counter(AnswerChannel(r.channel) for r in responses)
    return CampaignResults(
        campaign=campaign, addressed=addressed, answered_in_slack=channels.get(AnswerChannel.SLACK, 0),
        recorded={c.value: channels[c] for c in (AnswerChannel.PHONE, AnswerChannel.VISIT, AnswerChannel.WEB)
                  if channels.get(c)},
        questions=[question_result(q, i, responses) for i, q in enumerate(questions)],
        accounts=account_results(session, campaign, questions, responses),
    )


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text: one starting a formula (=, +, -, @, tab, CR) gets a leading '."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def results_csv(session: Session, campaign: SurveyCampaign) -> bytes:
    """One row per answer; anonymous ones without names, small groups without their account, in neutral order."""
    assert campaign.id is not None  # a stored campaign
    questions = questions_of(campaign)
    responses = store.response_rows(session, campaign_id=campaign.id)
    counts = Counter(r.account_id for r in responses)
    names = store.account_names(session, account_ids=set(counts))
    rows = []
    for response in responses:
        hidden = campaign.anonymous and counts[response.account_id] < MIN_GROUP
        account = _("(fewer than {count} answers)").format(count=MIN_GROUP) if hidden else names[response.account_id]
        who = "" if campaign.anonymous else (response.respondent_id or "")
        rows.append([account, who, AnswerChannel(response.channel).value, response.answered_at.date().isoformat(),
                     *[response.answers.get(str(i), "") for i in range(len(questions))]])
    if campaign.anonymous:
        rows.sort(key=lambda row: [str(cell) for cell in row])  # not the order the answers came in
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(cell) for cell in [_("account"), _("respondent"), _("channel"), _("date"),
                                                  *[q.text for q in questions]]])
    writer.writerows([[safe_cell(cell) for cell in row] for row in rows])
    return out.getvalue().encode("utf-8-sig")  # the BOM lets spreadsheets read Chinese text as UTF-8


def results_chart(results: CampaignResults) -> bytes | None:
    """A PNG with one bar chart per scale or choice question (matplotlib, headless); None when nothing to draw."""
    drawn = [q for q in results.questions if q.question.kind != QuestionKind.TEXT and q.count]
    if not drawn:
        return None
    import matplotlib

    matplotlib.use("Agg")  # headless: no display, no GUI toolkit
    from matplotlib.figure import Figure

    figure = Figure(figsize=(7, 2.4 * len(drawn)), dpi=100)
    for row, result in enumerate(drawn, start=1):
        axes = figure.add_subplot(len(drawn), 1, row)
        labels = [value for value, _count in result.distribution]
        axes.bar(range(len(labels)), [count for _value, count in result.distribution], color="#457b9d")
        axes.set_xticks(range(len(labels)), labels)
        axes.set_title(f"{result.number + 1}. {result.question.text}"[:80], fontsize=10)
        axes.set_ylabel(_("answers"))
    figure.tight_layout()
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


@dataclass(frozen=True)
class SurveyScores:
    """An account's open-survey scores over a window: answers counted, CSAT (mean, 1–5) and NPS."""

    answers: int
    csat: float | None
    nps: int | None


def account_survey_scores(session: Session, *, account_id: int, since: datetime) -> SurveyScores:
    """CSAT and NPS of an account's open-survey answers since `since`; anonymous answers only from a campaign with
    at least 3 of this account's answers, so a small group is never broken down here either."""
    responses = store.list_account_responses(session, account_id=account_id, since=since)
    by_campaign: dict[int, list[CampaignResponse]] = {}
    for response in responses:
        by_campaign.setdefault(response.campaign_id, []).append(response)
    csat: list[int] = []
    nps: list[int] = []
    counted = 0
    for campaign_id, group in by_campaign.items():
        campaign = store.get_campaign(session, campaign_id=campaign_id)
        if campaign is None or (campaign.anonymous and len(group) < MIN_GROUP):
            continue
        questions = questions_of(campaign)
        counted += len(group)
        csat += [s for i, q in enumerate(questions) if q.kind == QuestionKind.CSAT for s in _scores(group, i)]
        nps += [s for i, q in enumerate(questions) if q.kind == QuestionKind.NPS for s in _scores(group, i)]
    score = nps_of(nps)
    return SurveyScores(counted, sum(csat) / len(csat) if csat else None, score.score if score else None)


def closed_campaigns(session: Session, *, since: datetime, until: datetime,
                     author: str | None) -> list[CampaignResults]:
    """Results of the campaigns that closed in [since, until] (those `author` created, or all when None)."""
    return [campaign_results(session, campaign) for campaign in store.list_closed_since(session, since=since,
                                                                                         until=until)
            if author is None or campaign.created_by == author]


def nps_by_account(responses: Sequence[CampaignResponse], campaigns: dict[int, SurveyCampaign]) -> dict[int, int]:
    """Each account's NPS over the given responses (every NPS question), as `account_survey_scores` counts them:
    an anonymous campaign's answers only where the account gave at least MIN_GROUP of them."""
    groups: dict[tuple[int, int], list[CampaignResponse]] = {}
    for response in responses:
        groups.setdefault((response.account_id, response.campaign_id), []).append(response)
    scores: dict[int, list[int]] = {}
    for (account_id, campaign_id), group in groups.items():
        campaign = campaigns.get(campaign_id)
        if campaign is None or (campaign.anonymous and len(group) < MIN_GROUP):
            continue
        scores.setdefault(account_id, []).extend(
            s for i, q in enumerate(questions_of(campaign)) if q.kind == QuestionKind.NPS for s in _scores(group, i))
    return {account_id: nps.score for account_id, found in scores.items() if (nps := nps_of(found)) is not None}
