"""The snapshot store under faults and at its edges: a full disk, a read-only data dir, repairs
said once, the lock free while fetching, and dedup that points at the right record."""

from __future__ import annotations

import logging
import os
import threading
import time
from datetime import timedelta
from pathlib import Path

import pytest

from flows.backfill import from_html_dir  # imports Prefect, which sets up logging: before caplog
from flows.config import Source
from flows.pipeline import fetch_source, replay_files
from snapshots.fetch import FetchPolicy
from snapshots.store import SnapshotStore, StoreError
from tests.faults import fill, read_only, simulated_full_disk, small_disk, whole
from tests.http_server import Reply
from tests.test_store import T0, response

PAGE = b"<html><body><h1>Fagr\xc3\xa5d</h1><p>Hilde Myhren (leiar)</p></body></html>"


def test_three_identical_captures_all_point_at_the_record_that_holds_the_body(tmp_path):
    store = SnapshotStore(tmp_path)
    first = store.add_capture("s", response(PAGE))
    second = store.add_capture("s", response(PAGE, T0 + timedelta(days=1)))
    third = store.add_capture("s", response(PAGE, T0 + timedelta(days=2)))
    assert (second.record_type, third.record_type) == ("revisit", "revisit")
    assert second.revisit_of == third.revisit_of == first.id, "never a revisit of a revisit"
    assert store.read_body(third) == PAGE


def test_an_error_answer_with_the_same_bytes_is_not_a_revisit_of_the_page(tmp_path):
    store = SnapshotStore(tmp_path)
    store.add_capture("s", response(PAGE))
    gone = store.add_capture("s", response(PAGE, T0 + timedelta(days=1), status=404))
    assert gone.record_type == "response" and gone.body_bytes == len(PAGE)
    assert gone.revisit_of is None


def test_a_backfilled_copy_is_deduplicated_against_the_capture_before_it(tmp_path):
    store = SnapshotStore(tmp_path)
    old, new = b"<p>2020</p>", b"<p>2024</p>"
    first = store.add_capture("s", response(old, T0 - timedelta(days=4 * 365)), origin="backfill")
    store.add_capture("s", response(new, T0))
    # a copy from between the two, equal to the one before it: a revisit of that one
    middle = store.add_capture("s", response(old, T0 - timedelta(days=2 * 365)), origin="backfill")
    assert middle.record_type == "revisit" and middle.revisit_of == first.id
    # a copy older than everything, equal to today's page: nothing before it, so its own body
    oldest = store.add_capture("s", response(new, T0 - timedelta(days=6 * 365)), origin="backfill")
    assert oldest.record_type == "response" and store.read_body(oldest) == new


def test_a_cut_tail_is_said_once_in_the_log_with_its_bytes(tmp_path, caplog):
    store = SnapshotStore(tmp_path)
    capture = store.add_capture("s", response(PAGE))
    with open(tmp_path / capture.warc_file, "ab") as fh:
        fh.write(b"\x1f\x8b half a record")
    with caplog.at_level(logging.WARNING, logger="snapshots.store"):
        with store.writing():
            pass
        with store.writing():
            pass
    notes = [r.getMessage() for r in caplog.records if r.name == "snapshots.store"]
    assert notes == [f"repaired {capture.warc_file}: cut 16 unindexed bytes left by an interrupted run"]
    assert store.repairs == [notes[0].removeprefix("repaired ")]
    whole(tmp_path)


def _full_disk_checks(store: SnapshotStore, root: Path) -> None:
    before = whole(root)
    with pytest.raises(StoreError) as caught:
        with store.writing():
            store.add_capture("s", response(PAGE + b"<p>new</p>" * 2000, T0 + timedelta(days=1)))
    message = str(caught.value)
    assert message.startswith(f"data dir {root} is full (") and " free on its disk)" in message
    assert "\n" not in message and "nothing stored was lost" in message
    assert whole(root) == before, "a failed write leaves every file as it was"
    reader = SnapshotStore(root, readonly=True)
    assert [c.id for c in reader.captures("s")] == [c.id for c in store.captures("s")]


