"""Many bodies on a few local hosts, tracked by a Prefect process work pool, as the README's
"scale out" section sets it up: PostgreSQL for the index and for the Prefect server, the
daily deployment registered with `rosterwatch serve --pool`, `prefect worker start --pool
... --limit 1` workers, and a run triggered with `prefect deployment run track/daily`.

`tests/test_scale.py` (CI: 50 sources, 2 workers) and `python -m tests.scale` (the benchmark:
1,000 sources, 1, 2 and 4 workers; `make bench-scale`) use it. Each host is a scripted server
on its own loopback address (127.0.0.1, 127.0.0.2, ...) whose pages answer after a delay and
which counts the requests it answers at once.

Pages are the two tracked bodies of the fixture history, an older and a newer version each:
a round serves every source its older version, or (`change`) some of them the newer one, so
a second round gives real change events to compare between runs.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import ExitStack
from dataclasses import dataclass, field
from hashlib import sha256
from pathlib import Path

import httpx

from tests.http_server import Reply, ScriptedServer

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
HISTORY = ROOT / "tests" / "fixtures" / "history"
BODIES = (  # (language, older version, newer version) of a body's page
    ("nn", HISTORY / "fagrad-pm" / "2023-09-01.html", HISTORY / "fagrad-pm" / "2024-05-28.html"),
    ("nb", HISTORY / "norprem" / "2022-11-01.html", HISTORY / "norprem" / "2023-04-01.html"),
)
POOL = "rosterwatch"
DEPLOYMENT = "track/daily"
TERMINAL = {"COMPLETED", "FAILED", "CRASHED", "CANCELLED"}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Sites:
    """`count` sources spread over `hosts` scripted servers, each page answering after `delay`."""

    count: int
    hosts: int
    delay: float
    servers: list[ScriptedServer] = field(default_factory=list)
    changed: set[int] = field(default_factory=set)

    def start(self, stack: ExitStack) -> Sites:
        self.servers = [stack.enter_context(ScriptedServer(host=f"127.0.0.{n + 1}")) for n in range(self.hosts)]
        self.serve(set())
        return self

    def server(self, number: int) -> ScriptedServer:
        return self.servers[number % self.hosts]

    def serve(self, changed: set[int]) -> None:
        """From now on, the sources in `changed` answer with their newer page, the others with the older."""
        self.changed = set(changed)
        for number in range(self.count):
            _, older, newer = BODIES[number % len(BODIES)]
            body = (newer if number in self.changed else older).read_bytes()
            etag = f'"{sha256(body).hexdigest()[:16]}"'
            self.server(number).route(f"/body/{number}", Reply(body=body, headers={"ETag": etag}, delay=self.delay))

    def sources_toml(self) -> str:
        tables = []
        for number in range(self.count):
            language = BODIES[number % len(BODIES)][0]
            url = self.server(number).url(f"/body/{number}")
            tables.append(
                f'[sources.body-{number:04d}]\nname = "Body {number}"\nurl = "{url}"\nlanguage = "{language}"\n'
                "allow_private = true\n"
            )
        return "\n".join(tables)

    def mark(self) -> list[int]:
        """Where each server's request log stands, and its count of requests at once starts over."""
        for server in self.servers:
            server.peak_in_flight = 0
        return [len(server.requests) for server in self.servers]

    def page_requests(self, since: list[int]) -> dict[int, int]:
        """Requests for each source's page since `mark()`."""
        counts = {number: 0 for number in range(self.count)}
        for server, start in zip(self.servers, since):
            for request in server.requests[start:]:
                if request.path.startswith("/body/"):
                    counts[int(request.path.rsplit("/", 1)[1])] += 1
        return counts

    def peak(self) -> int:
        return max(server.peak_in_flight for server in self.servers)

    def min_gap(self, since: list[int]) -> float:
        """The shortest time between the starts of two fetches from one host (each fetch asks for
        robots.txt first) since `mark()`."""
        gaps = []
        for server, start in zip(self.servers, since):
            starts = sorted(r.at for r in server.requests[start:] if r.path == "/robots.txt")
            gaps += [b - a for a, b in zip(starts, starts[1:])]
        return min(gaps, default=float("inf"))


def stop(proc: subprocess.Popen, grace: float = 20) -> None:
    """SIGINT to the process group it leads (a worker's flow-run processes too), then SIGKILL."""
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGINT)
            proc.wait(grace)
        except subprocess.TimeoutExpired:
            pass
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except ProcessLookupError:
        pass
    proc.wait()


