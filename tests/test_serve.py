"""Scheduled runs against a real Prefect server: `prefect server start` on 127.0.0.1 with its
own PREFECT_HOME, `rosterwatch serve` registers the daily deployment (cron, Europe/Oslo) and
serves it, a triggered run tracks a page from a local HTTP server and publishes its artifacts."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from snapshots.store import SnapshotStore
from tests.http_server import Reply

ROOT = Path(__file__).resolve().parents[1]
HISTORY = ROOT / "tests" / "fixtures" / "history"
PAGE = "/om-oss/rad-og-utvalg/fagrad"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(what: str, check, timeout: float, procs: list[subprocess.Popen]):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for proc in procs:
            if proc.poll() is not None:
                pytest.fail(f"{proc.args[:3]} exited with {proc.returncode} while waiting for {what}")
        found = check()
        if found:
            return found
        time.sleep(0.5)
    pytest.fail(f"timed out after {timeout:g}s waiting for {what}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def test_daily_deployment_runs_on_a_real_prefect_server(tmp_path, http_server):
    http_server.route(PAGE, Reply(body=(HISTORY / "fagrad-pm" / "2024-05-28.html").read_bytes()))
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[sources.fagrad-pm]\nname = "Fagråd"\nurl = "{http_server.url(PAGE)}"\nlanguage = "nn"\n'
        "allow_private = true  # the test server listens on 127.0.0.1\n",
        encoding="utf-8",
    )
    port = free_port()
    api = f"http://127.0.0.1:{port}/api"
    env = {
        **os.environ,
        "PREFECT_HOME": str(tmp_path / "prefect"),
        "PREFECT_API_URL": api,
        "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
        "PREFECT_UI_ENABLED": "false",
        "PREFECT_RUNNER_POLL_FREQUENCY": "1",
        "PREFECT_SERVER_SERVICES_SCHEDULER_LOOP_SECONDS": "2",
        "PREFECT_LOGGING_LEVEL": "WARNING",
    }
    logs = tmp_path / "logs"
    logs.mkdir()
    bin_dir = Path(sys.executable).parent
    server = subprocess.Popen(
        [str(bin_dir / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        env=env, stdout=open(logs / "server.log", "wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    procs = [server]
    client = httpx.Client(base_url=api, timeout=10)
    try:
        def healthy():
            try:
                return client.get("/health").status_code == 200
            except httpx.HTTPError:
                return False

        wait_for("the Prefect server", healthy, 60, procs)
        serving = subprocess.Popen(
            [sys.executable, "-m", "flows.cli", "--data-dir", str(tmp_path / "data"), "--sources", str(sources), "serve"],
            cwd=ROOT, env=env, stdout=open(logs / "serve.log", "wb"), stderr=subprocess.STDOUT, start_new_session=True,
        )
        procs.append(serving)

        def deployment():
            found = client.post("/deployments/filter", json={"deployments": {"name": {"any_": ["daily"]}}}).json()
            return found[0] if found else None

        registered = wait_for("the deployment", deployment, 60, procs)
        (schedule,) = [s["schedule"] for s in registered["schedules"]]
        assert (schedule["cron"], schedule["timezone"]) == ("0 6 * * *", "Europe/Oslo")
        assert registered["parameters"]["data_dir"] == str(tmp_path / "data")
        assert registered["parameters"]["people_file"] == str((ROOT / "people.toml").resolve()), "every run derives history with it"

        def scheduled():
            # the server's scheduler puts the daily runs on the calendar: without them nothing fires at 06:00
            runs = client.post("/flow_runs/filter", json={
                "flow_runs": {"deployment_id": {"any_": [registered["id"]]}, "state": {"type": {"any_": ["SCHEDULED"]}}},
            })
            return runs.json() if runs.status_code < 300 and runs.json() else None

        upcoming = wait_for("the scheduler to schedule the daily runs", scheduled, 60, procs)
        assert all(r["expected_start_time"][11:16] in ("04:00", "05:00") for r in upcoming), "06:00 in Oslo, in UTC"

        def triggered():
            # a loaded server may answer 5xx while the runner writes its scheduled runs: ask again
            answer = client.post(f"/deployments/{registered['id']}/create_flow_run", json={})
            return answer.json() if answer.status_code < 300 else None

        run = wait_for("a triggered flow run", triggered, 30, procs)

        def finished():
            state = client.get(f"/flow_runs/{run['id']}").json()["state"]
            return state if state["type"] in ("COMPLETED", "FAILED", "CRASHED") else None

        state = wait_for("the flow run", finished, 75, procs)
        assert state["type"] == "COMPLETED", (logs / "serve.log").read_text(errors="replace")[-3000:]
        artifacts = client.post("/artifacts/filter", json={"artifacts": {"flow_run_id": {"any_": [run["id"]]}}}).json()
        by_key = {a["key"]: a for a in artifacts}
        assert "baseline composition" in by_key["rosterwatch-report"]["data"]
        assert "Hilde Myhren" in str(by_key["rosterwatch-members"]["data"])
        assert [c.status for c in SnapshotStore(tmp_path / "data").captures("fagrad-pm")] == [200]
        assert len(http_server.requests_to(PAGE)) == 1
    finally:
        client.close()
        for proc in reversed(procs):
            stop(proc)
