"""/account: add, link, view, list — with clear refusals and an audit trail."""

from __future__ import annotations

from sqlalchemy import func
from sqlmodel import col, select

from storage.accounts import Account, ChannelLink
from storage.platform.audit import AuditLog
from tests.expect import last_ephemeral_text, posts_in


def account_command(world, text, *, user="U0ALICE", channel="#acme-internal", count=None):
    before = len(world.stand_in.ephemerals(user=user))
    world.slack.command(user, channel, "/account", text)
    return last_ephemeral_text(world, user, count=count or before + 1)


def count(world, table) -> int:
    with world.services.db.session() as session:
        return int(session.exec(select(func.count()).select_from(table)).one())


def test_add_link_and_view_an_account(world):
    assert "Added customer account *Acme Corp*" in account_command(world, "add Acme Corp customer")
    reply = account_command(world, "link acme corp", channel="#acme-shared")
    assert "Linked <#C0ACMESHR> to *Acme Corp*" in reply and "shared with another organisation" in reply
    view = account_command(world, "ACME  corp")
    assert "Acme Corp" in view and "<#C0ACMESHR>" in view and "(shared)" in view and "<@U0ALICE>" in view
    with world.services.db.session() as session:
        actions = [row.action for row in session.exec(select(AuditLog).order_by(col(AuditLog.id)))]
    assert actions == ["account.add", "account.link"]
    assert posts_in(world, "C0ACMESHR") == []


def test_kinds_and_bad_names_are_answered_clearly(sqlite_world):
    world = sqlite_world
    assert "supplier account *Netcom*" in account_command(world, "add Netcom supplier")
    assert "third party account *Audit Co*" in account_command(world, "add Audit Co third-party")
    assert "Give the account a name" in account_command(world, "add")
    assert "at most 80 characters" in account_command(world, "add " + "x" * 81)
    assert "already exists" in account_command(world, "add netcom")
    assert count(world, Account) == 2


def test_an_unknown_account_suggests_close_names(sqlite_world):
    world = sqlite_world
    account_command(world, "add Acme Corp")
    reply = account_command(world, "Acme")
    assert "No account called “Acme”" in reply and "Did you mean: Acme Corp?" in reply
    assert "No account called" in account_command(world, "link Globex", channel="#acme-shared")
    assert count(world, ChannelLink) == 0


def test_a_channel_belongs_to_one_account(sqlite_world):
    world = sqlite_world
    account_command(world, "add Acme")
    account_command(world, "add Globex")
    account_command(world, "link Acme", channel="#acme-shared")
    assert "already linked to *Acme*" in account_command(world, "link Acme", channel="#acme-shared")
    assert "already linked to “Acme”" in account_command(world, "link Globex", channel="#acme-shared")
    assert count(world, ChannelLink) == 1


def test_the_list_is_paginated(sqlite_world):
    world = sqlite_world
    for n in range(23):
        account_command(world, f"add Customer {n:02d}")
    first = account_command(world, "list")
    assert "Accounts (23)" in first and "Customer 00" in first and "Customer 19" in first
    assert "Customer 20" not in first and "Page 1 of 2" in first
    second = account_command(world, "list 2")
    assert "Customer 22" in second and "Customer 00" not in second


def test_an_empty_list_says_how_to_start(sqlite_world):
    assert "No accounts yet" in account_command(sqlite_world, "list")


def test_external_users_are_refused_and_nothing_changes(world):
    reply = account_command(world, "add Evil Corp", user="U0ERIN", channel="#acme-shared")
    assert "only available to the team" in reply
    assert count(world, Account) == 0


def test_help(sqlite_world):
    assert "/account link" in account_command(sqlite_world, "help", channel="#general")


def test_rapport_config_shows_the_setup_and_holiday_data_gaps(sqlite_world, caplog):
    world = sqlite_world
    world.slack.command("U0CAROL", "#general", "/rapport", "config")
    reply = last_ephemeral_text(world, "U0CAROL")
    assert "<#C0KUDOS>" in reply and "<@U0CAROL>" in reply and "Asia/Shanghai" in reply
    assert "no official data for 2027" in reply and "2026" not in reply.split("no official data for")[1][:10]
    assert "xoxb" not in reply and "secret" not in reply


def test_rapport_config_is_internal_only(sqlite_world):
    world = sqlite_world
    world.slack.command("U0ERIN", "#acme-shared", "/rapport", "config")
    assert "only available to the team" in last_ephemeral_text(world, "U0ERIN")


def test_linking_fails_closed_when_slack_cannot_say_whether_a_channel_is_shared(sqlite_world):
    world = sqlite_world
    account_command(world, "add Acme")
    world.stand_in.fail_next("conversations.info", status=500, times=2)
    reply = account_command(world, "link Acme", channel="#acme-shared")
    assert "didn't say whether <#C0ACMESHR> is shared" in reply
    assert count(world, ChannelLink) == 0
    assert "Linked" in account_command(world, "link Acme", channel="#acme-shared")
