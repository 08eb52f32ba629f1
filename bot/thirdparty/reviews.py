"""Third parties selected and reviewed (有效第三方伙伴选择；定期审核及评估): an evaluation on the criteria of the
party's role with weights and a verdict, periodic reviews due on a working day and reminded to the owner, and the
trend over reviews — on the supplier evaluation and audit machinery, free of Slack.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from bot.platform import outbox
from bot.platform.config import Settings
from bot.platform.errors import Refused
from bot.platform.i18n import _
from bot.platform.services import Services
from bot.rhythm.meetings import account_calendar
from bot.suppliers.audit_schedule import AUDIT_EVERY_MONTHS, ensure_profile
from bot.suppliers.audits import AuditForm, AuditRecorded, check_audit, save_audit
from bot.suppliers.evaluation import check_evaluation, save_evaluation
from bot.suppliers.scoring import Concern, CriteriaSet, SupplierPolicy, equal_weights, improve_or_replace
from bot.thirdparty.cards import ThirdPartyReviewDueCard
from bot.thirdparty.criteria import criteria_for
from bot.thirdparty.sharing import require_third_party
from storage.accounts import Account, AccountKind
from storage.platform.audit import SCHEDULER, record_change
from storage.suppliers import evaluations as store
from storage.suppliers.evaluations import SupplierAudit, SupplierEvaluation, SupplierProfile, get_profile

TREND_REVIEWS = 4
DUE_BATCH = 200


@dataclass(frozen=True)
class PartyForm:
    """What a third party's evaluation or review modal is opened with (nothing is written)."""

    account: Account
    criteria: CriteriaSet
    every_months: int
    today: date


def form_for(session: Session, *, name: str, now: datetime, settings: Settings) -> PartyForm:
    """The third party a modal is opened for, its role's criteria and how often it is reviewed."""
    account = require_third_party(session, name=name)
    assert account.id is not None  # a stored account
    profile = store.get_profile(session, account_id=account.id)
    calendar = account_calendar(account, settings)
    return PartyForm(account, criteria_for(account.third_party_role),
                     profile.audit_every_months if profile else AUDIT_EVERY_MONTHS,
                     now.astimezone(calendar.timezone).date())


def _to_update(session: Session, *, account_id: int, now: datetime, settings: Settings,
               actor_id: str) -> tuple[Account, SupplierProfile]:
    """The third party a form was saved for, and its review schedule locked (started on a working day if none)."""
    account = session.get(Account, account_id)
    if account is None or account.kind != AccountKind.THIRD_PARTY:
        raise Refused(_("That third party no longer exists; nothing was saved."))
    calendar = account_calendar(account, settings)
    profile = ensure_profile(session, account=account, now=now, zone=calendar.timezone, actor_id=actor_id,
                             for_update=True, workdays=calendar)
    return account, profile


def record_evaluation(session: Session, *, account_id: int, scores: Mapping[str, int | None],
                      notes: Mapping[str, str | None], weights: str | None, role: str | None, actor_id: str,
                      now: datetime, settings: Settings,
                      ) -> tuple[Account, SupplierEvaluation, CriteriaSet, SupplierProfile | None]:
    """Evaluate a third party on its role's criteria (the role the modal showed); FormErrors saves nothing.

    Returns the account, the evaluation, the criteria it was held to, and the profile with its review schedule."""
    criteria = criteria_for(role)
    policy = SupplierPolicy.from_settings(settings)
    chosen = check_evaluation(scores, weights, criteria=criteria, base=equal_weights(criteria))
    account, profile = _to_update(session, account_id=account_id, now=now, settings=settings, actor_id=actor_id)
    evaluation = save_evaluation(session, profile=profile, account=account, criteria=criteria, scores=scores,
                                 notes=notes, weights=chosen, threshold=policy.qualify_threshold, actor_id=actor_id,
                                 now=now)
    return account, evaluation, criteria, get_profile(session, account_id=account_id)


def record_review(session: Session, *, account_id: int, scores: Mapping[str, int | None],
                  notes: Mapping[str, str | None], form: AuditForm, role: str | None, actor_id: str, now: datetime,
                  settings: Settings) -> tuple[AuditRecorded, CriteriaSet]:
    """Review a third party for a period on its role's criteria and schedule the next review on a working day."""
    criteria = criteria_for(role)
    policy = SupplierPolicy.from_settings(settings)
    check_audit(scores, form, dimensions=criteria, today=now.astimezone(settings.zone).date())
    account, profile = _to_update(session, account_id=account_id, now=now, settings=settings, actor_id=actor_id)
    calendar = account_calendar(account, settings)
    recorded = save_audit(session, account=account, profile=profile, dimensions=criteria, scores=scores, notes=notes,
                          form=form, actor_id=actor_id, now=now, zone=calendar.timezone,
                          threshold=policy.audit_threshold, workdays=calendar)
    return recorded, criteria


@dataclass(frozen=True)
class ReviewStanding:
    """A third party's selection and reviews: what `/thirdparty <name>` shows of them."""

    account: Account
    criteria: CriteriaSet
    profile: SupplierProfile | None  # None until first evaluated or reviewed
    evaluation: SupplierEvaluation | None
    reviews: list[SupplierAudit]  # oldest first, at most TREND_REVIEWS
    concerns: list[Concern]
    overdue: bool


def review_standing(session: Session, *, account: Account, now: datetime, settings: Settings) -> ReviewStanding:
    """A third party's latest evaluation, review trend and schedule, as of `now` (nothing is written)."""
    assert account.id is not None  # a stored account
    profile = store.get_profile(session, account_id=account.id)
    reviews = store.recent_audits(session, account_id=account.id, limit=TREND_REVIEWS)
    threshold = SupplierPolicy.from_settings(settings).audit_threshold
    return ReviewStanding(account=account, criteria=criteria_for(account.third_party_role), profile=profile,
                          evaluation=store.latest_evaluation(session, account_id=account.id), reviews=reviews,
                          concerns=improve_or_replace([r.average for r in reviews], threshold),
                          overdue=profile is not None and profile.next_audit_due_at <= now)


def run_due_review_reminders(session: Session, now: datetime, services: Services) -> int:
    """Scheduler work: remind each third party's owner once of a review falling due."""
    managers = tuple(services.settings.rapport_managers)
    sent = 0
    for profile in store.claim_due_audit_reminders(session, now=now, limit=DUE_BATCH,
                                                  third_parties=True):
        account = session.get(Account, profile.account_id)
        assert account is not None  # a profile belongs to an account
        due = profile.next_audit_due_at
        calendar = account_calendar(account, services.settings)
        card = ThirdPartyReviewDueCard(party=account.name, role=account.third_party_role, due_at=due,
                                       every_months=profile.audit_every_months, tz=calendar.timezone)
        for person in (account.owner_id,) if account.owner_id else managers:
            outbox.dm(session, key=f"thirdparty-review-due:{account.id}:{due.date().isoformat()}:{person}",
                      user=person, card=card, now=now)
        profile.audit_remind_at = None
        session.add(profile)
        record_change(session, actor_id=SCHEDULER, action="thirdparty.review_reminder", object_type="account",
                      object_id=account.id, at=now, after={"due_at": due.isoformat()})
        sent += 1
    return sent


def next_due_review_reminders(session: Session, now: datetime, services: Services) -> datetime | None:
    """When run_due_review_reminders next has work (a review reminder); past when some waits."""
    return store.next_audit_reminder_at(session, third_parties=True)
