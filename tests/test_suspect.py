"""No false alarms through the pipeline: a page that suddenly loses most of its members is not
believed, the previous composition stays current, and only a second capture showing the same
drop confirms it (as `left` events, never before)."""

from __future__ import annotations

import re
from datetime import datetime, timezone
from pathlib import Path

from extractors import EXTRACTOR_VERSION
from extractors.model import Extraction
from flows.config import Source
from flows.history import derive_history
from flows.pipeline import process_pending, replay_capture
from snapshots.store import SnapshotStore

FULL = (Path(__file__).parent / "fixtures" / "history" / "fagrad-pm" / "2024-05-28.html").read_text(encoding="utf-8")
SOURCE = Source("fagrad-pm", "Fagråd", "https://www.helsedirektoratet.no/fagrad", "nn", ("www.helsedirektoratet.no",))
KEEP = ("Abelia", "Datatilsynet", "Kreftregisteret")  # 3 of 22 listed members stay


def reduced(html: str) -> str:
    """The page with every member bullet dropped except those of KEEP, and the sentence naming the
    chair gone too: the page no longer names 19 of the 22."""
    html = html.replace(" Hilde Myhren leier fagrådet.", "")
    return re.sub(r"<li>([^<]*v/[^<]*)</li>\n", lambda m: m.group(0) if m.group(1).startswith(KEEP) else "", html)


def replay(store: SnapshotStore, tmp_path: Path, day: int, html: str):
    path = tmp_path / f"2024-06-{day:02d}.html"
    path.write_text(html, encoding="utf-8")
    replay_capture(store, SOURCE, datetime(2024, 6, day, tzinfo=timezone.utc), path)
    return process_pending(store, SOURCE, EXTRACTOR_VERSION)


def current_members(store: SnapshotStore) -> int:
    return Extraction.from_json(store.last_accepted(SOURCE.id, EXTRACTOR_VERSION)[1]).member_count


def test_a_sudden_drop_is_suspect_until_a_second_capture_confirms_it(tmp_path):
    store = SnapshotStore(tmp_path / "data")
    assert replay(store, tmp_path, 1, FULL).baseline_at
    assert current_members(store) == 22

    drop = replay(store, tmp_path, 2, reduced(FULL))
    assert [e.kind for e in drop.events] == ["suspect_extraction"]
    assert "only 3 of 22 members found at once" in drop.events[0].diff
    assert current_members(store) == 22, "the previous composition stays current"

    confirmed = replay(store, tmp_path, 3, reduced(FULL) + "\n")
    kinds = [e.kind for e in confirmed.events]
    assert kinds.count("left") == 19 and "suspect_extraction" not in kinds
    assert current_members(store) == 3

    # re-deriving the stored history applies the same rules and gives the same events
    derived = derive_history(store, SOURCE, EXTRACTOR_VERSION)
    assert derived.events == store.history_rows(SOURCE.id, EXTRACTOR_VERSION)


def test_a_drop_that_recovers_never_reports_anyone_leaving(tmp_path):
    store = SnapshotStore(tmp_path / "data")
    replay(store, tmp_path, 1, FULL)
    replay(store, tmp_path, 2, re.sub(r"<li>[^<]*v/[^<]*</li>\n", "", FULL))
    recovered = replay(store, tmp_path, 3, FULL + "\n")
    assert recovered.events == []
    stored = [row[1] for row in store.history_rows(SOURCE.id, EXTRACTOR_VERSION)]
    assert stored == ["suspect_extraction"], "one suspect event, no left or joined"
