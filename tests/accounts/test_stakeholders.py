"""Stakeholders (干系人) on `/account`: who matters, the one executive sponsor, when each was last met, and the
digest's warning when the sponsor has not been met within the cadence (once per lapse)."""

from __future__ import annotations

from datetime import UTC, date, timedelta

from bot.accounts.stakeholders import sponsors_not_met
from bot.accounts.stakeholders_report import stakeholders_report_section
from bot.calendar.recurrence import Frequency, Period
from bot.report.model import Bullets, Paragraph, ReportScope, Table
from storage.accounts.stakeholders import Stakeholder
from tests.expect import full_text, posts_in, run
from tests.rhythm.steps import ALICE, CAROL, SHARED, add_acme, at, audit_count, local, rows

ERIN = "U0ERIN"
REFUSED = "only available to the team"


def stakeholder(world, name: str) -> Stakeholder:
    return next(s for s in rows(world, Stakeholder) if s.name == name)


def morning_digests(world, user: str) -> list[str]:
    return [text for text in (full_text(m) for m in world.stand_in.dm_messages(user))
            if "Morning digest" in text or "All clear" in text]


def test_stakeholders_are_added_changed_and_shown_on_the_account_view_with_one_sponsor(world):
    add_acme(world)
    added = run(world, ALICE, "#general", "/account",
                "stakeholder Acme Corp: Wang Li role CIO influence high stance supporter sponsor")
    assert "Added *Wang Li* to the stakeholders of Acme Corp." in added
    run(world, ALICE, "#general", "/account", "stakeholder Acme Corp: <@U0ERIN|erin> role IT manager stance critic")
    assert (stakeholder(world, "erin").user_id, stakeholder(world, "erin").stance) == (ERIN, "critic")
    moved = run(world, ALICE, "#general", "/account", "stakeholder Acme Corp: erin sponsor")
    assert "They are now its executive sponsor, instead of Wang Li." in moved
    assert [s.name for s in rows(world, Stakeholder) if s.sponsor] == ["erin"]  # at most one per account

    view = run(world, ALICE, "#general", "/account", "Acme Corp")
    assert "*Stakeholders:*" in view
    assert "• ⭐ *erin* (<@U0ERIN>) — IT manager · medium influence · critic · executive sponsor · not met yet" in view
    assert "• *Wang Li* — CIO · high influence · supporter · not met yet" in view
    assert audit_count(world, "stakeholder.add") == 2 and audit_count(world, "stakeholder.change") == 1

    refused = run(world, ALICE, "#general", "/account", "stakeholder Acme Corp: Zhao role CTO influence huge")
    assert "“huge” is not one of high, medium, low." in refused
    assert "Say their role too" in run(world, ALICE, "#general", "/account", "stakeholder Acme Corp: Zhao")
    assert len(rows(world, Stakeholder)) == 2
    assert "Removed *Wang Li*" in run(world, ALICE, "#general", "/account", "stakeholder Acme Corp: wang li remove")
    assert [s.name for s in rows(world, Stakeholder)] == ["erin"]
    assert REFUSED in run(world, ERIN, SHARED, "/account", "stakeholder Acme Corp: erin role boss")
    assert posts_in(world, SHARED) == []


def test_a_contact_or_a_meeting_naming_them_and_met_set_when_they_were_last_met(world):
    add_acme(world)
    run(world, ALICE, "#general", "/account", "stakeholder Acme Corp: Wang Li role CIO sponsor")
    run(world, ALICE, "#general", "/account", "stakeholder Acme Corp: <@U0ERIN|erin> role IT manager")
    run(world, ALICE, "#general", "/contact", "Acme Corp: lunch with Wang Li about the renewal")
    assert stakeholder(world, "Wang Li").last_met_at == world.clock.now()
    assert stakeholder(world, "erin").last_met_at is None
    run(world, ALICE, "#general", "/contact", "Acme Corp: call with <@U0ERIN|erin>")
    assert stakeholder(world, "erin").last_met_at == world.clock.now()
    assert "last met today" in run(world, ALICE, "#general", "/account", "stakeholder Acme Corp")

    run(world, ALICE, "#general", "/meeting", "Acme Corp: Steering with Wang Li next tuesday 3pm")
    at(world, local(11, 30, 15))
    world.clock.set(local(12, 1, 16))
    world.slack.click(ALICE, "Done", ALICE)
    world.stand_in.wait_for(lambda: world.stand_in.current_view(ALICE))
    world.slack.submit_view(ALICE, "meeting_minutes", {"minutes_notes": "Agreed the renewal."})
    world.stand_in.wait_for(lambda: stakeholder(world, "Wang Li").last_met_at == local(12, 1, 15).astimezone(UTC))

    set_back = run(world, ALICE, "#general", "/account", "stakeholder Acme Corp: erin met 2026-11-20")
    assert "last met 11 days ago (Fri 20 Nov)" in set_back
    assert "still to come" in run(world, ALICE, "#general", "/account", "stakeholder Acme Corp: erin met 2027-01-05")


