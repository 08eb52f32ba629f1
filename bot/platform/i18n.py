"""One translation layer for every user-visible string (gettext catalogs kept with Babel)."""

from __future__ import annotations

import gettext as _gettext
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parents[1] / "locale"
DOMAIN = "rapport"


class _Catalog:
    """The catalog in use: one per process, since a deployment speaks one language (RAPPORT_LANGUAGE)."""

    active: _gettext.NullTranslations = _gettext.NullTranslations()


def load_translations(language: str) -> _gettext.NullTranslations:
    """The catalog for `language`; English source strings when there is none."""
    po_path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if not po_path.exists():
        return _gettext.NullTranslations()
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file, locale=language)
    # Compiling in memory keeps binary .mo files out of the repository.
    buffer = BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return _gettext.GNUTranslations(buffer)


def activate(language: str) -> None:
    """Make `language` the language of every message from now on."""
    _Catalog.active = load_translations(language)


def _(message: str) -> str:
    """Translate a message."""
    return _Catalog.active.gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a message that depends on a count."""
    return _Catalog.active.ngettext(singular, plural, count)
