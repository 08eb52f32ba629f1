"""Per-account settings changed in Slack with `/account set <name> <key> <value>`.

SETTINGS is the one table of settable keys: each names the Account column it writes, reads its
value from text, shows it back, and may run a hook after a change. Add a key by adding a row.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import Any

from sqlmodel import Session

from bot.accounts.commands import parse_third_party_role
from bot.accounts.labels import kind_label, role_label
from bot.accounts.registry import MAX_NAME, contact_cadence, require_account
from bot.care import capture, complaint_settings, surveys
from bot.care.contacts import restart_contact_clock
from bot.care.services_added import read_cost
from bot.platform import formatting
from bot.platform.errors import InvalidInput, Refused
from bot.platform.i18n import _, available_languages, default_language, ngettext, normalize
from bot.platform.text import ECHO_LIMIT, cut
from storage.accounts import Account, AccountKind, AccountTier, list_accounts_named, name_key
from storage.platform.audit import record_change

MAX_CADENCE_DAYS = 365
_USER = re.compile(r"^<@([UW][A-Z0-9]+)(?:\|[^>]*)?>$")
_DAYS = re.compile(r"^(?P<n>[0-9]{1,3})\s*(?P<unit>d|days?|天|w|weeks?|周)?$")


@dataclass(frozen=True)
class AccountSetting:
    """One settable key of an account."""

    key: str
    column: str
    parse: Callable[[str], Any]
    show: Callable[[Account], str]
    example: str
    after: Callable[[Session, Account], Any] | None = None
    # For keys holding several values (sla): combine the current value with the parsed change.
    merge: Callable[[Any, Any], Any] | None = None
    # The value is a Slack user who must be one of our own people (owner).
    person: bool = False
    # The kinds of account the key applies to (None: every kind).
    kinds: tuple[AccountKind, ...] | None = None


@dataclass(frozen=True)
class SettingChanged:
    """The result of `/account set`: the account and the setting's value before and after."""

    account: Account
    setting: AccountSetting
    before: str
    after: str


def parse_tier(text: str) -> AccountTier:
    """Read a tier: key or standard."""
    aliases = {"key": AccountTier.KEY, "vip": AccountTier.KEY, "重点": AccountTier.KEY,
               "standard": AccountTier.STANDARD, "normal": AccountTier.STANDARD, "普通": AccountTier.STANDARD}
    tier = aliases.get(text.strip().lower())
    if tier is None:
        raise InvalidInput(_("“{text}” is not a tier. Use key or standard: `/account set Acme Corp tier key`").format(
            text=text))
    return tier


def parse_cadence(text: str) -> int | None:
    """Read a contact cadence: `14`, `14 days`, `2 weeks`, `off` (not tracked) or `default` (by tier)."""
    cleaned = text.strip().lower()
    if cleaned in ("default", "auto", "tier", "默认"):
        return None
    if cleaned in ("off", "none", "never", "0", "关闭"):
        return 0
    match = _DAYS.match(cleaned)
    if match:
        days = int(match.group("n")) * (7 if (match.group("unit") or "d")[0] in "w周" else 1)
        if 1 <= days <= MAX_CADENCE_DAYS:
            return days
    raise InvalidInput(_("Give the cadence in days (1–{max}), `off` or `default`: "
                         "`/account set Acme Corp cadence 14`").format(max=MAX_CADENCE_DAYS))


def parse_owner(text: str) -> str:
    """Read the new owner: a mention (`@dave`, which Slack sends as `<@U…|dave>`)."""
    match = _USER.match(text.strip())
    if not match:
        raise InvalidInput(_("Mention the new owner: `/account set Acme Corp owner @dave`"))
    return match.group(1)


def show_owner(account: Account) -> str:
    """The owner as a mention."""
    return f"<@{account.owner_id}>" if account.owner_id else _("nobody")


def show_tier(account: Account) -> str:
    """The tier as shown to users."""
    return {AccountTier.KEY: _("key"), AccountTier.STANDARD: _("standard")}[AccountTier(account.tier)]


