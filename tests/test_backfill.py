"""Backfill from each kind of input, offline: dated HTML, WARC, WACZ and a recorded Internet
Archive (CDX answer and captures served from 127.0.0.1). Duplicates are skipped, copies go in
in time order, and the history is derived again when old captures land before tracked ones."""

from __future__ import annotations

import contextlib
import io
import json
import shutil
import zipfile
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from extractors import EXTRACTOR_VERSION, extract
from flows import history
from flows.backfill import BackfillError, cdx_query, from_archives, import_copies, playback_path
from flows.config import DEFAULT_SOURCES, load_sources
from flows.pipeline import process_pending, replay_capture
from outputs.events import ChangeEvent
from snapshots.store import SnapshotStore
from tests.fixtures.build_history import EXPECTED
from tests.http_server import Reply

HISTORY = Path(__file__).parent / "fixtures" / "history"
REAL = load_sources(DEFAULT_SOURCES)


def page(source: str, day: str) -> bytes:
    return (HISTORY / source / f"{day}.html").read_bytes()


def write_warc(path: Path, records: list[tuple[str, str, bytes, int]], revisit_of_first: str | None = None) -> Path:
    """(url, WARC-Date, body, status) response records; `revisit_of_first` adds a revisit at that date."""
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, when, body, status in records:
            headers = StatusAndHeaders(f"{status} X", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), http_headers=headers, warc_headers_dict={"WARC-Date": when}
            )
            writer.write_record(record)
            if revisit_of_first and record is not None:
                revisit = writer.create_revisit_record(
                    url, record.rec_headers.get_header("WARC-Payload-Digest"), url, when, http_headers=headers
                )
                revisit.rec_headers.replace_header("WARC-Date", revisit_of_first)
                writer.write_record(revisit)
                revisit_of_first = None
    return path


def events(store: SnapshotStore, source: str) -> list[tuple[str, str, str | None]]:
    rows = store.change_rows(EXTRACTOR_VERSION, source=source)
    return [(e.at[:10], e.kind, e.person) for e in map(ChangeEvent.from_json, rows)]


def test_backfill_from_html_warc_wacz_and_the_internet_archive(prefect_harness, tmp_path, http_server):
    from flows.cli import main

    fagrad, norprem = REAL["fagrad-pm"], REAL["norprem"]
    html_dir = tmp_path / "html" / "fagrad-pm"
    html_dir.mkdir(parents=True)
    shutil.copy(HISTORY / "fagrad-pm" / "2023-01-15.html", html_dir)
    # another crawler's WARC, with the tracked URL over http and without www.
    other_url = fagrad.url.replace("https://www.", "http://")
    warc = write_warc(
        tmp_path / "crawl.warc.gz",
        [
            (other_url, "2023-09-01T00:00:00Z", page("fagrad-pm", "2023-09-01"), 200),
            ("https://www.helsedirektoratet.no/elsewhere", "2023-09-02T00:00:00Z", b"<p>not tracked</p>", 200),
            (other_url, "2023-10-01T00:00:00Z", b"<h1>Not found</h1>", 404),
        ],
    )
    # a WACZ with the norprem history, and a revisit record (same payload, later date)
    inner = write_warc(
        tmp_path / "data.warc.gz",
        [(norprem.url, f"{day}T00:00:00Z", page("norprem", day), 200) for day in ("2022-06-01", "2022-11-01", "2023-04-01")],
        revisit_of_first="2022-08-01T00:00:00Z",
    )
    wacz = tmp_path / "site.wacz"
    with zipfile.ZipFile(wacz, "w") as zf:
        zf.write(inner, "archive/data.warc.gz")
        zf.writestr("datapackage.json", json.dumps({"profile": "data-package", "resources": []}))
    # the Internet Archive, recorded: one distinct capture of the Fagråd page, and the 2023-09-01
    # copy again (the same copy as in the WARC: one of the two is skipped)
    rows = [["timestamp", "original", "statuscode", "mimetype", "digest"],
            ["20240528000000", fagrad.url, "200", "text/html", "A"],
            ["20230901000000", fagrad.url, "200", "text/html", "B"]]
    http_server.route(cdx_query(fagrad.url), Reply(body=json.dumps(rows), content_type="application/json"))
    http_server.route(cdx_query(norprem.url), Reply(body="[]", content_type="application/json"))
    http_server.route(playback_path("20240528000000", fagrad.url), Reply(body=page("fagrad-pm", "2024-05-28")))
    http_server.route(playback_path("20230901000000", fagrad.url), Reply(body=page("fagrad-pm", "2023-09-01")))

    argv = ["--data-dir", str(tmp_path / "data"), "backfill", "--html", str(tmp_path / "html"), "--warc", str(warc),
            "--warc", str(wacz), "--cdx", "--cdx-url", http_server.url(""), "--delay", "0"]
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    assert "fagrad-pm: 3 captures imported (2 from cdx, 1 from html), 1 already stored" in out.getvalue()
    assert "norprem: 4 captures imported (4 from warc), 0 already stored" in out.getvalue()

    store = SnapshotStore(tmp_path / "data")
    caps = store.captures("norprem")
    assert [c.fetched_at[:10] for c in caps] == ["2022-06-01", "2022-08-01", "2022-11-01", "2023-04-01"]
    assert {c.origin for c in store.captures()} == {"backfill"}
    assert (caps[1].record_type, caps[1].body_bytes) == ("revisit", 0), "the unchanged copy stores no body"
    for source, expected in EXPECTED.items():
        assert Counter(events(store, source)) == Counter(expected), source

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(argv) == 0
    assert "fagrad-pm: 0 captures imported (nothing new), 4 already stored" in out.getvalue()
    assert "history unchanged" in out.getvalue()
    assert len(store.captures()) == 7


