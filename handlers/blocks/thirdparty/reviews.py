"""Block Kit for third parties' evaluations and reviews: the modals (the supplier ones, with the role's criteria),
replies, the standing on `/thirdparty <name>`, and the review reminder."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.models.blocks import PlainTextInputElement, PlainTextObject

from bot.accounts.labels import account_kind_label
from bot.platform.cards import Rendered
from bot.platform.i18n import _
from bot.suppliers.audits import AuditRecorded
from bot.suppliers.scoring import CriteriaSet, Trend, trend
from bot.thirdparty.cards import ThirdPartyReviewDueCard
from bot.thirdparty.reviews import PartyForm, ReviewStanding
from handlers.blocks.common import Reply, context, date_label, local_day, section, user
from handlers.blocks.suppliers.forms import period_inputs, scored_inputs, scoring_modal, weights_input
from handlers.blocks.suppliers.labels import weights_text
from handlers.blocks.suppliers.scorecard import concern_text, every_text, verdict_text
from handlers.ids import Action
from handlers.ids import View as ViewId
from storage.accounts import Account
from storage.suppliers.evaluations import SupplierEvaluation, SupplierProfile

ARROWS = {Trend.UP: "↑", Trend.DOWN: "↓", Trend.FLAT: "→", Trend.NEW: ""}


def criterion_labels(criteria: CriteriaSet) -> dict[str, str]:
    """A third party's criteria in words, in scoring order."""
    words = {
        "independence": _("Independence from us and the customer"),
        "qualification": _("Qualifications for its role"),
        "responsiveness": _("Responsiveness"),
        "information_handling": _("Handling of our information (confidentiality)"),
        "methodology": _("Audit methodology and evidence"),
        "findings": _("Useful, fair findings"),
        "clarity": _("Clear requirements and guidance"),
        "consistency": _("Consistent rulings"),
        "accreditation": _("Accreditation and recognition"),
        "scope": _("Scope covers our services"),
        "delivery": _("Delivers on time and to specification"),
        "cost": _("Cost for the value"),
    }
    return {key: words[key] for key in criteria.keys}


def _metadata(form: PartyForm, channel_id: str) -> dict[str, Any]:
    # The role is kept so the scores are read back on the criteria shown, even if the role changes meanwhile.
    return {"account_id": form.account.id, "channel": channel_id, "role": form.account.third_party_role}


def build_evaluation_modal(form: PartyForm, *, channel_id: str, threshold: float) -> dict[str, Any]:
    """Evaluate a third party on its role's criteria, with optional weights."""
    intro = _("Evaluate *{name}* ({kind}) on each criterion, from 1 (poor) to 5 (excellent). The total is the "
              "weighted average; {threshold:g} or more qualifies.").format(
        name=form.account.name, kind=account_kind_label(form.account), threshold=threshold)
    element = PlainTextInputElement(action_id=Action.SUPPLIER_INPUT,
                                    placeholder=PlainTextObject(text=f"{form.criteria.keys[0]}=2"))
    hint = _("One number per criterion in the order above, or name=weight for the ones that differ. Empty: equal.")
    blocks: list[Any] = [section(intro), *scored_inputs(criterion_labels(form.criteria)),
                         weights_input(element, hint=hint)]
    return scoring_modal(ViewId.THIRDPARTY_EVALUATION, _("Evaluate third party"), _("Save"),
                         _metadata(form, channel_id), blocks)


def build_review_modal(form: PartyForm, *, channel_id: str, actor_id: str) -> dict[str, Any]:
    """Review a third party for a period on its role's criteria, and set when the next review falls due."""
    intro = _("Review *{name}* ({kind}): score each criterion from 1 (poor) to 5 (excellent) for the period "
              "reviewed.").format(name=form.account.name, kind=account_kind_label(form.account))
    blocks = period_inputs(intro, criterion_labels(form.criteria), actor_id=actor_id, every_months=form.every_months,
                           today=form.today, next_label=_("Next review"))
    return scoring_modal(ViewId.THIRDPARTY_REVIEW, _("Review third party"), _("Save"), _metadata(form, channel_id),
                         blocks)


def _scores_line(scores: Mapping[str, int], labels: Mapping[str, str]) -> str:
    return " · ".join(f"{label} {scores[key]}" for key, label in labels.items() if key in scores)


