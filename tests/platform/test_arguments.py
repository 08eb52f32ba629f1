"""Numbers after commands: ASCII digits only, pages and filters in any order."""

from __future__ import annotations

from enum import StrEnum

import pytest

from bot.platform.arguments import parse_id, parse_listing, parse_page, whole_number
from bot.platform.errors import InvalidInput


class Which(StrEnum):
    OPEN = "open"
    DONE = "done"


@pytest.mark.parametrize("text", ["²", "٣", "#²", "-1", "1.5", "", " ", "1 2", "１"])
def test_only_ascii_digits_are_numbers(text):
    assert whole_number(text) is None


@pytest.mark.parametrize("text", ["-1", "1.5", "", " ", "1 2", "x²", "Acme"])
def test_text_that_is_no_id_is_none(text):
    assert parse_id(text) is None


@pytest.mark.parametrize("text", ["²", "٣", "#²", "#٣٣", "１", "①"])
def test_an_id_in_other_digits_is_refused_naming_the_form(text):
    # Issue 9, defect 3: "/complaint ²" said "Something went wrong"; "٣" was read as 3.
    with pytest.raises(InvalidInput, match=r"digits 0-9, as in `/complaint 12`"):
        parse_id(text, example="/complaint 12")


def test_ids_with_or_without_a_hash():
    assert parse_id("#12") == 12 and parse_id(" 12 ") == 12 and parse_id("##12") is None


def test_a_page_defaults_to_one_and_refuses_other_text():
    assert parse_page("", usage="u") == 1 and parse_page("3", usage="u") == 3
    with pytest.raises(InvalidInput, match="usage"):
        parse_page("٣", usage="usage")


def test_a_listing_reads_filter_and_page_in_any_order():
    assert parse_listing("", choices=Which, default=Which.OPEN, usage="u") == (Which.OPEN, 1)
    assert parse_listing("2 DONE", choices=Which, default=Which.OPEN, usage="u") == (Which.DONE, 2)
    with pytest.raises(InvalidInput, match="pick"):
        parse_listing("done ²", choices=Which, default=Which.OPEN, usage="pick one")
