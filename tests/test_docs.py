"""Every command line written in README.md and docs/ works as written, against a demo store.

What counts as a command line: each line of a shell code block that runs `rosterwatch` (bare
or `.venv/bin/rosterwatch`) or `make TARGET`; each inline code span that starts with
`rosterwatch`; and each command of README's command table. Lines of other programs (`prefect`,
`export`, `createdb`, `pip`) are theirs, not ours.

- A `make TARGET` must be a target of the Makefile; where its recipe runs rosterwatch, the
  recipe's command lines count as written lines too.
- An example line is run, in document order, in a sandbox folder (the repository's `tests/`
  linked in, so `tests/fixtures/...` resolves, and the example files the docs name, such as
  `old-pages/` and `crawl.warc.gz`, made there); it must exit 0. A production data dir
  (`/srv/rosterwatch`, `/shared/rosterwatch`) is a copy of the demo store.
- A line that needs the network, a Prefect server or minutes of work is parsed instead of run
  (`NOT_RUN` says why for each); so is a command named in the text or the table (a mention,
  not an example) and a synopsis (`[--opt X]`, `A|B`, `…`, placeholders such as DIR), with its
  placeholders filled in. Parsing must not stop with a usage error.
"""

from __future__ import annotations

import contextlib
import io
import re
import shlex
import shutil
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest

from flows.cli import build_parser, main

ROOT = Path(__file__).resolve().parents[1]
DOCUMENTS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
PROGRAM = re.compile(r"^(?:\.venv/bin/|\$\(BIN\)/)?rosterwatch(?:\s|$)")
PRODUCTION_DATA = ("/srv/rosterwatch", "/shared/rosterwatch")
COMMANDS = set(next(a for a in build_parser()._actions if a.dest == "command").choices)
PLACEHOLDERS = {
    "DATE": "2024-01-01", "N": "2", "K": "2", "SECONDS": "5", "F": "0.5", "P": "0.5", "T,...": "standard",
    "COMMAND": "changes", "SOURCE": "fagrad-pm", "ID": "fagrad-pm", "PERSON": "Grethe Foss",
    "URL": "https://www.example.no/om-oss/radet", "PATH_OR_URL": "page.html", "DIR": "somewhere",
    "FILE": "some.file", "PATH": "some.path", "SET": "tests/fixtures/unseen", "TEXT": "x", "EXPR": "0 6 * * *",
    "TZ": "Europe/Oslo", "NAME": "daily", "VERSION": "0.1.0",
}


@dataclass(frozen=True)
class Written:
    where: str  # file:line
    text: str  # the command line, without its comment
    example: bool = True  # a line of a shell block, to run; else a mention in the text (a code span, the table)

    @property
    def argv(self) -> list[str]:
        return shlex.split(self.text, comments=True)[1:]


def _fenced_lines(path: Path):
    text = path.read_text(encoding="utf-8")
    for block in re.finditer(r"^```(\w*)\n(.*?)^```", text, re.S | re.M):
        if block.group(1) in ("python", "toml", "markdown", "text", "json"):
            continue
        first = text[: block.start(2)].count("\n") + 1
        for offset, line in enumerate(block.group(2).splitlines()):
            line = line.strip().removeprefix("$ ")
            if PROGRAM.match(line) or line.startswith("make "):
                yield Written(f"{path.name}:{first + offset}", line)


def _inline_spans(path: Path):
    text = path.read_text(encoding="utf-8")
    for span in re.finditer(r"(?<!`)`((?:\.venv/bin/)?rosterwatch\s+[^`]+)`(?!`)", text):
        yield Written(f"{path.name}:{text[: span.start()].count(chr(10)) + 1}", " ".join(span.group(1).split()), False)


