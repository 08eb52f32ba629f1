"""Keep-alive HTTP to Slack: slack_sdk's clients, sending on one open connection per thread and host.

slack_sdk's sync clients send each call through `urllib.request.urlopen`, which opens a new connection
(in production a new TLS handshake) and closes it after one answer. Rapport makes three calls a praise,
so that cost came three times (docs/benchmarks.md, "/praise under sustained load"). The subclasses here
replace only the step that moves bytes (`_perform_…_internal`, pinned with slack-sdk in pyproject.toml);
retries, 429 handling and errors stay slack_sdk's, since a non-2xx answer is raised as the same
`urllib.error.HTTPError` urlopen raises. With a proxy set, urllib does the sending as before.
"""

from __future__ import annotations

import http.client
import io
import select
import ssl as ssl_module
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass
from functools import cache
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlsplit
from urllib.request import Request

from slack_sdk import WebClient
from slack_sdk.errors import SlackRequestError
from slack_sdk.webhook import WebhookClient, WebhookResponse

HOSTS_PER_THREAD = 4  # connections a thread keeps open (Slack's API and response URLs are one or two hosts)
IDLE_SECONDS = 20.0  # a connection unused this long is closed rather than reused: servers drop idle ones
# Errors meaning a reused connection had been closed by the server while it sat idle: send again on a new one.
_STALE = (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError, ConnectionAbortedError)

_local = threading.local()


@dataclass(frozen=True)
class Answer:
    """A 2xx answer, read whole: what slack_sdk reads off urlopen's response."""

    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def text(self) -> str:
        """The body decoded by the answer's charset (UTF-8 when it names none)."""
        return self.body.decode(self.headers.get_content_charset() or "utf-8")


@dataclass
class _Open:
    connection: http.client.HTTPConnection
    last_used: float


def send(request: Request, *, timeout: float, context: ssl_module.SSLContext | None = None) -> Answer:
    """Send `request` on this thread's open connection to its host (opened when needed) and read the answer.

    Raises what urlopen raises: HTTPError for a non-2xx answer, URLError when the request cannot be sent (no
    connection), OSError when the answer does not come (a timeout, a connection lost).
    """
    parts = urlsplit(request.full_url)
    key = f"{parts.scheme}://{parts.netloc}"
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = dict(request.header_items())
    while True:
        connection, reused = _connection(key, parts.scheme, parts.hostname or "", parts.port, timeout, context)
        try:
            connection.request(request.get_method(), path, body=request.data, headers=headers)
        except OSError as error:
            _close(key)
            if reused and isinstance(error, _STALE):
                continue  # the server closed it while idle: a new connection
            raise URLError(error) from error  # as urlopen raises it, so slack_sdk's retry handler sees the same
        try:
            response = connection.getresponse()
            body = response.read()
        except _STALE:
            _close(key)
            if reused:
                continue  # closed while idle, before this request was read: a new connection
            raise
        except BaseException:
            _close(key)
            raise
        if response.will_close:
            _close(key)
        else:
            _pool()[key].last_used = time.monotonic()
        if not 200 <= response.status < 300:
            raise HTTPError(request.full_url, response.status, response.reason, response.msg, io.BytesIO(body))
        return Answer(response.status, response.msg, body)


def close_all() -> None:
    """Close this thread's open connections."""
    for key in list(_pool()):
        _close(key)


def _pool() -> OrderedDict[str, _Open]:
    pool: OrderedDict[str, _Open] | None = getattr(_local, "pool", None)
    if pool is None:
        pool = _local.pool = OrderedDict()
    return pool


def _connection(key: str, scheme: str, host: str, port: int | None, timeout: float,
                context: ssl_module.SSLContext | None) -> tuple[http.client.HTTPConnection, bool]:
    """This thread's open connection to `key` if it is still good, else a new one; and whether it is reused."""
    pool = _pool()
    kept = pool.get(key)
    if kept is not None:
        if time.monotonic() - kept.last_used < IDLE_SECONDS and not _dropped(kept.connection):
            pool.move_to_end(key)
            kept.connection.timeout = timeout
            if kept.connection.sock is not None:
                kept.connection.sock.settimeout(timeout)
            return kept.connection, True
        _close(key)
    connection: http.client.HTTPConnection
    if scheme == "https":
        connection = http.client.HTTPSConnection(host, port, timeout=timeout, context=context or _default_ssl())
    else:
        connection = http.client.HTTPConnection(host, port, timeout=timeout)
    pool[key] = _Open(connection, time.monotonic())
    while len(pool) > HOSTS_PER_THREAD:
        _close(next(iter(pool)))
    return connection, False


def _dropped(connection: http.client.HTTPConnection) -> bool:
    """True when the server has closed the connection (it reads as ready: EOF) or it was never opened."""
    sock = connection.sock
    if sock is None:
        return True
    try:
        readable, _, _ = select.select([sock], [], [], 0)
    except (OSError, ValueError):
        return True
    return bool(readable)


def _close(key: str) -> None:
    kept = _pool().pop(key, None)
    if kept is not None:
        kept.connection.close()


@cache
def _default_ssl() -> ssl_module.SSLContext:
    """The context urlopen would use, built once (loading the system's certificates costs milliseconds)."""
    return ssl_module.create_default_context()


class KeepAliveWebClient(WebClient):
    """slack_sdk's WebClient sending on kept-open connections (see the module's docstring)."""

    def _perform_urllib_http_request_internal(self, url: str, req: Request) -> dict[str, Any]:
        if self.proxy is not None:
            return super()._perform_urllib_http_request_internal(url, req)
        if not url.lower().startswith("http"):
            raise SlackRequestError(f"Invalid URL detected: {url}")
        answer = send(req, timeout=self.timeout, context=self.ssl)
        body: str | bytes = answer.body if answer.headers.get_content_type() == "application/gzip" else answer.text()
        return {"status": answer.status, "headers": answer.headers, "body": body}


class KeepAliveWebhookClient(WebhookClient):
    """slack_sdk's WebhookClient (response URLs) sending on kept-open connections."""

    def _perform_http_request_internal(self, url: str, req: Request) -> WebhookResponse:
        if self.proxy is not None:
            response: WebhookResponse = super()._perform_http_request_internal(url, req)
            return response
        if not url.lower().startswith("http"):
            raise SlackRequestError(f"Invalid URL detected: {url}")
        answer = send(req, timeout=self.timeout, context=self.ssl)
        return WebhookResponse(url=url, status_code=answer.status, body=answer.text(),
                               headers=answer.headers)  # type: ignore[arg-type]  # urlopen's headers, as slack_sdk
