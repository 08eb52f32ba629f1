"""The port to Slack for domain code: send queued messages, look up users, channels and links.

This and `slack_http` (keep-alive sending) are the only modules outside `handlers/` that touch slack_sdk.
It offers the few calls Rapport makes and nothing else (its WebClient is its own), and Slack's failures come
out of it as `SlackUnavailable` (a look-up) or `DeliveryError` (a send), never as slack_sdk's exceptions.
"""

from __future__ import annotations

import threading
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)
from slack_sdk.http_retry.handler import RetryHandler

from bot.platform.cards import CardRenderers, Rendered, UploadFile
from bot.platform.errors import SlackUnavailable
from bot.platform.i18n import _, speaking
from bot.platform.outbox import Delivered, DeliveryError, Method
from bot.platform.slack_http import KeepAliveWebClient

if TYPE_CHECKING:
    from bot.platform.people_book import PeopleBook

TRANSIENT_ERRORS = {"ratelimited", "internal_error", "fatal_error", "service_unavailable", "request_timeout"}
UNKNOWN_USER_ERRORS = {"user_not_found", "user_not_visible", "account_inactive"}


@dataclass(frozen=True)
class SlackUser:
    """What Rapport needs to know about a Slack user."""

    id: str
    team_id: str
    name: str
    tz: str | None
    is_bot: bool
    locale: str | None = None  # Slack's locale (zh-CN, en-US): the language they read Rapport in


def user_from_slack(info: dict[str, Any], user_id: str = "") -> SlackUser:
    """A SlackUser from the `user` object of users.info or a user_change event."""
    return SlackUser(
        id=info.get("id") or user_id,
        team_id=info.get("team_id", ""),
        name=info.get("real_name") or info.get("name", user_id),
        tz=info.get("tz"),
        is_bot=bool(info.get("is_bot")),
        locale=info.get("locale"),
    )


@dataclass(frozen=True)
class ChannelFacts:
    """What Rapport needs to know about a channel before linking it."""

    shared: bool
    bot_is_member: bool  # Slack sends Rapport the channel's messages only when it is a member


def make_client(token: str | None, base_url: str, *, wait_on_429: bool = True) -> WebClient:
    """A WebClient on `base_url`, on kept-open connections, with slack_sdk's retry handlers for 5xx, lost
    connections and (unless told) 429."""
    handlers: list[RetryHandler] = [ConnectionErrorRetryHandler(max_retry_count=1),
                                    ServerErrorRetryHandler(max_retry_count=1)]
    if wait_on_429:
        handlers.append(RateLimitErrorRetryHandler(max_retry_count=1))
    return KeepAliveWebClient(token=token, base_url=base_url, timeout=10, retry_handlers=handlers)


