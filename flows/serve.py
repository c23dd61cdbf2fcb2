"""Scheduled runs: a deployment of `track` with a daily cron schedule in Oslo time.

Two ways to run it, both against a Prefect server (PREFECT_API_URL):
- `serve`: this process registers the deployment and runs each scheduled (or manually
  triggered) flow run itself, in a subprocess; stop it and nothing runs.
- `register(pool=...)`: registers the deployment for a process work pool and returns; the
  workers of that pool (`prefect worker start --pool NAME`, on any machine that has this
  project and the shared data root) pick the runs up.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

import flows.runlog  # noqa: E402,F401  (logging settings, before Prefect is imported)

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")

from prefect.deployments.runner import EntrypointType  # noqa: E402
from prefect.schedules import Cron  # noqa: E402

from flows.config import PROJECT_ROOT, Politeness  # noqa: E402
from flows.track import track  # noqa: E402

DEFAULT_NAME = "daily"
DEFAULT_CRON = "0 6 * * *"  # 06:00, before the working day
DEFAULT_TIMEZONE = "Europe/Oslo"  # the pages are Norwegian; DST moves with them
DESCRIPTION = "Fetch every tracked page, store what changed, report changes (one flow run per batch of sources)."


@dataclass(frozen=True)
class Schedule:
    name: str = DEFAULT_NAME
    cron: str = DEFAULT_CRON
    timezone: str = DEFAULT_TIMEZONE

    def cron_schedule(self) -> Cron:
        return Cron(self.cron, timezone=self.timezone)


def run_parameters(
    data_dir: str | None,
    sources_file: str | None,
    people_file: str | None,
    batch_size: int,
    parallel: int,
    politeness: Politeness,
) -> dict:
    """Flow parameters fixed at registration, so a run never depends on a worker's environment:
    every worker then asks the Prefect server for the same politeness per host."""
    found: dict = {
        "batch_size": batch_size,
        "parallel": parallel,
        "host_requests": politeness.requests_per_host,
        "host_delay": politeness.delay,
    }
    if data_dir:
        found["data_dir"] = data_dir
    if sources_file:
        found["sources_file"] = sources_file
    if people_file:
        found["people_file"] = people_file
    return found


def serve(schedule: Schedule, parameters: dict) -> None:
    """Register the deployment and run its flow runs in this process until interrupted."""
    deployment = track.to_deployment(
        name=schedule.name,
        schedules=[schedule.cron_schedule()],
        parameters=parameters,
        description=DESCRIPTION,
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    from prefect import serve as prefect_serve

    prefect_serve(deployment, print_starting_message=True)


def register(schedule: Schedule, pool: str, parameters: dict) -> str:
    """Register the deployment for a process work pool; returns its id. Workers run it from this project.

    `apply()` of a deployment made from the project directory, not `Flow.deploy`: in this
    Prefect version `deploy` first lists the pool's workers with a request its own server
    refuses (422).
    """
    source = track.from_source(source=str(PROJECT_ROOT), entrypoint="flows/track.py:track")
    deployment = source.to_deployment(
        name=schedule.name,
        work_pool_name=pool,
        schedules=[schedule.cron_schedule()],
        parameters=parameters,
        description=DESCRIPTION,
    )
    return str(deployment.apply())
