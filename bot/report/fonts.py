"""The fonts the report's PDF and charts are drawn with: DejaVu Sans (shipped inside matplotlib) for Latin text and
a CJK font from the system (Debian's fonts-droid-fallback, which scripts/bootstrap installs) for Chinese."""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from bot.platform.errors import NotConfigured
from bot.platform.i18n import _

CJK_FONT_ENV = "RAPPORT_CJK_FONT"
# TrueType (.ttf) files only: fpdf2 and matplotlib both embed them whole-glyph; collections (.ttc) are not tried.
CJK_FONT_CANDIDATES = (
    Path("/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf"),
    Path("/usr/share/fonts-droid-fallback/truetype/DroidSansFallback.ttf"),
    Path("/usr/share/fonts/truetype/arphic/uming.ttf"),
)


@dataclass(frozen=True)
class ReportFonts:
    """The font files a report is drawn with."""

    latin: Path
    latin_bold: Path
    cjk: Path


def _matplotlib_font(name: str) -> Path:
    import matplotlib

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf" / name


def find_cjk_font(candidates: tuple[Path, ...] = CJK_FONT_CANDIDATES) -> Path:
    """The CJK font file to use ($RAPPORT_CJK_FONT first); NotConfigured, saying how to install one, when none is."""
    chosen = os.environ.get(CJK_FONT_ENV)
    for path in ((Path(chosen),) if chosen else ()) + candidates:
        if path.is_file():
            return path
    raise NotConfigured(_("No font for Chinese text is installed, so the report could not be drawn. Install "
                          "Debian's fonts-droid-fallback (scripts/bootstrap does it when run as root) or set "
                          "{env} to a .ttf font file.").format(env=CJK_FONT_ENV))


@cache
def _fonts(cjk: Path) -> ReportFonts:
    return ReportFonts(_matplotlib_font("DejaVuSans.ttf"), _matplotlib_font("DejaVuSans-Bold.ttf"), cjk)


def report_fonts() -> ReportFonts:
    """The report's fonts, or NotConfigured when no CJK font is installed (never tofu boxes)."""
    return _fonts(find_cjk_font())
