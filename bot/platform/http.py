"""HTTP mode: POST /slack/events and GET /healthz on waitress, a production WSGI server."""

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

from bot.platform.gate import SIGNATURE_WINDOW, Gate, Verdict

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000  # Slack payloads are far smaller; refuse floods early with 413
THREADS = 16
# After a 413 the rest of the body is still on its way; it is read and dropped (up to these limits) so
# the client gets to read the 413 instead of a connection reset.
DRAIN_BYTES = 256_000_000
DRAIN_SECONDS = 30.0

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def make_wsgi_app(app: App, gate: Gate | None) -> WSGIApp:
    """Route Slack's requests to Bolt, answer health checks, and never leak a 5xx for bad input.

    With a gate (always, in Rapport), nothing reaches Bolt unless Slack signed it within the window and it
    was not accepted before; `gate=None` leaves checking to Bolt alone (only the benchmark's bare app).
    """
    bolt = SlackRequestHandler(app)

    def rapport_wsgi(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        method = environ.get("REQUEST_METHOD", "GET")
        if path == "/healthz" and method == "GET":
            return _json(start_response, "200 OK", {"ok": True})
        if path != "/slack/events":
            return _json(start_response, "404 Not Found", {"ok": False, "error": "not_found"})
        if method != "POST":
            return _json(start_response, "405 Method Not Allowed", {"ok": False, "error": "method_not_allowed"})
        if gate is not None:
            refusal = _stop_at_gate(gate, environ, start_response)
            if refusal is not None:
                return refusal
        try:
            return bolt(environ, start_response)
        except Exception:  # a malformed payload Bolt could not parse; Slack should not retry it
            log.warning("unreadable request to /slack/events", exc_info=True)
            return _json(start_response, "400 Bad Request", {"ok": False, "error": "bad_request"})

    return rapport_wsgi


def _stop_at_gate(gate: Gate, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes] | None:
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


def _json(start_response: Callable[..., Any], status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def create_server(app: App, gate: Gate | None, *, host: str = "0.0.0.0", port: int = 3000,
                  threads: int = THREADS, **options: Any) -> BaseWSGIServer:
    """A waitress server for the app behind its gate; call `.run()` to serve (port 0 picks a free port)."""
    server = waitress.server.create_server(
        make_wsgi_app(app, gate), host=host, port=port, threads=threads, max_request_body_size=MAX_BODY_BYTES,
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
