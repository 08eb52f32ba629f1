"""The renderers and the period grammar as functions: Markdown escapes what people typed, the PDF reads back,
a missing CJK font is a clear error (never tofu), periods are read as typed."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from pypdf import PdfReader
from pypdf.generic import ContentStream

from bot.calendar.recurrence import Frequency, Period
from bot.platform.errors import NotConfigured
from bot.platform.i18n import speaking
from bot.report import fonts
from bot.report.markdown import render_markdown
from bot.report.model import Bullets, Paragraph, Report, ReportScope, ReportSection
from bot.report.pdf import render_pdf
from bot.report.periods import read_period

SCOPE = ReportScope(1, Period(Frequency.MONTH, date(2026, 11, 1)), datetime(2026, 12, 2, 2, tzinfo=UTC))


def test_markdown_escapes_names_and_text():
    report = Report(SCOPE, "Acme *Corp*", (ReportSection("service", "Service | delivered", (
        Paragraph("See [this](http://evil) <!channel>"), Bullets(("_one_",))), shareable=True),))
    text = render_markdown(report)
    assert text.startswith("# Service report — Acme \\*Corp\\* — November 2026")
    assert "## Service \\| delivered" in text and "\\[this\\](http://evil) \\<!channel\\>" in text
    assert "- \\_one\\_" in text


def test_a_chinese_pdf_reads_back_in_chinese():
    report = Report(SCOPE, "某某银行", (ReportSection("service", "服务交付", (Paragraph("本月共收到 3 起投诉。"),),
                                                       shareable=True),))
    with speaking("zh_Hans"):
        content = render_pdf(report)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)
    assert "服务报告 — 某某银行 — 2026年11月" in text and "服务交付" in text and "本月共收到 3 起投诉。" in text


def test_emoji_no_font_can_draw_are_left_out_of_the_pdf_not_drawn_as_boxes():
    report = Report(SCOPE, "Acme", (ReportSection("health", "Health", (
        Paragraph("Health: 62 / 100 (🟠 amber)"), Bullets(("⭐ Wang Li — CIO",))), shareable=False),))
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(render_pdf(report))).pages)
    assert "Health: 62 / 100 (amber)" in text and "Wang Li — CIO" in text
    assert "🟠" not in text and "⭐" not in text


def shown_without_font(content: bytes) -> int:
    """How many text-showing operators of a PDF run with no font set (viewers draw those blank)."""
    missing = 0
    for page in PdfReader(io.BytesIO(content)).pages:
        stack: list[object] = []
        font: object = None
        for operands, operator in ContentStream(page.get_contents(), page.pdf).operations:
            if operator == b"q":
                stack.append(font)
            elif operator == b"Q":
                font = stack.pop()
            elif operator == b"Tf":
                font = operands[0]
            elif operator in (b"Tj", b"TJ") and font is None:
                missing += 1
    return missing


def test_every_line_of_a_mixed_pdf_has_its_font():
    report = Report(SCOPE, "Acme", (ReportSection("service", "服务交付", (
        Paragraph("本月共收到 3 起投诉。"), Bullets(("一", "two")), Paragraph("SLA 达成率: 96 %"), Paragraph("plain")),
        shareable=True),))
    with speaking("zh_Hans"):  # the title starts in the CJK (fallback) font
        assert shown_without_font(render_pdf(report)) == 0


def test_a_missing_cjk_font_says_how_to_install_one(monkeypatch, tmp_path: Path):
    monkeypatch.delenv(fonts.CJK_FONT_ENV, raising=False)
    with pytest.raises(NotConfigured, match="fonts-droid-fallback"):
        fonts.find_cjk_font((tmp_path / "none.ttf",))
    monkeypatch.setenv(fonts.CJK_FONT_ENV, str(fonts.CJK_FONT_CANDIDATES[0]))
    assert fonts.find_cjk_font(()) == fonts.CJK_FONT_CANDIDATES[0]


@pytest.mark.parametrize(("text", "frequency", "start"), [
    ("2026-11", Frequency.MONTH, date(2026, 11, 1)), ("2026-Q4", Frequency.QUARTER, date(2026, 10, 1)),
    ("上个月", Frequency.MONTH, date(2026, 11, 1)), ("last month", Frequency.MONTH, date(2026, 11, 1)),
    ("last quarter", Frequency.QUARTER, date(2026, 7, 1)), ("上季度", Frequency.QUARTER, date(2026, 7, 1)),
    ("本月", Frequency.MONTH, date(2026, 12, 1)), ("2026年11月", Frequency.MONTH, date(2026, 11, 1)),
])
def test_periods_are_read_as_typed(text, frequency, start):
    assert read_period(text, today=date(2026, 12, 2)) == Period(frequency, start)


@pytest.mark.parametrize("text", ["2026-13", "last year", "soon", "2026-Q5"])
def test_unreadable_periods_are_none(text):
    assert read_period(text, today=date(2026, 12, 2)) is None
