"""Block Kit for praise: the commendation card, the confirmation, the leaderboard."""

from __future__ import annotations

from typing import Any

from bot.care.cards import PraiseCard
from bot.care.praise import LeaderboardEntry, Period
from bot.platform.cards import Rendered
from bot.platform.i18n import _
from bot.platform.text import cut, neutralise_mentions
from handlers.blocks.common import SECTION_LIMIT, context, header, join_names, section, user
from handlers.blocks.platform.admin import failure_reason


def receiver_names(card: PraiseCard) -> str:
    """The mentions of everyone a praise is for."""
    names = [user(u) for u in card.users] + [f"@{g.handle}" for g in card.groups]
    return join_names(names)


def render_praise_card(card: PraiseCard) -> Rendered:
    """The commendation published in the kudos channel."""
    receivers = receiver_names(card)
    reason = neutralise_mentions(card.reason)
    quoted = "> " + cut(reason, SECTION_LIMIT - 10).replace("\n", "\n> ")
    if card.account:
        title = _("Praise from {account}").format(account=card.account)
        byline = _("{receivers}, praised by {giver} of {account}").format(
            receivers=receivers, giver=user(card.giver), account=card.account)
    else:
        title = _("A commendation")
        byline = _("{receivers}, praised by {giver}").format(receivers=receivers, giver=user(card.giver))
    text = cut(f"{title}: {byline} — {reason}", 3000)
    blocks = [header("🏅 " + title), section(byline), section(quoted), context(_("Logged with Rapport · /praise"))]
    return Rendered(text=text, blocks=blocks)


def build_praise_confirmation(card: PraiseCard, *, channel: str, link: str | None) -> tuple[str, list[dict[str, Any]]]:
    """The giver's ephemeral receipt, linking to the published card."""
    text = _("Thanks! Your praise for {receivers} is published in <#{channel}>.").format(
        receivers=receiver_names(card), channel=channel)
    if link:
        text += " " + _("<{link}|See it>").format(link=link)
    return text, [section(text)]


def build_praise_queued(card: PraiseCard, *, channel: str) -> tuple[str, list[dict[str, Any]]]:
    """The receipt when Slack is slow: the card is on its way."""
    text = _("Thanks! Your praise for {receivers} is saved and will appear in <#{channel}> shortly.").format(
        receivers=receiver_names(card), channel=channel)
    return text, [section(text)]


def build_praise_failed(card: PraiseCard, *, channel: str, error: str) -> tuple[str, list[dict[str, Any]]]:
    """The receipt when Slack refused the card for good: saved, not published, and why."""
    text = _("Your praise for {receivers} is saved, but it could not be published in <#{channel}>: {why}").format(
        receivers=receiver_names(card), channel=channel, why=failure_reason(error))
    return text, [section("⚠️ " + text)]


def build_leaderboard(entries: list[LeaderboardEntry], *, period: Period) -> tuple[str, list[dict[str, Any]]]:
    """The praise leaderboard for a period."""
    titles = {Period.WEEK: _("Most praised this week"), Period.MONTH: _("Most praised this month"),
              Period.QUARTER: _("Most praised this quarter")}
    title = titles[period]
    if not entries:
        empty = {Period.WEEK: _("No praise yet this week. Be the first: `/praise @someone why`"),
                 Period.MONTH: _("No praise yet this month. Be the first: `/praise @someone why`"),
                 Period.QUARTER: _("No praise yet this quarter. Be the first: `/praise @someone why`")}
        text = empty[period]
        return text, [header(title), section(text)]
    medals = ["🥇", "🥈", "🥉"]
    lines = []
    for rank, entry in enumerate(entries, start=1):
        who = user(entry.user_id) if entry.user_id else f"@{entry.group_handle}"
        mark = medals[rank - 1] if rank <= 3 else f"{rank}."
        lines.append(f"{mark} {who} — {entry.count}")
    body = "\n".join(lines)
    return f"{title}\n{body}", [header(title), section(body)]
