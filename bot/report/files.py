"""A report's files for Slack: the PDF, the same report as Markdown, and each chart as a PNG."""

from __future__ import annotations

import re

from bot.calendar.recurrence import period_label
from bot.platform.cards import UploadFile
from bot.platform.i18n import _, ngettext
from bot.report.charts import render_chart
from bot.report.markdown import chart_file_name, render_markdown, report_title
from bot.report.model import Report
from bot.report.pdf import render_pdf
from bot.report.periods import period_slug

_UNSAFE = re.compile(r"[\s/\\:*?\"<>|#]+")


def file_stem(report: Report, *, customer: bool = False) -> str:
    """ "service-report-Acme-Corp-2026-11" (and "-customer" for the customer version)."""
    name = _UNSAFE.sub("-", report.account_name).strip("-") or "account"
    return f"service-report-{name}-{period_slug(report.scope.period)}" + ("-customer" if customer else "")


def version_label(*, customer: bool) -> str:
    """Which version a file is, as shown under its title."""
    return _("For the customer") if customer else _("Internal")


def report_files(report: Report, *, customer: bool = False, charts: bool = True) -> list[UploadFile]:
    """The report's PDF, its Markdown and (unless told) one PNG per chart, named after the account and period."""
    stem, version, title = file_stem(report, customer=customer), version_label(customer=customer), report_title(report)
    charted = [chart for section in report.sections for chart in section.charts]
    drawn = {chart.key: render_chart(chart) for chart in charted}  # once, for the PDF and the PNGs
    files = [UploadFile(f"{stem}.pdf", render_pdf(report, version=version, charts=drawn), f"{title} ({version})",
                        _("The service report as a PDF")),
             UploadFile(f"{stem}.md", render_markdown(report, version=version).encode(), f"{title} ({version})",
                        _("The service report as Markdown"))]
    if charts:
        files += [UploadFile(chart_file_name(report, chart.key), drawn[chart.key], chart.title,
                             _("Chart: {title}").format(title=chart.title)) for chart in charted]
    return files


def sent_summary(report: Report, files: list[UploadFile]) -> str:
    """What was sent, for the reply."""
    charts = sum(1 for item in files if item.name.endswith(".png"))
    return ngettext("I've sent you the service report on *{account}* for {period} by direct message: the PDF, the "
                    "Markdown and {count} chart.",
                    "I've sent you the service report on *{account}* for {period} by direct message: the PDF, the "
                    "Markdown and {count} charts.", charts).format(account=report.account_name,
                                                                  period=period_label(report.scope.period),
                                                                  count=charts)
