"""Every user-visible string goes through one catalog, so a new language is a catalog, not a rewrite."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.platform import i18n
from handlers.blocks.platform.help import build_help
from handlers.ids import Command

ROOT = Path(__file__).resolve().parents[2]
POT = ROOT / "bot" / "locale" / "rapport.pot"
KEYWORDS = {"_": None, "ngettext": (1, 2)}


def extracted_ids() -> set[str]:
    ids: set[str] = set()
    for folder in ("bot", "handlers"):
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, method_map=[("**.py", "python")], keywords=KEYWORDS
        ):
            ids.add(message[0] if isinstance(message, tuple) else message)
    return ids


def test_the_catalog_template_lists_every_message_in_the_code():
    with POT.open("rb") as pot:
        catalog = read_po(pot)
    listed = {message.id[0] if isinstance(message.id, tuple) else message.id for message in catalog if message.id}
    missing, stale = extracted_ids() - listed, listed - extracted_ids()
    hint = "regenerate: pybabel extract -F babel.cfg -k _ -k ngettext:1,2 --no-location --sort-output " \
           "--omit-header -o bot/locale/rapport.pot ."
    assert not missing and not stale, f"{hint}\nmissing: {sorted(missing)[:5]}\nstale: {sorted(stale)[:5]}"


@pytest.fixture
def pig_latin(tmp_path, monkeypatch):
    """A throwaway language whose catalog upper-cases one message."""
    with POT.open("rb") as pot:
        catalog = read_po(pot, locale="en")
    title = "Praise a colleague or a team"
    catalog[title].string = title.upper()
    folder = tmp_path / "xx" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "rapport.po").open("wb") as po:
        write_po(po, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.activate("xx")
    yield title.upper()
    i18n.activate("en")


def test_activating_a_language_translates_what_users_see(pig_latin):
    text, _blocks = build_help(Command.PRAISE)
    assert text.startswith(pig_latin)


def test_english_is_the_source_language():
    i18n.activate("en")
    assert build_help(Command.PRAISE)[0].startswith("Praise a colleague or a team")
