"""The HTML report in a real browser: headless Chromium opens it, nothing reaches the console
(no script error, no blocked resource, no injected markup running), and a screenshot is saved.

Chromium is Debian's `chromium` package (.ci/run installs it). The test is skipped only when
no Chromium can be found at all.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from extractors.model import Extraction, Group, Member
from flows.analyst import captured_pages, load_history
from flows.config import DEFAULT_SOURCES, load_sources
from outputs.events import ChangeEvent
from outputs.history import Body, Observation
from outputs.archive import CSP, CapturedPage, archived_page
from outputs.reviewed import load_reviewed
from outputs.writers import Request, writer
from snapshots.store import SnapshotStore
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
        capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return [line for line in run.stderr.splitlines() if ":CONSOLE" in line or "Uncaught" in line]


@pytest.fixture(scope="module")
def written(tmp_path_factory) -> Path:
    """The report of the replayed 2019 -> 2024 history as `report --format html --out` writes it,
    with its archived pages, plus a body whose page carries markup in names."""
    folder = tmp_path_factory.mktemp("html-report")
    store = replay(folder / "data")
    history = load_history(store, load_sources(DEFAULT_SOURCES), load_reviewed())
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

    def pages(ids):
        found = captured_pages(store, ids)
        found[99] = CapturedPage(99, "evil", "https://x.no/styret", "2024-06-01T00:00:00Z", hostile_page("http://127.0.0.1:9"))
        return found

    out = folder / "out" / "report.html"
    done = writer("report", "html").write(Request(history, "2024-06-02T00:00:00Z", out=out, pages=pages))
    out.parent.mkdir()
    out.write_text(done.main, encoding="utf-8")
    for relative, text in done.beside.items():
        (out.parent / relative).parent.mkdir(exist_ok=True)
        (out.parent / relative).write_text(text, encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def report(written) -> str:
    return written.read_text(encoding="utf-8")


def hostile_page(base: str, refresh: bool = True) -> str:
    """A captured page that tries every way to run a script or load something when opened
    (a headless browser's screenshot never ends on a page that reloads itself: the control leaves it out)."""
    reload = f'<meta http-equiv="refresh" content="0;url={base}/refresh">' if refresh else ""
    return f"""<html><head><base href="{base}/base/">{reload}
<link rel="stylesheet" href="{base}/style.css"><script>console.log("CANARY-script")</script>
<style>@import url({base}/import.css); body{{background:url({base}/bg.png)}}</style></head>
<body onload="console.log('CANARY-onload')"><h1>Styret</h1><ul><li>Kari Nordmann, leiar</li></ul>
<img src="{base}/pixel.png" onerror="console.log('CANARY-onerror')"><a href="javascript:console.log('CANARY-href')">x</a>
<iframe src="{base}/frame"></iframe><svg><script>console.log("CANARY-svg")</script></svg>
<object data="{base}/object"></object><form action="{base}/form"><input name="q" autofocus onfocus="console.log('CANARY-focus')"></form>
<div style="background:url({base}/inline.png)">bakgrunn</div><a href="#top">til toppen</a></body></html>"""


def test_report_is_self_contained_and_escapes_scraped_text(report):
    assert "<script" not in report and "onerror=" not in report.replace("onerror=alert(1)&gt;", "")
    assert 'href="javascript:' not in report and "javascript:alert(1)</p>" in report, "a non-http URL is text, not a link"
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in report
    assert "Content-Security-Policy" in report and "http://" not in report.replace('xmlns="http://www.w3.org/2000/svg"', "")
    assert report.count('<svg class="chart"') == 3, "one chart per body"
    assert "<h3>Current composition</h3>" in report and "before: " in report


def _charts(report: str) -> dict[str, str]:
    """Each body's chart and legend, by source id."""
    sections = re.findall(r'<section id="body-([^"]+)">(.*?)</section>', report, re.S)
    return {source: text.split("<h3>Current composition</h3>")[0] for source, text in sections}


def test_joins_and_leaves_are_drawn_per_capture(report, written):
    """Six joining and six leaving at one capture is not a flat line: bars say +6 and −6 there."""
    store = SnapshotStore(written.parent.parent / "data")
    history = load_history(store, load_sources(DEFAULT_SOURCES), load_reviewed())
    expected = {}
    for event in history.events:
        if event.source == "fagrad-pm" and event.kind in ("joined", "left"):
            expected.setdefault(event.to_capture, Counter())[event.kind] += 1
    chart = _charts(report)["fagrad-pm"]
    drawn = {int(c): (int(j), int(l)) for c, j, l in re.findall(r"\(capture (\d+)\): (\d+) joined, (\d+) left</title></rect>", chart)}
    assert drawn == {c: (n["joined"], n["left"]) for c, n in expected.items()}
    assert drawn[5] == (6, 6)
    assert ">+6</text>" in chart and ">−6</text>" in chart


def test_groups_without_members_are_not_charted_and_the_legend_explains_every_mark(report):
    norprem, fagrad = _charts(report)["norprem"], _charts(report)["fagrad-pm"]
    chair_only = [f"Regionalt fagnettverk Helse {r}" for r in ("Nord", "Midt-Norge", "Vest", "Sør-Øst")]
    for name in chair_only:
        assert f"<title>{name}</title></polyline>" not in norprem
        assert name in norprem.split("Not charted, no members listed:")[1]
    legend = re.findall(r"<li><svg[^>]*>.*?</svg><span>([^<]*)</span></li>", norprem)
    assert legend == [
        "Administrativ enhet (arbeidsgruppe) (3 members at the latest capture)",
        "Koordineringsgruppen (10 members at the latest capture)",
    ], "full names, only groups with members, no suspect or joined/left entry where there is none"
    legend = re.findall(r"<li><svg[^>]*>.*?</svg><span>([^<]*)</span></li>", fagrad)
    assert legend[1:] == [
        "people who joined, at the capture that shows it",
        "people who left, at the capture that shows it",
        "a suspect capture: not believed, the composition before it stays current",
    ]
    assert fagrad.count('stroke-dasharray="4 3"') == 2, "the suspect capture's line, and its legend swatch"


def test_each_change_links_to_the_archived_pages_before_and_after(report, written):
    store = SnapshotStore(written.parent.parent / "data")
    for item in re.findall(r"<li[^>]*><time.*?</li>", _charts_and_changes(report, "fagrad-pm"), re.S):
        links = re.findall(r'(before|after): <a href="([^"]+)">capture (\d+)', item)
        assert [kind for kind, _, _ in links] == ["before", "after"], item
        for _, href, capture_id in links:
            assert href == f"report-captures/capture-{capture_id}.html"
            page = (written.parent / href).read_text(encoding="utf-8")
            capture = store.capture(int(capture_id))
            assert f"captured it at {capture.fetched_at} (capture {capture_id}" in page
            assert "Content-Security-Policy" in page and "<script" not in page.lower()
    assert "https://www.helsedirektoratet.no" not in _charts_and_changes(report, "fagrad-pm").split("<h3>Changes</h3>")[1], (
        "changes link to the archived copies, never to today's live page"
    )


def _charts_and_changes(report: str, source: str) -> str:
    return re.search(rf'<section id="body-{source}">(.*?)</section>', report, re.S).group(1)


def test_an_archived_page_keeps_its_text_and_loses_every_active_part():
    page = archived_page(CapturedPage(7, "s", "https://x.no/a/styret", "2024-06-01T00:00:00Z", hostile_page("http://127.0.0.1:9")))
    assert "Kari Nordmann, leiar" in page and "Archived copy" in page
    lowered = page.lower()
    for active in ("<script", "onload=", "onerror=", "onfocus=", "javascript:", "<iframe", "<object", "<form", "<base", "refresh", "<link"):
        assert active not in lowered, active
    assert f'content="{CSP}"' in page and lowered.count("<meta") == 2, "the CSP and the charset are the only meta tags"
    assert 'href="#top"' in page, "an in-page link stays in the page"


@needs_chromium
def test_report_opens_in_chromium_without_console_errors(written, tmp_path):
    screenshot = tmp_path / "report.png"
    console = open_in_chromium(written, screenshot, tmp_path / "profile")
    assert console == []
    assert screenshot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and screenshot.stat().st_size > 20_000
    print(f"screenshot: {screenshot}")


@needs_chromium
@pytest.mark.parametrize("width", [1280, 640])
def test_the_legend_fits_the_window(written, tmp_path, width):
    """Laid out by Chromium: every legend entry lies inside the window and both ends of its text
    are what the browser shows at that point (not clipped, not covered)."""
    probe = tmp_path / "probe.html"
    text = written.read_text(encoding="utf-8").replace("default-src 'none'", "default-src 'none'; script-src 'unsafe-inline'")
    probe.write_text(text.replace("</body>", LAYOUT_PROBE + "</body>"), encoding="utf-8")
    found = json.loads(re.search(r'<pre id="layout">(.*?)</pre>', dump_dom(probe, tmp_path / "profile", width), re.S).group(1))
    assert len(found) >= 7, "legend entries of both bodies"
    clipped = [item for item in found if item["right"] > item["window"] or item["overflow"]]
    assert clipped == []
    assert {"Administrativ enhet (arbeidsgruppe) (3 members at the latest capture)"} <= {item["text"] for item in found}


LAYOUT_PROBE = """<pre id="layout"></pre><script>
const shown = (label, x, y) => { const hit = document.elementFromPoint(x, y); return hit === label || label.contains(hit); };
const items = [...document.querySelectorAll("ul.legend li")].map(li => {
  const label = li.querySelector("span");
  window.scrollTo(0, label.getBoundingClientRect().top + window.scrollY - innerHeight / 2);  // the page only: a clipping box is not scrolled
  const box = label.getBoundingClientRect(), mid = box.top + box.height / 2;
  const clipped = el => el.scrollWidth > el.clientWidth + 1 || el.scrollHeight > el.clientHeight + 1;
  return {text: label.textContent, window: document.documentElement.clientWidth, right: Math.ceil(box.right),
          overflow: clipped(li) || clipped(label) || !shown(label, box.left + 2, mid) || !shown(label, box.right - 2, mid)};
});
document.getElementById("layout").textContent = JSON.stringify(items);
</script>"""


def dump_dom(page: Path, profile: Path, width: int) -> str:
    run = subprocess.run(
        [CHROMIUM, *FLAGS, f"--window-size={width},2000", f"--user-data-dir={profile}", "--dump-dom", page.as_uri()],
        capture_output=True, text=True, timeout=180,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    return run.stdout


@needs_chromium
def test_no_archived_page_runs_a_script_or_loads_anything(written, tmp_path, http_server):
    """Opened in Chromium, the archived copy of a hostile page logs no canary and asks the
    network for nothing; the same page unarchived does both (the check can fail)."""
    raw = tmp_path / "raw.html"
    base = http_server.url("").rstrip("/")
    raw.write_text(hostile_page(base, refresh=False), encoding="utf-8")
    console = open_in_chromium(raw, tmp_path / "raw.png", tmp_path / "profile")
    assert any("CANARY" in line for line in console) and http_server.requests, "the control page must misbehave"
    http_server.requests.clear()
    archived = tmp_path / "archived.html"
    archived.write_text(archived_page(CapturedPage(1, "s", http_server.url("/styret"), "2024-06-01T00:00:00Z", hostile_page(base))), encoding="utf-8")
    console = open_in_chromium(archived, tmp_path / "archived.png", tmp_path / "profile")
    assert not [line for line in console if "CANARY" in line]
    assert http_server.requests == []
    linked = sorted((written.parent / "report-captures").glob("*.html"))
    assert len(linked) >= 5
    for page in linked:
        console = open_in_chromium(page, tmp_path / f"{page.stem}.png", tmp_path / "profile")
        assert not [line for line in console if "CANARY" in line], page


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
    linked = set(re.findall(r'href="(r-captures/capture-\d+\.html)"', text))
    assert len(linked) >= 4 and {f"r-captures/{p.name}" for p in (tmp_path / "r-captures").iterdir()} == linked


def test_chart_of_one_capture_and_long_group_names():
    """One capture starts the chart (no centred dot, no repeated date); long names are shown whole."""
    from outputs.html_report import PAD_L, composition_chart

    names = ["Regionalt fagnettverk Helse Nord", "Regionalt fagnettverk Helse Sør-Øst"]
    extraction = Extraction(
        source="s", url="https://x.no/", extractor_version="t",
        groups=tuple(Group(n, n, (Member("Kari Nordmann", text="Kari Nordmann"),)) for n in names),
    )
    svg = composition_chart([Observation("s", 1, "2024-06-01T00:00:00Z", "https://x.no/", None, extraction)], [])
    assert {float(cx) for cx in re.findall(r'<circle cx="([\d.]+)" cy="[\d.]+" r="3" fill="#\w+"><title>', svg)} == {float(PAD_L)}
    assert svg.count(">2024-06-01</text>") == 1
    legend = re.findall(r"<span>([^<]*)</span></li>", svg)
    assert legend == [f"{n} (1 members at the latest capture)" for n in names]
