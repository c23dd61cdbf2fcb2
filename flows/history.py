"""Re-extraction and history recomputation as plain functions (`flows.reextract` wraps them).

Extraction is pure, so it runs in a process pool, once per distinct payload, and results are
stored in batches as they arrive: a killed run loses at most one batch and the next run
extracts only what is missing. The change history of a source is then derived again from
the stored extractions, oldest first, with the rules tracking uses (`pipeline.derive_history`),
and written only where it differs, so a second run writes nothing.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import Counter
from concurrent.futures import Executor, ProcessPoolExecutor
from contextlib import nullcontext
from dataclasses import dataclass, field
from itertools import repeat
from pathlib import Path
from typing import Callable, Iterable, Iterator

from extractors import extract
from extractors.model import Extraction
from flows.config import Source
from flows.pipeline import derive_history, store_history
from outputs.events import ChangeEvent
from outputs.report import describe
from outputs.reviewed import Reviewed, load_reviewed
from snapshots.charset import decode
from snapshots.store import Capture, SnapshotStore, read_payload

ExtractFn = Callable[..., Extraction]
BATCH = 64  # extractions per transaction: what a kill can lose
POOL_MIN_JOBS = 8  # below this, a pool costs more than it saves


@dataclass(frozen=True)
class Job:
    """One distinct payload to extract; every capture that shares it gets the result."""

    capture_ids: tuple[int, ...]
    warc_path: str
    warc_offset: int
    charset: str | None
    source: str
    url: str
    language: str


@dataclass(frozen=True)
class Plan:
    """What re-extraction has to do for one source."""

    source: str
    jobs: tuple[Job, ...]
    failed: tuple[int, ...]  # error-status captures: stored as empty extractions, no job
    window: tuple[int, ...]  # ids of the captures from `since` to `until` (done or not)

    @property
    def captures(self) -> int:
        return sum(len(j.capture_ids) for j in self.jobs) + len(self.failed)


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def window_captures(store: SnapshotStore, source: str, since: str | None, until: str | None) -> list[Capture]:
    """Captures of a source from `since` to the end of day `until`, plus the one before `since`
    (the baseline the first capture in the window is compared with)."""
    found = store.captures(source)
    if until:
        found = [c for c in found if c.fetched_at <= f"{until}T23:59:59Z"]
    if since:
        first = next((i for i, c in enumerate(found) if c.fetched_at >= since), len(found))
        found = found[max(first - 1, 0) :]
    return found


def plan(store: SnapshotStore, source: Source, version: str, since: str | None = None, until: str | None = None) -> Plan:
    """The captures in the window with no extraction by `version`, grouped by payload."""
    window = window_captures(store, source.id, since, until)
    done = store.extracted(source.id, version)
    jobs: dict[tuple[int, str], list[Capture]] = {}
    failed = []
    holders: dict[int, Capture] = {}
    for capture in window:
        if capture.id in done:
            continue
        if not capture.ok:
            failed.append(capture.id)
            continue
        holder_id = capture.revisit_of or capture.id
        if holder_id not in holders:
            holders[holder_id] = capture if holder_id == capture.id else store.capture(holder_id)
        jobs.setdefault((holder_id, capture.final_url), []).append(capture)
    built = []
    for (holder_id, url), caps in jobs.items():
        holder = holders[holder_id]
        built.append(
            Job(
                capture_ids=tuple(c.id for c in caps),
                warc_path=str(store.root / holder.warc_file),
                warc_offset=holder.warc_offset,
                charset=caps[0].charset or holder.charset,
                source=source.id,
                url=url,
                language=source.language,
            )
        )
    in_window = tuple(c.id for c in window if not since or c.fetched_at >= since)
    return Plan(source=source.id, jobs=tuple(built), failed=tuple(failed), window=in_window)


def run_job(job: Job, extract_fn: ExtractFn = extract) -> tuple[tuple[int, ...], str, int]:
    """Read one payload from its WARC file and extract it (runs in a worker process)."""
    html = decode(read_payload(Path(job.warc_path), job.warc_offset), job.charset)
    extraction = extract_fn(html, job.source, url=job.url, language=job.language)
    return job.capture_ids, extraction.to_json(), extraction.member_count


def chunk_size(jobs: int, workers: int) -> int:
    """Jobs per round trip to a worker: few enough that the workers finish together."""
    return max(1, min(16, jobs // (workers * 8)))


def process_pool(workers: int, initializer: Callable[[], None] | None = None) -> ProcessPoolExecutor:
    """A forkserver pool preloaded with the extractors, whose workers end with the process that started it.

    forkserver rather than fork: the caller may be a Prefect flow with live threads, and a
    forked copy of a held lock would hang a worker.
    """
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload(["extractors", "flows.history"])
    return ProcessPoolExecutor(workers, mp_context=context, initializer=_start_worker, initargs=(os.getpid(), initializer))


def _start_worker(owner: int, then: Callable[[], None] | None) -> None:
    """Watch the pool's owner: killed (SIGKILL), it cannot shut the pool down, and its workers
    would wait for work forever (holding the forkserver up too)."""

    def watch() -> None:
        while True:
            time.sleep(0.5)
            try:
                os.kill(owner, 0)
            except ProcessLookupError:
                os._exit(1)

    threading.Thread(target=watch, name="owner-watch", daemon=True).start()
    if then is not None:
        then()


def run_jobs(
    jobs: list[Job], extract_fn: ExtractFn, workers: int, pool: Executor | None = None
) -> Iterator[tuple[tuple[int, ...], str, int]]:
    """Results in job order; in `pool` if given, else in a new pool when there is enough work for it to pay off."""
    if pool is not None:
        yield from pool.map(run_job, jobs, repeat(extract_fn), chunksize=chunk_size(len(jobs), workers))
        return
    if workers <= 1 or len(jobs) < POOL_MIN_JOBS:
        yield from (run_job(job, extract_fn) for job in jobs)
        return
    with process_pool(workers) as new_pool:
        yield from new_pool.map(run_job, jobs, repeat(extract_fn), chunksize=chunk_size(len(jobs), workers))


def extract_and_store(
    store: SnapshotStore,
    version: str,
    plans: Iterable[Plan],
    extract_fn: ExtractFn = extract,
    workers: int = 1,
    progress=None,
    pool: Executor | None = None,
) -> int:
    """Extract every planned job and store the results in batches; returns captures stored."""
    plans = list(plans)
    jobs = [job for p in plans for job in p.jobs]
    batch: list[tuple[int, str | None, int]] = [(cid, None, 0) for p in plans for cid in p.failed]
    stored = 0
    last_flush = time.monotonic()
    for capture_ids, js, count in run_jobs(jobs, extract_fn, workers, pool):
        batch.extend((cid, js, count) for cid in capture_ids)
        if progress is not None:
            progress.update(len(capture_ids))
        if len(batch) >= BATCH or time.monotonic() - last_flush > 2.0:
            store.add_extractions(version, batch)
            stored += len(batch)
            batch, last_flush = [], time.monotonic()
    store.add_extractions(version, batch)
    if progress is not None:
        progress.update(sum(len(p.failed) for p in plans))
    return stored + len(batch)


# ------------------------------------------------------------------------------ history


def recompute_history(store: SnapshotStore, source: Source, version: str, reviewed: Reviewed | None = None) -> bool:
    """Derive the history again and store it if it differs; True when something was written."""
    return store_history(store, source, version, derive_history(store, source, version, reviewed))


def _recompute_in_worker(root: str, db_url: str | None, source: Source, version: str, reviewed: Reviewed | None) -> bool:
    return recompute_history(SnapshotStore(root, db_url), source, version, reviewed)


def recompute_histories(
    store: SnapshotStore,
    sources: list[Source],
    version: str,
    workers: int,
    reviewed: Reviewed | None = None,
    pool: Executor | None = None,
) -> dict[str, bool]:
    """Each source's history is a chain, derived in order; different sources run side by side (in `pool` if given)."""
    if pool is None and (workers <= 1 or len(sources) <= 1):
        return {s.id: recompute_history(store, s, version, reviewed) for s in sources}
    with nullcontext(pool) if pool is not None else process_pool(min(workers, len(sources))) as used:
        done = used.map(
            _recompute_in_worker, repeat(str(store.root)), repeat(store.db_url), sources, repeat(version), repeat(reviewed)
        )
        return dict(zip((s.id for s in sources), done))


