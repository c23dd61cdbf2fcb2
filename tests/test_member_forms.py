"""Each kind of record the extractor reads, on invented people and bodies (never a page's own).

One test per rule, so a broken rule fails here by name: the line grammar (members.py and
fields.py), runs of records and their gating (groups.py), prose (prose.py, chairs.py).
"""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.members import parse_flat_row, parse_item, parse_row
from extractors.names import find_names, unglue
from extractors.prose import enumeration, seats_in


def _one(text: str, **expected):
    (member,) = parse_item(text)
    for key, value in expected.items():
        assert getattr(member, key) == value, (key, getattr(member, key), value)
    return member


# ------------------------------------------------------------------------------ one line


@pytest.mark.parametrize("text, expected", [
    ("Ordfører Siri Holmvik (Sp), Vågå kommune",
     dict(name="Siri Holmvik", title="Ordfører", party="Sp", organisation="Vågå kommune")),
    ("Overlege Trond Aaslid (leder), Sykehuset Telemark",
     dict(name="Trond Aaslid", role="leder", organisation="Sykehuset Telemark")),
    ("Ansattrepresentant Hege Brekkan (sykepleier, Levanger)",
     dict(name="Hege Brekkan", role="Ansattrepresentant", title="sykepleier")),
    ("Marte Solbakk – Norsk Revmatikerforbund (fylkeslag)",
     dict(name="Marte Solbakk", organisation="Norsk Revmatikerforbund (fylkeslag)")),
    ("Knut Frøland, sentralstyret – leder for utvalget", dict(name="Knut Frøland", role="leder for utvalget")),
    ("Eirik Vatne, Leder NKF", dict(name="Eirik Vatne", organisation="NKF")),
    ("Liv Haugsand, Helse Midt-Norge, leder fra 01.01.2025-31.12.2026",
     dict(region="Helse Midt-Norge", role="leder fra 01.01.2025-31.12.2026")),
    ("Arnt Lysne, eierdirektør i Helse Vest", dict(organisation="Helse Vest", title="eierdirektør", region=None)),
    ("Ingrid Nes, logoped Statped Vest (2018)", dict(title="logoped", organisation="Statped Vest")),
    ("Bente Ødegaard, tillitsvalgtrepresentant NSF", dict(organisation="NSF")),
    ("Synne Kvam, tillitsvalgrepresentant YLF", dict(role="tillitsvalgrepresentant", organisation="YLF")),
    ("Tor Egil Sande (gjenvalgt)", dict(status="gjenvalgt")),
    ("Ola Brenden, Lillehammer", dict(place="Lillehammer", organisation=None)),
    ("Randi Moe, Statens helsetilsyn, Oslo", dict(organisation="Statens helsetilsyn", place="Oslo")),
    ("Per Kåre Lund, Nasjonal tjeneste, SKDE", dict(organisation="Nasjonal tjeneste, SKDE")),
    ("Hilde Vik (Ap), leder", dict(party="Ap", role="leder")),
    ("Jonas Rud, KrF", dict(party="KrF")),
    ("Karin J.B. Holm", dict(name="Karin J.B. Holm")),
    ("1. Aslak Moen (H)", dict(name="Aslak Moen", party="H")),
    ("Silje Fosse\nLHL Agder. Foreslått av FFO.", dict(organisation="LHL Agder", proposed_by="FFO")),
])
def test_a_member_line(text, expected):
    _one(text.replace("\n", " – "), **expected)


def test_a_semicolon_list_puts_the_description_before_the_name():
    members = parse_item("professor ved Universitetet i Agder, Eva Strand; forsker Ole Moe, NIBIO og "
                         "rådmann i Os kommune, Kari Lid")
    assert [(m.name, m.organisation, m.title) for m in members] == [
        ("Eva Strand", "Universitetet i Agder", "professor"),
        ("Ole Moe", "NIBIO", "forsker"),
        ("Kari Lid", "Os kommune", "rådmann"),
    ]


def test_labels_give_role_organisation_or_nothing():
    assert parse_item("Nestleder: Gunn Aarvik")[0].role == "nestleder"
    assert parse_item("Personlig varamedlem: Arne Skog")[0].role == "varamedlem"
    assert parse_item("Varafolk Hordaland: Arne Skog")[0].organisation == "Varafolk Hordaland"
    assert parse_item("Medlem: Turid Haug")[0].role is None
    assert parse_item("Kontaktperson: Turid Haug, rådgiver") == ()
    assert parse_item("Foto: Turid Haug") == ()


def test_glued_items_are_split_but_names_with_inner_capitals_are_not():
    assert unglue("Eli Berg, leiarOla Nes (Sp)Kari Li") == ["Eli Berg, leiar", "Ola Nes (Sp)", "Kari Li"]
    assert unglue("Stephen McAdam") == ["Stephen McAdam"]
    assert [m.role for m in parse_item("Eli Berg, leiarOla Nes, nestleiar")] == ["leiar", "nestleiar"]


