"""Change events with identities: spelling variants, organisation forms and renames, renamed
and renamed groups."""

from __future__ import annotations

from extractors.model import Extraction, Group, Member
from outputs.compare import CaptureRef, compare
from outputs.events import person_id
from outputs.reviewed import EMPTY, load_reviewed

A = CaptureRef(1, "2023-01-01T00:00:00Z", "https://x.no/a")
B = CaptureRef(2, "2024-05-28T00:00:00Z", "https://x.no/a")


def page(*groups: Group) -> Extraction:
    return Extraction(source="s", url="https://x.no/", extractor_version="t", groups=groups)


def m(name, organisation=None, role=None, region=None):
    return Member(name=name, organisation=organisation, role=role, region=region, text=f"{organisation} v/{name}")


def kinds(events):
    return [(e.kind, e.person) for e in events]


def test_new_spelling_is_a_name_variant_never_a_leave_and_a_join():
    before = page(Group("R", "Grete S. Foss", (m("Grete S. Foss", "Helsedirektoratet"), m("Gunnar Houge", region="Helse Vest"))))
    after = page(Group("R", "Grethe Foss", (m("Grethe Foss", "Helsedirektoratet"), m("Gunnar Douzgos Houge", region="Helse Vest"))))
    events = compare(before, after, A, B)
    assert kinds(events) == [("name_variant", "Grethe Foss"), ("name_variant", "Gunnar Douzgos Houge")], "no chair change either"
    assert events[0].person_id == person_id("Grete S. Foss") and events[0].before["name"] == "Grete S. Foss"
    assert events[0].from_text == "Helsedirektoratet v/Grete S. Foss" and events[0].from_url == A.url


def test_different_people_with_close_names_are_a_leave_and_a_join():
    before = page(Group("R", None, (m("Lars Eikvam", region="Helse Sør-Øst"), m("Grete Foss"))))
    after = page(Group("R", None, (m("Lars Eikvar", region="Helse Sør-Øst"), m("Grete Fossum"))))
    assert sorted(kinds(compare(before, after, A, B))) == [
        ("joined", "Grete Fossum"), ("joined", "Lars Eikvar"), ("left", "Grete Foss"), ("left", "Lars Eikvam"),
    ]


def test_reviewed_file_can_pin_a_spelling_the_rules_keep_apart(tmp_path):
    path = tmp_path / "people.toml"
    path.write_text('[[person]]\nname = "Lars Eikvar"\nvariants = ["Lars Eikvam"]\n', encoding="utf-8")
    before, after = page(Group("R", None, (m("Lars Eikvam"),))), page(Group("R", None, (m("Lars Eikvar"),)))
    assert kinds(compare(before, after, A, B, load_reviewed(path))) == [("name_variant", "Lars Eikvar")]


def test_organisation_forms_are_no_change_and_a_recorded_rename_is_reported_as_one():
    before = page(Group("R", None, (
        m("Hege Russnes", "De regionale helseforetakene", None, "Helse Sør-Øst"),
        m("Mari Trommald", "KS"),
        m("Ingunn Westerheim", "Funksjonshemmedes fellesorganisasjon"),
        m("Anne-Berit Erdal", "Statens legemiddelverk"),
        m("Ola Nordmann", "Kreftforeningen"),
    )))
    after = page(Group("R", None, (
        m("Hege Russnes", "Dei regionale helseføretaka", None, "Helse Sør-Øst"),
        m("Mari Trommald", "Kommunesektorens interesseorganisasjon (KS)"),
        m("Ingunn Westerheim", "Funksjonshemmedes Fellesorganisasjon"),
        m("Anne-Berit Erdal", "Direktoratet for medisinske produkter"),
        m("Ola Nordmann", "Kreftregisteret"),
    )))
    events = compare(before, after, A, B, load_reviewed())
    assert kinds(events) == [("organisation_changed", "Anne-Berit Erdal"), ("organisation_changed", "Ola Nordmann")]
    assert "renamed" in events[0].note and events[1].note is None
    assert [e.kind for e in compare(before, after, A, B, EMPTY)].count("organisation_changed") == 2, "without the reviewed file it is a plain change"


def test_role_in_the_other_written_standard_is_no_change():
    before = page(Group("Representanter", "Hilde Myhren", (m("Hilde Myhren", "Helsedirektoratet", "leder"),)))
    after = page(Group("Representantar", "Hilde Myhren", (m("Hilde Myhren", "Helsedirektoratet", "leiar"),)))
    assert compare(before, after, A, B) == []


def test_renamed_group_keeps_its_members():
    members = tuple(m(n) for n in ("Hege Russnes", "Rune Sundset", "Gunnar Houge"))
    before = page(Group("Koordineringsgruppen", None, members))
    after = page(Group("Styringsgruppa", None, members + (m("Rita Halvorsen"),)))
    events = compare(before, after, A, B)
    assert kinds(events) == [("group_renamed", None), ("joined", "Rita Halvorsen")]
    assert (events[0].group, events[0].before, events[0].after) == ("Styringsgruppa", "Koordineringsgruppen", "Styringsgruppa")


def test_a_heading_with_a_typo_fixed_is_the_same_group_even_without_members():
    before = page(Group("Kooridneringsgruppen", "Hege Russnes", ()))
    after = page(Group("Koordineringsgruppen", "Hege Russnes", ()))
    assert kinds(compare(before, after, A, B)) == [("group_renamed", None)]
    assert compare(page(Group("REPRESENTANTAR", None, ())), page(Group("Representanter", None, ())), A, B) == [], (
        "case and the other written standard are no rename"
    )
    unrelated = compare(page(Group("Arbeidsutvalg", None, ())), page(Group("Styringsgruppe", None, ())), A, B)
    assert sorted(e.kind for e in unrelated) == ["group_added", "group_removed"]
