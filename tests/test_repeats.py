"""A capture that repeats the page as last accepted needs no new derivation of the history
(so a run where nothing changed costs the same however long the history is), and the history
stays exactly what a full derivation gives; a repeat after a suspect drop still confirms it, and a
changed people file derives the history again."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from extractors import EXTRACTOR_VERSION
from flows.config import Source
from flows.pipeline import derive_history, process_pending, replay_capture, reviewed_fingerprint
from outputs.reviewed import PinnedPerson, Reviewed
from snapshots.store import SnapshotStore

FULL = (Path(__file__).parent / "fixtures" / "history" / "fagrad-pm" / "2024-05-28.html").read_text(encoding="utf-8")
SOURCE = Source("fagrad-pm", "Fagråd", "https://www.helsedirektoratet.no/fagrad", "nn", ("www.helsedirektoratet.no",))
REDUCED = re.sub(r"<li>([^<]*v/[^<]*)</li>\n", lambda m: m.group(0) if m.group(1).startswith("Abelia") else "", FULL)


def replay(store: SnapshotStore, tmp_path: Path, day: int, html: str, reviewed: Reviewed = Reviewed()):
    path = tmp_path / f"2024-06-{day:02d}.html"
    path.write_text(html, encoding="utf-8")
    replay_capture(store, SOURCE, datetime(2024, 6, day, tzinfo=timezone.utc), path)
    return process_pending(store, SOURCE, EXTRACTOR_VERSION, reviewed)


def full_derivation_agrees(store: SnapshotStore, reviewed: Reviewed = Reviewed()) -> bool:
    derived = derive_history(store, SOURCE, EXTRACTOR_VERSION, reviewed)
    stored_accepted = {cid: ok for cid, (ok, _) in store.extracted(SOURCE.id, EXTRACTOR_VERSION).items()}
    return derived.events == store.history_rows(SOURCE.id, EXTRACTOR_VERSION) and derived.accepted == stored_accepted


def test_a_repeat_of_the_accepted_page_moves_the_derivation_on_and_changes_nothing(tmp_path):
    store = SnapshotStore(tmp_path / "data")
    replay(store, tmp_path, 1, FULL)
    first = store.derivation(SOURCE.id, EXTRACTOR_VERSION)
    again = replay(store, tmp_path, 2, FULL)
    assert again.events == [] and not again.suspect
    fingerprint, last = store.derivation(SOURCE.id, EXTRACTOR_VERSION)
    assert fingerprint == first[0] and last != first[1], "the record now covers the repeat"
    assert full_derivation_agrees(store)


def test_a_repeat_of_a_suspect_drop_still_confirms_it(tmp_path):
    store = SnapshotStore(tmp_path / "data")
    replay(store, tmp_path, 1, FULL)
    drop = replay(store, tmp_path, 2, REDUCED)
    assert [e.kind for e in drop.events] == ["suspect_extraction"]
    confirmed = replay(store, tmp_path, 3, REDUCED)  # the very same bytes again
    assert [e.kind for e in confirmed.events].count("left") == 20  # 22 listed; Abelia and the chair named in prose stay
    assert full_derivation_agrees(store)


def test_a_changed_people_file_derives_the_history_again(tmp_path):
    store = SnapshotStore(tmp_path / "data")
    respelled = FULL.replace("Stephen McAdam", "Steven McAdams")
    replay(store, tmp_path, 1, FULL)
    replay(store, tmp_path, 2, respelled)
    unpinned = store.history_rows(SOURCE.id, EXTRACTOR_VERSION)
    pinned = Reviewed(persons=(PinnedPerson("Stephen McAdam", ("Steven McAdams",)),))
    replay(store, tmp_path, 3, respelled, pinned)  # the same page again, read with the maintainer's decision
    assert store.history_rows(SOURCE.id, EXTRACTOR_VERSION) != unpinned
    assert full_derivation_agrees(store, pinned)
