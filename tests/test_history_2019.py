"""Done-when of issue 5: the Fagråd from its 2019 composition to the 2024 page.

The replay must give exactly the planted events (tests/fixtures/build_history_2019.py):
the true joins, leaves and chair change, spelling variants as `name_variant` (never a leave
and a join), the Statens legemiddelverk -> Direktoratet for medisinske produkter rename as
one `organisation_changed` with a note, Bokmål/Nynorsk and abbreviated organisation names as
nothing, and the maintenance page as one `suspect_extraction` with no `left` events. Across
the two bodies, five people who sit in both are one person each.
"""

from __future__ import annotations

import contextlib
import io
import json
from collections import Counter

from extractors import EXTRACTOR_VERSION
from flows.cli import main
from flows.config import DEFAULT_SOURCES
from outputs.events import ChangeEvent
from snapshots.store import SnapshotStore
from tests.analyst_store import HISTORY_2019, replay
from tests.fixtures.build_history_2019 import EXPECTED
from tests.http_server import Reply

IN_BOTH_BODIES = {
    "Hege Russnes": {"Hege Russnes"},
    "Gunnar Douzgos Houge": {"Gunnar Houge", "Gunnar Douzgos Houge"},
    "Hans-Johnny Schjelderup-Nilsen": {"Hans-Johnny Schelderup-Nilsen", "Hans-Johnny Schjelderup-Nilsen"},
    "Rune Sundset": {"Rune Sundset"},
    "Grethe Foss": {"Grete S. Foss", "Grethe Foss"},
}


def cli(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = main(list(argv))
    return code, out.getvalue()


def events_of(data_dir, source=None) -> list[ChangeEvent]:
    return [ChangeEvent.from_json(r) for r in SnapshotStore(data_dir).change_rows(EXTRACTOR_VERSION, source=source)]


def assert_exactly_the_planted_events(data_dir) -> None:
    for source, expected in EXPECTED.items():
        got = [(e.at[:10], e.kind, e.person) for e in events_of(data_dir, source)]
        assert Counter(got) == Counter(expected), f"{source}: {sorted(set(got) ^ set(expected))}"


def test_track_replay_of_2019_to_2024_gives_exactly_the_true_events_and_one_person_per_person(
    prefect_harness, tmp_path, http_server
):
    http_server.route("/hook", Reply(body="ok", content_type="text/plain"))
    sources = tmp_path / "sources.toml"
    hook = f'notify = ["json://127.0.0.1:{http_server.port}/hook"]\n'
    sources.write_text(DEFAULT_SOURCES.read_text(encoding="utf-8").replace('language = "nn"\n', 'language = "nn"\n' + hook))
    code, report = cli("--data-dir", str(tmp_path), "--sources", str(sources), "track", "--replay", str(HISTORY_2019))
    assert code == 0
    assert_exactly_the_planted_events(tmp_path)
    assert "Grete S. Foss in Representantar is now spelled Grethe Foss (the same person)" in report
    (posted,) = http_server.requests_to("/hook")
    assert json.loads(posted.body)["title"] == f"rosterwatch: {len(EXPECTED['fagrad-pm'])} changes in Fagråd for persontilpassa medisin (Helsedirektoratet)"

    code, out = cli("--data-dir", str(tmp_path), "--sources", str(sources), "people", "--json")
    assert code == 0
    people = json.loads(out)
    for name, variants in IN_BOTH_BODIES.items():
        (person,) = [p for p in people if set(p["variants"]) & variants]
        assert person["name"] == name and set(person["variants"]) == variants
        assert {s["source"] for s in person["seats"]} == {"norprem", "fagrad-pm"}, person
        assert person["id"].startswith("p-") and all(s["first_seen"] and s["last_seen"] for s in person["seats"])
    assert len({p["id"] for p in people}) == len(people)


def test_events_carry_provenance_and_the_rename_note(tmp_path):
    replay(tmp_path)
    events = events_of(tmp_path, "fagrad-pm")
    rename = next(e for e in events if e.kind == "organisation_changed")
    assert (rename.before["organisation"], rename.after["organisation"]) == (
        "Statens legemiddelverk",
        "Direktoratet for medisinske produkter",
    )
    assert "renamed" in rename.note and "2024-01-01" in rename.note
    variant = next(e for e in events if e.kind == "name_variant" and e.person == "Grethe Foss")
    assert variant.before["name"] == "Grete S. Foss" and variant.after["name"] == "Grethe Foss"
    assert "Grete S. Foss" in variant.from_text and "Grethe Foss" in variant.text
    captures = {c.fetched_at[:10]: c.id for c in SnapshotStore(tmp_path).captures("fagrad-pm")}
    assert (variant.from_capture, variant.to_capture) == (captures["2021-03-01"], captures["2024-05-28"])
    assert variant.url.startswith("https://www.helsedirektoratet.no/") and variant.from_url == variant.url
    assert variant.from_at == "2021-03-01T00:00:00Z" and variant.at == "2024-05-28T00:00:00Z"
    chair = next(e for e in events if e.kind == "chair_changed")
    assert (chair.before, chair.after) == ("Olav Slåtta", "Hilde Myhren")
    suspect = next(e for e in events if e.kind == "suspect_extraction")
    assert "maintenance" in suspect.diff and suspect.from_capture == captures["2021-03-01"]


def test_changes_json_shows_the_resolved_person_ids(tmp_path):
    replay(tmp_path)
    code, out = cli("--data-dir", str(tmp_path), "changes", "--json")
    assert code == 0
    events = json.loads(out)
    _, people_out = cli("--data-dir", str(tmp_path), "people", "--json")
    ids = {v: p["id"] for p in json.loads(people_out) for v in p["variants"]}
    for event in events:
        if event["person"]:
            assert event["person_id"] == ids[event["person"]], event
    houge = next(e for e in events if e["person"] == "Gunnar Douzgos Houge")
    assert houge["person_id"] == ids["Gunnar Houge"]
