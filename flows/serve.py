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

from flows.config import PROJECT_ROOT  # noqa: E402
from flows.track import track  # noqa: E402

DEFAULT_NAME = "daily"
DEFAULT_CRON = "0 6 * * *"  # 06:00, before the working day
DEFAULT_TIMEZONE = "Europe/Oslo"  # the pages are Norwegian; DST moves with them


@dataclass(frozen=True)
class Schedule:
    name: str = DEFAULT_NAME
    cron: str = DEFAULT_CRON
    timezone: str = DEFAULT_TIMEZONE

    def cron_schedule(self) -> Cron:
        return Cron(self.cron, timezone=self.timezone)


def parameters(data_dir: str | None, sources_file: str | None, people_file: str | None = None) -> dict:
    """Flow parameters fixed at registration, so a run never depends on a worker's environment."""
    found = {}
    if data_dir:
        found["data_dir"] = data_dir
    if sources_file:
        found["sources_file"] = sources_file
    if people_file:
        found["people_file"] = people_file
    return found


def serve(schedule: Schedule, data_dir: str | None, sources_file: str | None, people_file: str | None = None) -> None:
    """Register the deployment and run its flow runs in this process until interrupted."""
    deployment = track.to_deployment(
        name=schedule.name,
        schedules=[schedule.cron_schedule()],
        parameters=parameters(data_dir, sources_file, people_file),
        description="Fetch every tracked page, store what changed, report changes.",
        entrypoint_type=EntrypointType.MODULE_PATH,
    )
    from prefect import serve as prefect_serve

    prefect_serve(deployment, print_starting_message=True)


def register(
    schedule: Schedule, pool: str, data_dir: str | None, sources_file: str | None, people_file: str | None = None
) -> str:
    """Register the deployment for a process work pool; returns its id. Workers run it from this project."""
    source = track.from_source(source=str(PROJECT_ROOT), entrypoint="flows/track.py:track")
    deployment_id = source.deploy(
        name=schedule.name,
        work_pool_name=pool,
        schedules=[schedule.cron_schedule()],
        parameters=parameters(data_dir, sources_file, people_file),
        description="Fetch every tracked page, store what changed, report changes.",
        print_next_steps=False,
    )
    return str(deployment_id)
