"""Write locks per source: writers of different sources never wait for each other, two writers
of one source do, and `reextract`/`backfill` (the whole data root) wait for every writer.
On SQLite the locks are flocks under the data root; on PostgreSQL, the database's advisory
locks, freed when the holder dies."""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from datetime import datetime, timezone

import pytest

from snapshots.store import SnapshotStore, StoreBusy
from tests.postgres import pg_server, pg_url  # noqa: F401  (fixtures)
from tests.test_store import response

T0 = datetime(2024, 5, 28, tzinfo=timezone.utc)


def _hold(root: str, db_url: str | None, source: str | None, ready, release) -> None:
    with SnapshotStore(root, db_url).writing(source=source):
        ready.set()
        release.wait(30)


class Holder:
    """Another process holding a write lock until released (or killed)."""

    def __init__(self, root, db_url: str | None, source: str | None):
        context = multiprocessing.get_context("fork")
        self.ready, self.release = context.Event(), context.Event()
        self.process = context.Process(target=_hold, args=(str(root), db_url, source, self.ready, self.release))

    def __enter__(self) -> Holder:
        self.process.start()
        assert self.ready.wait(30), "the holder never got its lock"
        return self

    def __exit__(self, *exc) -> None:
        self.release.set()
        self.process.join(10)


def waited(store: SnapshotStore, source: str | None, wait: float) -> float:
    started = time.monotonic()
    with store.writing(wait, source=source):
        return time.monotonic() - started


def check_locks(root, db_url: str | None) -> None:
    store = SnapshotStore(root, db_url)
    with Holder(root, db_url, "a") as holder:
        assert waited(store, "b", 5) < 1, "a writer of another source must not wait"
        with pytest.raises(StoreBusy, match=rf"source 'a' in data dir .* is in use by pid {holder.process.pid} "):
            waited(store, "a", 0.3)
        with pytest.raises(StoreBusy, match=r"^data dir .* is in use by .*--wait-lock"):
            waited(store, None, 0.3)  # reextract, backfill: the whole data root
        threading.Timer(0.5, holder.release.set).start()
        assert 0.3 < waited(store, "a", 20) < 15, "the second writer of a source waits for the first"
    with Holder(root, db_url, None):
        with pytest.raises(StoreBusy, match=r"^data dir "):
            waited(store, "b", 0.3)


def test_sqlite_one_lock_per_source_and_the_data_root_over_them(tmp_path):
    check_locks(tmp_path, None)


def test_postgresql_advisory_locks_per_source_and_the_data_root(tmp_path, pg_url):
    check_locks(tmp_path, pg_url)
    store = SnapshotStore(tmp_path, pg_url)
    holder = Holder(tmp_path, pg_url, "a").__enter__()
    os.kill(holder.process.pid, signal.SIGKILL)
    holder.process.join(10)
    assert waited(store, "a", 20) < 10, "a killed holder's session ends, and its lock with it"


def test_a_source_writer_repairs_only_its_own_files(tmp_path):
    store = SnapshotStore(tmp_path)
    a = store.add_capture("a", response(b"<p>a</p>", T0))
    b = store.add_capture("b", response(b"<p>b</p>", T0))
    sizes = {c.source: (tmp_path / c.warc_file).stat().st_size for c in (a, b)}
    for capture in (a, b):  # what a writer appending right now (or one killed mid-append) leaves
        with open(tmp_path / capture.warc_file, "ab") as fh:
            fh.write(b"\x1f\x8b a record being written")
    with store.writing(source="b"):
        pass
    assert (tmp_path / b.warc_file).stat().st_size == sizes["b"], "b's torn tail is cut under b's lock"
    assert (tmp_path / a.warc_file).stat().st_size > sizes["a"], "a's file is a's writer's: left alone"
    with store.writing():
        pass
    assert (tmp_path / a.warc_file).stat().st_size == sizes["a"], "the whole-root lock repairs every file"


def test_runs_finishing_together_keep_every_report(tmp_path):
    store = SnapshotStore(tmp_path)
    start = threading.Barrier(6)

    def record(number: int) -> None:
        start.wait()
        store.record_run(T0, T0, f"# report {number}\n", f"run {number}")

    threads = [threading.Thread(target=record, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    reports = sorted(p.read_text() for p in (tmp_path / "reports").iterdir())
    assert reports == [f"# report {n}\n" for n in range(6)], "no report overwrote another, no temporary file left"
