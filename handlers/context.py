"""Middleware putting Rapport's services and the acting user into Bolt's context, and reply helpers."""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future
from contextvars import ContextVar, copy_context
from dataclasses import dataclass
from functools import partial
from typing import Any, ParamSpec, TypeVar

from slack_bolt import BoltContext, BoltResponse, Respond
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookResponse

from bot.platform import i18n, people
from bot.platform.arguments import whole_number
from bot.platform.errors import InvalidInput, RapportError
from bot.platform.i18n import _
from bot.platform.services import Services
from bot.platform.slack_http import KeepAliveWebhookClient
from bot.platform.text import cut

TEXT_LIMIT = 3000  # a reply's fallback text, and a section's text, as Slack takes them

log = logging.getLogger(__name__)

# A person Rapport has not looked up yet: their language is asked of Slack on the listener's thread.
_look_up_language_of: ContextVar[str | None] = ContextVar("look_up_language_of", default=None)


@dataclass(frozen=True)
class Actor:
    """The person who sent the request; external users are Slack Connect guests from another org."""

    id: str
    is_external: bool


def services_of(context: BoltContext) -> Services:
    """Rapport's services for this request."""
    services = context["services"]
    assert isinstance(services, Services)
    return services


def actor_of(context: BoltContext) -> Actor:
    """The acting user for this request."""
    actor = context["actor"]
    assert isinstance(actor, Actor)
    return actor


def make_context_middleware(services: Services) -> Callable[..., Any]:
    """A global middleware that resolves services and the acting user once per request."""

    def attach_services_and_actor(context: BoltContext, body: dict[str, Any], next: Callable[[], Any]) -> Any:
        context["services"] = services
        if context.response_url:
            context["respond"] = BoundedRespond(response_url=context.response_url, proxy=context.client.proxy,
                                                ssl=context.client.ssl)
        user_id = context.user_id
        if user_id:
            context["actor"] = _resolve_actor(services, user_id, body)
        _speak_as(services, user_id)
        return next()

    return attach_services_and_actor


def _speak_as(services: Services, user_id: str | None) -> None:
    """Answer in the person's own language: known now (no Slack call before the ack), or looked up after it."""
    # Every request passes here, so the request thread's language is always this request's.
    person = services.slack.people.last(user_id) if user_id else None
    i18n.speak(person.locale if person else None, fallback=services.settings.rapport_language)
    _look_up_language_of.set(user_id if user_id and person is None else None)


class BoundedRespond(Respond):
    """Bolt's respond on a kept-open connection, with texts cut to Slack's limits (so a reply echoing 40,000
    typed characters still arrives)."""

    def __call__(self, text: str | dict[str, Any] = "", blocks: Any = None, *args: Any,
                 **options: Any) -> WebhookResponse:
        """Respond as Bolt does (a whole message as a dict, or text, blocks and options by name), texts cut."""
        if args:
            raise TypeError("respond takes its options by name")
        if self.response_url is None:
            raise ValueError("respond is unsupported here as there is no response_url")
        webhook = KeepAliveWebhookClient(url=self.response_url, proxy=self.proxy, ssl=self.ssl)
        if isinstance(text, dict):
            return webhook.send_dict(text)
        return webhook.send(text=cut(text, TEXT_LIMIT), blocks=bounded_blocks(blocks), **options)


def bounded_blocks(blocks: Any) -> Any:
    """Blocks with each section's mrkdwn or plain text cut to Slack's limit (other blocks as they are)."""
    if not blocks:
        return blocks
    return [_bounded_block(block) for block in blocks]


def _bounded_block(block: Any) -> Any:
    inner = block.get("text") if isinstance(block, dict) and block.get("type") == "section" else None
    if isinstance(inner, dict) and isinstance(inner.get("text"), str) and len(inner["text"]) > TEXT_LIMIT:
        return {**block, "text": {**inner, "text": cut(inner["text"], TEXT_LIMIT)}}
    return block


