"""Third-party cards: messages queued before the cards were typed (plain data dicts) still load and render."""

from __future__ import annotations

from bot.platform import cards
from bot.thirdparty.cards import DisputeFigures, RequestFigures, SharedSummaryCard
from handlers.blocks import RENDERERS
from storage.thirdparty.requests import RequestStatus

DUE = "2026-12-04T10:00:00+00:00"
APPROVAL = {"id": 1, "why": "ISO 20000 audit", "what": ["complaints"], "where": "C0AUDIT", "when": "any-time",
            "schedule": None, "who": ["U0ALICE"], "how": "slack", "approved_by": "U0CAROL", "status": "pending",
            "valid_until": "2027-01-01", "account": "AuditCo", "created_by": "U0ALICE"}
REQUESTS_SUMMARY = {"account": "AuditCo", "kind": "requests", "agreement": 1, "purpose": "ISO 20000 audit",
                    "shared_by": "U0ALICE", "as_of": DUE, "tz": "Asia/Shanghai",
                    "figures": {"requests": [{"id": 7, "what": "restore test evidence", "due": DUE,
                                              "status": "open", "done_at": None}], "open": 1}}
OLD_DATA = {
    "sharing_approval": APPROVAL,
    "sharing_decided": {**APPROVAL, "status": "approved"},
    "shared_summary": REQUESTS_SUMMARY,
    "third_party_reminder": {"id": 7, "account": "AuditCo", "what": "restore test evidence", "due": DUE,
                             "status": "open", "owner": "U0ALICE", "tz": "Asia/Shanghai", "done_by": None,
                             "done_at": None, "stage": "overdue"},
}


def test_cards_queued_as_plain_data_still_render():
    texts = {kind: RENDERERS.render(kind, data).text for kind, data in OLD_DATA.items()}
    assert "<@U0ALICE> asks you to approve information-sharing agreement #1 with *AuditCo*" in texts[
        "sharing_approval"]
    assert "was approved by <@U0CAROL>. Share with `/thirdparty share AuditCo <kind>` in <#C0AUDIT>" in texts[
        "sharing_decided"]
    assert "• #7 restore test evidence — due Fri 4 Dec 18:00 CST" in texts["shared_summary"]
    assert "🚨 Overdue: *AuditCo* asked for request #7 by Fri 4 Dec 18:00 CST" in texts["third_party_reminder"]


def test_a_summary_knows_its_kind_from_its_figures():
    summary = cards.load(SharedSummaryCard, REQUESTS_SUMMARY)
    assert isinstance(summary.figures, RequestFigures) and summary.figures.requests[0].status == RequestStatus.OPEN
    disputes = cards.load(SharedSummaryCard, {**REQUESTS_SUMMARY, "kind": "disputes",
                                              "figures": {"by_level": {"2": 1, "3": 4}}})
    assert disputes.figures == DisputeFigures(by_level={2: 1, 3: 4})
    assert "Mediation: *1*" in RENDERERS.render_card(disputes).text
