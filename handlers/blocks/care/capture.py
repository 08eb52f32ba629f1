"""Block Kit for captured conversations: first-response nudges and alerts, `/contact waiting`, response times."""

from __future__ import annotations

from datetime import datetime, timedelta

from bot.care.cards import FirstResponseCard, SlaNotice
from bot.care.complaint_settings import describe_duration
from bot.care.waiting import ResponseTimes, WaitingList, WaitingMessage
from bot.platform.cards import Rendered
from bot.platform.i18n import _, ngettext
from handlers.blocks.common import Reply, channel, context, header, section, user, when


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


def waiting_clock(item: WaitingMessage) -> str:
    """The clock of a waiting message: answer by when, or late since when."""
    if item.overdue:
        return "🚨 " + _("no answer, due {due}").format(due=when(item.due_at, item.tz))
    return "⏱️ " + _("answer by {due}").format(due=when(item.due_at, item.tz))


def waiting_line(item: WaitingMessage, *, owner: bool = False) -> str:
    """• Acme Corp — @erin, Fri 27 Nov 10:00 CST (the message) — ⏱️ answer by …"""
    message = item.message
    line = _("• *{account}* — {author}, {posted} ({link}) — {clock}").format(
        account=item.account, author=user(message.author_id) if message.author_id else _("the customer"),
        posted=when(message.posted_at, item.tz), link=message_link(message.permalink, message.channel_id),
        clock=waiting_clock(item))
    return line + (f" · {user(item.owner)}" if owner else "")


def build_waiting(waiting: WaitingList, *, now: datetime) -> Reply:
    """`/contact waiting`: customer messages waiting for our first response, oldest first."""
    title = _("Waiting for us") if waiting.everyone else _("Waiting for you")
    if not waiting.total:
        text = _("No customer message is waiting for an answer.") if waiting.everyone else \
            _("No customer message is waiting for an answer on your accounts. (Managers see every account.)")
        return text, [header(title), section(text)]
    body = "\n".join(waiting_line(item, owner=waiting.everyone) for item in waiting.messages)
    blocks = [header(f"{title} ({waiting.total})"), section(body)]
    if waiting.pages > 1:
        blocks.append(context(_("Page {page} of {pages}, oldest first · `/contact waiting {next}` for more").format(
            page=waiting.page, pages=waiting.pages, next=min(waiting.page + 1, waiting.pages))))
    blocks.append(context(_("A reply from our side in the message's thread, or in the channel after it, stops its "
                            "clock.")))
    return f"{title}\n{body}", blocks


def response_time_line(times: ResponseTimes) -> str:
    """The account view's line on its conversation and first-response times (90 days)."""
    line = _("*Conversation (90 days):* {inbound} from them · {outbound} from us").format(
        inbound=times.inbound, outbound=times.outbound)
    if times.median is not None and times.p90 is not None and times.within_target is not None:
        line += " · " + _("*First response:* median {median}, p90 {p90}, {share:.0%} within target").format(
            median=describe_duration(times.median), p90=describe_duration(times.p90), share=times.within_target)
    elif times.within_target is not None:
        line += " · " + _("*First response:* {share:.0%} within target").format(share=times.within_target)
    if times.waiting:
        line += " · " + ngettext("{n} waiting for us", "{n} waiting for us", times.waiting).format(n=times.waiting)
    return line
