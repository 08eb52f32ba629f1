"""Help for every command, shown ephemerally for `help` or a command with no text."""

from __future__ import annotations

from typing import Any

from bot.i18n import _
from handlers.blocks.common import header, section
from handlers.ids import Command


def _help_texts() -> dict[Command, tuple[str, str]]:
    return {
        Command.PRAISE: (
            _("Praise a colleague or a team"),
            _("• `/praise @alice fixed the VPN in ten minutes` — publish a commendation\n"
              "• `/praise @alice @bob …` or `/praise @netops …` — several people, or a whole user group\n"
              "• `/praise top [week|month|quarter]` — the leaderboard\n"
              "• Message shortcut *Log praise* — record a customer's praise from their message"),
        ),
        Command.ACCOUNT: (
            _("Customers, suppliers and third parties"),
            _("• `/account add Acme Corp [customer|supplier|third-party]` — add an account\n"
              "• `/account link Acme Corp` — link this channel to the account\n"
              "• `/account Acme Corp` — the account at a glance\n"
              "• `/account set Acme Corp` — its settings; e.g. `/account set Acme Corp tier key`, "
              "`/account set Acme Corp cadence 14`\n"
              "• `/account list [page]` — all accounts")
            + "\n" + _("• Message shortcut *Ask for feedback* — ask the customer who wrote a message how satisfied "
                        "they are (1–5); resolved complaints are surveyed by themselves, 2 h later. "
                        "`/account set Acme Corp surveys dm` asks by DM instead of in the shared channel"),
        ),
        Command.CONTACT: (
            _("Daily contacts with accounts"),
            _("• `/contact Acme Corp: call with @erin about the renewal` — log a contact (touchpoint)\n"
              "• `/contact <summary>` — in a channel linked to an account, the account is that one\n"
              "• `/contact cold [page]` — accounts not contacted within their cadence (yours; managers see all)\n"
              "• Message shortcut *Log contact* — log a message in a linked channel as a contact\n"
              "• `/account set Acme Corp cadence 14` · `/account set Acme Corp tier key` — how often to keep in "
              "touch (default: 14 days for key accounts, 30 for others)"),
        ),
        Command.COMPLAINT: (
            _("Customer complaints"),
            _("• `/complaint Acme Corp: the VPN drops every hour !high` — log a complaint; severity !critical, "
              "!high, !normal (default) or !low; in a channel linked to the account, the name can be left out\n"
              "• `/complaint` — the same, in a form\n"
              "• Message shortcut *Log complaint* — log a customer's message (account, customer and link kept)\n"
              "• `/complaint list [mine|open|breached] [page]` — active complaints · `/complaint 12` — one, with "
              "its history\n"
              "• Its card (in the account's internal channel) has *I'll take it*, *Acknowledge*, *Resolve* and "
              "*Reopen*\n"
              "• SLA in business hours, acknowledge/resolve: critical 1h/4h · high 4h/24h · normal 8h/48h · low "
              "24h/120h; the owner is warned at 80%, a breach is escalated once\n"
              "• Per account: `/account set Acme Corp channel #acme-internal` · `customer-ack on` · "
              "`sla critical 2h/8h` · `country CN` · `timezone Asia/Shanghai` · `hours 09:00-18:00`"),
        ),
        Command.RAPPORT: (
            _("Rapport"),
            _("• `/rapport config` — how this workspace is set up\n"
              "• `/praise help`, `/account help`, `/contact help`, `/complaint help` — help for each command"),
        ),
    }


def build_help(command: Command) -> tuple[str, list[dict[str, Any]]]:
    """The help text and blocks for one command."""
    title, body = _help_texts()[command]
    return f"{title}\n{body}", [header(title), section(body)]