def test_a_later_comma_piece_is_another_person_only_with_a_first_name():
    assert [m.name for m in parse_item("Ordfører Lars Bø (Ap), Nordre Land")] == ["Lars Bø"]
    assert [m.name for m in parse_item("Sekretariat: Lars Bø og Kari Li, Sykehusbygg")] == ["Lars Bø", "Kari Li"]


def test_a_shared_organisation_after_two_names_joined_by_og():
    members = parse_item("Sekretariat: Lars Bø og Kari Li, Sykehusbygg")
    assert [m.organisation for m in members] == ["Sykehusbygg", "Sykehusbygg"]
    assert {m.role for m in members} == {"sekretariat"}


def test_a_person_in_parentheses_is_the_personal_deputy():
    main, deputy = parse_item("Solveig Hatlen (Arvid Helland)")
    assert (main.name, deputy.name, deputy.role, deputy.deputy_for) == (
        "Solveig Hatlen", "Arvid Helland", "varamedlem", "Solveig Hatlen")
    assert len(parse_item("Solveig Hatlen (Sjeldne Diagnoser)")) == 1


def test_a_lone_first_name_with_a_stray_comma_before_an_initial_is_one_name():
    assert [s.name for s in find_names("Brit, K. Amdal")] == ["Brit, K. Amdal"]


def test_common_words_with_no_first_name_are_no_person():
    assert find_names("Navn Parti Funksjon") == ()
    assert find_names("Av Trude Hauge, journalist")[0].name == "Trude Hauge"


def test_table_rows_with_a_deputy_column():
    main, deputy = parse_row(("Ane Kvist", "Ap", "Geir Moen (H)"), ("Medlem", "Parti", "Varamedlem"))
    assert (main.party, deputy.name, deputy.deputy_for, deputy.party) == ("Ap", "Geir Moen", "Ane Kvist", "H")


def test_flattened_table_rows():
    (member,) = parse_flat_row("Arne Lie SV Nestleder", ["name", "party", "role"])
    assert (member.name, member.party, member.role) == ("Arne Lie", "SV", "Nestleder")
    (member,) = parse_flat_row("Unni Bakke H Medlem", ["name", "party", "role"])
    assert (member.role, member.label) == (None, "Medlem")
    main, deputy = parse_flat_row("Olav Tangen (leiar) Siri Nyhus", ["name", "deputy"])
    assert (main.role, deputy.name, deputy.deputy_for) == ("leiar", "Siri Nyhus", "Olav Tangen")
    main, deputy = parse_flat_row("Kjellaug Bævre Torunn Eide", ["name", "deputy"])
    assert (main.name, deputy.name) == ("Kjellaug Bævre", "Torunn Eide")


# ------------------------------------------------------------------------------ prose


def test_enumerations():
    found = enumeration("Resten av styret består av Arne Bø (gjenvalgt), Kari Li, Hamar, Per Ek, "
                        "Statens vegvesen, Oslo og Liv Ask, Røros.")
    assert found.group == "Styret"
    assert [(m.name, m.status, m.place, m.organisation) for m in found.members] == [
        ("Arne Bø", "gjenvalgt", None, None), ("Kari Li", None, "Hamar", None),
        ("Per Ek", None, "Oslo", "Statens vegvesen"), ("Liv Ask", None, "Røros", None)]
    after = enumeration("Mona Sæle, Ivar Lund og Ragnhild Bru er ansatterepresentanter.")
    assert after.role == "ansatterepresentant" and len(after.members) == 3
    new = enumeration("Eli Hope og Trygve Aas er nye styremedlemmer, opplyste departementet.")
    assert [m.status for m in new.members] == ["ny", "ny"]
    party = enumeration("Komiteen, medlemene frå Høgre, Aud Lie og Per Dal, frå Raudt, Siv Ek, "
                        "og frå Venstre, leiaren Ola Fet, viser til saka.")
    assert [(m.name, m.party, m.role) for m in party.members] == [
        ("Aud Lie", "Høgre", None), ("Per Dal", "Høgre", None), ("Siv Ek", "Raudt", None), ("Ola Fet", "Venstre", "leiar")]


@pytest.mark.parametrize("sentence", [
    "De foreslåtte kandidatene er: Aud Lie, Per Dal og Siv Ek.",
    "Søkerne er Aud Lie, Per Dal og Siv Ek.",
    "Fra venstre: Aud Lie, Per Dal og Siv Ek.",
])
def test_sentences_about_non_members_enumerate_nobody(sentence):
    assert enumeration(sentence) is None


def test_seat_sentences():
    assert [(m.name, m.role) for m in seats_in("Gro Eide fortsetter som styreleder og Ivar Berg som nestleder.")] == [
        ("Gro Eide", "styreleder"), ("Ivar Berg", "nestleder")]
    assert [(m.name, m.role) for m in seats_in("Gro Eide og Ivar Berg er oppnevnt til henholdsvis leder og nestleder.")] == [
        ("Gro Eide", "leder"), ("Ivar Berg", "nestleder")]
    assert [m.name for m in seats_in("Aud Lie, Per Dal og Siv Ek fortsetter i styret.")] == ["Aud Lie", "Per Dal", "Siv Ek"]
    seat, deputy = seats_in("Lise Aas (Sp) held fram som den politiske representanten, med Odd Ry (H) som personleg vara.")
    assert (seat.party, deputy.name, deputy.deputy_for) == ("Sp", "Odd Ry", "Lise Aas")
    assert seats_in("Per Dal får ikke fortsette i styret.") == []


