"""The fault harness, as a user meets it: the installed `rosterwatch` against bad servers, a full
disk, a read-only data dir and hostile pages.

One `track` run fetches every bad answer of tests/fault_world.py at once (a few seconds'
deadline each): each failing source gets exactly one line on stderr naming it, the URL and
what to do, the run exits 1, no traceback reaches the terminal, nothing is requested where the
source may not go, and no fetch failure becomes a change event; the store lists the failures
and the report and feed say since when the page is away. The kill trials are in
tests/test_faults_long.py (`make faults`).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path

import pytest

from flows.cli import main
from flows.runlog import debug_log
from tests.fault_world import DEADLINE, HISTORY, PAGE, World, build
from tests.faults import fill, read_only, small_disk, whole
from tests.http_server import Reply

SCRIPT = Path(sys.executable).parent / "rosterwatch"
ATOM = "{http://www.w3.org/2005/Atom}"
TERMINAL_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def rosterwatch(*argv: str, home: Path, **env: str) -> subprocess.CompletedProcess:
    """The console script in a fresh process, on Prefect's local default (a temporary server)."""
    environment = dict(os.environ, PREFECT_HOME=str(home), **env)
    environment.pop("PREFECT_API_URL", None)
    return subprocess.run([str(SCRIPT), *argv], capture_output=True, text=True, env=environment, timeout=600)


