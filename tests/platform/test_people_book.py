"""People's time zone and language are kept in the database: a tick asks Slack only about people it does
not know today (issue 10: with 200 digest subscribers a tick called users.info 201 times every minute)."""

from __future__ import annotations

from datetime import timedelta

from bot.sandbox.stand_in.workspace import User
from bot.sandbox.world import World
from storage.overview.digest import set_subscription
from storage.platform.people import get_person
from tests.conftest import WORLD_START

SUBSCRIBERS = [f"U0SUB{n:03d}" for n in range(20)]


def add_subscribers_to_slack(world: World) -> None:
    for user_id in SUBSCRIBERS:
        world.stand_in.workspace.add_user(User(user_id, user_id.lower(), f"Subscriber {user_id[-3:]}",
                                               tz="Asia/Shanghai", locale="zh-CN"))


def subscribe_everyone(world: World) -> None:
    add_subscribers_to_slack(world)
    with world.services.db.session() as session:
        for user_id in SUBSCRIBERS:
            set_subscription(session, user_id=user_id, enabled=True, actor_id=user_id, now=world.now())


def looked_up(world: World) -> list[str]:
    return [call["params"].get("user") for call in world.stand_in.calls("users.info")]


def test_ticks_ask_slack_about_each_person_once_a_day_even_from_a_new_process(database_url):
    with World(database_url, start=WORLD_START) as first:
        subscribe_everyone(first)
        first.tick()
        first.advance(timedelta(minutes=1))
        asked = looked_up(first)
        assert set(SUBSCRIBERS) <= set(asked) and len(asked) == len(set(asked))  # two ticks, one look-up each
        with first.services.db.session() as session:
            person = get_person(session, user_id=SUBSCRIBERS[0])
            assert person is not None and person.locale == "zh-CN" and person.tz == "Asia/Shanghai"
    # `rapport tick` from cron: a new process, the same database, a minute later.
    with World(database_url, start=WORLD_START + timedelta(minutes=2)) as cron:
        add_subscribers_to_slack(cron)
        cron.tick()
        assert looked_up(cron) == []
        cron.advance(timedelta(days=1))
        assert set(SUBSCRIBERS) <= set(looked_up(cron))  # a day on, each is asked again, once


def test_a_digest_reaches_a_chinese_reader_in_chinese(sqlite_world):
    world = sqlite_world
    world.stand_in.workspace.users["U0CAROL"].locale = "zh-CN"  # the manager, whose digest is on by default
    world.travel(world.now() + timedelta(days=4))
    digests = world.stand_in.dm_messages("U0CAROL")
    assert digests and all(any("\u4e00" <= char <= "\u9fff" for char in message["text"]) for message in digests)
