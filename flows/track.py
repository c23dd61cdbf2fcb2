"""The `track` Prefect flow: `flows.tracking.run_track` with its stages as Prefect tasks.

Scheduled and deployed runs (`flows.serve`, entrypoint `flows/track.py:track`) and any run
with a Prefect API configured are flow runs of this flow, visible in the Prefect UI with a
task run per stage and source, the report, the current members and the per-source outcomes
as artifacts. A run in which a source could not be tracked ends Failed.
"""

from __future__ import annotations

import os

import flows.runlog  # noqa: F401  (logging settings, before Prefect is imported)

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow  # noqa: E402
from prefect.states import Failed, State  # noqa: E402

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
) -> TrackResult | State:
    """Track every configured source (or `source_ids`); with `replay_dir`, read archived copies instead of fetching.

    `people_file` is the reviewed identities file (default: $ROSTERWATCH_PEOPLE, else people.toml);
    `fetch_deadline` the seconds one fetch may take (default: $ROSTERWATCH_FETCH_DEADLINE, else 30).
    The flow run ends Failed when a source could not be tracked (the others are still tracked,
    reported and stored), with the result and the per-source outcome artifact all the same.
    """
    result = run_track(
        PrefectRunner(TASKS), data_dir, sources_file, source_ids, replay_dir, wait_lock, people_file, fetch_deadline
    )
    if result.failed:
        lines = "; ".join(f"{o.source}: {o.message}" for o in result.failed)
        return Failed(message=f"{len(result.failed)} of {len(result.outcomes)} sources not tracked: {lines}", data=result)
    return result


def track_flow_run(**parameters) -> TrackResult:
    """A flow run of `track` from the command line: its result, whether the run ended Completed or
    Failed (a source not tracked is in the result; the exit status says it)."""
    state = track(**parameters, return_state=True)
    result = state.result(raise_on_failure=False)
    if isinstance(result, BaseException):
        raise result
    return result
