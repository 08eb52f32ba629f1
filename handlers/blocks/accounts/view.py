"""Block Kit for accounts."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfo

from bot.accounts.labels import account_kind_label
from bot.accounts.registry import AccountPage, AccountView
from bot.accounts.settings import show_tier
from bot.platform.i18n import _, ngettext
from handlers.blocks.care.complaint import complaints_line
from handlers.blocks.care.contacts import contact_lines
from handlers.blocks.common import channel, context, header, section, user
from handlers.blocks.rhythm.meetings import agreement_button, agreement_lines
from storage.accounts import Account
from storage.care.surveys import Csat

Reply = tuple[str, list[dict[str, Any]]]


def build_account_added(account: Account) -> Reply:
    """Confirm a new account."""
    text = _("Added {kind} account *{name}*, owned by {owner}. Link its channels with `/account link {name}`.").format(
        kind=account_kind_label(account), name=account.name, owner=user(account.owner_id))
    return text, [section(text)]


def build_account_linked(account: Account, *, channel_id: str, shared: bool, new: bool) -> Reply:
    """Confirm a channel link."""
    if not new:
        text = _("{channel} is already linked to *{name}*.").format(channel=channel(channel_id), name=account.name)
    elif shared:
        text = _("Linked {channel} to *{name}*. It is shared with another organisation: only surveys and neutral "
                 "acknowledgements will ever be posted here.").format(channel=channel(channel_id), name=account.name)
    else:
        text = _("Linked {channel} to *{name}*.").format(channel=channel(channel_id), name=account.name)
    return text, [section(text)]


def csat_line(csat: Csat) -> str:
    """"CSAT over 90 days: 4.2 (12 answers)", or that there are no answers yet."""
    if not csat.count:
        return _("*CSAT over 90 days:* no answers yet")
    return _("*CSAT over 90 days:* {average:.1f} ({answers})").format(
        average=csat.average, answers=ngettext("{n} answer", "{n} answers", csat.count).format(n=csat.count))


def build_account_view(view: AccountView, *, zone: ZoneInfo) -> Reply:
    """The 360° view of one account (internal, ephemeral)."""
    account = view.account
    channels = ", ".join(
        channel(link.channel_id) + (" " + _("(shared)") if link.is_shared else "") for link in view.channels
    ) or _("none — use `/account link {name}` in its channel").format(name=account.name)
    lines = [
        _("*Kind:* {kind} · *Tier:* {tier}").format(kind=account_kind_label(account), tier=show_tier(account)),
        _("*Owner:* {owner}").format(owner=user(account.owner_id)),
        _("*Channels:* {channels}").format(channels=channels),
        *contact_lines(view.contacts, zone=zone),
        csat_line(view.csat),
        complaints_line(view.complaints),
        _("*Praise received:* {count}").format(count=view.praise_count),
        *agreement_lines(view.agreement, zone=zone),
    ]
    if view.calendar_gaps:
        lines.append(_("⚠️ Its holiday calendar ({country}) has no official data for {years} yet: its working days "
                       "there are Monday–Friday plus fixed-date holidays, without make-up days. Update the holidays "
                       "package when the official calendar is published.").format(
            country=account.calendar_country, years=", ".join(map(str, view.calendar_gaps))))
    text = f"{account.name}\n" + "\n".join(lines)
    return text, [header(account.name), section("\n".join(lines)),
                  agreement_button(account.id, exists=view.agreement.agreement is not None)]


def build_account_list(listing: AccountPage) -> Reply:
    """One page of accounts."""
    if not listing.total:
        text = _("No accounts yet. Add one with `/account add Acme Corp customer`.")
        return text, [section(text)]
    lines = [f"• *{a.name}* — {account_kind_label(a)} · {user(a.owner_id)}" for a in listing.accounts]
    title = _("Accounts ({total})").format(total=listing.total)
    blocks = [header(title), section("\n".join(lines))]
    if listing.pages > 1:
        blocks.append(context(_("Page {page} of {pages} · `/account list {next}` for more").format(
            page=listing.page, pages=listing.pages, next=min(listing.page + 1, listing.pages))))
    return title + "\n" + "\n".join(lines), blocks
