"""Build a store from a fixture history with the pipeline functions (no Prefect), for the
analyst-output tests: the same stages `track --replay` runs, in a fraction of the time."""

from __future__ import annotations

from pathlib import Path

from flows import pipeline
from flows.config import DEFAULT_SOURCES, load_sources
from outputs.reviewed import Reviewed, load_reviewed
from snapshots.store import SnapshotStore

HISTORY_2019 = Path(__file__).parent / "fixtures" / "history-2019"


def replay(data_dir: Path, history: Path = HISTORY_2019, reviewed: Reviewed | None = None) -> SnapshotStore:
    store = SnapshotStore(data_dir)
    reviewed = load_reviewed() if reviewed is None else reviewed
    for source in load_sources(DEFAULT_SOURCES).values():
        for when, path in pipeline.replay_files(history, source.id):
            pipeline.replay_capture(store, source, when, path)
        pipeline.process_pending(store, source, reviewed=reviewed)
    return store
