"""Polite fetching of one page: robots.txt, retries, a size cap and redirects kept on allowed hosts.

`fetch` returns every final HTTP answer (200, 304, 404, 5xx once retries are spent) as a
`FetchResult` for the caller to record, and raises `FetchError` only when there is nothing
worth storing: no answer at all, a robots.txt refusal, a body over the cap, a redirect off the
source's hosts, or a body that is not HTML.

Retries are a short loop here rather than urllib3's `Retry`, because the Retry-After wait must be
capped and a time-out while reading the body must be retried like one before the headers.
The session asks for `Accept-Encoding: identity` so that the stored body is the payload exactly as
sent and the headers stored beside it describe it truthfully (no Content-Encoding to undo).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

import requests
import urllib3

from snapshots.charset import choose_charset, decode
from snapshots.robots import Robots, robots_from_response, robots_url

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "rosterwatch/0.1 (+https://github.com/rosterwatch/rosterwatch)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HTTP_VERSIONS = {9: "HTTP/0.9", 10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}

FetchErrorKind = Literal[
    "unreachable",
    "timeout",
    "robots_disallowed",
    "too_large",
    "off_host_redirect",
    "not_html",
    "too_many_redirects",
]


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how patiently to fetch; tests shrink the waits, nothing else changes."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 30.0
    max_bytes: int = 5_000_000
    max_retries: int = 3  # extra attempts after the first
    backoff_factor: float = 1.0  # wait before retry n (0-based): backoff_factor * 2**n seconds
    max_retry_wait: float = 120.0  # cap on any single wait, Retry-After included
    max_redirects: int = 5
    respect_robots: bool = True

    @property
    def timeout(self) -> tuple[float, float]:
        return (self.connect_timeout, self.read_timeout)


class FetchError(Exception):
    """No answer worth storing; str() is one line naming the URL and what to do."""

    def __init__(self, kind: FetchErrorKind, url: str, message: str):
        super().__init__(message)
        self.kind = kind
        self.url = url


@dataclass(frozen=True)
class FetchResult:
    """One final HTTP answer with what the snapshot store needs to write request and response."""

    url: str
    final_url: str
    status: int
    reason: str
    headers: tuple[tuple[str, str], ...]  # as received; repeats of a name sit at its first place
    request_headers: tuple[tuple[str, str], ...]
    body: bytes
    fetched_at: datetime
    redirects: tuple[str, ...]  # every URL that answered with a redirect, in order
    content_type: str | None
    charset: str | None  # None only when there is no body to decode (304)
    http_version: str
    charset_source: str | None = None  # "header", "bom", "meta" or "detected" (snapshots.charset)

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def etag(self) -> str | None:
        return header_value(self.headers, "ETag")

    @property
    def last_modified(self) -> str | None:
        return header_value(self.headers, "Last-Modified")

    def text(self) -> str:
        return decode(self.body, self.charset)


def header_value(headers: Iterable[tuple[str, str]], name: str) -> str | None:
    return next((value for key, value in headers if key.lower() == name.lower()), None)


def make_session(policy: FetchPolicy = FetchPolicy()) -> requests.Session:
    """A session that names rosterwatch and asks for HTML, uncompressed (see module docstring)."""
    session = requests.Session()
    session.headers.update(
        {
            "User-Agent": policy.user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9",
            "Accept-Encoding": "identity",
        }
    )
    session.max_redirects = policy.max_redirects
    return session


def fetch(
    url: str,
    *,
    allowed_hosts: Iterable[str],
    etag: str | None = None,
    last_modified: str | None = None,
    policy: FetchPolicy = FetchPolicy(),
    session: requests.Session | None = None,
) -> FetchResult:
    """GET `url` politely, following redirects only onto `allowed_hosts` (host names, no ports).

    `etag` and `last_modified` come from the last stored capture; a 304 answer comes back with
    `not_modified` true and an empty body.
    """
    if session is None:
        with make_session(policy) as own:
            return fetch(
                url,
                allowed_hosts=allowed_hosts,
                etag=etag,
                last_modified=last_modified,
                policy=policy,
                session=own,
            )
    hosts = frozenset(host.lower().rstrip(".") for host in allowed_hosts)
    if not host_allowed(url, hosts):
        raise ValueError(
            f"{url} is not on the allowed hosts {sorted(hosts)}: "
            "add its host to the source's allowed hosts"
        )
    headers = {"User-Agent": policy.user_agent, **conditional_headers(etag, last_modified)}
    sites: dict[str, Robots] = {}
    hops: list[str] = []
    current = url
    while True:
        if policy.respect_robots:
            _check_robots(session, current, url, policy, sites)
        answer = _request(session, current, headers, policy, page=url, require_html=True)
        target = redirect_target(answer.response.status_code, answer.response.headers, current)
        if target is None:
            return _result(url, current, tuple(hops), answer)
        if not host_allowed(target, hosts):
            raise FetchError(
                "off_host_redirect",
                url,
                f"{current} redirects to {target}, outside the allowed hosts {sorted(hosts)}: "
                "add that host to the source if it is the same body, or update the source URL; "
                "nothing was stored",
            )
        hops.append(current)
        if len(hops) > policy.max_redirects:
            raise FetchError(
                "too_many_redirects",
                url,
                f"{url} redirected more than {policy.max_redirects} times (last to {target}): "
                "update the source URL; nothing was stored",
            )
        current = target


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    pairs = (("If-None-Match", etag), ("If-Modified-Since", last_modified))
    return {name: value for name, value in pairs if value}


def host_allowed(url: str, hosts: frozenset[str]) -> bool:
    parts = urlsplit(url)
    return parts.scheme in ("http", "https") and (parts.hostname or "").rstrip(".") in hosts


def redirect_target(status: int, headers: Mapping[str, str], url: str) -> str | None:
    location = headers.get("Location")
    if status not in REDIRECT_STATUSES or not location:
        return None
    return urljoin(url, location)


def parse_content_type(value: str | None) -> tuple[str | None, str | None]:
    """Media type and charset parameter of a Content-Type header, both lower-case."""
    if not value:
        return None, None
    message = Message()
    message["Content-Type"] = value
    (media_type, _), *params = message.get_params()
    charset = dict((key.lower(), val) for key, val in params).get("charset")
    return media_type.lower(), charset.lower() if charset else None


def retry_after_seconds(value: str | None, now: datetime) -> float | None:
    """Seconds a Retry-After header asks for (delta seconds or HTTP date); None if absent or garbled."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - now).total_seconds())


