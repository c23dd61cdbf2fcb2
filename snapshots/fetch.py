"""Polite fetching of one page: robots.txt, retries, a size cap, a deadline and safe addresses.

`fetch` returns every final HTTP answer (200, 304, 404, 5xx once retries are spent) as a
`FetchResult` for the caller to record, and raises `FetchError` only when there is nothing
worth storing: no answer at all, a robots.txt refusal, a body over the cap, a redirect off the
source's hosts, a private address, or a body that is not HTML. Its `kind` names what happened
(dns, refused, timeout, truncated, headers_too_large, ...), and its message is one line naming
the URL and what to do.

One fetch (robots.txt, redirects, retries and the waits between them) ends within
`FetchPolicy.deadline` seconds, however slowly the server answers: a watchdog shuts the
fetch's sockets down when the deadline passes, so a server dripping one byte a second cannot
hold a run. Retries happen only where they can help (a time-out, a refused or reset
connection, a cut-off body, 429 and 5xx), never after a DNS failure or oversized headers, and
never by waiting past the deadline or longer than `max_retry_wait` for a Retry-After.

Every connection goes through `snapshots.addresses`' rules: redirects (robots.txt's included)
stay on the allowed hosts, host and port; a host that resolves to a private, loopback or
link-local address is refused unless the policy allows it, checked again on the connected
socket so a DNS answer that changes in between does not slip through.

Retries are a short loop here rather than urllib3's `Retry`, because the Retry-After wait must be
capped and a time-out while reading the body must be retried like one before the headers.
The session asks for `Accept-Encoding: identity` so that the stored body is the payload exactly as
sent and the headers stored beside it describe it truthfully (no Content-Encoding to undo).
"""

from __future__ import annotations

import errno
import http.client
import ipaddress
import logging
import socket
import ssl
import threading
import time
from collections.abc import Iterable, Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import Message
from email.utils import parsedate_to_datetime
from typing import Literal
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from requests.adapters import DEFAULT_POOLBLOCK, HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

from snapshots import addresses
from snapshots.charset import choose_charset, decode
from snapshots.robots import Robots, robots_from_response, robots_url

log = logging.getLogger(__name__)

DEFAULT_USER_AGENT = "rosterwatch/0.1 (+https://github.com/rosterwatch/rosterwatch)"
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
REDIRECT_STATUSES = frozenset({301, 302, 303, 307, 308})
HTTP_VERSIONS = {9: "HTTP/0.9", 10: "HTTP/1.0", 11: "HTTP/1.1", 20: "HTTP/2"}
ROBOTS_REDIRECTS = 5  # RFC 9309 2.3.1.2: follow at least five, then treat robots.txt as unavailable
DEFAULT_DEADLINE = 30.0

FetchErrorKind = Literal[
    "dns",
    "refused",
    "unreachable",
    "reset",
    "protocol",
    "timeout",
    "truncated",
    "headers_too_large",
    "tls",
    "private_address",
    "robots_disallowed",
    "too_large",
    "off_host_redirect",
    "not_html",
    "too_many_redirects",
]
RETRYABLE = frozenset({"timeout", "refused", "reset", "truncated"})


@dataclass(frozen=True)
class FetchPolicy:
    """How politely and how patiently to fetch; tests shrink the waits, nothing else changes."""

    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    deadline: float = DEFAULT_DEADLINE  # the whole fetch: robots.txt, redirects, retries, waits
    max_bytes: int = 5_000_000
    max_retries: int = 3  # extra attempts after the first
    backoff_factor: float = 1.0  # wait before retry n (0-based): backoff_factor * 2**n seconds
    max_retry_wait: float = 10.0  # the longest single wait; a longer Retry-After is not waited for
    max_redirects: int = 5
    respect_robots: bool = True
    allow_private: bool = False  # connect to private, loopback and link-local addresses

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
    """A session that names rosterwatch, asks for HTML uncompressed (see module docstring) and
    opens its connections through the deadline and address guard of the fetch in progress."""
    session = requests.Session()
    session.headers.update(
        {
            "User-Agent": policy.user_agent,
            "Accept": "text/html,application/xhtml+xml;q=0.9",
            "Accept-Encoding": "identity",
        }
    )
    session.max_redirects = policy.max_redirects
    for prefix in ("http://", "https://"):
        session.mount(prefix, _GuardedAdapter())
    return session


