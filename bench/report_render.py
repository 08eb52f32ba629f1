"""Drawing a large service report: time and peak memory of its PDF, Markdown and chart PNGs.

Run `python -m bench.report_render` (options: `--sections`, `--rows`, `--language en|zh_Hans`). The report has
`--sections` sections, each with a paragraph, bullets, four figures, a table of `--rows` rows and a 12-period chart
of two series (a year of months), as the builders make them; text is Chinese and English mixed. Peak memory is
Python's (tracemalloc), which leaves out matplotlib's and FreeType's C buffers.
"""

from __future__ import annotations

import argparse
import time
import tracemalloc
from datetime import UTC, date, datetime

from bot.calendar.recurrence import Frequency, Period
from bot.platform.i18n import speaking
from bot.report.files import report_files
from bot.report.model import (
    Bullets,
    Chart,
    Figure,
    Figures,
    Paragraph,
    Report,
    ReportScope,
    ReportSection,
    Series,
    Table,
)


def big_report(sections: int, rows: int) -> Report:
    """A report as large as a year of a busy account's record would make."""
    months = tuple(f"{month}月" for month in range(1, 13))
    built = tuple(ReportSection(
        f"section{n}", f"第 {n} 节 Section {n}", (
            Paragraph("本月共收到 12 起投诉，其中 2 起超出 SLA。 Twelve complaints, two beyond their SLA. " * 3),
            Bullets(tuple(f"Item {i}: 备份失败 backup failed on node {i}" for i in range(8))),
            Figures((Figure("SLA 达成率", "96 %", "2 breaches"), Figure("CSAT", "4.3"), Figure("NPS", "+31"),
                     Figure("投诉", "12"))),
            Table(("编号 #", "Summary 摘要", "Severity", "Status"),
                  tuple((str(i), f"VPN 断线 drops every hour at site {i}", "high", "resolved") for i in range(rows)))),
        shareable=n % 3 != 0,
        charts=(Chart(f"chart{n}", f"趋势 Trend {n}", "line" if n % 2 else "bar", months,
                      (Series("CSAT", tuple(4.0 + (m % 5) / 10 for m in range(12))),
                       Series("SLA", tuple(None if m == 4 else 90.0 + m / 2 for m in range(12)))), "%"),))
        for n in range(1, sections + 1))
    scope = ReportScope(1, Period(Frequency.MONTH, date(2026, 11, 1)), datetime(2026, 12, 1, 2, tzinfo=UTC))
    return Report(scope, "某某银行 Acme Bank", built)


def main() -> None:
    """Draw the report's files once to warm up (fonts, matplotlib), then time one drawing and trace another."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sections", type=int, default=13)
    parser.add_argument("--rows", type=int, default=40)
    parser.add_argument("--language", default="zh_Hans")
    args = parser.parse_args()
    report = big_report(args.sections, args.rows)
    with speaking(args.language):
        report_files(report)
        started = time.perf_counter()
        files = report_files(report)
        seconds = time.perf_counter() - started
        tracemalloc.start()  # a third drawing for memory: tracing slows it several times
        report_files(report)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    for item in files[:2]:
        print(f"{item.name}: {len(item.content) / 1024:.0f} KiB")
    print(f"{len(files) - 2} chart PNGs: {sum(len(f.content) for f in files[2:]) / 1024:.0f} KiB")
    print(f"drawn in {seconds:.2f} s, Python peak memory {peak / 2**20:.1f} MiB")


if __name__ == "__main__":
    main()
