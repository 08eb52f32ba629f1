"""The rhythm's cards: they survive the outbox's JSON, and messages queued before they were typed still load."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.calendar.recurrence import Frequency
from bot.platform import cards
from bot.rhythm.cards import (
    ActionItemReminderCard,
    ActionItemStage,
    AgendaAction,
    AgendaIssue,
    ComplaintCounts,
    MeetingCustomerReminderCard,
    MeetingReminderCard,
    ReportReminderCard,
    ReportStage,
    ReviewAgenda,
    Satisfaction,
)
from handlers.blocks import RENDERERS
from storage.care.complaints import ComplaintSeverity
from storage.rhythm.meetings import ReminderStage

SHANGHAI = ZoneInfo("Asia/Shanghai")
STARTS = datetime(2026, 12, 14, 2, 0, tzinfo=UTC)
AGENDA = ReviewAgenda(
    period_start=date(2026, 11, 1), period_end=date(2026, 12, 1),
    complaints=ComplaintCounts(opened=2, resolved=1, breached=0), csat=Satisfaction(average=4.0, answers=1), praise=1,
    issues=(AgendaIssue(id=2, summary="Backups fail nightly", severity=ComplaintSeverity.HIGH, breached=False),),
    actions=(AgendaAction(id=1, text="Add a second VPN tunnel", owner="U0BOB",
                          due_at=datetime(2026, 12, 17, 23, 30, tzinfo=UTC), overdue=False),),
    actions_total=1)
CARDS = [
    MeetingReminderCard(occurrence_id=1, meeting_id=1, account="Acme Corp", title="Service review", starts_at=STARTS,
                        zone=SHANGHAI, stage=ReminderStage.DAY, agenda=AGENDA),
    MeetingCustomerReminderCard(title="Service review", starts_at=STARTS, zone=SHANGHAI),
    ActionItemReminderCard(item_id=1, account="Acme Corp", text="Add a second VPN tunnel", owner="U0BOB",
                           due_at=STARTS, zone=SHANGHAI, stage=ActionItemStage.ASSIGNED, assigned_by="U0ALICE"),
    ReportReminderCard(deadline_id=1, account="Acme Corp", cycle=Frequency.MONTH, period_start=date(2026, 11, 1),
                       due_at=STARTS, zone=SHANGHAI, stage=ReportStage.BEFORE),
]


@pytest.mark.parametrize("card", CARDS, ids=[type(card).__name__ for card in CARDS])
def test_a_rhythm_card_round_trips_through_json(card):
    assert cards.load(type(card), cards.dump(card)) == card
    assert RENDERERS.render_card(card).text


def test_a_meeting_reminder_queued_as_a_dict_still_loads_and_renders():
    queued = {"occurrence_id": 1, "meeting_id": 1, "account": "Acme Corp", "title": "Service review",
              "kind": "review", "starts_at": "2026-12-14T02:00:00+00:00", "zone": "Asia/Shanghai", "stage": "day",
              "generation": 0, "agenda": {
                  "period_start": "2026-11-01", "period_end": "2026-12-01",
                  "complaints": {"opened": 2, "resolved": 1, "breached": 0},
                  "csat": {"average": 4.0, "answers": 1}, "praise": 1,
                  "issues": [{"id": 2, "summary": "Backups fail nightly", "severity": "high", "breached": False}],
                  "actions": [{"id": 1, "text": "Add a second VPN tunnel", "owner": "U0BOB",
                               "due_at": "2026-12-17T23:30:00+00:00", "overdue": False}],
                  "actions_total": 1}}
    assert cards.load(MeetingReminderCard, queued) == CARDS[0]
    rendered = RENDERERS.render("meeting_reminder", queued)
    assert rendered.text == "Coming up: *Service review* with Acme Corp — Mon 14 Dec 10:00 CST."
    assert "Agenda — review of November 2026" in str(rendered.blocks)


def test_item_and_report_reminders_queued_as_dicts_still_load():
    item = {"item_id": 1, "account": "Acme Corp", "text": "Add a second VPN tunnel", "owner": "U0BOB",
            "due_at": "2026-12-14T02:00:00+00:00", "zone": "Asia/Shanghai", "stage": "assigned",
            "assigned_by": "U0ALICE", "done_by": None}
    report = {"deadline_id": 1, "account": "Acme Corp", "cycle": "month", "period_start": "2026-11-01",
              "due_at": "2026-12-14T02:00:00+00:00", "zone": "Asia/Shanghai", "stage": "before", "submitted_by": None}
    assert cards.load(ActionItemReminderCard, item) == CARDS[2]
    assert cards.load(ReportReminderCard, report) == CARDS[3]
