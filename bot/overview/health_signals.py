"""Account health from the record: the signals of many accounts read at once, scored, and the bands remembered.

Reading is a fixed number of grouped queries whatever the number of accounts (see `read_signals`), so App Home
and the digest score every account without a query per account.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlmodel import Session

from bot.accounts.registry import contact_cadence
from bot.care.campaign_results import nps_by_account
from bot.overview.health import Band, Health, HealthPolicy, HealthSignals, score_health, worst_first
from storage.accounts import Account
from storage.care.campaigns import list_campaigns_by_id, responses_of_accounts
from storage.care.complaints import complaint_counts
from storage.care.contacts import last_touchpoints
from storage.care.surveys import csat_in_two_windows
from storage.overview import health as store
from storage.platform.audit import SCHEDULER, record_change
from storage.rhythm.action_items import overdue_counts
from storage.suppliers.disputes import open_disputes_behind

log = logging.getLogger(__name__)

COMPLAINT_WINDOW = timedelta(days=30)
SURVEY_WINDOW = timedelta(days=90)


@dataclass(frozen=True)
class ScoredAccount:
    """An account and its health."""

    account: Account
    health: Health


def read_signals(session: Session, *, accounts: Sequence[Account], at: datetime,
                 every: bool = False) -> dict[int, HealthSignals]:
    """The health signals of `accounts` as of `at`, in at most seven queries whatever their number.

    Contacts, complaints, case surveys, campaign responses (and their campaigns), action items, disputes: one
    grouped query each. `every`: the accounts are all of them, so no query lists their ids.
    """
    ids = [a.id for a in accounts if a.id is not None]
    if not ids:
        return {}
    among: list[int] | None = None if every else ids
    touched = last_touchpoints(session, account_ids=among, before=at)
    complaints = complaint_counts(session, account_ids=among, since=at - COMPLAINT_WINDOW, until=at)
    csat = csat_in_two_windows(session, account_ids=among, start=at - 2 * SURVEY_WINDOW, middle=at - SURVEY_WINDOW,
                               end=at)
    responses = responses_of_accounts(session, account_ids=among, since=at - 2 * SURVEY_WINDOW, until=at)
    campaigns = list_campaigns_by_id(session, campaign_ids={r.campaign_id for r in responses})
    middle = at - SURVEY_WINDOW
    nps_now = nps_by_account([r for r in responses if r.answered_at >= middle], campaigns)
    nps_before = nps_by_account([r for r in responses if r.answered_at < middle], campaigns)
    overdue = overdue_counts(session, account_ids=among, at=at)
    disputes = open_disputes_behind(session, account_ids=among, at=at)
    found: dict[int, HealthSignals] = {}
    for account in accounts:
        if account.id is None:
            continue
        counts = complaints.get(account.id)
        earlier, later = csat.get(account.id, (None, None))
        found[account.id] = HealthSignals(
            cadence_days=contact_cadence(account),
            days_since_contact=(at - _last_contact(account, touched.get(account.id), at)).days,
            complaints=counts.opened if counts else 0,
            breaches=counts.breaches if counts else 0,
            open_critical=counts.open_critical if counts else 0,
            csat=later.average if later else None, csat_before=earlier.average if earlier else None,
            nps=nps_now.get(account.id), nps_before=nps_before.get(account.id),
            overdue_actions=overdue.get(account.id, 0), open_disputes=disputes.get(account.id, 0),
        )
    return found


def _last_contact(account: Account, touchpoint: datetime | None, at: datetime) -> datetime:
    """The latest contact up to `at` (a touchpoint, or a message in its channels), else when it was added."""
    moments = [m for m in (touchpoint, account.last_contact_at) if m is not None and m <= at]
    return max(moments, default=account.created_at)


def score_accounts(session: Session, *, accounts: Sequence[Account], at: datetime, policy: HealthPolicy,
                   every: bool = False) -> list[ScoredAccount]:
    """Score accounts as of `at`, worst first (red before amber before green, then the lower score)."""
    signals = read_signals(session, accounts=accounts, at=at, every=every)
    scored = [ScoredAccount(a, score_health(signals[a.id], policy)) for a in accounts if a.id in signals]
    return sorted(scored, key=lambda s: (*worst_first(s.health), s.account.name_key))


def account_health(session: Session, *, account: Account, at: datetime, policy: HealthPolicy) -> Health:
    """One account's health as of `at`."""
    assert account.id is not None
    return score_health(read_signals(session, accounts=[account], at=at)[account.id], policy)


def customers_health(session: Session, *, owner_id: str | None, at: datetime,
                     policy: HealthPolicy) -> list[ScoredAccount]:
    """The health of a person's customer accounts (everyone's when None), worst first."""
    accounts = store.list_customers(session, owner_id=owner_id)
    return score_accounts(session, accounts=accounts, at=at, policy=policy, every=owner_id is None)


def note_health_bands(session: Session, *, now: datetime, policy: HealthPolicy) -> int:
    """Score every customer account and keep each band that changed; a fall into the red is stamped `now`.

    The digest lists the accounts stamped since the reader's previous digest, so a fall is told once and an
    account staying red is not told again. Returns how many bands changed (each with an audit row).
    """
    noted = store.noted_bands(session)
    changed = 0
    for scored in customers_health(session, owner_id=None, at=now, policy=policy):
        account_id, health = scored.account.id, scored.health
        assert account_id is not None
        before = noted.get(account_id)
        if before is not None and before.band == health.band:
            continue
        fell = health.band == Band.RED
        store.note_band(session, account_id=account_id, band=health.band, score=health.score, now=now, fell=fell)
        record_change(session, actor_id=SCHEDULER, action="health.band", object_type="account", object_id=account_id,
                      at=now, before={"band": before.band, "score": before.score} if before else None,
                      after={"band": health.band.value, "score": health.score})
        changed += 1
    return changed


def fallen_into_red(session: Session, *, after: datetime, now: datetime, owner_id: str | None,
                    policy: HealthPolicy) -> list[ScoredAccount]:
    """Accounts seen falling into the red after `after` (a person's, or everyone's), with their health now."""
    ids = store.fallen_into_red(session, after=after, until=now, owner_id=owner_id)
    if not ids:
        return []
    accounts = store.list_customers(session, owner_id=None, account_ids=ids)
    return score_accounts(session, accounts=accounts, at=now, policy=policy)
