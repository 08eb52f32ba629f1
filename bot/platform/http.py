"""HTTP mode: POST /slack/events and GET /healthz on waitress, a production WSGI server."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

import waitress.server
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress.server import BaseWSGIServer

log = logging.getLogger(__name__)

MAX_BODY_BYTES = 1_000_000  # Slack payloads are far smaller; refuse floods early with 413
THREADS = 16

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def make_wsgi_app(app: App) -> WSGIApp:
    """Route Slack's requests to Bolt, answer health checks, and never leak a 5xx for bad input."""
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
        try:
            return bolt(environ, start_response)
        except Exception:  # a malformed payload Bolt could not parse; Slack should not retry it
            log.warning("unreadable request to /slack/events", exc_info=True)
            return _json(start_response, "400 Bad Request", {"ok": False, "error": "bad_request"})

    return rapport_wsgi


def _json(start_response: Callable[..., Any], status: str, body: dict[str, Any]) -> list[bytes]:
    data = json.dumps(body).encode()
    start_response(status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))])
    return [data]


def create_server(app: App, *, host: str = "0.0.0.0", port: int = 3000, threads: int = THREADS,
                  **options: Any) -> BaseWSGIServer:
    """A waitress server for the app; call `.run()` to serve (port 0 picks a free port)."""
    server = waitress.server.create_server(
        make_wsgi_app(app), host=host, port=port, threads=threads, max_request_body_size=MAX_BODY_BYTES,
        ident="rapport", clear_untrusted_proxy_headers=True, **options,
    )
    assert isinstance(server, BaseWSGIServer)  # one host and port make one listening socket
    return server


def listening_port(server: BaseWSGIServer) -> int:
    """The port a server listens on (the free one it picked for port 0)."""
    return int(server.getsockname()[1])