# ------------------------------------------------------------------------------ comparing histories


@dataclass
class HistoryDiff:
    """How one version's change history differs from another's over the same captures."""

    corrected: list[tuple[ChangeEvent, ChangeEvent]] = field(default_factory=list)  # (old, new)
    added: list[ChangeEvent] = field(default_factory=list)
    removed: list[ChangeEvent] = field(default_factory=list)
    unchanged: int = 0

    def merge(self, other: "HistoryDiff") -> None:
        self.corrected += other.corrected
        self.added += other.added
        self.removed += other.removed
        self.unchanged += other.unchanged

    def summary(self) -> str:
        n = len(self.corrected)
        return (
            f"{n} event{'' if n == 1 else 's'} corrected, {len(self.added)} added, "
            f"{len(self.removed)} removed ({self.unchanged} unchanged)"
        )

    def lines(self, limit: int = 20) -> list[str]:
        out = [f"  corrected {new.at[:10]}  {describe(new)}  (was: {describe(old)})" for old, new in self.corrected]
        out += [f"  added     {e.at[:10]}  {describe(e)}" for e in self.added]
        out += [f"  removed   {e.at[:10]}  {describe(e)}" for e in self.removed]
        return out[:limit] + ([f"  … and {len(out) - limit} more"] if len(out) > limit else [])


