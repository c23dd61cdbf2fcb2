"""The command line as a user meets it: help, errors, and the query commands on a replayed history."""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from flows.cli import build_parser, main

HISTORY = Path(__file__).parent / "fixtures" / "history"
COMMANDS = ["track", "extract", "changes", "members", "snapshots", "ner-eval", "eval-extraction"]


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_top_level_help_lists_every_command(capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["--help"])
    out = capsys.readouterr().out
    assert exit_.value.code == 0
    for command in COMMANDS:
        assert command in out
    assert "--data-dir" in out and "ROSTERWATCH_DATA" in out


def subcommands() -> dict[str, argparse.ArgumentParser]:
    return next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction)).choices


@pytest.mark.parametrize("command", sorted(subcommands()))
def test_each_command_has_help_that_teaches(capsys, command):
    """Every option and argument explained, and examples, each of which the parser takes."""
    with pytest.raises(SystemExit) as exit_:
        main([command, "--help"])
    assert exit_.value.code == 0
    out = capsys.readouterr().out
    assert f"rosterwatch {command}" in out and "global options (before or after COMMAND):" in out
    parser = subcommands()[command]
    unexplained = [a.option_strings or a.dest for a in parser._actions if not a.help or a.help == argparse.SUPPRESS]
    assert unexplained == []
    examples = [shlex.split(line, comments=True) for line in out.split("\nexamples:\n")[1].splitlines()]
    examples = [argv[1 : argv.index(">") if ">" in argv else None] for argv in examples if argv[:1] == ["rosterwatch"]]
    assert [argv for argv in examples if command in argv], "at least one example of the command itself"
    for argv in examples:
        build_parser().parse_args(argv)


def test_global_options_go_before_or_after_the_command(tmp_path, capsys):
    empty = tmp_path / "empty"
    for argv in (["--data-dir", str(empty), "changes"], ["changes", "--data-dir", str(empty)]):
        code, _, err = run(capsys, *argv)
        assert code == 2 and f"no data in {empty} (from --data-dir)" in err


def test_export_help_shows_every_format_and_the_default(capsys):
    with pytest.raises(SystemExit):
        main(["export", "--help"])
    out = capsys.readouterr().out
    assert "csv (default)" in out and "parquet " in out and "popolo " in out


def test_bad_sources_file_names_file_source_and_key(tmp_path, capsys):
    bad = tmp_path / "sources.toml"
    bad.write_text('[sources.x]\nname = "X"\nurl = "ftp://example.no/"\nlanguage = "nb"\n', encoding="utf-8")
    code, _, err = run(capsys, "--sources", str(bad), "--data-dir", str(tmp_path), "track")
    assert code == 2
    assert err.strip() == f"rosterwatch: {bad}: source 'x': key 'url' must be an http(s) URL with a host, got 'ftp://example.no/'"
    bad.write_text('[sources.x]\nname = "X"\nurl = "https://example.no/"\nlanguage = "nb"\nlangauge = "nn"\n', encoding="utf-8")
    code, _, err = run(capsys, "--sources", str(bad), "track")
    assert "source 'x': unknown key 'langauge'" in err and len(err.strip().splitlines()) == 1


def test_unknown_source_and_empty_store_are_clear_errors(tmp_path, capsys):
    code, _, err = run(capsys, "--data-dir", str(tmp_path), "members", "nosuch")
    assert code == 2 and "unknown source 'nosuch'; known sources: norprem, fagrad-pm" in err
    code, _, err = run(capsys, "--data-dir", str(tmp_path / "empty"), "changes")
    assert code == 2 and f"no data in {tmp_path / 'empty'} (from --data-dir); run 'rosterwatch track' there first" in err


@pytest.mark.parametrize("command", [["changes"], ["members", "norprem"], ["people"], ["track", "--replay", str(HISTORY)]])
def test_a_data_dir_that_is_a_file_is_named_as_such(tmp_path, capsys, command):
    afile = tmp_path / "notes.txt"
    afile.write_text("x", encoding="utf-8")
    code, out, err = run(capsys, "--data-dir", str(afile), *command)
    assert code == 2 and out == ""
    assert err == f"rosterwatch: data dir {afile} (from --data-dir) is a file, not a folder; give the folder that holds a store, or a new one for 'rosterwatch track' to create\n"
    assert afile.read_text(encoding="utf-8") == "x"


