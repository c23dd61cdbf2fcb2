"""The index on PostgreSQL (ROSTERWATCH_DB_URL) with the same code: the store's writes and
reads, `track` over the fixture history and `reextract` after an extractor change."""

from __future__ import annotations

import contextlib
import io
import json
from collections import Counter
from pathlib import Path

from extractors import EXTRACTOR_VERSION
from flows import history
from snapshots.store import SnapshotStore
from tests.fixtures.build_history import EXPECTED
from tests.postgres import pg_server, pg_url  # noqa: F401  (fixtures)
from tests.test_reextract import OLD, SOURCES, broken_extract, events
from tests.test_store import response

HISTORY = Path(__file__).parent / "fixtures" / "history"


def test_store_on_postgresql_dedups_reads_back_and_recovers(tmp_path, pg_url):
    store = SnapshotStore(tmp_path, pg_url)
    assert store.engine.dialect.name == "postgresql"
    first = store.add_capture("fagrad-pm", response(b"<p>one</p>"))
    second = store.add_capture("fagrad-pm", response(b"<p>one</p>", when=_later(first.fetched_at)))
    assert (second.id, second.record_type, second.revisit_of, second.body_bytes) == (first.id + 1, "revisit", first.id, 0)
    assert store.read_body(second) == b"<p>one</p>"
    with open(tmp_path / first.warc_file, "ab") as fh:
        fh.write(b"torn tail of a killed run")
    with store.writing(5):
        assert store.recover() == []  # recovered on entry already
    assert not (tmp_path / "index.sqlite").exists()


def _later(stamp: str):
    from datetime import datetime, timedelta

    return datetime.fromisoformat(stamp.replace("Z", "+00:00")) + timedelta(days=1)


def test_track_and_reextract_on_postgresql(prefect_harness, tmp_path, pg_url, monkeypatch):
    from flows.cli import main
    from flows.track import track

    monkeypatch.setenv("ROSTERWATCH_DB_URL", pg_url)
    result = track(data_dir=str(tmp_path), replay_dir=str(HISTORY))
    assert not result.failed and "Lilly Ann Elvestad joined" in result.report
    store = SnapshotStore(tmp_path, pg_url)
    for source, expected in EXPECTED.items():
        assert Counter(events(store, EXTRACTOR_VERSION, source)) == Counter(expected), source
    assert not (tmp_path / "index.sqlite").exists(), "nothing of the index lands in the data dir"

    # the "old" extractor's history, then the current one derived again through the flow
    history.reextract_sources(store, SOURCES, OLD, broken_extract)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--data-dir", str(tmp_path), "reextract", "--against", OLD]) == 0
    assert f"vs {OLD}: 1 event corrected, 1 added, 2 removed" in out.getvalue()
    assert "nothing to extract (3 captures already done" in out.getvalue()

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--data-dir", str(tmp_path), "changes", "--json", "--since", "2024-01-01"]) == 0
    assert {e["kind"] for e in json.loads(out.getvalue())} >= {"joined", "left", "chair_changed"}
