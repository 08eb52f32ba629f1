"""What the report's life sends on its own: the drafted report, DM'd to its owner with its files."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import ClassVar
from zoneinfo import ZoneInfo

from bot.platform.cards import CardKind
from bot.report.model import Report


@dataclass(frozen=True)
class ReportDraftCard:
    """A drafted report (its content, built in the reader's language), due by `due_at`; once submitted, it shows who
    submitted it and shares no files."""

    kind: ClassVar[CardKind] = CardKind.REPORT_DRAFT
    report_id: int
    report: Report
    due_at: datetime
    zone: ZoneInfo
    submitted_by: str | None = None
