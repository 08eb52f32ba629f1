"""Supplier cards: messages queued before the cards were typed (plain data dicts) still load and render."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from bot.platform import cards
from bot.suppliers.cards import DisputeCard, DisputeStep, LinkedComplaint
from handlers.blocks import RENDERERS
from storage.suppliers.disputes import DisputeAction, DisputeStatus

OPENED = "2026-11-27T02:00:00+00:00"
DUE = "2026-12-02T02:00:00+00:00"
OLD_DISPUTE_CARD = {
    "id": 1, "supplier": "Netcom", "subject": "who pays for the weekend", "scope": None, "others": ["DBCo"],
    "complaint": {"id": 4, "summary": "ERP down"}, "status": "open", "level": 1, "due": DUE, "owner": "U0CAROL",
    "created_by": "U0ALICE", "resolution": None, "resolved_by": None, "resolved_at": None, "tz": "Asia/Shanghai",
    "days": {"1": 3, "2": 5, "3": 10},
    "history": [{"at": OPENED, "actor": "U0ALICE", "action": "opened", "level": 1, "automatic": False}],
}
OLD_DATA = {
    "supplier_audit_due": {"supplier": "Net Co", "due_at": DUE, "every_months": 3, "tz": "Asia/Shanghai"},
    "supplier_contract_expiry": {"contract_id": 2, "supplier": "Net Co", "customer": "Acme Corp",
                                 "severity": "critical", "valid_until": "2027-03-07", "days": 90},
    "dispute_card": OLD_DISPUTE_CARD,
    "dispute_assigned": {**OLD_DISPUTE_CARD, "actor": "U0ALICE"},
    "dispute_resolved": {**OLD_DISPUTE_CARD, "status": "resolved", "resolution": "we split the cost",
                         "resolved_by": "U0CAROL", "resolved_at": DUE},
    "dispute_escalated": {"id": 1, "supplier": "Netcom", "subject": "who pays", "level": 2, "due": DUE,
                          "overdue_since": OPENED, "actor": "scheduler", "owner": "U0CAROL", "tz": "Asia/Shanghai",
                          "card_channel": "C0ESCAL"},
    "coordination_card": {"id": 3, "title": "ERP down", "ping_minutes": 30, "created_by": "U0ALICE",
                          "created_at": OPENED, "tz": "Asia/Shanghai",
                          "layers": [{"name": "network", "supplier": "Netcom", "status": "waiting",
                                      "updated_by": None, "updated_at": None, "ping_at": DUE, "pinged_at": None,
                                      "pinged_user": None}]},
    "coordination_ping": {"id": 3, "title": "ERP down", "layer": "network", "supplier": "Netcom", "minutes": 30,
                          "channel": "C0ESCAL"},
}


def test_cards_queued_as_plain_data_still_render():
    texts = {kind: RENDERERS.render(kind, data).text for kind, data in OLD_DATA.items()}
    assert "The audit of *Net Co* is due on Wed 2 Dec 2026" in texts["supplier_audit_due"]
    assert "expires in 90 days, on Sun 7 Mar 2027" in texts["supplier_contract_expiry"]
    assert texts["dispute_card"].startswith("Dispute #1 · Netcom (supplier) (level 1)")  # disputes were with suppliers
    assert "runs until Wed 2 Dec 10:00 CST" in texts["dispute_assigned"]
    assert "linked to your complaint #4, was resolved by <@U0CAROL>" in texts["dispute_resolved"]
    assert "Level 1 was due by Fri 27 Nov 10:00 CST, so Rapport escalated it" in texts["dispute_escalated"]
    assert "0 of 1 suppliers have answered" in texts["coordination_card"]
    assert "*Netcom* has not answered on *network*" in texts["coordination_ping"]


def test_a_dispute_card_loads_with_real_times_zone_and_enums():
    card = cards.load(DisputeCard, OLD_DISPUTE_CARD)
    assert card.due == datetime(2026, 12, 2, 2, 0, tzinfo=UTC) and card.tz == ZoneInfo("Asia/Shanghai")
    assert card.status == DisputeStatus.OPEN and card.days == {1: 3, 2: 5, 3: 10}
    assert card.complaint == LinkedComplaint(id=4, summary="ERP down")
    assert card.history == (DisputeStep(at=datetime(2026, 11, 27, 2, 0, tzinfo=UTC), actor="U0ALICE",
                                        action=DisputeAction.OPENED, level=1),)
    assert cards.load(DisputeCard, cards.dump(card)) == card