def _resolve_actor(services: Services, user_id: str, body: dict[str, Any]) -> Actor:
    team_id = (body.get("user") or {}).get("team_id") if isinstance(body.get("user"), dict) else None
    # Without a team in the request, users.info decides; an unknown user counts as external.
    return Actor(id=user_id, is_external=not people.is_internal(services.slack, user_id, team_id=team_id))


def internal_only(context: BoltContext, body: dict[str, Any], client: WebClient,
                  next: Callable[[], BoltResponse | None]) -> BoltResponse | None:
    """Listener middleware: refuse external users politely, and change nothing."""
    actor = context.get("actor")
    if actor is not None and not actor.is_external:
        return next()
    reply(body, client, _("Sorry, this is only available to the team that runs this service. "
                          "If you need help, just write in this channel and we'll pick it up."))
    # Returning a response (rather than None) tells Bolt the request was handled: an empty 200 ack.
    return BoltResponse(status=200, body="")


def reply(body: dict[str, Any], client: WebClient, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
    """Answer the person who acted, visible only to them, wherever the request came from."""
    user_id = body.get("user_id") or (body.get("user") or {}).get("id")
    channel_id = body.get("channel_id") or (body.get("channel") or {}).get("id")
    response_url = body.get("response_url") or _first_response_url(body)
    kwargs: dict[str, Any] = {"text": cut(text, TEXT_LIMIT)}
    if blocks:
        kwargs["blocks"] = bounded_blocks(blocks)
    try:
        if response_url:
            KeepAliveWebhookClient(response_url).send(response_type="ephemeral", replace_original=False, **kwargs)
        elif channel_id and not channel_id.startswith("D") and user_id:
            client.chat_postEphemeral(channel=channel_id, user=user_id, **kwargs)
        elif user_id:
            client.chat_postMessage(channel=user_id, **kwargs)
    except SlackApiError as exc:
        log.warning("could not reply to %s: %s", user_id, exc.response.get("error"))


def _first_response_url(body: dict[str, Any]) -> str | None:
    urls = body.get("response_urls") or []
    return urls[0].get("response_url") if urls else None


def button_numbers(action: dict[str, Any], *, count: int = 1, hint: str = "") -> list[int]:
    """The ids a button carries in its value (`12`, or `12:4` with count=2); InvalidInput when out of date."""
    numbers = [whole_number(part) for part in str(action.get("value") or "").split(":")]
    if len(numbers) != count or None in numbers:
        raise InvalidInput(" ".join(filter(None, [_("That button is out of date."), hint])))
    return [number for number in numbers if number is not None]


P = ParamSpec("P")
T = TypeVar("T")


class SpeakingExecutor(Executor):
    """Runs Bolt's listeners in the language of the request that submitted them.

    Bolt hands each listener (its ack and the work after it) to this executor from the request's thread,
    after the global middleware chose the language: the listener runs in a copy of that context. For a
    person Rapport has never looked up (an interaction carrying its team, so the middleware asked Slack
    nothing), it asks users.info first, on the listener's thread: once per person, before that one
    listener's ack, instead of in the middleware that every request passes through.
    """

    def __init__(self, inner: Executor, services: Services) -> None:
        self._inner = inner
        self._services = services

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        """Run `fn` on the wrapped executor in the submitting request's language."""
        context = copy_context()
        call: Callable[[], T] = partial(fn, *args, **kwargs)
        return self._inner.submit(context.run, self._speaking, call)

    def _speaking(self, call: Callable[[], T]) -> T:
        user_id = _look_up_language_of.get()
        if user_id:
            try:
                person = self._services.slack.user(user_id)
            except RapportError:
                person = None  # Slack is slow or down: the default language, and the listener says what failed
            i18n.speak(person.locale if person else None, fallback=self._services.settings.rapport_language)
        return call()

    def shutdown(self, wait: bool = True, *, cancel_futures: bool = False) -> None:
        """Shut the wrapped executor down."""
        self._inner.shutdown(wait=wait, cancel_futures=cancel_futures)