def test_extract_prints_the_design_json(capsys):
    page = HISTORY / "fagrad-pm" / "2024-05-28.html"
    code, out, _ = run(capsys, "extract", str(page), "--source", "fagrad-pm", "--json")
    data = json.loads(out)
    assert code == 0
    assert {"source", "url", "extractor_version", "title", "language", "published", "updated", "mandate", "groups"} <= set(data)
    assert data["source"] == "fagrad-pm" and data["language"] == "nn"
    assert data["published"] == "2019-11-25" and data["updated"] == "2024-05-28"
    members = [m for g in data["groups"] for m in g["members"]]
    hilde = next(m for m in members if m["name"] == "Hilde Myhren")
    assert (hilde["organisation"], hilde["role"]) == ("Helsedirektoratet", "leiar")
    assert set(hilde) >= {"name", "organisation", "role", "region", "text"}


def cli(*argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process without capsys (see conftest: Prefect must not bind to a test capture)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_queries_after_a_replay(prefect_harness, tmp_path):
    from flows.track import track

    data = str(tmp_path / "data")
    assert not track(data_dir=data, replay_dir=str(HISTORY)).failed

    code, out, _ = cli("--data-dir", data, "changes", "--json", "--source", "fagrad-pm")
    events = json.loads(out)
    assert {e["kind"] for e in events} >= {"joined", "left", "chair_changed", "mandate_edited"}
    assert all({"kind", "source", "group", "person", "person_id", "before", "after", "from_capture", "to_capture", "at"} <= set(e) for e in events)
    assert [e["at"] for e in events] == sorted(e["at"] for e in events)

    code, out, _ = cli("--data-dir", data, "changes", "--since", "2024-01-01")
    assert "Lilly Ann Elvestad joined" in out and "norprem" not in out

    code, out, _ = cli("--data-dir", data, "members", "fagrad-pm", "--at", "2023-12-31", "--json")
    names = {m["name"] for m in json.loads(out)}
    assert "Olav Slåtta" in names and "Hilde Myhren" not in names
    code, out, _ = cli("--data-dir", data, "members", "fagrad-pm")
    assert "Hilde Myhren" in out and "Olav Slåtta" not in out

    code, out, _ = cli("--data-dir", data, "snapshots", "norprem")
    lines = out.strip().splitlines()
    assert len(lines) == 4 and "replay" in lines[1]


def test_console_script_replays_on_prefects_local_default(tmp_path):
    """The README's demo, as a user runs it: the installed script, an ephemeral Prefect server."""
    env = dict(os.environ, PREFECT_HOME=str(tmp_path / "prefect-home"))
    env.pop("PREFECT_API_URL", None)
    script = Path(sys.executable).parent / "rosterwatch"
    done = subprocess.run(
        [str(script), "--data-dir", str(tmp_path / "data"), "track", "--replay", str(HISTORY), "--source", "norprem"],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert "Rita Halvorsen joined Koordineringsgruppen" in done.stdout
    assert (tmp_path / "data" / "reports").is_dir()


def test_two_runs_at_once_do_not_corrupt_the_store(tmp_path):
    """Two `track` processes on one data dir: the second waits for the lock, stores nothing twice."""
    from snapshots.store import SnapshotStore

    script = Path(sys.executable).parent / "rosterwatch"
    argv = [str(script), "--data-dir", str(tmp_path / "data"), "track", "--replay", str(HISTORY)]
    runs = []
    for i in range(2):
        env = dict(os.environ, PREFECT_HOME=str(tmp_path / f"prefect-{i}"))
        env.pop("PREFECT_API_URL", None)
        runs.append(subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env))
    outputs = [run.communicate(timeout=300) for run in runs]
    problems = [line for _, err in outputs for line in err.splitlines() if "rosterwatch:" in line or "Error" in line]
    assert [run.returncode for run in runs] == [0, 0], problems
    store = SnapshotStore(tmp_path / "data")
    assert len(store.captures()) == 6
    reports = sorted(out for out, _ in outputs)
    assert "Lilly Ann Elvestad joined" in "".join(reports)
    assert any("No change since 2024-05-28" in out for out in reports), "the later run found everything done"


def test_queries_on_a_history_from_an_older_extractor_say_to_reextract(tmp_path, capsys):
    from snapshots.store import SnapshotStore
    from tests.test_store import response

    store = SnapshotStore(tmp_path)
    capture = store.add_capture("fagrad-pm", response(b"<p>x</p>"))
    store.add_extractions("0.0.1-old", [(capture.id, None, 0)])
    for command in (["changes"], ["members", "fagrad-pm"], ["people"]):
        code, _, err = run(capsys, "--data-dir", str(tmp_path), *command)
        assert code == 2
        assert "extracted by 0.0.1-old" in err and "run 'rosterwatch reextract'" in err
