"""Block Kit for suppliers: replies, the scorecard, candidates side by side, the audit reminder."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

from bot.platform.cards import Rendered
from bot.platform.i18n import _, ngettext
from bot.suppliers.audits import AuditRecorded, Scorecard
from bot.suppliers.cards import SupplierAuditDueCard
from bot.suppliers.changes import change_text
from bot.suppliers.evaluation import CandidatePage
from bot.suppliers.scoring import Concern, Trend, trend
from bot.suppliers.subcontracting import Clause
from handlers.blocks.common import Reply, context, date_label, header, local_day, section, user
from handlers.blocks.suppliers.contracts import contract_section
from handlers.blocks.suppliers.labels import criterion_labels, dimension_labels, weights_text
from storage.accounts import Account
from storage.suppliers.evaluations import Dimension, SupplierEvaluation, SupplierProfile

ARROWS = {Trend.UP: "↑", Trend.DOWN: "↓", Trend.FLAT: "→", Trend.NEW: ""}
SHORT = {"capital": "Cap", "staff": "Stf", "customers": "Cus", "qualifications": "Qua", "process": "Pro",
         "engineers": "Eng", "scalability": "Sca", "fit": "Fit", "reputation": "Rep"}
NAME_WIDTH = 16
CONTRACTS_SHOWN = 8


def every_text(months: int) -> str:
    """How often a review comes round: "every 3 months"."""
    return ngettext("every month", "every {n} months", months).format(n=months)


def verdict_text(evaluation: SupplierEvaluation) -> str:
    """Whether an evaluation qualifies, with the threshold it was held to."""
    if evaluation.qualified:
        return _("✅ qualified (threshold {threshold:g})").format(threshold=evaluation.threshold)
    return _("❌ not qualified (threshold {threshold:g})").format(threshold=evaluation.threshold)


def _schedule_line(profile: SupplierProfile, zone: ZoneInfo, *, overdue: bool = False) -> str:
    line = _("Audits {every}; next due {day}").format(every=every_text(profile.audit_every_months),
                                                      day=local_day(profile.next_audit_due_at, zone))
    return line + (" — ⏰ " + _("overdue") if overdue else "")


def build_supplier_added(account: Account, profile: SupplierProfile, *, zone: ZoneInfo) -> Reply:
    """Confirm a new supplier and say what comes next."""
    text = _("Added supplier *{name}*, owned by {owner}. {schedule}.").format(
        name=account.name, owner=user(account.owner_id), schedule=_schedule_line(profile, zone))
    follow = _("Next: `/supplier evaluate {name}` to score it, `/supplier contract {name}` for its support contract.")
    return text, [section(text), context(follow.format(name=account.name))]


def build_schedule_changed(account: Account, profile: SupplierProfile, *, zone: ZoneInfo) -> Reply:
    """Confirm a new audit interval."""
    text = _("*{name}*: {schedule}.").format(name=account.name, schedule=_schedule_line(profile, zone))
    return text, [section(text)]


def _scores_line(scores: Mapping[str, int], keys: list[str]) -> str:
    return " · ".join(f"{SHORT[key]} {scores[key]}" for key in keys)


def build_evaluation_saved(account: Account, evaluation: SupplierEvaluation) -> Reply:
    """The total and verdict of a new evaluation, with the weakest criteria named."""
    text = _("Evaluated *{name}*: *{total:.2f} / 5* — {verdict}.").format(
        name=account.name, total=evaluation.total, verdict=verdict_text(evaluation))
    labels = criterion_labels()
    weak = [labels[key] for key, score in evaluation.scores.items() if score <= 2]
    blocks = [section(text), context(_scores_line(evaluation.scores, list(SHORT)),
                                     _("Weights: {weights}").format(weights=weights_text(evaluation.weights)))]
    if weak:
        blocks.append(section(_("Weakest: {items}").format(items=", ".join(weak))))
    blocks.append(context(_("Compare candidates with `/supplier list`.")))
    return text, blocks


def concern_text(concerns: list[Concern], averages: list[float], threshold: float) -> str:
    """Why a supplier is flagged "improve or replace"."""
    reasons = []
    if Concern.BELOW_THRESHOLD in concerns:
        reasons.append(_("the latest audit average {average:.2f} is under {threshold:g}").format(
            average=averages[-1], threshold=threshold))
    if Concern.FALLING in concerns:
        reasons.append(_("the average fell two audits in a row ({path})").format(
            path=" → ".join(f"{a:.2f}" for a in averages[-3:])))
    return "🚩 " + _("*Improve or replace*: {reasons}.").format(reasons="; ".join(reasons))


def build_audit_saved(recorded: AuditRecorded, *, zone: ZoneInfo, threshold: float) -> Reply:
    """The audit's average, the next due date, and the flag if the supplier must improve or be replaced."""
    audit = recorded.audit
    text = _("Audited *{name}* ({start} – {end}) by {auditor}: average *{average:.2f} / 5*.").format(
        name=recorded.account.name, start=date_label(audit.period_start), end=date_label(audit.period_end),
        auditor=user(audit.auditor_id), average=audit.average)
    labels = dimension_labels()
    blocks = [section(text), context(" · ".join(f"{labels[d]} {audit.scores[d]}" for d in Dimension))]
    if recorded.concerns:
        flag = concern_text(recorded.concerns, recorded.averages, threshold)
        text += "\n" + flag
        blocks.append(section(flag))
    blocks.append(context(_schedule_line(recorded.profile, zone) + "."))
    return text, blocks


