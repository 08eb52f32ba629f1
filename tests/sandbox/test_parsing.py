"""What a person types in the sandbox: shortcuts by name, buttons by label, durations in plain words."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.calendar.workdays import WorkCalendar
from bot.sandbox.parsing import SandboxError, read_click, read_shortcut, read_target
from handlers.ids import Shortcut

SHANGHAI = ZoneInfo("Asia/Shanghai")
CN = WorkCalendar.from_settings("CN", "Asia/Shanghai", "09:00-18:00")
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai


def test_a_shortcut_is_found_by_its_title_or_its_id():
    assert read_shortcut('"Log praise" on 3') == (Shortcut.LOG_PRAISE, 3)
    assert read_shortcut("log_complaint on last") == (Shortcut.LOG_COMPLAINT, None)
    with pytest.raises(SandboxError, match="Log praise"):
        read_shortcut("Log nonsense")


def test_a_button_is_named_by_its_label_and_maybe_a_channel():
    assert read_click('"Acknowledge" in #escalations') == ("Acknowledge", "#escalations")
    assert read_click("I'll take it") == ("I'll take it", None)
    with pytest.raises(SandboxError, match="cannot read"):
        read_click('"unclosed')


def test_durations_and_working_days_move_the_clock_forward():
    assert read_target("1d4h", now=NOW, zone=SHANGHAI, calendar=CN) == datetime(2026, 11, 28, 6, 0, tzinfo=UTC)
    monday = read_target("1 working day", now=NOW, zone=SHANGHAI, calendar=CN)
    assert monday == datetime(2026, 11, 30, 10, 0, tzinfo=SHANGHAI)
    with pytest.raises(SandboxError, match="duration"):
        read_target("soon", now=NOW, zone=SHANGHAI, calendar=CN)
