"""`rosterwatch bench`: how fast re-extraction and tracking are, next to the plain tools.

Re-extraction. An archive of N stored captures in a temporary data root: the real page texts
of ../shared/pages and ../shared/pages/real (read at run time), rendered by the CMS renderer
(`extractors.cms`) in every template, with members replaced over time by people with
realistic Norwegian names (Faker's no_NO locale), and about one capture in ten unchanged
since the day before (a WARC revisit record). In one warm pool of worker processes, (a) bare
`trafilatura.extract` over the distinct pages, with the settings `extract()` gives it, and (b)
the full re-extraction (read WARC, extract, store, derive the history) take turns, pass after
pass; the ratio is b/a over all passes. Starting the workers (imports, the NER model) is timed
apart. Peak memory is the proportional set size (PSS) summed over the whole process tree,
workers included, sampled all along.

Tracking. K of those pages served from 127.0.0.1; `rosterwatch track` (the command line on
Prefect's embedded default) is timed with nothing changed and with one page changed, and so is
urlwatch on the same pages in the same run, when it is installed (`pip install -e '.[bench]'`),
the two taking turns. Peak memory is the resident set size of the command's process tree.
What the data dir (WARC files and index; each run's report aside) grew by over thirty more
nothing-changed runs, per capture, is `bytes_per_unchanged`.
"""

from __future__ import annotations

import http.server
import json
import os
import random
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from functools import partial
from pathlib import Path

from flows import config
from flows.config import PROJECT_ROOT, Source
from flows.history import chunk_size, default_workers, process_pool, reextract_sources
from flows.tracking import track_in_process
from snapshots.fetch import FetchResult
from snapshots.store import SnapshotStore

SHARED_PAGES = PROJECT_ROOT.parent / "shared" / "pages"
PAGE_DIRS = (SHARED_PAGES, SHARED_PAGES / "real")
UNCHANGED_SHARE = 0.1
PASSES = 3  # turns each side takes, re-extraction and tracking alike
SIZE_RUNS = 30  # nothing-changed track runs over which the bytes an unchanged capture adds are measured
NAME_LOCALE = "no_NO"  # Faker's Norwegian (Bokmål) names, as the NER augmentation uses
# What `extractors.content` asks of trafilatura (a test checks they stay the same).
TRAFILATURA_OPTIONS = dict(include_tables=True, include_comments=False, favor_recall=True, deduplicate=False)
# Sources on 127.0.0.1 need this where the fetch policy refuses private addresses by default.
LOCAL_SOURCE_KEYS = {"allow_private": "true"}

# The command as the console script runs it, then whether the run loaded the NER model.
TRACK_PROBE = (
    "import json, sys\n"
    "from flows.cli import main\n"
    "code = main(sys.argv[1:])\n"
    "print(json.dumps({'code': code, 'spacy': 'spacy' in sys.modules}), file=sys.stderr)\n"
)


class BenchError(RuntimeError):
    """The bench cannot run here; the message says what is missing."""


@dataclass
class Timing:
    """Runs of one command: wall seconds and peak memory (bytes) of each."""

    seconds: list[float]
    peaks: list[int]

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak_mb(self) -> float:
        return max(self.peaks) / 2**20


@dataclass
class TrackBench:
    pages: int
    first_s: float
    nothing_changed: Timing
    one_changed: Timing
    model_loaded_unchanged: bool
    bytes_per_unchanged: float
    urlwatch: tuple[Timing, Timing] | None  # nothing changed, one changed
    urlwatch_why: str = ""


