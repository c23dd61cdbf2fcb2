"""The `track` flow: per source fetch (or replay) -> store -> extract -> compare -> report.

Sources run concurrently as Prefect tasks. The fetch task retries transient failures (host
unreachable, timeouts) on top of the fetcher's own polite backoff; everything else (robots
disallow, oversized body, off-host redirect) fails at once, because retrying will not help.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow, get_run_logger, task  # noqa: E402
from prefect.artifacts import create_markdown_artifact, create_table_artifact  # noqa: E402
from prefect.cache_policies import NO_CACHE  # noqa: E402
from prefect.utilities.annotations import allow_failure  # noqa: E402

from extractors import EXTRACTOR_VERSION  # noqa: E402
from flows import pipeline  # noqa: E402
from flows.config import Settings, Source, load_sources, select_sources  # noqa: E402
from outputs.notify import send  # noqa: E402
from outputs.report import SourceOutcome, render_report  # noqa: E402
from outputs.reviewed import Reviewed, load_reviewed, people_path  # noqa: E402
from snapshots.fetch import FetchError, FetchPolicy  # noqa: E402
from snapshots.store import SnapshotStore, iso_utc  # noqa: E402

FETCH_RETRIES = int(os.environ.get("ROSTERWATCH_FETCH_RETRIES", "1"))
FETCH_RETRY_DELAY = float(os.environ.get("ROSTERWATCH_FETCH_RETRY_DELAY", "10"))


def _transient(task, task_run, state) -> bool:
    error = state.result(raise_on_failure=False)
    return isinstance(error, FetchError) and error.kind in ("unreachable", "timeout")


@task(
    name="fetch",
    retries=FETCH_RETRIES,
    retry_delay_seconds=FETCH_RETRY_DELAY,
    retry_condition_fn=_transient,
    cache_policy=NO_CACHE,
)
def fetch_task(store: SnapshotStore, source: Source, policy: FetchPolicy) -> int:
    capture = pipeline.fetch_capture(store, source, policy)
    get_run_logger().info(
        "%s: HTTP %s, %s (capture %s)", source.id, capture.status, _stored_what(capture), capture.id
    )
    return capture.id


@task(name="replay", cache_policy=NO_CACHE)
def replay_task(store: SnapshotStore, source: Source, replay_dir: str) -> int:
    files = pipeline.replay_files(Path(replay_dir), source.id)
    stored = 0
    for when, path in files:
        if pipeline.replay_capture(store, source, when, path) is not None:
            stored += 1
    get_run_logger().info("%s: replayed %d of %d archived copies (others already stored)", source.id, stored, len(files))
    return stored


@task(name="extract-and-compare", cache_policy=NO_CACHE)
def process_task(store: SnapshotStore, source: Source, reviewed: Reviewed) -> pipeline.Processed:
    processed = pipeline.process_pending(store, source, reviewed=reviewed)
    get_run_logger().info("%s: %d captures extracted, %d change events", source.id, processed.captures, len(processed.events))
    return processed


@task(name="notify", cache_policy=NO_CACHE)
def notify_task(outcomes: list[SourceOutcome], sources: list[Source]) -> None:
    """Each source with changes tells its Apprise URLs; a failure is logged, never fatal."""
    logger = get_run_logger()
    urls = {s.id: s.notify for s in sources}
    for outcome in outcomes:
        sent = send(outcome.source, outcome.name, urls.get(outcome.source, ()), outcome.events)
        if sent is not None:
            (logger.info if sent.ok else logger.warning)(sent.message)


@dataclass
class TrackResult:
    report: str
    report_path: str
    outcomes: list[SourceOutcome]

    @property
    def failed(self) -> list[SourceOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]


@flow(name="track", log_prints=True)
def track(
    data_dir: str | None = None,
    sources_file: str | None = None,
    source_ids: list[str] | None = None,
    replay_dir: str | None = None,
    wait_lock: float = 60.0,
    people_file: str | None = None,
) -> TrackResult:
    """Track every configured source (or `source_ids`); with `replay_dir`, read archived copies instead of fetching.

    `people_file` is the reviewed identities file (default: $ROSTERWATCH_PEOPLE, else people.toml).
    """
    settings = Settings.resolve(data_dir, sources_file)
    sources = select_sources(load_sources(settings.sources_file), source_ids)
    reviewed = load_reviewed(people_path(people_file))
    store = SnapshotStore(settings.data_dir, settings.db_url)
    policy = FetchPolicy()
    started = datetime.now(timezone.utc)
    with store.writing(wait_lock):
        since = {s.id: _current_at(store, s) for s in sources}
        if replay_dir:
            stored = {s.id: replay_task.submit(store, s, replay_dir) for s in sources}
        else:
            stored = {s.id: fetch_task.submit(store, s, policy) for s in sources}
        processing = {
            s.id: process_task.submit(store, s, reviewed, wait_for=[allow_failure(stored[s.id])]) for s in sources
        }
        outcomes = [_outcome(store, s, stored[s.id], processing[s.id], since[s.id]) for s in sources]
        finished = datetime.now(timezone.utc)
        report = render_report(outcomes, iso_utc(finished))
        summary = ", ".join(f"{o.source}: {o.status}" for o in outcomes)
        path = store.record_run(started, finished, report, summary)
    create_markdown_artifact(markdown=report, key="rosterwatch-report", description=summary)
    create_table_artifact(table=_members_table(outcomes), key="rosterwatch-members", description="Current members")
    notify_task(outcomes, sources)
    return TrackResult(report=report, report_path=str(path), outcomes=outcomes)


def _current_at(store: SnapshotStore, source: Source) -> str | None:
    current = store.last_accepted(source.id, EXTRACTOR_VERSION)
    return current[0].fetched_at if current else None


def _outcome(store: SnapshotStore, source: Source, stored, processing, since: str | None) -> SourceOutcome:
    stored.wait()
    processed = processing.result()
    outcome = pipeline.outcome_for(store, source, processed, since)
    if stored.state.is_failed():
        error = stored.state.result(raise_on_failure=False)
        outcome.status = "failed"
        outcome.message = str(error) if isinstance(error, FetchError) else f"{type(error).__name__}: {error}"
        store.record_failure(source.id, source.url, getattr(error, "kind", "error"), outcome.message, datetime.now(timezone.utc))
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
