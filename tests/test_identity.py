"""Identity: the same person is one person, different people stay different, and the reviewed
file decides the hard cases (validated with one-line errors)."""

from __future__ import annotations

import pytest

from outputs.identity import Mention, Organisations, People, match_names, organisations_match
from outputs.reviewed import EMPTY, ReviewedError, load_reviewed

SAME = [
    ("Hans-Johnny Schelderup-Nilsen", "Hans-Johnny Schjelderup-Nilsen"),
    ("Gunnar Houge", "Gunnar Douzgos Houge"),
    ("Grete S. Foss", "Grethe Foss"),
    ("Grethe Foss", "Grethe S. Foss"),
    ("Grete S. Foss", "Grethe S. Foss"),
    ("Ketil Widerberg", "Ketil F. Widerberg"),
    ("Gun Peggy Knudsen", "Gunn Peggy Knudsen"),
    ("Hans Johnny Sundset", "Hans-Johnny Sundset"),
]
DIFFERENT = [
    ("Grete Foss", "Grete Fossum"),
    ("Lars Eikvar", "Lars Eikvam"),
    ("Kari Foss", "Grete Foss"),
    ("Ole Johan Hansen", "Ole Alexander Hansen"),
    ("Grete S. Foss", "Grete M. Foss"),
]


@pytest.mark.parametrize("a,b", SAME)
def test_spelling_variants_are_compatible_names(a, b):
    assert match_names(a, b).compatible and match_names(b, a).compatible


@pytest.mark.parametrize("a,b", DIFFERENT)
def test_different_people_are_not_compatible(a, b):
    assert not match_names(a, b).compatible and not match_names(b, a).compatible


def mention(name, source="fagrad-pm", group="Representantar", organisation=None, region=None, at="2024-01-01T00:00:00Z"):
    return Mention(name, source, group, organisation, region, at)


def test_variants_merge_across_bodies_only_with_support():
    people = People(
        [
            mention("Grethe Foss", organisation="Helsedirektoratet", at="2024-05-28T00:00:00Z"),
            mention("Grete S. Foss", "norprem", "Koordineringsgruppen", "Helsedirektoratet", at="2023-04-01T00:00:00Z"),
            mention("Gunnar Douzgos Houge", organisation="Dei regionale helseføretaka", region="Helse Vest"),
            mention("Gunnar Houge", "norprem", "Koordineringsgruppen", region="Helse Vest"),
            mention("Ketil Widerberg", "other", "Styret", organisation="Abelia"),
            mention("Ketil F. Widerberg", organisation="Oslo Cancer Cluster"),
        ],
        EMPTY,
    )
    foss = people.get("Grethe Foss")
    assert foss is people.get("Grete S. Foss")
    assert foss.variants == ["Grete S. Foss", "Grethe Foss"] and foss.name == "Grethe Foss"
    assert foss.id == people.id_of("Grete S. Foss"), "the id is the one of the first seen spelling"
    assert people.get("Gunnar Houge") is people.get("Gunnar Douzgos Houge")
    assert people.get("Ketil Widerberg") is not people.get("Ketil F. Widerberg"), "no shared body, organisation or region"
    assert [(m.a, m.b) for m in people.near_misses] == [("Ketil F. Widerberg", "Ketil Widerberg")]


def test_different_people_in_one_body_stay_apart_and_are_listed_as_near_misses():
    people = People(
        [
            mention("Grete Foss", organisation="Helsedirektoratet"),
            mention("Grete Fossum", organisation="Helsedirektoratet"),
            mention("Lars Eikvar", region="Helse Sør-Øst"),
            mention("Lars Eikvam", region="Helse Sør-Øst"),
            mention("Kari Foss", organisation="Helsedirektoratet"),
        ],
        EMPTY,
    )
    assert len(people.persons) == 5
    assert {(m.a, m.b) for m in people.near_misses} >= {("Grete Foss", "Grete Fossum"), ("Lars Eikvam", "Lars Eikvar")}


def test_a_shortened_name_does_not_chain_two_people_together():
    people = People(
        [mention("G. Foss"), mention("Grete Foss"), mention("Gunnar Foss")],
        EMPTY,
    )
    assert people.get("Grete Foss") is not people.get("Gunnar Foss")