def _audit_trend(card: Scorecard) -> str:
    if not card.audits:
        return _("*Audits:* none yet — `/supplier audit {name}`").format(name=card.account.name)
    averages = [a.average for a in card.audits]
    latest = card.audits[-1]
    lines = [_("*Audits*, oldest → latest (latest: {start} – {end}): average {path} {arrow}").format(
        start=date_label(latest.period_start), end=date_label(latest.period_end),
        path=" → ".join(f"{a:.2f}" for a in averages), arrow=ARROWS[trend(averages)]).rstrip()]
    for key, label in dimension_labels().items():
        values = [a.scores[key] for a in card.audits]
        lines.append((f"• {label}: " + " → ".join(str(v) for v in values) + f" {ARROWS[trend(values)]}").rstrip())
    return "\n".join(lines)


def _evaluation(card: Scorecard, zone: ZoneInfo) -> str:
    evaluation = card.evaluation
    if evaluation is None:
        return _("*Selection:* not evaluated yet — `/supplier evaluate {name}`").format(name=card.account.name)
    return _("*Selection* ({day}, by {who}): *{total:.2f} / 5* — {verdict}\n{scores}").format(
        day=local_day(evaluation.created_at, zone), who=user(evaluation.evaluated_by), total=evaluation.total,
        verdict=verdict_text(evaluation), scores=_scores_line(evaluation.scores, list(SHORT)))


def _disputes(card: Scorecard) -> dict[str, Any]:
    """The open-disputes line."""
    if not card.open_disputes:
        return section(_("*Open disputes:* none"))
    listed = ", ".join(_("#{id} at level {level}").format(id=d.id, level=d.level) for d in card.open_disputes[:10])
    return section(_("*Open disputes:* {count} — {listed} · `/dispute <id>` for one").format(
        count=len(card.open_disputes), listed=listed))


def _subcontractors(card: Scorecard) -> dict[str, Any]:
    """The subcontracting chain: each subcontractor, what it may do, its clauses, and a second level."""
    if not card.subcontractors:
        return section(_("*Subcontractors:* none — `/supplier subcontractor {name} add <sub>: <scope> audit ip "
                         "security`").format(name=card.account.name))
    names = {Clause.AUDIT: _("audit"), Clause.IP: _("IP"), Clause.SECURITY: _("information security")}
    lines = [_("*Subcontractors*")]
    for sub in card.subcontractors:
        clauses = " ".join(f"{'❌' if clause in sub.missing else '✅'} {names[clause]}" for clause in Clause)
        line = f"• *{sub.name}* — {sub.scope} · {clauses}"
        if sub.further:
            line += " · ⚠️ " + _("subcontracts again")
        lines.append(line)
    return section("\n".join(lines))


def _changes(card: Scorecard, zone: ZoneInfo) -> dict[str, Any]:
    """The supplier's latest changes, and how many of the accounts depending on it have been told."""
    lines = [_("*Changes*")]
    for standing in card.changes:
        what = change_text(standing.change.kind, card.account.name, standing.other)
        told = _("customers told: {told} of {flagged}").format(told=standing.told, flagged=standing.flagged) \
            if standing.flagged else _("no account depended on it")
        lines.append(f"• {local_day(standing.change.created_at, zone)}: {what} · {told}")
    return section("\n".join(lines))


