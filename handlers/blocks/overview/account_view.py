"""Block Kit for the 360° view of one account (`/account <name>`)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.accounts.labels import account_kind_label
from bot.accounts.settings import show_tier
from bot.care.campaign_results import SurveyScores
from bot.overview.account_view import AccountView
from bot.overview.health import Health, band_label, deduction_line
from bot.platform.i18n import _, ngettext
from bot.platform.text import cut
from handlers.blocks.accounts.stakeholders import stakeholder_lines
from handlers.blocks.care.capture import response_time_line
from handlers.blocks.care.complaint import complaints_line
from handlers.blocks.care.contacts import contact_lines
from handlers.blocks.common import Reply, channel, header, section, user, when
from handlers.blocks.rhythm.meetings import agreement_button, agreement_lines
from storage.care.services_added import AddedService, ServiceStatus
from storage.care.surveys import Csat


def survey_scores_line(scores: SurveyScores) -> str:
    """"Open surveys over a year: CSAT 4.2 · NPS 35 (12 answers)"."""
    csat = f"{scores.csat:.1f}" if scores.csat is not None else "—"
    nps = str(scores.nps) if scores.nps is not None else "—"
    return _("*Open surveys over a year:* CSAT {csat} · NPS {nps} ({answers})").format(
        csat=csat, nps=nps, answers=ngettext("{n} answer", "{n} answers", scores.answers).format(n=scores.answers))


def csat_line(csat: Csat) -> str:
    """"CSAT over 90 days: 4.2 (12 answers)", or that there are no answers yet."""
    if not csat.count:
        return _("*CSAT over 90 days:* no answers yet")
    return _("*CSAT over 90 days:* {average:.1f} ({answers})").format(
        average=csat.average, answers=ngettext("{n} answer", "{n} answers", csat.count).format(n=csat.count))


def service_lines(services: list[AddedService], *, zone: ZoneInfo) -> list[str]:
    """Its value-added services: what, where each stands, when next, and how often delivered."""
    if not services:
        return []
    standing = {ServiceStatus.PENDING: _("waiting for approval"), ServiceStatus.APPROVED: _("approved"),
                ServiceStatus.DECLINED: _("declined")}
    lines = [_("*Value-added services:*")]
    for service in services:
        parts = [f"#{service.id} {cut(service.what, 80)}", standing[ServiceStatus(service.status)]]
        if service.status == ServiceStatus.APPROVED and service.next_at is not None:
            parts.append(_("next {when}").format(when=when(service.next_at, zone)))
        if service.deliveries:
            parts.append(ngettext("delivered {n} time", "delivered {n} times", len(service.deliveries)).format(
                n=len(service.deliveries)) + f" ({cut(str(service.deliveries[-1].get('note', '')), 80)})")
        lines.append("• " + " · ".join(parts))
    return lines


def health_lines(health: Health) -> list[str]:
    """"*Health:* 🟠 62 / 100 (amber)", then a line per deduction with its reason."""
    lines = [_("*Health:* {score} / 100 ({band})").format(score=health.score, band=band_label(health.band))]
    return lines + ["   " + deduction_line(d) for d in health.deductions]


def build_account_view(view: AccountView, *, zone: ZoneInfo, now: datetime) -> Reply:
    """The 360° view of one account (internal, ephemeral)."""
    account = view.account
    assert account.id is not None
    channels = ", ".join(
        channel(link.channel_id) + (" " + _("(shared)") if link.is_shared else "") for link in view.channels
    ) or _("none — use `/account link {name}` in its channel").format(name=account.name)
    lines = [
        _("*Kind:* {kind} · *Tier:* {tier}").format(kind=account_kind_label(account), tier=show_tier(account)),
        _("*Owner:* {owner}").format(owner=user(account.owner_id)),
        _("*Channels:* {channels}").format(channels=channels),
        *(health_lines(view.health) if view.health is not None else []),
        *contact_lines(view.contacts, zone=zone),
        response_time_line(view.conversation),
        csat_line(view.csat),
        *([survey_scores_line(view.surveys)] if view.surveys.answers else []),
        complaints_line(view.complaints),
        _("*Praise received:* {count}").format(count=view.praise_count),
        *agreement_lines(view.agreement, zone=zone),
        *service_lines(view.services, zone=zone),
        *stakeholder_lines(view.stakeholders, now=now, zone=zone),
        *([_("*Risks:* {count} open, highest score {score} · `/rapport risks {name}`").format(
            count=view.risks.open, score=view.risks.highest, name=account.name)] if view.risks.open else []),
    ]
    if view.calendar_gaps:
        lines.append(_("⚠️ Its holiday calendar ({country}) has no official data for {years} yet: its working days "
                       "there are Monday–Friday plus fixed-date holidays, without make-up days. Update the holidays "
                       "package when the official calendar is published.").format(
            country=account.calendar_country, years=", ".join(map(str, view.calendar_gaps))))
    text = f"{account.name}\n" + "\n".join(lines)
    return text, [header(account.name), section("\n".join(lines)),
                  agreement_button(account.id, exists=view.agreement.agreement is not None)]
