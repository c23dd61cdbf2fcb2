"""A `track` run: per source fetch (or replay) -> store -> extract -> compare -> report.

Written once, as plain stages handed to a runner (`flows.runner`): `flows.track` runs it as
a Prefect flow (scheduled and deployed runs, or a Prefect API configured), `track_in_process`
on threads of this process (the one-shot command line on the embedded default).

Sources run side by side. A fetch that fails (no answer, an HTTP error, a refusal) is a fetch
outcome the stage returns, not an exception: it is recorded in the index, reported as one
line, and makes the run exit non-zero; the fetcher itself retries where that helps, within
its deadline. The data-dir lock is taken per write (storing a capture, processing a source,
recording the run), never while waiting on the network.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
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
from snapshots.store import SnapshotStore, iso_utc


def fetch(log, store: SnapshotStore, source: Source, policy: FetchPolicy, wait_lock: float) -> pipeline.Fetched:
    fetched = pipeline.fetch_source(store, source, policy, wait_lock)
    if fetched.capture is not None:
        capture = fetched.capture
        log.info("%s: HTTP %s, %s (capture %s)", source.id, capture.status, _stored_what(capture), capture.id)
    if fetched.away is not None:
        log.warning("%s: %s", source.id, fetched.away.line)
    return fetched


def replay(log, store: SnapshotStore, source: Source, replay_dir: str, wait_lock: float) -> int:
    files = pipeline.replay_files(Path(replay_dir), source.id)
    stored = 0
    with store.writing(wait_lock):
        for when, path in files:
            if pipeline.replay_capture(store, source, when, path) is not None:
                stored += 1
    log.info("%s: replayed %d of %d archived copies (others already stored)", source.id, stored, len(files))
    return stored


def process(
    log, store: SnapshotStore, source: Source, reviewed: Reviewed, wait_lock: float
) -> tuple[pipeline.Processed, str | None]:
    """Extract and compare what is pending; also returns when the composition compared against was read."""
    with store.writing(wait_lock):
        since = _current_at(store, source)
        processed = pipeline.process_pending(store, source, reviewed=reviewed)
    log.info("%s: %d captures extracted, %d change events", source.id, processed.captures, len(processed.events))
    return processed, since


def notify(log, outcomes: list[SourceOutcome], sources: list[Source]) -> None:
    """Each source with changes tells its Apprise URLs; a failure is logged, never fatal."""
    urls = {s.id: s.notify for s in sources}
    for outcome in outcomes:
        sent = send(outcome.source, outcome.name, urls.get(outcome.source, ()), outcome.events)
        if sent is not None:
            (log.info if sent.ok else log.warning)(sent.message)


FETCH = Stage("fetch", fetch)
REPLAY = Stage("replay", replay)
PROCESS = Stage("extract-and-compare", process)
NOTIFY = Stage("notify", notify)
STAGES = (FETCH, REPLAY, PROCESS, NOTIFY)


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
) -> TrackResult:
    """Track every configured source (or `source_ids`); with `replay_dir`, read archived copies instead of fetching.

    `people_file` is the reviewed identities file (default: $ROSTERWATCH_PEOPLE, else people.toml);
    `fetch_deadline` the seconds one fetch may take (default: $ROSTERWATCH_FETCH_DEADLINE, else 30).
    """
    settings = Settings.resolve(data_dir, sources_file, fetch_deadline)
    sources = select_sources(load_sources(settings.sources_file), source_ids)
    reviewed = load_reviewed(people_path(people_file))
    store = SnapshotStore(settings.data_dir, settings.db_url)
    policy = replace(FetchPolicy(), deadline=settings.fetch_deadline)
    started = datetime.now(timezone.utc)
    if replay_dir:
        stored = {s.id: runner.submit(REPLAY, store, s, replay_dir, wait_lock) for s in sources}
    else:
        stored = {s.id: runner.submit(FETCH, store, s, policy, wait_lock) for s in sources}
    processing = {s.id: runner.submit(PROCESS, store, s, reviewed, wait_lock, after=[stored[s.id]]) for s in sources}
    outcomes = [_outcome(store, s, runner.result(stored[s.id]), *runner.result(processing[s.id])) for s in sources]
    finished = datetime.now(timezone.utc)
    report = render_report(outcomes, iso_utc(finished))
    summary = ", ".join(f"{o.source}: {o.status}" + (f" ({o.away})" if o.away else "") for o in outcomes)
    with store.writing(wait_lock):
        path = store.record_run(started, finished, report, summary)
    runner.publish("rosterwatch-report", markdown=report, description=summary)
    runner.publish("rosterwatch-members", table=_members_table(outcomes), description="Current members")
    runner.result(runner.submit(NOTIFY, outcomes, sources))
    return TrackResult(report=report, report_path=str(path), outcomes=outcomes)


def track_in_process(**parameters) -> TrackResult:
    """`run_track` on threads of this process: no Prefect, no server (the CLI's embedded default)."""
    return run_track(InProcess(), **parameters)


def _current_at(store: SnapshotStore, source: Source) -> str | None:
    current = store.last_accepted(source.id, EXTRACTOR_VERSION)
    return current[0].fetched_at if current else None


def _outcome(
    store: SnapshotStore, source: Source, fetched: pipeline.Fetched | int, processed: pipeline.Processed, since: str | None
) -> SourceOutcome:
    outcome = pipeline.outcome_for(store, source, processed, since)
    if isinstance(fetched, pipeline.Fetched) and fetched.away is not None:
        outcome.status = "failed"
        outcome.away = fetched.away.headline
        outcome.message = fetched.away.line
    return outcome


def _stored_what(capture) -> str:
    if capture.status == 304:
        return "not modified"
    if capture.record_type == "revisit":
        return "content unchanged, no body stored"
    return f"new content, {capture.body_bytes} bytes stored"


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
