"""Politeness per host: however many sources a run tracks at once, never more than the
configured fetches at a time from one host, and their starts the configured pause apart; in
the command's own process and, through Prefect's global concurrency limits, in a flow run.
Two local servers (127.0.0.1 and 127.0.0.2) stand for two hosts and count the requests they
answer at once."""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest

from flows.tracking import track_in_process
from tests.http_server import Reply, ScriptedServer

PAGE = (Path(__file__).parent / "fixtures" / "history" / "fagrad-pm" / "2024-05-28.html").read_bytes()
DELAY = 0.25  # each page answers after this long
PAUSE = 1.0  # asked between the starts of two fetches from one host
SLACK = 0.2  # a fetch's first request leaves some milliseconds after its slot starts: more while threads start


@pytest.fixture
def two_hosts():
    with ScriptedServer() as one, ScriptedServer(host="127.0.0.2") as two:
        yield one, two


def sources_on(path: Path, hosts, per_host: int) -> Path:
    tables = []
    for server, n in itertools.product(hosts, range(per_host)):
        page = f"/body-{n}"
        server.route(page, Reply(body=PAGE, delay=DELAY))
        source = f"{server.host.replace('.', '-')}-{n}"
        tables.append(f'[sources.h{source}]\nname = "Body {n}"\nurl = "{server.url(page)}"\nlanguage = "nn"\nallow_private = true\n')
    path.write_text("\n".join(tables), encoding="utf-8")
    return path


def fetch_starts(server: ScriptedServer) -> list[float]:
    """When each fetch began: its robots.txt request is the first it makes."""
    return [r.at for r in server.requests_to("/robots.txt")]


def test_in_process_one_fetch_at_a_time_per_host_and_a_pause_between(tmp_path, two_hosts):
    sources = sources_on(tmp_path / "sources.toml", two_hosts, 4)
    result = track_in_process(
        data_dir=str(tmp_path / "data"), sources_file=str(sources), parallel=8, host_requests=1, host_delay=PAUSE
    )
    assert not result.failed and len(result.outcomes) == 8
    for server in two_hosts:
        assert server.peak_in_flight == 1, f"{server.host}: {server.peak_in_flight} requests at once"
        starts = fetch_starts(server)
        assert len(starts) == 4
        assert min(b - a for a, b in zip(starts, starts[1:])) >= PAUSE - SLACK, "fetches from one host start apart"
    both = sorted(fetch_starts(two_hosts[0]) + fetch_starts(two_hosts[1]))
    assert both[1] - both[0] < DELAY, "the two hosts are fetched side by side"


@pytest.mark.parametrize("at_once", [1, 3])
def test_in_process_never_more_fetches_at_once_per_host_than_allowed(tmp_path, two_hosts, at_once):
    sources = sources_on(tmp_path / "sources.toml", two_hosts[:1], 6)
    track_in_process(data_dir=str(tmp_path / "data"), sources_file=str(sources), parallel=8, host_requests=at_once, host_delay=0)
    assert two_hosts[0].peak_in_flight == at_once


def test_a_prefect_run_keeps_the_limits_on_the_server(prefect_harness, tmp_path, two_hosts):
    from prefect.client.orchestration import get_client

    from flows.politeness import limit_names
    from flows.track import track

    sources = sources_on(tmp_path / "sources.toml", two_hosts[:1], 5)
    result = track(data_dir=str(tmp_path / "data"), sources_file=str(sources), parallel=5, host_requests=1, host_delay=0)
    assert not result.failed and len(result.outcomes) == 5
    assert two_hosts[0].peak_in_flight == 1
    sources = sources_on(tmp_path / "sources.toml", two_hosts[1:], 3)
    result = track(data_dir=str(tmp_path / "data"), sources_file=str(sources), parallel=3, host_requests=2, host_delay=PAUSE)
    starts = fetch_starts(two_hosts[1])
    assert min(b - a for a, b in zip(starts, starts[1:])) >= PAUSE - SLACK
    with get_client(sync_client=True) as client:
        at_once, pause = (client.read_global_concurrency_limit_by_name(n) for n in limit_names("127.0.0.2"))
    assert (at_once.limit, at_once.slot_decay_per_second, at_once.active_slots) == (2, 0, 0), "set to this run's"
    assert (pause.limit, pause.slot_decay_per_second) == (1, pytest.approx(1 / PAUSE))
