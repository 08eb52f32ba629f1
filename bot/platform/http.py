"""HTTP mode on waitress, a production WSGI server: POST /slack/events, GET /healthz and GET /metrics."""

from __future__ import annotations

import io
import json
import logging
import socket
import time
from collections.abc import Callable, Iterable
from typing import Any

import waitress.server
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.utilities import RequestEntityTooLarge

from bot.platform.assemble import SERVER_THREADS
from bot.platform.gate import SIGNATURE_WINDOW, Gate, Verdict
from bot.platform.requests import describe
from bot.platform.services import Services
from storage.platform import outbox as outbox_store
from storage.schema_version import code_head, database_revision

log = logging.getLogger(__name__)
requests_log = logging.getLogger("rapport.request")

MAX_BODY_BYTES = 1_000_000  # Slack payloads are far smaller; refuse floods early with 413
THREADS = SERVER_THREADS
# After a 413 the rest of the body is still on its way; it is read and dropped (up to these limits) so
# the client gets to read the 413 instead of a connection reset.
DRAIN_BYTES = 256_000_000
DRAIN_SECONDS = 30.0

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]
StartResponse = Callable[..., Any]


def make_wsgi_app(app: App, gate: Gate | None, services: Services | None = None) -> WSGIApp:
    """Route Slack's requests to Bolt, answer health checks and scrapes, and never leak a 5xx for bad input.

    With a gate (always, in Rapport), nothing reaches Bolt unless Slack signed it within the window and it
    was not accepted before; `gate=None` leaves checking to Bolt alone (only the benchmark's bare app).
    Without `services` (that bare app), /healthz only says the process is up and there are no metrics.
    """
    bolt = SlackRequestHandler(app)
    health = Health(services) if services is not None else None

    def rapport_wsgi(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method == "GET":
            return health.answer(start_response) if health else _json(start_response, "200 OK", {"ok": True})
        if path == "/metrics" and method == "GET" and services is not None and services.metrics is not None:
            body, content_type = services.metrics.render()
            start_response("200 OK", [("Content-Type", content_type), ("Content-Length", str(len(body)))])
            return [body]
        if path != "/slack/events":
            return _json(start_response, "404 Not Found", {"ok": False, "error": "not_found"})
        if method != "POST":
            return _json(start_response, "405 Method Not Allowed", {"ok": False, "error": "method_not_allowed"})
        if gate is not None:
            refusal = _stop_at_gate(gate, environ, start_response)
            if refusal is not None:
                return refusal
        return _slack_request(bolt, services, environ, start_response)

    return rapport_wsgi


def _slack_request(bolt: SlackRequestHandler, services: Services | None, environ: dict[str, Any],
                   start_response: StartResponse) -> Iterable[bytes]:
    """Hand one request to Bolt; log it (surface, id, user, ms, outcome) and count it."""
    started = time.perf_counter()
    body = _body_put_back(environ)
    request = describe(body, environ.get("CONTENT_TYPE", ""))
    statuses: list[str] = []

    def recording(status: str, headers: list[tuple[str, str]], *args: Any) -> Any:
        statuses.append(status)
        return start_response(status, headers, *args)

    try:
        answer = bolt(environ, recording)
    except Exception:  # a malformed payload Bolt could not parse; Slack should not retry it
        log.warning("unreadable request to /slack/events", exc_info=True)
        answer = _json(recording, "400 Bad Request", {"ok": False, "error": "bad_request"})
    seconds = time.perf_counter() - started
    code = int(statuses[-1].split()[0]) if statuses else 500
    outcome = "ok" if code < 400 else "refused" if code < 500 else "error"
    requests_log.info("%s %s by %s: %s in %.1f ms", request.surface, request.id or "-", request.user or "-",
                      outcome, seconds * 1000, extra={"surface": request.surface, "id": request.id,
                                                       "user": request.user, "ms": round(seconds * 1000, 1),
                                                       "outcome": outcome, "status": code})
    if services is not None and services.metrics is not None:
        services.metrics.ack(request.surface, outcome, seconds)
    return answer


def _body_put_back(environ: dict[str, Any]) -> bytes:
    """Read the body and put it back for Bolt (waitress and the gate have already bounded its size)."""
    length = int(environ.get("CONTENT_LENGTH") or 0)
    body: bytes = environ["wsgi.input"].read(length) if length > 0 else b""
    environ["wsgi.input"] = io.BytesIO(body)
    return body


class Health:
    """`GET /healthz`: 200 when the database answers at the schema this code needs, with the outbox backlog;
    503 when it does not answer, or while a migration is under way (another release or replica is upgrading)."""

    def __init__(self, services: Services) -> None:
        self._services = services

    def answer(self, start_response: StartResponse) -> list[bytes]:
        """Check and answer."""
        try:
            schema, head, backlog = self._check()
        except Exception as exc:  # the database is down or unreachable: say so, do not raise a 500 page
            log.warning("health check: the database did not answer", exc_info=True)
            return _json(start_response, "503 Service Unavailable",
                         {"ok": False, "database": f"unreachable: {exc.__class__.__name__}"})
        if schema != head:
            return _json(start_response, "503 Service Unavailable",
                         {"ok": False, "database": "ok", "schema": schema, "needs": head, "migrating": True})
        return _json(start_response, "200 OK", {"ok": True, "database": "ok", "schema": schema, "outbox": backlog})

    def _check(self) -> tuple[str | None, str | None, dict[str, Any]]:
        with self._services.db.session() as session:
            schema = database_revision(session.connection())
            backlog = outbox_store.backlog(session, now=self._services.now())
        return schema, code_head(), backlog


def _stop_at_gate(gate: Gate, environ: dict[str, Any], start_response: StartResponse) -> list[bytes] | None:
    """Answer a request the gate turns away; None to let it through to Bolt (with its body put back)."""
    body = _read_body(environ)
    if body is None:
        return _json(start_response, "413 Request Entity Too Large", {"ok": False, "error": "too_large"})
    environ["wsgi.input"] = io.BytesIO(body)
    headers = {key[5:].lower().replace("_", "-"): value for key, value in environ.items() if key.startswith("HTTP_")}
    try:
        verdict = gate.admit(body, headers)
    except Exception as error:  # the database is down: Slack retries events, people retry commands
        log.error("cannot check a request for replays (%s: %s); answered 503", type(error).__name__, error)
        return _json(start_response, "503 Service Unavailable", {"ok": False, "error": "try_again"})
    if verdict is Verdict.REFUSE:
        log.warning("refused a request to /slack/events: not signed by Slack within the last %s s", SIGNATURE_WINDOW)
        return _json(start_response, "401 Unauthorized", {"ok": False, "error": "invalid_signature"})
    if verdict is Verdict.REPLAY:
        log.warning("ignored a replayed request to /slack/events (already accepted once)")
        start_response("200 OK", [("Content-Length", "0")])
        return []
    return None


def _read_body(environ: dict[str, Any]) -> bytes | None:
    """The request body, or None when it is larger than Slack ever sends."""
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > MAX_BODY_BYTES:
        return None
    return bytes(environ["wsgi.input"].read(length)) if length > 0 else b""


def _json(start_response: StartResponse, status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def create_server(app: App, gate: Gate | None, *, services: Services | None = None, host: str = "0.0.0.0",
                  port: int = 3000, threads: int = THREADS, **options: Any) -> BaseWSGIServer:
    """A waitress server for the app behind its gate; call `.run()` to serve (port 0 picks a free port)."""
    server = waitress.server.create_server(
        make_wsgi_app(app, gate, services), host=host, port=port, threads=threads,
        max_request_body_size=MAX_BODY_BYTES,
        ident="rapport", clear_untrusted_proxy_headers=True, **options,
    )
    assert isinstance(server, BaseWSGIServer)  # one host and port make one listening socket
    server.channel_class = DrainingChannel  # waitress reads it per accepted connection
    return server


class DrainingChannel(HTTPChannel):
    """A connection that, having refused a body as too large, reads the rest of it before closing.

    waitress answers 413 as soon as it sees the Content-Length, then closes the socket while the body is
    still arriving; closing with unread data makes the kernel send a reset, which reaches the client
    before it has read the 413 (5 MB: "connection reset"). Shutting down our side and draining what is
    left lets the client finish sending and read the answer.
    """

    refused_body = False
    draining_since: float | None = None
    drained = 0

    def received(self, data: bytes) -> bool:
        """Parse as waitress does, noting a body refused for its size."""
        result = bool(super().received(data))
        if any(isinstance(request.error, RequestEntityTooLarge) for request in self.requests):
            self.refused_body = True
        return result

    def handle_close(self) -> None:
        """Close as waitress does, except right after refusing a body: drain it first."""
        if self.refused_body and self.draining_since is None and self.socket is not None:
            self.will_close = False
            self.draining_since = time.monotonic()
            try:
                self.socket.shutdown(socket.SHUT_WR)  # the client sees the end of our answer
                return
            except OSError:
                pass
        super().handle_close()

    def readable(self) -> bool:
        """While draining, keep reading (and dropping) what the client still sends."""
        if self.draining_since is not None:
            return not self.will_close
        return bool(super().readable())

    def writable(self) -> bool:
        """While draining there is nothing to write; only a close (e.g. the idle timeout) is pending."""
        if self.draining_since is not None:
            return bool(self.will_close)
        return bool(super().writable())

    def handle_read(self) -> None:
        """Drop drained data; close on end of input or past the drain limits."""
        if self.draining_since is None:
            super().handle_read()
            return
        try:
            data = self.recv(self.adj.recv_bytes)
        except OSError:
            self.handle_close()
            return
        if not data:
            return  # the client is done: recv() has closed the connection
        self.drained += len(data)
        self.last_activity = time.time()
        if self.drained > DRAIN_BYTES or time.monotonic() - self.draining_since > DRAIN_SECONDS:
            self.handle_close()


def listening_port(server: BaseWSGIServer) -> int:
    """The port a server listens on (the free one it picked for port 0)."""
    return int(server.getsockname()[1])
