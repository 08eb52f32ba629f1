"""The rules of complaints and their SLA clocks, as functions."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlmodel import select

from bot.accounts.registry import add_account
from bot.calendar.workdays import WorkCalendar
from bot.care.complaint_clock import (
    CLOSE_AFTER,
    ComplaintPolicy,
    calendar_for,
    running_clocks,
    schedule_next_check,
    start_clocks,
    targets_for,
)
from bot.care.complaint_commands import Draft, parse_complaint_text
from bot.care.complaint_settings import describe_duration, merge_sla, parse_country, parse_duration, parse_sla
from bot.care.complaints import (
    acknowledge_complaint,
    claim_complaint,
    close_complaint,
    open_complaint,
    reopen_complaint,
    resolve_complaint,
)
from bot.platform.errors import InvalidInput, NotConfigured, NotFound, Refused
from storage.accounts import Account, AccountKind
from storage.care.complaints import Complaint, ComplaintSeverity, ComplaintStatus
from storage.platform.audit import list_changes
from storage.platform.outbox import OutboxMessage

NOW = datetime(2026, 11, 27, 2, 0, tzinfo=UTC)  # Friday 10:00 in Shanghai
POLICY = ComplaintPolicy("C0ESCAL", ("U0CAROL",), "CN", "Asia/Shanghai", "09:00-18:00")
CN = WorkCalendar.from_settings("CN", "Asia/Shanghai")


def shanghai(day: int, hour: int, minute: int = 0, month: int = 11, year: int = 2026) -> datetime:
    """A Shanghai wall-clock time as UTC."""
    return datetime(year, month, day, hour - 8, minute, tzinfo=UTC) if hour >= 8 else \
        datetime(year, month, day - 1, hour + 16, minute, tzinfo=UTC)


@pytest.mark.parametrize(("text", "expected"), [
    ("Acme Corp: the VPN drops !high", Draft("the VPN drops", ComplaintSeverity.HIGH, "Acme Corp",
                                             "Acme Corp: the VPN drops")),
    ("the VPN drops", Draft("the VPN drops")),
    ("!critical the VPN drops", Draft("the VPN drops", ComplaintSeverity.CRITICAL)),
    ("the VPN drops !LOW", Draft("the VPN drops", ComplaintSeverity.LOW)),
    ("Acme：VPN 断了 !紧急", Draft("VPN 断了", ComplaintSeverity.CRITICAL, "Acme", "Acme：VPN 断了")),
    ("down since 10:30 today", Draft("down since 10:30 today")),
    ("see <https://status.example.com>", Draft("see <https://status.example.com>")),
    ("AT&amp;T: calls drop", Draft("calls drop", ComplaintSeverity.NORMAL, "AT&T", "AT&amp;T: calls drop")),
    ("Acme Corp:", Draft("", ComplaintSeverity.NORMAL, "Acme Corp", "Acme Corp:")),
    ("ping <!here> now", Draft("ping <!here> now")),
])
def test_complaint_text_is_split_into_account_summary_and_severity(text, expected):
    assert parse_complaint_text(text) == expected


def test_an_unknown_severity_at_the_end_is_refused():
    with pytest.raises(InvalidInput, match="is not a severity"):
        parse_complaint_text("Acme Corp: down !urgentish")


def test_sla_overrides_are_read_merged_and_shown():
    assert parse_sla("critical 2h/8h") == {"critical": [120, 480]}
    assert parse_sla("!high 90m/2d") == {"high": [90, 2880]}
    assert parse_sla("low default") == {"low": None}
    assert merge_sla({"low": [60, 120]}, {"critical": [120, 480]}) == {"low": [60, 120], "critical": [120, 480]}
    assert merge_sla({"low": [60, 120]}, {"low": None}) is None
    assert describe_duration(timedelta(minutes=90)) == "1h30m" and describe_duration(timedelta(minutes=30)) == "30m"
    for bad in ("critical 2h", "urgent 1h/2h", "critical 8h/2h", "critical 0m/1h", "critical 1x/2h"):
        with pytest.raises(InvalidInput):
            parse_sla(bad)
    with pytest.raises(InvalidInput):
        parse_duration("61d")
    assert parse_country("cn") == "CN" and parse_country("none") == "none" and parse_country("default") is None


def test_the_defaults_and_an_accounts_own_targets():
    account = Account(name="Acme", name_key="acme", created_by="U0ALICE", created_at=NOW)
    assert targets_for(account, ComplaintSeverity.CRITICAL) == (timedelta(hours=1), timedelta(hours=4))
    assert targets_for(account, ComplaintSeverity.LOW) == (timedelta(hours=24), timedelta(hours=120))
    account.sla_overrides = {"critical": [30, 120]}
    assert targets_for(account, ComplaintSeverity.CRITICAL) == (timedelta(minutes=30), timedelta(hours=2))


def test_an_account_may_run_its_clocks_on_its_own_calendar():
    account = Account(name="Acme", name_key="acme", created_by="U0ALICE", created_at=NOW)
    saturday = date(2026, 2, 14)  # a make-up working day in China
    assert calendar_for(account, POLICY).is_working_day(saturday)
    account.calendar_country, account.calendar_timezone, account.business_hours = "none", "Europe/London", "08:00-16:00"
    own = calendar_for(account, POLICY)
    assert not own.is_working_day(saturday)
    assert (own.timezone.key, own.day_start.hour, own.day_end.hour) == ("Europe/London", 8, 16)


def _complaint(start: datetime, severity: ComplaintSeverity = ComplaintSeverity.CRITICAL) -> Complaint:
    complaint = Complaint(account_id=1, summary="down", severity=severity, created_by="U0BOB", created_at=start,
                          updated_at=start, clock_started_at=start)
    start_clocks(complaint, calendar=CN, targets=(timedelta(hours=1), timedelta(hours=4)), start=start)
    schedule_next_check(complaint)
    return complaint


def test_clocks_stop_outside_business_hours_and_warn_at_80_percent():
    complaint = _complaint(shanghai(27, 17, 30))  # Friday 17:30
    assert complaint.ack_warn_at == shanghai(30, 9, 18)  # Monday: 30 min on Friday, 18 min on Monday
    assert complaint.ack_due_at == shanghai(30, 9, 30)
    assert complaint.resolve_warn_at == shanghai(30, 11, 42)
    assert complaint.resolve_due_at == shanghai(30, 12, 30)
    assert complaint.next_check_at == complaint.ack_warn_at


def test_the_next_check_is_the_earliest_notice_still_to_come():
    complaint = _complaint(NOW)
    complaint.ack_warned_at = complaint.ack_warn_at
    schedule_next_check(complaint)
    assert complaint.next_check_at == complaint.ack_due_at
    complaint.acknowledged_at = NOW + timedelta(minutes=55)
    schedule_next_check(complaint)
    assert running_clocks(complaint) == ["resolve"] and complaint.next_check_at == complaint.resolve_warn_at
    complaint.status, complaint.resolved_at = ComplaintStatus.RESOLVED, NOW + timedelta(hours=2)
    schedule_next_check(complaint)
    assert complaint.next_check_at == complaint.resolved_at + CLOSE_AFTER
    complaint.status = ComplaintStatus.CLOSED
    schedule_next_check(complaint)
    assert complaint.next_check_at is None


# Transitions, on each database


def _open(db, text: str = "Acme Corp: the VPN drops !high", *, shared: bool = False) -> int:
    with db.session() as session:
        add_account(session, name="Acme Corp", kind=AccountKind.CUSTOMER, actor_id="U0ALICE", now=NOW)
        change = open_complaint(session, draft=parse_complaint_text(text), channel_id=None, actor_id="U0BOB",
                                now=NOW, policy=POLICY, is_shared=lambda channel: shared)
        return change.card.id


def test_opening_queues_the_card_in_the_escalation_channel_and_audits(db):
    number = _open(db)
    with db.session() as session:
        [message] = session.exec(select(OutboxMessage)).all()
        assert (message.dedupe_key, message.payload["channel"]) == (f"complaint:{number}:card", "C0ESCAL")
        assert [row.action for row in list_changes(session, object_type="complaint", object_id=number)] == \
            ["complaint.open"]


def test_cards_never_go_to_a_shared_channel_nor_nowhere(db):
    with pytest.raises(Refused, match="shared with another organisation"):
        _open(db, shared=True)
    with db.session() as session:
        add_account(session, name="Globex", kind=AccountKind.CUSTOMER, actor_id="U0ALICE", now=NOW)
        with pytest.raises(NotConfigured, match="RAPPORT_ESCALATION_CHANNEL"):
            open_complaint(session, draft=parse_complaint_text("Globex: slow"), channel_id=None, actor_id="U0BOB",
                           now=NOW, policy=ComplaintPolicy(None, (), None, "UTC", "09:00-18:00"),
                           is_shared=lambda channel: False)
        with pytest.raises(NotFound):
            open_complaint(session, draft=parse_complaint_text("Initech: slow"), channel_id=None, actor_id="U0BOB",
                           now=NOW, policy=POLICY, is_shared=lambda channel: False)


def test_transitions_are_idempotent_and_each_change_is_audited(db):
    number = _open(db)
    later = NOW + timedelta(minutes=5)
    with db.session() as session:
        assert claim_complaint(session, complaint_id=number, actor_id="U0BOB", now=later, policy=POLICY).changed
        assert not claim_complaint(session, complaint_id=number, actor_id="U0BOB", now=later, policy=POLICY).changed
        assert acknowledge_complaint(session, complaint_id=number, actor_id="U0DAVE", now=later, policy=POLICY).changed
        again = acknowledge_complaint(session, complaint_id=number, actor_id="U0DAVE", now=later, policy=POLICY)
        assert not again.changed and again.complaint.owner_id == "U0BOB"  # acknowledging does not take it over
        assert not reopen_complaint(session, complaint_id=number, actor_id="U0BOB", now=later, policy=POLICY).changed
        assert not close_complaint(session, complaint_id=number, actor_id="U0BOB", now=later, policy=POLICY).changed
        with pytest.raises(InvalidInput, match="Say how it was resolved"):
            resolve_complaint(session, complaint_id=number, resolution=" ", actor_id="U0BOB", now=later, policy=POLICY)
        resolved = resolve_complaint(session, complaint_id=number, resolution="Fixed", actor_id="U0BOB", now=later,
                                     policy=POLICY)
        assert resolved.changed and resolved.complaint.next_check_at == later + CLOSE_AFTER
        reopened = reopen_complaint(session, complaint_id=number, actor_id="U0BOB", now=later, policy=POLICY)
        assert reopened.complaint.status == "acknowledged" and reopened.complaint.reopen_count == 1
        assert reopened.complaint.resolution is None and reopened.card.reopen_count == 1
        actions = [row.action for row in list_changes(session, object_type="complaint", object_id=number)]
        version = reopened.complaint.version
    assert actions == ["complaint.open", "complaint.claim", "complaint.acknowledge", "complaint.resolve",
                       "complaint.reopen"]
    assert version == 4  # one card update per change, none for the no-ops


def test_an_unknown_complaint_is_not_found(db):
    with db.session() as session, pytest.raises(NotFound, match="no complaint #42"):
        claim_complaint(session, complaint_id=42, actor_id="U0BOB", now=NOW, policy=POLICY)


def test_the_third_complaint_in_30_days_raises_the_flag_once(db):
    _open(db)
    with db.session() as session:
        changes = [open_complaint(session, draft=parse_complaint_text(f"Acme Corp: issue {n}"), channel_id=None,
                                  actor_id="U0BOB", now=NOW + timedelta(days=n), policy=POLICY,
                                  is_shared=lambda channel: False) for n in (10, 20, 25)]
        account = session.exec(select(Account)).one()
        assert [c.flagged for c in changes] == [False, True, False]
        assert account.complaints_flagged_at == NOW + timedelta(days=20)
