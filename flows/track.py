"""The `track` Prefect flow: `flows.tracking.run_track` with its stages as Prefect tasks.

Scheduled and deployed runs (`flows.serve`, entrypoint `flows/track.py:track`) and any run
with a Prefect API configured are flow runs of this flow, visible in the Prefect UI with a
task run per source (`track-<id>`: fetch or replay, extract, compare), the report, the current
members and the per-source outcomes as artifacts. A run in which a source could not be
tracked ends Failed.

A deployed run with more sources than `batch_size` fans out instead: it starts one run of the
same deployment per batch of sources (`flows.tracking.batches`) and ends, so the workers of a
work pool take the batches side by side, each a flow run with its own report. The parent does
not wait for them: a worker that runs one flow run at a time is never blocked by a parent
waiting for batches that need that worker.
"""

from __future__ import annotations

import os

import flows.runlog  # noqa: F401  (logging settings, before Prefect is imported)

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect import flow  # noqa: E402
from prefect.states import Failed, State  # noqa: E402

from flows.config import Settings, load_sources, select_sources  # noqa: E402
from flows.runner import PrefectRunner, prefect_tasks  # noqa: E402
from flows.tracking import DEFAULT_PARALLEL, STAGES, FannedOut, TrackResult, batches, run_track  # noqa: E402

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
    parallel: int = DEFAULT_PARALLEL,
    host_requests: int | None = None,
    host_delay: float | None = None,
    batch_size: int | None = None,
) -> TrackResult | FannedOut | State:
    """Track every configured source (or `source_ids`); with `replay_dir`, read archived copies instead of fetching.

    `people_file` is the reviewed identities file (default: $ROSTERWATCH_PEOPLE, else people.toml);
    `fetch_deadline` the seconds one fetch may take (default: $ROSTERWATCH_FETCH_DEADLINE, else 30);
    `parallel` the sources tracked at once; `host_requests`, `host_delay` the politeness per host.
    `batch_size`: in a deployed run with more sources than this, one flow run per batch instead.
    The flow run ends Failed when a source could not be tracked (the others are still tracked,
    reported and stored), with the result and the per-source outcome artifact all the same.
    """
    from prefect.runtime import deployment

    common = dict(
        data_dir=data_dir,
        sources_file=sources_file,
        wait_lock=wait_lock,
        people_file=people_file,
        fetch_deadline=fetch_deadline,
        parallel=parallel,
        host_requests=host_requests,
        host_delay=host_delay,
    )
    if batch_size and deployment.id and not replay_dir:
        sources = select_sources(load_sources(Settings.resolve(data_dir, sources_file).sources_file), source_ids)
        if len(sources) > batch_size:
            return _fan_out(deployment.id, batches(sources, batch_size), {**common, "batch_size": batch_size})
    result = run_track(PrefectRunner(TASKS), source_ids=source_ids, replay_dir=replay_dir, **common)
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


def _fan_out(deployment_id: str, groups: list[list[str]], parameters: dict) -> FannedOut:
    """Start a run of this deployment per batch (not waiting for them) and list them as an artifact."""
    from prefect.artifacts import create_table_artifact
    from prefect.deployments import run_deployment
    from prefect.runtime import flow_run

    runs = []
    for number, group in enumerate(groups, 1):
        child = run_deployment(
            deployment_id,
            parameters={**parameters, "source_ids": group},
            flow_run_name=f"{flow_run.name}-batch-{number}-of-{len(groups)}",
            timeout=0,
            as_subflow=True,
            idempotency_key=f"{flow_run.id}-batch-{number}",  # a retried parent starts no second copy
        )
        runs.append(str(child.id))
    create_table_artifact(
        key="rosterwatch-batches",
        table=[{"run": run, "sources": len(group), "first": group[0], "last": group[-1]} for run, group in zip(runs, groups)],
        description=f"{sum(map(len, groups))} sources in {len(groups)} flow runs",
    )
    print(f"{sum(map(len, groups))} sources: started {len(groups)} flow runs of up to {parameters['batch_size']} sources")
    return FannedOut(batches=groups, runs=runs)
