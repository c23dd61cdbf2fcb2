"""`rosterwatch bench`: how fast re-extraction is, next to bare trafilatura, on one archive.

It builds an archive of N stored captures in a temporary data root: the real page texts of
../shared/pages rendered by the fixture CMS renderer in every template, with members swapped
for others over time, and about one capture in ten unchanged since the day before (stored as
a WARC revisit record). It then times, with the same number of processes, (a) bare
`trafilatura.extract` over the distinct pages and (b) the full re-extraction (read WARC,
extract, store, derive the history), and prints both rates, their time ratio b/a, peak
memory and the body bytes stored per unchanged capture.
"""

from __future__ import annotations

import random
import resource
import shutil
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from flows.config import PROJECT_ROOT, Source
from flows.history import default_workers, reextract_sources
from snapshots.fetch import FetchResult
from snapshots.store import SnapshotStore

SHARED_PAGES = PROJECT_ROOT.parent / "shared" / "pages"
FIRST = ("Kari", "Ola", "Ingrid", "Lars", "Siri", "Jon", "Marit", "Eirik", "Hanne", "Tor", "Liv", "Anders")
LAST = ("Berg", "Dahl", "Haugen", "Lunde", "Moen", "Nilsen", "Solberg", "Strand", "Vik", "Aas", "Bakke", "Lie")
UNCHANGED_SHARE = 0.1


class BenchError(RuntimeError):
    """The bench cannot run here; the message says what is missing."""


@dataclass
class BenchResult:
    captures: int
    distinct: int
    workers: int
    trafilatura_s: float
    reextract_s: float
    peak_rss_mb: float
    unchanged: int
    body_bytes_unchanged: int
    record_bytes_unchanged: int

    @property
    def reextract_rate(self) -> float:
        return self.captures / self.reextract_s

    @property
    def ratio(self) -> float:
        return self.reextract_s / self.trafilatura_s

    def report(self) -> str:
        per_unchanged = self.body_bytes_unchanged // max(self.unchanged, 1)
        return "\n".join(
            [
                f"archive: {self.captures} captures, {self.distinct} distinct pages, {self.unchanged} unchanged; {self.workers} processes",
                f"(a) trafilatura.extract: {self.distinct / self.trafilatura_s:.0f} pages/s ({self.trafilatura_s:.2f} s)",
                f"(b) reextract: {self.reextract_rate:.0f} captures/s, {self.distinct / self.reextract_s:.0f} distinct pages/s ({self.reextract_s:.2f} s)",
                f"unchanged capture: {per_unchanged} body bytes, "
                f"{self.record_bytes_unchanged // max(self.unchanged, 1)} bytes of WARC revisit + request records",
                f"reextract pages/s={self.reextract_rate:.0f} ratio_vs_trafilatura={self.ratio:.2f} "
                f"peak_rss_mb={self.peak_rss_mb:.0f} bytes_per_unchanged={per_unchanged}",
            ]
        )


def _renderer():
    """The fixture CMS renderer lives in the test tree; the bench runs from a source checkout."""
    if str(PROJECT_ROOT) not in sys.path:
        sys.path.insert(0, str(PROJECT_ROOT))
    try:
        from extractors import cms
    except ImportError:
        raise BenchError(f"bench needs the source checkout's tests/fixtures (looked in {PROJECT_ROOT}); run it from a clone") from None
    if not SHARED_PAGES.is_dir():
        raise BenchError(f"bench needs the page texts in {SHARED_PAGES}; put them there or run from the project workspace")
    return cms


def build_archive(store: SnapshotStore, captures: int, seed: int = 1) -> tuple[list[Source], list[str]]:
    """Store `captures` captures spread over the shared pages; returns the sources and the distinct bodies."""
    from extractors import extract

    cms = _renderer()
    rng = random.Random(seed)
    bases = []
    for path in sorted(SHARED_PAGES.glob("*.txt")):
        doc = cms.parse_page_text(path.read_text(encoding="utf-8"))
        names = [m.name for g in extract(cms.render(doc), path.stem).groups for m in g.members]
        if names:
            bases.append((path.stem, doc, names))
    if not bases:
        raise BenchError(f"no page with members in {SHARED_PAGES}")
    sources = [Source(id=stem[:60], name=stem, url=f"https://bench.invalid/{stem}", language="nb", allowed_hosts=("bench.invalid",)) for stem, _, _ in bases]
    state = {s.id: (doc, list(names), None) for s, (_, doc, names) in zip(sources, bases)}
    start = datetime(2020, 1, 1, 6, tzinfo=timezone.utc)
    distinct: list[str] = []
    for index in range(captures):
        source = sources[index % len(sources)]
        doc, names, last = state[source.id]
        if last is None or rng.random() >= UNCHANGED_SHARE:
            old = rng.choice(names)
            new = f"{rng.choice(FIRST)} {rng.choice(LAST)}-{index}"
            try:
                doc = cms.edit(doc, old, new)
                names[names.index(old)] = new
            except ValueError:  # a name the page spells differently: this version is a redesign only
                pass
            last = cms.render(doc, rng.choice(cms.TEMPLATES))
            distinct.append(last)
        state[source.id] = (doc, names, last)
        when = start + timedelta(days=index // len(sources))
        store.add_capture(source.id, _response(source.url, last.encode("utf-8"), when), origin="backfill")
    return sources, list(dict.fromkeys(distinct))


def _response(url: str, body: bytes, when: datetime) -> FetchResult:
    return FetchResult(
        url=url, final_url=url, status=200, reason="OK",
        headers=(("Content-Type", "text/html; charset=utf-8"),), request_headers=(("User-Agent", "rosterwatch-bench"),),
        body=body, fetched_at=when, redirects=(), content_type="text/html", charset="utf-8", http_version="HTTP/1.1",
    )


def _trafilatura(html: str) -> int:
    import trafilatura

    return len(trafilatura.extract(html) or "")


def time_trafilatura(pages: list[str], workers: int) -> float:
    started = time.perf_counter()
    if workers <= 1:
        for html in pages:
            _trafilatura(html)
    else:
        with ProcessPoolExecutor(workers) as pool:
            list(pool.map(_trafilatura, pages, chunksize=8))
    return time.perf_counter() - started


def run(captures: int = 2000, workers: int | None = None, keep: Path | None = None) -> BenchResult:
    from extractors import EXTRACTOR_VERSION, extract

    workers = workers or default_workers()
    root = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="rosterwatch-bench-"))
    try:
        store = SnapshotStore(root)
        sources, distinct = build_archive(store, captures)
        trafilatura_s = time_trafilatura(distinct, workers)
        started = time.perf_counter()
        reextract_sources(store, sources, EXTRACTOR_VERSION, extract, workers, compare=False)
        reextract_s = time.perf_counter() - started
        unchanged = [c for c in store.captures() if c.record_type == "revisit"]
        peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
        return BenchResult(
            captures=captures,
            distinct=len(distinct),
            workers=workers,
            trafilatura_s=trafilatura_s,
            reextract_s=reextract_s,
            peak_rss_mb=peak / 1024,
            unchanged=len(unchanged),
            body_bytes_unchanged=sum(c.body_bytes for c in unchanged),
            record_bytes_unchanged=sum(c.warc_length for c in unchanged),
        )
    finally:
        if not keep:
            shutil.rmtree(root, ignore_errors=True)
