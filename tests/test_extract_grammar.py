"""The member grammar, parenthesis classes, chair sentences and the interim person detector."""

from __future__ import annotations

import pytest

from extractors.chairs import chair_claims, pronoun_title
from extractors.members import group_phrase, parse_item, parse_prose, parse_row, parse_seat_sentence
from extractors.persons import PERSON_DETECTOR, looks_like_person_name
from extractors.vocabulary import canonical_region, find_region, is_member_heading, is_role


def _fields(members):
    return [(m.name, m.organisation, m.role, m.region, m.affiliation, m.title) for m in members]


def test_org_via_people_with_role_and_og():
    assert _fields(parse_item("Helsedirektoratet v/Hilde Myhren (leiar) og Grethe Foss")) == [
        ("Hilde Myhren", "Helsedirektoratet", "leiar", None, None, None),
        ("Grethe Foss", "Helsedirektoratet", None, None, None, None),
    ]


def test_org_via_people_with_regions():
    item = (
        "Dei regionale helseføretaka v/Hege Russnes (Helse Sør-Øst), Lars Eikvar (Helse Sør Øst), "
        "Gunnar Houge (Helse Vest), Kari Nordmann (Helse Midt) og Rune Sundset (Helse Nord RHF) "
    )
    got = _fields(parse_item(item))
    # A region is spelled as on the page, with "RHF" where it is written (CONVENTIONS.md);
    # canonical_region() says which of the four it is.
    assert [(n, o, r) for n, o, _, r, _, _ in got] == [
        ("Hege Russnes", "Dei regionale helseføretaka", "Helse Sør-Øst"),
        ("Lars Eikvar", "Dei regionale helseføretaka", "Helse Sør Øst"),
        ("Gunnar Houge", "Dei regionale helseføretaka", "Helse Vest"),
        ("Kari Nordmann", "Dei regionale helseføretaka", "Helse Midt"),
        ("Rune Sundset", "Dei regionale helseføretaka", "Helse Nord RHF"),
    ]


@pytest.mark.parametrize("via", ["v/", "v/ ", "v /", "v/\u00a0", "ved "])
def test_via_spellings(via):
    [member] = parse_item(f"Abelia {via}Stephen McAdam\u00a0")
    assert (member.name, member.organisation) == ("Stephen McAdam", "Abelia")


def test_parenthesis_after_org_context_is_affiliation():
    [m] = parse_item("Universitets- og høgskulesektoren v/Torstein Baade Rø (NTNU)")
    assert (m.organisation, m.affiliation) == ("Universitets- og høgskulesektoren", "NTNU")


def test_org_with_its_own_parenthesis():
    [m] = parse_item("Kommunesektorens interesseorganisasjon (KS) v/Mari Trommald\u00a0")
    assert (m.name, m.organisation) == ("Mari Trommald", "Kommunesektorens interesseorganisasjon (KS)")


@pytest.mark.parametrize(
    "item, expected",
    [
        ("Matthias Baaske (prosjektadministrator)", ("prosjektadministrator", None, None)),
        ("Kari Nordmann (nestleiar)", ("nestleiar", None, None)),
        ("Gunnar Houge (leder av fagnettverk i Helse Vest)", ("leder av fagnettverk i Helse Vest", "Helse Vest", None)),
        ("Rune Sundset (leder av fagnettverket i Helse Nord).", ("leder av fagnettverket i Helse Nord", "Helse Nord", None)),
        ("Ola Nordmann (Helse Midt-Norge)", (None, "Helse Midt-Norge", None)),
        ("\u00a0Grete S. Foss (Helsedirektoratet)", (None, None, "Helsedirektoratet")),
        ("Henrik Næss (direktoratet for eHelse)", (None, None, "direktoratet for eHelse")),
    ],
)
def test_person_parenthesis_classes(item, expected):
    [m] = parse_item(item)
    assert (m.role, m.region, m.organisation) == expected
    assert m.name == item.strip("\u00a0").split(" (")[0]