def retry_wait(attempt: int, retry_after: str | None, policy: FetchPolicy, now: datetime) -> float:
    """Wait before retry `attempt` (0-based): the server's Retry-After if given, else backoff; capped."""
    asked = retry_after_seconds(retry_after, now)
    wait = asked if asked is not None else policy.backoff_factor * 2**attempt
    return min(wait, policy.max_retry_wait)


def should_retry(status: int) -> bool:
    return status == 429 or status >= 500


@dataclass(frozen=True)
class _Answer:
    response: requests.Response  # closed; headers and status remain readable
    body: bytes
    started_at: datetime


_TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


def _request(
    session: requests.Session,
    url: str,
    headers: dict[str, str],
    policy: FetchPolicy,
    *,
    page: str,
    require_html: bool,
    follow: bool = False,
) -> _Answer:
    """One GET with retries on no answer, 429 and 5xx; the last answer is returned with its body.

    `page` is the URL the caller asked for (differs from `url` for robots.txt); errors carry it.
    """
    attempt = 0
    while True:
        started_at = datetime.now(UTC)
        try:
            response = session.get(
                url, headers=headers, timeout=policy.timeout, stream=True, allow_redirects=follow
            )
            if should_retry(response.status_code) and attempt < policy.max_retries:
                retry_after = response.headers.get("Retry-After")
                wait = retry_wait(attempt, retry_after, policy, datetime.now(UTC))
                response.close()
                log.warning("%s answered %s; retrying in %.1fs", url, response.status_code, wait)
            else:
                with response:
                    if require_html and 200 <= response.status_code < 300:
                        _refuse_non_html(response, url)
                    body = _read_capped(response, url, policy.max_bytes)
                return _Answer(response, body, started_at)
        except _TRANSIENT as exc:
            if attempt >= policy.max_retries:
                raise _network_error(page, url, exc, attempt + 1, policy) from exc
            wait = retry_wait(attempt, None, policy, started_at)
            log.warning("%s: %s; retrying in %.1fs", url, _root_reason(exc), wait)
        time.sleep(wait)
        attempt += 1


