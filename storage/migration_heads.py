"""The newest migration this code has, read from the migration files with neither Alembic nor SQLAlchemy."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

VERSIONS = Path(__file__).parent / "migrations" / "versions"
_REVISION = re.compile(r"""^revision\s*(?::[^=]*)?=\s*['"]([^'"]+)['"]""", re.MULTILINE)
_DOWN = re.compile(r"""^down_revision\s*(?::[^=]*)?=\s*['"]([^'"]+)['"]""", re.MULTILINE)


@cache
def code_head() -> str | None:
    """The newest migration in storage/migrations/versions: the one no other revises (None if not exactly one)."""
    revisions, revised = set(), set()
    for script in VERSIONS.glob("*.py"):
        source = script.read_text(encoding="utf-8")
        if found := _REVISION.search(source):
            revisions.add(found.group(1))
        revised.update(_DOWN.findall(source))
    heads = revisions - revised
    return heads.pop() if len(heads) == 1 else None