def test_person_title_organisation():
    [m] = parse_item("Kari Nordmann, seniorrådgiver, Helsedirektoratet")
    assert (m.name, m.title, m.organisation, m.role) == ("Kari Nordmann", "seniorrådgiver", "Helsedirektoratet", None)


def test_person_role_organisation():
    [m] = parse_item("Ola Nordmann, nestleder, Kreftforeningen")
    assert (m.role, m.organisation, m.title) == ("nestleder", "Kreftforeningen", None)


def test_person_organisation():
    [m] = parse_item("Per Hansen, Norsk forening for medisinsk genetikk")
    assert (m.name, m.organisation) == ("Per Hansen", "Norsk forening for medisinsk genetikk")


def test_table_rows():
    [a, b] = parse_row(("Helsedirektoratet", "Hilde Myhren (leiar) og Grethe Foss"), ("Organisasjon", "Representant"))
    assert (a.name, a.organisation, a.role, b.name) == ("Hilde Myhren", "Helsedirektoratet", "leiar", "Grethe Foss")
    [c] = parse_row(("Gunnar Houge", "leder av fagnettverk i Helse Vest"), ())
    assert (c.role, c.region) == ("leder av fagnettverk i Helse Vest", "Helse Vest")
    [d] = parse_row(("Rita Halvorsen", "Kreftforeningen"), ("Namn", "Organisasjon"))
    assert d.organisation == "Kreftforeningen"


def test_prose_list_with_roles_and_common_origin():
    sentence = (
        "Nasjonalt kompetansenettverk innen persontilpasset medisin etableres med en administrativ "
        "enhet\u00a0(arbeidsgruppe) bestående av tre personer - leder Hege Russnes, Matthias Baaske og "
        "kommunikasjonsrådgiver Berit Lagaard (alle tre fra oslo univeristetssykehus)."
    )
    name, members = parse_prose(sentence)
    assert name == "Administrativ enhet (arbeidsgruppe)"
    assert [(m.name, m.role, m.organisation) for m in members] == [
        ("Hege Russnes", "leder", "oslo univeristetssykehus"),
        ("Matthias Baaske", None, "oslo univeristetssykehus"),
        ("Berit Lagaard", "kommunikasjonsrådgiver", "oslo univeristetssykehus"),
    ]


def test_prose_nynorsk_and_colon():
    name, members = parse_prose("Arbeidsgruppa består av: leiar Kari Nordmann og Ola Nordmann (begge frå Helse Vest).")
    assert name == "Arbeidsgruppa"
    assert [(m.name, m.role, m.organisation) for m in members] == [
        ("Kari Nordmann", "leiar", "Helse Vest"),
        ("Ola Nordmann", None, "Helse Vest"),
    ]


@pytest.mark.parametrize(
    "sentence",
    [
        "Et arbeidsutvalg bestående av arbeidsgruppen pluss en representant fra hver helseregion.",
        "Kompetansenettverkets funksjon og oppgaver samordnes gjennom etablering av en egen koordineringsgruppe "
        "bestående av de fire regionale fagnettverkslederne, representanter for Helsedirektoratet og Direktoratet "
        "for e-Helse, brukerrepresentanter og nettverkets administrative enhet.",
        "Sammen utgjør nasjonal leder, regionale ledere, samt administrativ enhet - arbeidsutvalg",
    ],
)
def test_prose_without_persons_gives_nothing(sentence):
    assert parse_prose(sentence) is None


@pytest.mark.parametrize(
    "item",
    [
        "Referat fra Helsedirektoratets fagråd for PM 18. mai 2021",
        "Agenda for oppstartsmøte 5. desember 2019",
        "skal styrke samarbeidet mellom klinisk og basalmedisinsk forskning",
        "Regionalt fagnettverk Helse Nord",
        "Oslo Cancer Cluster",
        "grethe.foss@helsedir.no",
    ],
)
def test_items_without_persons_give_nothing(item):
    assert parse_item(item) == ()


