"""The stand-in's HTTP face: Slack's Web API, response URLs and file upload URLs on 127.0.0.1."""

from __future__ import annotations

import json
import logging
import sys
import threading
import time
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from email.parser import BytesParser
from email.policy import HTTP
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from socket import SHUT_RDWR, socket
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .limits import ChannelPace, Gate
from .methods import WebApi
from .params import SlackError
from .transcript import Transcript
from .workspace import BOT_TOKEN, Workspace, default_workspace

logger = logging.getLogger(__name__)


@dataclass
class _Fault:
    """One injected failure or delay for the next calls of a method."""

    times: int
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    delay: float = 0.0


class SlackStandIn(Transcript):
    """A local Slack: serves the Web API over HTTP and records what the app did (the transcript).

    Use as a context manager, then point slack_sdk at it:
    `WebClient(token=BOT_TOKEN, base_url=stand_in.api_url)`.
    """

    def __init__(self, workspace: Workspace | None = None, *, clock: Callable[[], float] = time.time,
                 tokens: tuple[str, ...] = (BOT_TOKEN,), port: int = 0) -> None:
        super().__init__(workspace or default_workspace(), clock)
        self.tokens = set(tokens)
        self.port = port
        self.api = WebApi(self, lambda: self.base_url)
        self._faults: dict[str, list[_Fault]] = {}
        self._faults_lock = threading.Lock()
        self._gates: dict[str, list[Gate]] = {}
        self.channel_pace: ChannelPace | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._cpu_seconds = 0.0  # CPU the stand-in's own threads spent serving (benchmarks subtract it)
        self._cpu_lock = threading.Lock()

    # -- lifecycle ----------------------------------------------------------------------------

    def start(self) -> SlackStandIn:
        """Listen on a free port of 127.0.0.1 in a background thread."""
        server = _Server(("127.0.0.1", self.port), _Handler)
        server.stand_in = self
        self._server = server
        # A short poll interval keeps stop() fast; the default would add half a second per test.
        self._thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02},
                                        name="slack-stand-in", daemon=True)
        self._thread.start()
        return self

    def connections_opened(self) -> int:
        """How many connections clients have opened so far (kept-open ones count once)."""
        return self._server.opened if self._server is not None else 0

    def drop_connections(self) -> None:
        """Close the connections clients keep open, as Slack's servers do with idle ones."""
        if self._server is not None:
            self._server.close_connections()

    def cpu_seconds(self) -> float:
        """CPU time spent so far accepting and serving requests (the stand-in is not part of an app's cost)."""
        with self._cpu_lock:
            return self._cpu_seconds

    def count_cpu(self, seconds: float) -> None:
        """Add CPU time one of the server's threads spent."""
        with self._cpu_lock:
            self._cpu_seconds += seconds

    def stop(self) -> None:
        """Stop listening, close the connections clients keep open, and wait for the server thread."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server.close_connections()
            if self._thread is not None:
                self._thread.join()
            self._server = self._thread = None

    def __enter__(self) -> SlackStandIn:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def base_url(self) -> str:
        """The server's root, e.g. `http://127.0.0.1:53121/`."""
        if self._server is None:
            raise RuntimeError("SlackStandIn is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}/"

    @property
    def api_url(self) -> str:
        """The Web API base URL for `WebClient(base_url=...)` or SLACK_API_URL."""
        return self.base_url + "api/"

    def reset(self) -> None:
        """Forget the transcript and any pending failure injections."""
        super().reset()
        with self._faults_lock:
            self._faults.clear()
            self._gates.clear()

    # -- what only Slack can hand out, for the driver -----------------------------------------

    def issue_trigger_id(self, user: str) -> str:
        """Issue a trigger_id that opens one modal within 3 seconds (by this stand-in's clock)."""
        return self.api.views.issue_trigger_id(user)

    def issue_response_url(self, *, user: str, channel: str, source: dict[str, Any] | None = None) -> str:
        """Issue a response_url; `source` = {"surface", "channel", "ts"} of the clicked message."""
        return self.api.issue_response_url(user=user, channel=channel, source=source)

    # -- failure injection --------------------------------------------------------------------

    def fail_next(self, method: str, *, status: int = 429, retry_after: int = 1, times: int = 1,
                  error: str | None = None) -> None:
        """Make the next `times` calls of `method` fail.

        With `error`, Slack answers HTTP 200 `{"ok": false, "error": error}`; otherwise with
        `status`: 429 (with Retry-After) or a 5xx. `method` may also be "response_url" or "upload".
        """
        fault = _Fault(times=times, status=200 if error else status, error=error,
                       retry_after=retry_after if status == 429 and not error else None)
        with self._faults_lock:
            self._faults.setdefault(method, []).append(fault)

    def delay_next(self, method: str, seconds: float, *, times: int = 1) -> None:
        """Make the next `times` calls of `method` answer only after `seconds` (real time)."""
        with self._faults_lock:
            self._faults.setdefault(method, []).append(_Fault(times=times, delay=seconds))

    def enforce_channel_pace(self, per_second: float = 1.0, burst: int = 3) -> None:
        """Answer chat.postMessage 429 with Retry-After when a channel gets messages faster than this, as Slack does."""
        self.channel_pace = ChannelPace(per_second, burst)

    def rate_limited(self) -> int:
        """How many calls were answered 429."""
        return sum(1 for call in self.calls() if call["status"] == 429)

    def hold_next(self, method: str) -> Gate:
        """Keep the next call of `method` in flight until the returned gate is released."""
        gate = Gate()
        with self._faults_lock:
            self._gates.setdefault(method, []).append(gate)
        return gate

    def _take_gate(self, method: str) -> Gate | None:
        with self._faults_lock:
            gates = self._gates.get(method)
            return gates.pop(0) if gates else None

    def _paced(self, method: str, params: dict[str, Any]) -> int | None:
        """Retry-After for a message over the channel's pace, or None."""
        if self.channel_pace is None or method != "chat.postMessage":
            return None
        return self.channel_pace.retry_after(str(params.get("channel")), self.clock())

    def _take_faults(self, method: str) -> tuple[float, _Fault | None]:
        """Consume this call's delay and failure, if any were injected."""
        delay, failure = 0.0, None
        with self._faults_lock:
            pending = self._faults.get(method, [])
            for fault in list(pending):
                if fault.delay and not delay:
                    delay = fault.delay
                elif not fault.delay and failure is None:
                    failure = fault
                else:
                    continue
                fault.times -= 1
                if fault.times <= 0:
                    pending.remove(fault)
        return delay, failure

    # -- request handling ---------------------------------------------------------------------

    def handle(self, verb: str, path: str, headers: dict[str, Any], body: bytes) -> tuple[int, dict[str, Any], bytes]:
        """Answer one HTTP request; returns (status, headers, body)."""
        try:
            return self._route(verb, path, headers, body)
        except Exception as error:
            # A bug in the stand-in must not look like a dropped connection: answer 500 and put
            # it in the transcript, where a failing test's dump will show it.
            logger.exception("Slack stand-in failed on %s %s", verb, path)
            return self._answer(path, {}, 500, {"ok": False, "error": f"stand_in_error: {error!r}"})

    def _route(self, verb: str, path: str, headers: dict[str, Any], body: bytes) -> tuple[int, dict[str, Any], bytes]:
        url = urlsplit(path)
        parts = url.path.strip("/").split("/")
        if len(parts) == 2 and parts[0] == "api":
            return self._api(parts[1], url.query, headers, body)
        if len(parts) == 2 and parts[0] == "response" and verb == "POST":
            return self._response_url(parts[1], body)
        if len(parts) == 2 and parts[0] == "upload" and verb in ("POST", "PUT"):
            return self._upload(parts[1], body)
        return _json(404, {"ok": False, "error": "not_found"})

    def _api(self, method: str, query: str, headers: dict[str, Any], body: bytes) -> tuple[int, dict[str, Any], bytes]:
        try:
            params = {**dict(parse_qsl(query, keep_blank_values=True)),
                      **_parse_body(headers.get("content-type", ""), body)}
        except ValueError:
            return self._answer(method, {}, 200, {"ok": False, "error": "invalid_json"})
        token = params.pop("token", None)
        authorization = headers.get("authorization", "")
        if authorization.startswith("Bearer "):
            token = authorization[len("Bearer "):]
        if not self.api.knows(method):
            return self._answer(method, params, 404, {"ok": False, "error": "unknown_method"})
        delay, failure = self._take_faults(method)
        if delay:
            time.sleep(delay)
        if (gate := self._take_gate(method)) is not None:
            gate.pass_through()
        if failure is not None:
            return self._failure(method, params, failure)
        if (wait := self._paced(method, params)) is not None:
            return self._answer(method, params, 429, {"ok": False, "error": "ratelimited"}, {"Retry-After": str(wait)})
        if not token:
            return self._answer(method, params, 200, {"ok": False, "error": "not_authed"})
        if token not in self.tokens:
            return self._answer(method, params, 200, {"ok": False, "error": "invalid_auth"})
        try:
            result = self.api.call(method, params)
        except SlackError as error:
            result = {"ok": False, "error": error.error, **error.extra}
        return self._answer(method, params, 200, result)

    def _failure(self, method: str, params: dict[str, Any], fault: _Fault) -> tuple[int, dict[str, Any], bytes]:
        if fault.error:
            return self._answer(method, params, 200, {"ok": False, "error": fault.error})
        if fault.status == 429:
            return self._answer(method, params, 429, {"ok": False, "error": "ratelimited"},
                                {"Retry-After": str(fault.retry_after)})
        error = {503: "service_unavailable"}.get(fault.status, "internal_error")
        return self._answer(method, params, fault.status, {"ok": False, "error": error})

    def _answer(self, method: str, params: dict[str, Any], status: int, result: dict[str, Any],
                extra_headers: dict[str, Any] | None = None) -> tuple[int, dict[str, Any], bytes]:
        self.record_call(method, params, result, status)
        status, headers, body = _json(status, result)
        return status, {**headers, **(extra_headers or {})}, body

    def _response_url(self, token: str, body: bytes) -> tuple[int, dict[str, Any], bytes]:
        try:
            payload = json.loads(body or b"{}")
        except ValueError:
            payload = None
        if not isinstance(payload, dict):
            return self._answer("response_url", {}, 400, {"ok": False, "error": "invalid_payload"})
        delay, failure = self._take_faults("response_url")
        if delay:
            time.sleep(delay)
        if failure is not None:
            return self._failure("response_url", payload, failure)
        status, result = self.api.respond(token, payload)
        return self._answer("response_url", payload, status, result)

    def _upload(self, file_id: str, body: bytes) -> tuple[int, dict[str, Any], bytes]:
        delay, failure = self._take_faults("upload")
        if delay:
            time.sleep(delay)
        if failure is not None:
            return self._failure("upload", {"file_id": file_id}, failure)
        if not self.api.receive_upload(file_id, body):
            return 404, {"Content-Type": "text/plain"}, b"Not Found"
        self.record_call("upload", {"file_id": file_id, "size": len(body)}, {"ok": True}, 200)
        # Slack's upload endpoint answers in plain text, not JSON.
        return 200, {"Content-Type": "text/plain; charset=utf-8"}, f"OK - {len(body)}".encode()


def _json(status: int, payload: dict[str, Any]) -> tuple[int, dict[str, Any], bytes]:
    return status, {"Content-Type": "application/json; charset=utf-8"}, json.dumps(payload).encode()


def _parse_body(content_type: str, body: bytes) -> dict[str, Any]:
    """Read a Web API body: JSON, form-encoded or multipart, as slack_sdk may send any of them."""
    if not body:
        return {}
    kind = content_type.split(";", maxsplit=1)[0].strip().lower()
    if kind == "application/json":
        parsed = json.loads(body)
        if not isinstance(parsed, dict):
            raise ValueError("JSON body must be an object")
        return parsed
    if kind == "multipart/form-data":
        message = BytesParser(policy=HTTP).parsebytes(
            f"Content-Type: {content_type}\r\n\r\n".encode() + body)
        fields: dict[str, Any] = {}
        for part in message.iter_parts():
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)  # a form field's body, decoded from its transfer encoding
            fields[str(part.get_param("name", header="content-disposition"))] = \
                payload if part.get_filename() else payload.decode()
        return fields
    return dict(parse_qsl(body.decode(), keep_blank_values=True))


