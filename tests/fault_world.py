"""A world of bad web servers on 127.0.0.1 and a sources.toml with one source for each.

`tests/test_faults.py` tracks them all in one `rosterwatch track` run and checks that each
bad answer gives one line, a fetch outcome and no event; `make faults` runs that and the kill
trials (`tests/test_faults_long.py`). Each source sits on its own scripted server where its
robots.txt matters, so one site's robots.txt cannot decide another case.
"""

from __future__ import annotations

import socket
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path

from tests.http_server import Reply, ScriptedServer

HISTORY = Path(__file__).parent / "fixtures" / "history"
PAGE = (HISTORY / "fagrad-pm" / "2024-05-28.html").read_bytes()
DEADLINE = 3.0  # seconds per fetch in the fault runs (ROSTERWATCH_FETCH_DEADLINE); the default is 30


@dataclass(frozen=True)
class Case:
    """One bad answer: the source id, what the run must say about it, and whether it is tracked."""

    id: str
    says: str  # a phrase the source's one line must contain
    tracked: bool = False  # the page is fetched fine despite the fault (robots redirects)
    gone: bool = False  # "page gone: HTTP 4xx since …" rather than "page not reachable since …"


@dataclass
class World:
    servers: dict[str, ScriptedServer] = field(default_factory=dict)
    cases: dict[str, Case] = field(default_factory=dict)
    urls: dict[str, str] = field(default_factory=dict)
    allowed: dict[str, list[str]] = field(default_factory=dict)

    def sources_toml(self) -> str:
        tables = []
        for case_id, url in self.urls.items():
            tables.append(
                f'[sources.{case_id}]\nname = "Fault {case_id}"\nurl = "{url}"\nlanguage = "nn"\n'
                f"allowed_hosts = {self.allowed.get(case_id, [])!r}\nallow_private = true\n".replace("'", '"')
            )
        return "\n".join(tables)

    @property
    def failing(self) -> list[Case]:
        return [c for c in self.cases.values() if not c.tracked]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def build(stack: ExitStack) -> World:
    """Start the servers (closed by `stack`) and script every case."""
    world = World()

    def server(name: str) -> ScriptedServer:
        world.servers[name] = stack.enter_context(ScriptedServer())
        return world.servers[name]

    main = server("main")

    def case(case_id: str, says: str, reply: Reply | None = None, *, on: ScriptedServer = main, url: str | None = None,
             allowed: list[str] | None = None, **flags) -> None:
        path = f"/{case_id}"
        if reply is not None:
            on.route(path, reply)
        world.urls[case_id] = url or on.url(path)
        world.cases[case_id] = Case(case_id, says, **flags)
        if allowed:
            world.allowed[case_id] = allowed

    case("ok", "", Reply(body=PAGE), tracked=True)
    case("drip-body", "deadline", Reply(body=PAGE, drip=1.0))
    case("drip-head", "deadline", Reply(body=PAGE, drip=0.5, drip_head=True))
    case("stall", "deadline", Reply(body=PAGE, delay=60))
    case("rate-limited", "HTTP 429", Reply(429, body="slow down", headers={"Retry-After": "86400"}))
    case("gone-404", "page gone: HTTP 404 since", Reply(404, body="<h1>Not found</h1>"), gone=True)
    case("gone-410", "page gone: HTTP 410 since", Reply(410, body="<h1>Gone</h1>"), gone=True)
    case("down-503", "HTTP 503", Reply(503, body="<h1>Maintenance</h1>"))
    case("down-500-retry-after", "HTTP 500", Reply(500, body="oops", headers={"Retry-After": "3600"}))
    case("truncated", "cut its answer off", Reply(body=PAGE, truncate=200))
    case("huge-header", "headers over the size limit", Reply(body=PAGE, headers={"X-Padding": "a" * 70_000}))
    case("many-headers", "headers over the size limit", Reply(body=PAGE, headers={f"X-H{i}": "x" for i in range(150)}))
    case("too-large", "it declares 99000000 bytes", Reply(body=b"x" * 100, declared_length=99_000_000, truncate=100))
    case("streamed-too-large", "byte cap", Reply(body=b"<p>x</p>" * 800_000, content_length=False))
    case("not-html", "not an HTML page", Reply(body=b"%PDF-1.7", content_type="application/pdf"))
    case("dns", "its name does not resolve", url="http://rosterwatch-fault-test.invalid/page")
    case("refused", "refused the connection", url=f"http://127.0.0.1:{closed_port()}/page")
    other = server("other-port")
    other.route("/elsewhere", Reply(body=PAGE))
    case("other-port", "outside the allowed hosts", Reply.redirect(other.url("/elsewhere")))
    case("suffix-host", "outside the allowed hosts", Reply.redirect("http://evil-helsedirektoratet.no/page"),
         allowed=["helsedirektoratet.no"])
    main.route("/loop-a", Reply.redirect("/loop-b"))
    main.route("/loop-b", Reply.redirect("/loop-a"))
    case("redirect-loop", "redirected more than", url=main.url("/loop-a"))
    case("flaky-then-ok", "", Reply(503, body="busy"), tracked=True)
    main.route("/flaky-then-ok", Reply(503, body="busy"), Reply(body=PAGE))

    robots_away = server("robots-redirect")
    robots_target = server("robots-target")
    robots_target.robots("User-agent: *\nDisallow: /\n")
    robots_away.route("/robots.txt", Reply.redirect(robots_target.url("/robots.txt")))
    case("robots-redirect", "", Reply(body=PAGE), on=robots_away, tracked=True)
    busy = server("robots-429")
    busy.route("/robots.txt", Reply(429, body="slow down", content_type="text/plain"))
    case("robots-429", "answered 429", Reply(body=PAGE), on=busy)
    down = server("robots-503")
    down.route("/robots.txt", Reply(503, body="down", content_type="text/plain"))
    case("robots-503", "answered 503", Reply(body=PAGE), on=down)
    closed = server("robots-disallow")
    closed.robots("User-agent: *\nDisallow: /\n")
    case("robots-disallow", "disallows", Reply(body=PAGE), on=closed)
    return world
