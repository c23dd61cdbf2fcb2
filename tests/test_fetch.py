"""The polite fetcher against a real HTTP server on 127.0.0.1 (tests/http_server.py)."""

from __future__ import annotations

import socket
import time
from datetime import UTC, datetime

import pytest

from snapshots.fetch import (
    DEFAULT_USER_AGENT,
    FetchError,
    FetchPolicy,
    fetch,
    retry_after_seconds,
    retry_wait,
)
from tests.http_server import Reply

FAST = FetchPolicy(
    connect_timeout=1.0,
    read_timeout=0.3,
    deadline=5.0,
    max_retries=2,
    backoff_factor=0.01,
    max_retry_wait=2.0,
    allow_private=True,  # the test server listens on 127.0.0.1
)
LOCAL: list[str] = []  # the URL's own host and port are always allowed
PAGE = "<html><head><title>Fagråd</title></head><body><p>Hilde Myhren (leiar)</p></body></html>"


def get(server, path="/page", policy=FAST, **kwargs):
    kwargs.setdefault("allowed_hosts", LOCAL)
    return fetch(server.url(path), policy=policy, **kwargs)


def test_200_returns_body_headers_and_what_was_sent(http_server):
    http_server.route("/page", Reply(body=PAGE, headers={"ETag": '"v1"', "X-Trace": "abc"}))
    result = get(http_server)
    assert result.status == 200 and result.reason == "OK"
    assert result.text() == PAGE
    assert result.final_url == result.url == http_server.url("/page")
    assert result.redirects == ()
    assert result.content_type == "text/html"
    assert (result.charset, result.charset_source) == ("utf-8", "header")
    assert result.etag == '"v1"' and not result.not_modified
    assert ("X-Trace", "abc") in result.headers
    assert result.http_version == "HTTP/1.1"
    assert result.fetched_at.tzinfo is not None
    assert ("Host", f"127.0.0.1:{http_server.port}") in result.request_headers
    assert dict(result.request_headers)["User-Agent"] == FAST.user_agent
    assert len(http_server.requests_to("/robots.txt")) == 1  # consulted; its 404 allows all


def test_user_agent_names_rosterwatch_with_contact_and_is_configurable(http_server):
    http_server.route("/page", Reply(body=PAGE))
    assert DEFAULT_USER_AGENT.startswith("rosterwatch/") and "(+https://" in DEFAULT_USER_AGENT
    get(http_server)
    custom = FetchPolicy(**{**FAST.__dict__, "user_agent": "rosterwatch-test/9 (+https://example.org)"})
    get(http_server, policy=custom)
    page_agents = [r.header("User-Agent") for r in http_server.requests_to("/page")]
    robots_agents = {r.header("User-Agent") for r in http_server.requests_to("/robots.txt")}
    assert page_agents == [DEFAULT_USER_AGENT, custom.user_agent]
    assert robots_agents == {DEFAULT_USER_AGENT, custom.user_agent}


def test_304_when_etag_matches(http_server):
    http_server.route("/page", Reply(body=PAGE, headers={"ETag": '"v1"'}))
    first = get(http_server)
    again = get(http_server, etag=first.etag)
    assert http_server.requests_to("/page")[1].header("If-None-Match") == '"v1"'
    assert again.status == 304 and again.not_modified
    assert again.body == b"" and again.text() == "" and again.charset is None
    assert again.etag == '"v1"'


def test_if_modified_since_sent_from_last_modified(http_server):
    stamp = "Tue, 28 May 2024 08:00:00 GMT"
    http_server.route("/page", Reply(body=PAGE, headers={"Last-Modified": stamp}))
    result = get(http_server, last_modified=stamp)
    assert http_server.requests_to("/page")[0].header("If-Modified-Since") == stamp
    assert result.not_modified and result.last_modified == stamp


def test_404_is_a_result_not_an_error(http_server):
    result = get(http_server, "/gone")
    assert result.status == 404 and not result.not_modified
    assert len(http_server.requests_to("/gone")) == 1


def test_500_then_200_is_retried(http_server):
    http_server.route("/page", Reply(500, body="oops"), Reply(body=PAGE))
    result = get(http_server)
    assert result.status == 200 and result.text() == PAGE
    assert len(http_server.requests_to("/page")) == 2


