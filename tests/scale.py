"""The scale benchmark: N sources over H local hosts whose pages answer after 200 ms, tracked
by a Prefect process work pool with 1, 2 and 4 workers (`make bench-scale`; not in CI).

    .venv/bin/python -m tests.scale                      # 1,000 sources, 10 hosts, 1, 2 and 4 workers
    .venv/bin/python -m tests.scale --sources 200 --workers 1,4

Set up as the README's scale-out section and `tests/test_scale.py` do it (`tests.scale_world`):
PostgreSQL for the index and the Prefect server, `rosterwatch serve --pool --batch B
--parallel 1`, workers `prefect worker start --pool rosterwatch --limit 1`. Each worker runs
one batch at a time and each batch tracks one source at a time, so the workers are what runs
side by side: the figure says whether N workers do N times the work of one (before this
design, the data root's single write lock made them take turns).

For each worker count: two daily runs (the first sees every page for the first time; in the
second a tenth of the pages changed, the rest answer 304), timed from `prefect deployment run`
to the end of the last batch; sources/s, the most requests any host answered at once, whether
every page was fetched once a round and every capture stored once, and whether the change
history is the same as with one worker. The load average is printed beside each figure: the
machine is shared, and a figure taken under load says less.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

from snapshots.store import SnapshotStore
from tests.postgres import start_server
from tests.scale_world import Pool, Sites, history


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.scale", description=__doc__.split("\n\n")[0])
    parser.add_argument("--sources", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=10)
    parser.add_argument("--workers", default="1,2,4", help="worker counts to compare, the first is the reference")
    parser.add_argument("--batch", type=int, default=125, help="sources per flow run (1,000 / 125: 8 runs, 2 for each of 4 workers)")
    parser.add_argument("--delay", type=float, default=0.2, help="seconds each page takes to answer")
    parser.add_argument("--host-delay", type=float, default=0.1, help="seconds between fetch starts per host")
    args = parser.parse_args(argv)
    counts = [int(w) for w in args.workers.split(",")]
    changed = set(range(0, args.sources, 10))
    started = start_server()
    if isinstance(started, str):
        print(f"scale: {started}", file=sys.stderr)
        return 1
    admin, stop_pg = started
    results = {}
    try:
        with ExitStack() as stack, tempfile.TemporaryDirectory(prefix="rosterwatch-scale-") as tmp:
            home = Path(tmp)
            sites = Sites(args.sources, args.hosts, args.delay).start(stack)
            sources = home / "sources.toml"
            sources.write_text(sites.sources_toml(), encoding="utf-8")
            pool = Pool(stack, home, admin, "bench")
            print(
                f"scale: {args.sources} sources on {args.hosts} hosts (pages answer after {args.delay * 1000:.0f} ms), "
                f"flow runs of {args.batch} sources, one source at a time per worker, per host at most 1 request "
                f"at once and {args.host_delay:g} s between fetch starts",
                flush=True,
            )
            batches = -(-args.sources // args.batch)
            for count in counts:
                pool.use_index(f"workers_{count}")
                data = home / f"data-{count}"
                pool.rosterwatch(
                    "--data-dir", str(data), "--sources", str(sources), "serve", "--pool", "rosterwatch",
                    "--batch", str(args.batch), "--parallel", "1", "--host-delay", str(args.host_delay),
                )
                pool.start_workers(count)
                rounds, peak, once = [], 0, True
                for round_changed in (set(), changed):
                    sites.serve(round_changed)
                    mark = sites.mark()
                    load = os.getloadavg()[0]
                    seconds, runs = pool.track(1 + batches, timeout=4 * 3600)
                    completed = all(r["state"]["type"] == "COMPLETED" for r in runs)
                    once &= completed and set(sites.page_requests(mark).values()) == {1}
                    peak = max(peak, sites.peak())
                    rounds.append((seconds, load, os.getloadavg()[0]))
                pool.stop_workers()
                store = SnapshotStore(data, pool.env["ROSTERWATCH_DB_URL"], readonly=True)
                captures = store.captures()
                stored_once = len(captures) == 2 * args.sources and len({(c.source, c.fetched_at) for c in captures}) == len(captures)
                results[count] = (rounds, peak, once and stored_once, history(store))
                reference = results[counts[0]][3]
                first, second = rounds
                print(
                    f"workers={count}: first round {first[0]:.1f} s = {args.sources / first[0]:.2f} sources/s "
                    f"(load {first[1]:.1f}->{first[2]:.1f}); second round {second[0]:.1f} s = "
                    f"{args.sources / second[0]:.2f} sources/s (load {second[1]:.1f}->{second[2]:.1f}); "
                    f"peak requests at once per host {peak}; every page fetched once a round and stored once: "
                    f"{'yes' if once and stored_once else 'NO'}; history same as {counts[0]} worker(s): "
                    f"{'yes' if results[count][3] == reference else 'NO'}",
                    flush=True,
                )
    finally:
        stop_pg()
    base = counts[0]
    rate = {c: 2 * args.sources / sum(r[0] for r in results[c][0]) for c in results}
    speedups = " ".join(f"speedup_{c}={rate[c] / rate[base]:.2f}" for c in counts[1:])
    print(
        "scale " + " ".join(f"sources_per_s_{c}={rate[c]:.2f}" for c in counts) + f" {speedups} "
        f"peak_per_host={max(r[1] for r in results.values())} "
        f"once={'yes' if all(r[2] for r in results.values()) else 'no'} "
        f"history_identical={'yes' if all(r[3] == results[base][3] for r in results.values()) else 'no'}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
