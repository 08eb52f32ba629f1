"""Serve a Bolt app over real HTTP (waitress) so the driver can reach it as Slack would."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import waitress.server
from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from waitress import wasyncore
from waitress.server import BaseWSGIServer


class ServingInTurns:
    """A waitress server run on its own thread in short turns, so another thread can stop it cleanly.

    waitress's own run() cannot be stopped from another thread without closing sockets under its feet,
    so the loop runs in short turns and closes them itself at the end.
    """

    def __init__(self, server: BaseWSGIServer, sockets: dict[int, Any], *, name: str) -> None:
        self.server, self._sockets = server, sockets
        self._stopping = threading.Event()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        """Stop serving, close the sockets and wait for the loop to end."""
        self._stopping.set()
        self._thread.join(timeout=5)

    def _serve(self) -> None:
        while not self._stopping.is_set():
            wasyncore.loop(timeout=0.02, map=self._sockets, count=1)
        wasyncore.close_all(map=self._sockets)
        self.server.task_dispatcher.shutdown()


@contextmanager
def serve_bolt_app(app: App, *, path: str = "/slack/events") -> Iterator[str]:
    """Run `app` on a free port of 127.0.0.1 and yield its base URL, e.g. `http://127.0.0.1:5123`."""
    sockets: dict[int, Any] = {}
    server = waitress.server.create_server(SlackRequestHandler(app, path=path), map=sockets,
                                           host="127.0.0.1", port=0, threads=4)
    assert isinstance(server, BaseWSGIServer)  # one host and port make one listening socket
    serving = ServingInTurns(server, sockets, name="bolt-app")
    try:
        yield f"http://127.0.0.1:{server.getsockname()[1]}"
    finally:
        serving.stop()