def _meaning(event: ChangeEvent) -> tuple:
    """What an event says (not the text span it was read from)."""
    return (event.kind, event.group, event.person_id, repr(event.before), repr(event.after), event.to_capture)


def _subject(event: ChangeEvent) -> tuple:
    """What an event is about: the same subject in both histories makes a correction."""
    topic = "mandate" if event.kind.startswith("mandate_") else (event.person_id or event.kind)
    return (event.to_capture, event.group, topic)


def diff_histories(
    store: SnapshotStore,
    source: str,
    old_version: str,
    new_version: str,
    window: Iterable[int] | None = None,
) -> HistoryDiff:
    """Events of both versions (at captures in `window`, if given), matched by meaning, then by subject."""
    keep = set(window) if window is not None else None

    def events(version: str) -> list[ChangeEvent]:
        found = [ChangeEvent.from_json(r) for r in store.change_rows(version, source=source)]
        return [e for e in found if keep is None or e.to_capture in keep]

    old, new = events(old_version), events(new_version)
    same = Counter(map(_meaning, old)) & Counter(map(_meaning, new))
    diff = HistoryDiff(unchanged=sum(same.values()))
    left_old, left_new = Counter(same), Counter(same)
    rest_old = [e for e in old if not _take(left_old, _meaning(e))]
    rest_new = [e for e in new if not _take(left_new, _meaning(e))]
    by_subject: dict[tuple, list[ChangeEvent]] = {}
    for event in rest_old:
        by_subject.setdefault(_subject(event), []).append(event)
    for event in rest_new:
        match = by_subject.get(_subject(event))
        if match:
            diff.corrected.append((match.pop(0), event))
        else:
            diff.added.append(event)
    diff.removed = [e for group in by_subject.values() for e in group]
    return diff


def _take(counter: Counter, key) -> bool:
    if counter[key] > 0:
        counter[key] -= 1
        return True
    return False


def previous_version(store: SnapshotStore, version: str) -> str | None:
    """The most recently used extractor version other than `version`."""
    others = [v for v in store.extractor_versions() if v != version]
    return others[-1] if others else None


# ------------------------------------------------------------------------------ one run


@dataclass
class SourceResult:
    source: str
    extracted: int  # captures given an extraction by this run
    captures: int  # captures in the window
    history_written: bool
    against: str | None
    diff: HistoryDiff | None

    def line(self, version: str) -> str:
        done = (
            f"{self.extracted} of {self.captures} captures extracted by {version}"
            if self.extracted
            else f"nothing to extract ({self.captures} captures already done by {version})"
        )
        history = "history recomputed" if self.history_written else "history up to date"
        versus = f"; vs {self.against}: {self.diff.summary()}" if self.diff is not None else "; no earlier version to compare with"
        return f"{self.source}: {done}, {history}{versus}"


def reextract_sources(
    store: SnapshotStore,
    sources: list[Source],
    version: str,
    extract_fn: ExtractFn = extract,
    workers: int = 1,
    since: str | None = None,
    until: str | None = None,
    against: str | None = None,
    progress_factory=None,
    compare: bool = True,
    reviewed: Reviewed | None = None,
    pool: Executor | None = None,
) -> list[SourceResult]:
    """Extract what is missing in the window with one pool for all sources, then recompute and
    compare each source's history (sequential: a history is a chain). The caller holds the lock.

    `reviewed` is the reviewed people file the history is derived with (default: `--people`,
    ROSTERWATCH_PEOPLE, people.toml), the same as tracking uses. `pool`: worker processes to use
    instead of starting new ones (the benchmark times with warm workers)."""
    plans = [plan(store, s, version, since, until) for s in sources]
    total = sum(p.captures for p in plans)
    progress = progress_factory(total) if progress_factory and total else None
    try:
        extract_and_store(store, version, plans, extract_fn, workers, progress, pool)
    finally:
        if progress is not None:
            progress.close()
    against = (against or previous_version(store, version)) if compare else None
    written = recompute_histories(store, sources, version, workers, reviewed or load_reviewed(), pool)
    results = []
    for source, p in zip(sources, plans):
        diff = diff_histories(store, source.id, against, version, p.window) if against else None
        results.append(SourceResult(source.id, p.captures, len(p.window), written[source.id], against, diff))
    return results