def test_5xx_after_retries_is_returned(http_server):
    http_server.route("/page", Reply(503, body="<p>down</p>"))
    result = get(http_server)
    assert result.status == 503 and result.body == b"<p>down</p>"
    assert len(http_server.requests_to("/page")) == FAST.max_retries + 1


def test_429_waits_for_retry_after(http_server):
    http_server.route("/page", Reply(429, headers={"Retry-After": "1"}), Reply(body=PAGE))
    result = get(http_server)
    first, second = http_server.requests_to("/page")
    assert result.status == 200
    assert second.at - first.at >= 0.95


def test_a_retry_after_longer_than_the_cap_is_not_waited_for(http_server):
    """Retrying sooner than the server asks is impolite and pointless: the 503 stands, at once."""
    http_server.route("/page", Reply(503, headers={"Retry-After": "3"}), Reply(body=PAGE))
    capped = FetchPolicy(**{**FAST.__dict__, "max_retry_wait": 0.2})
    started = time.monotonic()
    assert get(http_server, policy=capped).status == 503
    assert time.monotonic() - started < 1
    assert len(http_server.requests_to("/page")) == 1


def test_retry_after_parses_seconds_and_http_dates():
    now = datetime(2024, 5, 28, 8, 0, 0, tzinfo=UTC)
    assert retry_after_seconds("7", now) == 7
    assert retry_after_seconds("Tue, 28 May 2024 08:00:30 GMT", now) == 30
    assert retry_after_seconds("Tue, 28 May 2024 07:00:00 GMT", now) == 0
    assert retry_after_seconds("soon", now) is None
    assert retry_wait(3, None, FetchPolicy(backoff_factor=0.5, max_retry_wait=60), now) == 4
    assert retry_wait(0, "900", FetchPolicy(max_retry_wait=60), now) is None, "not waited for"
    assert retry_wait(0, "30", FetchPolicy(max_retry_wait=60), now) == 30


def test_read_timeout_is_retried_then_reported(http_server):
    http_server.route("/page", Reply(body=PAGE, delay=1.0))
    with pytest.raises(FetchError) as caught:
        get(http_server)
    assert caught.value.kind == "timeout"
    assert http_server.url("/page") in str(caught.value)
    assert len(http_server.requests_to("/page")) == FAST.max_retries + 1


def test_stall_in_the_body_is_retried_then_a_timeout(http_server):
    http_server.route("/page", Reply(body=PAGE, body_delay=1.0))
    with pytest.raises(FetchError) as caught:
        get(http_server)
    assert caught.value.kind == "timeout"
    assert len(http_server.requests_to("/page")) == FAST.max_retries + 1


def test_unreachable_host_says_so():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(FetchError) as caught:
        fetch(f"http://127.0.0.1:{port}/page", allowed_hosts=LOCAL, policy=FAST)
    assert caught.value.kind == "refused"
    assert caught.value.url == f"http://127.0.0.1:{port}/page"
    message = str(caught.value)
    assert message.startswith(f"cannot reach 127.0.0.1: port {port} refused the connection (3 attempts at")
    assert "nothing was stored" in message and "\n" not in message


@pytest.mark.parametrize("declared", [True, False], ids=["content-length", "streamed"])
def test_oversized_body_is_refused(http_server, declared):
    http_server.route("/page", Reply(body=b"x" * 200_000, content_length=declared))
    small = FetchPolicy(**{**FAST.__dict__, "max_bytes": 10_000})
    with pytest.raises(FetchError) as caught:
        get(http_server, policy=small)
    assert caught.value.kind == "too_large"
    assert "10000-byte cap" in str(caught.value) and "nothing was stored" in str(caught.value)
    assert get(http_server, policy=FAST).body == b"x" * 200_000


def test_off_host_redirect_names_both_urls(http_server):
    elsewhere = http_server.url("/page", host="localhost")
    http_server.route("/moved", Reply.redirect(elsewhere))
    with pytest.raises(FetchError) as caught:
        get(http_server, "/moved")
    assert caught.value.kind == "off_host_redirect"
    assert http_server.url("/moved") in str(caught.value) and elsewhere in str(caught.value)
    assert http_server.requests_to("/page") == []


def test_on_host_redirects_are_followed(http_server):
    http_server.route("/old", Reply.redirect("/moved", 301))
    http_server.route("/moved", Reply.redirect(http_server.url("/page", host="localhost")))
    http_server.route("/page", Reply(body=PAGE))
    result = get(http_server, "/old", allowed_hosts=[f"localhost:{http_server.port}"])
    assert result.status == 200 and result.text() == PAGE
    assert result.url == http_server.url("/old")
    assert result.final_url == http_server.url("/page", host="localhost")
    assert result.redirects == (http_server.url("/old"), http_server.url("/moved"))


