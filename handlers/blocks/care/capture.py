"""Block Kit for captured conversations: the first-response nudge and alert (internal only)."""

from __future__ import annotations

from datetime import timedelta

from bot.care.cards import FirstResponseCard, SlaNotice
from bot.care.complaint_settings import describe_duration
from bot.platform.cards import Rendered
from bot.platform.i18n import _
from handlers.blocks.common import channel, context, section, user, when


def message_link(permalink: str | None, channel_id: str) -> str:
    """A link to the message, else its channel."""
    if permalink:
        return "<{link}|{label}>".format(link=permalink, label=_("the message"))
    return _("a message in {channel}").format(channel=channel(channel_id))


def render_first_response(card: FirstResponseCard) -> Rendered:
    """The owner's nudge at 80 % of the first-response time, or the internal channel's alert at breach."""
    link = message_link(card.permalink, card.channel)
    target = describe_duration(timedelta(minutes=card.target_minutes))
    author = user(card.author) if card.author else _("the customer")
    due = when(card.due, card.tz)
    if card.notice == SlaNotice.WARNING:
        text = _("⏳ {author} ({account}) is waiting for an answer: {link}. Reply by {due} — 80% of the "
                 "{target} first-response time has gone.").format(author=author, account=card.account, link=link,
                                                                  due=due, target=target)
    else:
        text = _("🚨 First response missed: {author} ({account}) has had no answer since {posted} — the {target} "
                 "target ran out at {due}. {link}. Owner: {owner}.").format(
            author=author, account=card.account, posted=when(card.posted_at, card.tz), target=target, due=due,
            link=link, owner=user(card.owner) if card.owner else _("nobody"))
    hint = _("A reply from our side, in its thread or in the channel, stops the clock. `/contact waiting` lists "
             "what is waiting.")
    return Rendered(text=text, blocks=[section(text), context(hint)])
