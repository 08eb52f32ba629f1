"""Property-based: every command grammar, on adversarial text, returns a reading or a readable refusal; nothing else.

Parsers are tested directly (fast); tests/platform/test_hostile_handlers.py sends the same text through Slack.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.accounts import commands as account_commands
from bot.accounts import settings as account_settings
from bot.accounts import stakeholder_commands
from bot.calendar import recurrence, when
from bot.calendar.workdays import WorkCalendar
from bot.care import complaint_commands, complaint_settings, contacts, need_commands, praise
from bot.overview import health
from bot.platform import arguments
from bot.platform.errors import RapportError
from bot.rhythm import commands as meeting_commands
from bot.suppliers import (
    changes,
    contract_terms,
    coordination,
    coordination_close,
    dispute_commands,
    dispute_ladder,
    dispute_listing,
    disputes,
    evaluation,
    scoring,
    subcontracting,
)
from bot.thirdparty import criteria, requests, sharing
from tests.platform.hostile import hostile_text, readable

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)
CALENDAR = WorkCalendar.from_settings("CN", "Asia/Shanghai", "09:00-18:00")
ZONE = ZoneInfo("Asia/Shanghai")

PARSERS: dict[str, Callable[[str], Any]] = {
    "id": arguments.parse_id,
    "page": lambda text: arguments.parse_page(text, usage="u"),
    "/complaint": complaint_commands.parse_complaint_command,
    "/complaint text": complaint_commands.parse_complaint_text,
    "/complaint severity": complaint_commands.parse_severity,
    "/praise": praise.parse_praise_command,
    "/praise text": praise.parse_praise_text,
    "/contact": contacts.parse_contact_command,
    "/meeting": meeting_commands.read_meeting_command,
    "/meeting title and when": lambda text: meeting_commands.read_title_and_when(text, now=NOW, calendar=CALENDAR),
    "/meeting title": lambda text: meeting_commands.meeting_title(text, account_name="Acme Corp"),
    "rapport when": lambda text: meeting_commands.read_date_or_rule(text, now=NOW, calendar=CALENDAR),
    "date": lambda text: when.read_when(text, now=NOW, tz=ZONE, calendar=CALENDAR),
    "rule": recurrence.parse_rule,
    "/account add": account_commands.parse_new_account,
    "account tier": account_settings.parse_tier,
    "account cadence": account_settings.parse_cadence,
    "account owner": account_settings.parse_owner,
    "complaint channel": complaint_settings.parse_internal_channel,
    "switch": complaint_settings.parse_switch,
    "duration": complaint_settings.parse_duration,
    "sla": complaint_settings.parse_sla,
    "country": complaint_settings.parse_country,
    "timezone": complaint_settings.parse_timezone,
    "hours": complaint_settings.parse_hours,
    "/supplier list": evaluation.parse_list_page,
    "/dispute text": disputes.parse_dispute_text,
    "/dispute others": disputes.parse_other_suppliers,
    "/dispute list": dispute_listing.parse_list_args,
    "/dispute coordinate": coordination.parse_coordination_text,
    "/dispute <id> step": dispute_commands.parse_dispute_step,
    "dispute clause": dispute_ladder.parse_clause,
    "dispute clause command": dispute_ladder.split_clause_command,
    "/dispute coordinate close": lambda text: coordination_close.parse_close_text(3, text),
    "/dispute coordinate complaints": coordination_close.parse_complaint_ids,
    "/dispute coordinate list": coordination_close.parse_list_page,
    "weights": scoring.parse_weights,
    "health weights": health.parse_health_weights,
    "health bands": health.parse_bands,
    "third-party weights": lambda text: scoring.parse_weights(text, criteria=criteria.criteria_for("vendor")),
    "/supplier change": changes.parse_change,
    "/supplier subcontractor": subcontracting.parse_subcontract,
    "contract duration": lambda text: contract_terms.parse_duration(text, what="response"),
    "contract percent": lambda text: contract_terms.parse_percent(text, what="uptime"),
    "contract hours": contract_terms.parse_service_hours,
    "/thirdparty done": requests.parse_request_id,
    "/thirdparty request": requests.parse_request_text,
    "/thirdparty share": lambda text: sharing.parse_share_text(text, channel_id="C0ACMESHR"),
    "/need": need_commands.parse_need_command,
    "/account stakeholder": stakeholder_commands.parse_stakeholder_command,
    "stakeholder met": lambda text: stakeholder_commands.read_met(text, now=NOW, zone=ZONE),
}


@pytest.mark.parametrize("name", sorted(PARSERS))
@settings(max_examples=60, deadline=None)
@given(text=hostile_text)
def test_every_grammar_reads_or_refuses_readably(name, text):
    try:
        PARSERS[name](text)
    except RapportError as refusal:
        assert readable(refusal.message), (name, text[:80], refusal.message[:200])


@settings(max_examples=200, deadline=None)
@given(text=hostile_text)
def test_an_id_is_ascii_digits_or_nothing(text):
    try:
        number = arguments.parse_id(text)
    except RapportError as refusal:
        assert "digits 0-9" in refusal.message
        return
    if number is not None:
        assert text.strip().lstrip("#").isascii() and text.strip().lstrip("#").isdigit()


@settings(max_examples=80, deadline=None)
@given(text=st.text(alphabet=st.characters(categories=["Nd", "No"]), min_size=1, max_size=6))
def test_digits_of_other_scripts_never_read_as_a_number(text):
    if text.isascii():
        return
    try:
        assert arguments.parse_id(text) is None
    except RapportError as refusal:
        assert "digits 0-9" in refusal.message
    assert arguments.whole_number(text) is None