def _command_table(path: Path):
    """README's table of commands: each code span in the first column is a synopsis."""
    text = path.read_text(encoding="utf-8")
    table = re.search(r"^\| command \| what it does \|\n\|[-| ]+\|\n((?:\|.*\n)+)", text, re.M)
    if table is None:
        return
    first = text[: table.start(1)].count("\n") + 1
    for offset, row in enumerate(table.group(1).splitlines()):
        cell = row.split("` |")[0] + "`"
        for span in re.findall(r"`([^`]+)`", cell.replace("\\|", "|")):
            yield Written(f"{path.name}:{first + offset}", "rosterwatch " + span, False)


def _make_targets() -> dict[str, list[str]]:
    targets, current = {}, None
    for line in (ROOT / "Makefile").read_text(encoding="utf-8").splitlines():
        found = re.match(r"^([a-z][\w-]*):", line)
        if found:
            current = targets.setdefault(found.group(1), [])
        elif line.startswith("\t") and current is not None:
            current.append(line.strip())
    return targets


def written_lines() -> list[Written]:
    found = []
    for path in DOCUMENTS:
        found += list(_fenced_lines(path)) + list(_inline_spans(path)) + list(_command_table(path))
    return found


def is_synopsis(line: Written) -> bool:
    return bool(re.search(r"[\[\]…|]|\.\.\.|\b[A-Z][A-Z_]+\b", line.text.split("#")[0]))


def NOT_RUN(argv: list[str]) -> str | None:
    """Why a written example is parsed rather than run, if it is."""
    command = next((a for a in argv if not a.startswith("-") and a not in _option_values(argv)), None)
    if command == "serve":
        return "registers a Prefect deployment and serves it until stopped"
    if command == "bench":
        return "a benchmark of minutes (make bench)"
    if command == "ner-eval":
        return "scores NorNE for half a minute; tests/test_ner.py checks the model"
    if command == "eval-extraction" and not argv[argv.index(command) + 1 :]:
        return "every gold set; tests/test_eval_extraction.py runs them with their floors"
    if command == "track" and "--replay" not in argv:
        return "fetches the live pages: tests reach no network beyond 127.0.0.1"
    if command == "backfill" and "--cdx" in argv:
        return "asks the Internet Archive"
    if command == "extract" and any(a.startswith(("http://", "https://")) for a in argv):
        return "fetches the page"
    return None


def _option_values(argv: list[str]) -> set[str]:
    """The arguments that are values of a global option (`--data-dir demo-data`), not the command."""
    return {argv[i + 1] for i, a in enumerate(argv[:-1]) if a in ("--data-dir", "--sources", "--people")}


def fill_in(line: Written) -> list[str]:
    """A synopsis as one concrete command line: optional parts taken, the first of alternatives, placeholders filled."""
    text = line.text.replace("[", " ").replace("]", " ")
    argv = []
    for token in shlex.split(text, comments=True)[1:]:
        token = token.split("|")[0] if "|" in token else token
        if token in ("…", "..."):  # the rest of a command line: a command, if none is named yet
            token = "" if any(a in COMMANDS for a in argv) else "COMMAND"
        if token:
            argv.append(PLACEHOLDERS.get(token, token))
    unknown = [a for a in argv if re.fullmatch(r"[A-Z][A-Z_]+", a)]
    assert not unknown, f"{line.where}: placeholder {unknown[0]} has no sample value here; add it to PLACEHOLDERS"
    return argv


def parses(argv: list[str]) -> str | None:
    """The usage error argparse gives for `argv`, if any."""
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        try:
            build_parser().parse_args(argv)
        except SystemExit as exit_:
            if exit_.code:
                return err.getvalue().strip().splitlines()[-1]
    return None


def test_the_docs_have_command_lines_of_every_kind():
    lines = written_lines()
    assert len(lines) > 40
    assert any("--replay" in line.text for line in lines) and any(line.text.startswith("make ") for line in lines)
    assert any(is_synopsis(line) for line in lines) and any(NOT_RUN(line.argv) for line in lines if not is_synopsis(line))


