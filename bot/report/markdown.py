"""The report as Markdown: the same sections as the PDF, text escaped so a name never turns into markup."""

from __future__ import annotations

import re

from bot.calendar.recurrence import period_label
from bot.platform import formatting
from bot.platform.i18n import _
from bot.report.model import Block, Bullets, Figures, Paragraph, Report, Table
from bot.report.periods import period_slug

_SPECIAL = re.compile(r"([\\`*_\[\]<>#|~])")


def escape(text: str) -> str:
    """Plain text made literal in Markdown (one line: newlines become spaces)."""
    return _SPECIAL.sub(r"\\\1", " ".join(text.split()))


def report_title(report: Report) -> str:
    """ "Service report — Acme — November 2026", in the language being spoken."""
    return _("Service report — {account} — {period}").format(account=report.account_name,
                                                              period=period_label(report.scope.period))


def chart_file_name(report: Report, key: str) -> str:
    """The name a chart's PNG is shared under, beside the Markdown that shows it."""
    return f"{key}-{period_slug(report.scope.period)}.png"


def render_markdown(report: Report, *, version: str = "") -> str:
    """The whole report as a Markdown document; `version` names it ("Internal", "For the customer")."""
    lines = [f"# {escape(report_title(report))}", ""]
    made = _("Prepared {day}").format(day=formatting.plain_date(report.scope.now.date()))
    lines += [f"_{escape(f'{version} · {made}' if version else made)}_", ""]
    if not report.sections:
        lines += [escape(_("Nothing to report for this period.")), ""]
    for section in report.sections:
        lines += [f"## {escape(section.title)}", ""]
        for block in section.blocks:
            lines += [*_block(block), ""]
        lines += [f"![{escape(chart.title)}]({chart_file_name(report, chart.key)})" for chart in section.charts]
        if section.charts:
            lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _block(block: Block) -> list[str]:
    match block:
        case Paragraph(text=text):
            return [escape(line) for line in text.splitlines() if line.strip()] or [""]
        case Bullets(items=items):
            return [f"- {escape(item)}" for item in items]
        case Figures(items=items):
            return [f"- **{escape(figure.label)}:** {escape(figure.value)}"
                    + (f" ({escape(figure.note)})" if figure.note else "") for figure in items]
        case Table(header=header, rows=rows):
            return [_row(header), "|" + "---|" * len(header), *(_row(row) for row in rows)]
    return []


def _row(cells: tuple[str, ...]) -> str:
    return "| " + " | ".join(escape(cell) for cell in cells) + " |"