class SlackPort:
    """Sends outbox payloads through renderers and answers look-ups, with small caches."""

    def __init__(self, client: WebClient, renderers: Callable[[], CardRenderers], people: PeopleBook | None = None,
                 *, language: str | None = None, send_client: WebClient | None = None) -> None:
        from bot.platform.people_book import PeopleBook

        self._client = client
        # The outbox's client must not sleep through a 429 (slack_sdk's handler waits Retry-After inline,
        # holding the whole delivery pass): the outbox puts that message back and goes on with others.
        self._send_client = send_client or client
        self._renderers = renderers  # asked for at the first send: a tick with nothing to send never loads them
        self.people = people or PeopleBook()
        self.language = language  # the workspace's (RAPPORT_LANGUAGE): for channels and unknown readers
        self._lock = threading.Lock()
        self._home_team: str | None = None
        self._team_lock = threading.Lock()

    def send(self, method: Method, payload: dict[str, Any], original: Delivered | None) -> Delivered:
        """Render, in its reader's language, and deliver one queued message; raise DeliveryError on failure."""
        with speaking(self.language_for(payload), fallback=self.language):
            rendered = self._renderers().render(payload["kind"], payload["data"])
        try:
            return self._call(method, payload, rendered, original)
        except SlackApiError as exc:
            status = exc.response.status_code
            error = exc.response.get("error") or f"http_{status}"
            retry_after = exc.response.headers.get("Retry-After") or exc.response.headers.get("retry-after")
            transient = status == 429 or status >= 500 or error in TRANSIENT_ERRORS
            raise DeliveryError(error, transient=transient,
                                retry_after=float(retry_after) if retry_after else None) from exc
        except (SlackClientError, OSError) as exc:  # OSError: lost connections and timeouts (URLError is one)
            raise DeliveryError(f"connection: {exc}", transient=True) from exc

    def _call(self, method: Method, payload: dict[str, Any], rendered: Rendered,
              original: Delivered | None) -> Delivered:
        if method == Method.UPDATE:
            assert original is not None and original.channel and original.ts  # the outbox sends the original first
            response = self._send_client.chat_update(channel=original.channel, ts=original.ts, text=rendered.text,
                                                blocks=rendered.blocks)
        else:
            if method == Method.DM:
                channel = self._send_client.conversations_open(users=payload["user"])["channel"]["id"]
            else:
                channel = payload["channel"]
            response = self._send_client.chat_postMessage(channel=channel, text=rendered.text, blocks=rendered.blocks,
                                                     thread_ts=payload.get("thread_ts"), unfurl_links=False)
            if rendered.files:
                self._upload(self._send_client, str(response["channel"]), list(rendered.files), comment="")
        return Delivered(response["channel"], response["ts"])

    def language_for(self, payload: dict[str, Any]) -> str | None:
        """The language a queued message is rendered in: its own, else a DM's reader's, else the default."""
        language = payload.get("language")
        if language is None and payload.get("user"):  # a DM, or an edit of one
            try:
                person = self.user(str(payload["user"]))
            except SlackUnavailable:
                person = None  # the card still goes out, in the workspace's language
            language = person.locale if person else None
        return str(language) if language else None

    def home_team_id(self) -> str:
        """The team that installed Rapport (from auth.test, asked once per process)."""
        if self._home_team is not None:
            return self._home_team
        # Behind a lock: threads arriving together used to ask auth.test each (6-16 times a process).
        with self._team_lock:
            if self._home_team is None:
                try:
                    self._home_team = str(self._client.auth_test()["team_id"])
                except (SlackClientError, OSError) as exc:
                    raise SlackUnavailable(_("Slack didn't answer, so nothing was changed. Please try again in a "
                                             "minute.")) from exc
            return self._home_team

    def user(self, user_id: str) -> SlackUser | None:
        """The person as Slack describes them (users.info at most daily per person); None for an unknown user.

        When Slack cannot answer (429, 5xx) the last known answer is used; with none, SlackUnavailable
        is raised, so callers wait rather than act on a guess (e.g. a digest at the wrong local hour).
        """
        known = self.people.known(user_id)
        if known is not None:
            return known
        try:
            info = self._client.users_info(user=user_id, include_locale=True)["user"]
        except (SlackClientError, OSError) as exc:
            if isinstance(exc, SlackApiError) and exc.response.get("error") in UNKNOWN_USER_ERRORS:
                return None
            last = self.people.last(user_id)
            if last is not None:
                return last
            raise SlackUnavailable(_("Slack didn't say who <@{user}> is, so nothing was changed. Please try again "
                                     "in a minute.").format(user=user_id)) from exc
        user = user_from_slack(info, user_id)
        self.people.remember(user)
        return user

    def permalink(self, channel: str, ts: str) -> str | None:
        """A link to a message, or None when Slack cannot give one."""
        try:
            return str(self._client.chat_getPermalink(channel=channel, message_ts=ts)["permalink"])
        except (SlackClientError, OSError):
            return None

    def is_shared_channel(self, channel: str) -> bool:
        """True for a Slack Connect channel shared with another organisation (see channel_facts)."""
        return self.channel_facts(channel).shared

    def channel_facts(self, channel: str) -> ChannelFacts:
        """Whether a channel is shared with another organisation, and whether Rapport is in it.

        Fails closed: when Slack cannot say, SlackUnavailable is raised and nothing is posted or linked,
        since guessing "internal" could put internal data in front of a customer.
        """
        try:
            info = self._client.conversations_info(channel=channel)["channel"]
        except (SlackClientError, OSError) as exc:
            if isinstance(exc, SlackApiError) and exc.response.get("error") in ("channel_not_found", "not_in_channel"):
                raise SlackUnavailable(_("I can't see <#{channel}>. Invite me there first (`/invite @Rapport`), "
                                         "then try again.").format(channel=channel)) from exc
            raise SlackUnavailable(_("Slack didn't say whether <#{channel}> is shared with another organisation, "
                                     "so nothing was changed. Please try again in a minute.").format(
                                         channel=channel)) from exc
        return ChannelFacts(shared=bool(info.get("is_ext_shared") or info.get("is_shared")),
                            bot_is_member=bool(info.get("is_member", True)))

    def channel_members(self, channel: str) -> list[str]:
        """Everyone in a channel (conversations.members, every page); SlackUnavailable when Slack cannot say."""
        members: list[str] = []
        cursor = ""
        try:
            while True:
                page = self._client.conversations_members(channel=channel, limit=200, cursor=cursor or None)
                members += page.get("members") or []
                cursor = (page.get("response_metadata") or {}).get("next_cursor") or ""
                if not cursor:
                    return members
        except (SlackClientError, OSError) as exc:
            raise SlackUnavailable(_("Slack didn't say who is in <#{channel}>, so nothing was changed. Please try "
                                     "again in a minute.").format(channel=channel)) from exc

    def upload_files(self, channel: str, files: list[UploadFile], *, comment: str) -> list[dict[str, str]]:
        """Share files in a channel (or DM) the way Slack asks now: get an upload URL for each, send the
        bytes there, then complete the upload; each file's id, name and permalink ("" when Slack gave none).
        DeliveryError when Slack refuses."""
        try:
            return self._upload(self._client, channel, files, comment=comment)
        except SlackApiError as exc:
            raise DeliveryError(exc.response.get("error") or "upload_failed", transient=False) from exc
        except (SlackClientError, OSError) as exc:
            raise DeliveryError(f"connection: {exc}", transient=True) from exc

    @staticmethod
    def _upload(client: WebClient, channel: str, files: list[UploadFile], *, comment: str) -> list[dict[str, str]]:
        done = []
        for item in files:
            target = client.files_getUploadURLExternal(filename=item.name, length=len(item.content),
                                                       alt_txt=item.alt_text)
            _send_bytes(str(target["upload_url"]), item.content)
            done.append({"id": str(target["file_id"]), "title": item.title, "name": item.name})
        client.files_completeUploadExternal(files=[{"id": f["id"], "title": f["title"]} for f in done],
                                            channel_id=channel, initial_comment=comment)
        for shared in done:
            try:  # the link is a nicety: the files are shared whether or not Slack says where
                shared["permalink"] = str(client.files_info(file=shared["id"])["file"].get("permalink") or "")
            except (SlackClientError, OSError):
                shared["permalink"] = ""
        return done

    def open_dm(self, user: str) -> str:
        """The id of the app's DM with a person."""
        try:
            return str(self._client.conversations_open(users=user)["channel"]["id"])
        except (SlackClientError, OSError) as exc:
            raise SlackUnavailable(_("Slack didn't open a direct message, so nothing was sent. Please try again "
                                     "in a minute.")) from exc


def _send_bytes(url: str, content: bytes, *, attempts: int = 2) -> None:
    """POST a file's bytes to the upload URL Slack gave, once more if the connection drops."""
    for attempt in range(attempts):
        request = urllib.request.Request(url, data=content, method="POST")
        try:
            with urllib.request.urlopen(request, timeout=30) as answer:
                answer.read()
            return
        except ConnectionError:
            if attempt == attempts - 1:
                raise
