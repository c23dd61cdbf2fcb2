"""A `track` run: per source fetch (or replay) -> store -> extract -> compare -> report.

Written once, as plain stages handed to a runner (`flows.runner`): `flows.track` runs it as
a Prefect flow (scheduled and deployed runs, or a Prefect API configured), `track_in_process`
on threads of this process (the one-shot command line on the embedded default).

Sources run side by side, `parallel` at a time, each fetch holding a slot of its host
(`flows.politeness`: at most N fetches at once per host and a pause between them, across every
worker of a Prefect run). A fetch that fails (no answer, an HTTP error, a refusal) is a fetch
outcome the stage returns, not an exception: it is recorded in the index, reported as one
line, and makes the run exit non-zero; the fetcher itself retries where that helps, within
its deadline. The source's write lock is taken per write (storing a capture, processing the
source), never while waiting on the network, so runs of other sources never wait for it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path

from extractors import EXTRACTOR_VERSION
from flows import pipeline
from flows.config import Settings, Source, load_sources, select_sources
from flows.runner import InProcess, Stage
from outputs.notify import send
from outputs.report import SourceOutcome, render_report
from outputs.reviewed import Reviewed, load_reviewed, people_path
from snapshots.fetch import FetchPolicy
from snapshots.listing import describe_stored
from snapshots.store import SnapshotStore, iso_utc

logger = logging.getLogger(__name__)

DEFAULT_PARALLEL = 8  # sources one run tracks at once (politeness per host applies on top)


def fetch(log, store: SnapshotStore, source: Source, policy: FetchPolicy, wait_lock: float, hosts) -> pipeline.Fetched:
    fetched = pipeline.fetch_source(store, source, policy, wait_lock, hosts.slot)
    if fetched.capture is not None:
        capture = fetched.capture
        log.info("%s: HTTP %s, %s (capture %s)", source.id, capture.status, describe_stored(capture), capture.id)
    if fetched.away is not None:
        log.warning("%s: %s", source.id, fetched.away.line)
    return fetched


def replay(log, store: SnapshotStore, source: Source, copies: list[tuple[str, str]], wait_lock: float) -> int:
    """Store a source's archived copies, (ISO time, path) oldest first, as if fetched then."""
    stored = 0
    with store.writing(wait_lock, source=source.id):
        for when, path in copies:
            if pipeline.replay_capture(store, source, datetime.fromisoformat(when), Path(path)) is not None:
                stored += 1
    log.info("%s: replayed %d of %d archived copies (others already stored)", source.id, stored, len(copies))
    return stored


def process(
    log, store: SnapshotStore, source: Source, reviewed: Reviewed, wait_lock: float
) -> tuple[pipeline.Processed, str | None]:
    """Extract and compare what is pending; also returns when the composition compared against was read."""
    with store.writing(wait_lock, source=source.id):
        since = _current_at(store, source)
        processed = pipeline.process_pending(store, source, reviewed=reviewed)
    log.info("%s: %d captures extracted, %d change events", source.id, processed.captures, len(processed.events))
    return processed, since


@dataclass
class Tracked:
    """One source's part of a run: what fetching (or replaying) stored, and what processing found."""

    stored: pipeline.Fetched | int
    processed: pipeline.Processed
    since: str | None  # when the composition compared against was read


class Progress:
    """Which step each source of a run in progress has reached, for `interrupt` to say.

    A plain object, not a dict or dataclass, so Prefect hands the task the same one (stages
    run on threads of this process) instead of a copy.
    """

    def __init__(self):
        self._steps: dict[str, str] = {}

    def mark(self, source_id: str, step: str) -> None:
        self._steps[source_id] = step

    def step(self, source_id: str) -> str | None:
        return self._steps.get(source_id)


def track_source(
    log,
    store: SnapshotStore,
    source: Source,
    reviewed: Reviewed,
    wait_lock: float,
    copies: list[tuple[str, str]] | None,
    policy: FetchPolicy,
    hosts,
    progress: Progress,
) -> Tracked:
    """Fetch one source (or replay its archived `copies`), then extract and compare what is pending.

    One task run per source: a thousand sources are a thousand rows in the Prefect UI, not
    two thousand, and each task run costs the Prefect server about as much CPU as the fetch.
    """
    if copies is not None:
        progress.mark(source.id, "replaying")
        stored = replay(log, store, source, copies, wait_lock)
    else:
        progress.mark(source.id, "fetching")
        stored = fetch(log, store, source, policy, wait_lock, hosts)
    progress.mark(source.id, "processing")
    return Tracked(stored, *process(log, store, source, reviewed, wait_lock))