def test_chair_sentences():
    [c] = chair_claims("Hilde Myhren leier fagrådet.")
    assert (c.name, c.body, c.explicit) == ("Hilde Myhren", "fagrådet", True)
    [c] = chair_claims("NorPreM ledes av Hege Russnes (OUSHF).")
    assert (c.name, c.body, c.organisation) == ("Hege Russnes", "NorPreM", "OUSHF")
    [c] = chair_claims("Fagrådet ledes av divisjonsdirektør Kari Nordmann.")
    assert c.name == "Kari Nordmann"
    [c] = chair_claims("Leiar er Ola Nordmann.")
    assert c.name == "Ola Nordmann"
    [c] = chair_claims("– Vi er i gang, sier prosjektleder Hege Russnes.")
    assert (c.name, c.explicit) == ("Hege Russnes", False)
    assert chair_claims("Helsedirektoratet leier fagrådet.") == []
    assert chair_claims("Prosjektleder persontilpasset medisin i Helsedirektoratet, Grethe S. Foss, opplyser") == []
    assert pronoun_title("Ho er direktør for divisjon for spesialisthelsetjenester.") == (
        "direktør for divisjon for spesialisthelsetjenester"
    )


def test_group_phrase():
    assert group_phrase("Vi har oppretta eit arbeidsutval") == "Arbeidsutval"
    assert group_phrase("Kooridneringsgruppen ") == "Kooridneringsgruppen"


@pytest.mark.parametrize(
    "heading",
    ["Representantar", "Medlemmer", "Samansetning", "Kooridneringsgruppen består av:", "Koordineringsgruppen",
     "Arbeidsutvalget", "Styringsgruppa", "Sekretariat", "Leiar"],
)
def test_member_headings_bokmal_nynorsk_and_typos(heading):
    assert is_member_heading(heading)


@pytest.mark.parametrize("heading", ["Kontakt", "Referater", "Møteinnkallinger", "Bred deltakelse"])
def test_non_member_headings(heading):
    assert not is_member_heading(heading)


def test_regions_and_roles():
    assert canonical_region("Helse Sør Øst") == "Helse Sør-Øst"
    assert canonical_region("HSØ") == "Helse Sør-Øst"
    assert canonical_region("Helse Bergen") is None
    assert find_region("leder av fagnettverk i Helse Midt-Norge") == "Helse Midt-Norge"
    assert is_role("nestleiar") and is_role("kommunikasjonsrådgiver") and not is_role("Kreftforeningen")


@pytest.mark.parametrize(
    "name, expected",
    [
        ("Hans-Johnny Schjelderup-Nilsen", True), ("Ketil F. Widerberg", True), ("Stephen McAdam", True),
        ("Lars Ødegård", True), ("Helse Sør-Øst", False), ("Oslo Cancer Cluster", False),
        ("Direktoratet for e-Helse", False), ("Helsedirektoratet", False), ("Norges forskningsråd", False),
    ],
)
def test_interim_person_detector(name, expected):
    assert looks_like_person_name(name) is expected
    assert PERSON_DETECTOR.is_person(name) is expected


def test_the_model_rules_out_organisations_shaped_like_names():
    for org in ("Vestre Viken", "Unge Funksjonshemmede"):
        assert looks_like_person_name(org) and not PERSON_DETECTOR.is_person(org)
    # Tagged only in part ("F. Widerberg") or partly as a place ("Kvam"): still people.
    for name in ("Ketil F. Widerberg", "Nils-Petter Kvam", "Hilde Myhren"):
        assert PERSON_DETECTOR.is_person(name)
    assert not PERSON_DETECTOR.is_person("Oslo Cancer Cluster")  # the shape rules still apply
    assert PERSON_DETECTOR.version.startswith("norne-")


def test_trailing_role_parenthesis_after_title_and_organisation():
    assert _fields(parse_item("Ola Nordmann, avdelingsdirektør, Helse Bergen (leder)")) == [
        ("Ola Nordmann", "Helse Bergen", "leder", None, None, "avdelingsdirektør"),
    ]
    assert _fields(parse_item("Liv Tveit, Mental Helse Sogn og Fjordane (leiar)")) == [
        ("Liv Tveit", "Mental Helse Sogn og Fjordane", "leiar", None, None, None),
    ]


