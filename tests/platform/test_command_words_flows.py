"""Chinese command words end to end: each Chinese form gets the reply its English form gets."""

from __future__ import annotations

import re

from bot.sandbox.world import World
from tests.expect import last_ephemeral_text

ALICE = "U0ALICE"

# Read-only subcommands: the Chinese form and the English form get the same reply.
SAME_REPLY = [
    ("/praise", "帮助", "help"), ("/praise", "排行 本月", "top month"), ("/praise", "排行榜 本周", "top week"),
    ("/complaint", "帮助", "help"), ("/complaint", "列表", "list"), ("/complaint", "列表 我的", "list mine"),
    ("/complaint", "列表 超时 2", "list breached 2"),
    ("/account", "帮助", "help"), ("/account", "列表", "list"),
    ("/contact", "帮助", "help"), ("/contact", "久未联系", "cold"),
    ("/supplier", "帮助", "help"), ("/supplier", "列表", "list"),
    ("/meeting", "帮助", "help"), ("/meeting", "列表", "list"), ("/meeting", "列表 Acme Corp", "list Acme Corp"),
    ("/dispute", "帮助", "help"), ("/dispute", "列表 已解决", "list resolved"),
    ("/thirdparty", "帮助", "help"), ("/thirdparty", "请求列表", "requests"),
    ("/rapport", "帮助", "help"), ("/rapport", "配置", "config"), ("/rapport", "日报", "digest"),
]  # fmt: skip


def run(world: World, command: str, text: str, user: str = ALICE) -> str:
    """Send a command and return the reply it gets."""
    seen = len(world.stand_in.ephemerals(user=user))
    world.slack.command(user, "#general", command, text)
    # Block ids are random per message; the rest is what the person sees.
    return re.sub(r'"block_id": "[^"]*"', "", last_ephemeral_text(world, user, count=seen + 1))


def open_view(world: World, command: str, text: str, user: str = ALICE) -> str:
    """Send a command that opens a modal and return the modal's callback id."""
    opened = len(world.stand_in.views(user))
    world.slack.command(user, "#general", command, text)
    world.stand_in.wait_for(lambda: len(world.stand_in.views(user)) > opened)
    view = world.stand_in.current_view(user)
    assert view is not None
    return str(view.get("callback_id"))


def test_each_chinese_subcommand_gets_the_english_reply(sqlite_world: World) -> None:
    world = sqlite_world
    run(world, "/account", "add Acme Corp")
    for command, chinese, english in SAME_REPLY:
        assert run(world, command, chinese) == run(world, command, english), f"{command} {chinese}"


def test_chinese_subcommands_that_change_things(sqlite_world: World) -> None:
    world = sqlite_world
    assert "Beta Co" in run(world, "/account", "添加 Beta Co 供应商")
    assert run(world, "/account", "Beta Co") == run(world, "/account", "Beta Co")
    assert "supplier" in run(world, "/account", "Beta Co").lower()
    assert "7" in run(world, "/account", "设置 Beta Co 联系周期 7")
    assert "Net Co" in run(world, "/supplier", "添加 Net Co")
    assert "6" in run(world, "/supplier", "审核周期 Net Co 6")
    run(world, "/account", "add Acme Corp")
    scheduled = run(world, "/meeting", "Acme Corp: 周会 下周二 15:00")
    number = scheduled.split("#")[1].split()[0].strip("*`.,:)") if "#" in scheduled else "1"
    cancelled = run(world, "/meeting", f"取消 {number}")
    assert "ancel" in cancelled, cancelled
    assert run(world, "/rapport", "日报 关闭") == run(world, "/rapport", "digest off")


def test_chinese_subcommands_that_open_forms(sqlite_world: World) -> None:
    world = sqlite_world
    run(world, "/supplier", "add Net Co")
    run(world, "/account", "add AuditCo third-party auditor")
    run(world, "/account", "add Acme Corp")
    forms = [open_view(world, "/supplier", "评估 Net Co"), open_view(world, "/supplier", "审核 Net Co"),
             open_view(world, "/supplier", "合同 Net Co"), open_view(world, "/thirdparty", "协议 AuditCo"),
             open_view(world, "/account", "协议 Acme Corp")]
    english = [open_view(world, "/supplier", "evaluate Net Co"), open_view(world, "/supplier", "audit Net Co"),
               open_view(world, "/supplier", "contract Net Co"), open_view(world, "/thirdparty", "agree AuditCo"),
               open_view(world, "/account", "agreement Acme Corp")]
    assert forms == english


def test_a_meeting_booked_with_chinese_working_day_words(sqlite_world: World) -> None:
    world = sqlite_world
    run(world, "/account", "add Acme Corp")
    booked = run(world, "/meeting", "Acme Corp: 月度评审 下月第3个工作日 10:00")
    answered = run(world, "/meeting", "Acme Corp: 周会 下周二 14:00-15:00")
    assert "Thu 3 Dec 10:00" in booked  # working days 1, 2, 3 of December 2026 on the CN calendar
    assert "Tue 1 Dec 14:00" in answered or "12月1日（周二）14:00" in answered
    assert "start" in answered and "Scheduled" not in answered
    assert run(world, "/meeting", "list").count("周会") == 0
