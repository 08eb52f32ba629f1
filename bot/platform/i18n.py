"""One translation layer for every user-visible string (gettext catalogs kept with Babel).

The language is chosen per request and per delivery, not per process: each person reads Rapport in
their own Slack language, so the active catalog lives in a context variable. `with speaking("zh_Hans"):`
makes `_()` and `ngettext()` answer in Chinese for the code inside it (and for threads started from
a copied context); outside any `speaking()`, the deployment's default (RAPPORT_LANGUAGE) is used.
"""

from __future__ import annotations

import gettext as _gettext
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE_DIR = Path(__file__).parents[1] / "locale"
DOMAIN = "rapport"
SOURCE_LANGUAGE = "en"

# What people and settings say, mapped to the catalog folder: Slack locales (zh-CN, en-US), the short
# forms RAPPORT_LANGUAGE and `/account set … language` accept, and Babel's own names.
_ALIASES = {
    "zh": "zh_Hans", "zh-cn": "zh_Hans", "zh_cn": "zh_Hans", "zh-hans": "zh_Hans", "zh_hans": "zh_Hans",
    "zh-sg": "zh_Hans", "zh_sg": "zh_Hans", "zh-hans-cn": "zh_Hans", "cn": "zh_Hans", "中文": "zh_Hans",
    "简体中文": "zh_Hans",
    # Traditional Chinese readers get Simplified rather than English until a zh_Hant catalog exists.
    "zh-tw": "zh_Hans", "zh_tw": "zh_Hans", "zh-hk": "zh_Hans", "zh_hk": "zh_Hans", "zh-hant": "zh_Hans",
    "english": "en", "英文": "en", "英语": "en",
}

_current: ContextVar[str | None] = ContextVar("rapport_language", default=None)
_cache: dict[tuple[Path, str], _gettext.NullTranslations] = {}
_cache_lock = threading.Lock()


class _Default:
    """The deployment's language (RAPPORT_LANGUAGE): what is spoken when nobody's language is known."""

    language: str = SOURCE_LANGUAGE


def available_languages() -> list[str]:
    """English (the source) and every language with a catalog folder, in a stable order."""
    return list(_languages_in(LOCALE_DIR))


@cache
def _languages_in(folder: Path) -> tuple[str, ...]:
    found = sorted(path.parents[1].name for path in folder.glob(f"*/LC_MESSAGES/{DOMAIN}.po"))
    return (SOURCE_LANGUAGE, *(language for language in found if language != SOURCE_LANGUAGE))


def normalize(code: str | None) -> str | None:
    """The catalog a language code means (`zh-CN`, `zh`, `en-US` → `zh_Hans`, `en`); None when none fits."""
    if not code:
        return None
    text = code.strip()
    known = available_languages()
    if text in known:
        return text
    lowered = text.lower().replace(" ", "")
    alias = _ALIASES.get(lowered)
    if alias is None:
        base = lowered.replace("_", "-").split("-")[0]
        alias = _ALIASES.get(base, base)
    by_lower = {language.lower(): language for language in known}
    return by_lower.get(alias.lower())


def language_of(code: str | None, fallback: str | None = None) -> str:
    """The catalog for a person's or an account's language code, else `fallback`'s, else the process default."""
    return normalize(code) or normalize(fallback) or _Default.language


def load_translations(language: str) -> _gettext.NullTranslations:
    """The catalog for `language`, compiled once per process; English source strings when there is none."""
    cached = _cache.get((LOCALE_DIR, language))  # a plain dict read: no lock on the hot path
    if cached is not None:
        return cached
    translations = _compile(language)
    with _cache_lock:
        return _cache.setdefault((LOCALE_DIR, language), translations)


def _compile(language: str) -> _gettext.NullTranslations:
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


def forget_catalogs() -> None:
    """Drop compiled catalogs (tests that swap LOCALE_DIR)."""
    with _cache_lock:
        _cache.clear()
    _languages_in.cache_clear()


def activate(language: str) -> None:
    """Make `language` the default: what is spoken outside any `speaking()` (RAPPORT_LANGUAGE)."""
    _Default.language = normalize(language) or SOURCE_LANGUAGE


def default_language() -> str:
    """The deployment's language."""
    return _Default.language


def current_language() -> str:
    """The language spoken here: the innermost `speaking()`, else the default."""
    return _current.get() or _Default.language


@contextmanager
def speaking(language: str | None, *, fallback: str | None = None) -> Iterator[str]:
    """Speak `language` (any code `normalize` knows; None: `fallback`, else the default) inside the block."""
    chosen = language_of(language, fallback)
    token = _current.set(chosen)
    try:
        yield chosen
    finally:
        _current.reset(token)


def speak(language: str | None, *, fallback: str | None = None) -> str:
    """Speak `language` from here on in this context (a request's thread sets it for each request it runs)."""
    chosen = language_of(language, fallback)
    _current.set(chosen)
    return chosen


def is_chinese(language: str | None = None) -> bool:
    """True when `language` (default: the one spoken here) is a Chinese one."""
    return (language or current_language()).lower().startswith("zh")


def _active() -> _gettext.NullTranslations:
    return load_translations(current_language())


def _(message: str) -> str:
    """Translate a message into the language spoken here."""
    return _active().gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    """Translate a message that depends on a count."""
    return _active().ngettext(singular, plural, count)
