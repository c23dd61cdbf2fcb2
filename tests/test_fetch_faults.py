"""Bad servers and hostile redirects against the fetcher, on real sockets (tests/http_server.py).

Every case ends within the fetch's deadline with an error whose kind names what happened, and
nothing is requested from a host, port or address the source did not allow. Deadlines here
are a second or two; the default is 30 s (`ROSTERWATCH_FETCH_DEADLINE`).
"""

from __future__ import annotations

import logging
import time

import pytest

from snapshots import addresses
from snapshots.fetch import FetchError, FetchPolicy, fetch
from tests.http_server import Reply, ScriptedServer

PAGE = "<html><head><title>Fagråd</title></head><body><p>Hilde Myhren (leiar)</p></body></html>"
QUICK = FetchPolicy(
    connect_timeout=1.0,
    read_timeout=1.0,
    deadline=1.5,
    max_retries=2,
    backoff_factor=0.01,
    max_retry_wait=2.0,
    allow_private=True,  # the test server listens on 127.0.0.1
)


def failure(url: str, policy: FetchPolicy = QUICK, **kwargs) -> tuple[FetchError, float]:
    started = time.monotonic()
    with pytest.raises(FetchError) as caught:
        fetch(url, policy=policy, **kwargs)
    message = str(caught.value)
    assert "\n" not in message and "nothing was stored" in message
    return caught.value, time.monotonic() - started


def test_a_body_dripping_one_byte_a_second_is_cut_at_the_deadline(http_server):
    http_server.route("/page", Reply(body=PAGE, drip=1.0))
    error, took = failure(http_server.url("/page"))
    assert error.kind == "timeout" and "1.5 s deadline" in str(error)
    assert took < 3
    assert len(http_server.requests_to("/page")) == 1, "no retry after the deadline"


def test_dripping_headers_are_cut_at_the_deadline(http_server):
    """The read timeout never fires while bytes trickle in; the deadline does."""
    http_server.route("/page", Reply(body=PAGE, drip=0.2, drip_head=True))
    error, took = failure(http_server.url("/page"))
    assert error.kind == "timeout" and took < 3


def test_retries_and_their_waits_stay_within_the_deadline(http_server):
    http_server.route("/page", Reply(503, body="busy", headers={"Retry-After": "1"}))
    patient = FetchPolicy(**{**QUICK.__dict__, "max_retries": 10, "deadline": 2.5})
    started = time.monotonic()
    result = fetch(http_server.url("/page"), policy=patient)
    assert result.status == 503
    assert time.monotonic() - started < 3
    assert 2 <= len(http_server.requests_to("/page")) <= 3


def test_429_asking_for_a_day_is_answered_at_once(http_server):
    http_server.route("/page", Reply(429, body="slow down", headers={"Retry-After": "86400"}))
    started = time.monotonic()
    result = fetch(http_server.url("/page"), policy=QUICK)
    assert result.status == 429 and time.monotonic() - started < 1
    assert len(http_server.requests_to("/page")) == 1


def test_a_truncated_body_is_named_and_retried(http_server):
    http_server.route("/page", Reply(body=PAGE * 20, truncate=100))
    error, _ = failure(http_server.url("/page"))
    assert error.kind == "truncated" and "cut its answer off" in str(error)
    assert len(http_server.requests_to("/page")) == QUICK.max_retries + 1


@pytest.mark.parametrize(
    "headers",
    [{"X-Padding": "a" * 70_000}, {f"X-Header-{i}": "x" for i in range(150)}],
    ids=["one-huge-line", "too-many"],
)
def test_oversized_headers_are_named_and_not_retried(http_server, headers):
    http_server.route("/page", Reply(body=PAGE, headers=headers))
    error, _ = failure(http_server.url("/page"))
    assert error.kind == "headers_too_large" and "not retried" in str(error)
    assert len(http_server.requests_to("/page")) == 1


