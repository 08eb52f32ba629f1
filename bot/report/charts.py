"""The report's charts as PNG images (matplotlib, headless), with a CJK font so Chinese labels are drawn."""

from __future__ import annotations

import io
import threading

from bot.report.fonts import report_fonts
from bot.report.model import Chart

_COLOURS = ("#1d3557", "#e76f51", "#2a9d8f", "#e9c46a", "#457b9d", "#8d99ae")
_lock = threading.Lock()  # matplotlib's font manager is shared by the process
_registered: set[str] = set()


def _families() -> list[str]:
    """Register the report's fonts with matplotlib once; the families to draw with, Latin first, CJK as fallback."""
    from matplotlib import font_manager

    fonts = report_fonts()
    with _lock:
        for path in (fonts.latin, fonts.latin_bold, fonts.cjk):
            if str(path) not in _registered:
                font_manager.fontManager.addfont(str(path))
                _registered.add(str(path))
    return ["DejaVu Sans", font_manager.FontProperties(fname=str(fonts.cjk)).get_name()]


def render_chart(chart: Chart) -> bytes:
    """One chart as PNG bytes: bars side by side or lines, gaps where a series has no value."""
    import matplotlib

    matplotlib.use("Agg")  # headless: no display, no GUI toolkit
    from matplotlib import rc_context
    from matplotlib.figure import Figure

    with rc_context({"font.family": _families(), "axes.unicode_minus": False}):
        figure = Figure(figsize=(7, 3.2), dpi=100)
        axes = figure.add_subplot(1, 1, 1)
        positions = list(range(len(chart.labels)))
        width = 0.8 / max(len(chart.series), 1)
        for index, series in enumerate(chart.series):
            colour = _COLOURS[index % len(_COLOURS)]
            values = [float("nan") if value is None else value for value in series.values]
            if chart.kind == "bar":
                offset = (index - (len(chart.series) - 1) / 2) * width
                axes.bar([p + offset for p in positions], values, width=width, label=series.name, color=colour)
            else:
                axes.plot(positions, values, marker="o", label=series.name, color=colour)
        axes.set_xticks(positions, list(chart.labels))
        axes.set_title(chart.title[:80], fontsize=11)
        if chart.unit:
            axes.set_ylabel(chart.unit)
        if len(chart.series) > 1:
            axes.legend(fontsize=8)
        figure.tight_layout()
        out = io.BytesIO()
        figure.savefig(out, format="png")
    return out.getvalue()