def parse_service_budget(text: str) -> int | None:
    """Read a budget for value-added services: a whole amount (`5000`, `5,000`), or `none` (the manager decides)."""
    cleaned = text.strip().lower()
    if cleaned in ("none", "off", "default", "无", "默认"):
        return None
    try:
        return read_cost(cleaned)
    except InvalidInput:
        raise InvalidInput(_("“{text}” is not an amount. Give a whole number, or none: "
                             "`/account set Acme Corp service-budget 5000`").format(
                                 text=cut(text, ECHO_LIMIT))) from None


def show_service_budget(account: Account) -> str:
    """The budget for value-added services as shown to users."""
    if account.service_budget is None:
        return _("none (the manager decides)")
    return str(account.service_budget)


def show_cadence(account: Account) -> str:
    """The contact cadence as shown to users."""
    days = contact_cadence(account)
    shown = ngettext("every {n} day", "every {n} days", days).format(n=days) if days else _("not tracked")
    if account.contact_cadence_days is None:
        shown += " " + _("(the default for its tier)")
    return shown


def show_role(account: Account) -> str:
    """A third party's role as shown to users."""
    return role_label(account.third_party_role) if account.third_party_role else _("not set")


def parse_language(text: str) -> str | None:
    """Read an account's language: `zh`, `en` (any code a catalog answers to) or `default` (the workspace's)."""
    cleaned = text.strip()
    if cleaned.lower() in ("default", "auto", "默认"):
        return None
    language = normalize(cleaned)
    if language is None:
        raise InvalidInput(_("“{text}” is not a language Rapport speaks. Use one of {languages} or `default`: "
                             "`/account set Acme Corp language zh`").format(
                                 text=cleaned, languages=", ".join(_short(code) for code in available_languages())))
    return language


def _short(language: str) -> str:
    return "zh" if language == "zh_Hans" else language


def show_language(account: Account) -> str:
    """The language of the account's channels and customers, named in the reader's language."""
    if account.language is None:
        return _("the workspace default ({language})").format(language=formatting.language_name(default_language()))
    return formatting.language_name(account.language)


SETTINGS: dict[str, AccountSetting] = {
    setting.key: setting
    for setting in (
        AccountSetting("owner", "owner_id", parse_owner, show_owner, "owner @dave", person=True),
        AccountSetting("tier", "tier", parse_tier, show_tier, "tier key|standard", after=restart_contact_clock),
        AccountSetting("cadence", "contact_cadence_days", parse_cadence, show_cadence, "cadence 14|off|default",
                       after=restart_contact_clock),
        AccountSetting("channel", "internal_channel_id", complaint_settings.parse_internal_channel,
                       complaint_settings.show_internal_channel, "channel #acme-internal|default",
                       after=complaint_settings.check_internal_channel),
        AccountSetting("customer-ack", "customer_ack", complaint_settings.parse_switch,
                       complaint_settings.show_customer_ack, "customer-ack on|off"),
        AccountSetting("sla", "sla_overrides", complaint_settings.parse_sla, complaint_settings.show_sla,
                       "sla critical 2h/8h|default", merge=complaint_settings.merge_sla),
        AccountSetting("country", "calendar_country", complaint_settings.parse_country,
                       complaint_settings.show_country, "country CN|none|default"),
        AccountSetting("timezone", "calendar_timezone", complaint_settings.parse_timezone,
                       complaint_settings.show_timezone, "timezone Asia/Shanghai|default"),
        AccountSetting("hours", "business_hours", complaint_settings.parse_hours, complaint_settings.show_hours,
                       "hours 09:00-18:00|default"),
        AccountSetting("surveys", "survey_by_dm", surveys.parse_survey_delivery, surveys.show_survey_delivery,
                       "surveys dm|channel"),
        AccountSetting("service-budget", "service_budget", parse_service_budget, show_service_budget,
                       "service-budget 5000|none"),
        AccountSetting("language", "language", parse_language, show_language, "language zh|en|default"),
        AccountSetting("capture", "capture_text", capture.parse_capture_mode, capture.show_capture_mode,
                       "capture metadata|text"),
        AccountSetting("role", "third_party_role", parse_third_party_role, show_role,
                       "role auditor|supervisor|certification-body|vendor|none", kinds=(AccountKind.THIRD_PARTY,)),
    )
}


@dataclass(frozen=True)
class SetRequest:
    """`/account set <name> <key> <value>` read against the accounts that exist."""

    account: Account
    key: str  # the word after the name ("" when nothing follows it)
    setting: AccountSetting | None  # None when the word names no setting
    value: str


