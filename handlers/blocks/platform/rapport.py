"""Block Kit for /rapport."""

from __future__ import annotations

from typing import Any

from bot.platform.config import Settings
from bot.platform.i18n import _
from handlers.blocks.common import channel, header, section, user


def build_config(settings: Settings, *, missing_years: list[int]) -> tuple[str, list[dict[str, Any]]]:
    """How this workspace is set up (no secrets), warning about holiday years without official data."""
    managers = ", ".join(user(m) for m in settings.rapport_managers) or _("none")
    lines = [
        _("*Kudos channel:* {channel}").format(channel=channel(settings.rapport_kudos_channel)),
        _("*Escalation channel:* {channel}").format(channel=channel(settings.rapport_escalation_channel)),
        _("*Managers:* {managers}").format(managers=managers),
        _("*Time zone:* {tz} · *Business hours:* {hours}").format(
            tz=settings.rapport_timezone, hours=settings.rapport_business_hours),
        _("*Holiday calendar:* {country}").format(country=settings.rapport_country or _("none (Monday–Friday)")),
        _("*Praise allowance:* {n} a day").format(n=settings.rapport_praise_daily_limit),
    ]
    if missing_years:
        lines.append(_("⚠️ The holiday calendar has no official data for {years} yet: working days there are "
                       "Monday–Friday plus fixed-date holidays, without make-up days. Update the holidays package "
                       "when the official calendar is published.").format(years=", ".join(map(str, missing_years))))
    body = "\n".join(lines)
    title = _("Rapport configuration")
    return f"{title}\n{body}", [header(title), section(body)]
