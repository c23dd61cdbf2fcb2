"""The snapshot store: WARC records on disk, the index, dedup, crash recovery and locking."""

from __future__ import annotations

import json
import multiprocessing
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import text
from warcio.archiveiterator import ArchiveIterator

from snapshots.fetch import FetchResult
from snapshots.store import SnapshotStore, StoreBusy, warc_digest

URL = "https://www.example.no/rad"
T0 = datetime(2024, 5, 28, 6, 0, tzinfo=timezone.utc)


def response(body: bytes, when: datetime = T0, status: int = 200, etag: str | None = '"v1"') -> FetchResult:
    headers = [("Content-Type", "text/html; charset=utf-8"), ("Content-Encoding", "gzip")]
    if etag:
        headers.append(("ETag", etag))
    return FetchResult(
        url=URL,
        final_url=URL,
        status=status,
        reason="OK" if status == 200 else "Not Modified",
        headers=tuple(headers),
        request_headers=(("User-Agent", "rosterwatch-test"), ("Accept", "text/html")),
        body=body if status != 304 else b"",
        fetched_at=when,
        redirects=(),
        content_type="text/html",
        charset="utf-8",
        http_version="HTTP/1.1",
    )


def all_records(path: Path) -> list[str]:
    with open(path, "rb") as fh:
        return [r.rec_type for r in ArchiveIterator(fh)]


def test_capture_is_stored_as_warc_and_read_back(tmp_path):
    store = SnapshotStore(tmp_path)
    body = "<html><body><h1>Fagråd</h1></body></html>".encode()
    capture = store.add_capture("fagrad-pm", response(body))
    assert capture.record_type == "response" and capture.body_bytes == len(body)
    assert store.read_body(capture) == body
    assert all_records(tmp_path / capture.warc_file) == ["response", "request"]
    with open(tmp_path / capture.warc_file, "rb") as fh:
        record = next(iter(ArchiveIterator(fh)))
        assert record.rec_headers.get_header("WARC-Payload-Digest") == warc_digest(capture.payload_sha256)
        # the body is stored decoded, so the archived headers must not claim gzip
        assert record.http_headers.get_header("Content-Encoding") is None
        assert record.http_headers.get_header("Content-Length") == str(len(body))


def test_identical_capture_adds_no_body_bytes(tmp_path):
    store = SnapshotStore(tmp_path)
    body = b"<html><body>" + b"x" * 50_000 + b"</body></html>"
    first = store.add_capture("s", response(body))
    size_after_first = (tmp_path / first.warc_file).stat().st_size
    second = store.add_capture("s", response(body, T0 + timedelta(days=1)))
    grown = (tmp_path / second.warc_file).stat().st_size - size_after_first
    assert second.record_type == "revisit" and second.body_bytes == 0
    assert grown < 600, "an unchanged page is a revisit record alone"
    assert store.read_body(second) == body
    assert all_records(tmp_path / first.warc_file) == ["response", "request", "revisit"]
    third = store.add_capture("s", response(body + b"!", T0 + timedelta(days=2)))
    assert third.record_type == "response" and store.read_body(third) == body + b"!"


def test_not_modified_is_recorded_as_revisit_of_the_last_body(tmp_path):
    store = SnapshotStore(tmp_path)
    first = store.add_capture("s", response(b"<p>v1</p>"))
    again = store.add_capture("s", response(b"", T0 + timedelta(hours=1), status=304))
    assert again.status == 304 and again.record_type == "revisit" and again.revisit_of == first.id
    assert store.read_body(again) == b"<p>v1</p>"
    assert store.last_body_capture(URL).etag == '"v1"'


def test_not_modified_keeps_the_stored_payloads_type_and_validators(tmp_path):
    """A 304 names no charset or Last-Modified of its own; the next request must still be conditional,
    and a 200 with the same body after it is still unchanged content."""
    store = SnapshotStore(tmp_path)
    first = store.add_capture("s", response(b"<p>v1</p>"))
    bare = response(b"", T0 + timedelta(hours=1), status=304, etag=None)
    bare = FetchResult(**{**bare.__dict__, "headers": (), "content_type": None, "charset": None})
    again = store.add_capture("s", bare)
    assert (again.etag, again.charset, again.content_type) == ('"v1"', "utf-8", "text/html")
    same = store.add_capture("s", response(b"<p>v1</p>", T0 + timedelta(hours=2)))
    assert same.record_type == "revisit" and same.body_bytes == 0 and same.revisit_of == first.id


