"""The noise suite: every kind of edit real sites make, on both tracked pages and on pages of
other bodies (`tests/noise.py` builds them). A cosmetic edit, kept for two more identical
captures and then undone, gives no composition event; a bad capture gives one
`suspect_extraction` and nothing else; a real edit gives exactly the planted events.

`python -m tests.noise` prints the same cases as a table with totals."""

from __future__ import annotations

import shutil
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

import pytest

from extractors import EXTRACTOR_VERSION
from extractors.cms import render
from flows.config import Source
from flows.pipeline import process_pending, replay_capture
from snapshots.store import SnapshotStore
from tests.noise import SHARED, all_cases, capture_times, deep, div_strong, page_doc, run_case

pytestmark = pytest.mark.skipif(not SHARED.is_dir(), reason="needs ../shared/pages")
CASES = all_cases() if SHARED.is_dir() else []


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_edit(case, tmp_path, http_server):
    outcome = run_case(case, tmp_path, http_server)
    said = [(e.kind, e.person or e.group, e.diff) for e in outcome.events]
    assert not outcome.false_events, said
    if case.broken:
        assert len(outcome.suspects) == 1, said
    if not case.cosmetic:
        assert Counter(map(_subject, outcome.events)) == Counter(case.expected), said


def _subject(event):
    return (event.kind, event.group if event.kind.startswith("group_") else event.person)


def test_the_suite_covers_what_the_issue_lists():
    names = {c.edit for c in CASES}
    for edit in ("div-strong", "dl", "empty-200", "deep-nesting", "list-missing", "latin-1", "invalid-utf8",
                 "en-dash", "x-ks", "heading-typo-fixed", "title-vedlikehold", "http-404", "http-503"):
        assert edit in names
    kinds = {kind for c in CASES for kind, _ in c.expected}
    assert kinds >= {
        "joined", "left", "role_changed", "organisation_changed", "region_changed", "name_variant", "group_added",
        "group_removed", "group_renamed", "mandate_added", "mandate_removed", "mandate_edited", "page_dates_changed",
    }
    assert {c.page for c in CASES} >= {"fagrad-pm", "norprem"} and len({c.page for c in CASES}) >= 6


# ------------------------------------------------------------------------------ copies out of order

SOURCE = Source("fagrad-pm", "Fagråd", "https://www.helsedirektoratet.no/fagrad", "nn", ("www.helsedirektoratet.no",))


def _versions() -> list[str]:
    """Six captures with real changes between them, a redesign and a bad capture among them."""
    doc = page_doc("fagrad-pm-2024-full")
    from extractors.cms import edit

    older = edit(edit(doc, "Kreftregisteret v/Giske Ursin", "Kreftregisteret v/Marit Bakken"), "Abelia v/Stephen McAdam", "Abelia v/Olav Lunde")
    oldest = edit(older, "Datatilsynet v/Susanne Lie", "Datatilsynet v/Bjørn Erik Thon")
    return [
        render(oldest), render(older), div_strong(render(older)), deep(render(doc)), render(doc, "table"), render(doc),
    ]


def _history(store: SnapshotStore) -> list[tuple]:
    """What the history says, capture by capture time (ids differ with the order copies arrived in)."""
    at = {c.id: c.fetched_at for c in store.captures(SOURCE.id)}
    accepted = sorted((at[cid], ok) for cid, (ok, _) in store.extracted(SOURCE.id, EXTRACTOR_VERSION).items())
    events = [(at[cid], kind, js.replace(f'"to_capture": {cid}', "")) for cid, kind, _, js in store.history_rows(SOURCE.id, EXTRACTOR_VERSION)]
    return accepted + sorted((t, k) for t, k, _ in events)


def _replay(store: SnapshotStore, folder: Path, items: list[tuple[datetime, str]]) -> None:
    for when, html in items:
        path = folder / f"{when:%Y-%m-%d}.html"
        path.write_text(html, encoding="utf-8")
        replay_capture(store, SOURCE, when, path)
        process_pending(store, SOURCE)


def test_older_copies_replayed_into_a_store_with_newer_captures_give_the_history_of_importing_in_order(tmp_path):
    dated = list(zip(capture_times(6), _versions()))
    in_order = SnapshotStore(tmp_path / "in-order")
    (tmp_path / "a").mkdir()
    _replay(in_order, tmp_path / "a", dated)
    kinds = Counter(k for _, k, _, _ in in_order.history_rows(SOURCE.id, EXTRACTOR_VERSION))
    assert kinds == Counter({"joined": 3, "left": 3, "suspect_extraction": 1}), kinds

    late = SnapshotStore(tmp_path / "late")
    (tmp_path / "b").mkdir()
    _replay(late, tmp_path / "b", dated[3:])  # the newer captures first
    _replay(late, tmp_path / "b", dated[:3])  # then the older copies turn up
    assert _history(late) == _history(in_order)
    assert len(late.captures(SOURCE.id)) == 6

    shutil.rmtree(tmp_path / "b")
    (tmp_path / "b").mkdir()
    one_by_one = SnapshotStore(tmp_path / "reversed")
    _replay(one_by_one, tmp_path / "b", list(reversed(dated)))
    assert _history(one_by_one) == _history(in_order)


def test_a_late_copy_reports_the_events_it_brings(tmp_path):
    dated = list(zip(capture_times(6), _versions()))
    store = SnapshotStore(tmp_path / "data")
    (tmp_path / "c").mkdir()
    _replay(store, tmp_path / "c", [dated[0], dated[5]])
    path = tmp_path / "c" / "older.html"
    path.write_text(dated[1][1], encoding="utf-8")
    replay_capture(store, SOURCE, dated[1][0], path)
    processed = process_pending(store, SOURCE)
    # the late copy splits one comparison in two; what it says that the history did not say
    # already is that Susanne Lie joined then (the later events only changed their provenance)
    assert sorted((e.kind, e.person) for e in processed.events) == [("joined", "Susanne Lie"), ("left", "Bjørn Erik Thon")]
    assert processed.captures == 1
    assert sorted(k for _, k, _, _ in store.history_rows(SOURCE.id, EXTRACTOR_VERSION)) == ["joined"] * 3 + ["left"] * 3


def test_a_capture_with_an_error_status_is_no_event_and_no_composition(tmp_path, http_server):
    from flows.pipeline import fetch_capture
    from snapshots.fetch import FetchPolicy
    from tests.http_server import Reply

    page = render(page_doc("fagrad-pm-2024-full"))
    http_server.route("/fagrad", Reply(body=page), Reply(status=404, body="<title>404</title>"), Reply(status=500), Reply(body=page))
    source = Source("fagrad-pm", "Fagråd", http_server.url("/fagrad"), "nn", ("127.0.0.1",), allow_private=True)
    store = SnapshotStore(tmp_path / "data")
    policy = FetchPolicy(max_retries=0, respect_robots=False)
    for _ in range(4):
        fetch_capture(store, source, policy)
        assert process_pending(store, source).events == []
    assert [c.status for c in store.captures(source.id)] == [200, 404, 500, 200]
    assert store.history_rows(source.id, EXTRACTOR_VERSION) == []
    assert [ok for _, (ok, _) in sorted(store.extracted(source.id, EXTRACTOR_VERSION).items())] == [True, False, False, True]
