"""Small SectionBuilders for the report's tests: one shareable section with a chart, one internal one."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlmodel import Session

from bot.platform.config import Settings
from bot.platform.i18n import current_language
from bot.report import sections
from bot.report.model import Chart, Figure, Figures, Paragraph, ReportScope, ReportSection, Series, Table

SERVICE_ZH, SERVICE_EN = "服务交付", "Service delivered"
INTERNAL_TEXT = "Supplier DBCo scored 61 in its audit"


def service_section(session: Session, scope: ReportScope, settings: Settings) -> ReportSection:
    """A shareable section, titled in the language being spoken, with a table and a chart."""
    chinese = current_language().startswith("zh")
    title = SERVICE_ZH if chinese else SERVICE_EN
    month = f"{scope.period.start:%Y-%m}"
    return ReportSection("service", title, (
        Paragraph(f"Complaints in {month}: 3"),
        Figures((Figure("SLA", "96 %", "2 breaches"),)),
        Table(("Severity", "Count"), (("high", "1"), ("normal", "2")))), shareable=True,
        charts=(Chart("sla", title, "line", ("Sep", "Oct", "Nov"), (Series("SLA", (90.0, None, 96.0)),), "%"),))


def supplier_section(session: Session, scope: ReportScope, settings: Settings) -> ReportSection:
    """An internal section: never in a customer version."""
    return ReportSection("suppliers", "Suppliers", (Paragraph(INTERNAL_TEXT),), shareable=False)


@pytest.fixture
def report_sections(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Reports built with the two sections above."""
    monkeypatch.setattr(sections, "SECTIONS", (service_section, supplier_section))
    yield