def cli(*argv: str) -> tuple[int, str, str]:
    """The CLI in-process (conftest: not with capsys, Prefect binds to the stream of the moment)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


@dataclass
class FaultRun:
    world: World
    root: Path
    data: Path
    sources: Path
    done: subprocess.CompletedProcess

    def args(self, *argv: str) -> list[str]:
        return ["--data-dir", str(self.data), "--sources", str(self.sources), *argv]


@pytest.fixture(scope="module")
def fault_run(tmp_path_factory):
    with ExitStack() as stack:
        world = build(stack)
        root = tmp_path_factory.mktemp("faults")
        sources = root / "sources.toml"
        sources.write_text(world.sources_toml(), encoding="utf-8")
        data = root / "data"
        done = rosterwatch(
            "--data-dir", str(data), "--sources", str(sources), "track",
            home=root / "prefect", ROSTERWATCH_FETCH_DEADLINE=str(DEADLINE),
        )
        yield FaultRun(world, root, data, sources, done)


def test_every_bad_answer_is_one_line_and_the_run_exits_1(fault_run):
    done, world = fault_run.done, fault_run.world
    assert done.returncode == 1, done.stderr[-3000:]
    lines = done.stderr.splitlines()
    assert lines[0].startswith("(report saved to ")
    said = {}
    for line in lines[1:]:
        match = re.match(r"rosterwatch: ([a-z0-9-]+): (.*)$", line)
        assert match, f"not one line per source: {line!r}"
        said[match[1]] = match[2]
    assert set(said) == {c.id for c in world.failing}, "one line for each failing source, none for the others"
    for case in world.failing:
        line = said[case.id]
        assert case.says in line, f"{case.id}: {line}"
        assert line.startswith("page gone: HTTP 4" if case.gone else "page not reachable since "), line
        assert world.urls[case.id].split("/")[2] in line, f"{case.id}: the line names the URL"
    assert "Traceback" not in done.stderr and "| INFO" not in done.stderr and "| ERROR" not in done.stderr


def test_nothing_is_requested_off_the_allowed_hosts(fault_run):
    servers = fault_run.world.servers
    assert servers["other-port"].requests == [], "a redirect to another port is not followed"
    assert servers["robots-target"].requests == [], "nor is a robots.txt redirect to another port"
    for site in ("robots-429", "robots-503", "robots-disallow"):
        assert all(r.path == "/robots.txt" for r in servers[site].requests), f"{site}: the page was not fetched"


def test_no_fetch_failure_becomes_a_change_event(fault_run):
    code, out, _ = cli(*fault_run.args("changes", "--json"))
    assert code == 0 and json.loads(out) == [], "baselines and fetch outcomes only: no event at all"
    tracked = {c.id for c in fault_run.world.cases.values() if c.tracked}
    for source in tracked:
        code, out, _ = cli(*fault_run.args("members", source))
        assert code == 0 and "Hilde Myhren" in out


def test_the_store_lists_fetch_outcomes_and_the_outputs_say_since_when(fault_run):
    code, out, _ = cli(*fault_run.args("snapshots", "gone-404"))
    assert code == 0 and re.search(r"\s404\s+error page", out)
    assert "page gone: HTTP 404 since " in out
    code, out, _ = cli(*fault_run.args("snapshots", "dns"))
    assert code == 0 and "failed  dns: nothing stored" in out and "page not reachable since " in out
    code, out, _ = cli(*fault_run.args("snapshots", "dns", "--json"))
    assert json.loads(out)[0]["record_type"] == "failure"

    code, report, _ = cli(*fault_run.args("report"))
    assert code == 0
    assert "**page gone: HTTP 410 since " in report and "**page not reachable since " in report
    code, html, _ = cli(*fault_run.args("report", "--format", "html"))
    assert "page gone: HTTP 404 since " in html
    code, feed, _ = cli(*fault_run.args("feed"))
    entries = ET.fromstring(feed.encode()).findall(f"{ATOM}entry")
    away = [e for e in entries if e.find(f"{ATOM}category").get("term") == "fetch_failed"]
    assert len(away) == len(fault_run.world.failing)
    assert any("page gone: HTTP 404 since" in e.find(f"{ATOM}title").text for e in away)


def test_a_second_failing_run_keeps_since_when_and_loses_nothing(fault_run, prefect_harness):
    before = whole(fault_run.data)
    first_since = re.search(r"gone-404: page gone: HTTP 404 since (\S+):", fault_run.done.stderr)[1]
    code, _, err = cli(*fault_run.args("track", "--source", "gone-404", "--source", "dns", "--deadline", str(DEADLINE)))
    assert code == 1
    assert f"rosterwatch: gone-404: page gone: HTTP 404 since {first_since}:" in err
    after = whole(fault_run.data)
    assert all(after[name].startswith(data) for name, data in before.items()), "stored bytes are never altered"
    code, out, _ = cli(*fault_run.args("snapshots", "dns"))
    assert "(2 failed fetches, the latest at " in out


def test_the_run_log_goes_to_the_debug_log_not_the_terminal(fault_run):
    log = debug_log(fault_run.data).read_text(encoding="utf-8")
    assert "captures extracted" in log and "page gone: HTTP 404 since" in log
    assert "retrying in" in log, "the fetcher's retries are logged, not printed"


def test_verbose_shows_the_run_log_on_the_terminal(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text(
        '[sources.dns]\nname = "D"\nurl = "http://rosterwatch-fault-test.invalid/page"\nlanguage = "nb"\n', encoding="utf-8"
    )
    done = rosterwatch("--data-dir", str(tmp_path / "data"), "--sources", str(sources), "--verbose", "track", home=tmp_path / "p")
    assert done.returncode == 1
    assert "captures extracted" in done.stderr, "the run's log on the terminal"
    assert "rosterwatch: dns: page not reachable since " in done.stderr


def test_a_private_address_in_sources_toml_stops_every_command_with_one_line(tmp_path):
    sources = tmp_path / "sources.toml"
    sources.write_text('[sources.meta]\nname = "M"\nurl = "http://169.254.169.254/latest/"\nlanguage = "nb"\n', encoding="utf-8")
    code, out, err = cli("--data-dir", str(tmp_path / "data"), "--sources", str(sources), "track")
    assert code == 2 and out == ""
    assert err == (
        f"rosterwatch: {sources}: source 'meta': key 'url': 169.254.169.254 is a private, loopback or link-local "
        "address; rosterwatch fetches only public addresses unless the source says allow_private = true\n"
    )


# ------------------------------------------------------------------------------ disk and data dir


def replay_dir(tmp_path: Path, *dates: str) -> Path:
    folder = tmp_path / f"replay-{'-'.join(dates)}" / "fagrad-pm"
    folder.mkdir(parents=True, exist_ok=True)
    for day in dates:
        shutil.copy(HISTORY / "fagrad-pm" / f"{day}.html", folder)
    return folder.parent


QUERIES = [["changes"], ["members", "fagrad-pm"], ["snapshots", "fagrad-pm"], ["people"], ["report"], ["feed"],
           ["export", "--format", "csv"]]


def test_a_full_disk_is_one_line_queries_still_work_and_nothing_is_lost(tmp_path):
    with small_disk(tmp_path / "disk", 2048) as disk:
        if disk is None:
            pytest.skip("cannot mount a tmpfs here (needs root); tests/test_store_faults.py simulates ENOSPC instead")
        data = disk / "data"
        first = rosterwatch("--data-dir", str(data), "track", "--replay", str(replay_dir(tmp_path, "2023-01-15")), home=tmp_path / "p")
        assert first.returncode == 0, first.stderr
        filler = fill(disk)
        before = whole(data)
        full = rosterwatch("--data-dir", str(data), "track", "--replay", str(replay_dir(tmp_path, "2024-05-28")), home=tmp_path / "p")
        assert full.returncode == 1
        assert re.fullmatch(rf"rosterwatch: data dir {re.escape(str(data))} is full \(\d+ B free on its disk\): [^\n]*\n", full.stderr)
        assert whole(data) == before
        for query in QUERIES:
            code, out, err = cli("--data-dir", str(data), *query)
            assert code == 0 and out and not err, (query, err)
        filler.unlink()
        again = rosterwatch("--data-dir", str(data), "track", "--replay", str(replay_dir(tmp_path, "2024-05-28")), home=tmp_path / "p")
        assert again.returncode == 0 and "Lilly Ann Elvestad joined" in again.stdout


def test_a_read_only_data_dir_answers_queries_and_refuses_tracking_in_one_line(tmp_path):
    data = tmp_path / "data"
    first = rosterwatch("--data-dir", str(data), "track", "--replay", str(replay_dir(tmp_path, "2023-01-15")), home=tmp_path / "p")
    assert first.returncode == 0, first.stderr
    with read_only(data):
        for query in QUERIES:
            code, out, err = cli("--data-dir", str(data), *query)
            assert code == 0 and out and not err, (query, err)
        done = rosterwatch("--data-dir", str(data), "track", "--replay", str(replay_dir(tmp_path, "2024-05-28")), home=tmp_path / "p")
        assert done.returncode == 1
        assert re.fullmatch(rf"rosterwatch: data dir {re.escape(str(data))} is read-only \([^\n]*\n", done.stderr)


# ------------------------------------------------------------------------------ hostile pages


ESCAPES = "\x1b]0;pwned\x07\x1b[2J\x00\x9b2J\u202e"


def hostile_page() -> bytes:
    html = PAGE.decode("utf-8")
    html = html.replace("<h2>Representantar</h2>", f"<h2>Representantar{ESCAPES}</h2>")
    html = html.replace("Helsedirektoratet v/Hilde Myhren", f"Helsedirektoratet{ESCAPES} v/Hilde Myhren")
    html = html.replace("Abelia v/Stephen McAdam", "=HYPERLINK(\"http://x\")\x1b[31m v/Stephen McAdam")
    return html.encode("utf-8")


def test_no_escape_sequence_from_a_page_reaches_any_output(tmp_path, prefect_harness):
    copies = tmp_path / "copies" / "fagrad-pm"
    copies.mkdir(parents=True)
    (copies / "2024-05-28.html").write_bytes(hostile_page())  # the baseline: its composition is current
    data = str(tmp_path / "data")
    code, out, err = cli("--data-dir", data, "track", "--replay", str(copies.parent))
    assert code == 0, err
    outputs = {"track": out + err}
    for query in [*QUERIES, ["changes", "--json"], ["members", "fagrad-pm", "--json"], ["people", "--json"],
                  ["history", "Hilde Myhren"], ["report", "--format", "html"], ["export", "--format", "popolo"]]:
        code, out, err = cli("--data-dir", data, *query)
        assert code == 0, (query, err)
        outputs[" ".join(query)] = out + err
    code, out, err = cli("extract", str(copies / "2024-05-28.html"), "--source", "fagrad-pm")
    outputs["extract"] = out + err
    assert "Representantar]0;pwned" in outputs["members fagrad-pm"], "the hostile group was read"
    assert "HYPERLINK" in outputs["export --format csv"], "the hostile organisation was read"
    for what, text in outputs.items():
        assert not TERMINAL_CONTROLS.search(text), f"{what}: {TERMINAL_CONTROLS.search(text)[0]!r} reached the terminal"
    ET.fromstring(outputs["feed"].encode("utf-8"))
    bad = [re.findall(r"(?:^|,)\"?[=+@-][^,]*", line) for line in outputs["export --format csv"].splitlines()[1:]]
    assert not [b for b in bad if b], bad


def test_after_an_error_page_the_next_fetch_sends_no_validators(tmp_path, http_server, prefect_harness):
    """An ETag from a 404 page must not turn the page's return into a false '304 Not Modified'."""
    http_server.route("/page", Reply(body=PAGE, headers={"ETag": '"page"'}))
    sources = tmp_path / "sources.toml"
    sources.write_text(
        f'[sources.s]\nname = "S"\nurl = "{http_server.url("/page")}"\nlanguage = "nn"\nallow_private = true\n', encoding="utf-8"
    )
    args = ("--data-dir", str(tmp_path / "data"), "--sources", str(sources), "track")
    assert cli(*args)[0] == 0
    http_server.route("/page", Reply(404, body="<h1>Not found</h1>", headers={"ETag": '"gone"'}))
    assert cli(*args)[0] == 1
    http_server.route("/page", Reply(body=PAGE, headers={"ETag": '"gone"'}))
    code, out, err = cli(*args)
    assert code == 0, err
    assert http_server.requests_to("/page")[-1].header("If-None-Match") is None
    code, out, _ = cli("--data-dir", str(tmp_path / "data"), "--sources", str(sources), "snapshots", "s")
    assert [line.split()[2] for line in out.splitlines()[1:]] == ["200", "404", "200"]


def test_a_hostile_file_name_in_a_replay_directory_is_one_clean_line(tmp_path, prefect_harness):
    folder = tmp_path / "copies" / "fagrad-pm"
    folder.mkdir(parents=True)
    (folder / "2024-05-28\x1b]0;pwned\x07.html").write_bytes(PAGE)
    (folder / "2024-05-27.html").write_bytes(PAGE)
    code, out, err = cli("--data-dir", str(tmp_path / "data"), "track", "--replay", str(folder.parent))
    (skipped,) = [line for line in err.splitlines() if "skipped" in line]
    assert code == 0 and "file name must be an ISO date or datetime" in skipped, "said, left out, the rest replayed"
    assert not TERMINAL_CONTROLS.search(err) and "baseline composition" in out
