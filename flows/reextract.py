"""The `reextract` flow: run the current extractor over stored captures, without fetching.

A maintainer improves a parser, bumps EXTRACTOR_VERSION and runs this: the new extractions
are stored beside the old ones (never over them), each source's history under the new
version is derived again, and the run says how it differs from the previous version's.
Like `track`, written once and run as a Prefect flow or in this process (`flows.runner`).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from datetime import datetime, timezone

import flows.runlog  # noqa: E402,F401  (logging settings, before Prefect is imported)

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow  # noqa: E402
from tqdm import tqdm  # noqa: E402

from extractors import EXTRACTOR_VERSION, extract  # noqa: E402
from flows import history  # noqa: E402
from flows.config import Settings, Source, load_sources, select_sources  # noqa: E402
from flows.runner import InProcess, PrefectRunner, Stage, prefect_tasks  # noqa: E402
from outputs.reviewed import Reviewed, load_reviewed, people_path  # noqa: E402
from snapshots.store import SnapshotStore  # noqa: E402


@dataclass
class ReextractResult:
    version: str
    sources: list[history.SourceResult]

    @property
    def total(self) -> history.HistoryDiff:
        merged = history.HistoryDiff()
        for result in self.sources:
            if result.diff is not None:
                merged.merge(result.diff)
        return merged

    def report(self) -> str:
        lines = []
        for result in self.sources:
            lines.append(result.line(self.version))
            if result.diff is not None:
                lines.extend(result.diff.lines())
        if any(r.diff is not None for r in self.sources):
            lines.append(f"in all: {self.total.summary()}")
        return "\n".join(lines)


def progress_bar(total: int) -> tqdm:
    """Captures extracted so far, on stderr (hidden when stderr is not a terminal)."""
    return tqdm(total=total, unit="capture", desc="re-extracting", file=sys.stderr, disable=None)


def reextract_stage(
    log,
    store: SnapshotStore,
    sources: list[Source],
    since: str | None,
    until: str | None,
    workers: int,
    against: str | None,
    reviewed: Reviewed,
) -> list[history.SourceResult]:
    results = history.reextract_sources(
        store, sources, EXTRACTOR_VERSION, extract, workers, since, until, against, progress_bar, reviewed=reviewed
    )
    for result in results:
        log.info(result.line(EXTRACTOR_VERSION))
    return results


REEXTRACT = Stage("reextract-sources", reextract_stage)
TASKS = prefect_tasks([REEXTRACT])


def run_reextract(
    runner,
    data_dir: str | None = None,
    sources_file: str | None = None,
    source_ids: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    workers: int | None = None,
    against: str | None = None,
    wait_lock: float = 60.0,
    people_file: str | None = None,
) -> ReextractResult:
    """Extract every stored capture (or one source, or captures from `since` to `until`) with the
    current extractor, recompute the history, and compare it with the previous version's.

    `people_file` is the reviewed identities file (default: $ROSTERWATCH_PEOPLE, else people.toml)."""
    settings = Settings.resolve(data_dir, sources_file)
    sources = select_sources(load_sources(settings.sources_file), source_ids)
    reviewed = load_reviewed(people_path(people_file))
    store = SnapshotStore(settings.data_dir, settings.db_url)
    started = datetime.now(timezone.utc)
    with store.writing(wait_lock):
        stage = runner.submit(REEXTRACT, store, sources, since, until, workers or history.default_workers(), against, reviewed)
        results = runner.result(stage)
        result = ReextractResult(EXTRACTOR_VERSION, results)
        if any(r.extracted or r.history_written for r in results):
            report = f"# rosterwatch reextract ({EXTRACTOR_VERSION})\n\n```\n{result.report()}\n```\n"
            store.record_run(started, datetime.now(timezone.utc), report, "reextract")
    runner.publish("rosterwatch-reextract", markdown=f"```\n{result.report()}\n```")
    return result


def reextract_in_process(**parameters) -> ReextractResult:
    """`run_reextract` in this process, without a Prefect server (the CLI's embedded default)."""
    return run_reextract(InProcess(), **parameters)


@flow(name="reextract", log_prints=True)
def reextract(
    data_dir: str | None = None,
    sources_file: str | None = None,
    source_ids: list[str] | None = None,
    since: str | None = None,
    until: str | None = None,
    workers: int | None = None,
    against: str | None = None,
    wait_lock: float = 60.0,
    people_file: str | None = None,
) -> ReextractResult:
    """`run_reextract` as a Prefect flow run."""
    return run_reextract(
        PrefectRunner(TASKS), data_dir, sources_file, source_ids, since, until, workers, against, wait_lock, people_file
    )
