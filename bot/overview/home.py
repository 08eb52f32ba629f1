"""App Home: one person's dashboard, read in a fixed number of queries — free of Slack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel import Session

from bot.care.complaint_clock import ComplaintPolicy
from bot.care.waiting import WaitingMessage, waiting_message
from bot.overview.health import Band, HealthPolicy
from bot.overview.health_signals import ScoredAccount, customers_health
from storage.accounts import Account
from storage.care import capture
from storage.care.complaints import Complaint
from storage.care.praise import Praise
from storage.overview import digest as store
from storage.rhythm.action_items import ActionSlot, count_open_action_items, list_open_action_items
from storage.rhythm.agreements import DeadlineSlot, list_pending_deadlines
from storage.rhythm.meetings import MeetingSlot, list_user_meetings

HOME_LIMIT = 8  # items per list on the Home tab; the rest are counted
READ_LIMIT = 50  # meetings and deadlines read to count them
RECENT = timedelta(days=30)  # "recent praise" and the team's CSAT
WEEK = timedelta(days=7)


@dataclass(frozen=True)
class Dashboard:
    """What one person's Home tab shows."""

    user_id: str
    zone: ZoneInfo
    now: datetime
    manager: bool
    complaints: store.Page[tuple[Complaint, str]]  # (complaint, account name): the active complaints they handle
    meetings: list[MeetingSlot]  # theirs, from the start of today for seven days
    actions: list[ActionSlot]
    actions_open: int
    actions_overdue: int
    deadlines: list[DeadlineSlot]  # report deadlines of the accounts they own, not yet submitted
    praise: store.Page[tuple[Praise, str | None]]  # (praise, account name): praise for them in the last 30 days
    csat: store.Answers  # the team's, over 30 days
    # Customer messages waiting for our first response, oldest first: on their accounts (managers: every account).
    waiting: store.Page[WaitingMessage]
    cold: store.Page[Account] | None = None  # managers only: accounts gone cold (all tiers)
    breached: store.Page[tuple[Complaint, str]] | None = None  # managers only: active complaints past an SLA clock
    health: store.Page[ScoredAccount] | None = None  # the accounts they own, worst first
    team_health: store.Page[ScoredAccount] | None = None  # managers only: every account in amber or red, worst first


def build_dashboard(session: Session, *, user_id: str, zone: ZoneInfo, manager: bool, now: datetime,
                    policy: ComplaintPolicy, health: HealthPolicy | None = None) -> Dashboard:
    """Read one person's dashboard at `now` (their own zone decides where "today" starts)."""
    today = datetime.combine(now.astimezone(zone).date(), time(0), tzinfo=zone)
    actions_open, actions_overdue = count_open_action_items(session, now=now, owner_id=user_id)
    mine, team = _health(session, user_id=user_id, manager=manager, now=now, policy=health or HealthPolicy())
    cold = store.cold_accounts(session, now=now, owner_id=None, key_only=False, limit=HOME_LIMIT) if manager else None
    return Dashboard(
        user_id=user_id, zone=zone, now=now, manager=manager,
        complaints=store.handled_complaints(session, user_id=user_id, limit=HOME_LIMIT),
        meetings=list_user_meetings(session, user_id=user_id, start=today, end=today + WEEK, limit=READ_LIMIT),
        actions=list_open_action_items(session, now=now, owner_id=user_id, limit=HOME_LIMIT),
        actions_open=actions_open, actions_overdue=actions_overdue,
        deadlines=list_pending_deadlines(session, owner_id=user_id, limit=READ_LIMIT),
        praise=store.praise_between(session, since=now - RECENT, owner_id=None, receiver_id=user_id, limit=HOME_LIMIT),
        csat=store.survey_answers(session, since=now - RECENT, until=now, owner_id=None),
        cold=cold,
        breached=store.breached_complaints(session, owner_id=None, limit=HOME_LIMIT) if manager else None,
        waiting=_waiting(session, owner_id=None if manager else user_id, now=now, policy=policy),
        health=mine, team_health=team,
    )


def _health(session: Session, *, user_id: str, manager: bool, now: datetime,
            policy: HealthPolicy) -> tuple[store.Page[ScoredAccount], store.Page[ScoredAccount] | None]:
    """Their accounts' health, and a manager's accounts in amber or red: every account scored in one pass."""
    scored = customers_health(session, owner_id=None if manager else user_id, at=now, policy=policy)
    mine = [s for s in scored if s.account.owner_id == user_id]
    worrying = [s for s in scored if s.health.band != Band.GREEN]
    return (store.Page(rows=mine[:HOME_LIMIT], total=len(mine)),
            store.Page(rows=worrying[:HOME_LIMIT], total=len(worrying)) if manager else None)


def _waiting(session: Session, *, owner_id: str | None, now: datetime,
             policy: ComplaintPolicy) -> store.Page[WaitingMessage]:
    rows = capture.list_waiting(session, owner_id=owner_id, limit=HOME_LIMIT)
    return store.Page(rows=[waiting_message(message, account, now=now, policy=policy) for message, account in rows],
                      total=capture.count_waiting(session, owner_id=owner_id))
