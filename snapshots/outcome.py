"""Fetch outcomes: what each attempt to fetch a source came to, and since when a page is away.

An attempt ends in one of three ways: a page (2xx, or 304 for an unchanged one); an HTTP error
answer, stored as a capture with its status (404, 410, 429, 5xx); or no answer worth storing,
recorded as a failure (DNS, time-out, refused, robots.txt, ...). The last two are fetch
outcomes, never composition events: the report, the feed and the run summary say how long the
page has been away ("page gone: HTTP 404 since …", "page not reachable since …"), and `track`
exits non-zero.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Protocol


class _Capture(Protocol):
    fetched_at: str
    status: int
    reason: str | None
    url: str


class _Failure(Protocol):
    at: str
    kind: str
    message: str


@dataclass(frozen=True)
class Attempt:
    """One fetch of a source, as the index remembers it."""

    at: str
    status: int | None  # HTTP status; None when nothing worth storing came back
    kind: str  # "page", an HTTP failure kind (see `http_kind`) or a FetchError kind
    message: str  # one line: what happened and what to do

    @property
    def ok(self) -> bool:
        return self.kind == "page"


def http_kind(status: int) -> str:
    """page (2xx, 304), gone (404, 410), rate_limited (429), server_error (5xx) or http_error."""
    if 200 <= status < 300 or status == 304:
        return "page"
    if status in (404, 410):
        return "gone"
    if status == 429:
        return "rate_limited"
    if status >= 500:
        return "server_error"
    return "http_error"


def http_message(url: str, status: int, reason: str | None) -> str:
    """One line for an HTTP error answer: what it means and what to do."""
    answered = f"{url} answered HTTP {status} {reason or ''}".rstrip()
    match http_kind(status):
        case "gone":
            return f"{answered}: check whether the page moved and update the source's url in sources.toml"
        case "rate_limited":
            return f"{answered}: the site asks rosterwatch to slow down; try again later"
        case "server_error":
            return f"{answered} (a server error): try again later, and tell the site's maintainers if it lasts"
    return f"{answered}: check the source's url in sources.toml"


def attempts(captures: Iterable[_Capture], failures: Iterable[_Failure]) -> list[Attempt]:
    """Every fetch of one source from its captures and failures, oldest first."""
    found = [
        Attempt(c.fetched_at, c.status, http_kind(c.status), http_message(c.url, c.status, c.reason)) for c in captures
    ]
    found += [Attempt(f.at, None, f.kind, f.message) for f in failures]
    return sorted(found, key=lambda a: a.at)


@dataclass(frozen=True)
class Away:
    """A source whose latest fetches all failed: since when, and how the latest one failed."""

    source: str
    since: str  # the first failed attempt after the last good one
    last: str  # the latest attempt
    count: int  # failed attempts since `since`
    status: int | None  # HTTP status of the latest attempt, if there was an answer
    kind: str  # of the latest attempt
    message: str  # of the latest attempt

    @property
    def headline(self) -> str:
        """"page gone: HTTP 404 since …" or "page not reachable since …"."""
        if self.kind == "gone":
            return f"page gone: HTTP {self.status} since {self.since}"
        return f"page not reachable since {self.since}"

    @property
    def line(self) -> str:
        """The headline and what happened, on one line."""
        return f"{self.headline}: {self.message}"


def away(source: str, history: Iterable[Attempt]) -> Away | None:
    """The failed streak at the end of a source's attempts; None if its latest attempt got the page."""
    streak: list[Attempt] = []
    for attempt in sorted(history, key=lambda a: a.at):
        streak = [] if attempt.ok else [*streak, attempt]
    if not streak:
        return None
    latest = streak[-1]
    return Away(source, streak[0].at, latest.at, len(streak), latest.status, latest.kind, latest.message)