def test_an_answer_that_is_not_http_is_named_and_not_retried(http_server):
    http_server.route("/page", Reply(raw_head=b"SSH-2.0-OpenSSH_9.6\r\n", body=b"", content_length=False))
    error, _ = failure(http_server.url("/page"))
    assert error.kind == "protocol" and "not HTTP" in str(error)
    assert len(http_server.requests_to("/page")) == 1


def test_a_garbled_redirect_is_refused_not_a_crash(http_server):
    http_server.route("/moved", Reply.redirect("http://[::1/page"))
    error, _ = failure(http_server.url("/moved"))
    assert error.kind == "protocol" and "garbled redirect" in str(error)


def test_a_dns_failure_is_named_and_not_retried(caplog):
    with caplog.at_level(logging.WARNING, logger="snapshots.fetch"):
        error, took = failure("http://rosterwatch-fault-test.invalid/page")
    assert error.kind == "dns"
    assert str(error).startswith("cannot reach rosterwatch-fault-test.invalid: its name does not resolve (DNS: ")
    assert not [r for r in caplog.records if "retrying" in r.getMessage()]
    assert took < 10


def test_a_declared_content_length_over_the_cap_is_refused_before_reading(http_server):
    """The server claims 50 MB, sends 100 bytes and hangs up: the claim alone is enough."""
    http_server.route("/page", Reply(body=b"x" * 200, declared_length=50_000_000, truncate=100))
    small = FetchPolicy(**{**QUICK.__dict__, "max_bytes": 10_000})
    error, _ = failure(http_server.url("/page"), policy=small)
    assert error.kind == "too_large" and "it declares 50000000 bytes" in str(error)
    assert len(http_server.requests_to("/page")) == 1


# ------------------------------------------------------------------------------ where a fetch may go


def test_a_redirect_to_the_same_host_on_another_port_is_refused(http_server):
    with ScriptedServer() as other:
        other.route("/page", Reply(body=PAGE))
        http_server.route("/moved", Reply.redirect(other.url("/page")))
        error, _ = failure(http_server.url("/moved"), allowed_hosts=["127.0.0.1"])
        assert error.kind == "off_host_redirect" and other.url("/page") in str(error)
        assert other.requests == []
        ok = fetch(http_server.url("/moved"), policy=QUICK, allowed_hosts=[f"127.0.0.1:{other.port}"])
        assert ok.status == 200 and ok.final_url == other.url("/page"), "allowed when that port is listed"


def test_a_host_that_only_ends_like_an_allowed_one_is_refused(http_server):
    http_server.route("/moved", Reply.redirect("http://evil-helsedirektoratet.no/page"))
    error, _ = failure(http_server.url("/moved"), allowed_hosts=["helsedirektoratet.no", "www.helsedirektoratet.no"])
    assert error.kind == "off_host_redirect" and "evil-helsedirektoratet.no" in str(error)


def test_allowed_hosts_compare_the_exact_host_and_the_port():
    entries = frozenset(map(addresses.parse_entry, ["helsedirektoratet.no", "example.no:8443"]))
    assert addresses.allowed("https://helsedirektoratet.no/x", entries)
    assert addresses.allowed("http://HELSEDIREKTORATET.NO./x", entries)
    assert not addresses.allowed("https://evil-helsedirektoratet.no/x", entries)
    assert not addresses.allowed("https://www.helsedirektoratet.no/x", entries)
    assert not addresses.allowed("https://helsedirektoratet.no:8443/x", entries)
    assert addresses.allowed("https://example.no:8443/x", entries)
    assert not addresses.allowed("https://example.no/x", entries)
    assert not addresses.allowed("ftp://helsedirektoratet.no/x", entries)


def test_robots_redirects_stay_on_the_allowed_hosts(http_server):
    with ScriptedServer() as other:
        other.robots("User-agent: *\nDisallow: /\n")
        http_server.route("/robots.txt", Reply.redirect(other.url("/robots.txt")))
        http_server.route("/page", Reply(body=PAGE))
        result = fetch(http_server.url("/page"), policy=QUICK)
        assert other.requests == [], "robots.txt was not fetched from another port"
        assert result.status == 200, "an unfollowed robots.txt redirect reads as 'unavailable' (RFC 9309)"


