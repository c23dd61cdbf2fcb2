"""Analyst outputs over the replayed 2019 -> 2024 history: the timeline DataFrame, exports
that load back in pandas, Popolo JSON, the Markdown report, `history PERSON`, `people`, and
the Atom feed (parsed back)."""

from __future__ import annotations

import contextlib
import io
import json
import re
import xml.etree.ElementTree as ET

import pandas as pd
import pytest

from flows.analyst import load_history
from flows.cli import main
from flows.config import DEFAULT_SOURCES, load_sources
from outputs.feed import ATOM
from outputs.reviewed import load_reviewed
from outputs.timeline import COLUMNS, membership_intervals
from tests.analyst_store import replay


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory):
    path = tmp_path_factory.mktemp("history-2019")
    replay(path)
    return path


@pytest.fixture(scope="module")
def history(data_dir):
    from snapshots.store import SnapshotStore

    return load_history(SnapshotStore(data_dir), load_sources(DEFAULT_SOURCES), load_reviewed())


def cli(data_dir, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["--data-dir", str(data_dir), *argv])
    return code, out.getvalue(), err.getvalue()


def seat(frame, name, source="fagrad-pm"):
    rows = frame[(frame["name"] == name) & (frame["source"] == source)]
    assert len(rows) == 1, rows
    return rows.iloc[0]


def test_timeline_has_one_interval_per_seat_through_spellings_and_renames(history):
    frame = membership_intervals(history)
    assert list(frame.columns) == COLUMNS
    assert str(frame["first_seen"].dtype) == "datetime64[ns, UTC]" or str(frame["first_seen"].dtype).startswith("datetime64")
    foss = seat(frame, "Grethe Foss")
    assert foss["first_seen"] == pd.Timestamp("2019-11-25", tz="UTC") and pd.isna(foss["ended_at"])
    assert foss["name_as_printed"] == "Grethe Foss" and seat(frame, "Grethe Foss", "norprem")["name_as_printed"] == "Grete S. Foss"
    erdal = seat(frame, "Anne-Berit Erdal")
    assert erdal["organisation"] == "Direktoratet for medisinske produkter" and pd.isna(erdal["ended_at"]), "the rename keeps the seat"
    slatta = seat(frame, "Olav Slåtta")
    assert slatta["role"] == "leiar" and slatta["end_reason"] == "left"
    assert slatta["last_seen"] == pd.Timestamp("2021-03-01", tz="UTC"), "the maintenance page is not a composition"
    assert slatta["ended_at"] == pd.Timestamp("2024-05-28", tz="UTC")
    assert seat(frame, "Susanne Lie")["first_seen"] == pd.Timestamp("2024-05-28", tz="UTC")
    assert seat(frame, "Hans-Johnny Schjelderup-Nilsen")["region"] == "Helse Midt-Norge"


def test_members_on_a_date_carry_resolved_person_ids(data_dir):
    code, out, _ = cli(data_dir, "members", "fagrad-pm", "--at", "2020-06-01", "--json")
    assert code == 0
    rows = json.loads(out)
    assert {r["name"] for r in rows} >= {"Olav Slåtta", "Grete S. Foss", "Lars Eikvam"}
    _, people, _ = cli(data_dir, "people", "--json")
    ids = {v: p["id"] for p in json.loads(people) for v in p["variants"]}
    assert next(r for r in rows if r["name"] == "Grete S. Foss")["person_id"] == ids["Grethe Foss"]


def test_csv_and_parquet_exports_load_back_in_pandas(data_dir, history, tmp_path):
    expected = membership_intervals(history)
    code, out, _ = cli(data_dir, "export", "--format", "csv")
    assert code == 0
    frame = pd.read_csv(io.StringIO(out), parse_dates=["first_seen", "last_seen", "ended_at"])
    assert list(frame.columns) == COLUMNS and len(frame) == len(expected)
    assert set(frame["person_id"]) == set(expected["person_id"])
    assert frame.loc[frame["name"] == "Olav Slåtta", "ended_at"].iloc[0] == pd.Timestamp("2024-05-28", tz="UTC")

    target = tmp_path / "m.parquet"
    assert cli(data_dir, "export", "--format", "parquet", "--out", str(target))[0] == 0
    pd.testing.assert_frame_equal(pd.read_parquet(target), expected, check_dtype=False)
    code, _, err = cli(data_dir, "export", "--format", "parquet")
    assert code == 2 and "pass --out" in err


