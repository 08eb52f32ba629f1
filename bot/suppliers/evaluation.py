"""Supplier selection (供应商选择): add a supplier, score a candidate on the nine criteria, compare candidates
side by side — free of Slack.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session

from bot.accounts.labels import kind_label
from bot.accounts.registry import add_account, require_account
from bot.platform.arguments import parse_page
from bot.platform.errors import FormErrors, InvalidInput, Refused
from bot.platform.i18n import _
from bot.platform.paging import page_window
from bot.suppliers.audit_schedule import AUDIT_EVERY_MONTHS, action_prefix, ensure_profile
from bot.suppliers.scoring import (
    SUPPLIER_CRITERIA,
    Concern,
    CriteriaSet,
    SupplierPolicy,
    check_scores,
    clean_notes,
    improve_or_replace,
    parse_weights,
    qualifies,
    weighted_total,
)
from storage import accounts as account_store
from storage.accounts import Account, AccountKind
from storage.platform.audit import record_change
from storage.suppliers import evaluations as store
from storage.suppliers.evaluations import SupplierEvaluation, SupplierProfile

PAGE_SIZE = 10


def require_supplier(session: Session, *, name: str) -> Account:
    """The named supplier account; NotFound suggesting names, or Refused if it is not a supplier."""
    if not name.strip():
        raise InvalidInput(_("Name the supplier, e.g. `/supplier Net Co`. See `/supplier list`."))
    account = require_account(session, name=name, kind=AccountKind.SUPPLIER)
    if account.kind != AccountKind.SUPPLIER:
        raise Refused(_("“{name}” is a {kind} account, not a supplier.").format(
            name=account.name, kind=kind_label(account.kind)))
    return account


def supplier_by_id(session: Session, *, account_id: int) -> Account:
    """The supplier a form was opened for; Refused when it has gone (or is no longer a supplier)."""
    account = session.get(Account, account_id)
    if account is None or account.kind != AccountKind.SUPPLIER:
        raise Refused(_("That supplier no longer exists; nothing was saved."))
    return account


def supplier_to_update(session: Session, *, account_id: int, now: datetime, policy: SupplierPolicy,
                       actor_id: str) -> tuple[Account, SupplierProfile]:
    """The supplier a form was saved for, and its profile locked for the change (started if it had none)."""
    account = supplier_by_id(session, account_id=account_id)
    profile = ensure_profile(session, account=account, now=now, zone=policy.timezone, actor_id=actor_id,
                             for_update=True)
    return account, profile


def supplier_for_form(session: Session, *, name: str) -> tuple[Account, int]:
    """The supplier a modal is opened for, and how often it is audited (nothing is written)."""
    account = require_supplier(session, name=name)
    assert account.id is not None  # a stored account
    profile = store.get_profile(session, account_id=account.id)
    return account, profile.audit_every_months if profile else AUDIT_EVERY_MONTHS


def add_supplier(session: Session, *, name: str, actor_id: str, now: datetime,
                 policy: SupplierPolicy) -> tuple[Account, SupplierProfile]:
    """Create a supplier account owned by the actor, with its audit schedule."""
    if not " ".join(name.split()):
        raise InvalidInput(_("Give the supplier a name: `/supplier add Net Co`"))
    account = add_account(session, name=name, kind=AccountKind.SUPPLIER, actor_id=actor_id, now=now,
                          zone=policy.timezone)
    return account, ensure_profile(session, account=account, now=now, zone=policy.timezone, actor_id=actor_id)


def check_evaluation(scores: Mapping[str, int | None], weights: str | None, *, criteria: CriteriaSet,
                     base: Mapping[str, float]) -> dict[str, float]:
    """The weights to use; FormErrors names every score and the weights to fix (nothing is read or written)."""
    errors = {key: _("Score this from 1 to 5.") for key in check_scores(scores, criteria.keys)}
    chosen: dict[str, float] = {}
    try:
        chosen = parse_weights(weights, base=base, criteria=criteria)
    except InvalidInput as exc:
        errors["weights"] = exc.message
    if errors:
        raise FormErrors(errors)
    return chosen


def save_evaluation(session: Session, *, profile: SupplierProfile, account: Account, criteria: CriteriaSet,
                    scores: Mapping[str, int | None], notes: Mapping[str, str | None], weights: Mapping[str, float],
                    threshold: float, actor_id: str, now: datetime) -> SupplierEvaluation:
    """Store a checked evaluation of any scored party (supplier or third party), its total, verdict and audit row."""
    kept = {key: int(score) for key in criteria.keys if (score := scores[key]) is not None}
    total = weighted_total(kept, weights, criteria)
    evaluation = SupplierEvaluation(account_id=profile.account_id, scores=kept, notes=clean_notes(notes),
                                    weights=dict(weights), total=total, threshold=threshold,
                                    qualified=qualifies(total, threshold), evaluated_by=actor_id, created_at=now)
    store.add_row(session, evaluation)
    profile.latest_total = total
    session.add(profile)
    record_change(session, actor_id=actor_id, action=f"{action_prefix(account)}.evaluate", object_type="account",
                  object_id=profile.account_id,
                  at=now, after={"evaluation_id": evaluation.id, "scores": kept, "weights": dict(weights),
                                 "total": total, "qualified": evaluation.qualified})
    return evaluation


def record_evaluation(session: Session, *, account_id: int, scores: Mapping[str, int | None],
                      notes: Mapping[str, str | None], weights: str | None, actor_id: str, now: datetime,
                      policy: SupplierPolicy) -> tuple[Account, SupplierEvaluation]:
    """Score a candidate on the nine criteria; FormErrors names every field to fix, and nothing is saved."""
    chosen = check_evaluation(scores, weights, criteria=SUPPLIER_CRITERIA, base=policy.weights)
    account, profile = supplier_to_update(session, account_id=account_id, now=now, policy=policy, actor_id=actor_id)
    evaluation = save_evaluation(session, profile=profile, account=account, criteria=SUPPLIER_CRITERIA, scores=scores,
                                 notes=notes, weights=chosen, threshold=policy.qualify_threshold, actor_id=actor_id,
                                 now=now)
    return account, evaluation


@dataclass(frozen=True)
class Candidate:
    """One supplier in the side-by-side list."""

    account: Account
    evaluation: SupplierEvaluation | None
    audit_average: float | None
    concerns: list[Concern]


@dataclass(frozen=True)
class CandidatePage:
    """One page of `/supplier list`."""

    candidates: list[Candidate]
    page: int
    pages: int
    total: int


def parse_list_page(text: str) -> int:
    """`/supplier list [page]`: the page asked for (the first when none)."""
    return parse_page(text, usage=_("Give a page number: `/supplier list 2`"))


def list_candidates(session: Session, *, page: int, policy: SupplierPolicy) -> CandidatePage:
    """Suppliers side by side, best latest evaluation first, PAGE_SIZE at a time."""
    total = account_store.count_accounts(session, kind=AccountKind.SUPPLIER)
    window = page_window(total=total, page=page, size=PAGE_SIZE)
    rows = store.list_suppliers_ranked(session, offset=window.offset, limit=window.limit)
    ids = [account.id for account, _profile in rows if account.id is not None]
    evaluations = store.latest_evaluations(session, account_ids=ids)
    averages = store.recent_audit_averages(session, account_ids=ids)
    candidates = []
    for account, _profile in rows:
        assert account.id is not None  # a stored account
        recent = averages.get(account.id, [])
        candidates.append(Candidate(account, evaluations.get(account.id), recent[-1] if recent else None,
                                    improve_or_replace(recent, policy.audit_threshold)))
    return CandidatePage(candidates=candidates, page=window.page, pages=window.pages, total=total)
