"""Conversation capture: messages (new, edited, deleted) in channels linked to an account; emoji that log them.

Bolt acks each event before the listener runs, so capturing never holds Slack's 3-second deadline.
A retry (X-Slack-Retry-Num) is processed like the first delivery: the message's unique key makes
the second one a no-op, and a first delivery that failed half-way still gets recorded.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext, BoltRequest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.care.capture import SeenMessage, capture_message, is_captured_channel, record_deletion, record_edit
from bot.care.complaint_clock import ComplaintPolicy
from bot.care.complaints import MessageSource, open_complaint
from bot.care.praise import PraisePolicy, Receivers, log_customer_praise
from bot.care.reactions import ReactionKind, complaint_draft, reaction_kind
from bot.platform import people
from bot.platform.errors import RapportError
from bot.platform.i18n import _
from bot.platform.services import Services
from bot.platform.text import mentioned_users
from handlers.commands.care.complaint import confirm_opened
from handlers.commands.care.praise import published_receipt
from handlers.context import Actor, reply, services_of
from handlers.ids import Event

# Message subtypes that are someone saying something; joins, leaves, topic changes, bots' posts and
# the like are not conversation.
SPOKEN = {None, "thread_broadcast", "file_share", "me_message"}


def register(app: App) -> None:
    """Listen for message and reaction events."""
    app.event(Event.MESSAGE)(handle_message_event)
    app.event(Event.REACTION_ADDED)(handle_reaction_added)


def handle_message_event(event: dict[str, Any], context: BoltContext) -> None:
    """Capture a new message, follow an edit, or forget a deleted message's text."""
    services = services_of(context)
    subtype = event.get("subtype")
    channel_id = str(event.get("channel") or "")
    now = services.now()
    if subtype == "message_changed":
        edited, before = event.get("message") or {}, event.get("previous_message") or {}
        if edited.get("bot_id") or edited.get("text") == before.get("text"):
            return  # a reply count or an unfurl changed, not what was written
        with services.db.session() as session:
            record_edit(session, channel_id=channel_id, ts=str(edited.get("ts")), text=edited.get("text") or "",
                        now=now)
        return
    if subtype == "message_deleted":
        with services.db.session() as session:
            record_deletion(session, channel_id=channel_id, ts=str(event.get("deleted_ts")), now=now)
        return
    seen = seen_message(event, services.slack)
    if seen is None:
        return
    with services.db.session() as session:
        if not is_captured_channel(session, channel_id=seen.channel_id):
            return
    # Asked between two units of work, so no transaction (nor SQLite's write lock) waits on Slack.
    permalink = services.slack.permalink(seen.channel_id, seen.ts)
    with services.db.session() as session:
        capture_message(session, seen, permalink=permalink, now=now, settings=services.settings)


def seen_message(event: dict[str, Any], directory: people.Directory) -> SeenMessage | None:
    """A person's message in a channel, read from its event; None for bots, joins and direct messages."""
    subtype, author = event.get("subtype"), event.get("user")
    if subtype not in SPOKEN or event.get("bot_id") or not author or event.get("channel_type") == "im":
        return None
    # Slack Connect names the author's organisation in the event; no look-up is needed then.
    team = event.get("user_team") or event.get("team")
    ts, thread_ts = str(event.get("ts")), event.get("thread_ts")
    return SeenMessage(channel_id=str(event.get("channel")), ts=ts, thread_ts=thread_ts if thread_ts != ts else None,
                       author_id=str(author), outbound=people.is_internal(directory, str(author), team_id=team),
                       text=event.get("text") or "", broadcast=subtype == "thread_broadcast")


def handle_reaction_added(event: dict[str, Any], context: BoltContext, request: BoltRequest,
                          client: WebClient) -> None:
    """Our person's complaint or praise emoji on a customer's message logs it; anyone else's reaction does nothing."""
    services = services_of(context)
    item = event.get("item") or {}
    kind = reaction_kind(str(event.get("reaction") or ""), services.settings)
    actor = context.get("actor")
    if kind is None or item.get("type") != "message" or not isinstance(actor, Actor) or actor.is_external:
        return
    author = event.get("item_user")
    if not author or not people.is_customer(services.slack, str(author)):
        return  # only a customer's message is their complaint or their praise
    message = reacted_message(client, str(item.get("channel")), str(item.get("ts")))
    if message is None:
        return
    retry = bool(request.headers.get("x-slack-retry-num"))
    dm = {"user": {"id": actor.id}}  # the receipt goes by DM: the message may be in a shared channel
    try:
        if kind == ReactionKind.COMPLAINT:
            complaint_from_reaction(services, client, message, author=str(author), actor_id=actor.id, retry=retry)
        else:
            praise_from_reaction(services, client, message, author=str(author), actor_id=actor.id, retry=retry)
    except RapportError as problem:
        if not retry:
            reply(dm, client, problem.message)


def reacted_message(client: WebClient, channel_id: str, ts: str) -> dict[str, Any] | None:
    """The message a reaction is on (its text and thread), read from Slack; None when Slack will not say."""
    try:
        messages = client.conversations_replies(channel=channel_id, ts=ts, limit=1, inclusive=True)["messages"]
    except SlackApiError:
        return None
    found = next((m for m in messages if m.get("ts") == ts), None)
    return {**found, "channel": channel_id} if found else None


def complaint_from_reaction(services: Services, client: WebClient, message: dict[str, Any], *, author: str,
                            actor_id: str, retry: bool) -> None:
    """What *Log complaint* does, with the message's text as the summary and normal severity."""
    channel_id, ts = message["channel"], message["ts"]
    source = MessageSource(channel_id=channel_id, ts=ts, complainant_id=author,
                           permalink=services.slack.permalink(channel_id, ts),
                           thread_ts=message.get("thread_ts") or ts)
    with services.db.session() as session:
        change = open_complaint(session, draft=complaint_draft(message.get("text") or ""), channel_id=channel_id,
                                actor_id=actor_id, now=services.now(),
                                policy=ComplaintPolicy.from_settings(services.settings),
                                is_shared=services.slack.is_shared_channel, source=source)
    if change.changed or not retry:
        text, blocks = confirm_opened(change, services)
        reply({"user": {"id": actor_id}}, client, text, blocks)


def praise_from_reaction(services: Services, client: WebClient, message: dict[str, Any], *, author: str,
                         actor_id: str, retry: bool) -> None:
    """What *Log praise* does for the engineers the message mentions; with none, say to use the shortcut."""
    dm = {"user": {"id": actor_id}}
    text = message.get("text") or ""
    receivers = people.internal_people(services.slack, mentioned_users(text), exclude=author)
    if not receivers:
        if not retry:
            reply(dm, client, _("That message mentions none of our people, so I can't tell whom the praise is for. "
                                "Use the *Log praise* shortcut on it to choose."))
        return
    with services.db.session() as session:
        given = log_customer_praise(
            session, logged_by=actor_id, author_id=author, message_text=text, receivers=Receivers(users=receivers),
            channel_id=message["channel"], message_ts=message["ts"], now=services.now(),
            policy=PraisePolicy.from_settings(services.settings))
    if given is None:
        if not retry:
            reply(dm, client, _("This message's praise was logged already — nothing more to do."))
        return
    services.deliver_then(given.card_key, lambda landing: reply(dm, client, *published_receipt(given, landing)))