def test_a_regional_health_authority_is_the_seats_region_as_written_unless_it_employs_the_person():
    # CONVENTIONS.md: the region as on the page ('RHF' and all) when the seat represents it;
    # an RHF named as employer (a job title with it) is the organisation, region null
    assert _fields(parse_item("Per Olav Skjæran, Helse Nord RHF")) == [
        ("Per Olav Skjæran", "Helse Nord RHF", None, "Helse Nord RHF", None, None),
    ]
    assert _fields(parse_item("Per Hansen, spesialrådgiver, Helse Sør-Øst RHF")) == [
        ("Per Hansen", "Helse Sør-Øst RHF", None, None, None, "spesialrådgiver"),
    ]
    assert _fields(parse_item("Guro Haugland (Helse Nord)")) == [("Guro Haugland", None, None, "Helse Nord", None, None)]
    # a bare region after a job title is still the region the seat is for
    assert _fields(parse_item("Marit Solheim Vatne, overlege, Helse Sør-Øst")) == [
        ("Marit Solheim Vatne", None, None, "Helse Sør-Øst", None, "overlege"),
    ]


@pytest.mark.parametrize("item, role", [
    ("Leder: Kari Nordmann, Helse Bergen", "leder"),
    ("Nestleiar: Jon Ø. Aasen, Universitetssjukehuset Nord-Noreg", "nestleiar"),
    ("Vara: Kari Nordmann, Helse Bergen", "varamedlem"),
    ("Medlemmer: Kari Nordmann, Helse Bergen", None),
])
def test_labelled_lines(item, role):
    (member,) = parse_item(item)
    assert (member.name, member.role) == (item.split(": ")[1].split(",")[0], role)


def test_an_organisation_label_names_the_organisation():
    assert _fields(parse_item("Statsforvaltaren i Vestland: Terje Hauge")) == [
        ("Terje Hauge", "Statsforvaltaren i Vestland", None, None, None, None),
    ]


@pytest.mark.parametrize("item", [
    "Kontaktperson: Ole Petter Nygård, seniorrådgiver, telefon 22 22 22 22",
    "Foto: Silje Strand",
    "Av: Kristin Aune, journalist",
    "Tekst og foto: Per Olsen",
    "Sist oppdatert: Kari Nordmann",
])
def test_other_labels_are_no_seat(item):
    assert parse_item(item) == ()


def test_table_rows_by_header():
    header = ("Navn", "Rolle", "Virksomhet")
    assert _fields(parse_row(("Bjørn Erik Strand", "Nestleder", "Helse Vest RHF"), header)) == [
        ("Bjørn Erik Strand", "Helse Vest RHF", "nestleder", "Helse Vest RHF", None, None),
    ]
    assert _fields(parse_row(("Rune Sundset", "leder av fagnettverket i Helse Nord"), ("Namn", "Rolle / organisasjon"))) == [
        ("Rune Sundset", None, "leder av fagnettverket i Helse Nord", "Helse Nord", None, None),
    ]
    assert parse_row(("14. mars 2024", "Bivirkninger"), ("Navn", "Tema")) == ()


def test_seat_sentences():
    member = parse_seat_sentence("Sekretær for gruppen er Nils Berg, rådgiver i Helse Vest RHF.")
    assert _fields([member]) == [("Nils Berg", "Helse Vest RHF", "sekretær", None, None, "rådgiver")]  # employer
    assert parse_seat_sentence("Sekretariatet er lagt til Helsedirektoratet.") is None
    assert parse_seat_sentence("Leder for rådet er Kari Nordmann.") is None  # a chair sentence, read by chairs.py


@pytest.mark.parametrize("name, expected", [
    ("Mari O'Neill", True), ("Anne-Lise van der Berg", True), ("Jon Ø. Aasen", True),
    ("Åse Marie Øien-Li", True), ("Statens Helsetilsyn", False), ("Stavanger Universitetssjukehus", False),
])
def test_names_with_particles_apostrophes_and_organisation_words(name, expected):
    assert looks_like_person_name(name) is expected


def test_chair_sentence_with_particles():
    (claim,) = chair_claims("Nettverket vert leia av Anne-Lise van der Berg.")
    assert claim.name == "Anne-Lise van der Berg"
