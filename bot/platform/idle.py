"""Whether a cron tick may exit early: the last full tick vouched that nothing is due yet and nothing changed.

Kept free of SQLAlchemy and the models (a cron tick that is idle must not pay for importing them, issue 10).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bot.platform.config import Settings

ROOT = Path(__file__).resolve().parent.parent.parent
CODE = ("bot", "storage")  # what a tick runs; a change there (an upgrade) may change what is due


def fingerprint(settings: Settings) -> str:
    """These settings, this code and its newest migration, in 64 hex digits."""
    from storage.migration_heads import code_head

    digest = hashlib.sha256(settings.model_dump_json().encode())
    digest.update(str(code_head()).encode())
    for top in CODE:
        for path in sorted((ROOT / top).rglob("*.py")):
            stat = path.stat()
            digest.update(f"{path.relative_to(ROOT)}:{stat.st_size}:{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class Idle:
    """A cron tick may exit: nothing is due before `until` (None: until something changes)."""

    until: datetime | None


def idle_until(settings: Settings, now: datetime) -> Idle | None:
    """Idle when the last full tick vouched for this state and moment; None when a full tick must run."""
    from storage.migration_heads import code_head
    from storage.platform.horizon_peek import peek

    seen = peek(settings.database_url, now)
    if seen is None or seen.checked_changes is None or seen.checked_changes != seen.changes:
        return None  # never vouched for, or something was written since
    if seen.revision is None or seen.revision != code_head() or seen.outbox_due:
        return None  # migrations pending (the full tick upgrades or refuses), or a message for Slack
    if seen.next_due_at is not None and now >= seen.next_due_at:
        return None
    if seen.fingerprint != fingerprint(settings):
        return None  # other settings or other code: what is due may differ
    return Idle(seen.next_due_at)
