"""Each person reads Rapport in their own Slack language; a channel in its account's; the rest in the default.

Dave's Slack is set to Chinese (zh-CN), Alice's to English (en-US): one flow per area, end to end over
signed HTTP with the stand-in, and the replies each gets are in their own language.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest

from bot.sandbox.world import World
from storage.accounts import get_account_by_name
from tests.care.test_surveys import resolve_complaint
from tests.conftest import WORLD_START
from tests.databases import fresh_sqlite_url
from tests.expect import full_text, last_ephemeral_text, posts_in

CJK = re.compile(r"[\u4e00-\u9fff]")
ZH, EN = "U0DAVE", "U0ALICE"


def chinese(text: str) -> bool:
    return bool(CJK.search(text))


@pytest.fixture
def world(sqlite_template, tmp_path) -> Iterator[World]:
    """The demo workspace with Dave reading Slack in Chinese (SQLite: this is about Slack, not storage)."""
    with World(fresh_sqlite_url(sqlite_template, tmp_path), start=WORLD_START) as running:
        running.stand_in.workspace.users[ZH].locale = "zh-CN"
        yield running


def run(world: World, user: str, command: str, text: str, channel: str = "#general") -> str:
    seen = len(world.stand_in.ephemerals(user=user))
    world.slack.command(user, channel, command, text)
    return last_ephemeral_text(world, user, count=seen + 1)


def both(world: World, command: str, zh_text: str, en_text: str | None = None) -> tuple[str, str]:
    """The replies Dave (Chinese) and Alice (English) get to the same command."""
    return run(world, ZH, command, zh_text), run(world, EN, command, en_text or zh_text)


def add_acme(world: World) -> None:
    run(world, EN, "/account", "add Acme Corp customer")
    run(world, EN, "/account", "link Acme Corp", channel="#acme-shared")


def test_praise_replies_speak_each_givers_language(world):
    zh, en = both(world, "/praise", "@bob fixed the VPN in ten minutes")
    assert chinese(zh) and "<#C0KUDOS>" in zh
    assert not chinese(en) and "published in <#C0KUDOS>" in en
    # The kudos channel belongs to no account: the cards are in the workspace's language.
    assert len(posts_in(world, "C0KUDOS")) == 2
    assert not any(chinese(full_text(card).replace("fixed the VPN", "")) for card in posts_in(world, "C0KUDOS"))


def test_complaint_replies_speak_each_persons_language(world):
    add_acme(world)
    zh, en = both(world, "/complaint", "Acme Corp: the VPN drops every hour !high")
    assert chinese(zh) and not chinese(en)
    zh_list, en_list = both(world, "/complaint", "list")
    assert chinese(zh_list) and not chinese(en_list)


def test_a_customers_survey_card_speaks_the_accounts_language(world):
    add_acme(world)
    reply = run(world, ZH, "/account", "set Acme Corp language zh")
    assert chinese(reply)
    resolve_complaint(world)
    world.advance(timedelta(hours=2))
    [card] = posts_in(world, "#acme-shared")
    assert chinese(full_text(card)) and "<@U0ERIN>" in full_text(card)


def test_a_survey_card_speaks_english_for_an_english_account(world):
    add_acme(world)
    resolve_complaint(world)
    world.advance(timedelta(hours=2))
    [card] = posts_in(world, "#acme-shared")
    assert not chinese(full_text(card)) and "How did we do?" in full_text(card)


def test_meeting_replies_and_reminders_speak_each_persons_language(world):
    add_acme(world)
    zh = run(world, ZH, "/meeting", "Acme Corp: Weekly sync with @alice every tuesday 15:00")
    en = run(world, EN, "/meeting", "Acme Corp: Monthly review with @dave every monday 10:00")
    assert chinese(zh) and "周二" in zh
    assert not chinese(en) and "Mon" in en
    world.travel(world.now() + timedelta(days=6))
    zh_dms = [full_text(message) for message in world.stand_in.dm_messages(ZH)]
    en_dms = [full_text(message) for message in world.stand_in.dm_messages(EN)]
    assert zh_dms and all(chinese(text) for text in zh_dms)
    assert en_dms and not any(chinese(text.replace("Weekly sync", "")) for text in en_dms)


def test_supplier_replies_speak_each_persons_language(world):
    zh = run(world, ZH, "/supplier", "add Net Co")
    en = run(world, EN, "/supplier", "add Data Co")
    assert chinese(zh) and not chinese(en)
    zh_list, en_list = both(world, "/supplier", "list")
    assert chinese(zh_list) and not chinese(en_list)


def test_app_home_speaks_the_openers_language(world):
    for user in (ZH, EN):
        world.slack.app_home_opened(user)
    zh_home = world.stand_in.wait_for(lambda: world.stand_in.home(ZH))
    en_home = world.stand_in.wait_for(lambda: world.stand_in.home(EN))
    assert chinese(full_text(zh_home)) and not chinese(full_text(en_home))


def test_a_channel_speaks_its_accounts_language_and_can_be_switched_back(world):
    add_acme(world)
    run(world, EN, "/account", "set Acme Corp language zh")
    with world.services.db.session() as session:
        account = get_account_by_name(session, name="Acme Corp")
        assert account is not None and account.language == "zh_Hans"
    reply = run(world, EN, "/account", "set Acme Corp language default")
    assert "default" in reply and not chinese(reply)
    with world.services.db.session() as session:
        account = get_account_by_name(session, name="Acme Corp")
        assert account is not None and account.language is None


def test_an_unknown_account_language_is_refused_naming_those_available(world):
    add_acme(world)
    reply = run(world, EN, "/account", "set Acme Corp language klingon")
    assert "klingon" in reply and "en" in reply and "zh" in reply
    with world.services.db.session() as session:
        account = get_account_by_name(session, name="Acme Corp")
        assert account is not None and account.language is None


def test_a_chinese_users_language_is_asked_of_slack_once_a_day(world):
    for n in range(3):
        run(world, ZH, "/praise", f"@bob thanks #{n}")
    looked_up = [call["params"].get("user") for call in world.stand_in.calls("users.info")]
    assert looked_up.count(ZH) == 1 and len(looked_up) == len(set(looked_up))
    world.clock.advance(timedelta(days=1, minutes=1))
    run(world, ZH, "/praise", "@bob a new day")
    assert [call["params"].get("user") for call in world.stand_in.calls("users.info")].count(ZH) == 2


def test_user_change_refreshes_a_persons_language(world):
    assert not chinese(run(world, EN, "/praise", "@bob thanks"))
    profile: dict[str, Any] = {**world.stand_in.workspace.users[EN].to_slack(), "locale": "zh-CN"}
    world.slack.event({"type": "user_change", "user": profile})
    world.wait_until_idle()
    assert chinese(run(world, EN, "/praise", "@bob 谢谢"))


def test_a_long_chinese_praise_stays_within_block_kit_limits_counted_in_characters(world):
    reason = "凌晨两点修好了核心交换机，客户业务零中断。" * 150  # 3,150 characters, 9,450 bytes
    reply = run(world, ZH, "/praise", f"@bob {reason}")
    assert chinese(reply)
    [card] = posts_in(world, "C0KUDOS")
    texts = [block["text"]["text"] for block in card["blocks"] if block.get("type") == "section"]
    assert texts and all(len(text) <= 3000 for text in texts)
    assert any(len(text.encode()) > 3000 for text in texts)  # a byte count would have refused it


def test_someone_whose_slack_language_has_no_catalog_reads_the_workspace_default(sqlite_template, tmp_path):
    from bot.platform import i18n

    before = i18n.default_language()
    with World(fresh_sqlite_url(sqlite_template, tmp_path), start=WORLD_START, rapport_language="zh") as world:
        world.stand_in.workspace.users[ZH].locale = "fr-FR"
        assert chinese(run(world, ZH, "/praise", "@bob merci"))  # French has no catalog: the workspace's Chinese
        assert not chinese(run(world, EN, "/praise", "@bob thanks"))  # Alice's Slack is English
        [first, _second] = posts_in(world, "C0KUDOS")
        assert chinese(full_text(first))  # the kudos channel belongs to no account: the workspace's language
    assert i18n.default_language() == before


def test_a_chinese_repeating_rule_is_read_stored_and_described_in_each_readers_language(world):
    add_acme(world)
    zh = run(world, ZH, "/meeting", "Acme Corp: 月度服务报告 每月最后一个工作日 下午4点")
    assert "每月最后一个工作日 16:00" in zh
    # From Friday 27 Nov 2026, by hand: Mon 30 Nov, Thu 31 Dec, Fri 29 Jan 2027 (the 30th and 31st a weekend).
    assert [day for day in ("11月30日", "12月31日", "1月29日") if day in zh] == ["11月30日", "12月31日", "1月29日"], zh
    # Stored in canonical English, read back for each reader in their own language.
    en = run(world, EN, "/meeting", "list")
    assert "on the last working day of every month at 16:00" in en and "月度服务报告" in en
    assert "每月最后一个工作日 16:00" in run(world, ZH, "/meeting", "list")
