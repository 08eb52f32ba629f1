"""The report's satisfaction: case surveys and open-survey answers of the account — CSAT, NPS, and their trend.

CSAT (1–5) counts case-survey scores and open-survey CSAT answers together; NPS comes from open-survey NPS answers.
An anonymous survey's answers from this account in one period count only when there are at least three of them
(`MIN_GROUP`, as in the survey's own results): fewer would let a reader tell who answered what.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlmodel import Session

from bot.care.campaign_results import MIN_GROUP, Nps, nps_of
from bot.care.campaigns import QuestionKind, questions_of
from bot.platform import formatting
from bot.platform.config import Settings
from bot.platform.i18n import _, ngettext
from bot.report.model import Block, Chart, Figure, Figures, Paragraph, ReportScope, ReportSection, Series, Table
from bot.report.window import Reading, Window, count, read_scope, share
from storage.care.campaigns import AccountAnswer, SurveyCampaign, list_account_answers, list_campaigns_by_id
from storage.care.surveys import case_scores_between


@dataclass
class Tally:
    """What one period's answers add up to."""

    case_answers: int = 0
    survey_answers: int = 0
    withheld: int = 0  # anonymous answers left out: too few from this account in one survey
    csat_count: int = 0
    csat_total: int = 0
    csat_satisfied: int = 0
    nps_scores: list[int] = field(default_factory=list)

    @property
    def answers(self) -> int:
        """Case surveys and open-survey responses counted."""
        return self.case_answers + self.survey_answers

    @property
    def csat(self) -> float | None:
        """Mean CSAT (1–5), None without answers."""
        return self.csat_total / self.csat_count if self.csat_count else None

    @property
    def nps(self) -> Nps | None:
        """NPS of the open-survey NPS answers, None without any."""
        return nps_of(self.nps_scores)

    def add_survey(self, campaign: SurveyCampaign, answers: list[AccountAnswer]) -> None:
        """Count one survey's responses from this account in the period (or withhold a small anonymous group)."""
        if campaign.anonymous and len(answers) < MIN_GROUP:
            self.withheld += len(answers)
            return
        self.survey_answers += len(answers)
        for number, question in enumerate(questions_of(campaign)):
            scores = [a.answers[str(number)] for a in answers if isinstance(a.answers.get(str(number)), int)]
            if question.kind == QuestionKind.CSAT:
                self.csat_count += len(scores)
                self.csat_total += sum(scores)
                self.csat_satisfied += sum(1 for score in scores if score >= 4)
            elif question.kind == QuestionKind.NPS:
                self.nps_scores += scores


def tally_periods(session: Session, reading: Reading, windows: list[Window]) -> list[Tally]:
    """Each window's tally (consecutive windows, oldest first): two queries, whatever the number of windows."""
    bounds = [windows[0].since, *(window.until for window in windows)]
    tallies = [Tally() for _window in windows]
    for tally, bucket in zip(tallies, case_scores_between(session, account_id=reading.account_id, bounds=bounds),
                             strict=True):
        tally.case_answers = tally.csat_count = bucket.answers
        tally.csat_total, tally.csat_satisfied = bucket.total, bucket.satisfied
    answers = list_account_answers(session, account_id=reading.account_id, since=bounds[0], until=bounds[-1])
    campaigns = list_campaigns_by_id(session, campaign_ids={answer.campaign_id for answer in answers})
    groups: dict[tuple[int, int], list[AccountAnswer]] = defaultdict(list)
    for answer in answers:
        index = next(i for i, window in enumerate(windows) if answer.answered_at < window.until)
        groups[index, answer.campaign_id].append(answer)
    for (index, campaign_id), group in sorted(groups.items()):
        tallies[index].add_survey(campaigns[campaign_id], group)
    return tallies


def satisfaction_report_section(session: Session, scope: ReportScope, settings: Settings) -> ReportSection:
    """CSAT, NPS and the answers behind them in the period, with the trend over the last periods."""
    reading = read_scope(session, scope, settings)
    windows = reading.trend()
    tallies = tally_periods(session, reading, windows)
    current = tallies[-1]
    title = _("Customer satisfaction")
    blocks: list[Block] = []
    if current.answers:
        blocks.append(_figures(current))
    else:
        blocks.append(Paragraph(_("No survey answers in {period}.").format(period=reading.window.label)))
    if current.withheld:
        blocks.append(Paragraph(ngettext(
            "{count} anonymous answer is left out: fewer than {least} came from this account in that survey.",
            "{count} anonymous answers are left out: fewer than {least} came from this account in one survey.",
            current.withheld).format(count=count(current.withheld), least=count(MIN_GROUP))))
    if not any(tally.answers for tally in tallies):
        return ReportSection("satisfaction", title, tuple(blocks), shareable=True)
    blocks.append(Paragraph(_("The last {count} periods:").format(count=count(len(windows)))))
    blocks.append(_trend_table(windows, tallies))
    return ReportSection("satisfaction", title, tuple(blocks), shareable=True, charts=_charts(windows, tallies))


def mean_text(value: float | None) -> str:
    """A mean score to one decimal ("4.3"), a dash when there is none."""
    return formatting.number(round(value, 1)) if value is not None else "—"


def _figures(tally: Tally) -> Figures:
    nps = tally.nps
    items = [
        Figure(_("CSAT"), mean_text(tally.csat), ngettext("{count} score (1–5)", "{count} scores (1–5)",
                                                          tally.csat_count).format(count=count(tally.csat_count))),
        Figure(_("Satisfied (4–5)"), share(tally.csat_satisfied, tally.csat_count)),
        Figure(_("NPS"), formatting.number(nps.score) if nps else "—",
               _("promoters {promoters} · passives {passives} · detractors {detractors}").format(
                   promoters=count(nps.promoters), passives=count(nps.passives), detractors=count(nps.detractors))
               if nps else _("no NPS answers")),
        Figure(_("Responses"), count(tally.answers),
               _("{case} case surveys · {survey} open-survey responses").format(
                   case=count(tally.case_answers), survey=count(tally.survey_answers))),
    ]
    return Figures(tuple(items))


def _trend_table(windows: list[Window], tallies: list[Tally]) -> Table:
    rows = []
    for window, tally in zip(windows, tallies, strict=True):
        nps = tally.nps
        rows.append((window.label, count(tally.answers), mean_text(tally.csat),
                     share(tally.csat_satisfied, tally.csat_count), formatting.number(nps.score) if nps else "—"))
    return Table((_("Period"), _("Responses"), _("CSAT"), _("Satisfied (4–5)"), _("NPS")), tuple(rows))


def _charts(windows: list[Window], tallies: list[Tally]) -> tuple[Chart, ...]:
    labels = tuple(window.label for window in windows)
    charts = [Chart("satisfaction_csat_trend", _("CSAT over the last periods"), "line", labels,
                    (Series(_("CSAT"), tuple(tally.csat for tally in tallies)),), unit="1–5")]
    if any(tally.nps_scores for tally in tallies):
        charts.append(Chart("satisfaction_nps_trend", _("NPS over the last periods"), "line", labels,
                            (Series(_("NPS"), tuple(float(n.score) if (n := tally.nps) else None
                                                    for tally in tallies)),)))
    return tuple(charts)