def test_robots_redirects_on_the_same_host_are_followed(http_server):
    http_server.route("/robots.txt", Reply.redirect("/rules.txt", 301))
    http_server.route("/rules.txt", Reply(body="User-agent: *\nDisallow: /\n", content_type="text/plain"))
    http_server.route("/page", Reply(body=PAGE))
    error, _ = failure(http_server.url("/page"))
    assert error.kind == "robots_disallowed"
    assert http_server.requests_to("/page") == []


def test_robots_answering_429_disallows_the_site(http_server):
    """RFC 9309 2.3.1.4: 429 on robots.txt means "unreachable": assume everything is disallowed."""
    http_server.route("/robots.txt", Reply(429, body="slow down", content_type="text/plain"))
    http_server.route("/page", Reply(body=PAGE))
    error, _ = failure(http_server.url("/page"))
    assert error.kind == "robots_disallowed" and "answered 429" in str(error)
    assert http_server.requests_to("/page") == []


STRICT = FetchPolicy(**{**QUICK.__dict__, "allow_private": False})


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost", "2130706433", "0x7f.1", "127.1"])
def test_loopback_in_any_spelling_is_refused_unless_allowed(http_server, host):
    http_server.route("/page", Reply(body=PAGE))
    url = f"http://{host}:{http_server.port}/page"
    error, _ = failure(url, policy=STRICT)
    assert error.kind == "private_address" and "allow_private = true" in str(error)
    assert http_server.requests == [], "not even robots.txt was asked for"
    assert fetch(url, policy=QUICK).status == 200


@pytest.mark.parametrize("url", ["http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/", "http://192.168.1.1/", "http://[::1]/"])
def test_private_and_link_local_addresses_are_refused_without_connecting(url):
    error, took = failure(url, policy=STRICT)
    assert error.kind == "private_address" and took < 1


@pytest.mark.parametrize(
    ("url", "hosts"),
    [
        ("http://127.0.0.1:8080/page", []),
        ("http://2130706433/page", []),
        ("http://[::1]/page", []),
        ("http://169.254.169.254/latest/meta-data/", []),
        ("http://10.1.2.3/", []),
        ("http://192.168.0.10/", []),
        ("http://localhost/", []),
        ("https://www.example.no/", ["192.168.0.10"]),
    ],
)
def test_sources_toml_refuses_private_addresses_unless_the_source_allows_them(tmp_path, url, hosts):
    from flows.config import ConfigError, load_sources

    path = tmp_path / "sources.toml"
    table = f'[sources.s]\nname = "S"\nurl = "{url}"\nlanguage = "nb"\nallowed_hosts = {hosts!r}\n'.replace("'", '"')
    path.write_text(table, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: source 's': key '") and "allow_private = true" in message
    path.write_text(table + "allow_private = true\n", encoding="utf-8")
    assert load_sources(path)["s"].allow_private


def test_sources_toml_allowed_hosts_take_ports_and_the_url_brings_its_own(tmp_path):
    from flows.config import ConfigError, load_sources

    path = tmp_path / "sources.toml"
    path.write_text(
        '[sources.s]\nname = "S"\nurl = "https://www.example.no:8443/r"\nlanguage = "nb"\n'
        'allowed_hosts = ["example.no", "archive.example.no:8080"]\n',
        encoding="utf-8",
    )
    assert load_sources(path)["s"].allowed_hosts == ("www.example.no:8443", "example.no", "archive.example.no:8080")
    path.write_text('[sources.s]\nname = "S"\nurl = "https://x.no/"\nlanguage = "nb"\nallowed_hosts = ["x.no:http"]\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="key 'allowed_hosts' must be a list of host names, each with an optional :port"):
        load_sources(path)
    path.write_text('[sources.s]\nname = "S"\nurl = "https://x.no/"\nlanguage = "nb"\nallow_private = "yes"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match="key 'allow_private' must be true or false"):
        load_sources(path)
