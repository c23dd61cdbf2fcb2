"""The long fault trials (`make faults`, not CI): SIGKILL a long `track --replay` at random
moments, and run writers side by side on one data dir.

After every kill: no process of the killed command is left running, every capture stored
before is still there and readable, and no byte stored before was changed. After the last
kill an uninterrupted run finishes the history, and it equals the history of a run that was
never interrupted. ROSTERWATCH_KILL_TRIALS (24) sets the number of kills and
ROSTERWATCH_KILL_SEED (13) the random moments.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import pytest

from snapshots.store import SnapshotStore
from tests.faults import whole

pytestmark = pytest.mark.long

SCRIPT = Path(sys.executable).parent / "rosterwatch"
HISTORY = Path(__file__).parent / "fixtures" / "history"
TRIALS = int(os.environ.get("ROSTERWATCH_KILL_TRIALS", "24"))
SEED = int(os.environ.get("ROSTERWATCH_KILL_SEED", "13"))


def long_replay(root: Path, copies: int = 40) -> Path:
    """`copies` weekly copies of each source, cycling through its fixture versions."""
    for source in ("fagrad-pm", "norprem"):
        pages = sorted((HISTORY / source).glob("*.html"))
        folder = root / source
        folder.mkdir(parents=True)
        for week in range(copies):
            day = date(2020, 1, 6) + timedelta(weeks=week)
            shutil.copy(pages[(week // 5) % len(pages)], folder / f"{day.isoformat()}.html")
    return root


def environment(home: Path) -> dict[str, str]:
    env = dict(os.environ, PREFECT_HOME=str(home))
    env.pop("PREFECT_API_URL", None)
    return env


def start(data: Path, replay: Path, home: Path, *extra: str) -> subprocess.Popen:
    """The command in its own session, output to files (a pipe would stay open in a left-over child)."""
    home.mkdir(parents=True, exist_ok=True)
    return subprocess.Popen(
        [str(SCRIPT), "--data-dir", str(data), *extra, "track", "--replay", str(replay)],
        stdout=open(home / "stdout", "w"), stderr=open(home / "stderr", "w"), env=environment(home), start_new_session=True,
    )


def session_members(session: int) -> list[int]:
    """Live processes of a session (the killed command's children, if any survived it)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":
            found.append(int(entry.name))
    return found


def history_of(data: Path) -> list[tuple]:
    done = subprocess.run(
        [str(SCRIPT), "--data-dir", str(data), "changes", "--json"], capture_output=True, text=True, check=True
    )
    return sorted((e["at"], e["kind"], e["source"], e["group"] or "", e["person"] or "") for e in json.loads(done.stdout))


def captures_of(data: Path) -> list[tuple]:
    store = SnapshotStore(data, readonly=True)
    try:
        return sorted((c.source, c.fetched_at, c.payload_sha256 or "", c.status) for c in store.captures())
    finally:
        store.engine.dispose()


def test_kills_at_random_moments_lose_nothing_and_leave_no_process(tmp_path):
    replay = long_replay(tmp_path / "replay")
    reference = tmp_path / "reference"
    started = time.monotonic()
    done = subprocess.run([str(SCRIPT), "--data-dir", str(reference), "track", "--replay", str(replay)],
                          capture_output=True, text=True, env=environment(tmp_path / "home-ref"))
    assert done.returncode == 0, done.stderr
    full_run = time.monotonic() - started

    data = tmp_path / "data"
    moments = random.Random(SEED)
    orphans: list[tuple[int, list[int]]] = []
    for trial in range(TRIALS):
        before = whole(data) if (data / "index.sqlite").exists() else {}
        kept = captures_of(data) if before else []
        run = start(data, replay, tmp_path / f"home-{trial}")
        time.sleep(moments.uniform(0.2, full_run))
        os.kill(run.pid, signal.SIGKILL)
        run.wait()
        time.sleep(1.0)
        left = session_members(run.pid)
        if left:
            orphans.append((trial, left))
            for pid in left:
                os.kill(pid, signal.SIGKILL)
        # nothing stored before this kill is lost or changed (a cut-off tail is cut by the next run)
        now = captures_of(data) if (data / "index.sqlite").exists() else []
        assert set(kept) <= set(now), f"trial {trial}: captures lost"
        for name, data_before in before.items():
            assert (data / name).read_bytes().startswith(data_before), f"trial {trial}: {name} altered"

    final = subprocess.run([str(SCRIPT), "--data-dir", str(data), "track", "--replay", str(replay)],
                           capture_output=True, text=True, env=environment(tmp_path / "home-final"))
    assert final.returncode == 0, final.stderr
    whole(data)
    assert captures_of(data) == captures_of(reference), "every copy stored once, as in an uninterrupted run"
    assert history_of(data) == history_of(reference), "the same history as an uninterrupted run"
    assert not orphans, f"processes left running after {len(orphans)} of {TRIALS} kills: {orphans}"


def test_writers_side_by_side_on_one_data_dir(tmp_path):
    """Two replays and a re-extraction at once: each waits for the lock, none fails or duplicates."""
    replay = long_replay(tmp_path / "replay", copies=15)
    data = tmp_path / "data"
    runs = [start(data, replay, tmp_path / f"home-{i}") for i in range(2)]
    while not (data / "index.sqlite").exists():
        time.sleep(0.1)
    (tmp_path / "home-r").mkdir()
    runs.append(subprocess.Popen(
        [str(SCRIPT), "--data-dir", str(data), "reextract", "--wait-lock", "300"],
        stdout=open(tmp_path / "home-r" / "stdout", "w"), stderr=open(tmp_path / "home-r" / "stderr", "w"),
        env=environment(tmp_path / "home-r"),
    ))
    codes = [run.wait(timeout=900) for run in runs]
    errors = [(tmp_path / home / "stderr").read_text() for home in ("home-0", "home-1", "home-r")]
    assert codes == [0, 0, 0], errors
    whole(data)
    reference = tmp_path / "reference"
    done = subprocess.run([str(SCRIPT), "--data-dir", str(reference), "track", "--replay", str(replay)],
                          capture_output=True, text=True, env=environment(tmp_path / "home-ref"))
    assert done.returncode == 0
    assert captures_of(data) == captures_of(reference)
    assert history_of(data) == history_of(reference)