# ------------------------------------------------------------------------------ whole pages


def _page(body: str, title: str = "Rådet for eldre") -> str:
    return (f"<html><head><title>{title}</title></head><body><main><article><h1>{title}</h1>"
            f"{body}</article></main></body></html>")


def _members(html: str) -> dict:
    return {m.name: m for g in extract(html, "t").groups for m in g.members}


def test_paragraph_records_on_a_page_about_a_body_need_no_heading():
    html = _page("<p>Rådet gir råd.</p><p>Eva Lund, Helse Vest, leder</p><p>Tor Ask, Helse Nord</p>"
                 "<p>Liv Moe, Helse Sør-Øst</p>", title="Regional arbeidsgruppe")
    found = extract(html, "t")
    assert [m.name for g in found.groups for m in g.members] == ["Eva Lund", "Tor Ask", "Liv Moe"]
    assert found.groups[0].chair == "Eva Lund"


def test_contact_cards_with_seats_are_members_and_a_byline_is_not():
    cards = "".join(f"<p>{n}<br>e-post</p>" for n in ("Åse Vik, leder", "Pål Hole, nestleder", "Rut Dale", "Jon Bakke"))
    html = _page(f"<p>Bjørg Li<br>Publisert 01.02.2024</p><p>Utvalget møtes fire ganger.</p>{cards}",
                 title="Brukerutvalget 2024")
    assert list(_members(html)) == ["Åse Vik", "Pål Hole", "Rut Dale", "Jon Bakke"]


def test_labels_inside_a_run_seat_the_people_under_them():
    html = _page("<h2>Medlemmer</h2><p>Hageland pensjonistlag:</p><p>Medlem: Olga Ruud<br>"
                 "Personlig varamedlem: Kari Mo</p><p>Sandvik sanitetslag:</p><p>Medlem: Berit Nes</p>")
    members = _members(html)
    assert (members["Olga Ruud"].organisation, members["Kari Mo"].organisation, members["Kari Mo"].role) == (
        "Hageland pensjonistlag", "Hageland pensjonistlag", "varamedlem")
    assert members["Berit Nes"].organisation == "Sandvik sanitetslag"


def test_a_leader_line_and_a_list_entry_are_one_member():
    html = _page("<p>Leder: Arne Sand<br>Sekretær: Lise Fjell</p><h2>Medlemmer</h2><ul>"
                 "<li>Arne Sand, H</li><li>Mari Rønning, Ap</li></ul>")
    found = extract(html, "t")
    arne = [m for g in found.groups for m in g.members if m.name == "Arne Sand"]
    assert len(arne) == 1 and (arne[0].role, arne[0].party) == ("leder", "H")
    assert any(g.chair == "Arne Sand" for g in found.groups)


@pytest.mark.parametrize("body", [
    "<p>Disse søkerne er offentlige:</p><ul><li>Eva Lund, direktør ved UiA</li><li>Tor Ask, rådgiver ved NTNU</li></ul>",
    "<p>Molde, 13.02.2025</p><p>Eva Lund<br>revisjonsleder</p><p>Tor Ask<br>revisor</p>",
    "<p>Kontaktpersoner:</p><ul><li>Eva Lund, rådgiver</li><li>Tor Ask, seniorrådgiver</li></ul>",
    "<p>Fra venstre: Eva Lund, Tor Ask og Liv Moe. Foto: Per Ek</p>",
])
def test_no_members_where_the_people_are_applicants_signatories_contacts_or_pictured(body):
    assert _members(_page(body, title="Nyheter")) == {}


def test_a_chair_sentence_adds_the_chair_to_the_listed_body():
    html = _page("<p>Utvalget skal ledes av professor Hanne Ulset, Nord universitet. Øvrige medlemmer er "
                 "forsker Ola Fet, SINTEF og rådmann i Os kommune, Kari Lid.</p>", title="Ekspertutvalget")
    found = extract(html, "t")
    members = {m.name: m for g in found.groups for m in g.members}
    assert set(members) == {"Hanne Ulset", "Ola Fet", "Kari Lid"}
    assert (members["Hanne Ulset"].title, members["Hanne Ulset"].organisation) == ("professor", "Nord universitet")
    assert found.groups[0].chair == "Hanne Ulset"


def test_leading_another_body_chairs_nothing():
    html = _page("<h2>Medlemmer</h2><ul><li>Fylkesmann Ivar Holm, leder av fylkesmennenes arbeidsutvalg</li>"
                 "<li>Tone Ek, leder av Akademikerne kommune</li></ul>", title="Referansegruppe")
    found = extract(html, "t")
    assert [g.chair for g in found.groups] == [None]
    assert found.member_count == 2
