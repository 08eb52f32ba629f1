"""Chinese command words: every alias in the tables reads as its English subcommand, and nothing else changes."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from babel.messages.pofile import read_po, write_po

from bot.care.complaint_commands import ListComplaints, ShowHelp, parse_complaint_command
from bot.care.contacts import ContactHelp, ShowColdAccounts, parse_contact_command
from bot.care.praise import Period, PraiseHelp, PraiseLeaderboard, parse_praise_command
from bot.platform import i18n
from bot.platform.command_words import COMMAND_WORDS, aliases, to_english
from bot.rhythm.commands import CancelMeeting, ListMeetings, ReportSubmitted, read_meeting_command
from handlers.blocks.platform.help import build_help, chinese_words
from handlers.ids import Command
from storage.care.complaints import ComplaintFilter

ROOT = Path(__file__).resolve().parents[2]

EVERY_VERB = [(command, english, chinese) for command, words in COMMAND_WORDS.items()
              for english, aliases_ in words.verbs.items() for chinese in aliases_]
EVERY_OPTION = [(command, verb, english, chinese) for command, words in COMMAND_WORDS.items()
                for verb, options in words.options.items() for english, aliases_ in options.items()
                for chinese in aliases_]
# The subcommands each grammar knows (bot/<domain>/commands*, handlers/commands): each needs a Chinese form.
KNOWN_VERBS = {
    "/praise": {"help", "top"},
    "/account": {"help", "add", "link", "list", "set", "agreement", "stakeholder"},
    "/contact": {"help", "cold"},
    "/complaint": {"help", "list"},
    "/supplier": {"help", "add", "evaluate", "audit", "contract", "list", "schedule", "change", "subcontractor"},
    "/meeting": {"help", "list", "cancel", "report"},
    "/dispute": {"help", "list", "coordinate"},
    "/thirdparty": {"help", "agree", "share", "request", "requests", "done", "evaluate", "review"},
    "/rapport": {"help", "digest", "config", "report", "risks"},
    "/survey": {"help", "new", "list", "results", "record"},
    "/service": {"help", "propose", "done"},
    "/need": {"help", "list"},
}


def test_every_command_in_the_manifest_has_a_table_with_every_subcommand() -> None:
    manifest = yaml.safe_load((ROOT / "app.yaml").read_text())
    commands = {entry["command"] for entry in manifest["features"]["slash_commands"]}
    assert commands == set(COMMAND_WORDS) == set(KNOWN_VERBS)
    for command, verbs in KNOWN_VERBS.items():
        assert set(COMMAND_WORDS[command].verbs) == verbs, command
        assert all(COMMAND_WORDS[command].verbs.values()), command


def test_no_chinese_word_means_two_things_in_one_place() -> None:
    for command, words in COMMAND_WORDS.items():
        verbs = [alias for chinese in words.verbs.values() for alias in chinese]
        assert len(verbs) == len(set(verbs)), command
        for verb, options in words.options.items():
            words_ = [alias for chinese in options.values() for alias in chinese]
            assert len(words_) == len(set(words_)), (command, verb)


@pytest.mark.parametrize(("command", "english", "chinese"), EVERY_VERB)
def test_each_chinese_subcommand_reads_as_the_english_one(command: str, english: str, chinese: str) -> None:
    assert to_english(command, chinese) == english
    assert to_english(command, f"{chinese} 2") == f"{english} 2"
    assert to_english(command, f"　{chinese}　Acme Corp ") == f"{english} Acme Corp"  # full-width spaces


@pytest.mark.parametrize(("command", "verb", "english", "chinese"), EVERY_OPTION)
def test_each_chinese_option_reads_as_the_english_one(command: str, verb: str, english: str, chinese: str) -> None:
    verb_word = COMMAND_WORDS[command].verbs[verb][0]
    assert to_english(command, f"{verb_word} Acme {chinese}") == f"{verb} Acme {english}"


@pytest.mark.parametrize(
    ("command", "text"),
    [("/complaint", "列表页打不开，客户很着急"), ("/complaint", "Acme: 列表 页面报错"), ("/praise", "@bob 排行 第一"),
     ("/meeting", "列表: 周会 下周二 15:00"), ("/contact", "Acme: 帮助客户排查了 VPN"), ("/complaint", "12"),
     ("/praise", "@bob 本月 最佳"), ("/unknown", "帮助"), ("/complaint", "")],
)  # fmt: skip
def test_free_text_and_account_names_are_left_alone(command: str, text: str) -> None:
    assert to_english(command, text) == text


def test_options_are_read_only_after_a_subcommand_that_has_them() -> None:
    assert to_english("/complaint", "列表 我的") == "list mine"
    assert to_english("/meeting", "取消 本月") == "cancel 本月"
    assert to_english("/account", "设置 Acme Corp 负责人 @dave") == "set Acme Corp owner @dave"
    assert to_english("/account", "设置 Acme Corp 满意度调查 私信") == "set Acme Corp surveys dm"


@pytest.mark.parametrize(("command", "text", "english"),
                         [("/meeting", "取消3", "cancel 3"), ("/meeting", "取消#3", "cancel #3"),
                          ("/praise", "排行本月", "top month"), ("/complaint", "列表超时", "list breached")])
def test_a_subcommand_glued_to_a_number_or_option_is_read(command: str, text: str, english: str) -> None:
    assert to_english(command, text) == english


def test_the_grammars_read_the_chinese_forms_as_the_english_ones() -> None:
    assert parse_praise_command(to_english("/praise", "排行 本月")) == PraiseLeaderboard(Period.MONTH)
    assert parse_praise_command(to_english("/praise", "排行榜 本季度")) == PraiseLeaderboard(Period.QUARTER)
    assert parse_praise_command(to_english("/praise", "帮助")) == PraiseHelp()
    assert parse_complaint_command(to_english("/complaint", "列表")) == ListComplaints(ComplaintFilter.OPEN, 1)
    breached = ListComplaints(ComplaintFilter.BREACHED, 2)
    assert parse_complaint_command(to_english("/complaint", "列表 超时 2")) == breached
    assert parse_complaint_command(to_english("/complaint", "帮助")) == ShowHelp()
    assert read_meeting_command(to_english("/meeting", "取消 3")) == CancelMeeting(3)
    assert read_meeting_command(to_english("/meeting", "列表 Acme Corp")) == ListMeetings("Acme Corp")
    assert read_meeting_command(to_english("/meeting", "报告 Acme Corp 已提交")) == ReportSubmitted("Acme Corp")
    assert parse_contact_command(to_english("/contact", "帮助")) == ContactHelp()
    assert parse_contact_command(to_english("/contact", "久未联系 2")) == ShowColdAccounts(2)


def test_help_lists_each_word_once_subcommands_first() -> None:
    listed = aliases("/account")
    assert listed[0] == ("help", ("帮助", "说明"), True)
    assert [english for english, _, verb in listed if verb] == ["help", "add", "link", "list", "set", "agreement",
                                                             "stakeholder"]
    assert ("owner", ("负责人",), False) in listed
    assert len({english for english, _, _ in listed}) == len(listed)
    assert aliases("/nothing") == []
    assert all(re.search(r"[\u4e00-\u9fff]", alias) for _, chinese, _ in listed for alias in chinese)


@pytest.fixture
def chinese(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A zh_Hans catalog with no translations yet: the language is Chinese, the messages still English."""
    with (ROOT / "bot" / "locale" / "rapport.pot").open("rb") as pot:
        catalog = read_po(pot, locale="zh_Hans")
    folder = tmp_path / "zh_Hans" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    with (folder / "rapport.po").open("wb") as po:
        write_po(po, catalog)
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    i18n.activate("zh_Hans")
    yield
    i18n.activate("en")


@pytest.mark.parametrize("command", list(Command))
def test_help_in_chinese_lists_every_chinese_word_of_the_command(chinese: None, command: Command) -> None:
    text, blocks = build_help(command)
    for english, words, is_verb in aliases(command):
        for word in words:
            assert (f"`{command} {word}`" if is_verb else f"`{word}`") in text, word
        assert f"`{command} {english}`" in text if is_verb else f"= `{english}`" in text
    assert chinese_words(command) in text and len(blocks) == 3


@pytest.mark.parametrize("command", list(Command))
def test_help_in_english_has_no_chinese_words(command: Command) -> None:
    i18n.activate("en")
    text, blocks = build_help(command)
    assert "帮助" not in text and len(blocks) == 2


def test_the_rest_of_the_text_keeps_its_lines_and_spacing() -> None:
    text = "请求 AuditCo: Q3 restore evidence\nincluding  the logs by 下个工作日"
    assert to_english("/thirdparty", text) == "request AuditCo: Q3 restore evidence\nincluding  the logs by 下个工作日"
    assert to_english("/complaint", "列表  我的\n2") == "list  mine\n2"