def test_popolo_has_persons_with_other_names_organizations_and_dated_memberships(data_dir, tmp_path):
    target = tmp_path / "popolo.json"
    assert cli(data_dir, "export", "--format", "popolo", "--out", str(target))[0] == 0
    doc = json.loads(target.read_text(encoding="utf-8"))
    assert set(doc) == {"persons", "organizations", "areas", "memberships"}
    foss = next(p for p in doc["persons"] if p["name"] == "Grethe Foss")
    assert [o["name"] for o in foss["other_names"]] == ["Grete S. Foss"]
    orgs = {o["id"]: o for o in doc["organizations"]}
    dmp = next(o for o in orgs.values() if o["name"] == "Direktoratet for medisinske produkter")
    assert {"name": "Statens legemiddelverk", "end_date": "2023-12-31"} in dmp["other_names"]
    persons = {p["id"] for p in doc["persons"]}
    for membership in doc["memberships"]:
        assert membership["person_id"] in persons and membership["organization_id"] in orgs
        assert membership["start_date"] and membership["sources"][0]["url"].startswith("https://")
    slatta = next(p["id"] for p in doc["persons"] if p["name"] == "Olav Slåtta")
    (left,) = [ms for ms in doc["memberships"] if ms["person_id"] == slatta]
    assert (left["start_date"], left["end_date"], left["role"]) == ("2019-11-25", "2021-03-01", "leiar")
    assert orgs[left["organization_id"]]["parent_id"] == "body:fagrad-pm"
    assert pd.json_normalize(doc["memberships"]).shape[0] == len(doc["memberships"])


def test_markdown_report_since_a_date(data_dir):
    code, out, _ = cli(data_dir, "report", "--since", "2024-01-01")
    assert code == 0
    assert "Lilly Ann Elvestad joined Representantar" in out and "maintenance" not in out
    assert "organisation Statens legemiddelverk → Direktoratet for medisinske produkter (renamed" in out
    assert "| Representantar | Hilde Myhren | Helsedirektoratet | leiar | — |" in out


def test_history_of_a_person_in_any_spelling(data_dir):
    code, out, _ = cli(data_dir, "history", "Grete Foss")
    assert code == 0
    assert out.startswith("Grethe Foss  [p-") and "Grete S. Foss, Grethe Foss" in out
    assert "Koordineringsgruppen" in out and "Representantar" in out and "is now spelled Grethe Foss" in out
    code, out, _ = cli(data_dir, "history", "Olav Slåtta", "--json")
    record = json.loads(out)
    assert [s["end_reason"] for s in record["seats"]] == ["left"] and {e["kind"] for e in record["events"]} == {"left"}
    code, _, err = cli(data_dir, "history", "Nobody Atall")
    assert code == 2 and "no person called 'Nobody Atall'" in err


def test_people_lists_identities_and_near_misses(data_dir):
    code, out, _ = cli(data_dir, "people")
    assert code == 0
    assert "Hans-Johnny Schjelderup-Nilsen  [p-" in out and "also printed: Hans-Johnny Schelderup-Nilsen" in out
    assert "kept apart as" in out and "(nothing to decide): Lars Eikvam ~ Lars Eikvar" in out
    assert "to review" not in out, "a pair the reviewed file already keeps apart is not asked about again"


def test_people_asks_to_review_only_close_names_nobody_decided(data_dir, tmp_path):
    empty = tmp_path / "people.toml"
    empty.write_text("", encoding="utf-8")
    code, out, _ = cli(data_dir, "--people", str(empty), "people")
    assert code == 0
    assert f"of close names not merged, to review (merge or keep apart in {empty}):" in out
    assert "    Lars Eikvam  ~  Lars Eikvar: names close, but the parts differ" in out
    assert "nothing to decide" not in out


def test_a_broken_reviewed_file_stops_every_command_with_one_line(data_dir, tmp_path):
    bad = tmp_path / "people.toml"
    bad.write_text('[[apart]]\nnames = "Lars Eikvar"\n', encoding="utf-8")
    code, _, err = cli(data_dir, "--people", str(bad), "people")
    assert code == 2
    assert err.strip() == f"rosterwatch: {bad}: apart 1 ('Lars Eikvar'): key 'names' must be a list of at least 2 non-empty names"