def test_reviewed_file_pins_and_splits(tmp_path):
    path = tmp_path / "people.toml"
    path.write_text(
        '[[person]]\nname = "Grete Fossum"\nvariants = ["Grete Foss"]\nid = "p-fixed00001"\n\n'
        '[[apart]]\nnames = ["Gunnar Houge", "Gunnar Douzgos Houge"]\n',
        encoding="utf-8",
    )
    reviewed = load_reviewed(path)
    people = People(
        [mention("Grete Foss"), mention("Grete Fossum"), mention("Gunnar Houge"), mention("Gunnar Douzgos Houge")], reviewed
    )
    assert people.get("Grete Foss") is people.get("Grete Fossum")
    assert people.get("Grete Foss").id == "p-fixed00001" and people.get("Grete Foss").name == "Grete Fossum"
    assert people.get("Gunnar Houge") is not people.get("Gunnar Douzgos Houge")


@pytest.mark.parametrize(
    "text,message",
    [
        ('[[persons]]\nname = "X"\n', "unknown table 'persons'; use [[person]], [[apart]], [[organisation]] or [[rename]]"),
        ('[[person]]\nname = "Grethe Foss"\nvariant = ["Grete Foss"]\n', "person 1 ('Grethe Foss'): unknown key 'variant' (known: id, name, note, variants)"),
        ('[[apart]]\nnames = ["Lars Eikvar"]\n', "apart 1: key 'names' must be a list of at least 2 non-empty names"),
        ('[[rename]]\nfrom = "SLV"\nto = "DMP"\ndate = "1.1.2024"\n', "rename 1 ('SLV'): key 'date' must be a date like 2024-01-01, got '1.1.2024'"),
        ('[[person]]\nname = "A B"\nid = "x"\n', "person 1 ('A B'): key 'id' must be a person id like \"p-3f2a9c0d1e\", got 'x'"),
        ("[[person]\n", "not valid TOML"),
    ],
)
def test_reviewed_file_errors_are_one_line_naming_file_entry_and_key(tmp_path, text, message):
    path = tmp_path / "people.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReviewedError) as error:
        load_reviewed(path)
    assert str(error.value).startswith(f"{path}: ") and message in str(error.value)
    assert "\n" not in str(error.value)


def test_the_project_reviewed_file_is_valid_and_records_the_slv_rename():
    reviewed = load_reviewed()
    (rename,) = [r for r in reviewed.renames if r.old == "Statens legemiddelverk"]
    assert (rename.new, rename.date, rename.last_day_of_old) == ("Direktoratet for medisinske produkter", "2024-01-01", "2023-12-31")


@pytest.mark.parametrize(
    "a,b",
    [
        ("De regionale helseforetakene", "Dei regionale helseføretaka"),
        ("Kommunesektorens interesseorganisasjon (KS)", "KS"),
        ("Funksjonshemmedes fellesorganisasjon", "Funksjonshemmedes Fellesorganisasjon"),
        ("oslo univeristetssykehus", "Oslo universitetssykehus"),
        ("Universitets- og høgskulesektoren", "Universitets- og høyskolesektoren"),
        ("Helse Sør-Øst RHF", "Helse Sør-Øst"),
    ],
)
def test_organisation_forms_match(a, b):
    assert organisations_match(a, b) and organisations_match(b, a)


@pytest.mark.parametrize(
    "a,b",
    [("Helse Vest", "Helse Nord"), ("Kreftforeningen", "Kreftregisteret"), ("Helsedirektoratet", "Direktoratet for e-helse")],
)
def test_different_organisations_do_not_match(a, b):
    assert not organisations_match(a, b)


def test_recorded_rename_is_one_organisation_under_its_new_name():
    reviewed = load_reviewed()
    organisations = Organisations(["Statens legemiddelverk", "Direktoratet for medisinske produkter", "FFO"], reviewed)
    slv, dmp = organisations.get("Statens legemiddelverk"), organisations.get("Direktoratet for medisinske produkter")
    assert slv is dmp and dmp.name == "Direktoratet for medisinske produkter"
    assert dmp.former_names == (("Statens legemiddelverk", "2023-12-31"),)
    assert organisations.rename("Statens legemiddelverk", "Direktoratet for medisinske produkter").date == "2024-01-01"
    assert organisations.same("FFO", "Funksjonshemmedes Fellesorganisasjon")
