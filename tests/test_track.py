"""The `track` flow end to end under Prefect: replay of the fixture history, live fetching
from a local HTTP server, an unreachable host, and the artifacts a run publishes."""

from __future__ import annotations

import asyncio
import json
import shutil
from collections import Counter
from pathlib import Path

from extractors import EXTRACTOR_VERSION
from outputs.events import ChangeEvent
from snapshots.store import SnapshotStore
from tests.fixtures.build_history import EXPECTED
from tests.http_server import Reply

HISTORY = Path(__file__).parent / "fixtures" / "history"
PAGE = "/om-oss/rad-og-utvalg/fagrad"


def events_of(data_dir: Path, source: str | None = None) -> list[ChangeEvent]:
    store = SnapshotStore(data_dir)
    return [ChangeEvent.from_json(r) for r in store.change_rows(EXTRACTOR_VERSION, source=source)]


def test_replayed_history_gives_exactly_the_planted_events(prefect_harness, tmp_path):
    from flows.track import track

    state = track(data_dir=str(tmp_path), replay_dir=str(HISTORY), return_state=True)
    assert state.is_completed(), "every source tracked: the flow run ends Completed"
    result = state.result()
    assert not result.failed
    for source, expected in EXPECTED.items():
        got = [(e.at[:10], e.kind, e.person) for e in events_of(tmp_path, source)]
        assert Counter(got) == Counter(expected), f"{source}: {got}"
    # the cosmetic re-publications (other markup, reordered items) gave nothing
    assert not [e for e in events_of(tmp_path) if e.at.startswith(("2023-09-01", "2022-11-01"))]
    chair = next(e for e in events_of(tmp_path, "fagrad-pm") if e.kind == "chair_changed")
    assert (chair.before, chair.after) == ("Olav Slåtta", "Hilde Myhren")
    assert "Lilly Ann Elvestad joined" in result.report
    assert Path(result.report_path).read_text(encoding="utf-8") == result.report

    again = track(data_dir=str(tmp_path), replay_dir=str(HISTORY))
    assert len(SnapshotStore(tmp_path).captures()) == 6, "replaying the same copies again stores nothing"
    assert "No change since 2024-05-28T00:00:00Z" in again.report
    assert all(o.status == "unchanged" for o in again.outcomes)


def write_sources(path: Path, url: str, host: str = "127.0.0.1") -> Path:
    path.write_text(
        f'[sources.fagrad-pm]\nname = "Fagråd"\nurl = "{url}"\nlanguage = "nn"\nallowed_hosts = ["{host}"]\n'
        "allow_private = true  # the test server listens on 127.0.0.1\n",
        encoding="utf-8",
    )
    return path


def test_live_tracking_fetches_stores_and_reports(prefect_harness, tmp_path, http_server):
    from flows.track import track
    from prefect.client.orchestration import get_client

    old = (HISTORY / "fagrad-pm" / "2023-01-15.html").read_bytes()
    new = (HISTORY / "fagrad-pm" / "2024-05-28.html").read_bytes()
    http_server.route(PAGE, Reply(body=old, headers={"ETag": '"a"'}))
    sources = write_sources(tmp_path / "sources.toml", http_server.url(PAGE))
    data = tmp_path / "data"

    first = track(data_dir=str(data), sources_file=str(sources))
    assert first.outcomes[0].status == "baseline"
    assert "baseline composition" in first.report and "Olav Slåtta" in first.report

    second = track(data_dir=str(data), sources_file=str(sources))
    assert http_server.requests_to(PAGE)[-1].header("If-None-Match") == '"a"'
    assert SnapshotStore(data).last_capture("fagrad-pm").status == 304
    assert "No change since" in second.report

    http_server.route(PAGE, Reply(body=new, headers={"ETag": '"b"'}))
    third = track(data_dir=str(data), sources_file=str(sources))
    assert http_server.requests_to(PAGE)[-1].header("If-None-Match") == '"a"', "a 304 keeps the validators"
    assert third.outcomes[0].status == "changed"
    assert "Hilde Myhren joined" in third.report and "Olav Slåtta left" in third.report
    assert [c.status for c in SnapshotStore(data).captures("fagrad-pm")] == [200, 304, 200]

    async def latest_artifacts():
        # The typed read_artifacts() of this Prefect version sends filters the server rejects
        # or misreads, so ask the REST endpoint directly.
        async with get_client() as client:
            answer = await client.request(
                "POST",
                "/artifacts/filter",
                json={"artifacts": {"key": {"any_": ["rosterwatch-report", "rosterwatch-members"]}}, "sort": "CREATED_DESC", "limit": 10},
            )
            return {a["key"]: a for a in reversed(answer.json())}

    artifacts = asyncio.run(latest_artifacts())
    assert artifacts["rosterwatch-report"]["data"] == third.report
    assert "Hilde Myhren" in str(artifacts["rosterwatch-members"]["data"])


def test_unreachable_host_is_reported_and_nothing_is_lost(prefect_harness, tmp_path):
    from flows.track import track
    from prefect.client.orchestration import get_client

    data = tmp_path / "data"
    shutil.copytree(HISTORY / "fagrad-pm", tmp_path / "replay" / "fagrad-pm")
    sources = write_sources(tmp_path / "sources.toml", "http://127.0.0.1:9/fagrad")
    track(data_dir=str(data), sources_file=str(sources), replay_dir=str(tmp_path / "replay"))
    before = SnapshotStore(data).captures()

    state = track(data_dir=str(data), sources_file=str(sources), return_state=True)
    result = state.result(raise_on_failure=False)
    (outcome,) = result.failed
    assert "cannot reach 127.0.0.1" in outcome.message
    assert "Not tracked this run" in result.report
    assert "last known composition is from 2024-05-28" in result.report
    assert SnapshotStore(data).captures() == before

    # The flow run says so too: Failed on the server, with each source's outcome as an artifact.
    assert state.is_failed() and state.message.startswith("1 of 1 sources not tracked: fagrad-pm: ")
    run_id = state.state_details.flow_run_id

    async def read_back():
        async with get_client() as client:
            run = await client.read_flow_run(run_id)
            answer = await client.request(
                "POST", "/artifacts/filter",
                json={"artifacts": {"key": {"any_": ["rosterwatch-outcomes"]}, "flow_run_id": {"any_": [str(run_id)]}}},
            )
            return run.state.type.value, answer.json()

    final, artifacts = asyncio.run(read_back())
    assert final == "FAILED"
    (rows,) = [a["data"] for a in artifacts]
    rows = json.loads(rows) if isinstance(rows, str) else rows
    assert [(r["source"], r["status"]) for r in rows] == [("fagrad-pm", "failed")]
    assert "cannot reach 127.0.0.1" in rows[0]["message"]

