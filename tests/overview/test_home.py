"""App Home end to end: opening the tab publishes my dashboard (managers also see the team's alerts), each list
its first items and "… and N more"; external users get a neutral view; a retried event publishes once.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot.sandbox.world import World
from storage.accounts import Account, get_account_by_name
from storage.care.complaints import Complaint
from storage.care.praise import Praise, PraiseReceiver
from storage.rhythm.action_items import ActionItem
from storage.rhythm.agreements import ReportDeadline
from tests.expect import full_text, posts_in, run
from tests.rhythm.steps import ALICE, BOB, CAROL, ERIN, SHARED, add_acme, at, local

HOME_EVENT = {"type": "app_home_opened", "user": ALICE, "tab": "home", "channel": "D0ALICE"}


def open_home(world: World, user: str) -> str:
    """Open the Home tab as `user` and return everything it shows, once published."""
    published = len(world.stand_in.calls("views.publish"))
    world.slack.app_home_opened(user)
    world.stand_in.wait_for(lambda: len(world.stand_in.calls("views.publish")) > published)
    return full_text(world.stand_in.wait_for(lambda: world.stand_in.home(user)))


def add_rows(world: World, *, complaints: int = 0, items: int = 0, praise: int = 0, cold: int = 0,
             breached: bool = False) -> None:
    """Bulk work for alice on Acme Corp (and accounts gone cold), written straight to the database."""
    now = world.now()
    with world.services.db.session() as session:
        account = get_account_by_name(session, name="Acme Corp")
        assert account is not None and account.id is not None
        for n in range(complaints):
            session.add(Complaint(account_id=account.id, summary=f"Printer {n} jams", owner_id=ALICE, created_by=BOB,
                                  created_at=now, updated_at=now, clock_started_at=now,
                                  ack_due_at=now + timedelta(hours=8), resolve_due_at=now + timedelta(hours=48),
                                  ack_breached_at=now if breached else None))
        for n in range(items):
            session.add(ActionItem(account_id=account.id, text=f"Send plan {n}", owner_id=ALICE, created_by=BOB,
                                   due_at=now + timedelta(days=n - 2), created_at=now))
        for n in range(praise):
            given = Praise(giver_id=BOB, logged_by=BOB, reason=f"Kind deed {n}", created_at=now - timedelta(hours=n))
            session.add(given)
            session.flush()
            assert given.id is not None
            session.add(PraiseReceiver(praise_id=given.id, user_id=ALICE))
        for n in range(cold):
            session.add(Account(name=f"Quiet {n}", name_key=f"quiet {n}", owner_id=BOB, created_by=BOB,
                                created_at=now, contact_due_at=now - timedelta(days=n + 1)))


def test_opening_home_publishes_my_dashboard(world):
    add_acme(world)
    run(world, BOB, "#general", "/complaint", "Acme Corp: the portal is down !high")
    world.stand_in.wait_for(lambda: world.stand_in.find_button("I'll take it", "#escalations"))
    world.slack.click(ALICE, "I'll take it", "#escalations")
    run(world, ALICE, "#general", "/meeting", "Acme Corp: Weekly sync every tuesday 15:00")
    run(world, BOB, "#general", "/praise", "@alice calmed the customer down in minutes")
    message, _response = world.slack.say(ERIN, SHARED, "Thanks for the quick fix")
    world.slack.message_shortcut(BOB, SHARED, "ask_for_feedback", message["ts"])
    world.stand_in.wait_for(lambda: world.stand_in.find_button("4 · Satisfied", SHARED))
    world.slack.click(ERIN, "4 · Satisfied", SHARED)
    world.stand_in.wait_for(lambda: "you rated 4/5" in full_text(posts_in(world, SHARED)[-1]))
    add_rows(world, items=1)
    with world.services.db.session() as session:
        account = get_account_by_name(session, name="Acme Corp")
        assert account is not None and account.id is not None
        session.add(ReportDeadline(account_id=account.id, cycle="month", period_start=date(2026, 11, 1),
                                   period_end=date(2026, 12, 1), due_at=local(12, 7, 18), created_at=world.now()))

    home = open_home(world, ALICE)
    assert "#1 Acme Corp · 🟠 high — the portal is down — ⏱️ acknowledge by Fri 27 Nov 14:00 CST" in home
    assert "*Weekly sync* — Acme Corp" in home and "Tue 1 Dec 15:00 CST" in home
    assert "⏰ Send plan 0 (Acme Corp)" in home
    assert "Acme Corp — November 2026, due Mon 7 Dec 18:00 CST" in home
    assert "from <@U0BOB>: calmed the customer down in minutes" in home
    assert "*Team CSAT (30 days):* 4.0 / 5 from 1 answer" in home
    assert "Team alerts" not in home  # alice is no manager

    at(world, local(11, 27, 14, 5))  # the four hours to acknowledge are gone
    assert "🚨 acknowledge: overdue since Fri 27 Nov 14:00 CST" in open_home(world, ALICE)
    manager_home = open_home(world, CAROL)
    breaches = manager_home[manager_home.index("Team alerts"):]
    assert ("#1 Acme Corp · 🟠 high — the portal is down — 🚨 acknowledge: overdue since Fri 27 Nov 01:00 EST"
            in breaches)
    assert "<@U0ALICE>" in breaches and "Every account is within its contact cadence." in breaches


def test_a_home_with_many_items_shows_the_first_of_each_list_and_counts_the_rest(sqlite_world):
    world = sqlite_world
    add_acme(world)
    add_rows(world, complaints=40, items=40, praise=40, cold=40, breached=True)
    home = world.stand_in.wait_for(lambda: open_home(world, ALICE))
    assert "*🧯 My open complaints* (40)" in home and "… and 32 more — `/complaint list mine`" in home
    assert "*☑️ My action items · 2 overdue* (40)" in home and "*🎉 Praise for me (30 days)* (40)" in home
    assert "Team alerts" not in home

    manager = open_home(world, CAROL)
    alerts = manager[manager.index("Team alerts"):]
    assert "*🚨 SLA breaches* (40)" in alerts and "… and 32 more — `/complaint list breached`" in alerts
    assert alerts.count("Printer") == 8 and "<@U0ALICE>" in alerts
    assert "*🧊 Accounts gone cold* (40)" in alerts and "… and 32 more — `/contact cold`" in alerts
    assert "Quiet 39 — no contact logged · <@U0BOB>" in alerts


def test_an_external_user_gets_a_neutral_home(sqlite_world):
    world = sqlite_world
    add_acme(world)
    run(world, BOB, "#general", "/complaint", "Acme Corp: the portal is down !high")
    home = open_home(world, ERIN)
    assert "write in your shared channel" in home
    assert not any(word in home for word in ("portal", "complaint", "CSAT", "Acme"))


def test_a_retried_event_publishes_once_and_the_messages_tab_publishes_nothing(sqlite_world):
    world = sqlite_world
    world.slack.event(HOME_EVENT, event_id="Ev0HOME0001")
    world.stand_in.wait_for(lambda: world.stand_in.home(ALICE))
    world.slack.event(HOME_EVENT, event_id="Ev0HOME0001", retry_num=1)
    world.slack.event({**HOME_EVENT, "tab": "messages"})
    world.slack.event(HOME_EVENT, event_id="Ev0HOME0002")
    world.stand_in.wait_for(lambda: len(world.stand_in.calls("views.publish")) == 2)
    world.wait_until_idle()  # a wrongly handled retry would have published a third time by now
    assert len(world.stand_in.calls("views.publish")) == 2
