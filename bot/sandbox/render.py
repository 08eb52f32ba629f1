"""What the sandbox prints: Slack's screens in plain text, and what changed since the last look."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.platform import formatting
from bot.platform.config import Settings
from bot.sandbox.stand_in import SlackStandIn
from bot.sandbox.stand_in.workspace import BOT_USER_ID, Channel
from storage.platform.outbox import OutboxMessage

INDENT = "    "


def when(moment: datetime, zone: ZoneInfo) -> str:
    """A moment as people read it in the team's zone: `Fri 27 Nov 2026 10:00 CST`."""
    return formatting.moment(moment, zone, year=True)


def ts_time(ts: str, zone: ZoneInfo, today: date | None = None) -> str:
    """The clock time of a Slack message timestamp: `10:02` today, `Sat 28 Nov 09:00` on another day."""
    local = datetime.fromtimestamp(float(ts), UTC).astimezone(zone)
    return formatting.clock(local) if local.date() == today else f"{formatting.short_day(local.date())} " \
        f"{formatting.clock(local)}"


def channel_label(stand_in: SlackStandIn, channel_id: str) -> str:
    """`#kudos`, or `DM with @carol` for the app's direct messages."""
    channel = stand_in.workspace.channel(channel_id)
    if channel is None:
        return channel_id
    if channel.is_im:
        return f"DM with @{stand_in.name_of(channel.dm_user or '') or channel.dm_user}"
    return f"#{channel.name}"


def person(stand_in: SlackStandIn, user_id: str) -> str:
    """`erin (Acme Corp)` for outsiders, `alice` for our own people."""
    user = stand_in.workspace.user(user_id)
    if user is None:
        return user_id
    if stand_in.workspace.is_external(user_id):
        return f"{user.name} ({stand_in.workspace.team_of(user_id).name})"
    return user.name


def render_entry(stand_in: SlackStandIn, message: dict[str, Any], *, zone: ZoneInfo, viewer: str, label: str = "",
                 note: str = "", today: date | None = None) -> list[str]:
    """One message as a heading (where, who, for whom, when) and its indented body."""
    if message.get("source") == "slack":  # Slack's own notice, e.g. a command that timed out
        author = "Slack"
    elif message.get("bot_id") or message.get("source"):
        author = "rapport"
    else:
        author = person(stand_in, message["user"])
    flags = []
    if message.get("source"):
        flags.append("only visible to you" if message["user"] == viewer else
                     f"only visible to @{stand_in.name_of(message['user']) or message['user']}")
    if message.get("thread_ts") and message["thread_ts"] != message["ts"]:
        flags.append("in a thread")
    if note:
        flags.append(note)
    extra = f" ({', '.join(flags)})" if flags else ""
    body = stand_in.render_message(message).split("\n")[1:]
    head = f"{label + ' ' if label else ''}{author}{extra} · {ts_time(message['ts'], zone, today)}"
    return [head] + [INDENT + line.removeprefix("  ") for line in body]


def render_channel(stand_in: SlackStandIn, channel_id: str, *, zone: ZoneInfo, viewer: str,
                   today: date | None = None) -> list[str]:
    """A channel as `viewer` sees it: numbered messages, with their own ephemerals in between."""
    messages = [(m["ts"], f"[{number}]", m) for number, m in enumerate(stand_in.messages(channel_id), start=1)]
    ephemerals = [(e["ts"], "", e) for e in stand_in.ephemerals(viewer, channel_id)]
    lines = [f"== {channel_label(stand_in, channel_id)} =="]
    for _ts, label, message in sorted(messages + ephemerals, key=lambda item: float(item[0])):
        lines += render_entry(stand_in, message, zone=zone, viewer=viewer, label=label, today=today)
    if len(lines) == 1:
        lines.append("(nothing here yet)")
    return lines


def _view_signature(view: dict[str, Any]) -> str:
    return json.dumps([view.get("title"), view.get("blocks"), view.get("errors")], sort_keys=True)


@dataclass
class Snapshot:
    """Everything visible in the stand-in at one moment, small enough to compare."""

    messages: dict[tuple[str, str], int] = field(default_factory=dict)  # (channel, ts) -> edits
    ephemerals: dict[tuple[str, str], int] = field(default_factory=dict)
    views: dict[str, tuple[bool, str]] = field(default_factory=dict)  # id -> (open, content)
    homes: dict[str, str] = field(default_factory=dict)  # user -> content

    @classmethod
    def take(cls, stand_in: SlackStandIn) -> Snapshot:
        """Record what is on every screen now."""
        snapshot = cls()
        for channel_id in list(stand_in.workspace.channels):
            for message in stand_in.messages(channel_id):
                snapshot.messages[(channel_id, message["ts"])] = len(message["edits"])
        for ephemeral in stand_in.ephemerals():
            snapshot.ephemerals[(ephemeral["channel"], ephemeral["ts"])] = len(ephemeral["edits"])
        for view in stand_in.views():
            snapshot.views[view["id"]] = (view["open"], _view_signature(view))
        for user_id in list(stand_in.workspace.users):
            home = stand_in.home(user_id)
            if home is not None:
                snapshot.homes[user_id] = _view_signature(home)
        return snapshot


