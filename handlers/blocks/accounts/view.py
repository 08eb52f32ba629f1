"""Block Kit for accounts: replies to adding and linking them, and the list (the 360° view is in overview)."""

from __future__ import annotations

from bot.accounts.labels import account_kind_label
from bot.accounts.registry import AccountPage
from bot.platform.i18n import _
from handlers.blocks.common import Reply, channel, context, header, section, user
from storage.accounts import Account


def build_account_added(account: Account) -> Reply:
    """Confirm a new account."""
    text = _("Added {kind} account *{name}*, owned by {owner}. Link its channels with `/account link {name}`.").format(
        kind=account_kind_label(account), name=account.name, owner=user(account.owner_id))
    return text, [section(text)]


def build_account_linked(account: Account, *, channel_id: str, shared: bool, new: bool,
                         listening: bool = True) -> Reply:
    """Confirm a channel link, saying so when Rapport is not in the channel and so cannot capture its messages."""
    if not new:
        text = _("{channel} is already linked to *{name}*.").format(channel=channel(channel_id), name=account.name)
    elif shared:
        text = _("Linked {channel} to *{name}*. It is shared with another organisation: only what is meant for them is "
                 "ever posted here (surveys, neutral acknowledgements, meeting reminders, their own outage layer, and "
                 "a service report when you choose to share it).").format(channel=channel(channel_id),
                                                                         name=account.name)
    else:
        text = _("Linked {channel} to *{name}*.").format(channel=channel(channel_id), name=account.name)
    if not listening:
        text += "\n" + _("⚠️ I'm not a member of {channel}, so I can't see its conversation and nothing in it is "
                         "captured. Invite me with `/invite @Rapport`.").format(channel=channel(channel_id))
    return text, [section(text)]


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
