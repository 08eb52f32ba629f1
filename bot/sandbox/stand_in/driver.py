"""Plays Slack's part towards the app: signed slash commands, clicks, shortcuts, submissions, events."""

from __future__ import annotations

import hashlib
import hmac
import itertools
import json
import re
import secrets
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from .payloads import fill_state, message_payload, view_payload
from .transcript import FoundElement
from .web_api import SlackStandIn
from .workspace import APP_ID, BOT_USER_ID

ACK_DEADLINE = 3.0  # seconds Slack waits for the app's HTTP response
VERIFICATION_TOKEN = "stand-in-verification-token"  # the deprecated token Slack still sends


@dataclass
class DriverResponse:
    """The app's HTTP answer to one request from "Slack"."""

    status: int
    headers: dict[str, str]
    text: str
    elapsed: float
    payload: dict[str, Any] = field(default_factory=dict, repr=False)  # what was sent (empty for raw posts)

    def json(self) -> dict[str, Any] | None:
        """Parse the body as JSON (None for an empty body)."""
        return json.loads(self.text) if self.text else None

    @property
    def acked_in_time(self) -> bool:
        """Tell whether the app answered within Slack's 3-second deadline."""
        return self.elapsed <= ACK_DEADLINE


class SlackDriver:
    """Sends requests to `{app_url}/slack/events` exactly as Slack does, signed with the secret."""

    def __init__(self, app_url: str, signing_secret: str, stand_in: SlackStandIn, *,
                 path: str = "/slack/events", timeout: float = 10.0) -> None:
        self.url = app_url.rstrip("/") + path
        self.signing_secret = signing_secret
        self.stand_in = stand_in
        self.workspace = stand_in.workspace
        self.timeout = timeout
        self._event_ids = itertools.count(1)

    # -- signing and raw transport ------------------------------------------------------------

    def sign(self, body: str, timestamp: int | str) -> str:
        """Return the X-Slack-Signature for a body: v0=HMAC-SHA256("v0:{ts}:{body}")."""
        base = f"v0:{timestamp}:{body}".encode()
        return "v0=" + hmac.new(self.signing_secret.encode(), base, hashlib.sha256).hexdigest()

    def headers_for(self, body: str, content_type: str, *, timestamp: int | None = None,
                    retry_num: int | None = None, retry_reason: str | None = None) -> dict[str, Any]:
        """Build the headers Slack sends with a body."""
        timestamp = int(time.time()) if timestamp is None else timestamp
        headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": str(timestamp),
                   "X-Slack-Signature": self.sign(body, timestamp),
                   "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)"}
        if retry_num is not None:
            headers["X-Slack-Retry-Num"] = str(retry_num)
            headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
        return headers

    def post_raw(self, body: str | bytes, headers: dict[str, Any]) -> DriverResponse:
        """POST a body with exactly these headers (for bad signatures, stale timestamps...)."""
        data = body.encode() if isinstance(body, str) else body
        request = urllib.request.Request(self.url, data=data, headers=headers, method="POST")
        started = time.monotonic()
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as reply:
                status, reply_headers, text = reply.status, dict(reply.headers), reply.read()
        except urllib.error.HTTPError as error:
            status, reply_headers, text = error.code, dict(error.headers), error.read()
        return DriverResponse(status, reply_headers, text.decode("utf-8", "replace"),
                              time.monotonic() - started)

    def _post_form(self, fields: dict[str, Any]) -> DriverResponse:
        body = urlencode(fields)
        return self.post_raw(body, self.headers_for(body, "application/x-www-form-urlencoded"))

    def _post_payload(self, payload: dict[str, Any]) -> DriverResponse:
        response = self._post_form({"payload": json.dumps(payload)})
        response.payload = payload
        return response

    # -- who is acting ------------------------------------------------------------------------

    def _user(self, user_id: str) -> dict[str, Any]:
        user = self.workspace.user(user_id)
        if user is None:
            raise ValueError(f"unknown user {user_id}; add them to the workspace first")
        return {"id": user.id, "username": user.name, "name": user.name, "team_id": user.team_id}

    def _team(self, user_id: str) -> dict[str, Any]:
        team = self.workspace.team_of(user_id)
        return {"id": team.id, "domain": team.domain}

    def _channel(self, ref: str, user_id: str) -> dict[str, Any]:
        channel = self.workspace.channel(self.stand_in.channel_id(ref))
        if channel is None:
            raise ValueError(f"unknown channel {ref}")
        if user_id not in channel.members:
            raise AssertionError(f"{user_id} is not in {ref}, so Slack would not let them act there")
        return {"id": channel.id, "name": "directmessage" if channel.is_im else channel.name}

    def _common(self, user_id: str) -> dict[str, Any]:
        return {"token": VERIFICATION_TOKEN, "api_app_id": APP_ID, "team": self._team(user_id),
                "user": self._user(user_id), "enterprise": None, "is_enterprise_install": False}

    # -- slash commands -----------------------------------------------------------------------

    def command(self, user: str, channel: str, command: str, text: str = "", *,
                escape: bool = True) -> DriverResponse:
        """Send a slash command; `@alice`, `#kudos`, `@netops` are escaped as Slack does."""
        where = self._channel(channel, user)
        team = self._team(user)
        response_url = self.stand_in.issue_response_url(user=user, channel=where["id"])
        fields = {
            "token": VERIFICATION_TOKEN, "team_id": team["id"], "team_domain": team["domain"],
            "channel_id": where["id"], "channel_name": where["name"], "user_id": user,
            "user_name": self._user(user)["name"], "command": command,
            "text": self.escape(text) if escape else text, "api_app_id": APP_ID,
            "is_enterprise_install": "false", "response_url": response_url,
            "trigger_id": self.stand_in.issue_trigger_id(user),
        }
        response = self._post_form(fields)
        response.payload = fields
        if not response.acked_in_time:
            # What the person sees in Slack when the app misses the 3-second deadline.
            self.stand_in.add_ephemeral(where["id"], user, blocks=None, source="slack",
                                        text=f'{command} failed with the error "operation_timeout"')
        elif response.status == 200 and response.text.strip():
            # Slack shows a command's synchronous answer like a response_url message.
            try:
                message = json.loads(response.text)
            except ValueError:
                message = {"text": response.text}
            self.stand_in.api.respond(response_url.rsplit("/", 1)[1], message, counts=False)
        return response

    def escape(self, text: str, *, labels: bool = True) -> str:
        """Turn typed `@alice`, `#kudos`, `@netops`, `@here` into Slack's mention markup.

        Commands with should_escape: true get `<@U0ALICE|alice>`; message text, as the Slack
        client writes it, has no label on user and group mentions (`labels=False`).
        """

        def replace(match: re.Match[str]) -> str:
            sigil, name = match.group(1), match.group(2)
            if sigil == "#":
                channel = self.workspace.channel(f"#{name}")
                return f"<#{channel.id}|{name}>" if channel else match.group(0)
            if name in ("here", "channel", "everyone"):
                return f"<!{name}>"
            if (user := self.workspace.user_by_name(name)) is not None:
                return f"<@{user.id}|{name}>" if labels else f"<@{user.id}>"
            if (group := self.workspace.usergroup_by_handle(name)) is not None:
                return f"<!subteam^{group.id}|@{name}>" if labels else f"<!subteam^{group.id}>"
            return str(match.group(0))

        return re.sub(r"(?<![\w<|@#^])([@#])([\w.-]*\w)", replace, text)

    # -- shortcuts ----------------------------------------------------------------------------

    def message_shortcut(self, user: str, channel: str, callback_id: str,
                         message_ts: str | None = None) -> DriverResponse:
        """Run a message shortcut on a message of the transcript (the latest one by default)."""
        where = self._channel(channel, user)
        messages = self.stand_in.messages(where["id"])
        message = next((m for m in reversed(messages) if message_ts in (None, m["ts"])), None)
        if message is None:
            raise LookupError(f"no message {message_ts or ''} in {channel} to run {callback_id} on")
        return self._post_payload({
            "type": "message_action", **self._common(user), "callback_id": callback_id,
            "trigger_id": self.stand_in.issue_trigger_id(user), "action_ts": self._action_ts(),
            "channel": where, "message_ts": message["ts"], "message": message_payload(message),
            # The shortcut's message is usually someone else's, so the app cannot replace it.
            "response_url": self.stand_in.issue_response_url(user=user, channel=where["id"]),
        })

    def global_shortcut(self, user: str, callback_id: str) -> DriverResponse:
        """Run a global shortcut (from the lightning-bolt menu)."""
        return self._post_payload({
            "type": "shortcut", **self._common(user), "callback_id": callback_id,
            "trigger_id": self.stand_in.issue_trigger_id(user), "action_ts": self._action_ts(),
        })

    def click_again(self, payload: dict[str, Any]) -> DriverResponse:
        """Send an interaction payload again as Slack does for a second click: a new action_ts and trigger_id.

        Slack never sends the same signed body twice (only retries of events, signed afresh); a body sent
        again is a replay, which the app answers without acting.
        """
        user = str((payload.get("user") or {}).get("id", ""))
        again = dict(payload, trigger_id=self.stand_in.issue_trigger_id(user))
        if isinstance(payload.get("actions"), list):
            again["actions"] = [dict(action, action_ts=self._action_ts()) for action in payload["actions"]]
        return self._post_payload(again)

    def _action_ts(self) -> str:
        return f"{time.time():.6f}"

    # -- block actions ------------------------------------------------------------------------

    def click(self, user: str, label: str, channel: str | None = None, *,
              ts: str | None = None) -> DriverResponse:
        """Click the most recent button with this label the user can see."""
        button = self.stand_in.find_button(label, channel, user=user, ts=ts)
        action = {"type": "button", "action_id": button.action_id, "block_id": button.block_id,
                  "text": {"type": "plain_text", "text": button.label, "emoji": True},
                  "action_ts": self._action_ts()}
        action.update({k: v for k, v in (("value", button.value), ("style", button.style))
                       if v is not None})
        return self._block_action(user, button, action)

    def select(self, user: str, action_id: str, value: str, channel: str | None = None,
               ) -> DriverResponse:
        """Choose an option (by value or label) in a static select or overflow menu."""
        found = self.stand_in.find_element(action_id, channel, user=user)
        options = found.element.get("options") or [
            o for g in found.element.get("option_groups", []) for o in g["options"]]
        option = next((o for o in options if value in (o["value"], o["text"]["text"])), None)
        if option is None:
            raise LookupError(f"{action_id} has no option {value!r}")
        action = {"type": found.element["type"], "action_id": action_id,
                  "block_id": found.block_id, "selected_option": option,
                  "action_ts": self._action_ts()}
        return self._block_action(user, found, action)

    def _block_action(self, user: str, button: FoundElement, action: dict[str, Any]) -> DriverResponse:
        payload = {"type": "block_actions", **self._common(user),
                   "trigger_id": self.stand_in.issue_trigger_id(user), "actions": [action]}
        if button.view is not None:
            payload["container"] = {"type": "view", "view_id": button.view["id"]}
            payload["view"] = view_payload(button.view)
            return self._post_payload(payload)
        assert button.channel is not None and button.message is not None  # outside a view, a button is in a message
        where = self._channel(button.channel, user)
        ephemeral = button.surface == "ephemeral"
        payload.update(
            container={"type": "message", "message_ts": button.message["ts"],
                       "channel_id": where["id"], "is_ephemeral": ephemeral},
            channel=where, state={"values": {}},
            response_url=self.stand_in.issue_response_url(
                user=user, channel=where["id"],
                source={"surface": button.surface, "channel": where["id"],
                        "ts": button.message["ts"]}),
        )
        if not ephemeral:  # Slack does not echo ephemeral messages back to the app
            payload["message"] = message_payload(button.message)
        return self._post_payload(payload)

    # -- modals -------------------------------------------------------------------------------

    def _open_view(self, user: str, view: str | None) -> dict[str, Any]:
        stack = [v for v in self.stand_in.views(user) if v["open"]]
        found: dict[str, Any] | None = next(
            (v for v in reversed(stack) if view in (None, v["id"], v["callback_id"])), None)
        if found is None:
            raise LookupError(f"{user} has no open modal {view or ''}; open: "
                              f"{[v['callback_id'] for v in stack]}")
        return found

    def submit_view(self, user: str, view: str | None = None, values: dict[str, Any] | None = None, *,
                    check_required: bool = True) -> DriverResponse:
        """Submit the user's open modal (by view id or callback_id), filling inputs with `values`.

        `values` maps block_id to either Slack's own state ({action_id: {"type": ..., ...}})
        or a plain value for the block's element: text, an option value or label, a user id...
        Slack's client refuses to submit with a required input empty, and so does this.
        """
        record = self._open_view(user, view)
        state = fill_state(record, values or {}, check_required)
        record["state"] = state
        payload = {"type": "view_submission", **self._common(user),
                   "trigger_id": self.stand_in.issue_trigger_id(user),
                   "view": view_payload(record), "response_urls": []}
        response = self._post_payload(payload)
        if response.status == 200 and response.acked_in_time:
            self._apply_view_response(user, record, response)
        return response

    def _apply_view_response(self, user: str, record: dict[str, Any], response: DriverResponse) -> None:
        """Do what Slack does with a view_submission's ack: close, show errors, update, push."""
        live = self.stand_in.find_view(record["id"])
        assert live is not None  # the modal was open when submitted
        live["state"] = record["state"]
        try:
            answer = json.loads(response.text) if response.text.strip() else {}
        except ValueError:
            answer = {}
        action = answer.get("response_action")
        live["errors"] = answer.get("errors", {}) if action == "errors" else {}
        if action == "update":
            self.stand_in.api.views.replace_view(live, answer["view"])
        elif action == "push":
            self.stand_in.api.views.push_view(user, answer["view"])
        elif action == "clear":
            stack = self.stand_in.modal_stack(user)
            if stack:
                self.stand_in.close_view(stack[0])
        elif action != "errors":
            self.stand_in.close_view(record["id"])

    def close_view(self, user: str, view: str | None = None) -> DriverResponse | None:
        """Press Close on the user's open modal; Slack tells the app only if notify_on_close."""
        record = self._open_view(user, view)
        stack = self.stand_in.modal_stack(user)
        self.stand_in.close_view(stack[0] if record["clear_on_close"] else record["id"])
        if not record["notify_on_close"]:
            return None
        return self._post_payload({"type": "view_closed", **self._common(user),
                                   "view": view_payload(record), "is_cleared": False})

    # -- events -------------------------------------------------------------------------------

    def event(self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None,
              retry_reason: str = "http_timeout") -> DriverResponse:
        """Deliver an Events API event; pass the same event_id with retry_num to replay a retry."""
        event = {"event_ts": f"{time.time():.6f}", **event}
        channel = self.workspace.channel(event.get("channel") or "")
        envelope = {
            "token": VERIFICATION_TOKEN, "team_id": self.workspace.team.id, "api_app_id": APP_ID,
            "event": event, "type": "event_callback",
            "event_id": event_id or f"Ev0{next(self._event_ids):08d}",
            "event_time": int(time.time()),
            "authorizations": [{"enterprise_id": None, "team_id": self.workspace.team.id,
                                "user_id": BOT_USER_ID, "is_bot": True,
                                "is_enterprise_install": False}],
            "is_ext_shared_channel": bool(channel and channel.is_ext_shared),
            "event_context": "4-" + secrets.token_hex(8),
        }
        body = json.dumps(envelope)
        response = self.post_raw(body, self.headers_for(body, "application/json",
                                                        retry_num=retry_num,
                                                        retry_reason=retry_reason))
        response.payload = envelope
        return response

    def say(self, user: str, channel: str, text: str, *, thread_ts: str | None = None,
            deliver: bool = True, escape: bool = True) -> tuple[dict[str, Any], DriverResponse | None]:
        """Have a person post a message: it joins the transcript and the app gets the event.

        Typed mentions (`@bob`) become `<@U0BOB>` as the Slack client sends them.
        """
        where = self._channel(channel, user)
        text = self.escape(text, labels=False) if escape else text
        record = self.stand_in.add_message(where["id"], user=user, text=text, thread_ts=thread_ts,
                                           client_msg_id=secrets.token_hex(8))
        if not deliver:
            return record, None
        known = self.workspace.channel(where["id"])
        assert known is not None
        kind = "im" if known.is_im else ("group" if known.is_private else "channel")
        event = {"type": "message", "channel": where["id"], "user": user, "text": text,
                 "ts": record["ts"], "team": record["team"], "channel_type": kind,
                 "client_msg_id": record["client_msg_id"],
                 **({"thread_ts": thread_ts} if thread_ts else {})}
        if self.workspace.is_external(user):
            # Slack Connect: the event names the author's own organisation.
            event.update(user_team=record["team"], source_team=record["team"])
        return record, self.event(event)

    def app_home_opened(self, user: str) -> DriverResponse:
        """Tell the app the user opened its Home tab."""
        home = self.stand_in.home(user)
        event = {"type": "app_home_opened", "user": user, "tab": "home",
                 "channel": self.workspace.dm_channel(user).id,
                 **({"view": view_payload(home)} if home else {})}
        return self.event(event)

    def url_verification(self, challenge: str) -> DriverResponse:
        """Send the handshake Slack makes when the Request URL is saved."""
        body = json.dumps({"token": VERIFICATION_TOKEN, "challenge": challenge,
                           "type": "url_verification"})
        return self.post_raw(body, self.headers_for(body, "application/json"))