def test_unchanged_capture_refers_to_the_stored_extraction(tmp_path):
    store = SnapshotStore(tmp_path)
    first = store.add_capture("s", response(b"<p>v1</p>"))
    indented = json.dumps({"source": "s", "groups": [{"name": "Råd", "members": []}]}, ensure_ascii=False, indent=2)
    store.add_extractions("v", [(first.id, indented, 0)])
    stored = store.extraction_json(first.id, "v")
    assert json.loads(stored) == json.loads(indented) and "\n" not in stored and ": " not in stored, "compact JSON"
    assert store.shared_extraction(first, "v") is None, "a capture with its own body has nothing to share"

    again = store.add_capture("s", response(b"", T0 + timedelta(hours=1), status=304))
    shared = store.shared_extraction(again, "v")
    assert shared is not None and shared[1:] == (stored, 0)
    assert store.shared_extraction(again, "other-version") is None
    store.add_extractions("v", [(again.id, shared[1], shared[2])], shared={again.id: shared[0]})
    assert store.extraction_json(again.id, "v") == stored
    assert store.extracted("s", "v") == {first.id: (True, stored), again.id: (True, stored)}
    assert store.last_accepted("s", "v")[1] == stored
    third = store.add_capture("s", response(b"<p>v1</p>", T0 + timedelta(hours=2)))
    assert store.shared_extraction(third, "v")[0] == shared[0], "a revisit of a revisit refers to the original"
    with store.engine.connect() as conn:
        sizes = dict(conn.execute(text("SELECT capture_id, length(json) FROM extractions")).all())
    assert sizes == {first.id: len(stored), again.id: 0}


def test_reextraction_stores_a_shared_payloads_extraction_once(tmp_path):
    store = SnapshotStore(tmp_path)
    caps = [store.add_capture("s", response(b"<p>v1</p>", T0 + timedelta(days=i))) for i in range(3)]
    store.add_extractions("v", [(c.id, '{"a": 1}', 0) for c in caps] + [])
    assert {cid: js for cid, (_, js) in store.extracted("s", "v").items()} == {c.id: '{"a":1}' for c in caps}
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM extractions WHERE json != ''")).scalar() == 1


OLD_EXTRACTIONS = """
PRAGMA foreign_keys=OFF;
DROP INDEX ix_captures_url_time;
ALTER TABLE extractions RENAME TO newer;
CREATE TABLE extractions (
    id INTEGER NOT NULL, capture_id INTEGER NOT NULL, extractor_version VARCHAR(100) NOT NULL,
    member_count INTEGER NOT NULL, accepted INTEGER NOT NULL, json TEXT NOT NULL,
    PRIMARY KEY (id), UNIQUE (capture_id, extractor_version), FOREIGN KEY(capture_id) REFERENCES captures (id)
);
INSERT INTO extractions SELECT id, capture_id, extractor_version, member_count, accepted, json FROM newer;
DROP TABLE newer;
"""


def test_an_index_made_by_an_earlier_version_is_brought_up_to_date(tmp_path):
    store = SnapshotStore(tmp_path)
    first = store.add_capture("s", response(b"<p>v1</p>"))
    store.add_extractions("v", [(first.id, '{"a": 1}', 0)])
    store.engine.dispose()
    with sqlite3.connect(tmp_path / "index.sqlite") as conn:  # the tables as the previous version made them
        conn.executescript(OLD_EXTRACTIONS)
    conn.close()

    reopened = SnapshotStore(tmp_path)
    assert reopened.extraction_json(first.id, "v") == '{"a":1}'
    again = reopened.add_capture("s", response(b"", T0 + timedelta(hours=1), status=304))
    reopened.add_extractions("v", [(again.id, None, 0)], shared={again.id: reopened.shared_extraction(again, "v")[0]})
    assert reopened.extraction_json(again.id, "v") == '{"a":1}'
    # storing a capture looks up the URL's last one through the index, not by scanning every capture
    with reopened.engine.connect() as conn:
        plan = conn.execute(
            text("EXPLAIN QUERY PLAN SELECT * FROM captures WHERE url = :u AND payload_sha256 IS NOT NULL "
                 "ORDER BY fetched_at DESC, id DESC LIMIT 1"), {"u": URL}
        ).all()
    assert "ix_captures_url_time" in str(plan), plan


