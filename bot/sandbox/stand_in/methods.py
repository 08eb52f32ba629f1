"""The Slack Web API methods the stand-in answers, with Slack's shapes and error codes (views.* in views.py)."""

from __future__ import annotations

import itertools
import secrets
import threading
from collections.abc import Callable
from typing import Any

from .blockkit import MESSAGE_TEXT_LIMIT, fill_ids, validate_message_blocks
from .params import SlackError, flag, invalid, number, parsed
from .transcript import Transcript
from .views import ViewsApi
from .workspace import BOT_ID, BOT_USER_ID, Channel

Handler = Callable[[dict[str, Any]], dict[str, Any]]  # one Web API method: its parameters to its answer
RESPONSE_URL_LIFETIME = 30 * 60
RESPONSE_URL_USES = 5


class WebApi:
    """Slack Web API methods over a workspace and a transcript; `call` dispatches by name."""

    def __init__(self, transcript: Transcript, base_url: Callable[[], str]) -> None:
        self.transcript = transcript
        self.workspace = transcript.workspace
        self.base_url = base_url
        self._lock = threading.RLock()
        self._ids = itertools.count(1)
        self.views = ViewsApi(transcript, self._lock, self._ids)
        self._response_urls: dict[str, dict[str, Any]] = {}
        self._uploads: dict[str, dict[str, Any]] = {}

    def knows(self, method: str) -> bool:
        """True for a Web API method the stand-in answers (Slack says unknown_method to others)."""
        return self._handler(method) is not None

    def call(self, method: str, params: dict[str, Any]) -> dict[str, Any]:
        """Run one method and return its `ok: true` body; raises SlackError for Slack errors."""
        handler = self._handler(method)
        if handler is None:
            raise SlackError("unknown_method")
        with self._lock:
            return {"ok": True, **handler(params)}

    def _handler(self, method: str) -> Handler | None:
        name = "api_" + method.replace(".", "_")
        found: Handler | None = getattr(self, name, None) or getattr(self.views, name, None)
        return found

    # -- things only Slack hands out: response URLs (trigger ids: see views.py) --------------

    def issue_response_url(self, *, user: str, channel: str, source: dict[str, Any] | None = None) -> str:
        """Issue a response_url for an interaction; `source` names the message it came from."""
        token = secrets.token_hex(12)
        with self._lock:
            self._response_urls[token] = {"user": user, "channel": channel, "source": source,
                                          "issued": self.transcript.clock(), "uses": 0}
        return f"{self.base_url()}response/{token}"

    # -- lookups ------------------------------------------------------------------------------

    def _channel(self, params: dict[str, Any], name: str = "channel") -> Channel:
        ref = params.get(name) or ""
        if ref[:1] in ("U", "W") and self.workspace.user(ref):
            return self.workspace.dm_channel(ref)
        channel = self.workspace.channel(ref)
        if channel is None:
            raise SlackError("channel_not_found")
        return channel

    def _user(self, params: dict[str, Any], name: str = "user") -> str:
        user_id = params.get(name) or ""
        if self.workspace.user(user_id) is None:
            raise SlackError("user_not_found")
        return user_id

    def _content(self, params: dict[str, Any]) -> tuple[str, list[Any] | None]:
        """Return (text, blocks) of a message after Slack's checks."""
        text = params.get("text") or ""
        blocks = self._blocks(params)
        attachments = parsed(params, "attachments", error="invalid_attachments")
        if not text and not blocks and not attachments:
            raise SlackError("no_text")
        if len(text) > MESSAGE_TEXT_LIMIT:
            raise SlackError("msg_too_long")
        return text, blocks

    @staticmethod
    def _blocks(params: dict[str, Any]) -> list[Any] | None:
        """A message's blocks after Slack's checks, with the block ids Slack fills in (None when not given)."""
        blocks: list[Any] | None = parsed(params, "blocks", error="invalid_blocks_format")
        if blocks is not None:
            problems = validate_message_blocks(blocks)
            if problems:
                raise invalid("invalid_blocks", problems)
            fill_ids(blocks)
        return blocks

    @staticmethod
    def _message_shape(record: dict[str, Any]) -> dict[str, Any]:
        keys = ("type", "text", "user", "bot_id", "app_id", "ts", "team", "blocks", "thread_ts",
                "files")
        return {k: record[k] for k in keys if record.get(k) is not None}

    # -- auth ---------------------------------------------------------------------------------

    def api_auth_test(self, params: dict[str, Any]) -> dict[str, Any]:
        team = self.workspace.team
        return {"url": f"https://{team.domain}.slack.com/", "team": team.name, "user": "rapport",
                "team_id": team.id, "user_id": BOT_USER_ID, "bot_id": BOT_ID,
                "is_enterprise_install": False}

    # -- chat ---------------------------------------------------------------------------------

    def api_chat_postMessage(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(params)
        if BOT_USER_ID not in channel.members:
            raise SlackError("not_in_channel")
        text, blocks = self._content(params)
        thread_ts = params.get("thread_ts") or None
        metadata = parsed(params, "metadata")
        record = self.transcript.add_message(channel.id, user=BOT_USER_ID, text=text,
                                             blocks=blocks, thread_ts=thread_ts,
                                             **({"metadata": metadata} if metadata else {}))
        return {"channel": channel.id, "ts": record["ts"], "message": self._message_shape(record)}

    def api_chat_postEphemeral(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(params)
        user = self._user(params)
        if user not in channel.members:
            raise SlackError("user_not_in_channel")
        text, blocks = self._content(params)
        record = self.transcript.add_ephemeral(channel.id, user, text=text, blocks=blocks,
                                               source="chat.postEphemeral",
                                               thread_ts=params.get("thread_ts") or None)
        return {"message_ts": record["ts"]}

    def _own_message(self, params: dict[str, Any], ts_name: str, refusal: str) -> dict[str, Any]:
        channel = self._channel(params)
        record = self.transcript.find_message(channel.id, params.get(ts_name) or "")
        if record is None:
            raise SlackError("message_not_found")
        if record["user"] != BOT_USER_ID:
            raise SlackError(refusal)
        return record

    def api_chat_update(self, params: dict[str, Any]) -> dict[str, Any]:
        record = self._own_message(params, "ts", "cant_update_message")
        text = params.get("text")
        if text is not None and len(text) > MESSAGE_TEXT_LIMIT:
            raise SlackError("msg_too_long")
        blocks = self._blocks(params)
        # Slack keeps the old text or blocks when a field is left out of chat.update.
        self.transcript.edit(record, text=text, blocks=blocks)
        return {"channel": record["channel"], "ts": record["ts"], "text": record["text"],
                "message": self._message_shape(record)}

    def api_chat_delete(self, params: dict[str, Any]) -> dict[str, Any]:
        record = self._own_message(params, "ts", "cant_delete_message")
        self.transcript.remove_message(record)
        return {"channel": record["channel"], "ts": record["ts"]}

    def api_chat_getPermalink(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(params)
        record = self.transcript.find_message(channel.id, params.get("message_ts") or "")
        if record is None:
            raise SlackError("message_not_found")
        link = (f"https://{self.workspace.team.domain}.slack.com/archives/{channel.id}/"
                f"p{record['ts'].replace('.', '')}")
        if record.get("thread_ts") and record["thread_ts"] != record["ts"]:
            link += f"?thread_ts={record['thread_ts']}&cid={channel.id}"
        return {"channel": channel.id, "permalink": link}

    # -- conversations and people -------------------------------------------------------------

    def api_conversations_open(self, params: dict[str, Any]) -> dict[str, Any]:
        if params.get("channel"):
            channel, existed = self._channel(params), True
        else:
            users = [u for u in str(params.get("users") or "").split(",") if u]
            if not users:
                raise SlackError("users_list_not_supplied")
            if len(users) > 1:
                raise SlackError("not_supported")  # group DMs are not modelled
            user = self._user({"user": users[0]})
            existed = self.workspace.channel("D" + user[1:]) is not None
            channel = self.workspace.dm_channel(user)
        shape = channel.to_slack() if flag(params, "return_im") else {"id": channel.id}
        if existed:
            return {"no_op": True, "already_open": True, "channel": shape}
        return {"channel": shape}

    def api_conversations_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return {"channel": self._channel(params).to_slack()}

    def api_conversations_replies(self, params: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(params)
        if BOT_USER_ID not in channel.members:
            raise SlackError("not_in_channel")
        record = self.transcript.find_message(channel.id, params.get("ts") or "")
        if record is None:
            raise SlackError("thread_not_found")
        # A parent comes back with its replies; a reply's ts gives that reply alone.
        if record.get("thread_ts") and record["thread_ts"] != record["ts"]:
            thread = [record]
        else:
            thread = [record] + [m for m in self.transcript.messages(channel.id)
                                 if m.get("thread_ts") == record["ts"] and m["ts"] != record["ts"]]
        limit = number(params, "limit", default=1000) or 1000
        return {"messages": [self._message_shape(m) for m in thread[:limit]], "has_more": len(thread) > limit}

    def api_conversations_members(self, params: dict[str, Any]) -> dict[str, Any]:
        members = self._channel(params).members
        limit, start = number(params, "limit", default=100), number(params, "cursor", default=0)
        if limit is None or start is None:
            raise SlackError("invalid_cursor" if start is None else "invalid_limit")
        rest = members[start:start + limit]
        more = start + limit < len(members)
        return {"members": list(rest),
                "response_metadata": {"next_cursor": str(start + limit) if more else ""}}

    def api_users_info(self, params: dict[str, Any]) -> dict[str, Any]:
        user = self.workspace.user(params.get("user") or "")
        if user is None:
            raise SlackError("user_not_found")
        include_locale = str(params.get("include_locale") or "").lower() in ("1", "true")
        return {"user": user.to_slack(include_locale=include_locale)}

    def api_usergroups_users_list(self, params: dict[str, Any]) -> dict[str, Any]:
        group = self.workspace.usergroup(params.get("usergroup") or "")
        if group is None:
            raise SlackError("no_such_subteam")
        return {"users": list(group.users)}

    # -- files --------------------------------------------------------------------------------

    def api_files_getUploadURLExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        if not params.get("filename") or not str(params.get("length") or "").isdigit():
            raise SlackError("invalid_arguments")
        file_id = f"F0{next(self._ids):08d}"
        self._uploads[file_id] = {"name": params["filename"], "length": int(params["length"]),
                                  "alt_txt": params.get("alt_txt"), "data": None}
        return {"upload_url": f"{self.base_url()}upload/{file_id}", "file_id": file_id}

    def receive_upload(self, file_id: str, data: bytes) -> bool:
        """Take the bytes POSTed to an upload URL; False when the URL is unknown."""
        with self._lock:
            upload = self._uploads.get(file_id)
            if upload is None:
                return False
            upload["data"] = data
            return True

    def api_files_completeUploadExternal(self, params: dict[str, Any]) -> dict[str, Any]:
        files = parsed(params, "files")
        if not isinstance(files, list) or not files:
            raise SlackError("invalid_arguments")
        channel_ids = [c for c in str(params.get("channels") or params.get("channel_id") or "")
                       .split(",") if c]
        channels = [self._channel({"channel": c}) for c in channel_ids]
        done = []
        for item in files:
            upload = self._uploads.get(item.get("id", ""))
            if upload is None or upload["data"] is None:
                raise SlackError("file_not_found")
            done.append(self.transcript.add_file({
                "id": item["id"], "name": upload["name"], "title": item.get("title") or upload["name"],
                "size": len(upload["data"]), "alt_txt": upload["alt_txt"], "user": BOT_USER_ID,
                "channels": [c.id for c in channels], "content": upload["data"],
                "created": int(self.transcript.clock()),
            }))
        for channel in channels:
            self.transcript.add_message(
                channel.id, user=BOT_USER_ID, text=params.get("initial_comment") or "",
                thread_ts=params.get("thread_ts") or None,
                files=[{k: v for k, v in f.items() if k != "content"} for f in done])
        return {"files": [{"id": f["id"], "title": f["title"], "name": f["name"]} for f in done]}

    def api_files_info(self, params: dict[str, Any]) -> dict[str, Any]:
        found = next((f for f in self.transcript.files() if f["id"] == params.get("file")), None)
        if found is None:
            raise SlackError("file_not_found")
        link = f"https://{self.workspace.team.domain}.slack.com/files/{BOT_USER_ID}/{found['id']}/{found['name']}"
        return {"file": {**{k: v for k, v in found.items() if k != "content"}, "permalink": link}}

    # -- response_url -------------------------------------------------------------------------

    def respond(self, token: str, payload: dict[str, Any], *, counts: bool = True) -> tuple[int, dict[str, Any]]:
        """Apply a message POSTed to a response_url; returns (HTTP status, body) as Slack would.

        `counts=False` is for the synchronous reply in a slash command's HTTP response, which
        does not use up one of the URL's five uses.
        """
        with self._lock:
            hook = self._response_urls.get(token)
            if hook is None:
                return 404, {"ok": False, "error": "no_service"}
            if self.transcript.clock() - hook["issued"] > RESPONSE_URL_LIFETIME:
                return 404, {"ok": False, "error": "expired_url"}
            if counts and hook["uses"] >= RESPONSE_URL_USES:
                return 404, {"ok": False, "error": "used_url"}
            try:
                self._apply_response(hook, payload)
            except SlackError as error:
                return 400, {"ok": False, "error": error.error, **error.extra}
            hook["uses"] += counts
            return 200, {"ok": True}

    def _apply_response(self, hook: dict[str, Any], payload: dict[str, Any]) -> None:
        source = hook["source"] or {}
        original = None
        if source.get("surface") == "message":
            original = self.transcript.find_message(source["channel"], source["ts"])
        elif source.get("surface") == "ephemeral":
            original = self.transcript.find_ephemeral(source["channel"], source["ts"])
        if flag(payload, "delete_original"):
            if original is None:
                raise SlackError("message_not_found")
            remove = self.transcript.remove_message if source["surface"] == "message" \
                else self.transcript.remove_ephemeral
            remove(original)
            return
        text, blocks = self._content(payload)
        if flag(payload, "replace_original") and original is not None:
            self.transcript.edit(original, text=text, blocks=blocks or [])
        elif payload.get("response_type") == "in_channel":
            self.transcript.add_message(hook["channel"], user=BOT_USER_ID, text=text,
                                        blocks=blocks, thread_ts=payload.get("thread_ts"))
        else:
            self.transcript.add_ephemeral(hook["channel"], hook["user"], text=text, blocks=blocks,
                                          source="response_url",
                                          thread_ts=payload.get("thread_ts"))
