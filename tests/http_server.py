"""A scripted HTTP server on 127.0.0.1 for tests that need real sockets.

Each path gets a sequence of `Reply` objects: the n-th request to the path gets the
n-th reply, and the last one repeats. Unknown paths get 404 (so a missing robots.txt
reads as "no rules"). Every request is logged with its headers and arrival time, so
tests can assert what was sent and how long a client waited between attempts.

POST requests (webhooks, notifications) are logged with their body and answered the same way.
Like a real server it answers a conditional GET with 304 when If-None-Match equals the
reply's ETag or If-Modified-Since equals its Last-Modified. It counts the requests it is
answering at once (`peak_in_flight`), and may listen on another loopback address
(`ScriptedServer(host="127.0.0.2")`) to stand for a second host.

Bad servers, for the fault tests: `drip` sends the body (with `drip_head`, the status line and
headers too) one byte every `drip` seconds; `truncate=N` declares the whole body's length but
sends only its first N bytes and hangs up; `declared_length` states any Content-Length;
`raw_head` replaces the status line and headers with any bytes.

    def test_something(http_server):
        http_server.route("/page", Reply(500), Reply(body="<p>ok</p>"))
        http_server.robots("User-agent: *\\nDisallow: /private/")
        fetch(http_server.url("/page"), policy=FetchPolicy(allow_private=True))  # 127.0.0.1 is private
        assert len(http_server.requests_to("/page")) == 2

Outside pytest: `with ScriptedServer() as server: ...`.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from email.utils import formatdate
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Reply:
    """One scripted answer. `delay` stalls before the status line, `body_delay` after the headers."""

    status: int = 200
    body: bytes | str = b""
    headers: tuple[tuple[str, str], ...] | dict[str, str] = ()
    content_type: str | None = HTML
    delay: float = 0.0
    body_delay: float = 0.0
    content_length: bool = True
    drip: float = 0.0
    drip_head: bool = False
    truncate: int | None = None
    declared_length: int | None = None
    raw_head: bytes | None = None  # sent instead of the status line and headers

    @classmethod
    def redirect(cls, location: str, status: int = 302) -> Reply:
        return cls(status=status, headers={"Location": location}, content_type=None)

    def header_items(self) -> list[tuple[str, str]]:
        items = list(self.headers.items() if isinstance(self.headers, dict) else self.headers)
        if self.content_type is not None:
            items.insert(0, ("Content-Type", self.content_type))
        return items

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.header_items() if k.lower() == name.lower()), None)

    def payload(self) -> bytes:
        return self.body.encode("utf-8") if isinstance(self.body, str) else self.body


@dataclass(frozen=True)
class LoggedRequest:
    method: str
    path: str
    headers: tuple[tuple[str, str], ...]
    at: float  # time.monotonic() on arrival
    body: bytes = b""  # what a POST sent

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


@dataclass
class ScriptedServer:
    """Threaded HTTP/1.1 server on an ephemeral port of 127.0.0.1."""

    routes: dict[str, list[Reply]] = field(default_factory=dict)
    requests: list[LoggedRequest] = field(default_factory=list)
    host: str = "127.0.0.1"  # any 127.x.y.z: a second local "host" for per-host politeness
    in_flight: int = 0  # requests being answered right now
    peak_in_flight: int = 0  # the most answered at once so far
    _served: dict[str, int] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _httpd: ThreadingHTTPServer | None = None
    stopped: bool = False

    def route(self, path: str, *replies: Reply) -> None:
        """Script the answers for `path` (query string included, if the client sends one)."""
        self.routes[path] = list(replies) or [Reply()]
        self._served[path] = 0

    def robots(self, text: str, status: int = 200) -> None:
        self.route("/robots.txt", Reply(status=status, body=text, content_type="text/plain"))

    @property
    def port(self) -> int:
        assert self._httpd is not None, "server not started"
        return self._httpd.server_address[1]

    def url(self, path: str = "/", host: str | None = None) -> str:
        """URL of `path`; host="localhost" reaches a server on 127.0.0.1 under another host name."""
        return f"http://{host or self.host}:{self.port}{path}"

    def requests_to(self, path: str) -> list[LoggedRequest]:
        with self._lock:
            return [r for r in self.requests if r.path == path]

    def next_reply(self, request: LoggedRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            replies = self.routes.get(request.path)
            if replies is None:
                return Reply(status=404, body="not found", content_type="text/plain")
            served = self._served[request.path]
            self._served[request.path] = served + 1
        reply = replies[min(served, len(replies) - 1)]
        return _not_modified(reply) if _matches_validators(reply, request) else reply

    def start(self) -> ScriptedServer:
        self._httpd = _QuietServer((self.host, 0), _handler_for(self))
        self._httpd.daemon_threads = True
        threading.Thread(target=self._httpd.serve_forever, args=(0.05,), daemon=True).start()
        return self

    def stop(self) -> None:
        self.stopped = True
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()

    def __enter__(self) -> ScriptedServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


class _QuietServer(ThreadingHTTPServer):
    def handle_error(self, request, client_address) -> None:
        """A client that hangs up (a fetch cut at its deadline) is expected here, not a server error."""


def _matches_validators(reply: Reply, request: LoggedRequest) -> bool:
    if reply.status != 200:
        return False
    etag, since = request.header("If-None-Match"), request.header("If-Modified-Since")
    if etag is not None:
        return etag == reply.header("ETag")
    return since is not None and since == reply.header("Last-Modified")


def _not_modified(reply: Reply) -> Reply:
    kept = tuple((k, v) for k, v in reply.header_items() if k.lower() in {"etag", "last-modified"})
    return Reply(status=304, headers=kept, content_type=None, delay=reply.delay)


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _handler_for(server: ScriptedServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            self._answer(LoggedRequest("GET", self.path, tuple(self.headers.items()), time.monotonic()))

        def do_POST(self) -> None:
            body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
            self._answer(LoggedRequest("POST", self.path, tuple(self.headers.items()), time.monotonic(), body))

        def _answer(self, logged: LoggedRequest) -> None:
            with server._lock:
                server.in_flight += 1
                server.peak_in_flight = max(server.peak_in_flight, server.in_flight)
            try:
                self._reply(server.next_reply(logged))
            finally:
                with server._lock:
                    server.in_flight -= 1

        def _reply(self, reply: Reply) -> None:
            time.sleep(reply.delay)
            body = b"" if reply.status == 304 else reply.payload()
            head = [f"HTTP/1.1 {reply.status} {_reason(reply.status)}", "Server: scripted", f"Date: {formatdate(usegmt=True)}"]
            head += [f"{name}: {value}" for name, value in reply.header_items()]
            sent = body if reply.truncate is None else body[: reply.truncate]
            if not reply.content_length or reply.truncate is not None:
                head.append("Connection: close")
                self.close_connection = True
            if reply.declared_length is not None:
                head.append(f"Content-Length: {reply.declared_length}")
            elif reply.content_length and reply.status != 304:
                head.append(f"Content-Length: {len(body)}")
            raw_head = reply.raw_head or ("\r\n".join(head) + "\r\n\r\n").encode("latin-1", errors="replace")
            try:
                self._send(raw_head, reply.drip if reply.drip_head else 0.0)
                time.sleep(reply.body_delay)
                self._send(sent, reply.drip)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True

        def _send(self, data: bytes, drip: float) -> None:
            if not drip:
                self.wfile.write(data)
                self.wfile.flush()
                return
            for i in range(len(data)):
                if server.stopped:
                    raise BrokenPipeError
                self.wfile.write(data[i : i + 1])
                self.wfile.flush()
                time.sleep(drip)

        def log_message(self, format: str, *args: object) -> None:
            """Silence the per-request stderr line; the request log is the record."""

    return Handler


@pytest.fixture
def http_server():
    """A started ScriptedServer, stopped after the test."""
    with ScriptedServer() as server:
        yield server
