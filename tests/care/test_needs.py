"""/need, Log need, a need's status buttons and its supplementary agreement's reminders, end to end."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.calendar.recurrence import Frequency, Period
from bot.care.needs_report import needs_report_section
from bot.report.model import Bullets, Figures, ReportScope, Table
from bot.sandbox.world import World
from storage.care.needs import AgreementStatus, Need, NeedStatus
from tests.expect import last_ephemeral_text, posts_in, run
from tests.rhythm.steps import ALICE, SHARED, add_acme, at, audit_count, dms, local, rows, two_ticks_at_once

ERIN, DAVE = "U0ERIN", "U0DAVE"  # Erin is Acme's guest (Slack Connect); Dave reads Slack in Chinese
REFUSED = "only available to the team"


def need(world: World) -> Need:
    [only] = rows(world, Need)
    return only


def press(world: World, user: str, action_id: str, value: str) -> None:
    """Press a button by its id, as Slack sends it (for a user who cannot see the message it is on)."""
    payload: dict[str, Any] = {
        "type": "block_actions", **world.slack._common(user), "trigger_id": world.stand_in.issue_trigger_id(user),
        "container": {"type": "message", "channel_id": "C0GENERAL", "message_ts": "1700000000.000100"},
        "channel": {"id": "C0GENERAL", "name": "general"},
        "message": {"ts": "1700000000.000100", "text": "", "blocks": []},
        "response_url": world.stand_in.issue_response_url(user=user, channel="C0GENERAL"),
        "actions": [{"type": "button", "action_id": action_id, "block_id": "b", "value": value,
                     "action_ts": "1700000001.000100"}]}
    assert world.slack._post_payload(payload).status == 200


def clicked(world: World, user: str, label: str) -> str:
    """Click the newest button with this label the user sees; the reply it gets."""
    seen = len(world.stand_in.ephemerals(user=user))
    world.slack.click(user, label)
    return last_ephemeral_text(world, user, count=seen + 1)


def test_a_need_is_logged_shown_and_moved_on_by_its_buttons_with_each_change_audited(world):
    add_acme(world)
    reply = run(world, ALICE, "#general", "/need", "Acme Corp: monthly reports in Chinese as well")
    assert "Logged need #1 for Acme Corp." in reply and "monthly reports in Chinese as well" in reply
    assert (need(world).status, need(world).owner_id) == (NeedStatus.HEARD, ALICE)
    shown = run(world, ALICE, "#general", "/need", "1")
    assert "Need #1 · Acme Corp" in shown and "*Status:* heard" in shown
    for label in ("Analysed", "Proposed", "Agreed", "Delivered", "Decline"):
        assert f'"text": "{label}"' in shown

    assert "Need #1: heard → analysed." in clicked(world, ALICE, "Analysed")
    assert "Need #1: analysed → agreed." in clicked(world, ALICE, "Agreed")
    assert "cannot become analysed" in run(world, ALICE, "#general", "/need", "1 analysed")  # no step back
    assert "Need #1: agreed → delivered." in run(world, ALICE, "#general", "/need", "#1 delivered")
    done = need(world)
    assert done.status == NeedStatus.DELIVERED and done.agreed_at is not None and done.delivered_at is not None
    assert '"type": "actions"' not in run(world, ALICE, "#general", "/need", "1")  # final: no buttons
    assert audit_count(world, "need.log") == 1 and audit_count(world, "need.status") == 3
    assert posts_in(world, SHARED) == []


def test_in_a_linked_channel_the_account_may_be_left_out_and_the_list_shows_open_needs(world):
    add_acme(world)
    assert "Which account?" in run(world, ALICE, "#general", "/need", "a weekly call")
    assert "Logged need #1 for Acme Corp." in run(world, ALICE, SHARED, "/need", "a weekly call with @erin")
    assert need(world).customer_id == ERIN  # the customer mentioned
    run(world, ALICE, "#general", "/need", "Acme Corp: VPN for the new office")
    listing = run(world, ALICE, "#general", "/need", "list Acme Corp")
    assert "Open needs of Acme Corp" in listing and "*#1* a weekly call" in listing and "*#2* VPN" in listing
    assert "No account called “Nope”" in run(world, ALICE, "#general", "/need", "list Nope")
    assert posts_in(world, SHARED) == []


def test_a_decline_asks_why_and_keeps_the_reason(world):
    add_acme(world)
    run(world, ALICE, "#general", "/need", "Acme Corp: a free second data centre")
    run(world, ALICE, "#general", "/need", "1")
    world.slack.click(ALICE, "Decline")
    world.stand_in.wait_for(lambda: world.stand_in.current_view(ALICE))
    world.slack.submit_view(ALICE, "need_declined", {"need_reason": " "}, check_required=False)
    assert "Say why it is declined" in world.stand_in.current_view(ALICE)["errors"]["need_reason"]
    assert need(world).status == NeedStatus.HEARD
    world.slack.submit_view(ALICE, "need_declined", {"need_reason": "out of scope for this contract"})
    world.stand_in.wait_for(lambda: "heard → declined" in last_ephemeral_text(world, ALICE))
    assert "*Declined because:* out of scope for this contract" in last_ephemeral_text(world, ALICE)
    assert (need(world).status, need(world).declined_reason) == (NeedStatus.DECLINED, "out of scope for this contract")


def test_an_external_user_can_neither_log_nor_move_a_need(world):
    add_acme(world)
    assert REFUSED in run(world, ERIN, SHARED, "/need", "Acme Corp: we want a discount")
    run(world, ALICE, "#general", "/need", "Acme Corp: a weekly call")
    assert REFUSED in run(world, ERIN, SHARED, "/need", "1 analysed")
    seen = len(world.stand_in.ephemerals(user=ERIN))
    press(world, ERIN, "need_status_analysed", "1")
    assert REFUSED in last_ephemeral_text(world, ERIN, count=seen + 1)
    press(world, ERIN, "need_agreement_signed", "1")
    assert REFUSED in last_ephemeral_text(world, ERIN, count=seen + 2)
    assert need(world).status == NeedStatus.HEARD and audit_count(world, "need.status") == 0
    assert len(rows(world, Need)) == 1


def test_log_need_keeps_the_customer_and_the_link_once(world):
    add_acme(world)
    said, _ = world.slack.say(ERIN, SHARED, "Could the monthly report come in Chinese too?")
    world.slack.message_shortcut(ALICE, SHARED, "log_need")
    view = world.stand_in.wait_for(lambda: world.stand_in.current_view(ALICE))
    assert view["callback_id"] == "need_new"
    assert view["blocks"][1]["element"]["initial_value"] == "Could the monthly report come in Chinese too?"
    world.slack.submit_view(ALICE, "need_new", {"need_text": "Monthly report in Chinese too"})
    world.stand_in.wait_for(lambda: "Logged need #1 for Acme Corp." in last_ephemeral_text(world, ALICE))
    logged = need(world)
    assert (logged.text, logged.customer_id) == ("Monthly report in Chinese too", ERIN)
    assert logged.permalink is not None and logged.permalink.endswith(f"p{said['ts'].replace('.', '')}")
    seen = len(world.stand_in.ephemerals(user=ALICE))
    world.slack.message_shortcut(ALICE, SHARED, "log_need", message_ts=said["ts"])
    assert "already need #1" in last_ephemeral_text(world, ALICE, count=seen + 1)
    assert len(rows(world, Need)) == 1 and [m["user"] for m in world.stand_in.messages(SHARED)] == [ERIN]


def test_a_supplementary_agreement_is_reminded_once_each_working_day_until_signed(world):
    add_acme(world)
    run(world, ALICE, "#general", "/need", "Acme Corp: 24x7 support for the trading floor")
    asked = run(world, ALICE, "#general", "/need", "1 agreement next wednesday")  # Wed 2 Dec, said on Fri 27 Nov
    assert "its supplementary agreement is to be signed by Wed 2 Dec 09:00 CST" in asked
    assert need(world).agreement_status == AgreementStatus.PENDING

    def reminders() -> list[str]:
        return dms(world, ALICE, "supplementary agreement of need #1")

    at(world, local(11, 30, 17, 0))
    assert reminders() == []
    at(world, local(12, 1, 9, 0))  # the working day before
    world.stand_in.wait_for(lambda: len(reminders()) == 1)
    assert "is to be signed by Wed 2 Dec 09:00 CST: 24x7 support" in reminders()[0]
    at(world, local(12, 1, 15, 0))
    at(world, local(12, 2, 9, 0))
    world.stand_in.wait_for(lambda: len(reminders()) == 2)
    assert "Due today" in reminders()[1]
    at(world, local(12, 2, 9, 30))
    at(world, local(12, 3, 9, 0))
    world.stand_in.wait_for(lambda: len(reminders()) == 3)
    assert "Overdue" in reminders()[2]
    for day in (5, 6):  # the weekend: nothing
        at(world, local(12, day, 10, 0))
    assert len(reminders()) == 3
    at(world, local(12, 7, 9, 0))
    world.stand_in.wait_for(lambda: len(reminders()) == 4)
    at(world, local(12, 7, 12, 0))
    assert len(reminders()) == 4 and audit_count(world, "need.agreement_remind") == 4

    assert "is signed; its reminders stop" in clicked(world, ALICE, "Signed")
    world.stand_in.wait_for(lambda: all("was signed by <@U0ALICE>" in text for text in reminders()))
    assert all('"Signed"' not in text for text in reminders())  # each reminder updated in place, without buttons
    seen = len(world.stand_in.ephemerals(user=ALICE))
    press(world, ALICE, "need_agreement_signed", "1")  # a second click, as on an old copy
    assert "is already signed" in last_ephemeral_text(world, ALICE, count=seen + 1)
    at(world, local(12, 8, 9, 0))
    assert len(reminders()) == 4
    assert need(world).agreement_status == AgreementStatus.SIGNED
    assert audit_count(world, "need.agreement_signed") == 1
    assert "*Supplementary agreement:* signed" in run(world, ALICE, "#general", "/need", "1")


def test_chinese_words_and_replies(world):
    world.stand_in.workspace.users[DAVE].locale = "zh-CN"
    add_acme(world)
    logged = run(world, DAVE, "#general", "/need", "Acme Corp：月报也要提供中文版")
    assert "已为 Acme Corp 记录需求 #1。" in logged
    assert "需求 #1：已听取 → 已分析。" in run(world, DAVE, "#general", "/need", "1 已分析")
    assert "未结需求\n• *#1* 月报也要提供中文版 · Acme Corp · 已分析" in run(world, DAVE, "#general", "/need", "列表")
    assert "补充协议须在" in run(world, DAVE, "#general", "/need", "1 补充协议 下周三")
    assert "补充协议已放弃" in run(world, DAVE, "#general", "/need", "1 放弃")
    assert "客户需求与补充协议" in run(world, DAVE, "#general", "/need", "帮助")
    assert need(world).agreement_status == AgreementStatus.DROPPED


def test_the_report_section_counts_needs_of_the_period_and_lists_pending_agreements(world):
    add_acme(world)
    for text in ("monthly reports in Chinese", "24x7 support", "a free data centre"):
        run(world, ALICE, "#general", "/need", f"Acme Corp: {text}")
    run(world, ALICE, "#general", "/need", "1 agreed")
    run(world, ALICE, "#general", "/need", "2 delivered")
    run(world, ALICE, "#general", "/need", "3 declined out of scope")
    run(world, ALICE, "#general", "/need", "1 agreement next wednesday")
    with world.services.db.session() as session:
        scope = ReportScope(account_id=rows(world, Need)[0].account_id,
                            period=Period(Frequency.MONTH, date(2026, 11, 1)), now=world.clock.now())
        section = needs_report_section(session, scope, world.services.settings)
        later = ReportScope(account_id=scope.account_id, period=Period(Frequency.MONTH, date(2027, 1, 1)),
                            now=world.clock.now())
        quiet = needs_report_section(session, later, world.services.settings)
    assert section is not None and section.key == "needs" and section.shareable
    figures, table, pending = section.blocks
    assert isinstance(figures, Figures) and isinstance(table, Table) and isinstance(pending, Bullets)
    assert [(f.label, f.value) for f in figures.items] == [
        ("Needs heard", "3"), ("Needs agreed", "2"), ("Needs delivered", "1"),
        ("Supplementary agreements to sign", "1")]
    assert table.rows == (("#1", "monthly reports in Chinese", "agreed"), ("#2", "24x7 support", "delivered"),
                          ("#3", "a free data centre", "declined"))
    assert pending.items == ("Need #1: a supplementary agreement to sign by 2 Dec 2026 — monthly reports in Chinese",)
    assert "out of scope" not in str(section)  # the reason for declining stays internal
    assert quiet is not None and isinstance(quiet.blocks[0], Figures)  # only the pending agreement is left
    assert [f.value for f in quiet.blocks[0].items] == ["0", "0", "0", "1"]


def test_the_cards_agreement_button_asks_for_the_date_and_two_ticks_at_once_remind_once(world):
    add_acme(world)
    run(world, ALICE, "#general", "/need", "Acme Corp: 24x7 support")
    run(world, ALICE, "#general", "/need", "1")
    world.slack.click(ALICE, "Supplementary agreement")
    world.stand_in.wait_for(lambda: world.stand_in.current_view(ALICE))
    world.slack.submit_view(ALICE, "need_agreement_date", {"need_agreement_when": "someday soon"})
    assert "need_agreement_when" in world.stand_in.current_view(ALICE)["errors"]
    assert need(world).agreement_status is None
    world.slack.submit_view(ALICE, "need_agreement_date", {"need_agreement_when": "next wednesday"})
    world.stand_in.wait_for(lambda: "to be signed by Wed 2 Dec 09:00 CST" in last_ephemeral_text(world, ALICE))
    assert '"Supplementary agreement"' not in run(world, ALICE, "#general", "/need", "1")  # asked for already

    two_ticks_at_once(world, local(12, 1, 9, 0))
    world.stand_in.wait_for(lambda: dms(world, ALICE, "supplementary agreement of need #1"))
    world.tick()
    assert len(dms(world, ALICE, "supplementary agreement of need #1")) == 1
    assert audit_count(world, "need.agreement_remind") == 1