def test_redirect_loop_stops_at_the_limit(http_server):
    http_server.route("/a", Reply.redirect("/b"))
    http_server.route("/b", Reply.redirect("/a"))
    limited = FetchPolicy(**{**FAST.__dict__, "max_redirects": 3})
    with pytest.raises(FetchError) as caught:
        get(http_server, "/a", policy=limited)
    assert caught.value.kind == "too_many_redirects"
    assert len(http_server.requests_to("/a")) + len(http_server.requests_to("/b")) == 4


def test_robots_disallow_means_no_request(http_server):
    http_server.robots("User-agent: *\nAllow: /\n\nUser-agent: rosterwatch\nDisallow: /private/\n")
    http_server.route("/private/page", Reply(body=PAGE))
    http_server.route("/page", Reply(body=PAGE))
    with pytest.raises(FetchError) as caught:
        get(http_server, "/private/page")
    assert caught.value.kind == "robots_disallowed"
    assert http_server.url("/private/page") in str(caught.value)
    assert http_server.requests_to("/private/page") == []
    assert get(http_server, "/page").status == 200


def test_robots_disallow_applies_to_redirect_targets(http_server):
    http_server.robots("User-agent: *\nDisallow: /private/\n")
    http_server.route("/page", Reply.redirect("/private/page"))
    with pytest.raises(FetchError) as caught:
        get(http_server)
    assert caught.value.kind == "robots_disallowed"
    assert http_server.requests_to("/private/page") == []


def test_robots_server_error_disallows_everything(http_server):
    http_server.robots("", status=503)
    http_server.route("/page", Reply(body=PAGE))
    with pytest.raises(FetchError) as caught:
        get(http_server)
    assert caught.value.kind == "robots_disallowed" and "503" in str(caught.value)
    assert http_server.requests_to("/page") == []
    assert len(http_server.requests_to("/robots.txt")) == FAST.max_retries + 1


def test_robots_ignored_when_policy_says_so(http_server):
    http_server.robots("User-agent: *\nDisallow: /\n")
    http_server.route("/page", Reply(body=PAGE))
    relaxed = FetchPolicy(**{**FAST.__dict__, "respect_robots": False})
    assert get(http_server, policy=relaxed).status == 200
    assert http_server.requests_to("/robots.txt") == []


@pytest.mark.parametrize("media_type", ["application/pdf", "application/json"])
def test_non_html_is_refused(http_server, media_type):
    http_server.route("/page", Reply(body=b"%PDF-1.7 ...", content_type=media_type))
    with pytest.raises(FetchError) as caught:
        get(http_server)
    assert caught.value.kind == "not_html"
    assert media_type in str(caught.value) and http_server.url("/page") in str(caught.value)


def test_xhtml_is_accepted(http_server):
    http_server.route("/page", Reply(body=PAGE, content_type="application/xhtml+xml"))
    assert get(http_server).content_type == "application/xhtml+xml"


LATIN1 = "<p>Først publisert 25.11.2019</p>"


@pytest.mark.parametrize(
    ("content_type", "head", "charset", "source"),
    [
        ("text/html; charset=ISO-8859-1", "", "windows-1252", "header"),
        ("text/html", '<meta charset="iso-8859-1">', "windows-1252", "meta"),
        (
            "text/html",
            '<meta http-equiv="Content-Type" content="text/html; charset=windows-1252">',
            "windows-1252",
            "meta",
        ),
    ],
    ids=["header", "meta-charset", "meta-http-equiv"],
)
def test_latin1_page_is_decoded(http_server, content_type, head, charset, source):
    html = f"<html><head>{head}</head><body>{LATIN1}</body></html>"
    http_server.route("/page", Reply(body=html.encode("latin-1"), content_type=content_type))
    result = get(http_server)
    assert (result.charset, result.charset_source) == (charset, source)
    assert "Først publisert" in result.text()


def test_undeclared_charset_is_detected(http_server):
    http_server.route("/page", Reply(body=LATIN1.encode("utf-8"), content_type="text/html"))
    result = get(http_server)
    assert (result.charset, result.charset_source) == ("utf-8", "detected")
    assert "Først publisert" in result.text()