class Pool:
    """A Prefect server on PostgreSQL, a process work pool and its workers, started here."""

    def __init__(self, stack: ExitStack, home: Path, pg_admin_url: str, name: str):
        """`name` names the PostgreSQL databases: `<name>_prefect` for the Prefect server, and
        the index's (`use_index`)."""
        self.stack, self.home, self.pg_admin_url, self.name = stack, home, pg_admin_url, name
        self.logs = home / "logs"
        self.logs.mkdir(parents=True, exist_ok=True)
        self.workers: list[subprocess.Popen] = []
        port = free_port()
        self.api = f"http://127.0.0.1:{port}/api"
        self.env = {
            **os.environ,
            "PREFECT_HOME": str(home / "prefect"),
            "PREFECT_API_URL": self.api,
            "PREFECT_API_DATABASE_CONNECTION_URL": database(pg_admin_url, f"{name}_prefect", "postgresql+asyncpg"),
            "PREFECT_SERVER_ANALYTICS_ENABLED": "false",
            "PREFECT_UI_ENABLED": "false",
            "PREFECT_LOGGING_LEVEL": "WARNING",
            "PREFECT_WORKER_QUERY_SECONDS": "1",  # a worker free again asks for the next batch within a second
        }
        self.env.pop("ROSTERWATCH_HOST_DELAY", None)  # politeness comes from the deployment's parameters
        self.client = httpx.Client(base_url=self.api, timeout=30)
        stack.callback(self.client.close)
        server = self.spawn("server", [str(BIN / "prefect"), "server", "start", "--host", "127.0.0.1", "--port", str(port)])
        self.wait_for("the Prefect server", self._healthy, 180, [server])
        self.prefect("work-pool", "create", POOL, "--type", "process")

    def use_index(self, suffix: str) -> str:
        """The index in a new database `<name>_<suffix>`, for the commands and workers started from now on."""
        self.env["ROSTERWATCH_DB_URL"] = database(self.pg_admin_url, f"{self.name}_{suffix}", "postgresql+psycopg")
        return self.env["ROSTERWATCH_DB_URL"]

    def spawn(self, name: str, argv: list[str], env: dict | None = None) -> subprocess.Popen:
        with open(self.logs / f"{name}.log", "ab") as log:
            proc = subprocess.Popen(
                argv, cwd=ROOT, env=env or self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )
        self.stack.callback(stop, proc)
        return proc

    def prefect(self, *args: str) -> str:
        done = subprocess.run([str(BIN / "prefect"), *args], cwd=ROOT, env=self.env, capture_output=True, text=True, timeout=300)
        if done.returncode:
            raise RuntimeError(f"prefect {' '.join(args)}: {done.stdout[-1500:]} {done.stderr[-1500:]}")
        return done.stdout

    def rosterwatch(self, *args: str, env: dict | None = None) -> str:
        done = subprocess.run(
            [str(BIN / "rosterwatch"), *args], cwd=ROOT, env=env or self.env, capture_output=True, text=True, timeout=300
        )
        if done.returncode:
            raise RuntimeError(f"rosterwatch {' '.join(args)}: {done.stdout[-1500:]} {done.stderr[-1500:]}")
        return done.stdout

    def start_workers(self, count: int) -> None:
        """`prefect worker start --pool rosterwatch --limit 1`, `count` times; returns once all are online."""
        for number in range(count):
            worker = self.spawn(
                f"worker-{len(self.workers)}",
                [str(BIN / "prefect"), "worker", "start", "--pool", POOL, "--limit", "1", "--name", f"w{len(self.workers)}"],
            )
            self.workers.append(worker)
        self.wait_for(f"{count} workers online", lambda: len(self.online_workers()) >= count, 180, self.workers)

    def stop_workers(self) -> None:
        for worker in self.workers:
            stop(worker)
        self.workers = []
        for worker in self.online_workers():  # a stopped worker is offline once its heartbeat lapses
            self.client.delete(f"/work_pools/{POOL}/workers/{worker}")

    def online_workers(self) -> list[str]:
        found = self.client.post(
            f"/work_pools/{POOL}/workers/filter",
            json={"workers": {"status": {"any_": ["ONLINE"]}}, "offset": 0, "limit": 100},
        )
        return [w["name"] for w in found.json()] if found.status_code == 200 else []

    def track(self, runs_expected: int, timeout: float) -> tuple[float, list[dict]]:
        """Trigger the deployment; wait until it and the batches it starts have all ended.
        Returns the seconds from trigger to the last end, and the flow runs."""
        started = time.monotonic()
        out = self.prefect("deployment", "run", DEPLOYMENT)
        parent = next(line.split("UUID:")[1].strip() for line in out.splitlines() if "UUID:" in line)

        def ended():
            runs = self.flow_runs(parent)
            if len(runs) == runs_expected and all(r["state"]["type"] in TERMINAL for r in runs):
                return runs
            return None

        runs = self.wait_for("every batch to end", ended, timeout, self.workers)
        return time.monotonic() - started, runs

    def flow_runs(self, parent: str) -> list[dict]:
        """The run `parent` and the batch runs it started (its subflow runs)."""
        top = self.client.get(f"/flow_runs/{parent}").json()
        children = self.client.post(
            "/flow_runs/filter", json={"flow_runs": {"parent_flow_run_id": {"any_": [parent]}}, "limit": 200}
        ).json()
        return [top, *children]

    def wait_for(self, what: str, check, timeout: float, procs: list[subprocess.Popen]):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for proc in procs:
                if proc.poll() is not None:
                    raise RuntimeError(f"{proc.args[:4]} exited with {proc.returncode} while waiting for {what}; logs in {self.logs}")
            found = check()
            if found:
                return found
            time.sleep(0.5)
        raise RuntimeError(f"timed out after {timeout:g}s waiting for {what}; logs in {self.logs}")

    def _healthy(self) -> bool:
        try:
            return self.client.get("/health").status_code == 200
        except httpx.HTTPError:
            return False


def database(admin_url: str, name: str, driver: str) -> str:
    """A new database `name` on the server of `admin_url`, as a URL for `driver`."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(admin_url)
    with psycopg.connect(admin.set(drivername="postgresql").render_as_string(hide_password=False), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    return admin.set(drivername=driver, database=name).render_as_string(hide_password=False)


def history(store) -> dict[str, list[str]]:
    """Each source's change events as a run reports them, less what differs between runs made
    at other times (capture ids, fetch times)."""
    from extractors import EXTRACTOR_VERSION

    found: dict[str, list[str]] = {}
    for row in store.change_rows(EXTRACTOR_VERSION):
        event = json.loads(row)
        for key in ("from_capture", "to_capture", "at", "from_at"):
            event.pop(key, None)
        found.setdefault(event["source"], []).append(json.dumps(event, sort_keys=True, ensure_ascii=False))
    return found
