"""Every user-visible string goes through one catalog, so a new language is a catalog, not a rewrite."""

from __future__ import annotations

import re
import threading
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from bot.platform import formatting, i18n
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


ZH_PO = ROOT / "bot" / "locale" / "zh_Hans" / "LC_MESSAGES" / "rapport.po"
PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}")


def _forms(value: str | tuple[str, ...] | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def test_every_message_has_a_chinese_translation_keeping_its_placeholders():
    with POT.open("rb") as pot:
        template = read_po(pot)
    with ZH_PO.open("rb") as po:
        chinese = read_po(po, locale="zh_Hans")
    missing, broken = [], []
    for message in template:
        if not message.id:
            continue
        translated = chinese.get(message.id)
        forms = _forms(translated.string) if translated is not None and translated.string else []
        if not forms or not all(forms):
            missing.append(message.id)
            continue
        wanted = set(PLACEHOLDER.findall(_forms(message.id)[-1]))  # the plural's, when there is one
        for form in forms:
            if set(PLACEHOLDER.findall(form)) != wanted:
                broken.append(f"{_forms(message.id)[0]!r} -> {form!r}")
    assert not missing, f"{len(missing)} messages without a zh_Hans translation, e.g. {missing[:5]}"
    assert not broken, f"{len(broken)} translations drop or rename a placeholder, e.g. {broken[:5]}"


@pytest.mark.parametrize(("code", "language"), [
    ("zh", "zh_Hans"), ("zh_Hans", "zh_Hans"), ("zh-CN", "zh_Hans"), ("zh-TW", "zh_Hans"), ("ZH-cn", "zh_Hans"),
    ("en", "en"), ("en-US", "en"), ("en-GB", "en"), ("fr-FR", None), ("", None), (None, None),
])
def test_slack_locales_and_setting_codes_name_a_catalog(code, language):
    assert i18n.normalize(code) == language


def test_english_and_every_catalog_folder_are_available():
    assert i18n.available_languages()[0] == "en" and "zh_Hans" in i18n.available_languages()


def test_the_language_is_per_context_not_per_process():
    seen: dict[str, str] = {}

    def elsewhere() -> None:
        seen["thread"] = i18n._("Praise a colleague or a team")

    with i18n.speaking("zh-CN") as language:
        assert language == "zh_Hans" and i18n.current_language() == "zh_Hans"
        chinese = i18n._("Praise a colleague or a team")
        thread = threading.Thread(target=elsewhere)  # a new thread starts in the default language
        thread.start()
        thread.join()
        with i18n.speaking("en"):
            assert i18n._("Praise a colleague or a team") == "Praise a colleague or a team"
        assert i18n._("Praise a colleague or a team") == chinese
    assert re.search(r"[\u4e00-\u9fff]", chinese)
    assert seen["thread"] == "Praise a colleague or a team"
    assert i18n.current_language() == "en"


def test_catalogs_are_compiled_once_per_language():
    assert i18n.load_translations("zh_Hans") is i18n.load_translations("zh_Hans")


def test_dates_numbers_and_durations_follow_the_language_spoken():
    moment = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)
    shanghai = ZoneInfo("Asia/Shanghai")
    assert formatting.moment(moment, shanghai) == "Mon 7 Dec 10:00 CST"
    assert formatting.working_days(2) == "2 working days" and formatting.working_days(1) == "1 working day"
    assert formatting.duration(timedelta(hours=1, minutes=30)) == "1h30m"
    with i18n.speaking("zh"):
        assert formatting.moment(moment, shanghai) == "12月7日 周一 10:00 CST"
        assert formatting.working_days(2) == "2 个工作日"
        assert formatting.duration(timedelta(hours=1, minutes=30)) == "1小时30分钟"
        assert formatting.day(date(2027, 2, 27)) == "2027年2月27日 周六"
        assert formatting.number(1234567) == "1,234,567"