@dataclass
class BenchResult:
    captures: int
    distinct: int
    texts: int
    workers: int
    startup_s: float
    trafilatura_s: list[float]
    reextract_s: list[float]
    peak_pss_mb: float
    unchanged: int
    track: TrackBench

    @property
    def reextract_rate(self) -> float:
        return self.captures / statistics.mean(self.reextract_s)

    @property
    def ratio(self) -> float:
        return sum(self.reextract_s) / sum(self.trafilatura_s)

    def report(self) -> str:
        t = self.track
        a, b = statistics.mean(self.trafilatura_s), statistics.mean(self.reextract_s)
        lines = [
            f"archive: {self.captures} captures of {self.texts} page texts, {self.distinct} distinct pages, "
            f"{self.unchanged} unchanged; {self.workers} worker processes",
            f"worker start-up (imports, NER model), not timed below: {self.startup_s:.2f} s a pass",
            f"(a) trafilatura.extract, extract()'s settings: {self.distinct / a:.0f} pages/s ({a:.2f} s a pass, {PASSES} passes)",
            f"(b) reextract: {self.reextract_rate:.0f} captures/s, {self.distinct / b:.0f} distinct pages/s ({b:.2f} s a pass)",
            f"peak memory, whole process tree (PSS): {self.peak_pss_mb:.0f} MiB",
            f"track, {t.pages} pages from 127.0.0.1, the command on the embedded default (median of {PASSES}): "
            f"first run {t.first_s:.2f} s; nothing changed {t.nothing_changed.median:.2f} s, "
            f"one page changed {t.one_changed.median:.2f} s; peak RSS {t.nothing_changed.peak_mb:.0f} MiB "
            f"with nothing changed, {t.one_changed.peak_mb:.0f} MiB with one page changed; "
            f"NER model loaded with nothing changed: {'yes' if t.model_loaded_unchanged else 'no'}",
            f"unchanged capture: {t.bytes_per_unchanged:.0f} bytes of WARC and index",
        ]
        if t.urlwatch:
            same, changed = t.urlwatch
            lines.append(
                f"urlwatch, same pages: nothing changed {same.median:.2f} s, one page changed {changed.median:.2f} s; "
                f"peak RSS {same.peak_mb:.0f} MiB"
            )
        else:
            lines.append(f"urlwatch: {t.urlwatch_why}")
        versus = f"{t.nothing_changed.median / t.urlwatch[0].median:.2f}" if t.urlwatch else "nan"
        lines += [
            f"reextract pages/s={self.reextract_rate:.0f} ratio_vs_trafilatura={self.ratio:.2f} "
            f"peak_rss_mb={self.peak_pss_mb:.0f} bytes_per_unchanged={t.bytes_per_unchanged:.0f}",
            f"track nothing_changed_s={t.nothing_changed.median:.2f} one_changed_s={t.one_changed.median:.2f} "
            f"vs_urlwatch={versus} peak_rss_mb={t.nothing_changed.peak_mb:.0f}",
        ]
        return "\n".join(lines)


# ------------------------------------------------------------------------------ memory


def _children(pid: int) -> list[int]:
    """The children of a process, from each of its threads' `children` file."""
    found = []
    for listing in Path(f"/proc/{pid}/task").glob("*/children"):
        try:
            found += [int(child) for child in listing.read_text().split()]
        except (OSError, ValueError):
            continue
    return found


def _tree(root: int) -> list[int]:
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo += _children(pid)
    return found


def _memory(pid: int, kind: str) -> int:
    """Bytes of one process: its PSS now (shared pages split among their users), or its peak RSS
    since it started (VmHWM, kept by the kernel, so no peak falls between two samples)."""
    path, label = (f"/proc/{pid}/smaps_rollup", "Pss:") if kind == "pss" else (f"/proc/{pid}/status", "VmHWM:")
    try:
        for line in Path(path).read_text().splitlines():
            if line.startswith(label):
                return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


class TreePeak:
    """The peak memory of a process and all its descendants, sampled on a thread.

    kind "pss": the largest sum of PSS seen (workers share the pages they were forked with);
    kind "rss": the sum of each process's own peak RSS (an upper bound for a short command).
    """

    def __init__(self, root: int, kind: str = "pss", interval: float = 0.02):
        self.root, self.kind, self.interval = root, kind, interval
        self._largest = 0
        self._peaks: dict[int, int] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)

    @property
    def peak(self) -> int:
        return self._largest if self.kind == "pss" else sum(self._peaks.values())

    def _sample(self) -> None:
        while True:
            now = {pid: _memory(pid, self.kind) for pid in _tree(self.root)}
            self._largest = max(self._largest, sum(now.values()))
            for pid, used in now.items():
                self._peaks[pid] = max(self._peaks.get(pid, 0), used)
            if self._stop.wait(self.interval):
                return

    def __enter__(self) -> "TreePeak":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def run_measured(argv: list[str], env: dict[str, str], cwd: Path | None = None) -> tuple[float, int, str]:
    """Run a command; its wall seconds, the peak RSS of its process tree, and its stderr."""
    started = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    with TreePeak(proc.pid, "rss", 0.005) as peak:
        err = proc.stderr.read()
        proc.wait()
    seconds = time.perf_counter() - started
    if proc.returncode != 0:
        raise BenchError(f"{' '.join(argv[:3])}… exited with {proc.returncode}: {err.decode(errors='replace')[-500:]}")
    return seconds, peak.peak, err.decode(errors="replace")


