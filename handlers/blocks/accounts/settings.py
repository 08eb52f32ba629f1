"""Block Kit for `/account set`: what changed."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.accounts.settings import SettingChanged
from bot.platform.i18n import _
from handlers.blocks.care.contacts import day_label
from handlers.blocks.common import context, section

# Settings that move the date an account goes cold; the receipt says the new date.
CONTACT_KEYS = ("tier", "cadence")


def build_setting_changed(changed: SettingChanged, *, zone: ZoneInfo) -> tuple[str, list[dict[str, Any]]]:
    """Confirm a changed account setting, with its value before."""
    account = changed.account
    text = _("*{account}*: {key} is now {after} (was {before}).").format(
        account=account.name, key=changed.setting.key, after=changed.after, before=changed.before)
    blocks = [section(text)]
    if changed.setting.key in CONTACT_KEYS:
        due = account.contact_due_at
        note = _("Next contact due by {day}.").format(day=day_label(due, zone)) if due else \
            _("Contacts with this account are not tracked, so it never shows as gone cold.")
        text += " " + note
        blocks.append(context(note))
    return text, blocks
