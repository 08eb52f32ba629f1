"""Conversation capture: messages (new, edited, deleted) in channels linked to an account.

Bolt acks each event before the listener runs, so capturing never holds Slack's 3-second deadline.
A retry (X-Slack-Retry-Num) is processed like the first delivery: the message's unique key makes
the second one a no-op, and a first delivery that failed half-way still gets recorded.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import App, BoltContext

from bot.care.capture import SeenMessage, capture_message, record_deletion, record_edit
from bot.platform import people
from handlers.context import services_of
from handlers.ids import Event

# Message subtypes that are someone saying something; joins, leaves, topic changes, bots' posts and
# the like are not conversation.
SPOKEN = {None, "thread_broadcast", "file_share", "me_message"}


def register(app: App) -> None:
    """Listen for message events."""
    app.event(Event.MESSAGE)(handle_message_event)


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
        capture_message(session, seen, permalink=lambda: services.slack.permalink(seen.channel_id, seen.ts),
                        now=now, settings=services.settings)


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