# ------------------------------------------------------------------------------ the archive


def _renderer():
    from extractors import cms

    if not all(d.is_dir() for d in PAGE_DIRS):
        raise BenchError(f"bench needs the page texts in {SHARED_PAGES} and {SHARED_PAGES / 'real'}; run it from the project workspace")
    return cms


class Names:
    """Realistic people for the pages (names the person grammar and the NER model meet in real lists)."""

    def __init__(self, seed: int):
        try:
            from faker import Faker
        except ImportError:
            raise BenchError("bench needs Faker for realistic names: pip install -e '.[bench]' (make bench does)") from None
        self.fake = Faker(NAME_LOCALE)
        self.fake.seed_instance(seed)
        self.rng = random.Random(seed)

    def person(self) -> str:
        first = self.fake.first_name()
        if self.rng.random() < 0.3:
            first += " " + self.fake.first_name()
        return f"{first} {self.fake.last_name()}"


@dataclass
class Page:
    stem: str
    doc: object  # extractors.cms.PageDoc
    names: list[str]


def page_texts() -> list[Page]:
    """Every shared page text with members, as a PageDoc and the member names extraction finds in it."""
    from extractors import extract

    cms = _renderer()
    pages = []
    for path in sorted(p for d in PAGE_DIRS for p in d.glob("*.txt")):
        doc = cms.parse_page_text(path.read_text(encoding="utf-8"))
        names = [m.name for g in extract(cms.render(doc), path.stem).groups for m in g.members]
        if names:
            pages.append(Page(path.stem, doc, names))
    if not pages:
        raise BenchError(f"no page with members in {', '.join(map(str, PAGE_DIRS))}")
    return pages


def next_version(page: Page, names: Names, rng: random.Random) -> str:
    """The page with one member replaced by someone new, in a template picked at random."""
    cms = _renderer()
    old, new = rng.choice(page.names), names.person()
    try:
        page.doc = cms.edit(page.doc, old, new)
        page.names[page.names.index(old)] = new
    except ValueError:  # a name the page spells differently: this version is a redesign only
        pass
    return cms.render(page.doc, rng.choice(cms.TEMPLATES))


