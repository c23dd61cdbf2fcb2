"""Scale-out as the README sets it up: 50 sources on five local hosts whose pages answer after
200 ms, tracked by a Prefect process work pool with two workers (`serve --pool`, `prefect
worker start --limit 1`), PostgreSQL for the index and the Prefect server. Two daily runs: each
fans out into two flow runs of 25 sources, side by side, every page is fetched once, never two requests at once
to one host nor two fetches closer than the pause, every capture is stored once, and the
history is the one a single process tracking the same pages gives."""

from __future__ import annotations

import uuid
from contextlib import ExitStack

from flows.tracking import track_in_process
from snapshots.store import SnapshotStore
from tests.postgres import pg_server  # noqa: F401  (fixture)
from tests.scale_world import Pool, Sites, history

SOURCES, HOSTS, BATCH, PAUSE = 50, 5, 25, 0.5  # two batches long enough to be seen side by side
CHANGED = set(range(0, SOURCES, 10))  # the second round serves these a newer page
SLACK = 0.15  # a fetch's first request leaves a little after its slot is granted


def overlapping(runs: list[dict]) -> bool:
    spans = sorted((r["start_time"], r["end_time"]) for r in runs)
    return any(later[0] < earlier[1] for earlier, later in zip(spans, spans[1:]))


def test_fifty_sources_on_a_work_pool_of_two_workers(tmp_path, pg_server):
    sources = tmp_path / "sources.toml"
    with ExitStack() as stack:
        sites = Sites(SOURCES, HOSTS, delay=0.2).start(stack)
        sources.write_text(sites.sources_toml(), encoding="utf-8")
        pool = Pool(stack, tmp_path, pg_server, f"scale_{uuid.uuid4().hex[:10]}")
        pool.use_index("index")
        data = tmp_path / "data"
        out = pool.rosterwatch(
            "--data-dir", str(data), "--sources", str(sources),
            "serve", "--pool", "rosterwatch", "--batch", str(BATCH), "--host-delay", str(PAUSE),
        )
        assert "flow runs of up to 25 sources" in out
        pool.start_workers(2)
        for changed in (set(), CHANGED):
            sites.serve(changed)
            mark = sites.mark()
            _, runs = pool.track(runs_expected=1 + SOURCES // BATCH, timeout=600)
            assert [r["state"]["type"] for r in runs] == ["COMPLETED"] * len(runs), f"logs in {pool.logs}"
            assert overlapping(runs[1:]), "the two workers track batches side by side"
            assert sites.page_requests(mark) == {n: 1 for n in range(SOURCES)}, "every page fetched once a round"
            assert sites.peak() == 1, "never two requests at once to one host"
            assert sites.min_gap(mark) >= PAUSE - SLACK, "fetches from one host start the pause apart"
        store = SnapshotStore(data, pool.env["ROSTERWATCH_DB_URL"], readonly=True)
        captures = store.captures()
        assert len(captures) == 2 * SOURCES and {c.source for c in captures} == {f"body-{n:04d}" for n in range(SOURCES)}
        assert sorted(c.status for c in captures).count(304) == SOURCES - len(CHANGED), "unchanged pages: 304"
        pooled = history(store)
        assert len(pooled) == len(CHANGED) and all(pooled.values()), "each changed body has its change events"

        reference = tmp_path / "one-process"
        for changed in (set(), CHANGED):
            sites.serve(changed)
            track_in_process(data_dir=str(reference), sources_file=str(sources), parallel=1, host_delay=0)
        assert pooled == history(SnapshotStore(reference, readonly=True)), "the history a single process gives"