def test_old_copies_before_tracked_ones_recompute_the_history(tmp_path):
    fagrad = REAL["fagrad-pm"]
    store = SnapshotStore(tmp_path)
    replay_capture(store, fagrad, datetime(2024, 5, 28, tzinfo=timezone.utc), HISTORY / "fagrad-pm" / "2024-05-28.html")
    process_pending(store, fagrad)
    assert events(store, "fagrad-pm") == [], "the only capture is the baseline"

    warc = write_warc(tmp_path / "old.warc.gz", [(fagrad.url, "2023-01-15T00:00:00Z", page("fagrad-pm", "2023-01-15"), 200)])
    (imported,) = import_copies(store, [fagrad], from_archives([warc], [fagrad]))
    assert imported.stored == {"warc": 1}
    (result,) = history.reextract_sources(store, [fagrad], EXTRACTOR_VERSION, extract, compare=False)
    assert result.history_written
    assert Counter(events(store, "fagrad-pm")) == Counter(EXPECTED["fagrad-pm"])
    assert [c.fetched_at[:10] for c in store.captures("fagrad-pm")] == ["2023-01-15", "2024-05-28"]


def test_backfill_input_errors_are_one_line(tmp_path, capsys):
    from flows.cli import main

    assert main(["--data-dir", str(tmp_path), "backfill"]) == 2
    assert "nothing to import; give --html DIR, --warc FILE or --cdx" in capsys.readouterr().err
    assert main(["--data-dir", str(tmp_path), "backfill", "--warc", str(tmp_path / "nope.warc.gz")]) == 2
    err = capsys.readouterr().err
    assert "--warc" in err and "no such file" in err and len(err.strip().splitlines()) == 1
    bad = tmp_path / "bad.wacz"
    bad.write_bytes(b"not a zip")
    with pytest.raises(BackfillError, match="not a WACZ"):
        from_archives([bad], [REAL["fagrad-pm"]])


def test_the_cdx_query_is_a_guarded_fetch_that_stays_on_the_archives_host(http_server):
    """The archive's answer may redirect; the CDX query follows the same rules as every page:
    never onto another host or port (an SSRF path otherwise), one line saying what happened."""
    from flows.backfill import from_cdx
    from tests.http_server import ScriptedServer

    fagrad = REAL["fagrad-pm"]
    with ScriptedServer() as elsewhere:
        elsewhere.route(cdx_query(fagrad.url), Reply(body="[]", content_type="application/json"))
        http_server.route(cdx_query(fagrad.url), Reply.redirect(elsewhere.url(cdx_query(fagrad.url))))
        with pytest.raises(BackfillError, match="outside the allowed hosts"):
            from_cdx(fagrad, base_url=http_server.url(""), delay=0)
        assert elsewhere.requests_to(cdx_query(fagrad.url)) == []