def fetch(
    url: str,
    *,
    allowed_hosts: Iterable[str] = (),
    etag: str | None = None,
    last_modified: str | None = None,
    policy: FetchPolicy = FetchPolicy(),
    require_html: bool = True,
) -> FetchResult:
    """GET `url` politely, following redirects only onto its own host and port or `allowed_hosts`
    (entries `host` for the default port, `host:port` for another; see `snapshots.addresses`).

    `etag` and `last_modified` come from the last stored capture; a 304 answer comes back with
    `not_modified` true and an empty body. `require_html=False` takes any media type (the
    Internet Archive's CDX answer is JSON) under the same deadline, caps and address rules.
    """
    hosts = allowed_entries(url, allowed_hosts)
    headers = {"User-Agent": policy.user_agent, **conditional_headers(etag, last_modified)}
    sites: dict[str, Robots] = {}
    hops: list[str] = []
    current = url
    with make_session(policy) as session, _Guard(policy, url) as guard:
        while True:
            if policy.respect_robots:
                _check_robots(session, current, url, policy, guard, hosts, sites)
            answer = _request(session, current, headers, policy, guard, page=url, require_html=require_html)
            target = redirect_target(answer.response.status_code, answer.response.headers, current)
            if target is None:
                return _result(url, current, tuple(hops), answer)
            if not addresses.allowed(target, hosts):
                raise FetchError(
                    "off_host_redirect",
                    url,
                    f"{current} redirects to {target}, outside the allowed hosts {_shown(hosts)}: "
                    "add that host (with its port, if not the default) to the source if it is the same "
                    "body, or update the source URL; nothing was stored",
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


def allowed_entries(url: str, allowed_hosts: Iterable[str]) -> frozenset[tuple[str, int | None]]:
    """The parsed allowed hosts of a fetch: `url`'s own host and port, and `allowed_hosts`."""
    own = addresses.authority(url)
    if own is None:
        raise ValueError(f"{url} is not an http(s) URL with a host")
    entries = {own}
    for entry in allowed_hosts:
        parsed = addresses.parse_entry(entry)
        if parsed is None:
            raise ValueError(f"allowed host {entry!r} is not a host name or host:port")
        entries.add(parsed)
    return frozenset(entries)


def _shown(hosts: frozenset[tuple[str, int | None]]) -> list[str]:
    return sorted(host if port is None else f"{host}:{port}" for host, port in hosts)


def conditional_headers(etag: str | None, last_modified: str | None) -> dict[str, str]:
    pairs = (("If-None-Match", etag), ("If-Modified-Since", last_modified))
    return {name: value for name, value in pairs if value}


def redirect_target(status: int, headers: Mapping[str, str], url: str) -> str | None:
    location = headers.get("Location")
    if status not in REDIRECT_STATUSES or not location:
        return None
    try:
        return urljoin(url, location)
    except ValueError:  # garbled: kept as sent, so the allowed-hosts check refuses it
        return location


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


def retry_wait(attempt: int, retry_after: str | None, policy: FetchPolicy, now: datetime) -> float | None:
    """Wait before retry `attempt` (0-based): the server's Retry-After if given, else backoff.

    None when the server asks for more than `max_retry_wait`: retrying sooner than asked is
    impolite and pointless, so the answer stands and the run reports it.
    """
    asked = retry_after_seconds(retry_after, now)
    if asked is not None and asked > policy.max_retry_wait:
        return None
    wait = asked if asked is not None else policy.backoff_factor * 2**attempt
    return min(wait, policy.max_retry_wait)


def should_retry(status: int) -> bool:
    return status == 429 or status >= 500


@dataclass(frozen=True)
class _Answer:
    response: requests.Response  # closed; headers and status remain readable
    body: bytes
    started_at: datetime


def _request(
    session: requests.Session,
    url: str,
    headers: dict[str, str],
    policy: FetchPolicy,
    guard: _Guard,
    *,
    page: str,
    require_html: bool,
) -> _Answer:
    """One GET with retries where they can help; the last answer is returned with its body.

    `page` is the URL the caller asked for (differs from `url` for robots.txt); errors carry it.
    """
    attempt = 0
    while True:
        started_at = datetime.now(UTC)
        try:
            guard.check()
            response = session.get(
                url, headers=headers, timeout=guard.timeout(policy), stream=True, allow_redirects=False
            )
            with response:
                wait = None
                if should_retry(response.status_code) and attempt < policy.max_retries:
                    wait = retry_wait(attempt, response.headers.get("Retry-After"), policy, datetime.now(UTC))
                if wait is None or wait >= guard.remaining():
                    if require_html and 200 <= response.status_code < 300:
                        _refuse_non_html(response, url)
                    body = _read_capped(response, url, policy.max_bytes, guard)
                    return _Answer(response, body, started_at)
                log.warning("%s answered %s; retrying in %.1fs", url, response.status_code, wait)
        except AddressRefused as refused:
            raise _private_address(page, url, refused) from None
        except (requests.RequestException, http.client.HTTPException, OSError, ValueError, _DeadlinePassed) as exc:
            error = _network_error(page, url, exc, attempt + 1, policy, guard)
            wait = policy.backoff_factor * 2**attempt
            if error.kind not in RETRYABLE or guard.expired or attempt >= policy.max_retries or wait >= guard.remaining():
                raise error from exc
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


def _read_capped(response: requests.Response, url: str, max_bytes: int, guard: _Guard) -> bytes:
    """The body, streamed, refused as soon as it is known to exceed `max_bytes` (before reading a
    byte when the declared Content-Length says so), and abandoned when the deadline passes."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise _too_large(url, max_bytes, f"it declares {declared} bytes")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(chunk_size=64 * 1024):
        guard.check()
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
    session: requests.Session,
    url: str,
    page: str,
    policy: FetchPolicy,
    guard: _Guard,
    hosts: frozenset[tuple[str, int | None]],
    sites: dict[str, Robots],
) -> None:
    """Raise robots_disallowed unless the site's robots.txt lets rosterwatch fetch `url`.

    `sites` caches each site's rules for the redirects of one fetch; `page` is the URL asked for.
    """
    where = robots_url(url)
    if where not in sites:
        sites[where] = _fetch_robots(session, where, page, policy, guard, hosts)
    if not sites[where].allows(policy.user_agent, url):
        raise FetchError("robots_disallowed", page, sites[where].refusal(url))


def _fetch_robots(
    session: requests.Session,
    where: str,
    page: str,
    policy: FetchPolicy,
    guard: _Guard,
    hosts: frozenset[tuple[str, int | None]],
) -> Robots:
    """robots.txt under the page's rules: its redirects are followed only onto the allowed hosts.

    A redirect elsewhere, or more than five, leaves the site without a readable robots.txt,
    which RFC 9309 treats as "unavailable" (everything allowed); nothing is requested off-host.
    """
    headers = {"User-Agent": policy.user_agent}
    current = where
    for _ in range(ROBOTS_REDIRECTS + 1):
        answer = _request(session, current, headers, policy, guard, page=page, require_html=False)
        target = redirect_target(answer.response.status_code, answer.response.headers, current)
        if target is None:
            return robots_from_response(where, answer.response.status_code, answer.body)
        if not addresses.allowed(target, hosts):
            log.warning("%s redirects to %s, off the allowed hosts: not followed, read as unavailable", current, target)
            break
        current = target
    return robots_from_response(where, None, b"")


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
    page: str, url: str, exc: BaseException, attempts: int, policy: FetchPolicy, guard: _Guard
) -> FetchError:
    """A FetchError whose kind names what happened and whose message says what to do."""
    parts = urlsplit(url)
    host = parts.hostname or url
    where = url if url == page else f"{url}, before {page}"
    tries = f"{attempts} attempt{'s' if attempts > 1 else ''} at {where}"
    reason = _root_reason(exc)
    chain = list(_chain(exc))
    if guard.expired or guard.remaining() <= 0 or any(isinstance(e, _DeadlinePassed) for e in chain):
        return FetchError(
            "timeout",
            page,
            f"{where}: no complete answer within the {guard.seconds:g} s deadline ({tries}): "
            "try again later, or raise ROSTERWATCH_FETCH_DEADLINE if the site is only slow; nothing was stored",
        )
    if isinstance(exc, ValueError) and not isinstance(exc, OSError):  # requests could not read what came back
        return FetchError(
            "protocol",
            page,
            f"{where} answered something that cannot be read ({reason}), such as a garbled redirect: "
            "not retried; check the source's url; nothing was stored",
        )
    if any(isinstance(e, socket.gaierror) for e in chain):
        return FetchError(
            "dns",
            page,
            f"cannot reach {host}: its name does not resolve (DNS: {reason}): check the network "
            "connection and the host name of the source's url; nothing was stored",
        )
    if any(isinstance(e, ConnectionRefusedError) for e in chain):
        return FetchError(
            "refused",
            page,
            f"cannot reach {host}: port {parts.port or addresses.DEFAULT_PORTS.get(parts.scheme)} refused the "
            f"connection ({tries}): the web server is down or the URL's port is wrong; try again later; "
            "nothing was stored",
        )
    if any(isinstance(e, http.client.LineTooLong) or "got more than" in str(e) for e in chain):
        return FetchError(
            "headers_too_large",
            page,
            f"{where} sent response headers over the size limit ({reason}): the server is misbehaving, "
            "not retried; tell the site's maintainers if it lasts; nothing was stored",
        )
    if isinstance(exc, requests.exceptions.ChunkedEncodingError) or any(
        isinstance(e, (http.client.IncompleteRead, urllib3.exceptions.IncompleteRead)) for e in chain
    ):
        return FetchError(
            "truncated",
            page,
            f"{where} cut its answer off before the end ({reason}; {tries}): try again later; nothing was stored",
        )
    if any(isinstance(e, ssl.SSLError) for e in chain):
        return FetchError(
            "tls",
            page,
            f"TLS with {host} failed ({reason}): check the site's certificate and the source's https URL; "
            "nothing was stored",
        )
    if any(isinstance(e, (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)) for e in chain):
        return FetchError(
            "timeout",
            page,
            f"{host} did not answer within {policy.read_timeout:g} s ({tries}): try again later; nothing was stored",
        )
    if any(getattr(e, "errno", None) in (errno.ENETUNREACH, errno.EHOSTUNREACH) for e in chain):
        return FetchError(
            "unreachable",
            page,
            f"cannot reach {host} ({reason}): check the network connection; nothing was stored",
        )
    broken = (ConnectionResetError, ConnectionAbortedError, BrokenPipeError, http.client.RemoteDisconnected)
    if not any(isinstance(e, broken) for e in chain) and any(isinstance(e, http.client.HTTPException) for e in chain):
        return FetchError(
            "protocol",
            page,
            f"{where} answered something that is not HTTP ({reason}): check the source's url (http or https, "
            "the port); not retried; nothing was stored",
        )
    return FetchError(
        "reset",
        page,
        f"{host} broke the connection off without a complete answer ({reason}; {tries}): "
        "try again later; nothing was stored",
    )


def _private_address(page: str, url: str, refused: AddressRefused) -> FetchError:
    what = refused.host if refused.host == refused.address else f"{refused.host} ({refused.address})"
    where = url if url == page else f"{url}, before {page}"
    return FetchError(
        "private_address",
        page,
        f"{where}: {what} is a private, loopback or link-local address, so it was not fetched; set "
        "allow_private = true on the source only if it really is meant to be fetched; nothing was stored",
    )


# ------------------------------------------------------------------------------ deadline and address guard


class AddressRefused(Exception):
    """A connection to a private address; not an OSError, so urllib3 lets it through unwrapped."""

    def __init__(self, host: str, address: str):
        super().__init__(f"{host} is {address}")
        self.host = host
        self.address = address


class _DeadlinePassed(Exception):
    """Raised between body chunks once the fetch's deadline has passed."""


_GUARD: ContextVar[_Guard | None] = ContextVar("rosterwatch_fetch_guard", default=None)


class _Guard:
    """One fetch's deadline and address rule, seen by every connection the fetch opens.

    A timer shuts the fetch's sockets down when the deadline passes: a blocked read then
    returns at once, wherever it is (status line, headers or body).
    """

    def __init__(self, policy: FetchPolicy, url: str):
        self.seconds = policy.deadline
        self.allow_private = policy.allow_private
        self.expired = False
        self._ends = time.monotonic() + policy.deadline
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(policy.deadline, self._expire)
        self._timer.daemon = True
        self._timer.name = f"fetch deadline {url}"[:60]

    def __enter__(self) -> _Guard:
        self._token = _GUARD.set(self)
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()
        _GUARD.reset(self._token)

    def remaining(self) -> float:
        return max(0.0, self._ends - time.monotonic())

    def check(self) -> None:
        if self.expired or self.remaining() <= 0:
            raise _DeadlinePassed()

    def timeout(self, policy: FetchPolicy) -> tuple[float, float]:
        left = self.remaining()
        return (min(policy.connect_timeout, left), min(policy.read_timeout, left))

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                _shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    try:
        sock.shutdown(socket.SHUT_RDWR)
    except OSError:
        pass


def _refuse_private(host: str, port: int) -> None:
    """Refuse a host whose name resolves to any non-public address (before connecting)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        return  # urllib3 reports the failed lookup itself
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if not addresses.is_public(address):
            raise AddressRefused(host, str(address))


class _GuardedConnection:
    """Checks the address rule before and after connecting, and puts the socket under the deadline."""

    def _new_conn(self) -> socket.socket:
        guard = _GUARD.get()
        check = guard is not None and not guard.allow_private and not (self.proxy or self._tunnel_host)
        if check:
            _refuse_private(self._dns_host, self.port)
        sock = super()._new_conn()
        if check:
            peer = str(sock.getpeername()[0]).split("%", 1)[0]
            if not addresses.is_public(ipaddress.ip_address(peer)):
                sock.close()
                raise AddressRefused(self._dns_host, peer)
        if guard is not None:
            guard.watch(sock)
        return sock


class _GuardedHTTPConnection(_GuardedConnection, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_GuardedConnection, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, connections, maxsize, block=DEFAULT_POOLBLOCK, **pool_kwargs) -> None:
        super().init_poolmanager(connections, maxsize, block, **pool_kwargs)
        self.poolmanager.pool_classes_by_scheme = {"http": _GuardedHTTPPool, "https": _GuardedHTTPSPool}


def _chain(exc: BaseException) -> Iterator[BaseException]:
    """The exception and what it wraps, through requests' and urllib3's args, .reason and __cause__,
    the most direct wrapping first (so the last one is the root cause)."""
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        yield current
        wrapped = (
            *reversed(current.args),
            getattr(current, "reason", None),
            current.__cause__,
            current.__context__,
        )
        current = next((e for e in wrapped if isinstance(e, BaseException)), None)


def _root_reason(exc: BaseException) -> str:
    root = list(_chain(exc))[-1]
    text = getattr(root, "strerror", None) or str(root) or type(root).__name__
    return " ".join(text.split())[:160]
