"""Pure rules of outages with suppliers: the close text, the silence clock in working time, whose team is whose."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.calendar.workdays import WorkCalendar
from bot.platform.errors import InvalidInput
from bot.platform.slack import SlackUser
from bot.suppliers.coordination_close import CloseDraft, parse_close_text
from bot.suppliers.coordination_parties import supplier_teams
from bot.suppliers.coordination_twins import next_chase_at
from storage.accounts import Account, AccountKind, ChannelLink
from storage.suppliers.coordination import Coordination, CoordinationLayer

CN = WorkCalendar.from_settings("CN", "Asia/Shanghai")
NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)


def test_the_close_text_names_the_layer_the_cause_and_the_complaints():
    assert parse_close_text(3, "layer database cause: the primary's disk filled up complaints 12, #15 12") == \
        CloseDraft(3, "database", "the primary's disk filled up", (12, 15))
    assert parse_close_text(3, "layer app server cause： 配置错误") == CloseDraft(3, "app server", "配置错误")


@pytest.mark.parametrize("text", ["", "database cause: x", "layer database", "layer database cause:   ",
                                  "layer database cause: x complaints 12, twelve"])
def test_a_close_text_without_layer_or_cause_says_what_to_type(text):
    with pytest.raises(InvalidInput):
        parse_close_text(3, text)


def test_the_silence_clock_runs_in_working_time():
    friday_5pm = datetime(2026, 11, 27, 17, 0, tzinfo=CN.timezone)
    assert next_chase_at(CN, since=friday_5pm, minutes=120) == datetime(2026, 11, 30, 10, 0, tzinfo=CN.timezone)


MEMBERS = {"C0NET": ["U0ALICE", "U0NINA", "U0DORA"], "C0DB": ["U0ALICE", "U0DORA"]}
TEAMS = {"U0ALICE": "T0HOME", "U0NINA": "T0NET", "U0DORA": "T0DB"}


class Roster:
    """Netcom's channel also holds a DBCo engineer; DBCo's channel holds DBCo only."""

    def home_team_id(self) -> str:
        return "T0HOME"

    def user(self, user_id: str) -> SlackUser | None:
        return SlackUser(id=user_id, team_id=TEAMS[user_id], name=user_id, tz=None, is_bot=False)

    def channel_members(self, channel: str) -> list[str]:
        return MEMBERS[channel]


def test_a_channel_shared_with_two_organisations_counts_only_its_suppliers(db):
    with db.session() as session:
        netcom, dbco = (Account(name=name, name_key=name.lower(), kind=AccountKind.SUPPLIER, created_by="U0ALICE",
                                created_at=NOW) for name in ("Netcom", "DBCo"))
        session.add_all([netcom, dbco])
        session.flush()
        assert netcom.id is not None and dbco.id is not None
        session.add_all([ChannelLink(channel_id="C0NET", account_id=netcom.id, is_shared=True, linked_by="U0ALICE",
                                     linked_at=NOW),
                         ChannelLink(channel_id="C0DB", account_id=dbco.id, is_shared=True, linked_by="U0ALICE",
                                     linked_at=NOW)])
        outage = Coordination(title="ERP down", channel_id="C0ESCAL", created_by="U0ALICE", created_at=NOW,
                              updated_at=NOW)
        session.add(outage)
        session.flush()
        assert outage.id is not None
        network, database = (CoordinationLayer(coordination_id=outage.id, name=name, supplier_id=supplier,
                                               twin_channel_id=channel)
                             for name, supplier, channel in (("network", netcom.id, "C0NET"),
                                                             ("database", dbco.id, "C0DB")))
        session.add_all([network, database])
        session.flush()
        assert supplier_teams(session, Roster(), layer=network) == {"T0NET"}
        assert supplier_teams(session, Roster(), layer=database) == {"T0DB"}
