"""`/account set` keys beyond contacts and complaints (owner), suppliers added with /account, and the
account view's warning about its own holiday calendar."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.sandbox.world import World
from storage.platform.audit import AuditLog
from tests.expect import full_text, last_ephemeral_text


def run(world: World, user: str, command: str, text: str, channel: str = "#general") -> str:
    """Send a command and return the reply it gets."""
    seen = len(world.stand_in.ephemerals(user=user))
    world.slack.command(user, channel, command, text)
    return last_ephemeral_text(world, user, count=seen + 1)


def audit_rows(world: World, action: str) -> list[AuditLog]:
    with world.services.db.session() as session:
        return list(session.exec(select(AuditLog).where(AuditLog.action == action)))


def test_handing_an_account_to_a_colleague_sends_its_cold_warning_to_them(world):
    run(world, "U0ALICE", "/account", "add Acme Corp customer")
    reply = run(world, "U0ALICE", "/account", "set Acme Corp owner @dave")
    assert "owner is now <@U0DAVE> (was <@U0ALICE>)" in reply
    assert "*Owner:* <@U0DAVE>" in run(world, "U0ALICE", "/account", "Acme Corp")
    [change] = audit_rows(world, "account.set.owner")
    assert change.actor_id == "U0ALICE" and change.before == {"owner_id": "U0ALICE"}
    assert change.after == {"owner_id": "U0DAVE"}

    world.clock.advance(timedelta(days=31))
    assert "Acme Corp" in run(world, "U0DAVE", "/contact", "cold")
    assert "Acme Corp" not in run(world, "U0ALICE", "/contact", "cold")


def test_only_one_of_our_people_can_own_an_account(sqlite_world):
    world = sqlite_world
    run(world, "U0ALICE", "/account", "add Acme Corp customer")
    assert "<@U0ERIN> isn't one of our people" in run(world, "U0ALICE", "/account", "set Acme Corp owner @erin")
    assert "Mention the new owner" in run(world, "U0ALICE", "/account", "set Acme Corp owner dave")
    assert "*Owner:* <@U0ALICE>" in run(world, "U0ALICE", "/account", "Acme Corp")
    assert audit_rows(world, "account.set.owner") == []
    listing = run(world, "U0ALICE", "/account", "set Acme Corp")
    assert "*owner*: <@U0ALICE>" in listing and "`/account set Acme Corp owner @dave`" in listing


def test_a_supplier_added_with_account_add_is_reminded_of_its_first_audit(world):
    assert "supplier account *Net Co*" in run(world, "U0ALICE", "/account", "add Net Co supplier")
    # Added Fri 27 Nov 2026: the first audit is due three months later, reminded a week before.
    world.advance(timedelta(days=84, hours=23))
    assert world.stand_in.dm_messages("U0ALICE") == []
    world.advance(timedelta(hours=1))
    reminders = [full_text(m) for m in world.stand_in.dm_messages("U0ALICE")]
    assert len(reminders) == 1 and "The audit of *Net Co* is due on Sat 27 Feb 2027" in reminders[0]


def test_the_account_view_warns_when_its_own_holiday_calendar_lacks_official_data(sqlite_world):
    world = sqlite_world
    run(world, "U0ALICE", "/account", "add Acme Corp customer")
    assert "no official data" not in run(world, "U0ALICE", "/account", "Acme Corp")  # the team's: /rapport config
    run(world, "U0ALICE", "/account", "set Acme Corp country CN")
    view = run(world, "U0ALICE", "/account", "Acme Corp")
    assert "Its holiday calendar (CN) has no official data for 2027 yet" in view
    run(world, "U0ALICE", "/account", "set Acme Corp country none")
    assert "no official data" not in run(world, "U0ALICE", "/account", "Acme Corp")


def test_help_names_the_owner_setting_and_says_suppliers_are_not_tracked_by_default(sqlite_world):
    world = sqlite_world
    assert "/account set Acme Corp owner @dave" in run(world, "U0ALICE", "/account", "help")
    contact_help = run(world, "U0ALICE", "/contact", "help")
    assert "suppliers are not tracked unless you set a cadence" in contact_help
    assert "30 for others" not in contact_help



# Each setting after a two-word name that begins like another account's; values that are setting words.
EVERY_SETTING = (
    ("set Acme Corp owner @dave", "*Acme Corp*: owner is now <@U0DAVE> (was <@U0ALICE>)"),
    ("set Acme Corp tier key", "*Acme Corp*: tier is now key (was standard)"),
    ("set Acme Corp cadence 7", "*Acme Corp*: cadence is now every 7 days (was every 14 days"),
    ("set Acme Corp channel #acme-internal", "*Acme Corp*: channel is now <#C0ACMEINT>"),
    ("set Acme Corp customer-ack on", "*Acme Corp*: customer-ack is now on"),
    ("set Acme Corp sla critical 2h/8h", "*Acme Corp*: sla is now critical 2h/8h"),
    ("set Acme Corp country CN", "*Acme Corp*: country is now CN"),
    ("set Acme Corp timezone Asia/Tokyo", "*Acme Corp*: timezone is now Asia/Tokyo"),
    ("set Acme Corp hours 08:00-17:00", "*Acme Corp*: hours is now 08:00-17:00"),
    ("set Acme Corp surveys dm", "*Acme Corp*: surveys is now by direct message"),
    ("set Acme Corp surveys channel", "*Acme Corp*: surveys is now in its shared channel (the default) (was by "
                                      "direct message)"),
    ("set Acme Corp: tier standard", "*Acme Corp*: tier is now standard (was key)"),
    ("set Audit Co role auditor", "*Audit Co*: role is now auditor"),
    ("set Channel Hours Co hours 07:00-16:00", "*Channel Hours Co*: hours is now 07:00-16:00"),
    ("set Channel Hours Co channel #acme-internal", "*Channel Hours Co*: channel is now <#C0ACMEINT>"),
    ("set Acme tier key", "*Acme*: tier is now key (was standard)"),
    ("set Acme surveys dm", "*Acme*: surveys is now by direct message"),
    ("set Acme surveys channel", "*Acme*: surveys is now in its shared channel (the default) (was by direct message)"),
)


def test_every_setting_is_read_after_a_two_word_name_even_when_names_and_values_are_setting_words(sqlite_world):
    world = sqlite_world
    for add in ("Acme customer", "Acme Corp customer", "Audit Co third-party", "Channel Hours Co customer"):
        run(world, "U0ALICE", "/account", f"add {add}")
    for text, expected in EVERY_SETTING:
        assert expected in run(world, "U0ALICE", "/account", text), text
    view = run(world, "U0ALICE", "/account", "Acme Corp")
    assert "*Owner:* <@U0DAVE>" in view
    assert len(audit_rows(world, "account.set.surveys")) == 4
    assert len(audit_rows(world, "account.set.tier")) == 3  # Acme Corp twice, Acme once


def test_a_word_that_is_no_setting_is_named_and_the_settings_listed(sqlite_world):
    world = sqlite_world
    run(world, "U0ALICE", "/account", "add Acme Corp customer")
    reply = run(world, "U0ALICE", "/account", "set Acme Corp bogus 1")
    assert "“bogus” is not a setting." in reply and "Settings of *Acme Corp*" in reply
    assert "`/account set Acme Corp surveys dm|channel`" in reply
    missing = run(world, "U0ALICE", "/account", "set Acme surveys channel")
    assert "No account called “Acme”. Did you mean: Acme Corp?" in missing
    with world.services.db.session() as session:
        assert session.exec(select(AuditLog).where(AuditLog.action.startswith("account.set"))).all() == []