def _schedule_line(profile: SupplierProfile, zone: ZoneInfo, *, overdue: bool = False) -> str:
    line = _("Reviews {every}; next due {day}").format(every=every_text(profile.audit_every_months),
                                                       day=local_day(profile.next_audit_due_at, zone))
    return line + (" — ⏰ " + _("overdue") if overdue else "")


def build_evaluation_saved(account: Account, evaluation: SupplierEvaluation, criteria: CriteriaSet, *,
                           zone: ZoneInfo, profile: SupplierProfile | None = None) -> Reply:
    """The total and verdict of a third party's evaluation, its weakest criteria, and when it is next reviewed."""
    text = _("Evaluated *{name}*: *{total:.2f} / 5* — {verdict}.").format(
        name=account.name, total=evaluation.total, verdict=verdict_text(evaluation))
    labels = criterion_labels(criteria)
    weak = [labels[key] for key, score in evaluation.scores.items() if score <= 2 and key in labels]
    blocks = [section(text), context(_scores_line(evaluation.scores, labels),
                                     _("Weights: {weights}").format(weights=weights_text(evaluation.weights)))]
    if weak:
        blocks.append(section(_("Weakest: {items}").format(items=", ".join(weak))))
    if profile is not None:
        blocks.append(context(_schedule_line(profile, zone) + "."))
    return text, blocks


def build_review_saved(recorded: AuditRecorded, criteria: CriteriaSet, *, zone: ZoneInfo,
                       threshold: float) -> Reply:
    """The review's average, the trend, the next due day, and the flag if the party must improve or be replaced."""
    review = recorded.audit
    arrow = ARROWS[trend(recorded.averages)]
    text = _("Reviewed *{name}* ({start} – {end}) by {reviewer}: average *{average:.2f} / 5* {arrow}").format(
        name=recorded.account.name, start=date_label(review.period_start), end=date_label(review.period_end),
        reviewer=user(review.auditor_id), average=review.average, arrow=arrow).rstrip()
    blocks = [section(text), context(_scores_line(review.scores, criterion_labels(criteria)))]
    if recorded.concerns:
        flag = concern_text(recorded.concerns, recorded.averages, threshold)
        text += "\n" + flag
        blocks.append(section(flag))
    schedule = _schedule_line(recorded.profile, zone) + "."
    blocks.append(context(schedule))
    return text + "\n" + schedule, blocks


def standing_blocks(standing: ReviewStanding, *, zone: ZoneInfo, threshold: float) -> list[dict[str, Any]]:
    """Selection, reviews oldest → latest with their trend, and the schedule (for `/thirdparty <name>`)."""
    name = standing.account.name
    evaluation = standing.evaluation
    if evaluation is None:
        selection = _("*Selection:* not evaluated yet — `/thirdparty evaluate {name}`").format(name=name)
    else:
        selection = _("*Selection* ({day}, by {who}): *{total:.2f} / 5* — {verdict}").format(
            day=local_day(evaluation.created_at, zone), who=user(evaluation.evaluated_by), total=evaluation.total,
            verdict=verdict_text(evaluation))
    if not standing.reviews:
        reviews = _("*Reviews:* none yet — `/thirdparty review {name}`").format(name=name)
    else:
        averages = [r.average for r in standing.reviews]
        lines = [(_("*Reviews*, oldest → latest: average {path}").format(
            path=" → ".join(f"{a:.2f}" for a in averages)) + f" {ARROWS[trend(averages)]}").rstrip()]
        for key, label in criterion_labels(standing.criteria).items():
            values = [r.scores[key] for r in standing.reviews if key in r.scores]
            if values:
                lines.append((f"• {label}: " + " → ".join(str(v) for v in values) +
                              f" {ARROWS[trend(values)]}").rstrip())
        reviews = "\n".join(lines)
    blocks = [section(selection), section(reviews)]
    if standing.concerns:
        blocks.append(section(concern_text(standing.concerns, [r.average for r in standing.reviews], threshold)))
    if standing.profile is not None:
        blocks.append(context(_schedule_line(standing.profile, zone, overdue=standing.overdue) + "."))
    return blocks


def render_third_party_review_due(card: ThirdPartyReviewDueCard) -> Rendered:
    """Remind a third party's owner that its periodic review falls due."""
    text = _("The review of *{name}* is due on {day} ({every}). Record it with `/thirdparty review {name}`.").format(
        name=card.party, day=local_day(card.due_at, card.tz), every=every_text(card.every_months))
    return Rendered(text=text, blocks=[section("🗓️ " + text)])
