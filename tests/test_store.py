"""The snapshot store: WARC records on disk, the index, dedup, crash recovery and locking."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
import textwrap
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest
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
    assert grown < 2_000, "an unchanged page must not store its body again"
    assert store.read_body(second) == body
    assert all_records(tmp_path / first.warc_file) == ["response", "request", "revisit", "request"]
    third = store.add_capture("s", response(body + b"!", T0 + timedelta(days=2)))
    assert third.record_type == "response" and store.read_body(third) == body + b"!"


def test_not_modified_is_recorded_as_revisit_of_the_last_body(tmp_path):
    store = SnapshotStore(tmp_path)
    first = store.add_capture("s", response(b"<p>v1</p>"))
    again = store.add_capture("s", response(b"", T0 + timedelta(hours=1), status=304))
    assert again.status == 304 and again.record_type == "revisit" and again.revisit_of == first.id
    assert store.read_body(again) == b"<p>v1</p>"
    assert store.last_body_capture(URL).etag == '"v1"'


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
