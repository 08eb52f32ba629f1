"""Open-survey rules without Slack: reading questions, NPS and its rounding, formula-safe CSV cells."""

from __future__ import annotations

import pytest

from bot.care.campaign_commands import RecordAnswers, ShowResults, parse_survey_command
from bot.care.campaign_results import nps_of, safe_cell, whole_percent
from bot.care.campaigns import QuestionKind, parse_questions
from bot.platform.errors import InvalidInput
from storage.care.campaigns import AnswerChannel


def test_questions_are_read_one_a_line_by_their_kind_in_english_or_chinese():
    questions = parse_questions("nps: Recommend us?\n满意度：服务满意吗？\n"
                                "choice: Office? | Beijing | Shanghai\ntext: More?")
    assert [q.kind for q in questions] == [QuestionKind.NPS, QuestionKind.CSAT, QuestionKind.CHOICE, QuestionKind.TEXT]
    assert questions[2].options == ("Beijing", "Shanghai")


@pytest.mark.parametrize("text", ["", "rating: How are we?", "choice: Only one? | A", "\n".join(["text: q"] * 11)])
def test_unreadable_questions_say_what_to_type(text):
    with pytest.raises(InvalidInput):
        parse_questions(text)


def test_nps_is_promoters_minus_detractors_as_a_whole_number():
    score = nps_of([10, 9, 8, 7, 6, 0])
    assert score is not None and (score.score, score.promoters, score.passives, score.detractors) == (0, 2, 2, 2)
    assert nps_of([]) is None
    assert nps_of([10] * 100).score == 100 and nps_of([0] * 7).score == -100  # type: ignore[union-attr]
    assert whole_percent(1, 8) == 13 and whole_percent(-1, 8) == -13  # 12.5 rounds away from zero


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_that_would_start_a_formula_is_quoted(cell):
    assert safe_cell(cell) == "'" + cell


def test_ordinary_cells_are_left_alone():
    assert safe_cell("Beijing") == "Beijing" and safe_cell(9) == "9" and safe_cell(None) == ""


def test_the_survey_command_grammar():
    assert parse_survey_command("results #3") == ShowResults(3)
    assert parse_survey_command("record 3 visit Acme Corp: 9; -; fine") == RecordAnswers(
        3, AnswerChannel.VISIT, "Acme Corp", ["9", "-", "fine"])
    with pytest.raises(InvalidInput):
        parse_survey_command("record 3 fax Acme Corp: 9")