def _refuse_non_html(response: requests.Response, url: str) -> None:
    media_type, _ = parse_content_type(response.headers.get("Content-Type"))
    if media_type is not None and media_type not in HTML_TYPES:
        raise FetchError(
            "not_html",
            url,
            f"{url} is {media_type}, not an HTML page: point the source at the web page itself; "
            "nothing was stored",
        )


def _read_capped(response: requests.Response, url: str, max_bytes: int) -> bytes:
    """The body, streamed, refusing it as soon as it is known to exceed `max_bytes`."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(url, max_bytes, f"it declares {declared} bytes")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=64 * 1024):
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(url, max_bytes, f"more than {max_bytes} bytes arrived")
        chunks.append(chunk)
    return b"".join(chunks)


def _too_large(url: str, max_bytes: int, why: str) -> FetchError:
    return FetchError(
        "too_large",
        url,
        f"{url} is larger than the {max_bytes}-byte cap ({why}): nothing was stored; "
        "raise max_bytes if the page really is that big",
    )


def _check_robots(
    session: requests.Session, url: str, page: str, policy: FetchPolicy, sites: dict[str, Robots]
) -> None:
    """Raise robots_disallowed unless the site's robots.txt lets rosterwatch fetch `url`.

    `sites` caches each site's rules for the redirects of one fetch; `page` is the URL asked for.
    """
    where = robots_url(url)
    if where not in sites:
        sites[where] = _fetch_robots(session, where, page, policy)
    if not sites[where].allows(policy.user_agent, url):
        raise FetchError("robots_disallowed", page, sites[where].refusal(url))


def _fetch_robots(session: requests.Session, where: str, page: str, policy: FetchPolicy) -> Robots:
    headers = {"User-Agent": policy.user_agent}
    try:
        answer = _request(session, where, headers, policy, page=page, require_html=False, follow=True)
    except requests.TooManyRedirects:
        return robots_from_response(where, None, b"")
    return robots_from_response(where, answer.response.status_code, answer.body)


def _result(url: str, final_url: str, redirects: tuple[str, ...], answer: _Answer) -> FetchResult:
    response = answer.response
    content_type, header_charset = parse_content_type(response.headers.get("Content-Type"))
    charset, charset_source = (
        (None, None) if response.status_code == 304 else choose_charset(header_charset, answer.body)
    )
    return FetchResult(
        url=url,
        final_url=final_url,
        status=response.status_code,
        reason=response.reason or "",
        headers=tuple(response.raw.headers.items()),
        request_headers=(("Host", urlsplit(final_url).netloc), *response.request.headers.items()),
        body=answer.body,
        fetched_at=answer.started_at,
        redirects=redirects,
        content_type=content_type,
        charset=charset,
        http_version=HTTP_VERSIONS.get(response.raw.version, "HTTP/1.1"),
        charset_source=charset_source,
    )


def _network_error(
    page: str, url: str, exc: Exception, attempts: int, policy: FetchPolicy
) -> FetchError:
    host = urlsplit(url).hostname or url
    where = url if url == page else f"{url}, before {page}"
    read_timeouts = (requests.ReadTimeout, urllib3.exceptions.ReadTimeoutError)
    if any(isinstance(e, read_timeouts) for e in _chain(exc)):
        return FetchError(
            "timeout",
            page,
            f"{host} did not answer within {policy.read_timeout}s ({attempts} attempts at {where}): "
            "try again later or raise read_timeout; nothing was stored",
        )
    return FetchError(
        "unreachable",
        page,
        f"cannot reach {host} ({_root_reason(exc)}; {attempts} attempts at {where}): "
        "check the network; nothing was stored",
    )


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and what it wraps, through requests' args, urllib3's .reason and __cause__."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        wrapped = (
            current.args[0] if current.args else None,
            getattr(current, "reason", None),
            current.__cause__,
            current.__context__,
        )
        current = next((e for e in wrapped if isinstance(e, BaseException)), None)


def _root_reason(exc: BaseException) -> str:
    root = list(_chain(exc))[-1]
    text = getattr(root, "strerror", None) or str(root) or type(root).__name__
    return " ".join(text.split())[:160]
