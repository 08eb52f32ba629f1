"""The words of `/account`: a name, then maybe a kind, then (for a third party) maybe a role; a page number."""

from __future__ import annotations

import pytest

from bot.accounts.commands import NewAccount, parse_new_account, parse_third_party_role
from bot.platform.errors import InvalidInput
from storage.accounts import AccountKind, ThirdPartyRole
from tests.expect import last_ephemeral_text


@pytest.mark.parametrize(("text", "expected"), [
    ("Acme Corp", NewAccount("Acme Corp", AccountKind.CUSTOMER, None)),
    ("Netcom supplier", NewAccount("Netcom", AccountKind.SUPPLIER, None)),
    ("Audit Co third party", NewAccount("Audit Co", AccountKind.THIRD_PARTY, None)),
    ("AuditCo third-party certification body",
     NewAccount("AuditCo", AccountKind.THIRD_PARTY, ThirdPartyRole.CERTIFICATION_BODY)),
    ("Foo customer care", NewAccount("Foo customer care", AccountKind.CUSTOMER, None)),
])
def test_the_kind_and_role_are_read_from_the_end_of_the_name(text, expected):
    assert parse_new_account(text) == expected


def test_an_unknown_role_is_refused_with_the_words_to_use():
    with pytest.raises(InvalidInput, match="certification-body"):
        parse_third_party_role("boss")


def test_a_page_that_is_not_a_number_is_explained(sqlite_world):
    sqlite_world.slack.command("U0ALICE", "#general", "/account", "list ²")
    assert "`/account list 2`" in last_ephemeral_text(sqlite_world, "U0ALICE")
