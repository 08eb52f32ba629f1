"""Account health end to end: the score and its reasons on `/account`, App Home (owners, and managers' amber and
red), the digest telling a fall into the red once, the report's internal section, in English and Chinese; and the
signals of many accounts read in the same few queries.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session

from bot.calendar.recurrence import Frequency, Period
from bot.overview.health import Band, HealthPolicy, Reason
from bot.overview.health_signals import customers_health, read_signals
from bot.platform.i18n import speaking
from bot.report.model import Bullets, Figures, ReportScope
from bot.report.sections import build_report
from bot.sandbox.world import World
from storage.accounts import Account, AccountKind, AccountTier
from storage.care.campaigns import CampaignResponse, SurveyCampaign
from storage.care.complaints import Complaint, ComplaintSeverity, ComplaintStatus
from storage.care.surveys import Survey, SurveyStatus
from storage.db import Database
from storage.rhythm.action_items import ActionItem
from storage.suppliers.contracts import SupportContract
from storage.suppliers.disputes import Dispute
from tests.expect import full_text, run
from tests.overview.test_home import open_home
from tests.rhythm.steps import ALICE, BOB, CAROL, acme, add_acme, at, audit_count

RED_LINE = "−20: 2 SLA breaches in the last 30 days"
RED = "Acme Corp — 🔴 44 / 100 · −30: 2 critical complaints still open · " + RED_LINE


def breach_twice(world: World, *, when: datetime | None = None) -> None:
    """Two critical complaints on Acme Corp, both past their acknowledge clock: 100 − 20 − 30 − 6 = 44, red."""
    now = when or world.now()
    with world.services.db.session() as session:
        account = acme(session)
        assert account.id is not None
        for n in range(2):
            session.add(Complaint(account_id=account.id, summary=f"VPN drops {n}", severity=ComplaintSeverity.CRITICAL,
                                  owner_id=ALICE, created_by=BOB, created_at=now, updated_at=now, clock_started_at=now,
                                  ack_due_at=now, resolve_due_at=now + timedelta(hours=4), ack_breached_at=now))


def test_account_view_shows_the_score_with_each_reason(world):
    add_acme(world)
    assert "*Health:* 100 / 100 (🟢 green)" in run(world, ALICE, "#general", "/account", "Acme Corp")
    breach_twice(world)
    reply = run(world, ALICE, "#general", "/account", "Acme Corp")
    assert "*Health:* 44 / 100 (🔴 red)" in reply
    assert RED_LINE in reply and "−30: 2 critical complaints still open" in reply
    assert "−6: 2 complaints in the last 30 days" in reply


def test_the_reasons_read_in_chinese_for_someone_whose_slack_is_in_chinese(world):
    world.stand_in.workspace.users[BOB].locale = "zh-CN"
    add_acme(world)
    breach_twice(world)
    reply = run(world, BOB, "#general", "/account", "Acme Corp")
    assert "*健康度：* 44 / 100（🔴 红色）" in reply
    assert "−20：近 30 天 2 次 SLA 违约" in reply and "−30：2 起紧急投诉尚未解决" in reply


def test_home_lists_the_owners_accounts_and_the_managers_accounts_in_amber_or_red(world):
    add_acme(world)
    run(world, BOB, "#general", "/account", "add Globex customer")
    assert "Every account is in the green." in open_home(world, CAROL)
    breach_twice(world)
    mine = open_home(world, ALICE)
    assert "My accounts' health" in mine and RED in mine
    assert "Globex" not in mine and "Accounts in amber or red" not in mine  # alice is no manager
    team = open_home(world, CAROL)
    assert RED in team and "<@U0ALICE>" in team
    assert "Globex —" not in team  # green: not listed for managers
    assert "You own no customer account." in team


@pytest.fixture
def managed(database_url: str) -> Iterator[World]:
    """Alice (in Shanghai) manages the team; Monday 30 Nov 2026, 08:30 there."""
    with World(database_url, start=datetime(2026, 11, 30, 0, 30, tzinfo=UTC), rapport_managers=[ALICE]) as running:
        yield running


def digests(world: World, user: str) -> list[str]:
    return [text for text in (full_text(m) for m in world.stand_in.dm_messages(user))
            if "Morning digest" in text or "All clear for" in text]


def test_the_digest_says_an_account_fell_into_the_red_once_not_every_day_it_stays_red(managed):
    world = managed
    add_acme(world)
    at(world, datetime(2026, 11, 30, 1, 0, tzinfo=UTC))  # Mon 09:00 in Shanghai: all green
    breach_twice(world)
    at(world, datetime(2026, 12, 1, 1, 0, tzinfo=UTC))  # Tue 09:00: Acme has fallen
    at(world, datetime(2026, 12, 2, 1, 0, tzinfo=UTC))  # Wed 09:00: still red, nothing new
    assert [("Fell into the red" in text) for text in digests(world, ALICE)] == [False, True, False]
    told = digests(world, ALICE)[1]
    assert RED in told
    assert audit_count(world, "health.band") == 2  # green on Monday, red on Tuesday
    # Asked for later on Wednesday, the digest still does not tell it again.
    world.clock.set(datetime(2026, 12, 2, 3, 0, tzinfo=UTC))
    assert "Fell into the red" not in run(world, ALICE, "#general", "/rapport", "digest")


def test_the_report_gives_the_score_at_the_period_end_and_keeps_it_internal(world):
    add_acme(world)
    breach_twice(world, when=datetime(2026, 11, 10, 2, tzinfo=UTC))
    with world.services.db.session() as session:
        account = acme(session)
        assert account.id is not None
        # A breach after the period does not count in its report.
        later = datetime(2026, 12, 1, 12, tzinfo=UTC)
        session.add(Complaint(account_id=account.id, summary="Later", created_by=BOB, created_at=later,
                              updated_at=later, clock_started_at=later, ack_breached_at=later,
                              status=ComplaintStatus.RESOLVED, resolved_at=later))
        account.created_at = datetime(2026, 11, 1, tzinfo=UTC)
        account.contact_cadence_days = 0
        scope = ReportScope(account.id, Period(Frequency.MONTH, date(2026, 10, 1)), now=world.now())
        october = build_report(session, scope, world.settings)
        scope = ReportScope(account.id, Period(Frequency.MONTH, date(2026, 11, 1)),
                            now=datetime(2026, 12, 2, tzinfo=UTC))
        with speaking("en"):
            report = build_report(session, scope, world.settings)
    section = next(s for s in report.sections if s.key == "health")
    figures, _when, reasons = section.blocks
    assert isinstance(figures, Figures) and figures.items[0].value == "44 / 100"
    assert isinstance(reasons, Bullets) and RED_LINE in reasons.items
    assert not section.shareable and report.customer_version(frozenset({"health"})).sections == ()
    quiet = next(s for s in october.sections if s.key == "health").blocks[0]
    assert isinstance(quiet, Figures) and quiet.items[0].value == "100 / 100"


def _accounts_with_signals(session: Session, count: int, owner: str, now: datetime) -> None:
    """`count` accounts, each with a breach, an overdue action item, low survey scores (CSAT 3; NPS down from 100 to
    −100) and a dispute behind it."""
    campaign = SurveyCampaign(title="Yearly", questions=[{"kind": "nps", "text": "Recommend us?"}],
                              audience={"all": True}, opens_at=now - timedelta(days=120), closes_at=now,
                              created_by=owner, created_at=now)
    session.add(campaign)
    supplier = Account(name=f"{owner} supplier", name_key=f"{owner.lower()} supplier", kind=AccountKind.SUPPLIER,
                       created_by=owner, created_at=now)
    session.add(supplier)
    session.flush()
    assert supplier.id is not None and campaign.id is not None
    for n in range(count):
        account = Account(name=f"{owner} {n}", name_key=f"{owner.lower()} {n}", owner_id=owner, tier=AccountTier.KEY,
                          created_by=owner, created_at=now - timedelta(days=40))
        session.add(account)
        session.flush()
        assert account.id is not None
        session.add(Complaint(account_id=account.id, summary="Down", created_by=owner, created_at=now, updated_at=now,
                              clock_started_at=now, ack_breached_at=now, ack_due_at=now))
        session.add(Survey(account_id=account.id, respondent_id="U0ERIN", status=SurveyStatus.ANSWERED, score=3,
                           send_at=now, answered_at=now - timedelta(days=1), created_by=owner, created_at=now))
        for score, days in ((10, 100), (3, 1)):
            session.add(CampaignResponse(campaign_id=campaign.id, account_id=account.id, respondent_id=f"U0C{n}{days}",
                                         answers={"0": score}, answered_at=now - timedelta(days=days)))
        session.add(ActionItem(account_id=account.id, text="Send plan", owner_id=owner, created_by=owner,
                               due_at=now - timedelta(days=1), created_at=now))
        session.add(SupportContract(supplier_id=supplier.id, customer_id=account.id,
                                    severity=ComplaintSeverity.CRITICAL, response_minutes=30, resolution_minutes=120,
                                    availability=99.9,
                                    service_hours="7x24", valid_from=date(2026, 1, 1), valid_until=date(2027, 1, 1),
                                    created_by=owner, created_at=now))
    session.add(Dispute(supplier_id=supplier.id, subject="Late parts", owner_id=owner, level_started_at=now,
                        created_by=owner, created_at=now - timedelta(days=2), updated_at=now))


def test_many_accounts_cost_the_same_queries_as_two(db: Database):
    """Listing the accounts, then one grouped query each for contacts, complaints, case surveys, campaign responses,
    their campaigns, action items and disputes: 8 statements for 2 accounts or for 30."""
    now = datetime(2026, 11, 30, 1, tzinfo=UTC)
    with db.session() as session:
        _accounts_with_signals(session, 2, "U0FEW", now)
        _accounts_with_signals(session, 30, "U0MANY", now)
    statements: list[str] = []
    event.listen(db.engine, "before_cursor_execute", lambda *args: statements.append(args[2]))
    counts, scored = [], []
    for owner in ("U0FEW", "U0MANY"):
        statements.clear()
        with db.session() as session:
            scored.append(customers_health(session, owner_id=owner, at=now, policy=HealthPolicy()))
        counts.append(len([s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]))
    assert counts == [8, 8]
    assert [len(s) for s in scored] == [2, 30]
    health = scored[1][0].health
    # 100 − cadence 30 (40 days, twice the key cadence) − breach 10 − dispute 10 − CSAT 3.0: 10 − NPS −100: 10
    # − NPS trend 5 − action 5 − complaint 3
    assert {d.reason: d.points for d in health.deductions} == {
        Reason.CADENCE: 30, Reason.BREACHES: 10, Reason.DISPUTES: 10, Reason.CSAT: 10, Reason.NPS: 10,
        Reason.NPS_TREND: 5, Reason.ACTIONS: 5, Reason.COMPLAINTS: 3}
    assert (health.score, health.band) == (17, Band.RED)
    with db.session() as session:
        assert read_signals(session, accounts=[], at=now) == {}