def build_archive(store: SnapshotStore, captures: int, pages: list[Page], seed: int = 1) -> tuple[list[Source], list[str]]:
    """Store `captures` captures spread over the pages; returns the sources and the distinct bodies."""
    rng, names = random.Random(seed), Names(seed)
    sources = [
        Source(id=p.stem[:60], name=p.stem, url=f"https://bench.invalid/{p.stem}", language="nb", allowed_hosts=("bench.invalid",))
        for p in pages
    ]
    last: dict[str, str] = {}
    distinct: list[str] = []
    start = datetime(2020, 1, 1, 6, tzinfo=timezone.utc)
    for index in range(captures):
        source, page = sources[index % len(sources)], pages[index % len(pages)]
        if source.id not in last or rng.random() >= UNCHANGED_SHARE:
            last[source.id] = next_version(page, names, rng)
            distinct.append(last[source.id])
        when = start + timedelta(days=index // len(sources))
        store.add_capture(source.id, _response(source.url, last[source.id].encode("utf-8"), when), origin="backfill")
    return sources, list(dict.fromkeys(distinct))


def _response(url: str, body: bytes, when: datetime) -> FetchResult:
    return FetchResult(
        url=url, final_url=url, status=200, reason="OK",
        headers=(("Content-Type", "text/html; charset=utf-8"),), request_headers=(("User-Agent", "rosterwatch-bench"),),
        body=body, fetched_at=when, redirects=(), content_type="text/html", charset="utf-8", http_version="HTTP/1.1",
    )


# ------------------------------------------------------------------------------ re-extraction


# A member list no bench page has: a worker reads it once at start-up, so the one-time loading
# (the NER model, word lists, lazily built tables) is not timed as if it were extraction.
WARM_PAGE = (
    "<html><body><main><h1>Eksempelrådet</h1><p>Rådet gir råd om eksempler.</p><h2>Medlemmer</h2>"
    "<ul><li>Leder: Eksempel Eksempelsen, Eksempeldirektoratet</li><li>Prøve Prøvesen, Prøveforeningen</li></ul>"
    "</main></body></html>"
)


def _warm_worker() -> None:
    from extractors import extract

    extract(WARM_PAGE, "warm-up")
    _trafilatura(WARM_PAGE)


def _wait(seconds: float) -> None:
    time.sleep(seconds)


def _trafilatura(html: str) -> int:
    import trafilatura

    return len(trafilatura.extract(html, **TRAFILATURA_OPTIONS) or "")


def start_workers(workers: int) -> tuple[Executor, float]:
    """A pool with every worker started and warm; the seconds it took."""
    started = time.perf_counter()
    pool = process_pool(workers, initializer=_warm_worker)
    list(pool.map(_wait, [0.2] * workers))  # each busy at once: every worker is started
    return pool, time.perf_counter() - started


def time_trafilatura(pool: Executor, pages: list[str], workers: int) -> float:
    started = time.perf_counter()
    list(pool.map(_trafilatura, pages, chunksize=chunk_size(len(pages), workers)))
    return time.perf_counter() - started


def time_reextract(pool: Executor, store: SnapshotStore, sources: list[Source], version: str, workers: int) -> float:
    from extractors import extract

    started = time.perf_counter()
    reextract_sources(store, sources, version, extract, workers, compare=False, pool=pool)
    return time.perf_counter() - started


# ------------------------------------------------------------------------------ tracking


class _QuietFiles(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        """No line per request."""


def _serve(directory: Path) -> http.server.ThreadingHTTPServer:
    """Static files from 127.0.0.1 with Last-Modified and 304 answers, as a plain web server gives them."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), partial(_QuietFiles, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server


def _sources_toml(urls: list[str]) -> str:
    extra = "".join(f"{k} = {v}\n" for k, v in LOCAL_SOURCE_KEYS.items() if k in getattr(config, "KEYS", ()))
    return "".join(
        f'[sources.bench-{i}]\nname = "Bench page {i}"\nurl = "{url}"\nlanguage = "nb"\n{extra}\n' for i, url in enumerate(urls)
    )


def _stored_bytes(data: Path) -> int:
    """WARC files and index (after a WAL checkpoint): what captures cost. Each run's report aside,
    and SQLite's shared-memory file, which exists only while a connection is open."""
    with sqlite3.connect(data / "index.sqlite") as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.close()
    return sum(
        p.stat().st_size
        for p in data.rglob("*")
        if p.is_file() and "reports" not in p.relative_to(data).parts and not p.name.endswith("-shm")
    )


def _urlwatch() -> str | None:
    found = Path(sys.executable).parent / "urlwatch"
    return str(found) if found.exists() else shutil.which("urlwatch")


def time_tracking(root: Path, pages: list[Page], k: int, seed: int = 2) -> TrackBench:
    """`rosterwatch track` and urlwatch, taking turns, over K pages served from 127.0.0.1."""
    rng, names = random.Random(seed), Names(seed)
    site, data = root / "site", root / "track-data"
    site.mkdir()
    chosen = [pages[i % len(pages)] for i in range(k)]
    bodies = [next_version(Page(p.stem, p.doc, list(p.names)), names, rng) for p in chosen]
    for i, body in enumerate(bodies):
        (site / f"p{i}.html").write_text(body, encoding="utf-8")
    server = _serve(site)
    try:
        urls = [f"http://127.0.0.1:{server.server_address[1]}/p{i}.html" for i in range(k)]
        (root / "sources.toml").write_text(_sources_toml(urls), encoding="utf-8")
        env = {key: value for key, value in os.environ.items() if key != "PREFECT_API_URL"}
        env["PREFECT_HOME"] = str(root / "prefect-home")
        # the K pages stand for K sites, fetched side by side as urlwatch does: no politeness queue on 127.0.0.1
        env.update(ROSTERWATCH_HOST_REQUESTS=str(k), ROSTERWATCH_HOST_DELAY="0")
        track = [sys.executable, "-c", TRACK_PROBE, "--data-dir", str(data), "--sources", str(root / "sources.toml"), "track"]
        watcher = _urlwatch()
        urlwatch = None
        if watcher:
            (root / "urls.yaml").write_text("\n---\n".join(f"name: p{i}\nurl: {u}" for i, u in enumerate(urls)) + "\n")
            urlwatch = [watcher, "--urls", str(root / "urls.yaml"), "--config", str(root / "urlwatch.yaml"),
                        "--hooks", str(root / "hooks.py"), "--cache", str(root / "cache.db")]
            run_measured(urlwatch, dict(env, HOME=str(root)))
        first_s, _, _ = run_measured(track, env, PROJECT_ROOT)
        timings = {("track", False): Timing([], []), ("track", True): Timing([], []),
                   ("urlwatch", False): Timing([], []), ("urlwatch", True): Timing([], [])}
        commands = [("track", track, env)] + ([("urlwatch", urlwatch, dict(env, HOME=str(root)))] if urlwatch else [])
        loaded = False
        for turn in range(PASSES):
            order = commands if turn % 2 == 0 else commands[::-1]
            for changed in (False, True):
                if changed:
                    page = site / "p0.html"
                    edited = Page(chosen[0].stem, chosen[0].doc, list(chosen[0].names))
                    page.write_text(next_version(edited, names, rng), encoding="utf-8")
                    later = page.stat().st_mtime + 60 * (turn + 1)  # Last-Modified has whole seconds: make the change show
                    os.utime(page, (later, later))
                for name, argv, environment in order:
                    seconds, peak, err = run_measured(argv, environment, PROJECT_ROOT)
                    if (name, changed) == ("track", False):
                        loaded = loaded or json.loads(err.strip().splitlines()[-1])["spacy"]
                    timings[name, changed].seconds.append(seconds)
                    timings[name, changed].peaks.append(peak)
        grown = 0  # over many unchanged captures, in this process: the index grows by whole 4 KiB pages
        before = _stored_bytes(data)
        for _ in range(SIZE_RUNS):
            track_in_process(data_dir=str(data), sources_file=str(root / "sources.toml"), host_requests=k, host_delay=0)
        grown = _stored_bytes(data) - before
    finally:
        server.shutdown()
        server.server_close()
    return TrackBench(
        pages=k,
        first_s=first_s,
        nothing_changed=timings["track", False],
        one_changed=timings["track", True],
        model_loaded_unchanged=loaded,
        bytes_per_unchanged=grown / (k * SIZE_RUNS),
        urlwatch=(timings["urlwatch", False], timings["urlwatch", True]) if urlwatch else None,
        urlwatch_why="" if urlwatch else "not installed (pip install -e '.[bench]'), no ratio",
    )


# ------------------------------------------------------------------------------ the run


def run(captures: int = 500, workers: int | None = None, keep: Path | None = None, track_pages: int = 10) -> BenchResult:
    workers = workers or default_workers()
    root = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="rosterwatch-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    try:
        with TreePeak(os.getpid(), "pss") as memory:
            with process_pool(1) as helper:  # reading the names loads the NER model: not in this process
                pages = helper.submit(page_texts).result()
            store = SnapshotStore(root / "archive")
            sources, distinct = build_archive(store, captures, pages)
            startup_s, trafilatura_s, reextract_s = [], [], []
            for turn in range(PASSES):
                # new workers each pass: the name caches of a warm worker would flatter the second pass
                pool, seconds = start_workers(workers)
                startup_s.append(seconds)
                with pool:
                    for side in ("a", "b") if turn % 2 == 0 else ("b", "a"):
                        if side == "a":
                            trafilatura_s.append(time_trafilatura(pool, distinct, workers))
                        else:
                            reextract_s.append(time_reextract(pool, store, sources, f"bench-{turn}", workers))
        unchanged = sum(1 for c in store.captures() if c.record_type == "revisit")
        tracked = time_tracking(root, pages, track_pages)
        return BenchResult(
            captures=captures,
            distinct=len(distinct),
            texts=len(pages),
            workers=workers,
            startup_s=statistics.mean(startup_s),
            trafilatura_s=trafilatura_s,
            reextract_s=reextract_s,
            peak_pss_mb=memory.peak / 2**20,
            unchanged=unchanged,
            track=tracked,
        )
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
