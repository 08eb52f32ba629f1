"""The morning digest end to end: 09:00 in each manager's own zone, working days of the team's calendar only,
once per person per day whatever the ticks, a late tick still sends it, an all-clear on a quiet day, what it
says, `/rapport digest` (now, on, off).
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from bot.sandbox.world import World
from storage.platform.ledger import RunLedger
from tests.expect import ephemeral_to, full_text, posts_in, run
from tests.rhythm.steps import ALICE, BOB, CAROL, ERIN, SHARED, add_acme, at, audit_count, local, two_ticks_at_once

ALL_CLEAR = "All clear for"


@pytest.fixture
def team(database_url: str) -> Iterator[World]:
    """Three managers in three zones: alice in Shanghai, bob in London, carol in New York."""
    with World(database_url, start=datetime(2026, 11, 30, 0, 30, tzinfo=UTC),
               rapport_managers=[ALICE, BOB, CAROL]) as running:
        yield running


def digests(world: World, user: str) -> list[str]:
    """The digests a person got by DM (their texts)."""
    return [text for text in (full_text(m) for m in world.stand_in.dm_messages(user))
            if "Morning digest" in text or ALL_CLEAR in text]


def utc(month: int, day: int, hour: int, minute: int = 0, year: int = 2026) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def test_each_manager_gets_one_digest_at_nine_in_their_own_zone_whatever_the_ticks(team):
    world = team
    at(world, utc(11, 30, 0, 59))  # Mon 08:59 in Shanghai
    assert [digests(world, who) for who in (ALICE, BOB, CAROL)] == [[], [], []]
    two_ticks_at_once(world, utc(11, 30, 1))  # 09:00 in Shanghai
    assert [len(digests(world, who)) for who in (ALICE, BOB, CAROL)] == [1, 0, 0]
    at(world, utc(11, 30, 8, 59))
    assert len(digests(world, BOB)) == 0
    two_ticks_at_once(world, utc(11, 30, 9))  # 09:00 in London
    at(world, utc(11, 30, 9, 1))
    assert [len(digests(world, who)) for who in (ALICE, BOB, CAROL)] == [1, 1, 0]
    at(world, utc(11, 30, 13, 59))
    two_ticks_at_once(world, utc(11, 30, 14))  # 09:00 in New York
    for moment in (utc(11, 30, 14), utc(11, 30, 15), utc(11, 30, 16, 30)):
        at(world, moment)
    assert [len(digests(world, who)) for who in (ALICE, BOB, CAROL)] == [1, 1, 1]
    assert "Mon 30 Nov" in digests(world, CAROL)[0] and "Mon 30 Nov" in digests(world, ALICE)[0]
    # The next working day brings the next one, still once.
    two_ticks_at_once(world, utc(12, 1, 1))
    at(world, utc(12, 1, 1, 5))
    assert [len(digests(world, who)) for who in (ALICE, BOB, CAROL)] == [2, 1, 1]
    with world.services.db.session() as session:
        assert session.get(RunLedger, f"digest:{ALICE}:2026-12-01") is not None


def test_the_digest_skips_a_public_holiday_and_comes_on_a_make_up_working_saturday(world):
    world.clock.set(local(2, 13, 10))
    run(world, CAROL, "#general", "/rapport", "digest off")
    run(world, ALICE, "#general", "/rapport", "digest on")
    at(world, local(2, 13, 10, 5))  # Fri 13 Feb: alice's turned it on after 09:00, so it comes today
    assert len(digests(world, ALICE)) == 1
    at(world, local(2, 14, 9))  # Sat 14 Feb 2026: an official working day before the Spring Festival
    assert len(digests(world, ALICE)) == 2 and "Sat 14 Feb" in digests(world, ALICE)[-1]
    for day in range(15, 24):  # Sun 15 – Mon 23 Feb: the holiday
        at(world, local(2, day, 9, 30))
    assert len(digests(world, ALICE)) == 2
    at(world, local(2, 24, 9, 30))
    assert len(digests(world, ALICE)) == 3
    # "Since" reaches back to the previous working day's 09:00, across the holiday.
    assert "Sat 14 Feb 09:00 CST" in digests(world, ALICE)[-1]
    assert digests(world, CAROL) == []


def test_a_late_tick_still_sends_the_days_digest_once_and_an_early_one_nothing(world):
    run(world, CAROL, "#general", "/rapport", "digest off")
    run(world, ALICE, "#general", "/rapport", "digest on")
    at(world, local(11, 30, 8, 59))
    assert digests(world, ALICE) == []
    at(world, local(11, 30, 10, 30))  # Rapport was down at 09:00
    at(world, local(11, 30, 10, 31))
    at(world, local(11, 30, 17, 0))
    assert len(digests(world, ALICE)) == 1
    # A day whose first tick comes after business hours is dropped: the next one covers it.
    at(world, local(12, 1, 18, 30))
    assert len(digests(world, ALICE)) == 1
    at(world, local(12, 2, 9, 0))
    assert len(digests(world, ALICE)) == 2
    assert "Tue 1 Dec 09:00 CST" in digests(world, ALICE)[-1]


def test_a_quiet_day_gets_a_one_line_all_clear(sqlite_world):
    world = sqlite_world
    at(world, utc(11, 30, 14))  # Mon 30 Nov, 09:00 in New York
    [message] = world.stand_in.dm_messages(CAROL)
    assert len(message["blocks"]) == 1
    assert message["text"].startswith("☀️ All clear for Mon 30 Nov: nothing needs attention")


def test_the_digest_lists_breaches_under_needs_attention_and_survey_answers_since_yesterday(world):
    add_acme(world)  # owned by alice
    run(world, BOB, "#general", "/complaint", "Acme Corp: the portal is down !critical")
    message, _response = world.slack.say(ERIN, SHARED, "Thanks for the quick fix on the firewall rules")
    world.slack.message_shortcut(BOB, SHARED, "ask_for_feedback", message["ts"])
    world.stand_in.wait_for(lambda: world.stand_in.find_button("4 · Satisfied", SHARED))
    world.slack.click(ERIN, "4 · Satisfied", SHARED)
    world.stand_in.wait_for(lambda: "you rated 4/5" in full_text(posts_in(world, SHARED)[-1]))
    run(world, BOB, "#general", "/praise", "@alice calmed the customer down in minutes")
    at(world, local(11, 27, 11, 5))  # the hour to acknowledge is gone: breached
    at(world, utc(11, 27, 14))  # Fri 27 Nov, 09:00 in New York
    [digest] = digests(world, CAROL)
    attention = digest[digest.index("Needs attention"):digest.index("Today")]
    assert "SLA breached" in attention and "#1 Acme Corp" in attention and "the portal is down" in attention
    assert "not resolved by Fri 27 Nov 01:00 EST · —" in attention  # four business hours, nobody took it
    recent = digest[digest.index("Since Thu 26 Nov 09:00 EST"):]
    assert "New complaints* (1)" in recent
    assert "1 survey answer, CSAT 4.0 / 5" in recent
    assert "calmed the customer down" in recent
    assert "Morning digest — the team, Fri 27 Nov" in digest
    # Nothing of it reached the shared channel.
    assert not any("Morning digest" in full_text(m) for m in world.stand_in.messages(SHARED))


def test_an_owner_who_turns_the_digest_on_sees_their_own_accounts_and_a_low_score(world):
    add_acme(world)
    run(world, CAROL, "#general", "/account", "add Globex customer")
    reply = run(world, ALICE, "#general", "/rapport", "digest on")
    assert "You get the morning digest of the accounts you own at 09:00 your time" in reply
    assert "That was already so" in run(world, ALICE, "#general", "/rapport", "digest on")
    run(world, CAROL, "#general", "/complaint", "Globex: invoices are wrong !low")
    run(world, BOB, "#general", "/complaint", "Acme Corp: slow VPN !low")
    message, _response = world.slack.say(ERIN, SHARED, "The VPN help was confusing")
    world.slack.message_shortcut(BOB, SHARED, "ask_for_feedback", message["ts"])
    world.stand_in.wait_for(lambda: world.stand_in.find_button("2 · Dissatisfied", SHARED))
    world.slack.click(ERIN, "2 · Dissatisfied", SHARED)
    world.stand_in.wait_for(lambda: "you rated 2/5" in full_text(posts_in(world, SHARED)[-1]))
    at(world, local(11, 30, 9))  # Mon 30 Nov, 09:00 in Shanghai
    [digest] = digests(world, ALICE)
    assert "Morning digest — your accounts, Mon 30 Nov" in digest
    assert "Low survey scores" in digest and "2 · Dissatisfied from <@U0ERIN>" in digest
    assert "slow VPN" in digest and "invoices are wrong" not in digest
    assert audit_count(world, "digest.subscription") == 1


def test_rapport_digest_shows_my_digest_now_only_to_me(world):
    add_acme(world)
    run(world, BOB, "#general", "/complaint", "Acme Corp: the portal is down !high")
    reply = run(world, CAROL, "#general", "/rapport", "digest")
    assert "Morning digest — the team" in reply and "the portal is down" in reply
    assert posts_in(world, "#general") == [] and world.stand_in.dm_messages(CAROL) == []
    world.slack.command(ERIN, SHARED, "/rapport", "digest")
    assert "only available to the team" in full_text(ephemeral_to(world, ERIN)[-1])
    assert "Morning digest" not in "".join(full_text(m) for m in world.stand_in.messages(SHARED))


def test_a_manager_who_turns_the_digest_off_gets_none_and_a_bad_choice_is_explained(sqlite_world):
    world = sqlite_world
    reply = run(world, CAROL, "#general", "/rapport", "digest off")
    assert "The morning digest is off for you" in reply
    assert "`/rapport digest on`" in run(world, CAROL, "#general", "/rapport", "digest sometimes")
    at(world, utc(11, 30, 14))
    assert digests(world, CAROL) == []
    assert "whole team" in run(world, CAROL, "#general", "/rapport", "digest on")
    at(world, utc(12, 1, 14))
    assert len(digests(world, CAROL)) == 1