def test_torn_write_is_cut_and_the_next_run_carries_on(tmp_path):
    store = SnapshotStore(tmp_path)
    first = store.add_capture("s", response(b"<p>one</p>"))
    warc = tmp_path / first.warc_file
    good_size = warc.stat().st_size
    # What a kill in the middle of an append leaves: half a gzip member and no index row.
    store2 = SnapshotStore(tmp_path / "scratch")
    half = (tmp_path / "scratch" / store2.add_capture("s", response(b"<p>two</p>" * 100)).warc_file).read_bytes()
    with open(warc, "ab") as fh:
        fh.write(half[: len(half) // 2])
    assert warc.stat().st_size > good_size
    with SnapshotStore(tmp_path).writing() as recovered:
        assert warc.stat().st_size == good_size
        later = recovered.add_capture("s", response(b"<p>three</p>", T0 + timedelta(days=1)))
    assert all_records(warc) == ["response", "request", "response", "request"]
    assert recovered.read_body(later) == b"<p>three</p>"
    assert [c.id for c in recovered.captures("s")] == [first.id, later.id]


KILL_SCRIPT = textwrap.dedent(
    """
    import sys, time
    from datetime import datetime, timedelta, timezone
    sys.path.insert(0, {tests!r})
    from test_store import response
    from snapshots.store import SnapshotStore
    store = SnapshotStore({root!r})
    with store.writing():
        print("ready", flush=True)
        i = 0
        while True:
            body = (b"<p>%d</p>" % i) * 20000
            store.add_capture("s", response(body, datetime(2024, 1, 1, tzinfo=timezone.utc) + timedelta(minutes=i)))
            i += 1
    """
)


def test_process_killed_mid_run_leaves_a_readable_store(tmp_path):
    script = KILL_SCRIPT.format(tests=str(Path(__file__).parent), root=str(tmp_path))
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).parent.parent))
    child = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env)
    assert child.stdout.readline().strip() == b"ready"
    time.sleep(1.0)
    child.send_signal(signal.SIGKILL)
    child.wait()
    store = SnapshotStore(tmp_path)
    with store.writing(wait_seconds=5):
        stored = store.captures("s")
        assert stored, "the child should have stored something before it was killed"
        for capture in stored:
            assert store.read_body(capture).startswith(b"<p>")
        for warc in tmp_path.glob("warc/*/*.warc.gz"):
            all_records(warc)  # the whole file parses: no torn tail left
        store.add_capture("s", response(b"<p>after</p>", datetime(2025, 1, 1, tzinfo=timezone.utc)))
    assert store.read_body(store.last_capture("s")) == b"<p>after</p>"


def _hold_lock(root: str, seconds: float, ready) -> None:
    with SnapshotStore(root).writing():
        ready.set()
        time.sleep(seconds)


def test_second_writer_waits_for_the_first(tmp_path):
    ready = multiprocessing.Event()
    holder = multiprocessing.Process(target=_hold_lock, args=(str(tmp_path), 1.5, ready))
    holder.start()
    try:
        assert ready.wait(10)
        store = SnapshotStore(tmp_path)
        with pytest.raises(StoreBusy, match=r"in use by pid \d+.*--wait-lock"):
            with store.writing(wait_seconds=0.2):
                pass
        started = time.monotonic()
        with store.writing(wait_seconds=20):
            waited = time.monotonic() - started
            store.add_capture("s", response(b"<p>x</p>"))
        assert waited > 0.5
    finally:
        holder.join(10)
    assert len(store.captures("s")) == 1


def test_stages_of_one_process_take_turns_at_the_store(tmp_path):
    """Two stores of one process on the same data root (as two stages of a run are): the second
    writer queues behind the first, gets in once it is done, and a wait too short names the
    run's own stage, not some other process."""
    first, second = SnapshotStore(tmp_path), SnapshotStore(tmp_path)
    holding, release = threading.Event(), threading.Event()

    def hold() -> None:
        with first.writing():
            first.add_capture("a", response(b"<p>a</p>"))
            holding.set()
            release.wait(10)

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert holding.wait(10)
        with pytest.raises(StoreBusy, match="another stage of this run"):
            with second.writing(wait_seconds=0.1):
                pass
        threading.Timer(0.3, release.set).start()
        started = time.monotonic()
        with second.writing(wait_seconds=20):
            waited = time.monotonic() - started
            second.add_capture("b", response(b"<p>b</p>"))
    finally:
        release.set()
        holder.join(10)
    assert waited > 0.2, "it waited for the first writer"
    assert [c.source for c in first.captures()] == ["a", "b"]