def notify(log, outcomes: list[SourceOutcome], sources: list[Source]) -> None:
    """Each source with changes tells its Apprise URLs; a failure is logged, never fatal."""
    urls = {s.id: s.notify for s in sources}
    for outcome in outcomes:
        sent = send(outcome.source, outcome.name, urls.get(outcome.source, ()), outcome.events)
        if sent is not None:
            (log.info if sent.ok else log.warning)(sent.message)


TRACK = Stage("track", track_source, label=lambda store, source, *_: f"track-{source.id}")
NOTIFY = Stage("notify", notify)
STAGES = (TRACK, NOTIFY)


@dataclass
class TrackResult:
    report: str
    report_path: str
    outcomes: list[SourceOutcome]

    @property
    def failed(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


def run_track(
    runner,
    data_dir: str | None = None,
    sources_file: str | None = None,
    source_ids: list[str] | None = None,
    replay_dir: str | None = None,
    wait_lock: float = 60.0,
    people_file: str | None = None,
    fetch_deadline: float | None = None,
    parallel: int = DEFAULT_PARALLEL,
    host_requests: int | None = None,
    host_delay: float | None = None,
) -> TrackResult:
    """Track every configured source (or `source_ids`); with `replay_dir`, read archived copies instead of fetching.

    `people_file` is the reviewed identities file (default: $ROSTERWATCH_PEOPLE, else people.toml);
    `fetch_deadline` the seconds one fetch may take (default: $ROSTERWATCH_FETCH_DEADLINE, else 30);
    `parallel` how many sources this run tracks at once; `host_requests` and `host_delay` the
    politeness per host (default: $ROSTERWATCH_HOST_REQUESTS, $ROSTERWATCH_HOST_DELAY, else 1 and 1 s).
    While it runs, `interrupt()` can say how far it got (the command line's Ctrl-C).
    """
    global _live
    settings = Settings.resolve(data_dir, sources_file, fetch_deadline, host_requests, host_delay)
    sources = select_sources(load_sources(settings.sources_file), source_ids)
    reviewed = load_reviewed(people_path(people_file))
    store = SnapshotStore(settings.data_dir, settings.db_url)
    policy = replace(FetchPolicy(), deadline=settings.fetch_deadline)
    hosts = runner.hosts(settings.politeness, settings.fetch_deadline)
    started = datetime.now(timezone.utc)
    if replay_dir:
        layout = pipeline.replay_layout(Path(replay_dir), [s.id for s in sources])
        for line in layout.skipped:
            logger.warning("%s", line)
        sources = [s for s in sources if s.id in layout.copies]
    run = _live = LiveRun(runner, store, sources, bool(replay_dir), hosts)
    in_flight = threading.BoundedSemaphore(max(1, parallel))
    try:
        if not replay_dir:
            hosts.prepare(s.host for s in sources)
        for s in sources:
            in_flight.acquire()
            copies = [(when.isoformat(), str(path)) for when, path in layout.copies[s.id]] if replay_dir else None
            run.tracking[s.id] = runner.submit(TRACK, store, s, reviewed, wait_lock, copies, policy, hosts, run.progress)
            runner.when_done(run.tracking[s.id], in_flight.release)
        outcomes = [_outcome(store, s, runner.result(run.tracking[s.id])) for s in sources]
    finally:
        _live = None
        hosts.close()
    finished = datetime.now(timezone.utc)
    report = render_report(outcomes, iso_utc(finished))
    summary = ", ".join(f"{o.source}: {o.status}" + (f" ({o.away})" if o.away else "") for o in outcomes)
    path = store.record_run(started, finished, report, summary)
    runner.publish("rosterwatch-report", markdown=report, description=summary)
    runner.publish("rosterwatch-members", table=_members_table(outcomes), description="Current members")
    runner.publish("rosterwatch-outcomes", table=outcome_rows(outcomes), description=f"Per source: {summary}")
    runner.result(runner.submit(NOTIFY, outcomes, sources))
    return TrackResult(report=report, report_path=str(path), outcomes=outcomes)


def outcome_rows(outcomes: list[SourceOutcome]) -> list[dict]:
    """One row per source: what this run came to (the flow run's outcome artifact)."""
    return [
        {
            "source": o.source,
            "status": o.status,
            "events": len(o.events),
            "captures": o.captures,
            "current_at": o.current_at,
            "message": o.message,
        }
        for o in outcomes
    ]


@dataclass
class LiveRun:
    """A track run in progress in this process: what `interrupt` reads to say how far it got."""

    runner: object
    store: SnapshotStore
    sources: list[Source]
    replaying: bool
    hosts: object  # the host slots of the run (`flows.politeness`), given back on interrupt
    tracking: dict = field(default_factory=dict)  # source id -> the handle of its track stage
    progress: Progress = field(default_factory=Progress)

    def outcomes(self) -> list[SourceOutcome]:
        """Each source's outcome where its stage finished, else what it was doing (status "interrupted")."""
        found = []
        for source in self.sources:
            handle = self.tracking.get(source.id)
            if handle is not None and self.runner.done(handle) and self.runner.failure(handle) is None:
                found.append(_outcome(self.store, source, self.runner.result(handle)))
                continue
            if self.progress.step(source.id) == "processing":
                doing = "extracting and comparing what was stored: the next run finishes it"
            elif self.replaying:
                doing = "replaying: copies stored so far are kept"
            else:
                doing = "fetching: nothing of it stored"
            current = self.store.last_accepted(source.id, EXTRACTOR_VERSION)
            found.append(
                SourceOutcome(
                    source=source.id, name=source.name, url=source.url, status="interrupted",
                    message=f"interrupted while {doing}",
                    current_at=current[0].fetched_at if current else None,
                )
            )
        return found


@dataclass(frozen=True)
class Interrupted:
    """How far an interrupted run got: the report of what finished, and one line for the terminal."""

    report: str
    summary: str


_live: LiveRun | None = None


def interrupt() -> Interrupted | None:
    """Say how far the run in progress got and mark it cancelled (a Prefect flow run's state);
    None when no run is in progress. Whatever was stored stays: the store is consistent at any
    point (see `snapshots.store`), and the next run carries on from it."""
    run = _live
    if run is None:
        return None
    outcomes = run.outcomes()
    done = [f"{o.source} done ({o.status})" for o in outcomes if o.status != "interrupted"]
    left = [f"{o.source} not finished (was {o.message.removeprefix('interrupted while ').split(':')[0]})" for o in outcomes if o.status == "interrupted"]
    summary = (
        "interrupted: " + "; ".join(done + left) + "; what was stored is kept and consistent, "
        "run 'rosterwatch track' again to finish"
    )
    try:
        run.hosts.close()  # the slots of fetches in flight, else their hosts stay closed to every worker
    except Exception:  # the Prefect server out of reach: the leases run out on their own
        logger.warning("could not give back the hosts' slots", exc_info=True)
    try:
        run.runner.cancel(summary)
    except Exception:  # the Prefect server out of reach: the command stops all the same
        logger.warning("could not mark the flow run cancelled", exc_info=True)
    return Interrupted(render_report(outcomes, iso_utc(datetime.now(timezone.utc))), summary)


@dataclass
class FannedOut:
    """A deployed run that handed its sources to one flow run per batch (`flows.track`)."""

    batches: list[list[str]]
    runs: list[str]  # the flow run ids, in batch order


def batches(sources: list[Source], size: int) -> list[list[str]]:
    """Source ids in batches of at most `size`, each spread over the hosts.

    Sources are dealt host by host in turn, so a batch that tracks its sources one after
    another moves from host to host, and each batch starts at another host than the one
    before it, so batches running side by side do not queue for the same host in step.
    """
    by_host: dict[str, list[str]] = {}
    for source in sources:
        by_host.setdefault(source.host, []).append(source.id)
    queues = list(by_host.values())
    dealt = []
    while queues:
        dealt.extend(queue.pop(0) for queue in queues)
        queues = [queue for queue in queues if queue]
    groups = [dealt[start : start + size] for start in range(0, len(dealt), size)]
    return [group[number % len(group) :] + group[: number % len(group)] for number, group in enumerate(groups)]


def track_in_process(**parameters) -> TrackResult:
    """`run_track` on threads of this process: no Prefect, no server (the CLI's embedded default)."""
    return run_track(InProcess(), **parameters)


def _current_at(store: SnapshotStore, source: Source) -> str | None:
    current = store.last_accepted(source.id, EXTRACTOR_VERSION)
    return current[0].fetched_at if current else None


def _outcome(store: SnapshotStore, source: Source, tracked: Tracked) -> SourceOutcome:
    outcome = pipeline.outcome_for(store, source, tracked.processed, tracked.since)
    if isinstance(tracked.stored, pipeline.Fetched) and tracked.stored.away is not None:
        outcome.status = "failed"
        outcome.away = tracked.stored.away.headline
        outcome.message = tracked.stored.away.line
    return outcome


def _members_table(outcomes: list[SourceOutcome]) -> list[dict]:
    rows = []
    for outcome in outcomes:
        if outcome.current is None:
            continue
        for group in outcome.current.groups:
            for member in group.members:
                rows.append(
                    {
                        "source": outcome.source,
                        "group": group.name,
                        "name": member.name,
                        "organisation": member.organisation,
                        "role": member.role,
                        "region": member.region,
                        "as_of": outcome.current_at,
                    }
                )
    return rows
