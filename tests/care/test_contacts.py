"""/contact, the Log contact shortcut, cold accounts and `/account set`, end to end over signed HTTP."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from sqlalchemy import func
from sqlmodel import col, select

from bot.sandbox.world import World
from storage.care.contacts import Touchpoint
from storage.platform.audit import AuditLog
from tests.expect import ephemeral_to, last_ephemeral_text, posts_in, run


def touchpoints(world: World) -> list[Touchpoint]:
    with world.services.db.session() as session:
        return list(session.exec(select(Touchpoint).order_by(col(Touchpoint.id))))


def audit_rows(world: World, action: str) -> int:
    with world.services.db.session() as session:
        return session.exec(select(func.count()).select_from(AuditLog).where(AuditLog.action == action)).one()




def add_acme(world: World, *, tier: str | None = None) -> None:
    run(world, "U0ALICE", "#general", "/account", "add Acme Corp customer")
    if tier:
        run(world, "U0ALICE", "#general", "/account", f"set Acme Corp tier {tier}")


def test_a_contact_with_a_named_account_is_logged_with_its_next_due_date(world):
    add_acme(world, tier="key")
    reply = run(world, "U0ALICE", "#general", "/contact", "Acme Corp: call with @erin about the renewal")
    assert "Logged a contact with Acme Corp — next due by Fri 11 Dec" in reply
    assert "<@U0ERIN>" in reply
    [touchpoint] = touchpoints(world)
    assert touchpoint.summary == "call with <@U0ERIN|erin> about the renewal"
    assert touchpoint.customer_id == "U0ERIN" and touchpoint.logged_by == "U0ALICE"
    assert touchpoint.occurred_at == world.now()
    assert audit_rows(world, "contact.log") == 1
    assert posts_in(world, "C0GENERAL") == []


def test_in_a_linked_channel_the_account_comes_from_the_link(world):
    add_acme(world)
    run(world, "U0ALICE", "#acme-internal", "/account", "link Acme Corp")
    reply = run(world, "U0BOB", "#acme-internal", "/contact", "Frank: backup window moves to Sunday")
    assert "Logged a contact with Acme Corp — next due by Sun 27 Dec" in reply
    [touchpoint] = touchpoints(world)
    assert touchpoint.summary == "Frank: backup window moves to Sunday"  # "Frank" names no account
    assert touchpoint.customer_id is None


def test_an_unknown_account_is_refused_with_suggestions_and_nothing_is_logged(sqlite_world):
    world = sqlite_world
    add_acme(world)
    reply = run(world, "U0ALICE", "#general", "/contact", "Acme: quick call")
    assert "No account called “Acme”" in reply and "Did you mean: Acme Corp?" in reply
    reply = run(world, "U0ALICE", "#general", "/contact", "quick call about nothing")
    assert "Which account?" in reply and "/contact Acme Corp:" in reply
    assert touchpoints(world) == []


def test_an_empty_or_over_long_summary_is_refused(sqlite_world):
    world = sqlite_world
    add_acme(world)
    reply = run(world, "U0ALICE", "#general", "/contact", "Acme Corp:")
    assert "Say what the contact with Acme Corp was about" in reply
    reply = run(world, "U0ALICE", "#general", "/contact", "Acme Corp: " + "x" * 2500)
    assert "2500 characters" in reply and "under 2000" in reply
    assert touchpoints(world) == [] and audit_rows(world, "contact.log") == 0


def test_an_external_user_is_refused_and_nothing_is_logged(world):
    add_acme(world)
    run(world, "U0ALICE", "#acme-shared", "/account", "link Acme Corp")
    reply = run(world, "U0ERIN", "#acme-shared", "/contact", "Acme Corp: I called myself")
    assert "only available to the team" in reply
    assert touchpoints(world) == [] and posts_in(world, "C0ACMESHR") == []


def test_log_contact_on_a_customer_message_logs_it_once_with_author_and_permalink(world):
    add_acme(world)
    run(world, "U0ALICE", "#acme-shared", "/account", "link Acme Corp")
    message, _response = world.slack.say("U0ERIN", "#acme-shared", "Could we move the maintenance to Sunday?",
                                         deliver=False)
    world.slack.message_shortcut("U0BOB", "#acme-shared", "log_contact", message["ts"])
    first = last_ephemeral_text(world, "U0BOB")
    world.slack.message_shortcut("U0BOB", "#acme-shared", "log_contact", message["ts"])
    second = last_ephemeral_text(world, "U0BOB", count=2)
    assert "Logged a contact with Acme Corp — next due by" in first and "<@U0ERIN>" in first
    assert "already logged as a contact with Acme Corp" in second
    [touchpoint] = touchpoints(world)
    assert touchpoint.customer_id == "U0ERIN" and touchpoint.logged_by == "U0BOB"
    assert touchpoint.summary == "Could we move the maintenance to Sunday?"
    link = f"https://rapport-demo.slack.com/archives/C0ACMESHR/p{message['ts'].replace('.', '')}"
    assert touchpoint.permalink == link
    assert touchpoint.source_ts == message["ts"]
    assert posts_in(world, "C0ACMESHR") == []  # the receipts are ephemeral: nothing internal in the shared channel


def test_two_log_contacts_at_once_on_one_message_log_it_once(world):
    add_acme(world)
    run(world, "U0ALICE", "#acme-shared", "/account", "link Acme Corp")
    message, _response = world.slack.say("U0ERIN", "#acme-shared", "Thanks for the call!", deliver=False)
    with ThreadPoolExecutor(max_workers=2) as pool:
        responses = list(pool.map(lambda user: world.slack.message_shortcut(user, "#acme-shared", "log_contact",
                                                                            message["ts"]), ["U0ALICE", "U0BOB"]))
    assert all(r.status == 200 and r.acked_in_time for r in responses)
    replies = [last_ephemeral_text(world, "U0ALICE", count=3), last_ephemeral_text(world, "U0BOB")]
    assert sum("Logged a contact with Acme Corp" in r for r in replies) == 1
    assert sum("already logged" in r for r in replies) == 1
    assert len(touchpoints(world)) == 1 and audit_rows(world, "contact.log") == 1


def test_log_contact_on_a_colleague_message_has_no_customer(sqlite_world):
    world = sqlite_world
    add_acme(world)
    run(world, "U0ALICE", "#acme-internal", "/account", "link Acme Corp")
    world.slack.say("U0ALICE", "#acme-internal", "Met Frank at the Acme office, all good", deliver=False)
    world.slack.message_shortcut("U0BOB", "#acme-internal", "log_contact")
    assert "Logged a contact with Acme Corp" in last_ephemeral_text(world, "U0BOB")
    assert touchpoints(world)[0].customer_id is None


def test_log_contact_in_an_unlinked_channel_says_how_to_link_it(sqlite_world):
    world = sqlite_world
    world.slack.say("U0ALICE", "#general", "a chat with a customer", deliver=False)
    world.slack.message_shortcut("U0BOB", "#general", "log_contact")
    assert "isn't linked to an account" in last_ephemeral_text(world, "U0BOB")
    assert touchpoints(world) == []


def test_cold_accounts_are_listed_for_their_owner_and_for_managers(world):
    add_acme(world, tier="key")
    run(world, "U0BOB", "#general", "/account", "add Globex third-party")
    run(world, "U0BOB", "#general", "/account", "add Netcom supplier")
    run(world, "U0BOB", "#general", "/account", "add Initech customer")
    run(world, "U0BOB", "#general", "/contact", "Initech: monthly check-in")
    assert "No account has gone cold" in run(world, "U0CAROL", "#general", "/contact", "cold")

    world.clock.advance(timedelta(days=20))
    run(world, "U0BOB", "#general", "/contact", "Initech: another check-in")
    manager = run(world, "U0CAROL", "#general", "/contact", "cold")
    assert "Acme Corp" in manager and "Globex" not in manager and "Initech" not in manager
    assert "no contact logged since it was added 20 days ago" in manager and "every 14 days" in manager

    world.clock.advance(timedelta(days=11))
    manager = run(world, "U0CAROL", "#general", "/contact", "cold")
    assert manager.index("Acme Corp") < manager.index("Globex")  # longest overdue first
    assert "Initech" not in manager and "Netcom" not in manager  # suppliers are not tracked unless set
    owner = run(world, "U0ALICE", "#general", "/contact", "cold")
    assert "Acme Corp" in owner and "Globex" not in owner
    assert "Acme Corp" not in run(world, "U0DAVE", "#general", "/contact", "cold")

    run(world, "U0ALICE", "#general", "/contact", "Acme Corp: quarterly review booked")
    assert "Acme Corp" not in run(world, "U0CAROL", "#general", "/contact", "cold")


def test_the_account_view_shows_key_contacts_last_touchpoint_and_cadence(world):
    add_acme(world)
    for summary in ("call with @erin", "email from @erin", "lunch with @frank"):
        run(world, "U0ALICE", "#general", "/contact", f"Acme Corp: {summary}")
    view = run(world, "U0ALICE", "#general", "/account", "Acme Corp")
    assert "*Key contacts:* <@U0ERIN> (2), <@U0FRANK> (1)" in view
    assert "*Last touchpoint:* Fri 27 Nov · *Cadence:* every 30 days · next due by Sun 27 Dec" in view


def test_tier_and_cadence_are_set_and_audited(world):
    add_acme(world)
    reply = run(world, "U0ALICE", "#general", "/account", "set Acme Corp tier key")
    assert "tier is now key (was standard)" in reply and "Next contact due by Fri 11 Dec" in reply
    reply = run(world, "U0ALICE", "#general", "/account", "set Acme Corp cadence 7")
    assert "cadence is now every 7 days (was every 14 days (the default for its tier))" in reply
    assert "Next contact due by Fri 4 Dec" in reply
    reply = run(world, "U0ALICE", "#general", "/account", "set Acme Corp cadence off")
    assert "not tracked" in reply
    world.clock.advance(timedelta(days=400))
    assert "No account has gone cold" in run(world, "U0CAROL", "#general", "/contact", "cold")
    assert audit_rows(world, "account.set.tier") == 1 and audit_rows(world, "account.set.cadence") == 2


def test_bad_settings_say_what_to_type(sqlite_world):
    world = sqlite_world
    add_acme(world)
    assert "Use key or standard" in run(world, "U0ALICE", "#general", "/account", "set Acme Corp tier gold")
    assert "in days (1–365)" in run(world, "U0ALICE", "#general", "/account", "set Acme Corp cadence soon")
    listing = run(world, "U0ALICE", "#general", "/account", "set Acme Corp")
    assert "*tier*: standard" in listing and "/account set Acme Corp cadence 14|off|default" in listing
    assert audit_rows(world, "account.set.tier") == 0


def test_contact_help(sqlite_world):
    world = sqlite_world
    reply = run(world, "U0ALICE", "#general", "/contact", "")
    assert "/contact cold" in reply and "Log contact" in reply
    assert ephemeral_to(world, "U0ALICE")


def test_fast_refusals_are_acknowledged_in_time_every_time(sqlite_world):
    """A listener that acks and then raises at once must still answer Slack 200 (see handlers.errors)."""
    world = sqlite_world
    for _attempt in range(15):
        response = world.slack.command("U0ALICE", "#general", "/contact", "quick call")
        assert response.status == 200 and response.acked_in_time
    assert not [e for e in world.stand_in.ephemerals(user="U0ALICE") if "operation_timeout" in e.get("text", "")]


def test_cold_with_anything_but_a_page_is_refused_with_the_usage_not_logged(sqlite_world):
    world = sqlite_world
    add_acme(world)
    run(world, "U0ALICE", "#general", "/account", "add Cold Storage customer")
    reply = run(world, "U0ALICE", "#general", "/contact", "cold foo")
    assert "takes only a page number: `/contact cold 2`" in reply and "/contact Acme Corp:" in reply
    assert touchpoints(world) == []
    assert "No account has gone cold" in run(world, "U0CAROL", "#general", "/contact", "cold 2")
    assert "Logged a contact with Cold Storage" in run(world, "U0ALICE", "#general", "/contact",
                                                       "Cold Storage: renewal call")
    assert [t.summary for t in touchpoints(world)] == ["renewal call"]
