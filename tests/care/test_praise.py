"""/praise and the Log praise shortcut, end to end over signed HTTP with the Slack stand-in."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import select

from bot.sandbox.world import World
from storage.care.praise import Praise
from tests.expect import ephemeral_to, full_text, last_ephemeral_text, posts_in


def praise_rows(world: World) -> int:
    with world.services.db.session() as session:
        return session.exec(select(func.count()).select_from(Praise)).one()


def test_praise_is_published_once_and_the_giver_gets_a_link(world):
    response = world.slack.command("U0ALICE", "#general", "/praise", "@bob fixed the VPN in ten minutes")
    assert response.status == 200 and response.acked_in_time
    reply = last_ephemeral_text(world, "U0ALICE")
    cards = posts_in(world, "C0KUDOS")
    assert len(cards) == 1
    card = full_text(cards[0])
    assert "<@U0BOB>" in card and "<@U0ALICE>" in card and "fixed the VPN in ten minutes" in card
    assert "published in <#C0KUDOS>" in reply and "https://rapport-demo.slack.com/archives/C0KUDOS/p" in reply
    assert posts_in(world, "C0GENERAL") == []
    world.tick()
    assert len(posts_in(world, "C0KUDOS")) == 1


def test_several_people_and_a_user_group_are_praised_in_one_card(sqlite_world):
    world = sqlite_world
    world.slack.command("U0ALICE", "#general", "/praise", "@bob @dave @netops kept the network up all weekend")
    ephemeral_to(world, "U0ALICE")
    card = full_text(posts_in(world, "C0KUDOS")[0])
    assert "<@U0BOB>" in card and "<@U0DAVE>" in card and "@netops" in card
    assert "<!subteam" not in card


def test_praise_without_a_mention_is_refused_with_an_example(sqlite_world):
    world = sqlite_world
    world.slack.command("U0ALICE", "#general", "/praise", "great job everyone")
    reply = last_ephemeral_text(world, "U0ALICE")
    assert "Mention them first" in reply and "/praise @alice" in reply
    assert posts_in(world, "C0KUDOS") == [] and praise_rows(world) == 0


def test_self_praise_is_refused(world):
    world.slack.command("U0ALICE", "#general", "/praise", "@alice @bob we did it")
    assert "can't praise yourself" in last_ephemeral_text(world, "U0ALICE")
    assert posts_in(world, "C0KUDOS") == [] and praise_rows(world) == 0


def test_praise_without_a_reason_is_refused(sqlite_world):
    world = sqlite_world
    world.slack.command("U0ALICE", "#general", "/praise", "@bob")
    assert "Say what they did" in last_ephemeral_text(world, "U0ALICE")
    assert praise_rows(world) == 0


def test_the_daily_allowance_is_enforced(database_url):
    from tests.conftest import WORLD_START

    with World(database_url, start=WORLD_START, rapport_praise_daily_limit=2) as world:
        for n in range(3):
            world.slack.command("U0ALICE", "#general", "/praise", f"@bob thanks #{n}")
            ephemeral_to(world, "U0ALICE", count=n + 1)
        assert "daily allowance" in last_ephemeral_text(world, "U0ALICE", count=3)
        assert len(posts_in(world, "C0KUDOS")) == 2 and praise_rows(world) == 2
        world.clock.advance(__import__("datetime").timedelta(days=1))
        world.slack.command("U0ALICE", "#general", "/praise", "@bob a new day")
        ephemeral_to(world, "U0ALICE", count=4)
        assert len(posts_in(world, "C0KUDOS")) == 3


def test_an_external_user_is_refused_politely_and_nothing_is_published(world):
    response = world.slack.command("U0ERIN", "#acme-shared", "/praise", "@bob thanks a lot")
    assert response.status == 200 and response.acked_in_time
    reply = last_ephemeral_text(world, "U0ERIN")
    assert "only available to the team" in reply
    assert posts_in(world, "C0KUDOS") == [] and praise_rows(world) == 0


def test_republished_text_cannot_ping_anyone_en_masse(sqlite_world):
    world = sqlite_world
    world.slack.command("U0ALICE", "#general", "/praise", "@bob saved us @channel @here @everyone and @netops")
    ephemeral_to(world, "U0ALICE")
    card = full_text(posts_in(world, "C0KUDOS")[0])
    for ping in ("<!channel>", "<!here>", "<!everyone>", "<!subteam"):
        assert ping not in card
    assert "channel" in card and "netops" in card


def test_long_text_is_cut_to_block_kit_limits_with_an_ellipsis(sqlite_world):
    world = sqlite_world
    world.slack.command("U0ALICE", "#general", "/praise", "@bob " + "stayed late to fix it. " * 400)
    ephemeral_to(world, "U0ALICE")
    card = posts_in(world, "C0KUDOS")[0]
    sections = [b["text"]["text"] for b in card["blocks"] if b["type"] == "section"]
    assert all(len(text) <= 3000 for text in sections)
    assert sections[-1].endswith("…")


def test_leaderboard_ranks_receivers_of_the_period(world):
    world.slack.command("U0ALICE", "#general", "/praise", "@bob one")
    world.slack.command("U0CAROL", "#general", "/praise", "@bob two")
    world.slack.command("U0BOB", "#general", "/praise", "@dave three")
    world.stand_in.wait_for(lambda: len(posts_in(world, "C0KUDOS")) == 3)
    ephemeral_to(world, "U0CAROL")
    world.slack.command("U0CAROL", "#general", "/praise", "top week")
    board = last_ephemeral_text(world, "U0CAROL", count=2)
    assert "Most praised this week" in board
    assert board.index("<@U0BOB> — 2") < board.index("<@U0DAVE> — 1")
    world.slack.command("U0CAROL", "#general", "/praise", "top decade")
    assert "week, month or quarter" in last_ephemeral_text(world, "U0CAROL", count=3)


def test_help_is_ephemeral(sqlite_world):
    world = sqlite_world
    world.slack.command("U0ALICE", "#general", "/praise", "help")
    assert "/praise top" in last_ephemeral_text(world, "U0ALICE")
    assert world.stand_in.messages("C0GENERAL") == []


def test_a_rate_limited_post_is_retried_and_published_once(sqlite_world):
    world = sqlite_world
    world.stand_in.fail_next("chat.postMessage", status=429, retry_after=1)
    world.slack.command("U0ALICE", "#general", "/praise", "@bob handled the outage")
    assert "published" in last_ephemeral_text(world, "U0ALICE")
    assert len(posts_in(world, "C0KUDOS")) == 1


def test_when_slack_keeps_failing_the_card_follows_on_a_later_tick(sqlite_world):
    from datetime import timedelta

    world = sqlite_world
    world.stand_in.fail_next("chat.postMessage", status=503, times=2)
    world.slack.command("U0ALICE", "#general", "/praise", "@bob handled the outage")
    assert "will appear in <#C0KUDOS> shortly" in last_ephemeral_text(world, "U0ALICE")
    assert posts_in(world, "C0KUDOS") == []
    world.advance(timedelta(minutes=1))
    world.advance(timedelta(minutes=1))
    assert len(posts_in(world, "C0KUDOS")) == 1


def test_without_a_kudos_channel_the_giver_is_told_what_to_set(database_url):
    from tests.conftest import WORLD_START

    with World(database_url, start=WORLD_START, rapport_kudos_channel=None) as world:
        world.slack.command("U0ALICE", "#general", "/praise", "@bob thanks")
        assert "RAPPORT_KUDOS_CHANNEL" in last_ephemeral_text(world, "U0ALICE")
        assert praise_rows(world) == 0


def link_acme(world: World) -> None:
    world.slack.command("U0CAROL", "#acme-internal", "/account", "add Acme customer")
    ephemeral_to(world, "U0CAROL", count=1)
    world.slack.command("U0CAROL", "#acme-shared", "/account", "link Acme")
    assert "Linked" in full_text(ephemeral_to(world, "U0CAROL", count=2)[-1])


def test_log_praise_records_a_customers_praise_for_the_engineers_mentioned(world):
    link_acme(world)
    world.slack.say("U0ERIN", "#acme-shared", "Big thanks to @bob and @alice for the quick fix!")
    world.slack.message_shortcut("U0CAROL", "#acme-shared", "log_praise")
    reply = last_ephemeral_text(world, "U0CAROL", count=3)
    cards = posts_in(world, "C0KUDOS")
    assert len(cards) == 1 and "published" in reply
    card = full_text(cards[0])
    assert "Praise from Acme" in card and "<@U0ERIN>" in card
    assert "<@U0BOB>" in card and "<@U0ALICE>" in card
    assert posts_in(world, "C0ACMESHR") == []
    world.slack.message_shortcut("U0CAROL", "#acme-shared", "log_praise")
    assert "logged already" in last_ephemeral_text(world, "U0CAROL", count=4)
    assert len(posts_in(world, "C0KUDOS")) == 1 and praise_rows(world) == 1


def test_log_praise_asks_whom_it_is_for_when_the_message_names_nobody(sqlite_world):
    world = sqlite_world
    link_acme(world)
    world.slack.say("U0ERIN", "#acme-shared", "Your team was fantastic today")
    world.slack.message_shortcut("U0CAROL", "#acme-shared", "log_praise")
    modal = world.stand_in.wait_for(lambda: world.stand_in.current_view("U0CAROL"))
    assert modal["callback_id"] == "praise_receivers"
    world.slack.submit_view("U0CAROL", "praise_receivers", {"receivers": {"receivers_select": ["U0BOB"]}})
    cards = world.stand_in.wait_for(lambda: posts_in(world, "C0KUDOS"))
    assert "<@U0BOB>" in full_text(cards[0]) and "Praise from Acme" in full_text(cards[0])


def test_log_praise_by_an_external_user_is_refused(sqlite_world):
    world = sqlite_world
    link_acme(world)
    world.slack.say("U0CAROL", "#acme-shared", "@bob fixed it")
    response = world.slack.message_shortcut("U0ERIN", "#acme-shared", "log_praise")
    assert response.status == 200
    assert "only available to the team" in last_ephemeral_text(world, "U0ERIN")
    assert posts_in(world, "C0KUDOS") == []


def test_a_burst_of_praise_is_all_published_and_confirmed_once_the_app_is_idle(sqlite_world):
    world = sqlite_world
    givers = {"U0ALICE": "@bob", "U0BOB": "@alice", "U0CAROL": "@bob", "U0DAVE": "@alice"}  # within each allowance
    for n in range(3):
        for giver, receiver in givers.items():
            response = world.slack.command(giver, "#general", "/praise", f"{receiver} kept the lights on, day {n}")
            assert response.status == 200 and response.acked_in_time
    world.wait_until_idle()  # idle includes the delivery worker: every card and receipt is out by now
    assert len(posts_in(world, "C0KUDOS")) == 12
    receipts = world.stand_in.ephemerals()
    assert len(receipts) == 12 and all("published in <#C0KUDOS>" in full_text(r) for r in receipts)
    assert praise_rows(world) == 12
