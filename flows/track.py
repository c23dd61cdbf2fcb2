"""The `track` Prefect flow: `flows.tracking.run_track` with its stages as Prefect tasks.

Scheduled and deployed runs (`flows.serve`, entrypoint `flows/track.py:track`) and any run
with a Prefect API configured are flow runs of this flow, visible in the Prefect UI with a
task run per stage and source, the report and current members as artifacts.
"""

from __future__ import annotations

import os

import flows.runlog  # noqa: F401  (logging settings, before Prefect is imported)

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow  # noqa: E402

from flows.runner import PrefectRunner, prefect_tasks  # noqa: E402
from flows.tracking import STAGES, TrackResult, run_track  # noqa: E402

TASKS = prefect_tasks(STAGES)


@flow(name="track", log_prints=True)
def track(
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
    return run_track(
        PrefectRunner(TASKS), data_dir, sources_file, source_ids, replay_dir, wait_lock, people_file, fetch_deadline
    )
