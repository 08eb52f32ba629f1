"""What a service report holds: titled sections of typed blocks and charts, independent of how they are rendered.

Each domain contributes sections through a `SectionBuilder` (listed in `bot/report/sections.py`); the renderers
(Markdown, PDF, Slack) and the report's life (draft, pick sections, submit) only ever see these types.
Text in blocks is plain, already translated, and escaped by each renderer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Literal, Protocol

from sqlmodel import Session

from bot.calendar.recurrence import Period
from bot.platform.config import Settings


@dataclass(frozen=True)
class Paragraph:
    """A paragraph of plain text."""

    text: str


@dataclass(frozen=True)
class Bullets:
    """A bulleted list."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Figure:
    """One headline figure: "SLA attainment" — "96 %", with an optional note ("2 breaches")."""

    label: str
    value: str
    note: str = ""


@dataclass(frozen=True)
class Figures:
    """A row of headline figures."""

    items: tuple[Figure, ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row; cells are plain text."""

    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


Block = Paragraph | Bullets | Figures | Table


@dataclass(frozen=True)
class Series:
    """One line or set of bars in a chart; None where there is no value (a period without answers)."""

    name: str
    values: tuple[float | None, ...]


@dataclass(frozen=True)
class Chart:
    """A chart drawn by the renderer (matplotlib): labels along the x axis, one or more series."""

    key: str
    title: str
    kind: Literal["bar", "line"]
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    unit: str = ""


@dataclass(frozen=True)
class ReportSection:
    """One section of the report.

    `key` is stable (it names the section in the owner's choice of what to share); `shareable` False keeps the
    section out of every customer version whatever is ticked (supplier scores, disputes, risks, internal notes).
    """

    key: str
    title: str
    blocks: tuple[Block, ...]
    shareable: bool
    charts: tuple[Chart, ...] = ()


@dataclass(frozen=True)
class ReportScope:
    """Whose report and which period it covers; `period.start` ≤ day < `period.end` (account's calendar days)."""

    account_id: int
    period: Period
    now: datetime


class SectionBuilder(Protocol):
    """Builds one domain's section of the report from the record, or None when it has nothing to say."""

    def __call__(self, session: Session, scope: ReportScope, settings: Settings) -> ReportSection | None: ...


@dataclass(frozen=True)
class Report:
    """A built report: its scope and its sections in reading order."""

    scope: ReportScope
    account_name: str
    sections: tuple[ReportSection, ...] = field(default_factory=tuple)

    def customer_version(self, chosen: frozenset[str]) -> Report:
        """The sections a customer may see: chosen by key, and only shareable ones."""
        kept = tuple(section for section in self.sections if section.shareable and section.key in chosen)
        return Report(self.scope, self.account_name, kept)