def test_atom_feed_is_valid_with_one_entry_per_event_and_stable_ids(data_dir, history, tmp_path):
    code, out, _ = cli(data_dir, "feed")
    assert code == 0
    root = ET.fromstring(out.encode("utf-8"))
    ns = {"a": ATOM}
    assert root.tag == f"{{{ATOM}}}feed"
    for required in ("id", "title", "updated", "author"):
        assert root.find(f"a:{required}", ns) is not None
    entries = root.findall("a:entry", ns)
    assert len(entries) == len(history.events)
    ids = [e.find("a:id", ns).text for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("tag:") for i in ids)
    for entry in entries:
        assert entry.find("a:title", ns).text and entry.find("a:updated", ns).text.endswith("Z")
    titles = [e.find("a:title", ns).text for e in entries]
    assert any("Lilly Ann Elvestad joined Representantar" in t for t in titles)

    again = tmp_path / "again"
    replay(again)
    _, out2, _ = cli(again, "feed")
    assert [e.find("a:id", ns).text for e in ET.fromstring(out2.encode()).findall("a:entry", ns)] == ids, "same events, same ids"


STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T")


def _strings(value):
    if isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, str):
        yield value


@pytest.mark.parametrize("argv", [
    ["changes", "--json"], ["members", "fagrad-pm", "--json"], ["people", "--json"], ["snapshots", "norprem", "--json"],
    ["history", "Hege Russnes", "--json"], ["history", "Olav Slåtta", "--json"], ["export", "--format", "popolo"],
])
def test_every_json_output_writes_times_one_way(data_dir, argv):
    code, out, _ = cli(data_dir, *argv)
    assert code == 0
    times = [s for s in _strings(json.loads(out)) if STAMP.match(s)]
    assert times or argv[0] == "export", "the output has times to check"
    assert [t for t in times if not re.fullmatch(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z", t)] == []


def test_queries_show_an_organisation_as_the_page_wrote_it_with_the_canonical_name_beside(data_dir):
    _, report, _ = cli(data_dir, "report")
    assert "| Representantar | Hege Russnes | Dei regionale helseføretaka | — | Helse Sør-Øst |" in report
    code, out, _ = cli(data_dir, "history", "Hege Russnes", "--json")
    seat = next(s for s in json.loads(out)["seats"] if s["source"] == "fagrad-pm")
    assert (seat["organisation"], seat["organisation_canonical"]) == ("Dei regionale helseføretaka", "De regionale helseforetakene")
    _, out, _ = cli(data_dir, "history", "Hege Russnes")
    assert "Representantar (Dei regionale helseføretaka [= De regionale helseforetakene], Helse Sør-Øst)" in out
    _, out, _ = cli(data_dir, "members", "fagrad-pm")
    assert "  Hege Russnes  — Dei regionale helseføretaka [= De regionale helseforetakene], Helse Sør-Øst" in out
    assert "  Grethe Foss  — Helsedirektoratet\n" in out, "no canonical name where it is the same"
    _, out, _ = cli(data_dir, "members", "fagrad-pm", "--json")
    hege = next(r for r in json.loads(out) if r["name"] == "Hege Russnes")
    assert (hege["organisation"], hege["organisation_canonical"]) == ("Dei regionale helseføretaka", "De regionale helseforetakene")


def test_members_before_the_first_capture_says_when_the_first_is(data_dir):
    code, _, err = cli(data_dir, "members", "fagrad-pm", "--at", "2018-01-01")
    assert code == 2
    assert "fagrad-pm has no composition on or before 2018-01-01: its first believed capture is of 2019-11-25" in err
    assert "run 'rosterwatch track'" not in err


def test_a_new_format_is_one_writer_class_and_the_command_line_offers_it(data_dir):
    """What a module in outputs/writers/ does: define a Writer, and `export --format NAME` exists,
    listed in the help with its summary."""
    from outputs import writers
    from outputs.writers import Writer, Written, formats

    class Names(Writer):
        command, format = "export", "names-test"
        summary = "one person's name a line"

        def write(self, request):
            return Written("".join(f"{p.name}\n" for p in request.history.people.persons))

    try:
        code, out, _ = cli(data_dir, "export", "--format", "names-test")
        assert code == 0 and "Grethe Foss" in out.splitlines()
        with pytest.raises(SystemExit), contextlib.redirect_stdout(io.StringIO()) as shown:
            main(["export", "--help"])
        assert "names-test" in shown.getvalue() and "one person's name a line" in shown.getvalue()
    finally:
        del writers._REGISTRY["export"]["names-test"]
    assert "names-test" not in formats("export")
