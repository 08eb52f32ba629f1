"""Staged reminders (e.g. "two days before", then "on the day"): which one is due now, and when to look again."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any


@dataclass(frozen=True)
class StageStep:
    """What one scheduler pass should do for an item with staged reminders."""

    due: str | None  # the latest stage due now (a late tick sends only this one), or None
    next_check_at: datetime | None  # when the next stage falls due, or None when all are done

    def changes(self) -> dict[str, Any]:
        """The columns this pass writes on the item: when to look again, and the stage it sends now (if any)."""
        if self.due is None:
            return {"next_check_at": self.next_check_at}
        return {"next_check_at": self.next_check_at, "reminded_stage": self.due}


def step_stages(stages: Sequence[str], moments: Sequence[datetime | None], *, reminded: str | None,
                now: datetime) -> StageStep:
    """Skip stages already sent, pick the latest one due at `now`, and the moment of the next."""
    sent = stages.index(reminded) + 1 if reminded else 0
    planned = list(zip(stages, moments, strict=True))[sent:]
    due = [stage for stage, at in planned if at is not None and at <= now]
    later = [at for _stage, at in planned if at is not None and at > now]
    return StageStep(due=due[-1] if due else None, next_check_at=min(later, default=None))