def test_a_full_disk_is_one_line_naming_the_data_dir_and_the_free_space(tmp_path):
    with small_disk(tmp_path / "disk", 640) as disk:
        if disk is None:
            store = SnapshotStore(tmp_path / "data")
            store.add_capture("s", response(PAGE))
            with simulated_full_disk(store):
                _full_disk_checks(store, tmp_path / "data")
            return
        root = disk / "data"
        store = SnapshotStore(root)
        store.add_capture("s", response(PAGE))
        filler = fill(disk)
        _full_disk_checks(store, root)
        with pytest.raises(StoreError, match="is full"):
            store.record_run(T0, T0, "# report\n" * 2000, "s: unchanged")
        assert list((root / "reports").iterdir()) == [], "no half-written report left"
        filler.unlink()
        with store.writing():
            later = store.add_capture("s", response(b"<p>room again</p>", T0 + timedelta(days=2)))
        assert store.read_body(later) == b"<p>room again</p>"
        store.engine.dispose()


def test_a_read_only_data_dir_answers_queries_and_refuses_writes_in_one_line(tmp_path):
    root = tmp_path / "data"
    store = SnapshotStore(root)
    first = store.add_capture("s", response(PAGE))
    store.engine.dispose()
    with read_only(root):
        reader = SnapshotStore(root, readonly=True)
        assert [c.id for c in reader.captures("s")] == [first.id]
        assert reader.read_body(first) == PAGE
        reader.engine.dispose()
        with pytest.raises(StoreError) as caught:
            SnapshotStore(root).add_capture("s", response(b"<p>x</p>", T0 + timedelta(days=1)))
        message = str(caught.value)
        assert message.startswith(f"data dir {root} is read-only (") and "the query commands still work" in message


def test_the_lock_is_free_while_a_fetch_waits_on_the_network(tmp_path, http_server):
    http_server.route("/page", Reply(body=PAGE, delay=1.5))
    source = Source("s", "S", http_server.url("/page"), "nb", (), allow_private=True)
    store = SnapshotStore(tmp_path)
    fetched = []
    worker = threading.Thread(target=lambda: fetched.append(fetch_source(store, source, FetchPolicy(respect_robots=False))))
    worker.start()
    while not http_server.requests_to("/page"):
        time.sleep(0.01)
    started = time.monotonic()
    with SnapshotStore(tmp_path).writing(wait_seconds=0.5):
        waited = time.monotonic() - started
    worker.join()
    assert waited < 0.5, "another writer got the lock while the fetch was waiting"
    assert fetched[0].capture is not None and fetched[0].capture.status == 200


def test_replay_and_backfill_read_regular_files_inside_the_directory_only(tmp_path, caplog):
    secret = tmp_path / "outside" / "secret.txt"
    secret.parent.mkdir()
    secret.write_text("root:x:0:0 not a page")
    copies = tmp_path / "copies"
    folder = copies / "s"
    folder.mkdir(parents=True)
    (folder / "2024-01-01.html").write_bytes(PAGE)
    (folder / "2024-02-01.html").symlink_to(secret)
    os.mkfifo(folder / "2024-03-01.html")  # reading it would block for ever
    (copies / "linked").symlink_to(secret.parent, target_is_directory=True)
    source = Source("s", "S", "https://x.no/", "nb", ())
    with caplog.at_level(logging.WARNING, logger="flows.inputs"):
        replayed = replay_files(copies, "s")
        backfilled = from_html_dir(copies, [source])
        assert replay_files(copies, "linked") == []
    assert [path.name for _, path in replayed] == ["2024-01-01.html"]
    assert [copy.body for copy in backfilled] == [PAGE]
    said = " ".join(r.getMessage() for r in caplog.records)
    assert "2024-02-01.html: a symbolic link" in said and "2024-03-01.html: not a regular file" in said
    assert "leads out of" in said
