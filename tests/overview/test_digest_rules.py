"""The digest's rules as functions: when it is due, where "since yesterday" starts, who gets it, and a query
count that does not grow with the number of accounts a person owns.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import event
from sqlmodel import select

from bot.calendar.workdays import WorkCalendar
from bot.overview.digest import Recipient, collect_digest, digest_recipients, due_day, window_start
from handlers.blocks.overview.digest import render_digest
from storage.accounts import Account, AccountTier
from storage.care.complaints import Complaint
from storage.care.surveys import Survey, SurveyStatus
from storage.overview.digest import set_subscription
from storage.suppliers.evaluations import SupplierProfile

CN = WorkCalendar.from_settings("CN", "Asia/Shanghai", "09:00-18:00")
NEW_YORK = ZoneInfo("America/New_York")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_the_digest_is_due_from_nine_until_business_hours_close_on_working_days():
    monday = datetime(2026, 11, 30, 9, 0, tzinfo=NEW_YORK)
    assert due_day(monday, zone=NEW_YORK, calendar=CN) == date(2026, 11, 30)
    assert due_day(monday - timedelta(minutes=1), zone=NEW_YORK, calendar=CN) is None
    assert due_day(monday + timedelta(hours=8, minutes=59), zone=NEW_YORK, calendar=CN) == date(2026, 11, 30)
    assert due_day(monday + timedelta(hours=9), zone=NEW_YORK, calendar=CN) is None
    assert due_day(datetime(2026, 11, 29, 10, tzinfo=NEW_YORK), zone=NEW_YORK, calendar=CN) is None  # Sunday
    # China's calendar: a make-up Saturday is worked, the Spring Festival is not.
    assert due_day(datetime(2026, 2, 14, 9, tzinfo=SHANGHAI), zone=SHANGHAI, calendar=CN) == date(2026, 2, 14)
    assert due_day(datetime(2026, 2, 16, 9, tzinfo=SHANGHAI), zone=SHANGHAI, calendar=CN) is None


def test_since_yesterday_starts_at_nine_on_the_previous_working_day():
    assert window_start(date(2026, 11, 30), zone=NEW_YORK, calendar=CN) == datetime(2026, 11, 27, 9, tzinfo=NEW_YORK)
    assert window_start(date(2026, 2, 24), zone=SHANGHAI, calendar=CN) == datetime(2026, 2, 14, 9, tzinfo=SHANGHAI)


def test_managers_get_it_unless_they_turn_it_off_and_others_only_when_they_turn_it_on(db):
    now = datetime(2026, 11, 27, tzinfo=UTC)
    with db.session() as session:
        set_subscription(session, user_id="U0BOB", enabled=False, actor_id="U0BOB", now=now)
        set_subscription(session, user_id="U0ALICE", enabled=True, actor_id="U0ALICE", now=now)
        set_subscription(session, user_id="U0DAVE", enabled=False, actor_id="U0DAVE", now=now)
        recipients = digest_recipients(session, managers=["U0CAROL", "U0BOB"])
    assert recipients == [Recipient("U0CAROL", True), Recipient("U0ALICE", False)]


def _owner_with_accounts(session, owner: str, count: int, now: datetime) -> None:
    for n in range(count):
        account = Account(name=f"{owner} {n}", name_key=f"{owner.lower()} {n}", owner_id=owner, tier=AccountTier.KEY,
                          created_by=owner, created_at=now, contact_due_at=now - timedelta(days=1))
        session.add(account)
        session.flush()
        assert account.id is not None
        session.add(Complaint(account_id=account.id, summary="Down", created_by=owner, created_at=now, updated_at=now,
                              clock_started_at=now, ack_breached_at=now, ack_due_at=now))
        session.add(Survey(account_id=account.id, respondent_id="U0ERIN", status=SurveyStatus.ANSWERED, score=2,
                           send_at=now, answered_at=now, created_by=owner, created_at=now))


def test_a_digest_costs_the_same_queries_for_2_or_20_accounts(db):
    now = datetime(2026, 11, 30, 1, tzinfo=UTC)
    with db.session() as session:
        _owner_with_accounts(session, "U0FEW", 2, now)
        _owner_with_accounts(session, "U0MANY", 20, now)
        supplier = session.exec(select(Account).where(Account.owner_id == "U0MANY")).first()
        session.add(SupplierProfile(account_id=supplier.id, next_audit_due_at=now - timedelta(days=3), created_at=now))
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    counts, digests = [], []
    for owner in ("U0FEW", "U0MANY"):
        statements.clear()
        with db.session() as session:
            digests.append(collect_digest(session, user_id=owner, team_wide=False, zone=SHANGHAI, now=now,
                                          calendar=CN))
        counts.append(len([s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]))
    assert counts[0] == counts[1]
    assert [d.attention.breached.total for d in digests] == [2, 20]
    assert [d.attention.low_scores.total for d in digests] == [2, 20]
    assert len(digests[1].attention.cold_accounts.items) == 5
    assert [d.attention.overdue_audits.total for d in digests] == [0, 1]
    rendered = render_digest(digests[1])
    assert "… and 15 more — `/complaint list breached`" in rendered.blocks[2]["text"]["text"]
    sections = [block["text"]["text"] for block in rendered.blocks if block["type"] == "section"]
    assert "*🔎 Supplier audits overdue* (1)\n• U0MANY 0 — audit due Fri 27 Nov · <@U0MANY>" in sections
    assert not digests[1].quiet and len(rendered.blocks) < 50
