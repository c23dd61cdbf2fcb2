"""How a run's stages are run: as Prefect tasks of a flow run, or on threads in this process.

`track`, `reextract` and `backfill` are written once, as plain functions that hand their
stages (`Stage`: a plain function and its retry rules) to a runner:

- `PrefectRunner` submits each stage as a Prefect task of the current flow run. Scheduled
  and deployed runs (`serve`, work pools) and any command run with a Prefect API configured
  go this way, and show in the Prefect UI with their task runs, logs and artifacts.
- `InProcess` runs each stage on a thread of this process, with the same retry rules. The
  one-shot command line uses it when no Prefect API is configured: Prefect's embedded
  default would start a temporary server for every command (5-7 s and ~110 MB, left
  running if the command is killed), for a run whose record is the store itself (the
  `runs` table and `reports/`).

Nothing here imports Prefect at module level, so the in-process path never loads it.
"""

from __future__ import annotations

import logging
import os
import threading
import time
import tomllib
from concurrent.futures import Future, wait
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Sequence

from flows.config import Politeness
from flows.politeness import LocalHosts, PrefectHosts

os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")


@dataclass(frozen=True)
class Stage:
    """One step of a run: `fn(log, *args)`, and when a failure is worth another try."""

    name: str
    fn: Callable[..., Any]
    retries: int = 0
    retry_delay: float = 0.0
    retry_if: Callable[[BaseException], bool] | None = None
    label: Callable[..., str] | None = None  # the run's name in the Prefect UI, from the stage's arguments


def prefect_api_url() -> str | None:
    """The Prefect API a run should report to, if one is configured: `PREFECT_API_URL` in the
    environment, else in the active profile of Prefect's profiles file (`prefect config set`).

    Read without importing Prefect (which takes about a second), so the embedded default
    starts fast.
    """
    url = os.environ.get("PREFECT_API_URL")
    if url is not None:
        return url.strip() or None
    home = Path(os.environ.get("PREFECT_HOME") or Path.home() / ".prefect").expanduser()
    path = Path(os.environ.get("PREFECT_PROFILES_PATH") or home / "profiles.toml").expanduser()
    try:
        profiles = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        return None
    active = os.environ.get("PREFECT_PROFILE") or profiles.get("active")
    profile = profiles.get("profiles", {}).get(active, {}) if isinstance(active, str) else {}
    url = profile.get("PREFECT_API_URL") if isinstance(profile, dict) else None
    if not isinstance(url, str):
        return None
    return url.strip() or None


class InProcess:
    """Stages on threads of this process: no Prefect, no server, no child process.

    Threads are daemons, so Ctrl-C ends the command at once instead of waiting for a fetch
    in flight; the store is safe to stop anywhere (see `snapshots.store`).
    """

    def __init__(self, workers: int = 8):
        self._slots = threading.Semaphore(workers)

    def submit(self, stage: Stage, *args, after: Sequence[Future] = ()) -> Future:
        """Run `stage(*args)` once every future in `after` is done, failed or not."""
        future: Future = Future()

        def work() -> None:
            wait(after)
            with self._slots:
                if not future.set_running_or_notify_cancel():
                    return
                try:
                    future.set_result(self._attempts(stage, args))
                except BaseException as exc:  # handed to whoever asks for the result
                    future.set_exception(exc)

        threading.Thread(target=work, name=f"rosterwatch-{stage.name}", daemon=True).start()
        return future

    @staticmethod
    def _attempts(stage: Stage, args: tuple) -> Any:
        log = logging.getLogger(f"rosterwatch.{stage.name}")
        for attempt in range(stage.retries + 1):
            try:
                return stage.fn(log, *args)
            except Exception as exc:
                if attempt == stage.retries or (stage.retry_if is not None and not stage.retry_if(exc)):
                    raise
                log.info("%s failed (%s); trying again in %g s", stage.name, exc, stage.retry_delay)
                time.sleep(stage.retry_delay)
        raise AssertionError("unreachable")

    def result(self, handle: Future) -> Any:
        return handle.result()

    def failure(self, handle: Future) -> BaseException | None:
        return handle.exception()

    def done(self, handle: Future) -> bool:
        return handle.done()

    def when_done(self, handle: Future, callback: Callable[[], None]) -> None:
        handle.add_done_callback(lambda _: callback())

    def hosts(self, politeness: Politeness, fetch_deadline: float) -> LocalHosts:
        """This process is the only one fetching: a semaphore and a clock per host will do."""
        return LocalHosts(politeness)

    def publish(self, key: str, markdown: str | None = None, table: list[dict] | None = None, description: str = "") -> None:
        """Nothing to publish to: the run's report is in the store (`reports/`, the `runs` table)."""

    def cancel(self, message: str) -> None:
        """Nothing to tell: an interrupted in-process run is recorded nowhere but the store."""


