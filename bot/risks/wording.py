"""A risk's title and control in the reader's language: catalog and signal risks by key, our own as written."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from bot.platform.i18n import _
from bot.risks.cards import RiskFacts
from bot.risks.catalog import catalog_entry
from bot.risks.signals import signal_of
from storage.accounts import Account
from storage.risks.register import Risk, RiskStatus


def title_of(facts: RiskFacts) -> str:
    """What the risk is."""
    entry = catalog_entry(facts.catalog_key) if facts.catalog_key else None
    if entry is not None:
        return entry.title
    signal = signal_of(facts.signal)
    return signal.title(facts.facts) if signal is not None else facts.title


def control_of(facts: RiskFacts) -> str | None:
    """How it is controlled: the owner's own words when written, else the catalog's or the signal's."""
    if facts.control:
        return facts.control
    entry = catalog_entry(facts.catalog_key) if facts.catalog_key else None
    if entry is not None:
        return entry.control
    signal = signal_of(facts.signal)
    return signal.control() if signal is not None else None


def risk_facts(risk: Risk, account: Account, *, zone: ZoneInfo) -> RiskFacts:
    """What cards and replies show of a risk."""
    assert risk.id is not None  # a stored risk
    return RiskFacts(risk_id=risk.id, account=account.name, source=risk.source, catalog_key=risk.catalog_key,
                     signal=risk.signal, facts={key: str(value) for key, value in (risk.facts or {}).items()},
                     title=risk.title, control=risk.control, likelihood=risk.likelihood, impact=risk.impact,
                     owner=risk.owner_id, status=risk.status, next_review_at=risk.next_review_at, zone=zone)


def status_label(status: str) -> str:
    """A risk's status in words."""
    return {RiskStatus.OPEN: _("open"), RiskStatus.MITIGATING: _("mitigating"), RiskStatus.ACCEPTED: _("accepted"),
            RiskStatus.CLOSED: _("closed")}[RiskStatus(status)]
