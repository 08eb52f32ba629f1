"""tick(now): find what is due, queue it in the outbox, deliver. APScheduler only calls tick."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from sqlmodel import Session

from bot.care.campaign_schedule import next_due_campaigns, run_due_campaigns
from bot.care.complaint_alerts import next_due_complaints, run_due_complaints
from bot.care.first_response import next_due_first_responses, run_due_first_responses
from bot.care.need_agreements import next_due_need_agreements, run_due_need_agreements
from bot.care.services_added_schedule import next_due_services, run_due_services
from bot.care.survey_schedule import next_due_surveys, run_due_surveys
from bot.overview.digest import next_due_digests, next_zone_check, run_due_digests
from bot.platform import outbox
from bot.platform.idle import fingerprint
from bot.platform.services import Services
from bot.report.drafts import next_due_report_drafts, run_due_report_drafts
from bot.rhythm.action_items import next_due_action_items, run_due_action_items
from bot.rhythm.agreements import next_due_reports, run_due_reports
from bot.rhythm.meeting_reminders import next_due_meetings, run_due_meetings
from bot.risks.signal_runs import (
    next_due_risk_reviews,
    next_due_risk_signals,
    run_due_risk_reviews,
    run_due_risk_signals,
)
from bot.suppliers.audits import next_due_audit_reminders, run_due_audit_reminders
from bot.suppliers.changes import next_due_supplier_change_notices, run_due_supplier_change_notices
from bot.suppliers.contracts import next_due_contract_alerts, run_due_contract_alerts
from bot.suppliers.coordination import next_due_pings, run_due_pings
from bot.suppliers.coordination_parties import next_due_chases, run_due_chases
from bot.suppliers.disputes import next_due_disputes, run_due_disputes
from bot.thirdparty.requests import next_due_requests, run_due_requests
from bot.thirdparty.reviews import next_due_review_reminders, run_due_review_reminders
from storage.platform.horizon import current_changes, store_horizon
from storage.platform.outbox import next_delivery_at

if TYPE_CHECKING:
    from apscheduler.schedulers.background import BackgroundScheduler

log = logging.getLogger(__name__)

DueWork = Callable[[Session, datetime, Services], int]

# Each feature's "what is due at now" function, run in this order on every tick.
# They only queue outbox messages (with dedupe keys) and claim run-ledger keys,
# so running a tick twice, or in two processes at once, sends nothing twice.
DUE_WORK: tuple[DueWork, ...] = (run_due_surveys, run_due_campaigns, run_due_complaints, run_due_first_responses,
                                  run_due_audit_reminders, run_due_contract_alerts,
                                  run_due_supplier_change_notices, run_due_meetings,
                                  run_due_reports, run_due_report_drafts, run_due_action_items, run_due_disputes,
                                  run_due_pings, run_due_chases, run_due_requests, run_due_review_reminders,
                                  run_due_services, run_due_need_agreements, run_due_risk_signals,
                                  run_due_risk_reviews, run_due_digests)

NextDue = Callable[[Session, datetime, Services], datetime | None]

# For each due-work function, when it next has work (next_due_X for run_due_X; a test keeps them paired),
# so a scheduler can run at the moments things fall due instead of on a grid (the sandbox's `advance`).
NEXT_DUE: tuple[NextDue, ...] = (next_due_surveys, next_due_campaigns, next_due_complaints, next_due_first_responses,
                                 next_due_audit_reminders, next_due_contract_alerts,
                                 next_due_supplier_change_notices, next_due_meetings,
                                 next_due_reports, next_due_report_drafts, next_due_action_items,
                                 next_due_disputes, next_due_pings, next_due_chases, next_due_requests,
                                 next_due_review_reminders, next_due_services, next_due_need_agreements,
                                 next_due_risk_signals, next_due_risk_reviews, next_due_digests)


@dataclass
class TickReport:
    """What one tick queued and delivered."""

    queued: dict[str, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    delivery: outbox.DeliveryReport = field(default_factory=outbox.DeliveryReport)


def tick(services: Services, now: datetime, *, due_work: tuple[DueWork, ...] | None = None) -> TickReport:
    """Run every due-work function for `now`, then deliver the outbox."""
    report = TickReport()
    services.slack.people.warm()  # everyone looked up today, so the due work asks Slack only about the others
    for work in DUE_WORK if due_work is None else due_work:
        started = time.perf_counter()
        try:
            with services.db.session() as session:
                report.queued[work.__name__] = work(session, now, services)
        except Exception:  # one broken feature must not stop the others' reminders
            log.exception("tick: %s failed", work.__name__)
            report.errors.append(work.__name__)
        _timed(services, work.__name__, started)
    started = time.perf_counter()
    try:
        report.delivery = outbox.deliver_due(services.db, services.slack, now=now,
                                             admins=tuple(services.settings.admins), clock=services.clock,
                                             pacer=services.pacer, observe=services.observe_delivery)
    except Exception:  # e.g. the database is briefly unreachable: the next tick delivers
        log.exception("tick: delivering the outbox failed")
        report.errors.append("deliver_due")
    _timed(services, "deliver_due", started)
    services.slack.people.flush()  # a cron tick's process ends here: what Slack said must be saved first
    if due_work is None:
        _store_horizon(services, now, vouch=not report.errors)
    return report


def _store_horizon(services: Services, now: datetime, *, vouch: bool) -> None:
    """Say until when the next cron tick may exit early (bot/platform/idle.py); a tick with errors vouches for nothing.

    The counter is read before `next_due_at` looks: a write committed after the read moves the counter past
    the stored one, so the horizon never covers a change it did not see.
    """
    try:
        changes = None
        if vouch:
            with services.db.session(read_only=True) as session:
                changes = current_changes(session)
        moment = _horizon(services, now) if changes is not None else None
        store_horizon(services.db.engine, checked_changes=changes, next_due_at=moment,
                      fingerprint=fingerprint(services.settings), now=now)
    except Exception:  # the next cron tick then runs in full, as before
        log.exception("tick: storing the horizon failed")


def _timed(services: Services, job: str, started: float) -> None:
    if services.metrics is not None:
        services.metrics.tick_job(job, time.perf_counter() - started)


def next_due_at(services: Services, now: datetime) -> datetime | None:
    """The earliest moment a tick would find work: due work or a message for Slack (at or before `now`: waiting)."""
    with services.db.session() as session:
        moments = [next_due(session, now, services) for next_due in NEXT_DUE] + [next_delivery_at(session)]
    return min((moment for moment in moments if moment is not None), default=None)


def _horizon(services: Services, now: datetime) -> datetime | None:
    """next_due_at, or earlier when a digest recipient's time zone is next asked of Slack."""
    moment = next_due_at(services, now)
    with services.db.session(read_only=True) as session:
        check = next_zone_check(session, now, services)
    return min((found for found in (moment, check) if found is not None), default=None)


def start_scheduler(services: Services) -> BackgroundScheduler:
    """Run tick every RAPPORT_TICK_SECONDS in a background thread."""
    from apscheduler.schedulers.background import BackgroundScheduler  # `rapport serve` only, not a cron tick

    scheduler = BackgroundScheduler(timezone="UTC")
    scheduler.add_job(
        lambda: tick(services, services.now()),
        "interval",
        seconds=services.settings.rapport_tick_seconds,
        id="rapport-tick",
        max_instances=1,
        coalesce=True,
    )
    scheduler.start()
    return scheduler
