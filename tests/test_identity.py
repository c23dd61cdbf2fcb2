"""Identity: the same person is one person, different people stay different, and the reviewed
file decides the hard cases (validated with one-line errors)."""

from __future__ import annotations

import pytest

from outputs.events import person_id
from outputs.identity import Mention, Organisations, People, match_names, organisations_match, words_match
from outputs.reviewed import EMPTY, Apart, PinnedPerson, Reviewed, ReviewedError, load_reviewed

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


@pytest.mark.parametrize(
    ("a", "b", "compatible"),
    [
        ("G. Foss", "Grete Foss", True),
        ("Grete Foss", "G. Foss", True),
        ("Ketil F. Widerberg", "Ketil Widerberg", True),
        ("Gun P. Knudsen", "Gun Peggy Knudsen", True),
        ("Jo Hansen", "Jan Hansen", False),
        ("Jan Hansen", "Jo Hansen", False),
        ("Ola Per Hansen", "Ola Kari Hansen", False),
        ("Hansen", "Ola Hansen", False),
        ("Ola Hauge", "Ola Haugen", True),
        ("Ola Hansen", "Ola Hasnen", True),
        ("Ola Hansen", "Ola Hanson", False),
        ("Ola Nilsen", "Ola Nilsson", False),
        ("Kari Berg", "Kari Berge", False),
    ],
)
def test_given_names_initials_and_surname_spellings(a, b, compatible):
    """Initials stand for a name with that first letter, two-letter names are names, not
    initials; a surname may gain, lose or swap one letter from five letters on, never change one."""
    assert match_names(a, b).compatible is compatible


def test_words_match_roles_and_regions_up_to_form():
    assert words_match(None, None) and words_match("", None)
    assert not words_match("leder", None) and not words_match(None, "leder")
    assert words_match("Gruppen", "Gruppa"), "definite forms from five letters of stem"
    assert not words_match("Rådet", "Råd"), "a shorter stem is another word"
    assert organisations_match("Telia", "Telja") and not organisations_match("Telia", "Tesla AS Norge")


def test_organisation_identities_with_names_not_seen_before():
    orgs = Organisations(["Funksjonshemmedes fellesorganisasjon", "Kreftforeningen", "Funksjonshemmedes Fellesorganisasjon"], EMPTY)
    ffo = orgs.get("Funksjonshemmedes fellesorganisasjon")
    assert ffo is not None and ffo.id.startswith("o-") and len(ffo.id) == 12
    assert ffo.name == "Funksjonshemmedes Fellesorganisasjon", "named as the page says it last"
    assert set(ffo.variants) == {"Funksjonshemmedes fellesorganisasjon", "Funksjonshemmedes Fellesorganisasjon"}
    assert orgs.get(" funksjonshemmedes  fellesorganisasjon ") is ffo, "a form not seen before is found by matching"
    assert orgs.get(None) is None and orgs.get("  ") is None and orgs.get("Datatilsynet") is None
    assert orgs.same(None, None) and orgs.same("", None) and not orgs.same("Kreftforeningen", None)
    assert not orgs.same("Kreftforeningen", "Funksjonshemmedes fellesorganisasjon")
    assert orgs.same("Datatilsynet", "datatilsynet"), "names nobody listed still compare by form"
    assert not orgs.same("Datatilsynet", "Kreftforeningen")
    # the id is stable: made from the name's normalised words, not from where it was seen
    assert Organisations(["Kreftforeningen"], EMPTY).get("Kreftforeningen").id == org_id("kreftforening")
    assert Organisations(["Data", "Kreftforeningen"], EMPTY).get("kreftforeningen").id == org_id("kreftforening")


def org_id(key: str) -> str:
    import hashlib

    return "o-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10]


def test_reviewed_organisation_names_and_renames_name_the_identity():
    reviewed = load_reviewed()
    orgs = Organisations(["OUS", "Statens legemiddelverk", "Direktoratet for medisinske produkter"], reviewed)
    assert orgs.get("OUS").name == "Oslo universitetssykehus"
    dmp = orgs.get("Statens legemiddelverk")
    assert dmp is orgs.get("Direktoratet for medisinske produkter") and dmp.name == "Direktoratet for medisinske produkter"
    assert dmp.former_names == (("Statens legemiddelverk", "2023-12-31"),)
    assert {o.name for o in orgs.all} == {"Oslo universitetssykehus", "Direktoratet for medisinske produkter"}


def test_people_ids_names_and_lookups():
    mentions = [
        Mention("Grete S. Foss", "norprem", "Koordineringsgruppen", "Helsedirektoratet", first_seen="2022-06-01T00:00:00Z"),
        Mention("Grethe Foss", "fagrad-pm", "Representantar", "Helsedirektoratet", first_seen="2024-05-28T00:00:00Z"),
        Mention("Rune Sundset", "fagrad-pm", "Representantar", first_seen="2024-05-28T00:00:00Z"),
        Mention("Rune Sundset", "norprem", "Koordineringsgruppen", first_seen="2022-06-01T00:00:00Z"),
    ]
    people = People(mentions, EMPTY)
    foss = people.get("Grethe Foss")
    assert foss.id == person_id("Grete S. Foss"), "the id of the first spelling seen"
    assert foss.name == "Grethe Foss", "the name as most recently printed"
    assert foss.variants == ["Grete S. Foss", "Grethe Foss"]
    assert [(m.source, m.first_seen[:4]) for m in foss.mentions] == [("norprem", "2022"), ("fagrad-pm", "2024")]
    assert people.id_of(None) is None and people.id_of("Kari Nordmann") == person_id("Kari Nordmann")
    assert people.id_of("grethe  foss", "fagrad-pm", "representantar") == foss.id
    assert people.get("Rune Sundset", "norprem", "Koordineringsgruppen") is people.get("Rune Sundset")
    assert people.get("Nobody Here", "norprem", "Koordineringsgruppen") is None
    pinned = People(mentions, Reviewed(persons=(PinnedPerson("Grete Foss", ("Grete S. Foss", "Grethe Foss"), "p-0000000001"),)))
    assert (pinned.get("Grethe Foss").id, pinned.get("Grethe Foss").name) == ("p-0000000001", "Grete Foss")


def test_near_misses_say_why_they_were_not_merged():
    mentions = [
        Mention("Lars Eikvar", "fagrad-pm", "R", region="Helse Sør-Øst"),
        Mention("Lars Eikvam", "fagrad-pm", "R", region="Helse Sør-Øst"),
        Mention("Ketil Widerberg", "a", "X", "Oslo Cancer Cluster"),
        Mention("Ketil F. Widerberg", "b", "Y", "Abelia"),
    ]
    reasons = {(m.a, m.b): m.reason for m in People(mentions, EMPTY).near_misses}
    assert reasons[("Lars Eikvam", "Lars Eikvar")] == "names close, but the parts differ"
    assert reasons[("Ketil F. Widerberg", "Ketil Widerberg")] == "names compatible, but no shared body, organisation or region"
    apart = Reviewed(apart=(Apart(("Ketil Widerberg", "Ketil F. Widerberg")),))
    (miss,) = [m for m in People(mentions, apart).near_misses if "Widerberg" in m.a]
    assert miss.reason == "kept apart in the reviewed file"