def read_set_text(session: Session, text: str) -> SetRequest:
    """Split `<name> <key> <value>` at an account name that starts the text, matched against the accounts.

    Names and values may hold setting words (`Channel Partners hours 09:00-17:00`, `Acme Corp surveys
    channel`), so the setting words alone cannot split the text. Of the names that start it, the one
    followed by a setting and a value wins, then one followed by a setting, then the longest.
    """
    words = text.split()
    ends: dict[str, int] = {}
    for end in range(1, len(words) + 1):
        name = " ".join(words[:end]).rstrip(":：")
        if len(name) > MAX_NAME:
            break
        ends[name_key(name)] = end
    named = [(ends[account.name_key], account) for account in list_accounts_named(session, names=list(ends))]

    def fit(found: tuple[int, Account]) -> tuple[bool, bool, int]:
        rest = words[found[0]:]
        setting = bool(rest) and rest[0].lower() in SETTINGS
        return setting and len(rest) > 1, setting, found[0]

    best = max(named, key=fit) if named else None
    if best is None or (not fit(best)[1] and _first_setting_word(words, after=best[0]) < len(words)):
        # No name fits, or only a shorter one ("Acme" of `Acme Inc tier key`): say which name was not found.
        end = _first_setting_word(words, after=best[0] if best else 1)
        account = require_account(session, name=" ".join(words[:end]).rstrip(":："))
    else:
        end, account = best
    rest = words[end:]
    key = rest[0].lower() if rest else ""
    return SetRequest(account=account, key=key, setting=SETTINGS.get(key), value=" ".join(rest[1:]))


def _first_setting_word(words: list[str], *, after: int) -> int:
    """The index of the first word from `after` on that names a setting (len(words) if none does)."""
    return next((index for index in range(after, len(words)) if words[index].lower() in SETTINGS), len(words))


def _usage(account: Account) -> str:
    lines = "\n".join(f"• *{s.key}*: {s.show(account)} — `/account set {account.name} {s.example}`"
                      for s in SETTINGS.values() if _applies(s, account))
    return _("Settings of *{name}* (name one to change it):\n{lines}").format(name=account.name, lines=lines)


def _applies(setting: AccountSetting, account: Account) -> bool:
    return setting.kinds is None or account.kind in setting.kinds


def change_setting(session: Session, *, text: str, actor_id: str, now: datetime,
                   our_people: Collection[str] = ()) -> SettingChanged:
    """Apply `/account set <name> <key> <value>` and record it in the audit log.

    `our_people`: the users mentioned in the text who are our own people (the handler asks Slack);
    only they can own an account, since its owner gets internal reminders and escalations.
    """
    request = read_set_text(session, text)
    account, setting, value_text = request.account, request.setting, request.value
    if setting is None:
        if not request.key:
            raise InvalidInput(_usage(account))
        word = cut(request.key, ECHO_LIMIT)
        raise InvalidInput(_("“{word}” is not a setting.").format(word=word) + " " + _usage(account))
    if not _applies(setting, account):
        raise Refused(_("*{name}* is a {kind} account: only {kinds} accounts have a {key}.").format(
            name=account.name, kind=kind_label(account.kind), key=setting.key,
            kinds=" / ".join(kind_label(kind) for kind in setting.kinds or ())))
    if not value_text:
        raise InvalidInput(_usage(account))
    value = setting.parse(value_text)
    if setting.person and value not in our_people:
        raise Refused(_("<@{user}> isn't one of our people. An account's owner gets its internal reminders, "
                        "warnings and escalations: pick a colleague.").format(user=value))
    before_value, before = getattr(account, setting.column), setting.show(account)
    if setting.merge:
        value = setting.merge(before_value, value)
    setattr(account, setting.column, value)
    session.add(account)
    if setting.after:
        setting.after(session, account)
    record_change(session, actor_id=actor_id, action=f"account.set.{setting.key}", object_type="account",
                  object_id=account.id, at=now, before={setting.column: _plain(before_value)},
                  after={setting.column: _plain(value)})
    return SettingChanged(account=account, setting=setting, before=before, after=setting.show(account))


def _plain(value: Any) -> Any:
    """A value the audit log's JSON can hold."""
    return value.value if isinstance(value, Enum) else value
