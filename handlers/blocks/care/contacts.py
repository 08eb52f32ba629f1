"""Block Kit for contacts: the logged-contact receipt, the cold-accounts list, the account view's contact lines."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.care.contacts import ColdList, Logged
from bot.overview.account_view import ContactStatus
from bot.platform import formatting
from bot.platform.i18n import _, ngettext
from bot.platform.text import safe_text
from handlers.blocks.common import Reply, context, header, section, user

QUOTE_LIMIT = 500


def day_label(moment: datetime, zone: ZoneInfo) -> str:
    """A day the way people say it: "Fri 11 Dec"."""
    return formatting.short_day(moment.astimezone(zone).date())


def days_ago(moment: datetime, now: datetime) -> str:
    """"today", "yesterday", "12 days ago"."""
    days = (now - moment).days
    if days <= 0:
        return _("today")
    if days == 1:
        return _("yesterday")
    return ngettext("{n} day ago", "{n} days ago", days).format(n=days)


def build_contact_logged(logged: Logged, *, zone: ZoneInfo) -> Reply:
    """The receipt: "Logged a contact with Acme — next due by Fri 11 Dec"."""
    name = logged.account.name
    if logged.due_at:
        text = _("Logged a contact with {account} — next due by {day}").format(
            account=name, day=day_label(logged.due_at, zone))
    else:
        text = _("Logged a contact with {account}.").format(account=name)
    quoted = "> " + safe_text(logged.touchpoint.summary, QUOTE_LIMIT).replace("\n", "\n> ")
    details = []
    if logged.touchpoint.customer_id:
        details.append(_("with {customer}").format(customer=user(logged.touchpoint.customer_id)))
    if logged.touchpoint.permalink:
        details.append(_("<{link}|from this message>").format(link=logged.touchpoint.permalink))
    blocks = [section("✅ " + text), section(quoted)]
    if details:
        blocks.append(context(" · ".join(details)))
    return text, blocks


def build_contact_already_logged(account_name: str) -> Reply:
    """The answer to a second Log contact on the same message."""
    text = _("This message was already logged as a contact with {account} — nothing more to do.").format(
        account=account_name)
    return text, [section(text)]


def build_cold_accounts(cold: ColdList, *, now: datetime, zone: ZoneInfo) -> Reply:
    """Accounts whose last touchpoint is older than their cadence (all of them, or the viewer's own)."""
    everyone = cold.everyone
    title = _("Accounts gone cold") if everyone else _("Your accounts gone cold")
    if not cold.total:
        text = _("No account has gone cold — every one has been contacted within its cadence.") if everyone else \
            _("None of your accounts has gone cold. (Only accounts you own are listed; managers see them all.)")
        return text, [header(title), section(text)]
    lines = []
    for item in cold.accounts:
        cadence = ngettext("every {n} day", "every {n} days", item.cadence_days).format(n=item.cadence_days)
        if item.last_contact_at:
            last = _("last contact {ago}").format(ago=days_ago(item.last_contact_at, now))
        else:
            last = _("no contact logged since it was added {ago}").format(ago=days_ago(item.account.created_at, now))
        owner = " · " + user(item.account.owner_id) if everyone else ""
        lines.append(_("• *{account}* — {last} (cadence {cadence}; due {day}){owner}").format(
            account=item.account.name, last=last, cadence=cadence, day=day_label(item.due_at, zone), owner=owner))
    body = "\n".join(lines)
    blocks = [header(title), section(body)]
    if cold.pages > 1:
        blocks.append(context(_("Page {page} of {pages} ({total} accounts, longest overdue first) · "
                                "`/contact cold {next}` for more").format(
            page=cold.page, pages=cold.pages, total=cold.total, next=min(cold.page + 1, cold.pages))))
    blocks.append(context(_("Log a contact with `/contact <account>: <summary>` or the *Log contact* message "
                            "shortcut. Change a cadence with `/account set <account> cadence <days>`.")))
    return f"{title}\n{body}", blocks


def contact_lines(status: ContactStatus, *, zone: ZoneInfo) -> list[str]:
    """The account view's lines on last touchpoint, cadence and key contacts."""
    if status.cadence_days:
        cadence = ngettext("every {n} day", "every {n} days", status.cadence_days).format(n=status.cadence_days)
    else:
        cadence = _("not tracked")
    last = day_label(status.last_contact_at, zone) if status.last_contact_at else _("none logged yet")
    line = _("*Last touchpoint:* {last} · *Cadence:* {cadence}").format(last=last, cadence=cadence)
    if status.due_at and status.overdue:
        line += " · " + _("⚠️ gone cold since {day}").format(day=day_label(status.due_at, zone))
    elif status.due_at:
        line += " · " + _("next due by {day}").format(day=day_label(status.due_at, zone))
    people = ", ".join(f"{user(person)} ({n})" for person, n in status.key_contacts) or _("none yet")
    return [line, _("*Key contacts:* {people}").format(people=people)]
