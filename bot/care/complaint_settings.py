"""The complaint settings of an account, for `/account set <name> <key> <value>`.

channel (where complaint cards go), customer-ack (a neutral line to the customer), sla (targets by
severity) and the calendar the SLA clocks run on (country, timezone, hours). Each key reads its
value here; bot/account_settings.py lists them with the other account settings.
"""

from __future__ import annotations

import re
from datetime import timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import holidays
from sqlmodel import Session

from bot.calendar.workdays import parse_business_hours
from bot.care.complaint_clock import NO_COUNTRY, targets_for
from bot.platform import formatting
from bot.platform.errors import InvalidInput, Refused
from bot.platform.i18n import _
from storage.accounts import Account, get_channel_link
from storage.care.complaints import ComplaintSeverity

_CHANNEL = re.compile(r"^<#([CG][A-Z0-9]+)(?:\|[^>]*)?>$|^([CG][A-Z0-9]{2,})$")
_DURATION = re.compile(r"^(?P<n>[0-9]{1,4}(?:\.[0-9]{1,2})?)\s*(?P<unit>m|min|mins|minutes?|h|hrs?|hours?|d|days?)?$")
MAX_TARGET = timedelta(days=60)
_ON = {"on", "yes", "true", "1", "开", "开启"}
_OFF = {"off", "no", "false", "0", "关", "关闭"}


def _default_word(text: str) -> bool:
    return text.strip().lower() in ("default", "none", "默认")


def parse_internal_channel(text: str) -> str | None:
    """`#acme-internal` (as Slack escapes it) or a channel id; `default` for the escalation channel."""
    if _default_word(text):
        return None
    match = _CHANNEL.match(text.strip())
    if not match:
        raise InvalidInput(_("Mention the channel: `/account set Acme Corp channel #acme-internal` (or `default` for "
                             "the escalation channel)."))
    return match.group(1) or match.group(2)


def show_internal_channel(account: Account) -> str:
    """Where the account's complaint cards go."""
    if account.internal_channel_id:
        return f"<#{account.internal_channel_id}>"
    return _("the escalation channel (default)")


def check_internal_channel(session: Session, account: Account) -> None:
    """Refuse a channel shared with the customer: complaint cards are internal."""
    channel = account.internal_channel_id
    link = get_channel_link(session, channel_id=channel) if channel else None
    if link and link.is_shared:
        raise Refused(_("<#{channel}> is shared with another organisation; complaint cards carry internal data. "
                        "Pick an internal channel.").format(channel=channel))


def parse_switch(text: str) -> bool:
    """on/off."""
    word = text.strip().lower()
    if word in _ON | _OFF:
        return word in _ON
    raise InvalidInput(_("Say `on` or `off`: `/account set Acme Corp customer-ack on`"))


def show_customer_ack(account: Account) -> str:
    """Whether customers get a neutral "logged, <owner> is on it" reply."""
    return _("on") if account.customer_ack else _("off")


def parse_duration(text: str) -> timedelta:
    """`90m`, `4h`, `4`, `1.5h`, `2d` (hours when no unit) as a business-time duration."""
    match = _DURATION.match(text.strip().lower())
    if not match:
        raise InvalidInput(_("“{text}” is not a duration. Use minutes or hours such as 30m, 4h or 2d.").format(
            text=text))
    number, unit = float(match.group("n")), (match.group("unit") or "h")[0]
    duration = {"m": timedelta(minutes=number), "h": timedelta(hours=number), "d": timedelta(days=number)}[unit]
    if not timedelta(minutes=1) <= duration <= MAX_TARGET:
        raise InvalidInput(_("SLA targets are between 1 minute and 60 days."))
    return duration


def parse_sla(text: str) -> dict[str, list[int] | None]:
    """`critical 2h/8h` -> {"critical": [120, 480]}; `critical default` -> {"critical": None}."""
    example = "`/account set Acme Corp sla critical 2h/8h`"
    words = text.replace("!", "").split()
    if len(words) != 2 or words[0].lower() not in {severity.value for severity in ComplaintSeverity}:
        raise InvalidInput(_("Name a severity and the acknowledge/resolve targets: {example} (or `critical default`)."
                             ).format(example=example))
    severity, value = words[0].lower(), words[1].lower()
    if _default_word(value):
        return {severity: None}
    ack_text, slash, resolve_text = value.partition("/")
    if not slash:
        raise InvalidInput(_("Give both targets, acknowledge/resolve: {example}.").format(example=example))
    ack, resolve = parse_duration(ack_text), parse_duration(resolve_text)
    if ack > resolve:
        raise InvalidInput(_("The acknowledge target can't be longer than the resolve target."))
    return {severity: [int(ack.total_seconds() // 60), int(resolve.total_seconds() // 60)]}


def merge_sla(current: dict[str, list[int]] | None, change: dict[str, list[int] | None]) -> dict[str, list[int]] | None:
    """Apply one severity's change to an account's SLA overrides; None when none are left."""
    merged = {**(current or {}), **change}
    kept = {severity: targets for severity, targets in merged.items() if targets}
    return kept or None


def describe_duration(duration: timedelta) -> str:
    """4h, 30m, 1h30m (4小时, 30分钟 in Chinese)."""
    return formatting.duration(duration)


def show_sla(account: Account) -> str:
    """The account's acknowledge/resolve targets by severity, marking its own."""
    parts = []
    for severity in ComplaintSeverity:
        ack, resolve = targets_for(account, severity)
        own = "*" if (account.sla_overrides or {}).get(severity.value) else ""
        parts.append(f"{severity.value} {describe_duration(ack)}/{describe_duration(resolve)}{own}")
    note = _("(* this account's own)") if account.sla_overrides else _("(the defaults)")
    return " · ".join(parts) + " " + note


def parse_country(text: str) -> str | None:
    """A holiday-calendar country code, `none` (Monday–Friday) or `default` (the team's)."""
    word = text.strip()
    if word.lower() in ("default", "默认"):
        return None
    if word.lower() == NO_COUNTRY:
        return NO_COUNTRY
    if word.upper() not in holidays.list_supported_countries():
        raise InvalidInput(_("“{text}” is not a country the holiday calendar knows. Use a code such as CN, US or "
                             "GB, `none` for Monday–Friday, or `default`.").format(text=text))
    return word.upper()


def parse_timezone(text: str) -> str | None:
    """An IANA time zone, or `default` (the team's)."""
    if _default_word(text):
        return None
    try:
        return ZoneInfo(text.strip()).key
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidInput(_("“{text}” is not a time zone. Use an IANA name such as Asia/Shanghai, or `default`."
                             ).format(text=text)) from None


def parse_hours(text: str) -> str | None:
    """Business hours such as 09:00-18:00, or `default` (the team's)."""
    if _default_word(text):
        return None
    try:
        start, end = parse_business_hours(text)
    except ValueError:
        raise InvalidInput(_("Give business hours like 09:00-18:00, or `default`.")) from None
    return f"{start:%H:%M}-{end:%H:%M}"


def show_country(account: Account) -> str:
    """The account's holiday calendar."""
    if account.calendar_country == NO_COUNTRY:
        return _("none (Monday–Friday)")
    return account.calendar_country or _("the team's default")


def show_timezone(account: Account) -> str:
    """The account's time zone for SLA clocks."""
    return account.calendar_timezone or _("the team's default")


def show_hours(account: Account) -> str:
    """The account's business hours for SLA clocks."""
    return account.business_hours or _("the team's default")
