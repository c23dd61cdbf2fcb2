"""robots.txt rules for one site, read as RFC 9309 says.

- 2xx: the file's rules apply.
- 4xx other than 429 (404 above all): the file is "unavailable", everything is allowed.
- 429 and 5xx after retries: the site is "unreachable", everything is disallowed until it answers.
- Redirect loops, more than five redirects, or a redirect off the source's allowed hosts (not
  followed): unavailable, everything allowed (RFC 9309 2.3.1.2).
- A robots.txt that cannot be fetched at all (no connection, time-outs) never gets here: the
  fetcher reports the host as unreachable and fetches nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit
from urllib.robotparser import RobotFileParser


def robots_url(url: str) -> str:
    """The robots.txt that governs `url` (same scheme, host and port)."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/robots.txt", "", ""))


def site_refuses_all(status: int) -> bool:
    return status == 429 or status >= 500


@dataclass(frozen=True)
class Robots:
    """The rules of one site and the robots.txt status they came from (for the refusal message)."""

    url: str
    status: int | None  # None: the robots.txt redirected in circles or off the allowed hosts
    parser: RobotFileParser

    def allows(self, user_agent: str, url: str) -> bool:
        return self.parser.can_fetch(user_agent, url)

    def refusal(self, url: str) -> str:
        if self.status is not None and site_refuses_all(self.status):
            return (
                f"{self.url} answered {self.status}, so the whole site counts as disallowed "
                f"(RFC 9309): {url} was not fetched; try again later; nothing was stored"
            )
        return (
            f"{self.url} disallows {url} for rosterwatch: it was not fetched; "
            "ask the site to allow it or remove the source; nothing was stored"
        )


def robots_from_response(url: str, status: int | None, body: bytes) -> Robots:
    parser = RobotFileParser(url)
    if status is not None and 200 <= status < 300:
        parser.parse(body.decode("utf-8", errors="replace").splitlines())
    elif status is not None and site_refuses_all(status):
        parser.disallow_all = True
    else:
        parser.allow_all = True
    return Robots(url=url, status=status, parser=parser)