class _Server(ThreadingHTTPServer):
    """A threading HTTP server that knows its stand-in."""

    daemon_threads = True
    # socketserver's backlog of 5 reset connections when benchmarks sent 64 requests at once.
    request_queue_size = 128
    stand_in: SlackStandIn

    def __init__(self, address: tuple[str, int], handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(address, handler)
        self._open: set[socket] = set()  # connections being served: a stopped Slack must not answer on them
        self._open_lock = threading.Lock()
        self.opened = 0  # connections accepted so far

    def close_connections(self) -> None:
        """Close every connection still open, so clients holding one see Slack gone."""
        with self._open_lock:
            connections, self._open = list(self._open), set()
        for connection in connections:
            with suppress(OSError):  # the client may have closed it meanwhile
                connection.shutdown(SHUT_RDWR)  # both ways: wakes the thread reading its next request, which ends

    def _handle_request_noblock(self) -> None:
        # Accepting and starting a thread per connection is the stand-in's cost too.
        started = time.thread_time()
        try:
            super()._handle_request_noblock()  # type: ignore[misc]  # socketserver has it; its stubs do not
        finally:
            self.stand_in.count_cpu(time.thread_time() - started)

    def process_request_thread(self, request: Any, client_address: Any) -> None:
        """Serve one connection on its thread, counting the thread's CPU time as each request ends and at the end."""
        _cpu_mark.seconds = time.thread_time()
        with self._open_lock:
            self._open.add(request)
            self.opened += 1
        try:
            super().process_request_thread(request, client_address)
        finally:
            with self._open_lock:
                self._open.discard(request)
            count_thread_cpu(self.stand_in)

    def handle_error(self, request: socket | tuple[bytes, socket], client_address: Any) -> None:
        # A client that gave up (a test of timeouts) is not an error of the stand-in.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


_cpu_mark = threading.local()  # a connection thread's CPU time when the stand-in last counted it


def count_thread_cpu(stand_in: SlackStandIn) -> None:
    """Add the CPU this connection's thread spent since it was last counted (kept-open connections live long)."""
    now = time.thread_time()
    stand_in.count_cpu(now - getattr(_cpu_mark, "seconds", now))
    _cpu_mark.seconds = now


class _Handler(BaseHTTPRequestHandler):
    """Hands every request to the SlackStandIn that owns the server, on kept-open connections as Slack does."""

    server: _Server
    protocol_version = "HTTP/1.1"  # keep-alive unless the client says `Connection: close` (urllib does)
    timeout = 60  # a kept-open connection idle this long is closed, and its thread ends
    # Headers and body go out in two writes: with Nagle's algorithm the body waited for the client's delayed
    # ACK (40 ms a call) once connections stayed open.
    disable_nagle_algorithm = True

    def handle_one_request(self) -> None:
        """Serve one request of the connection, and count its CPU."""
        try:
            super().handle_one_request()
        finally:
            count_thread_cpu(self.server.stand_in)

    def _serve(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        headers = {k.lower(): v for k, v in self.headers.items()}
        status, reply_headers, reply = self.server.stand_in.handle(
            self.command, self.path, headers, body)
        self.send_response(status)
        for name, value in reply_headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(reply)))
        self.end_headers()
        self.wfile.write(reply)

    do_GET = do_POST = do_PUT = _serve

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output clean; the transcript records every call instead."""
