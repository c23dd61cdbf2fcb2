"""How a `track` runs: in the command's own process on Prefect's embedded default (no server to
start, no Prefect loaded, nothing left behind when killed), and as a Prefect flow run once a
Prefect API is configured. An unchanged page costs no extraction and about half a kilobyte."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from flows.config import KEYS
from flows.tracking import track_in_process
from tests.http_server import Reply

ROOT = Path(__file__).resolve().parents[1]
HISTORY = ROOT / "tests" / "fixtures" / "history"
PAGE = (HISTORY / "fagrad-pm" / "2024-05-28.html").read_bytes()
SCRIPT = Path(sys.executable).parent / "rosterwatch"

# The command line as `rosterwatch` runs it, then which heavy packages the run loaded.
PROBE = (
    "import json, sys\n"
    "from flows.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(json.dumps({'code': code, 'loaded': sorted(m for m in ('prefect', 'spacy') if m in sys.modules)}), file=sys.stderr)\n"
)


def environment(tmp_path: Path, **extra: str) -> dict[str, str]:
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"), **extra)
    if "PREFECT_API_URL" not in extra:
        env.pop("PREFECT_API_URL", None)
    return env


def probe(tmp_path: Path, *argv: str) -> tuple[int, list[str], str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv], capture_output=True, text=True, env=environment(tmp_path), cwd=ROOT, timeout=300
    )
    found = json.loads(next(line for line in reversed(done.stderr.splitlines()) if line.startswith('{"code"')))
    return found["code"], found["loaded"], done.stdout


# 127.0.0.1 is a private address: where the fetch policy refuses those by default, say so.
LOCAL = "allow_private = true\n" if "allow_private" in KEYS else ""


def write_sources(path: Path, urls: list[str]) -> Path:
    path.write_text(
        "".join(f'[sources.page-{i}]\nname = "Page {i}"\nurl = "{url}"\nlanguage = "nn"\n{LOCAL}\n' for i, url in enumerate(urls)),
        encoding="utf-8",
    )
    return path


def stored_bytes(data: Path) -> int:
    """WARC files and index: what captures cost (each run's report under reports/ aside, and
    SQLite's shared-memory file, there only while a connection is open)."""
    with sqlite3.connect(data / "index.sqlite") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return sum(
        p.stat().st_size
        for p in data.rglob("*")
        if p.is_file() and "reports" not in p.relative_to(data).parts and not p.name.endswith("-shm")
    )


def test_the_embedded_default_runs_in_process_and_an_unchanged_page_costs_no_extraction(tmp_path, http_server):
    urls = []
    for i in range(12):  # half answer a conditional GET with 304, half send the same page again
        http_server.route(f"/p{i}", Reply(body=PAGE, headers={"ETag": f'"{i}"'} if i % 2 else {}))
        urls.append(http_server.url(f"/p{i}"))
    sources = write_sources(tmp_path / "sources.toml", urls)
    data = tmp_path / "data"
    argv = ("--data-dir", str(data), "--sources", str(sources), "track")

    code, loaded, report = probe(tmp_path, *argv)
    assert code == 0 and "baseline composition" in report
    assert "prefect" not in loaded, "no Prefect API configured: the run must not load Prefect (nor start its server)"
    for _ in range(2):
        code, loaded, report = probe(tmp_path, *argv)
        assert code == 0 and report.count("No change since") == 12
        assert loaded == [], "nothing changed: the stored extractions are reused, the NER model is not loaded"
    assert [r.header("If-None-Match") for r in http_server.requests_to("/p1")] == [None, '"1"', '"1"']

    before = stored_bytes(data)  # the index grows by whole 4 KiB pages: measured over 300 captures
    for _ in range(25):
        assert track_in_process(data_dir=str(data), sources_file=str(sources)).outcomes[0].status == "unchanged"
    per_capture = (stored_bytes(data) - before) / 300
    assert per_capture <= 1024, f"an unchanged capture added {per_capture:.0f} bytes to the data dir"


def session_processes(session: int) -> list[str]:
    """Processes still alive (not zombies) in a session."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            name, rest = stat.read_text().rsplit(")", 1)
        except OSError:
            continue
        state, _ppid, _pgrp, sid = rest.split()[:4]
        if int(sid) == session and state != "Z":
            found.append(f"{stat.parent.name} {name.split('(', 1)[1]}")
    return found


def test_an_interrupted_or_killed_track_leaves_no_process_behind(tmp_path, http_server):
    http_server.route("/slow", Reply(body=PAGE, delay=60))
    sources = write_sources(tmp_path / "sources.toml", [http_server.url("/slow")])
    for stop, code in ((signal.SIGINT, 130), (signal.SIGKILL, -signal.SIGKILL)):
        asked = len(http_server.requests_to("/slow"))
        run = subprocess.Popen(
            [str(SCRIPT), "--data-dir", str(tmp_path / "data"), "--sources", str(sources), "track"],
            env=environment(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
        )
        try:
            deadline = time.monotonic() + 60
            while len(http_server.requests_to("/slow")) == asked and run.poll() is None and time.monotonic() < deadline:
                time.sleep(0.1)
            assert run.poll() is None, run.stderr.read()
            run.send_signal(stop)
            assert run.wait(timeout=15) == code, "the command must stop at once, not when the fetch in flight ends"
            time.sleep(0.5)
            assert not session_processes(run.pid), f"{stop.name} left processes behind: {session_processes(run.pid)}"
            if stop == signal.SIGINT:
                assert "interrupted" in run.stderr.read().decode()
        finally:
            if run.poll() is None or session_processes(run.pid):
                os.killpg(run.pid, signal.SIGKILL)
                run.wait()


def test_a_killed_backfill_leaves_no_extraction_worker_behind(tmp_path):
    """Extraction runs in a pool of worker processes; SIGKILL gives the command no chance to stop
    them, so they must notice and end (they used to wait for work forever)."""
    copies = tmp_path / "copies" / "fagrad-pm"
    copies.mkdir(parents=True)
    for day in range(150):
        (copies / f"2020-{1 + day // 28:02d}-{1 + day % 28:02d}.html").write_bytes(PAGE + b"<!-- %d -->" % day)
    run = subprocess.Popen(
        [str(SCRIPT), "--data-dir", str(tmp_path / "data"), "backfill", "--html", str(tmp_path / "copies"), "--workers", "2"],
        env=environment(tmp_path), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 120
        while len(session_processes(run.pid)) < 4 and run.poll() is None and time.monotonic() < deadline:
            time.sleep(0.05)
        assert run.poll() is None, "the backfill ended before its workers could be seen"
        run.send_signal(signal.SIGKILL)
        run.wait()
        deadline = time.monotonic() + 10
        while session_processes(run.pid) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not session_processes(run.pid)
    finally:
        if session_processes(run.pid):
            os.killpg(run.pid, signal.SIGKILL)


def test_with_a_prefect_api_configured_track_is_a_flow_run(prefect_harness, tmp_path):
    from prefect.client.orchestration import get_client
    from prefect.settings import PREFECT_API_URL

    data = tmp_path / "data"
    env = environment(tmp_path, PREFECT_API_URL=PREFECT_API_URL.value())
    done = subprocess.run(
        [str(SCRIPT), "--data-dir", str(data), "track", "--replay", str(HISTORY), "--source", "norprem"],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Rita Halvorsen joined Koordineringsgruppen" in done.stdout

    async def runs_of_this_data_dir():
        # the typed filters of this Prefect client send requests its server rejects: ask the REST API
        async with get_client() as client:
            found = await client.request("POST", "/flow_runs/filter", json={"sort": "START_TIME_DESC", "limit": 200})
            runs = [r for r in found.json() if r["parameters"].get("data_dir") == str(data)]
            found = await client.request(
                "POST", "/task_runs/filter", json={"flow_runs": {"id": {"any_": [r["id"] for r in runs]}}, "sort": "ID_DESC"}
            )
            return runs, found.json()

    runs, tasks = asyncio.run(runs_of_this_data_dir())
    assert [r["state"]["type"] for r in runs] == ["COMPLETED"]
    assert sorted(t["name"] for t in tasks if not t["name"].startswith("notify")) == ["track-norprem"], "a task run per source"
    assert len(tasks) == 2


def test_a_prefect_api_set_in_the_active_profile_counts(tmp_path, monkeypatch):
    """`prefect config set PREFECT_API_URL=…` (the profile, not the environment) makes runs flow runs too."""
    from flows.runner import prefect_api_url

    env = environment(tmp_path)
    subprocess.run(
        [str(Path(sys.executable).parent / "prefect"), "config", "set", "PREFECT_API_URL=http://127.0.0.1:4200/api"],
        env=env, check=True, capture_output=True, timeout=120,
    )
    monkeypatch.delenv("PREFECT_API_URL", raising=False)
    monkeypatch.setenv("PREFECT_HOME", env["PREFECT_HOME"])
    assert prefect_api_url() == "http://127.0.0.1:4200/api"
    monkeypatch.setenv("PREFECT_HOME", str(tmp_path / "elsewhere"))
    assert prefect_api_url() is None


def test_backfill_and_reextract_run_in_process_on_the_embedded_default(tmp_path):
    data = str(tmp_path / "data")
    code, _, out = probe(tmp_path, "--data-dir", data, "backfill", "--html", str(HISTORY))
    assert code == 0 and "fagrad-pm: 3 captures imported (3 from html)" in out
    code, _, out = probe(tmp_path, "--data-dir", data, "reextract")
    assert code == 0 and "fagrad-pm: nothing to extract (3 captures already done by" in out
    assert not (tmp_path / "prefect-home" / "prefect.db").exists(), "no Prefect server database was made"


def test_in_process_stages_wait_for_what_they_follow_and_retry_like_prefect():
    from flows.runner import InProcess, Stage

    calls: list[str] = []

    def flaky(log, name: str, failures: int, error: Exception) -> str:
        calls.append(name)
        if calls.count(name) <= failures:
            raise error
        return name

    stage = Stage("flaky", flaky, retries=1, retry_delay=0, retry_if=lambda e: isinstance(e, TimeoutError))
    runner = InProcess()
    assert runner.result(runner.submit(stage, "once", 1, TimeoutError())) == "once" and calls.count("once") == 2
    assert isinstance(runner.failure(runner.submit(stage, "bad", 1, ValueError())), ValueError), "not worth a retry"
    assert calls.count("bad") == 1
    failed = runner.submit(stage, "always", 9, TimeoutError())
    after = runner.submit(stage, "after", 0, TimeoutError(), after=[failed])
    assert runner.result(after) == "after" and isinstance(runner.failure(failed), TimeoutError)
    assert calls.count("always") == 2 and calls.index("after") > max(i for i, c in enumerate(calls) if c == "always")


def tracked(data: Path, source: str) -> bool:
    """Whether the run's extract-and-compare stage finished `source` (its last line in the run's log)."""
    log = data / "logs" / "rosterwatch.log"
    return log.is_file() and f"{source}: 1 captures extracted" in log.read_text(encoding="utf-8", errors="replace")


@pytest.mark.parametrize("flow_run", [False, True], ids=["in-process", "prefect-flow-run"])
def test_ctrl_c_stops_at_once_says_what_finished_and_the_next_run_carries_on(request, tmp_path, http_server, flow_run):
    """Ctrl-C with one page tracked and another still being fetched: the command ends within a
    second or two (a Prefect flow run too: its task runner would wait out the fetch), prints the
    report of what finished, says in one line what did not, and the next run finishes the job."""
    extra = {"ROSTERWATCH_HOST_REQUESTS": "2"}  # both pages are on one host: the slow fetch must not hold the fast one back
    if flow_run:
        request.getfixturevalue("prefect_harness")
        from prefect.settings import PREFECT_API_URL

        extra["PREFECT_API_URL"] = PREFECT_API_URL.value()
    http_server.route("/fast", Reply(body=PAGE))
    http_server.route("/slow", Reply(body=PAGE, delay=60))
    sources = write_sources(tmp_path / "sources.toml", [http_server.url("/fast"), http_server.url("/slow")])
    data = tmp_path / "data"
    argv = [str(SCRIPT), "--data-dir", str(data), "--sources", str(sources), "track"]
    run = subprocess.Popen(
        argv, env=environment(tmp_path, **extra), stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True
    )
    try:
        deadline = time.monotonic() + 120
        while not (http_server.requests_to("/slow") and tracked(data, "page-0")) and run.poll() is None:
            assert time.monotonic() < deadline, "the run never got as far as one page tracked, one in flight"
            time.sleep(0.1)
        time.sleep(0.3)  # the stage returns just after its last log line
        assert run.poll() is None, run.stderr.read()
        asked = time.monotonic()
        run.send_signal(signal.SIGINT)
        out, err = (stream.decode() for stream in run.communicate(timeout=20))
        took = time.monotonic() - asked
        assert run.returncode == 130
        assert took < 5, f"Ctrl-C took {took:.1f} s to stop the command"
        assert err == (
            "rosterwatch: interrupted: page-0 done (baseline); page-1 not finished (was fetching); "
            "what was stored is kept and consistent, run 'rosterwatch track' again to finish\n"
        )
        first, second = out.split("## Page 1 (page-1)")
        assert "## Page 0 (page-0)" in first and "baseline composition" in first
        assert "**Not finished this run:** interrupted while fetching: nothing of it stored" in second
        time.sleep(0.5)
        assert not session_processes(run.pid), f"Ctrl-C left processes behind: {session_processes(run.pid)}"
    finally:
        if run.poll() is None or session_processes(run.pid):
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()

    if flow_run:
        from prefect.client.orchestration import get_client

        async def state_of_the_run():
            async with get_client() as client:
                found = await client.request("POST", "/flow_runs/filter", json={"sort": "START_TIME_DESC", "limit": 200})
                return [r["state"] for r in found.json() if r["parameters"].get("data_dir") == str(data)]

        (state,) = asyncio.run(state_of_the_run())
        assert state["type"] == "CANCELLED" and state["message"] == err.removeprefix("rosterwatch: ").strip()
        with get_client(sync_client=True) as client:
            host = client.read_global_concurrency_limit_by_name("rosterwatch-host:127.0.0.1")
        assert host.active_slots == 0, "the slow fetch's host slot is given back, not left to close the host to every worker"

    http_server.route("/slow", Reply(body=PAGE))
    again = subprocess.run(argv, env=environment(tmp_path), capture_output=True, text=True, timeout=120)
    assert again.returncode == 0, again.stderr
    first, second = again.stdout.split("## Page 1 (page-1)")
    assert "No change since" in first and "baseline composition" in second
