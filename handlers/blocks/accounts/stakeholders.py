"""Block Kit for stakeholders (干系人): the lines on the account view, the list, and the reply to a change."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.accounts.stakeholders import StakeholderSaved
from bot.platform.i18n import _
from bot.platform.text import safe_text
from handlers.blocks.care.contacts import day_label, days_ago
from handlers.blocks.common import Reply, header, section, user
from storage.accounts import Account
from storage.accounts.stakeholders import Influence, Stakeholder, Stance


def influence_label(influence: Influence) -> str:
    """Influence in words."""
    return {Influence.HIGH: _("high influence"), Influence.MEDIUM: _("medium influence"),
            Influence.LOW: _("low influence")}[influence]


def stance_label(stance: Stance) -> str:
    """Stance in words."""
    return {Stance.SUPPORTER: _("supporter"), Stance.NEUTRAL: _("neutral"), Stance.CRITIC: _("critic")}[stance]


def who(stakeholder: Stakeholder) -> str:
    """The stakeholder's name, with their Slack mention when they have one."""
    name = "*" + safe_text(stakeholder.name, 80) + "*"
    return f"{name} ({user(stakeholder.user_id)})" if stakeholder.user_id else name


def stakeholder_line(stakeholder: Stakeholder, *, now: datetime, zone: ZoneInfo) -> str:
    """"• ⭐ *Erin Li* — CIO · high influence · supporter · executive sponsor · last met 3 days ago (Tue 24 Nov)"."""
    parts = [safe_text(stakeholder.role or "—", 80), influence_label(Influence(stakeholder.influence)),
             stance_label(Stance(stakeholder.stance))]
    if stakeholder.sponsor:
        parts.append(_("executive sponsor"))
    if stakeholder.last_met_at:
        parts.append(_("last met {ago} ({day})").format(ago=days_ago(stakeholder.last_met_at, now),
                                                          day=day_label(stakeholder.last_met_at, zone)))
    else:
        parts.append(_("not met yet"))
    return ("• ⭐ " if stakeholder.sponsor else "• ") + who(stakeholder) + " — " + " · ".join(parts)


def stakeholder_lines(stakeholders: list[Stakeholder], *, now: datetime, zone: ZoneInfo) -> list[str]:
    """The account view's stakeholder lines (none when nobody is listed)."""
    if not stakeholders:
        return []
    return [_("*Stakeholders:*"), *(stakeholder_line(s, now=now, zone=zone) for s in stakeholders)]


def build_stakeholder_list(account: Account, stakeholders: list[Stakeholder], *, now: datetime,
                           zone: ZoneInfo) -> Reply:
    """Who matters at an account."""
    title = _("Stakeholders of {account}").format(account=account.name)
    if not stakeholders:
        text = _("No stakeholders listed for {account} yet. Add one: `{example}`").format(
            account=account.name, example=f"/account stakeholder {account.name}: Erin Li role CIO sponsor")
        return text, [header(title), section(text)]
    lines = [stakeholder_line(s, now=now, zone=zone) for s in stakeholders]
    return title + "\n" + "\n".join(lines), [header(title), section("\n".join(lines))]


def build_stakeholder_saved(saved: StakeholderSaved, *, now: datetime, zone: ZoneInfo) -> Reply:
    """The reply to adding, changing or removing a stakeholder."""
    values = {"who": who(saved.stakeholder), "account": saved.account.name}
    if saved.removed:
        text = _("Removed {who} from the stakeholders of {account}.").format(**values)
        return text, [section(text)]
    text = (_("Added {who} to the stakeholders of {account}.") if saved.created
            else _("Updated {who} at {account}.")).format(**values)
    if saved.previous_sponsor:
        text += " " + _("They are now its executive sponsor, instead of {previous}.").format(
            previous=safe_text(saved.previous_sponsor, 80))
    line = stakeholder_line(saved.stakeholder, now=now, zone=zone)
    return text + "\n" + line, [section("✅ " + text), section(line)]