def build_scorecard(card: Scorecard, *, zone: ZoneInfo, threshold: float) -> Reply:
    """The supplier's scorecard (internal; always shown only to the person who asked)."""
    account = card.account
    title = _("{name} — supplier scorecard").format(name=account.name)
    schedule = _schedule_line(card.profile, zone, overdue=card.audit_overdue) if card.profile else _(
        "Audits not scheduled yet (Rapport schedules them by tomorrow, or `/supplier schedule {name} 3`)").format(
        name=account.name)
    facts = _("*Owner:* {owner} · {schedule}").format(owner=user(account.owner_id), schedule=schedule)
    blocks = [header(title), section(facts)]
    lines = [title, facts]
    if card.concerns:
        flag = concern_text(card.concerns, [a.average for a in card.audits], threshold)
        blocks.append(section(flag))
        lines.append(flag)
    for part in (_evaluation(card, zone), _audit_trend(card)):
        blocks.append(section(part))
        lines.append(part)
    if card.contracts:
        for status in card.contracts[:CONTRACTS_SHOWN]:
            blocks.append(contract_section(status))
    else:
        blocks.append(section(_("*Contracts:* none — `/supplier contract {name}`").format(name=account.name)))
    blocks.append(_subcontractors(card))
    if card.changes:
        blocks.append(_changes(card, zone))
    blocks.append(_disputes(card))
    flagged = sum(1 for status in card.contracts
                  if status.flagged_terms or status.flags or status.subcontracting_flagged)
    if flagged:
        lines.append(ngettext("{n} contract flagged", "{n} contracts flagged", flagged).format(n=flagged))
    return "\n".join(lines), blocks


def build_candidates(listing: CandidatePage) -> Reply:
    """Suppliers side by side: the nine scores, total, verdict and latest audit, best first."""
    if not listing.total:
        text = _("No suppliers yet. Add one with `/supplier add Net Co`.")
        return text, [section(text)]
    head = f"{_('Supplier'):<{NAME_WIDTH}} " + " ".join(SHORT.values()) + f"  {_('Total'):>5}  {_('Verdict'):<14} " \
           + _("Audit")
    rows = [head]
    for candidate in listing.candidates:
        name = candidate.account.name[:NAME_WIDTH]
        evaluation = candidate.evaluation
        if evaluation:
            scores = " ".join(f"{evaluation.scores[key]:>3}" for key in SHORT)
            verdict = _("qualified") if evaluation.qualified else _("not qualified")
            total = f"{evaluation.total:5.2f}"
        else:
            scores, verdict, total = " ".join(f"{'–':>3}" for _key in SHORT), _("not evaluated"), f"{'–':>5}"
        audit = f"{candidate.audit_average:.2f}" if candidate.audit_average is not None else "–"
        flag = " " + _("improve or replace") if candidate.concerns else ""
        rows.append(f"{name:<{NAME_WIDTH}} {scores}  {total}  {verdict:<14} {audit}{flag}")
    title = _("Suppliers side by side ({total})").format(total=listing.total)
    table = "```\n" + "\n".join(rows) + "\n```"
    legend = " · ".join(f"{SHORT[key]} = {label}" for key, label in criterion_labels().items())
    blocks = [header(title), section(table), context(legend)]
    if listing.page < listing.pages:
        blocks.append(context(_("Page {page} of {pages} · `/supplier list {next}` for more").format(
            page=listing.page, pages=listing.pages, next=listing.page + 1)))
    elif listing.pages > 1:
        blocks.append(context(_("Page {page} of {pages}").format(page=listing.page, pages=listing.pages)))
    return title + "\n" + "\n".join(rows), blocks


def render_supplier_audit_due(card: SupplierAuditDueCard) -> Rendered:
    """Remind a supplier's owner that its audit falls due."""
    text = _("The audit of *{name}* is due on {day} ({every}). Record it with `/supplier audit {name}`.").format(
        name=card.supplier, day=local_day(card.due_at, card.tz), every=every_text(card.every_months))
    return Rendered(text=text, blocks=[section("🗓️ " + text)])
