"""The rules of contacts and account settings, as functions."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from functools import partial

import pytest

from bot.accounts.registry import add_account, contact_cadence, contact_due, link_channel
from bot.accounts.settings import change_setting, parse_cadence, parse_tier, read_set_text
from bot.care.contacts import (
    list_cold_accounts,
    log_contact,
    log_contact_from_message,
    message_time,
    split_account_prefix,
)
from bot.platform.errors import InvalidInput, NotFound
from storage.accounts import Account, AccountKind, AccountTier

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("Acme Corp: call about the renewal", ("Acme Corp", "call about the renewal")),
    ("Acme：电话沟通续约", ("Acme", "电话沟通续约")),
    ("Acme Corp:", ("Acme Corp", "")),
    ("call about the renewal", (None, "call about the renewal")),
    ("see https://example.com/notes", (None, "see https://example.com/notes")),
    ("https://example.com/notes", (None, "https://example.com/notes")),
    ("<@U0ERIN|erin>: asked for a call", (None, "<@U0ERIN|erin>: asked for a call")),
    ("Acme: notes: more notes", ("Acme", "notes: more notes")),
])
def test_the_account_prefix_is_split_from_the_summary(text, expected):
    assert split_account_prefix(text) == expected


def test_a_message_time_is_its_ts_but_never_after_now():
    assert message_time(f"{(NOW - timedelta(days=3)).timestamp():.6f}", now=NOW) == NOW - timedelta(days=3)
    assert message_time(f"{(NOW + timedelta(hours=1)).timestamp():.6f}", now=NOW) == NOW
    assert message_time("not-a-ts", now=NOW) == NOW


@pytest.mark.parametrize(("text", "days"), [
    ("14", 14), ("14 days", 14), ("14d", 14), ("2 weeks", 14), ("1 week", 7), ("10天", 10), ("2周", 14),
    ("off", 0), ("0", 0), ("default", None), ("365", 365),
])
def test_cadences_are_read_in_days(text, days):
    assert parse_cadence(text) == days


@pytest.mark.parametrize("text", ["soon", "366", "-3", "60 weeks", ""])
def test_unreadable_cadences_say_what_to_type(text):
    with pytest.raises(InvalidInput, match="cadence"):
        parse_cadence(text)


def test_tiers_are_read_with_aliases():
    assert parse_tier("Key") == parse_tier("vip") == parse_tier("重点") == AccountTier.KEY
    assert parse_tier("standard") == AccountTier.STANDARD
    with pytest.raises(InvalidInput, match="key or standard"):
        parse_tier("gold")


def test_the_longest_account_name_followed_by_a_setting_splits_name_key_and_value(db):
    with db.session() as session:
        for name in ("Tier One Ltd", "Acme", "Acme Corp", "Acme Corp Surveys"):
            add_account(session, name=name, kind=AccountKind.CUSTOMER, actor_id="U1", now=NOW)
    with db.session() as session:
        def read(text: str) -> tuple[str, str, str]:
            request = read_set_text(session, text)
            return request.account.name, request.key, request.value

        assert read("Tier One Ltd tier key") == ("Tier One Ltd", "tier", "key")
        assert read("acme corp: cadence 2 weeks") == ("Acme Corp", "cadence", "2 weeks")
        assert read("Acme Corp surveys channel") == ("Acme Corp", "surveys", "channel")
        assert read("Acme Corp Surveys surveys dm") == ("Acme Corp Surveys", "surveys", "dm")
        assert read("Acme tier key") == ("Acme", "tier", "key")
        assert read("Acme Corp") == ("Acme Corp", "", "")
        assert read("Acme Corp bogus 1") == ("Acme Corp", "bogus", "1")
        with pytest.raises(NotFound, match="No account called “Acme Inc”"):
            read_set_text(session, "Acme Inc surveys channel")


def test_the_default_cadence_depends_on_the_tier():
    account = Account(name="A", name_key="a", created_by="U1", created_at=NOW)
    assert contact_cadence(account) == 30
    account.tier = AccountTier.KEY
    assert contact_cadence(account) == 14
    assert contact_due(account, since=NOW) == NOW + timedelta(days=14)
    account.contact_cadence_days = 0
    assert contact_due(account, since=NOW) is None


def test_an_older_message_does_not_move_the_last_contact_back(db):
    with db.session() as session:
        add_account(session, name="Acme", kind=AccountKind.CUSTOMER, actor_id="U0ALICE", now=NOW)
        link_channel(session, name="Acme", channel_id="C1", is_shared=True, actor_id="U0ALICE", now=NOW)
        log_contact(session, actor_id="U0ALICE", text="Acme: call", channel_id=None, now=NOW)
    old_ts = f"{(NOW - timedelta(days=10)).timestamp():.6f}"
    with db.session() as session:
        logged = log_contact_from_message(session, actor_id="U0BOB", channel_id="C1", message_ts=old_ts, text="hi",
                                          customer_id="U0ERIN", permalink=None, now=NOW + timedelta(hours=1))
        assert logged.new and logged.touchpoint.occurred_at == NOW - timedelta(days=10)
        assert logged.account.last_contact_at == NOW and logged.due_at == NOW + timedelta(days=30)
    with db.session() as session:
        again = log_contact_from_message(session, actor_id="U0ALICE", channel_id="C1", message_ts=old_ts, text="hi",
                                         customer_id="U0ERIN", permalink=None, now=NOW + timedelta(hours=2))
        assert not again.new and again.touchpoint.id == logged.touchpoint.id


def test_cold_accounts_come_longest_overdue_first_and_per_owner(db):
    with db.session() as session:
        for name, owner, days_ago in (("Old", "U1", 60), ("Older", "U2", 90), ("Fresh", "U1", 5)):
            add_account(session, name=name, kind=AccountKind.CUSTOMER, actor_id=owner,
                        now=NOW - timedelta(days=days_ago))
    with db.session() as session:
        cold = list_cold_accounts(session, now=NOW)
        assert [c.account.name for c in cold.accounts] == ["Older", "Old"] and cold.total == 2
        assert [c.days_overdue for c in cold.accounts] == [60, 30]
        assert [c.account.name for c in list_cold_accounts(session, now=NOW, owner_id="U1").accounts] == ["Old"]
        second = list_cold_accounts(session, now=NOW, page=2, page_size=1)
        assert [c.account.name for c in second.accounts] == ["Old"] and (second.page, second.pages) == (2, 2)


def test_changing_the_cadence_restarts_the_clock_from_the_last_contact(db):
    with db.session() as session:
        add_account(session, name="Acme", kind=AccountKind.CUSTOMER, actor_id="U1", now=NOW - timedelta(days=20))
        log_contact(session, actor_id="U1", text="Acme: call", channel_id=None, now=NOW - timedelta(days=10))
    with db.session() as session:
        changed = change_setting(session, text="Acme cadence 7", actor_id="U1", now=NOW)
        assert changed.account.contact_due_at == NOW - timedelta(days=3)
        assert [c.account.name for c in list_cold_accounts(session, now=NOW).accounts] == ["Acme"]
        change_setting(session, text="Acme cadence off", actor_id="U1", now=NOW)
        assert list_cold_accounts(session, now=NOW).total == 0


def test_unknown_settings_and_accounts_are_explained(db):
    with db.session() as session:
        add_account(session, name="Acme", kind=AccountKind.CUSTOMER, actor_id="U1", now=NOW)
    unknown = r"“colour” is not a setting(.|\n)*\*tier\*: standard"
    with db.session() as session, pytest.raises(InvalidInput, match=unknown):
        change_setting(session, text="Acme colour blue", actor_id="U1", now=NOW)
    with db.session() as session, pytest.raises(NotFound, match="Globex"):
        change_setting(session, text="Globex tier key", actor_id="U1", now=NOW)


def test_a_concurrent_second_log_of_one_message_waits_and_returns_the_first(db):
    with db.session() as session:
        add_account(session, name="Acme", kind=AccountKind.CUSTOMER, actor_id="U0ALICE", now=NOW)
        link_channel(session, name="Acme", channel_id="C1", is_shared=True, actor_id="U0ALICE", now=NOW)
    message = partial(log_contact_from_message, channel_id="C1", message_ts="1795000000.000100", text="hi",
                      customer_id="U0ERIN", permalink=None, now=NOW)
    result = {}

    def second() -> None:
        with db.session() as session:
            result["second"] = message(session, actor_id="U0BOB")

    with db.session() as session:
        first = message(session, actor_id="U0ALICE")
        other = threading.Thread(target=second)
        other.start()
        other.join(timeout=0.5)
        assert other.is_alive()  # held back by the first, uncommitted insert (PostgreSQL) or write lock (SQLite)
    other.join(timeout=10)
    assert first.new and not result["second"].new
    assert result["second"].touchpoint.id == first.touchpoint.id
