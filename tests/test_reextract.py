"""Re-extraction: an extractor change corrects a planted history error and says so; new
extractions sit beside the old ones; a second run writes nothing; a killed run carries on."""

from __future__ import annotations

import contextlib
import io
import os
import signal
import subprocess
import sys
import textwrap
from collections import Counter
from dataclasses import replace
from pathlib import Path

import pytest
from sqlalchemy import func, select

from extractors import EXTRACTOR_VERSION, extract
from flows import history
from flows.config import DEFAULT_SOURCES, load_sources
from flows.pipeline import replay_capture, replay_files
from outputs.events import ChangeEvent
from snapshots.index import changes, extractions
from snapshots.store import SnapshotStore
from tests.fixtures.build_history import EXPECTED

HISTORY = Path(__file__).parent / "fixtures" / "history"
OLD = "0.0.1-broken"
SOURCES = list(load_sources(DEFAULT_SOURCES).values())


def broken_extract(html: str, source: str, *, url: str | None = None, language: str | None = None):
    """The "old" extractor, with three planted bugs: it gives Hilde Myhren the wrong organisation,
    misses Lilly Ann Elvestad, and calls Susanne Lie "leiar" when the list is reordered."""
    extraction = extract(html, source, url=url, language=language)
    reordered = "Susanne Lie" in html and html.index("Susanne Lie") < html.index("Stephen McAdam")

    def fix(member):
        if member.name == "Hilde Myhren":
            return replace(member, organisation="Datatilsynet")
        if member.name == "Susanne Lie" and reordered:
            return replace(member, role="leiar")
        return member

    groups = tuple(
        replace(g, members=tuple(fix(m) for m in g.members if m.name != "Lilly Ann Elvestad")) for g in extraction.groups
    )
    return replace(extraction, groups=groups, extractor_version=OLD)


def stop_after(count: int):
    """An extractor that SIGKILLs its own process on the `count`-th page (a crash mid-run)."""
    calls = []

    def extract_or_die(html, source, **kw):
        calls.append(1)
        if len(calls) == count:
            os.kill(os.getpid(), signal.SIGKILL)
        return extract(html, source, **kw)

    return extract_or_die


def replayed_store(root: Path) -> SnapshotStore:
    store = SnapshotStore(root)
    for source in SOURCES:
        for when, path in replay_files(HISTORY, source.id):
            replay_capture(store, source, when, path)
    return store


def events(store: SnapshotStore, version: str, source: str | None = None) -> list[tuple[str, str, str | None]]:
    return [(e.at[:10], e.kind, e.person) for e in map(ChangeEvent.from_json, store.change_rows(version, source=source))]


def count(store: SnapshotStore, table) -> int:
    with store.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_extractor_change_corrects_the_planted_history_error(prefect_harness, tmp_path):
    from flows.cli import main

    store = replayed_store(tmp_path)
    history.reextract_sources(store, SOURCES, OLD, broken_extract)
    old = events(store, OLD, "fagrad-pm")
    assert ("2023-09-01", "role_changed", "Susanne Lie") in old
    assert ("2024-05-28", "joined", "Lilly Ann Elvestad") not in old

    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--data-dir", str(tmp_path), "reextract", "--workers", "2"]) == 0
    report = out.getvalue()
    assert "fagrad-pm: 3 of 3 captures extracted" in report
    assert f"vs {OLD}: 1 event corrected, 1 added, 2 removed" in report
    assert "norprem: 3 of 3 captures extracted" in report and f"vs {OLD}: 0 events corrected, 0 added, 0 removed" in report
    assert "corrected 2024-05-28  Hilde Myhren joined Representantar (Helsedirektoratet, leiar)" in report
    assert "added     2024-05-28  Lilly Ann Elvestad joined" in report
    assert "in all: 1 event corrected, 1 added, 2 removed" in report
    for source, expected in EXPECTED.items():
        assert Counter(events(store, EXTRACTOR_VERSION, source)) == Counter(expected), source
    assert events(store, OLD, "fagrad-pm") == old, "the old history is kept as it was"
    assert count(store, extractions) == 12, "new extractions beside the old ones, none overwritten"

    rows, reports = count(store, changes), len(list((tmp_path / "reports").iterdir()))
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["--data-dir", str(tmp_path), "reextract"]) == 0
    assert "fagrad-pm: nothing to extract (3 captures already done" in out.getvalue()
    assert "history up to date" in out.getvalue()
    assert (count(store, changes), count(store, extractions)) == (rows, 12)
    assert len(list((tmp_path / "reports").iterdir())) == reports, "a second run writes nothing"


def test_history_derived_again_equals_the_one_tracking_built(tmp_path):
    from flows.pipeline import process_pending

    store = replayed_store(tmp_path)
    for source in SOURCES:
        process_pending(store, source)
        built = store.history_rows(source.id, EXTRACTOR_VERSION)
        assert history.derive_history(store, source, EXTRACTOR_VERSION).events == built
        assert history.recompute_history(store, source, EXTRACTOR_VERSION) is False


def test_a_killed_reextract_carries_on_where_it_stopped(tmp_path):
    store = replayed_store(tmp_path)
    script = textwrap.dedent(
        f"""
        from flows import history
        from snapshots.store import SnapshotStore
        from tests.test_reextract import SOURCES, stop_after
        history.BATCH = 1
        history.reextract_sources(SnapshotStore({str(tmp_path)!r}), SOURCES, "v2", stop_after(4))
        """
    )
    killed = subprocess.run([sys.executable, "-c", script], cwd=Path(__file__).parents[1], capture_output=True)
    assert killed.returncode == -signal.SIGKILL, killed.stderr.decode()
    assert count(store, extractions) == 3 and count(store, changes) == 0, "three pages stored, no history yet"

    results = history.reextract_sources(store, SOURCES, "v2", extract)
    assert sum(r.extracted for r in results) == 3
    for source, expected in EXPECTED.items():
        assert Counter(events(store, "v2", source)) == Counter(expected), source


def test_a_date_window_extracts_its_captures_and_the_baseline_before_it(tmp_path):
    store = replayed_store(tmp_path)
    fagrad = [s for s in SOURCES if s.id == "fagrad-pm"]
    (result,) = history.reextract_sources(store, fagrad, "v2", extract, since="2024-01-01")
    assert (result.extracted, result.captures) == (2, 1), "2023-09-01 as baseline, 2024-05-28 in the window"
    assert Counter(events(store, "v2")) == Counter(EXPECTED["fagrad-pm"])
    (again,) = history.reextract_sources(store, fagrad, "v2", extract, since="2024-01-01")
    assert (again.extracted, again.history_written) == (0, False)


@pytest.mark.parametrize("argv, message", [
    (["reextract", "--since", "2024-02-01", "--until", "2024-01-01"], "--since 2024-02-01 is after --until 2024-01-01"),
    (["reextract", "--source", "nosuch"], "unknown source 'nosuch'"),
    (["reextract"], "nothing to re-extract"),
])
def test_reextract_input_errors_are_one_line(tmp_path, capsys, argv, message):
    from flows.cli import main

    store = tmp_path / "empty" if argv == ["reextract"] else tmp_path
    if store == tmp_path:
        SnapshotStore(tmp_path)
    assert main(["--data-dir", str(store), *argv]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
