"""The HTML report in a real browser: headless Chromium opens it, nothing reaches the console
(no script error, no blocked resource, no injected markup running), and a screenshot is saved.

Chromium is Debian's `chromium` package (.ci/run installs it). The test is skipped only when
no Chromium can be found at all.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from extractors.model import Extraction, Group, Member
from flows.analyst import load_history
from flows.config import DEFAULT_SOURCES, load_sources
from outputs.events import ChangeEvent
from outputs.history import Body, Observation
from outputs.html_report import render_html_report
from outputs.reviewed import load_reviewed
from tests.analyst_store import replay

CHROMIUM = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
FLAGS = (
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--enable-logging=stderr", "--v=0", "--window-size=1280,2600",
)
EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)> [a](javascript:alert(1)) & "quotes"'

needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="no Chromium found (apt-get install chromium); the HTML report browser test needs it")


def open_in_chromium(page: Path, screenshot: Path, profile: Path) -> list[str]:
    """Load `page`, save a screenshot, and return what the page wrote to the console."""
    run = subprocess.run(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", f"--screenshot={screenshot}", page.as_uri()],
        capture_output=True, text=True, timeout=180,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return [line for line in run.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> str:
    """The report of the replayed 2019 -> 2024 history, plus a body whose page carries markup in names."""
    data = tmp_path_factory.mktemp("html-report")
    history = load_history(replay(data), load_sources(DEFAULT_SOURCES), load_reviewed())
    extraction = Extraction(
        source="evil", url="https://x.no/", extractor_version="t",
        groups=(Group(EVIL, EVIL, (Member(EVIL, organisation=EVIL, role=EVIL, region=EVIL, text=EVIL),)),),
    )
    history.bodies["evil"] = Body("evil", EVIL, "javascript:alert(1)")
    history.observations.append(Observation("evil", 99, "2024-06-01T00:00:00Z", "javascript:alert(2)", None, extraction))
    history.events.append(ChangeEvent(
        kind="joined", source="evil", group=EVIL, person=EVIL, person_id=None, before=None,
        after={"name": EVIL, "organisation": EVIL, "role": None, "region": None},
        from_capture=98, to_capture=99, at="2024-06-01T00:00:00Z", url="javascript:alert(3)", text=EVIL, note=EVIL,
    ))
    return render_html_report(history, "2024-06-02T00:00:00Z")


def test_report_is_self_contained_and_escapes_scraped_text(report):
    assert "<script" not in report and "onerror=" not in report.replace("onerror=alert(1)&gt;", "")
    assert 'href="javascript:' not in report and "<p>javascript:alert(1)</p>" in report, "a non-http URL is text, not a link"
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in report
    assert "Content-Security-Policy" in report and "http://" not in report.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert report.count("<svg") == 3, "one chart per body"
    assert "<h3>Current composition</h3>" in report and "compared with" in report


@needs_chromium
def test_report_opens_in_chromium_without_console_errors(report, tmp_path):
    page = tmp_path / "report.html"
    page.write_text(report, encoding="utf-8")
    screenshot = tmp_path / "report.png"
    console = open_in_chromium(page, screenshot, tmp_path / "profile")
    assert console == []
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000
    print(f"screenshot: {screenshot}")


@needs_chromium
def test_the_browser_check_does_catch_console_errors(tmp_path):
    page = tmp_path / "bad.html"
    page.write_text('<!DOCTYPE html><p>x</p><script>throw new Error("boom")</script>', encoding="utf-8")
    console = open_in_chromium(page, tmp_path / "bad.png", tmp_path / "profile")
    assert any("Uncaught Error: boom" in line for line in console)


def test_report_command_writes_the_html_file(tmp_path):
    import contextlib
    import io

    from flows.cli import main

    replay(tmp_path / "data")
    target = tmp_path / "r.html"
    with contextlib.redirect_stderr(io.StringIO()):
        assert main(["--data-dir", str(tmp_path / "data"), "report", "--format", "html", "--out", str(target)]) == 0
    text = target.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>") and "Lilly Ann Elvestad" in text and "suspect extraction" in text


def test_chart_of_one_capture_and_long_group_names():
    """One capture starts the chart (no centred dot, no repeated date); similar long names stay apart."""
    import re

    from outputs.html_report import PAD_L, composition_chart

    names = ["Regionalt fagnettverk Helse Nord", "Regionalt fagnettverk Helse Sør-Øst"]
    extraction = Extraction(
        source="s", url="https://x.no/", extractor_version="t",
        groups=tuple(Group(n, n, (Member("Kari Nordmann", text="Kari Nordmann"),)) for n in names),
    )
    svg = composition_chart([Observation("s", 1, "2024-06-01T00:00:00Z", "https://x.no/", None, extraction)], [])
    assert {float(cx) for cx in re.findall(r'<circle cx="([\d.]+)"', svg)} == {float(PAD_L)}
    assert svg.count(">2024-06-01</text>") == 1
    legend = re.findall(r'font-size="11">([^<]*)</text>', svg)
    shown = [t for t in legend if t.startswith("Regionalt")]
    assert len(shown) == 2 and shown[0].endswith("Helse Nord") and shown[1].endswith("Helse Sør-Øst")
    assert all("…" in t and len(t) <= 28 for t in shown)