def describe_changes(stand_in: SlackStandIn, before: Snapshot, *, zone: ZoneInfo, viewer: str,
                     today: date | None = None) -> list[str]:
    """What the app showed anyone since `before`: new or edited messages, ephemerals, modals, Home tabs."""
    after = Snapshot.take(stand_in)
    lines: list[str] = []
    for channel_id in list(stand_in.workspace.channels):
        for number, message in enumerate(stand_in.messages(channel_id), start=1):
            key = (channel_id, message["ts"])
            if not message.get("bot_id") or before.messages.get(key) == after.messages[key]:
                continue
            note = "" if key not in before.messages else "edited"
            lines += render_entry(stand_in, message, zone=zone, viewer=viewer, today=today,
                                  label=f"→ {channel_label(stand_in, channel_id)} [{number}] ·", note=note)
        gone = [ts for (cid, ts) in before.messages if cid == channel_id and (cid, ts) not in after.messages]
        lines += [f"{channel_label(stand_in, channel_id)}: a message was deleted" for _ts in gone]
    for ephemeral in stand_in.ephemerals():
        key = (ephemeral["channel"], ephemeral["ts"])
        if before.ephemerals.get(key) == after.ephemerals[key]:
            continue
        note = "" if key not in before.ephemerals else "replaced"
        lines += render_entry(stand_in, ephemeral, zone=zone, viewer=viewer, today=today,
                              label=f"→ {channel_label(stand_in, ephemeral['channel'])} ·", note=note)
    if any(key not in after.ephemerals for key in before.ephemerals):
        lines.append("(an ephemeral message from rapport went away)")
    for view in stand_in.views():
        was = before.views.get(view["id"])
        now = after.views[view["id"]]
        if was == now or (was is None and not view["open"]):
            continue
        whose = "your" if view["user"] == viewer else f"@{stand_in.name_of(view['user'])}'s"
        if not view["open"]:
            lines.append(f"({whose} modal “{(view.get('title') or {}).get('text', '')}” closed)")
            continue
        state = "opened" if was is None or not was[0] else "updated"
        lines.append(f"→ modal {state} on {whose} screen:")
        lines += [INDENT + line for line in stand_in.render_view(view).split("\n")]
    for user_id, content in after.homes.items():
        if before.homes.get(user_id) != content:
            lines.append(f"(Home tab of @{stand_in.name_of(user_id)} updated: `show home` as them to see it)")
    return lines


def describe_view_fields(view: dict[str, Any], inputs: list[tuple[dict[str, Any], dict[str, Any]]]) -> str:
    """The fields a modal takes, for `submit` errors: `receivers (Praise for)`."""
    names = [f"{block['block_id']} ({(block.get('label') or {}).get('text', '')})" for block, _element in inputs]
    return ", ".join(names) or f"none: {view.get('callback_id')} has no inputs"


def channel_summary(stand_in: SlackStandIn, channel: Channel, settings: Settings, *, linked_to: str | None) -> str:
    """A channel in one line: who is in it and what Rapport uses it for."""
    label = channel_label(stand_in, channel.id)
    if channel.is_im:
        return f"{label}: only you and rapport"
    workspace = stand_in.workspace
    notes = [f"{len([m for m in channel.members if m != BOT_USER_ID])} people"]
    if channel.is_ext_shared:
        outsiders = sorted({workspace.team_of(m).name for m in channel.members if workspace.is_external(m)})
        notes.append(f"shared with {', '.join(outsiders) or 'another organisation'} (Slack Connect)")
    if channel.id == settings.rapport_kudos_channel:
        notes.append("where commendations are published")
    if channel.id == settings.rapport_escalation_channel:
        notes.append("where escalations are posted")
    if linked_to:
        notes.append(f"linked to the account {linked_to}")
    if BOT_USER_ID not in channel.members:
        notes.append("rapport is not a member")
    return f"{label}: {'; '.join(notes)}"


def user_lines(stand_in: SlackStandIn, *, managers: list[str], current: str) -> list[str]:
    """The workspace's people, one a line, the current one marked."""
    workspace = stand_in.workspace
    lines = []
    for user in workspace.users.values():
        if user.id == BOT_USER_ID:
            continue
        kind = f"external, {workspace.team_of(user.id).name}" if workspace.is_external(user.id) else "internal"
        roles = ", manager" if user.id in managers else ""
        mark = "→" if user.id == current else " "
        lines.append(f"{mark} {user.name:<6} {user.real_name}, {user.title} ({kind}{roles}; {user.tz})")
    return lines


def outbox_lines(stand_in: SlackStandIn, rows: list[OutboxMessage], *, zone: ZoneInfo) -> list[str]:
    """Outbox rows as people read them: what, to whom, when due, and any error."""
    if not rows:
        return ["The outbox has nothing waiting and nothing failed."]
    lines = []
    for row in rows:
        payload = row.payload
        target = payload.get("channel") or payload.get("user") or f"the message {payload.get('original_key')}"
        if target in stand_in.workspace.users:
            target = f"DM to @{stand_in.name_of(target)}"
        elif stand_in.workspace.channel(target):
            target = channel_label(stand_in, target)
        line = f"#{row.id} {row.status}: {payload.get('kind')} to {target}, due {when(row.not_before, zone)}"
        lines.append(line + (f", {row.attempts} attempt(s)" if row.attempts else ""))
        if row.last_error:
            lines.append(INDENT + f"error: {row.last_error}")
    return lines