def test_the_digest_warns_once_when_the_sponsor_is_not_met_within_the_cadence(world):
    add_acme(world)
    run(world, CAROL, "#general", "/rapport", "digest off")
    run(world, ALICE, "#general", "/rapport", "digest on")
    run(world, ALICE, "#general", "/account", "stakeholder Acme Corp: Wang Li role CIO sponsor met 2026-08-31")
    with world.services.db.session() as session:
        assert sponsors_not_met(session, now=world.clock.now()) == []

    at(world, local(11, 30, 9))  # Monday: 90 days (no agreement) after 31 Aug have passed
    warned = world.stand_in.wait_for(lambda: morning_digests(world, ALICE))[-1]
    assert "Executive sponsors not met within cadence" in warned
    assert "• Acme Corp — executive sponsor Wang Li, last met Mon 31 Aug (cadence 90 days) · <@U0ALICE>" in warned
    with world.services.db.session() as session:
        [lapse] = sponsors_not_met(session, now=local(11, 30, 9).astimezone(UTC))
        assert (lapse.account, lapse.cadence_days) == ("Acme Corp", 90)

    at(world, local(12, 1, 9))
    world.stand_in.wait_for(lambda: len(morning_digests(world, ALICE)) == 2)
    assert "Executive sponsors not met" not in morning_digests(world, ALICE)[-1]  # once per lapse

    run(world, ALICE, "#general", "/contact", "Acme Corp: dinner with Wang Li")  # met: the lapse is over
    world.clock.set(local(12, 1, 12) + timedelta(days=90))
    with world.services.db.session() as session:
        assert [lapse.account for lapse in sponsors_not_met(session, now=world.clock.now())] == ["Acme Corp"]


def test_the_report_section_says_who_was_met_and_stays_internal(world):
    add_acme(world)
    run(world, ALICE, "#general", "/account", "stakeholder Acme Corp: Wang Li role CIO sponsor met 2026-11-20")
    run(world, ALICE, "#general", "/account", "stakeholder Acme Corp: Zhao Min role CFO met 2026-10-02")
    with world.services.db.session() as session:
        account_id = rows(world, Stakeholder)[0].account_id
        scope = ReportScope(account_id=account_id, period=Period(Frequency.MONTH, date(2026, 11, 1)),
                            now=world.clock.now())
        section = stakeholders_report_section(session, scope, world.services.settings)
    assert section is not None and section.key == "stakeholders" and not section.shareable
    table, met, sponsor = section.blocks
    assert isinstance(table, Table) and isinstance(met, Paragraph) and isinstance(sponsor, Bullets)
    assert table.rows == (("Wang Li ★", "CIO", "20 Nov 2026", "yes"), ("Zhao Min", "CFO", "2 Oct 2026", "no"))
    assert met.text == "Met in the period: Wang Li."
    assert sponsor.items == ("Executive sponsor Wang Li: last met 20 Nov 2026; expected every 90 days — within the "
                             "cadence.",)


def test_chinese_stakeholder_words(world):
    world.stand_in.workspace.users["U0DAVE"].locale = "zh-CN"
    add_acme(world)
    added = run(world, "U0DAVE", "#general", "/account",
                "干系人 Acme Corp：王总 角色 CIO 影响力 高 态度 支持 高层 见面 3天前")
    assert "已将 *王总* 加入 Acme Corp 的干系人。" in added
    assert "客户高层" in added and "影响力高" in added and "支持者" in added
    [wang] = rows(world, Stakeholder)
    assert (wang.influence, wang.stance, wang.sponsor) == ("high", "supporter", True)
    assert "Acme Corp 的干系人" in run(world, "U0DAVE", "#general", "/account", "干系人 Acme Corp")
