"""`track --replay DIR` and `backfill --html DIR` as a user meets them: the layout is checked
before anything is stored, and a file whose name is no date is said and left out while the
other copies are read."""

from __future__ import annotations

import contextlib
import io
import shutil
from pathlib import Path

from flows.cli import main
from snapshots.store import SnapshotStore

HISTORY = Path(__file__).parent / "fixtures" / "history"


def cli(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_copies_directly_in_dir_are_refused_with_what_was_seen_and_what_is_expected(tmp_path):
    flat = tmp_path / "copies"
    shutil.copytree(HISTORY / "fagrad-pm", flat)
    (flat / "notes").mkdir()
    data = tmp_path / "data"
    code, out, err = cli("--data-dir", str(data), "track", "--replay", str(flat))
    assert (code, out) == (2, "")
    assert err == (
        f"rosterwatch: --replay {flat}: no folder named after a source (norprem/, fagrad-pm/); it holds: "
        f"2023-01-15.html, 2023-09-01.html, 2024-05-28.html, notes/. Put each source's copies in "
        f"{flat}/<source-id>/<ISO date or datetime>.html (e.g. {flat}/norprem/2024-05-28.html), "
        "or name the one source these copies are of with --source ID\n"
    )
    assert not (data / "index.sqlite").exists(), "nothing stored"

    code, out, err = cli("--data-dir", str(data), "track", "--replay", str(flat), "--source", "fagrad-pm")
    assert code == 0 and "Lilly Ann Elvestad joined" in out
    assert len(SnapshotStore(data).captures("fagrad-pm")) == 3


def test_a_badly_named_copy_is_said_and_skipped_and_the_rest_replayed(tmp_path):
    copies = tmp_path / "copies" / "fagrad-pm"
    shutil.copytree(HISTORY / "fagrad-pm", copies)
    shutil.copy(copies / "2024-05-28.html", copies / "latest.html")
    shutil.copy(copies / "2024-05-28.html", copies / "2024-02-30.html")
    data = tmp_path / "data"
    code, out, err = cli("--data-dir", str(data), "track", "--replay", str(copies.parent))
    assert code == 0
    assert err.splitlines()[:2] == [
        f"rosterwatch: --replay: skipped {copies}/2024-02-30.html: the file name is no real date and time, "
        "e.g. 2024-05-28.html or 2024-05-28T06-00.html",
        f"rosterwatch: --replay: skipped {copies}/latest.html: the file name must be an ISO date or datetime, "
        "e.g. 2024-05-28.html or 2024-05-28T06-00.html",
    ]
    assert "Traceback" not in err and "None" not in out
    assert "Lilly Ann Elvestad joined" in out and "(norprem)" not in out, "a source with no folder is not in the run"
    assert [c.fetched_at[:10] for c in SnapshotStore(data).captures("fagrad-pm")] == ["2023-01-15", "2023-09-01", "2024-05-28"]

    code, out, err = cli("--data-dir", str(data), "track", "--replay", str(copies.parent), "--source", "norprem", "--source", "fagrad-pm")
    assert code == 0 and f"rosterwatch: --replay: no folder {copies.parent}/norprem/, so norprem is not replayed\n" in err

    code, _, err = cli("--data-dir", str(tmp_path / "backfilled"), "backfill", "--html", str(copies.parent))
    assert code == 0 and f"rosterwatch: --html: skipped {copies}/latest.html: the file name must be" in err
    assert len(SnapshotStore(tmp_path / "backfilled").captures("fagrad-pm")) == 3
