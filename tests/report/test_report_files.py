"""The real report (every domain's section, from a seeded month) through the renderers and the draft card: the
Chinese PDF reads back with its section titles, the customer version keeps none of the internal sections, and the
card carrying the report is stored and loaded back unchanged."""

from __future__ import annotations

import io

from pypdf import PdfReader

from bot.platform.cards import dump, load
from bot.platform.i18n import speaking
from bot.report.cards import ReportDraftCard
from bot.report.files import report_files
from bot.report.markdown import render_markdown
from tests.report import records as r
from tests.report.test_report_figures import build, month

__all__ = ["month"]


def pdf_text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_seeded_month_renders_in_chinese_and_its_customer_version_keeps_internal_sections_out(db, month):
    with speaking("zh_Hans"):
        report = build(db, month["acme"])
        internal = report_files(report)
        shareable = frozenset(s.key for s in report.sections)
        customer = report_files(report.customer_version(shareable), customer=True, charts=False)
    text = pdf_text(internal[0].content)
    assert "服务报告 — Acme" in text and "服务达成情况" in text and "客户满意度" in text
    hidden = [s for s in report.sections if not s.shareable]
    assert hidden  # suppliers and health are internal
    customer_text = pdf_text(customer[0].content) + customer[1].content.decode()
    for part in hidden:
        assert part.title in text and part.title not in customer_text
    assert {f.name.rsplit(".", 1)[1] for f in internal} == {"pdf", "md", "png"}


def test_the_draft_card_carries_the_report_unchanged(db, month):
    report = build(db, month["acme"])
    card = ReportDraftCard(report_id=1, report=report, due_at=r.NOW, zone=r.SHANGHAI)
    loaded = load(ReportDraftCard, dump(card))
    assert loaded == card
    assert render_markdown(loaded.report) == render_markdown(report)
