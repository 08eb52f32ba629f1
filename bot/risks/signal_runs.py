"""Scheduler work for risks: raise a risk once per cause (at most hourly), and remind owners of due reviews."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.calendar.reminder_stages import step_stages
from bot.platform import outbox
from bot.platform.i18n import speaking
from bot.risks.cards import ReviewStage, RiskRaisedCard, RiskReviewCard
from bot.risks.register import risk_values
from bot.risks.signals import SIGNALS, Cause, Signal
from bot.risks.wording import risk_facts
from storage.accounts import Account
from storage.platform.audit import SCHEDULER, record_change
from storage.platform.ledger import claim_run, claimed_keys
from storage.risks import register as store
from storage.risks.register import LIVE, RiskSource

if TYPE_CHECKING:
    from bot.platform.services import Services

REVIEW_BATCH = 200
STAGES = (ReviewStage.DUE, ReviewStage.OVERDUE)


def signals_run_key(now: datetime) -> str:
    """The run-ledger key of the signals' pass in `now`'s hour: they run at most once an hour."""
    return f"risk-signals:{now:%Y-%m-%dT%H}"


def run_due_risk_signals(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: look for each signal's causes (once an hour) and raise a risk for each new one."""
    if not claim_run(session, key=signals_run_key(now), now=now):
        return 0
    return raise_new_causes(session, now=now, services=services)


def raise_new_causes(session: Session, *, now: datetime, services: Services) -> int:
    """Every signal's causes now, and a risk raised for each that has none yet; how many were raised."""
    found = [(signal, cause) for signal in SIGNALS for cause in signal.find(session, now, services)]
    # Causes that go on raise nothing; skip them in one query rather than one insert each, every hour.
    known = store.known_causes(session, keys=[cause.key for _signal, cause in found])
    return sum(raise_risk(session, signal, cause, now=now, services=services)
               for signal, cause in found if cause.key not in known)


def raise_risk(session: Session, signal: Signal, cause: Cause, *, now: datetime, services: Services) -> int:
    """Raise the cause's risk unless it was raised before, and tell its owner; 1 if raised."""
    account = session.get(Account, cause.account_id)
    if account is None:
        return 0
    owner = account.owner_id or account.created_by
    with speaking("en"):  # the English wording is kept on the row; readers see it in their language by its key
        title = signal.title(cause.facts)
    values = risk_values(account, source=RiskSource.SIGNAL, title=title, owner_id=owner,
                         likelihood=signal.likelihood, impact=signal.impact, actor_id=SCHEDULER, now=now,
                         calendar=services.team_calendar(), signal=signal.kind, cause_key=cause.key,
                         facts=cause.facts)
    risk_id = store.insert_risk_once(session, values, keys=("cause_key",))
    if risk_id is None:
        return 0
    record_change(session, actor_id=SCHEDULER, action="risk.raise", object_type="risk", object_id=risk_id, at=now,
                  after={"account_id": account.id, "signal": signal.kind, "cause": cause.key})
    risk = store.get_risk(session, risk_id=risk_id)
    assert risk is not None  # inserted just above
    card = RiskRaisedCard(risk_facts(risk, account, zone=services.settings.zone))
    outbox.dm(session, key=f"risk:{risk_id}:raised", user=owner, card=card, now=now)
    return 1


def next_due_risk_signals(session: Session, now: datetime, services: Services) -> datetime | None:
    """When time alone may bring a new cause (a key account's cadence, a contract's last 30 days); hourly at most."""
    moments = [moment for signal in SIGNALS if signal.next_at is not None
               for moment in [signal.next_at(session, now, services)] if moment is not None]
    if not moments:
        return None
    earliest = min(moments)
    next_hour = now.replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    if earliest < next_hour and claimed_keys(session, keys=[signals_run_key(now)]):
        return next_hour
    return earliest


def review_key(risk_id: int, review_at: datetime, stage: ReviewStage) -> str:
    """The outbox key of a review reminder: one per risk, review and stage."""
    return f"risk:{risk_id}:review:{review_at:%Y%m%d%H%M}:{stage.value}"


def run_due_risk_reviews(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: remind each live risk's owner on its review day, and once more when overdue."""
    handled = 0
    for risk in store.claim_due_risk_reviews(session, now=now, limit=REVIEW_BATCH):
        assert risk.id is not None  # claimed from the database
        handled += 1
        if risk.status not in LIVE:
            store.change_risk(session, risk_id=risk.id, statuses=(risk.status,), values={"next_check_at": None})
            continue
        step = step_stages(STAGES, (risk.due_reminder_at, risk.overdue_reminder_at), reminded=risk.reminded_stage,
                           now=now)
        if not store.change_risk(session, risk_id=risk.id, statuses=LIVE, values=step.changes()) or not step.due:
            continue
        stage = ReviewStage(step.due)
        account = session.get(Account, risk.account_id)
        assert account is not None  # a risk's account cannot be deleted under it (foreign key)
        card = RiskReviewCard(risk_facts(risk, account, zone=services.settings.zone), stage=stage)
        outbox.dm(session, key=review_key(risk.id, risk.next_review_at, stage), user=risk.owner_id, card=card,
                  now=now)
        record_change(session, actor_id=SCHEDULER, action="risk.remind", object_type="risk", object_id=risk.id,
                      at=now, after={"stage": stage.value})
    return handled


def next_due_risk_reviews(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_risk_reviews next has work (a review reminder); past when one waits."""
    return store.next_risk_check_at(session)