class PrefectRunner:
    """Stages as Prefect tasks of the current flow run (make it inside a `@flow`)."""

    def __init__(self, tasks: dict[str, Any]):
        from prefect.context import FlowRunContext

        self._tasks = tasks
        context = FlowRunContext.get()
        self.flow_run_id = context.flow_run.id if context is not None and context.flow_run is not None else None

    def submit(self, stage: Stage, *args, after: Sequence[Any] = ()) -> Any:
        from prefect.utilities.annotations import allow_failure

        task = self._tasks[stage.name]
        if stage.label is not None:
            task = task.with_options(task_run_name=stage.label(*args))
        return task.submit(*args, wait_for=[allow_failure(f) for f in after])

    def result(self, handle: Any) -> Any:
        return handle.result()

    def failure(self, handle: Any) -> BaseException | None:
        handle.wait()
        return handle.state.result(raise_on_failure=False) if handle.state.is_failed() else None

    def done(self, handle: Any) -> bool:
        return handle.wrapped_future.done()  # the thread's own future: no call to the API

    def when_done(self, handle: Any, callback: Callable[[], None]) -> None:
        handle.add_done_callback(lambda _: callback())

    def hosts(self, politeness: Politeness, fetch_deadline: float) -> PrefectHosts:
        """Other workers fetch too: the host limits live on the Prefect server."""
        return PrefectHosts(politeness, fetch_deadline)

    def cancel(self, message: str) -> None:
        """Mark the flow run cancelled now: the process is about to end without waiting for the
        stages in flight, so the flow run would otherwise stay Running on the server."""
        if self.flow_run_id is None:
            return
        from prefect.client.orchestration import get_client
        from prefect.states import Cancelled

        with get_client(sync_client=True) as client:
            client.set_flow_run_state(self.flow_run_id, Cancelled(message=message), force=True)

    def publish(self, key: str, markdown: str | None = None, table: list[dict] | None = None, description: str = "") -> None:
        from prefect.artifacts import create_markdown_artifact, create_table_artifact

        if markdown is not None:
            create_markdown_artifact(markdown=markdown, key=key, description=description)
        if table is not None:
            create_table_artifact(table=table, key=key, description=description)


def prefect_tasks(stages: Sequence[Stage]) -> dict[str, Any]:
    """A Prefect task per stage, with the stage's name and retry rules; its log is the task run's."""
    from prefect import get_run_logger, task
    from prefect.cache_policies import NO_CACHE

    def make(stage: Stage):
        def run(*args):
            return stage.fn(get_run_logger(), *args)

        run.__name__ = run.__qualname__ = stage.fn.__name__
        return task(
            run,
            name=stage.name,
            retries=stage.retries,
            retry_delay_seconds=stage.retry_delay,
            retry_condition_fn=_retry_condition(stage.retry_if) if stage.retry_if else None,
            cache_policy=NO_CACHE,
        )

    return {stage.name: make(stage) for stage in stages}


def _retry_condition(retry_if: Callable[[BaseException], bool]):
    """A stage's retry rule in the form Prefect asks it: of the failed attempt's state."""

    def condition(_task, _run, state) -> bool:
        return retry_if(state.result(raise_on_failure=False))

    return condition