def test_every_synopsis_and_example_that_is_not_run_parses():
    problems = []
    for line in written_lines():
        if line.text.startswith("make "):
            continue
        if is_synopsis(line):
            argv = fill_in(line)
        elif NOT_RUN(line.argv) or not line.example:
            argv = line.argv
        else:
            continue
        problem = parses(argv)
        if problem:
            problems.append(f"{line.where}: `{line.text}`: {problem}")
    assert not problems, "\n".join(problems)


def test_every_make_target_written_exists_and_its_recipe_parses():
    targets = _make_targets()
    for line in written_lines():
        if line.text.startswith("make "):
            target = shlex.split(line.text, comments=True)[1]
            assert target in targets, f"{line.where}: `{line.text}`: no such target in the Makefile"
            for step in targets[target]:
                if PROGRAM.match(step):
                    argv = shlex.split(step)[1:]
                    assert parses(argv) is None, f"Makefile {target}: `{step}`: {parses(argv)}"


@pytest.fixture(scope="module")
def sandbox(tmp_path_factory) -> Path:
    """A folder to run the docs' examples in: tests/ linked in, and the example inputs they name."""
    folder = tmp_path_factory.mktemp("docs")
    (folder / "tests").symlink_to(ROOT / "tests")
    shutil.copytree(ROOT / "tests" / "fixtures" / "history", folder / "old-pages")
    return folder


def examples() -> list[Written]:
    """The example lines that are run, in document order (a store is built before it is queried),
    the recipes of the Makefile targets written (`make demo`) in place of the target."""
    targets, found = _make_targets(), []
    for line in written_lines():
        if line.text.startswith("make "):
            target = shlex.split(line.text, comments=True)[1]
            steps = [s for s in targets.get(target, []) if PROGRAM.match(s)]
            found += [Written(f"{line.where} (make {target})", s) for s in steps]
        elif line.example and PROGRAM.match(line.text) and not is_synopsis(line):
            found.append(line)
    return [line for line in found if not NOT_RUN(line.argv)]


def test_every_example_runs_against_a_demo_store(sandbox, monkeypatch):
    monkeypatch.chdir(sandbox)
    monkeypatch.delenv("ROSTERWATCH_DATA", raising=False)
    ran, problems = 0, []
    for line in examples():
        argv, target = _redirect(line.argv)
        argv = [_sandboxed(sandbox, a) for a in argv]
        if "--warc" in argv:
            _warc_examples(sandbox)
        out, err = io.StringIO(), io.StringIO()
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(argv)
            except SystemExit as exit_:
                code = exit_.code
        if target:
            (sandbox / target).write_text(out.getvalue(), encoding="utf-8")
        ran += 1
        if code != 0:
            problems.append(f"{line.where}: `{line.text}` exited {code}: {err.getvalue().strip()[-300:]}")
    assert not problems, "\n".join(problems)
    assert ran >= 20
    assert (sandbox / "report.html").is_file() and (sandbox / "seats.parquet").is_file() and (sandbox / "seats.csv").stat().st_size


def _redirect(argv: list[str]) -> tuple[list[str], str | None]:
    if ">" in argv:
        at = argv.index(">")
        return argv[:at], argv[at + 1]
    return argv, None


def _sandboxed(sandbox: Path, arg: str) -> str:
    """A production data dir of the docs as a copy of the demo store."""
    if arg in PRODUCTION_DATA:
        copy = sandbox / arg.strip("/").replace("/", "-")
        if not copy.exists():
            shutil.copytree(sandbox / "demo-data", copy, ignore=shutil.ignore_patterns("logs", "*.lock"))
        return str(copy)
    return arg


def _warc_examples(sandbox: Path) -> None:
    """`crawl.warc.gz` and `site.wacz`: the demo store's own WARC file, as a crawl and in a WACZ."""
    if (sandbox / "crawl.warc.gz").exists():
        return
    warc = next((sandbox / "demo-data" / "warc").rglob("*.warc.gz"))
    shutil.copy(warc, sandbox / "crawl.warc.gz")
    with zipfile.ZipFile(sandbox / "site.wacz", "w") as wacz:
        wacz.write(warc, f"archive/{warc.name}")
