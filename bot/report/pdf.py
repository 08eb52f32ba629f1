"""The report as a PDF (fpdf2), with DejaVu Sans for Latin text and a CJK font as fallback so Chinese renders."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from bot.platform import formatting
from bot.platform.i18n import _
from bot.report.charts import render_chart
from bot.report.fonts import report_fonts
from bot.report.markdown import report_title
from bot.report.model import Block, Bullets, Figures, Paragraph, Report, Table

if TYPE_CHECKING:
    from fpdf import FPDF

LATIN, CJK = "latin", "cjk"
LINE = 6.0
# Emoji (a health band's 🟢, a sponsor's ⭐ in Slack's text) have no glyph in either font: dropped with the space
# after them, so "(🟢 green)" reads "(green)" instead of showing an empty box.
_NO_GLYPH = re.compile("[\U0001F000-\U0001FAFF\u2B50\uFE0F]\\s?")


def printable(text: str) -> str:
    """The text without the emoji that neither font can draw."""
    return _NO_GLYPH.sub("", text)


def _document() -> FPDF:
    """An A4 document that sets its font on every line of text."""
    from fpdf import FPDF

    class ReportPDF(FPDF):
        def _render_styled_text_line(self, *args: Any, **kwargs: Any) -> Any:
            # fpdf2 2.8.9 may set the font of a line that starts in the fallback font inside a q…Q block yet count
            # it as set for the page, so the next line has no font (blank in viewers): set it on every line.
            self.current_font_is_set_on_page = False
            return super()._render_styled_text_line(*args, **kwargs)

    return ReportPDF(format="A4")


def render_pdf(report: Report, *, version: str = "", charts: Mapping[str, bytes] | None = None) -> bytes:
    """The whole report as PDF bytes; `version` names it ("Internal", "For the customer") under the title.

    `charts` are PNGs already drawn, by chart key (each drawn here otherwise).
    """
    drawn = charts or {}
    fonts = report_fonts()
    pdf = _document()
    pdf.set_creation_date(report.scope.now)
    for family, regular, bold in ((LATIN, fonts.latin, fonts.latin_bold), (CJK, fonts.cjk, fonts.cjk)):
        pdf.add_font(family, "", str(regular))
        pdf.add_font(family, "B", str(bold))
    pdf.set_fallback_fonts([CJK], exact_match=False)
    title = report_title(report)
    pdf.set_title(title)
    pdf.set_author("Rapport")
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    pdf.set_font(LATIN, "B", 16)
    pdf.multi_cell(0, 9, printable(title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(LATIN, "", 9)
    made = _("Prepared {day}").format(day=formatting.plain_date(report.scope.now.date()))
    pdf.multi_cell(0, 5, f"{version} · {made}" if version else made, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    if not report.sections:
        pdf.set_font(LATIN, "", 11)
        pdf.multi_cell(0, LINE, _("Nothing to report for this period."), new_x="LMARGIN", new_y="NEXT")
    for section in report.sections:
        pdf.set_font(LATIN, "B", 13)
        pdf.multi_cell(0, 8, printable(section.title), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(LATIN, "", 10)
        for block in section.blocks:
            _block(pdf, block)
            pdf.ln(2)
        for chart in section.charts:
            png = drawn.get(chart.key) or render_chart(chart)
            pdf.image(io.BytesIO(png), w=pdf.epw * 0.85, alt_text=chart.title)
            pdf.ln(2)
        pdf.ln(3)
    return bytes(pdf.output())


def _block(pdf: FPDF, block: Block) -> None:
    match block:
        case Paragraph(text=text):
            pdf.multi_cell(0, LINE, printable(text), new_x="LMARGIN", new_y="NEXT")
        case Bullets(items=items):
            for item in items:
                pdf.multi_cell(0, LINE, printable(f"•  {item}"), new_x="LMARGIN", new_y="NEXT")
        case Figures(items=items):
            for figure in items:
                note = f" ({figure.note})" if figure.note else ""
                line = printable(f"{figure.label}: {figure.value}{note}")
                pdf.multi_cell(0, LINE, line, new_x="LMARGIN", new_y="NEXT")
        case Table(header=header, rows=rows):
            with pdf.table(text_align="LEFT", line_height=LINE) as table:
                for cells in (header, *rows):
                    row = table.row()
                    for cell in cells:
                        row.cell(printable(cell))
