"""Words shared by the supplier and contract blocks: criteria, dimensions, severities, dates, weights."""

from __future__ import annotations

from collections.abc import Mapping

from bot.platform.i18n import _
from storage.suppliers.evaluations import Criterion, Dimension


def criterion_labels() -> dict[str, str]:
    """The nine selection criteria in words."""
    return {
        Criterion.CAPITAL: _("Registered capital"),
        Criterion.STAFF: _("Staff: size, education and skills mix"),
        Criterion.CUSTOMERS: _("Existing customer base"),
        Criterion.QUALIFICATIONS: _("O&M and information-security qualifications"),
        Criterion.PROCESS: _("Process maturity and support system"),
        Criterion.ENGINEERS: _("Engineers' skills and certifications"),
        Criterion.SCALABILITY: _("Scalability (absorbs a sudden +50% load?)"),
        Criterion.FIT: _("Competition or complement to our business"),
        Criterion.REPUTATION: _("Industry reputation"),
    }


def dimension_labels() -> dict[str, str]:
    """The six audit dimensions in words."""
    return {
        Dimension.RESPONSIVENESS: _("Responsiveness"),
        Dimension.ABILITY: _("Problem-solving ability"),
        Dimension.EFFICIENCY: _("Problem-solving efficiency"),
        Dimension.STABILITY: _("Staff stability"),
        Dimension.FEEDBACK: _("Customer feedback"),
        Dimension.COOPERATION: _("Cooperation atmosphere"),
    }


def severity_words() -> dict[str, str]:
    """Complaint severities in words."""
    return {"critical": _("critical"), "high": _("high"), "normal": _("normal"), "low": _("low")}


def weights_text(weights: Mapping[str, float]) -> str:
    """"equal", or the weights that differ from 1: "capital=2, scalability=3"."""
    differ = [f"{key}={value:g}" for key, value in weights.items() if value != 1]
    return ", ".join(differ) if differ else _("equal")
