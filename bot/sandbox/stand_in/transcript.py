"""What the app did in the stand-in Slack: messages, ephemerals, views, files and API calls."""

from __future__ import annotations

import copy
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .blockkit import iter_interactive
from .readable import readable_text, render_blocks
from .workspace import APP_ID, BOT_ID, BOT_USER_ID, Workspace

T = TypeVar("T")

# How long wait_for waits by default. A wait ends as soon as its condition holds, so only a failing
# test waits this long; it is generous because test machines running many workers get slow.
WAIT_TIMEOUT = 20.0


@dataclass(frozen=True)
class FoundElement:
    """A button (or other interactive element) a person could use, and where it sits."""

    label: str
    action_id: str
    block_id: str
    value: str | None
    style: str | None
    url: str | None
    element: dict[str, Any]
    surface: str  # "message", "ephemeral", "modal" or "home"
    channel: str | None = None
    message: dict[str, Any] | None = None
    view: dict[str, Any] | None = None
    user: str | None = None  # who sees it, for ephemerals, modals and the Home tab


def _public(record: dict[str, Any]) -> dict[str, Any]:
    """Copy a record without the bookkeeping keys (those starting with '_')."""
    return {k: copy.deepcopy(v) for k, v in record.items() if not k.startswith("_")}


class Transcript:
    """A thread-safe record of everything the app showed in Slack, for assertions and rendering."""

    def __init__(self, workspace: Workspace, clock: Callable[[], float] = time.time) -> None:
        self.workspace = workspace
        self.clock = clock
        self._lock = threading.RLock()
        self._seq = itertools.count(1)
        self._last_ts = 0
        self._clear()

    def _clear(self) -> None:
        self._messages: dict[str, list[dict[str, Any]]] = {}
        self._ephemerals: list[dict[str, Any]] = []
        self._views: dict[str, dict[str, Any]] = {}
        self._stacks: dict[str, list[str]] = {}
        self._homes: dict[str, str] = {}
        self._files: list[dict[str, Any]] = []
        self._calls: list[dict[str, Any]] = []

    def reset(self) -> None:
        """Forget everything recorded; the workspace directory stays as it is."""
        with self._lock:
            self._clear()

    # -- recording (called by the Web API and the driver) -----------------------------------

    def next_ts(self) -> str:
        """Return a message timestamp like Slack's: unique, increasing, `1764230400.000100`."""
        with self._lock:
            micros = max(int(self.clock() * 1_000_000), self._last_ts + 100)
            self._last_ts = micros
        return f"{micros // 1_000_000}.{micros % 1_000_000:06d}"

    def stamp(self, record: dict[str, Any]) -> dict[str, Any]:
        """Mark a record as the most recently touched (find_button prefers recent ones)."""
        record["_seq"] = next(self._seq)
        return record

    def add_message(self, channel: str, *, user: str, text: str, blocks: list[Any] | None = None,
                    thread_ts: str | None = None, **extra: Any) -> dict[str, Any]:
        """Record a message in a channel; bot messages carry bot_id and app_id as in Slack."""
        with self._lock:
            message = {"type": "message", "ts": self.next_ts(), "channel": channel, "user": user,
                       "team": self.workspace.team_of(user).id, "text": text,
                       "blocks": blocks or [], "thread_ts": thread_ts, "edits": [], **extra}
            if user == BOT_USER_ID:
                message.update(bot_id=BOT_ID, app_id=APP_ID)
            self._messages.setdefault(channel, []).append(self.stamp(message))
            return message

    def find_message(self, channel: str, ts: str) -> dict[str, Any] | None:
        """Return the live record of a message (not a copy), or None."""
        with self._lock:
            return next((m for m in self._messages.get(channel, []) if m["ts"] == ts), None)

    def edit(self, record: dict[str, Any], *, text: str | None, blocks: list[Any] | None) -> dict[str, Any]:
        """Replace a message's or ephemeral's content, keeping the old one in `edits`."""
        with self._lock:
            record["edits"].append({"text": record["text"], "blocks": record["blocks"],
                                    "edited_ts": self.next_ts()})
            if text is not None:
                record["text"] = text
            if blocks is not None:
                record["blocks"] = blocks
            return self.stamp(record)

    def remove_message(self, record: dict[str, Any]) -> None:
        """Delete a message from its channel."""
        with self._lock:
            self._messages[record["channel"]].remove(record)

    def add_ephemeral(self, channel: str, user: str, *, text: str, blocks: list[Any] | None,
                      source: str, thread_ts: str | None = None) -> dict[str, Any]:
        """Record a message only `user` sees in `channel`."""
        with self._lock:
            ephemeral = {"type": "message", "ts": self.next_ts(), "channel": channel,
                         "user": user, "text": text, "blocks": blocks or [],
                         "thread_ts": thread_ts, "source": source, "edits": []}
            self._ephemerals.append(self.stamp(ephemeral))
            return ephemeral

    def find_ephemeral(self, channel: str, ts: str) -> dict[str, Any] | None:
        """Return the live record of an ephemeral message, or None."""
        with self._lock:
            return next((e for e in self._ephemerals if e["channel"] == channel and e["ts"] == ts),
                        None)

    def remove_ephemeral(self, record: dict[str, Any]) -> None:
        """Make an ephemeral message disappear (delete_original)."""
        with self._lock:
            self._ephemerals.remove(record)

    def put_view(self, view: dict[str, Any]) -> dict[str, Any]:
        """Store a view (modal or Home tab) by id."""
        with self._lock:
            self._views[view["id"]] = self.stamp(view)
            if view["type"] == "home":
                self._homes[view["user"]] = view["id"]
            return view

    def find_view(self, view_id: str | None = None, *, external_id: str | None = None) -> dict[str, Any] | None:
        """Return the live record of a view by id or external_id, or None."""
        with self._lock:
            if view_id is not None:
                return self._views.get(view_id)
            return next((v for v in self._views.values() if v.get("external_id") == external_id
                         and external_id is not None), None)

    def modal_stack(self, user: str) -> list[str]:
        """Return the live list of open modal view ids for a user, root first."""
        with self._lock:
            return self._stacks.setdefault(user, [])

    def close_view(self, view_id: str) -> None:
        """Close one modal view and any views pushed on top of it."""
        with self._lock:
            view = self._views[view_id]
            stack = self.modal_stack(view["user"])
            while view_id in stack:
                self._views[stack.pop()]["open"] = False

    def add_file(self, file: dict[str, Any]) -> dict[str, Any]:
        """Record an uploaded file."""
        with self._lock:
            self._files.append(file)
            return file

    def record_call(self, method: str, params: dict[str, Any], result: dict[str, Any], status: int) -> None:
        """Record one Web API call and its answer."""
        with self._lock:
            self._calls.append({"method": method, "params": copy.deepcopy(params),
                                "result": copy.deepcopy(result), "status": status,
                                "time": self.clock()})

    # -- queries for tests ------------------------------------------------------------------

    def channel_id(self, ref: str) -> str:
        """Resolve `#name`, a user id (their DM with the app) or a channel id to a channel id."""
        if ref.startswith("#"):
            channel = self.workspace.channel(ref)
            return channel.id if channel else ref
        if ref[:1] in ("U", "W") and self.workspace.user(ref):
            return self.workspace.dm_channel(ref).id
        return ref

    def messages(self, channel: str) -> list[dict[str, Any]]:
        """Return copies of a channel's messages, oldest first, thread replies included."""
        with self._lock:
            return [_public(m) for m in self._messages.get(self.channel_id(channel), [])]

    def count_messages(self, channel: str) -> int:
        """How many messages a channel holds, without copying them (benchmarks poll this)."""
        with self._lock:
            return len(self._messages.get(self.channel_id(channel), []))

    def count_ephemerals(self) -> int:
        """How many ephemeral messages were shown, without copying them (benchmarks poll this)."""
        with self._lock:
            return len(self._ephemerals)

    def dm_messages(self, user_id: str) -> list[dict[str, Any]]:
        """Return copies of the messages in the app's DM with a user."""
        return self.messages(self.workspace.dm_channel(user_id).id)

    def ephemerals(self, user: str | None = None, channel: str | None = None) -> list[dict[str, Any]]:
        """Return visible ephemeral messages, from chat.postEphemeral and response_url alike."""
        channel_id = self.channel_id(channel) if channel else None
        with self._lock:
            return [_public(e) for e in self._ephemerals
                    if user in (None, e["user"]) and channel_id in (None, e["channel"])]

    def views(self, user: str | None = None) -> list[dict[str, Any]]:
        """Return the modals opened so far (closed ones have `open: False`), oldest first."""
        with self._lock:
            return [_public(v) for v in self._views.values()
                    if v["type"] == "modal" and user in (None, v["user"])]

    def current_view(self, user: str) -> dict[str, Any] | None:
        """Return the modal on top of a user's screen, or None."""
        with self._lock:
            stack = self.modal_stack(user)
            return _public(self._views[stack[-1]]) if stack else None

    def home(self, user: str) -> dict[str, Any] | None:
        """Return the Home tab last published for a user, or None."""
        with self._lock:
            view_id = self._homes.get(user)
            return _public(self._views[view_id]) if view_id else None

    def files(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Return uploaded files, optionally only those shared in a channel."""
        channel_id = self.channel_id(channel) if channel else None
        with self._lock:
            return [copy.deepcopy(f) for f in self._files
                    if channel_id is None or channel_id in f.get("channels", [])]

    def calls(self, method: str | None = None) -> list[dict[str, Any]]:
        """Return every Web API call (method, params, result, status), optionally of one method."""
        with self._lock:
            return [copy.deepcopy(c) for c in self._calls if method in (None, c["method"])]

    def wait_for(self, predicate: Callable[[], T | None], timeout: float = WAIT_TIMEOUT) -> T:
        """Poll until `predicate()` is truthy and return it; fail with the transcript if it never is.

        AssertionError and LookupError raised by the predicate count as "not yet", so
        `wait_for(lambda: stand_in.find_button("Resolve"))` reads naturally.
        """
        deadline = time.monotonic() + timeout
        last_error: Exception | None = None
        while True:
            try:
                value = predicate()
                if value:
                    return value
            except (AssertionError, LookupError) as error:
                last_error = error
            if time.monotonic() >= deadline:
                reason = f" (last error: {last_error})" if last_error else ""
                name = getattr(predicate, "__name__", repr(predicate))
                raise AssertionError(f"Timed out after {timeout} s waiting for {name}{reason}\n\n"
                                     f"{self.dump()}")
            time.sleep(0.01)

    def find_button(self, label: str, channel: str | None = None, *, user: str | None = None,
                    ts: str | None = None) -> FoundElement:
        """Find the most recent button with this label (or action_id) a person could click.

        Looks in channel messages, ephemerals, open modals and Home tabs; `user` limits the
        search to what that user sees, `channel` and `ts` to one channel or message.
        """

        def matches(element: dict[str, Any]) -> bool:
            text = (element.get("text") or {}).get("text", "")
            return element.get("type") == "button" and (
                label in (text, element.get("action_id")) or label.casefold() == text.casefold())

        found = self._find(matches, channel, user, ts)
        if found is not None:
            return found
        visible = sorted({(e.get("text") or {}).get("text", "")
                          for c in self._surfaces(channel, user, ts)
                          for _, e in iter_interactive(c["record"]["blocks"])
                          if e.get("type") == "button"})
        raise LookupError(f"No button {label!r} visible (channel={channel}, user={user}); "
                          f"buttons on screen: {visible}")

    def find_element(self, action_id: str, channel: str | None = None, *,
                     user: str | None = None, ts: str | None = None) -> FoundElement:
        """Find the most recent interactive element (select, overflow...) with this action_id."""
        found = self._find(lambda e: e.get("action_id") == action_id, channel, user, ts)
        if found is None:
            raise LookupError(f"No element {action_id!r} visible (channel={channel}, user={user})")
        return found

    def _find(self, matches: Callable[[dict[str, Any]], bool], channel: str | None, user: str | None,
              ts: str | None) -> FoundElement | None:
        for candidate in self._surfaces(channel, user, ts):
            for block, element in iter_interactive(candidate["record"]["blocks"]):
                if matches(element):
                    return self._found(candidate, block, element)
        return None

    def _surfaces(self, channel: str | None, user: str | None, ts: str | None) -> list[dict[str, Any]]:
        """List every record that can hold buttons, most recently touched first."""
        channel_id = self.channel_id(channel) if channel else None
        found: list[dict[str, Any]] = []
        with self._lock:
            for cid, messages in self._messages.items():
                known = self.workspace.channel(cid)
                if channel_id not in (None, cid) or (user and known and user not in known.members):
                    continue
                found += [{"surface": "message", "record": m} for m in messages]
            found += [{"surface": "ephemeral", "record": e} for e in self._ephemerals
                      if user in (None, e["user"]) and channel_id in (None, e["channel"])]
            if channel_id is None:
                open_views = [v for v in self._views.values()
                              if (v["type"] == "home" or v.get("open")) and user in (None, v["user"])]
                found += [{"surface": "home" if v["type"] == "home" else "modal", "record": v}
                          for v in open_views]
            found = [c for c in found if ts is None or c["record"].get("ts") == ts]
            return sorted(found, key=lambda c: c["record"]["_seq"], reverse=True)

    @staticmethod
    def _found(candidate: dict[str, Any], block: dict[str, Any], element: dict[str, Any]) -> FoundElement:
        record = _public(candidate["record"])
        surface = candidate["surface"]
        in_view = surface in ("modal", "home")
        return FoundElement(
            label=(element.get("text") or {}).get("text", ""), action_id=element.get("action_id", ""),
            block_id=block.get("block_id", ""),
            value=element.get("value"), style=element.get("style"), url=element.get("url"),
            element=copy.deepcopy(element), surface=surface,
            channel=None if in_view else record["channel"],
            message=None if in_view else record, view=record if in_view else None,
            user=record["user"] if surface != "message" else None,
        )

    # -- rendering for people ---------------------------------------------------------------

    def name_of(self, entity_id: str) -> str | None:
        """Return the handle of a user, channel or user group id, for readable text."""
        workspace = self.workspace
        if (user := workspace.user(entity_id)) is not None:
            return user.name
        if (channel := workspace.channel(entity_id)) is not None:
            return channel.name
        group = workspace.usergroup(entity_id)
        return f"@{group.handle}" if group else None

    def render_message(self, message: dict[str, Any]) -> str:
        """Render one message as the lines a person reads: author, then text or blocks."""
        author = self.name_of(message.get("user", "")) or message.get("user", "?")
        flags = " (edited)" if message.get("edits") else ""
        if message.get("source"):
            flags += f" (only visible to @{self.name_of(message['user']) or message['user']})"
        body = render_blocks(message["blocks"], self.name_of) if message.get("blocks") else \
            readable_text(message.get("text", ""), self.name_of).split("\n")
        body += [f"[file: {f.get('title') or f.get('name')}]" for f in message.get("files", [])]
        head = "rapport" if message.get("bot_id") or message.get("source") else author
        return "\n".join([f"{head}{flags}  {message['ts']}"] + [f"  {line}" for line in body])

    def render_view(self, view: dict[str, Any]) -> str:
        """Render a modal or Home tab with its title, blocks and submit/close buttons."""
        title = (view.get("title") or {}).get("text", "Home" if view["type"] == "home" else "")
        lines = [f"+-- {title} --", *(f"| {line}" for line in render_blocks(view["blocks"],
                                                                            self.name_of))]
        for field, problem in (view.get("errors") or {}).items():
            lines.append(f"| ! {field}: {problem}")
        buttons = [f"[{view[k]['text']}]" for k in ("close", "submit") if view.get(k)]
        return "\n".join(lines + ([f"| {' '.join(buttons)}"] if buttons else []) + ["+--"])

    def render_channel(self, channel: str) -> str:
        """Render a channel as a person sees it: messages oldest first, thread replies indented."""
        channel_id = self.channel_id(channel)
        known = self.workspace.channel(channel_id)
        title = f"#{known.name}" if known and not known.is_im else f"DM {channel_id}"
        lines = [f"== {title} =="]
        for message in self.messages(channel_id):
            text = self.render_message(message)
            if message.get("thread_ts") and message["thread_ts"] != message["ts"]:
                text = "\n".join(f"    | {line}" for line in text.split("\n"))
            lines.append(text)
        return "\n".join(lines)

    def dump(self) -> str:
        """Describe the whole transcript, for failure messages."""
        with self._lock:
            parts = [self.render_channel(cid) for cid in self._messages]
            parts += [self.render_message(_public(e)) + f"  [in {e['channel']}]"
                      for e in self._ephemerals]
            parts += [f"{v['type']} of {v['user']} ({'open' if v.get('open', True) else 'closed'})"
                      f"\n{self.render_view(_public(v))}" for v in self._views.values()]
            calls = [f"  {c['method']} -> {'ok' if c['result'].get('ok') else c['result'].get('error')}"
                     for c in self._calls[-30:]]
        return "\n\n".join([*parts, "API calls (last 30):\n" + "\n".join(calls)])
