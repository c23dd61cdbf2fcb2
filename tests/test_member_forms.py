"""Each kind of record the extractor reads, on invented people and bodies (never a page's own).

One test per rule, so a broken rule fails here by name: the line grammar (members.py and
fields.py), runs of records and their gating (groups.py), prose (prose.py, chairs.py).
"""

from __future__ import annotations

import pytest

from extractors import extract
from extractors.cms import TEMPLATES, parse_page_text, render
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


# ------------------------------------------------------------------------------ kinds from the blind sets


def test_surname_first_names_are_kept_as_written():
    assert [m.name for m in parse_item("Ap: Lindvik, Stine; Moldeskog, Geir Magne")] == [
        "Lindvik, Stine", "Moldeskog, Geir Magne"]
    assert parse_item("Ap: Lindvik, Stine")[0].party == "Ap"
    assert [n.name for n in find_names("Kongsvinger, Kari")] == []  # a town, then a first name


def test_a_role_first_flattened_row_splits_name_from_unit():
    kinds = ["role", "name", "organisation"]
    (member,) = parse_flat_row("Nestleder Terje Smørvik Medisinsk klinikk", kinds)
    assert (member.name, member.role, member.organisation) == ("Terje Smørvik", "Nestleder", "Medisinsk klinikk")
    (member,) = parse_flat_row("Verneombud Rita Hoff Hovedverneombudet", kinds)
    assert (member.name, member.role) == ("Rita Hoff", "Verneombud")


def test_deputies_written_inside_the_line():
    main, deputy = parse_item("Oddrun Haug, Nordli reinbeitedistrikt – personleg vara: Nils Tore Sara, Nordli reinbeitedistrikt")
    assert (deputy.name, deputy.role, deputy.deputy_for) == ("Nils Tore Sara", "varamedlem", "Oddrun Haug")
    main, deputy = parse_item("Bodil Rye (SV) (vara: Trond Eik (Ap))")
    assert (main.party, deputy.name, deputy.party) == ("SV", "Trond Eik", "Ap")
    (deputy,) = parse_item("For Bodil Rye: Trond Eik (Ap)")
    assert (deputy.deputy_for, deputy.role) == ("Bodil Rye", "varamedlem")


def test_a_name_before_a_colon_is_the_person_not_a_label():
    (member,) = parse_item("Sunniva Holt: leder (Helse Vest)")
    assert (member.name, member.role, member.region) == ("Sunniva Holt", "leder", "Helse Vest")


def test_elected_lists_in_a_decision():
    found = enumeration("Til hovudutval for kultur vert valt Liv Moe (Sp) som leiar, Ola Dal (Ap) som nestleiar "
                        "og elles Kari Nes (H) og Per Aas (SV).")
    assert [(m.name, m.role, m.party) for m in found.members] == [
        ("Liv Moe", "leiar", "Sp"), ("Ola Dal", "nestleiar", "Ap"), ("Kari Nes", None, "H"), ("Per Aas", None, "SV")]
    deputies = enumeration("Som personlege varamedlemer vert valt Åse Li (Sp) som vara for Liv Moe og Tor Ek (Ap) "
                           "som vara for Ola Dal.")
    assert [(m.name, m.role, m.deputy_for) for m in deputies.members] == [
        ("Åse Li", "varamedlem", "Liv Moe"), ("Tor Ek", "varamedlem", "Ola Dal")]


def test_seats_on_the_line_above_their_people():
    html = _page("<h2>Ungdomsrådet 2025</h2><p>Leder<br>Amina Farah<br>Nestleder<br>Sindre Lie<br>Medlem<br>"
                 "Thea Rønningen<br>Vara<br>Dawit Gebre</p>", title="Ungdomsrådet")
    members = _members(html)
    assert [(n, m.role) for n, m in members.items()] == [
        ("Amina Farah", "leder"), ("Sindre Lie", "nestleder"), ("Thea Rønningen", None), ("Dawit Gebre", "varamedlem")]


def test_a_seat_heading_heads_a_list_of_one_and_beats_a_title_elsewhere():
    html = _page("<h2>Styreleder</h2><p>Rektor Kari Aalbu</p><h2>Observatør fra brukerutvalget</h2>"
                 "<p>Eldbjørg Fagervik, leder av brukerutvalget</p>", title="Styret")
    found = extract(html, "t")
    members = {m.name: m for g in found.groups for m in g.members}
    assert members["Kari Aalbu"].role == "styreleder" and members["Kari Aalbu"].title == "Rektor"
    assert members["Eldbjørg Fagervik"].role == "observatør"
    assert "Kari Aalbu" in {g.chair for g in found.groups}


def test_a_staff_page_and_a_page_about_applications_list_no_members():
    staff = _page("<p>Dagleg leiar<br>Ragnar Hovda<br>Telefon 913 40 221</p><p>Rådgjevar<br>Malin Sande<br>"
                  "Telefon 402 18 779</p>", title="Tilsette")
    assert _members(staff) == {}
    applicants = _page("<p>Det kom inn ni søknader til stillingen.</p><p>Navn Alder Stilling Bosted</p>"
                       "<p>Maren Dahl 29 Konsulent Lundvik<br>Jonas Rafoss 41 Seniorkonsulent Skogvik</p>",
                       title="Rådet for eldre")
    assert _members(applicants) == {}


def test_a_person_leaving_is_no_member():
    html = _page("<h2>Medlemer</h2><p>Kåre Flatmo, Nordbygda – leiar<br>Randi Ølnes, Holmen – trer ut 1. mars 2025"
                 "<br>Tor Saltnes, Elvheim sentrum</p>")
    assert list(_members(html)) == ["Kåre Flatmo", "Tor Saltnes"]


def test_observer_and_secretariat_sentences():
    (observer,) = seats_in("Sametinget deltek med ein observatør, Máret Siri, rådgjevar i Sametinget.")
    assert (observer.name, observer.role, observer.organisation) == ("Máret Siri", "observatør", "Sametinget")
    secretaries = seats_in("Gruppens sekretariat ligger i Utdanningsdirektoratet, ved seniorrådgiverne Petra Lind og Yusuf Demir.")
    assert [(m.name, m.role, m.organisation) for m in secretaries] == [
        ("Petra Lind", "sekretariat", "Utdanningsdirektoratet"), ("Yusuf Demir", "sekretariat", "Utdanningsdirektoratet")]


# ------------------------------------------------------------------------------ kinds from the third blind set

@pytest.mark.parametrize("text, expected", [
    ("Hovedtillitsvalgt Fagforbundet Eskil Haugen", dict(name="Eskil Haugen", title="Hovedtillitsvalgt",
                                                         organisation="Fagforbundet")),
    ("Kommunalsjef helse og omsorg Randi Vestby", dict(name="Randi Vestby", title="Kommunalsjef helse og omsorg")),
    ("Helse- og omsorgssjef Tove Lie (Nesby kommune)", dict(title="Helse- og omsorgssjef", organisation="Nesby kommune")),
    ("Arbeidstakarsida: Hovudtillitsvald Sjukepleiarforbundet Siv Brekke",
     dict(name="Siv Brekke", organisation="Sjukepleiarforbundet")),
    ("Leiar: Jon Dale, advokat, Advokatfirmaet Dale & Lie (eksternt medlem)",
     dict(organisation="Advokatfirmaet Dale & Lie", role="leiar")),
    ("Kasserer: Olav Brekke", dict(role="kasserer")),
])
def test_a_member_line_from_the_third_blind_set(text, expected):
    _one(text, **expected)


def test_a_side_label_gives_no_organisation():
    _one("Arbeidsgiversiden: Rådmann Eirik Sande", name="Eirik Sande", organisation=None, title="Rådmann")


def test_a_health_region_is_the_seats_region_as_written_unless_it_employs_the_person():
    _one("Per Lund, Helse Nord RHF", region="Helse Nord RHF")
    _one("Per Lund, spesialrådgiver, Helse Nord RHF", region=None, organisation="Helse Nord RHF")
    _one("Per Lund, overlege, Helse Nord", region="Helse Nord")


def test_a_side_of_a_joint_committee_is_neither_an_organisation_nor_a_group():
    html = _page("<ul><li>Arbeidsgiversiden</li><li>Rådmann Eirik Sande</li><li>Personalsjef Mona Lid, nestleder</li>"
                 "<li>Arbeidstakersiden</li><li>Hovedverneombud Arne Foss, leder</li>"
                 "<li>Hovedtillitsvalgt Fagforbundet Kari Haug</li></ul>", title="Arbeidsmiljøutvalget")
    found = extract(html, "t")
    assert [len(g.members) for g in found.groups] == [4]
    members = {m.name: m for g in found.groups for m in g.members}
    assert members["Eirik Sande"].organisation is None and members["Kari Haug"].organisation == "Fagforbundet"


def test_a_secretary_line_after_the_deputies_is_in_a_group_of_its_own():
    html = _page("<h2>Medlemmer</h2><ul><li>Eva Lund, leder</li><li>Tor Ask</li></ul><h2>Varamedlemmer</h2>"
                 "<ul><li>Liv Moe</li><li>Sekretær: Rådgiver Pål Dahl</li></ul>")
    found = extract(html, "t")
    groups = {g.name: [m.name for m in g.members] for g in found.groups}
    assert groups["Varamedlemmer"] == ["Liv Moe"] and groups["Sekretær"] == ["Pål Dahl"]


def test_a_personal_deputy_for_a_surname():
    html = _page("<h2>Medlemer</h2><ul><li>Eva Lund Berg, FFO (leiar)</li><li>Tor Ask, SAFO</li></ul>"
                 "<p>Personlege varamedlemer</p><ul><li>for Berg: Liv Moe, FFO</li><li>for Ask: (ikkje oppnemnd)</li></ul>")
    members = _members(html)
    assert members["Liv Moe"].deputy_for == "Eva Lund Berg" and members["Liv Moe"].role == "varamedlem"
    assert len(members) == 3


def test_from_labels_make_sub_groups_or_name_an_organisation():
    html = _page("<h2>Medlemer</h2><p>Frå organisasjonane:</p><ul><li>Eva Lund, FFO</li><li>Tor Ask, SAFO</li></ul>"
                 "<p>Frå fylkestinget:</p><ul><li>Liv Moe (Sp)</li><li>Per Dal (H)</li></ul>"
                 "<p>Fra Kreftforeningen:</p><ul><li>Siv Ek</li></ul>")
    members = _members(html)
    assert members["Liv Moe"].organisation is None and members["Siv Ek"].organisation == "Kreftforeningen"


def test_a_flattened_table_ends_at_a_label_and_reads_a_cell_part_by_part():
    html = _page("<h2>Styret 2024–2028</h2><p>Navn Representerer Periode<br>Eva Lund Berg Dekan (leder) 2024–2028<br>"
                 "Tor Ask Ekstern, Nesby kommune 2024–2028<br>Liv Moe Studenter 2025–2026<br>Varamedlemmer<br>"
                 "Studenter: Per Dal, Siv Ek</p>", title="Fakultetsstyret")
    members = _members(html)
    assert (members["Eva Lund Berg"].role, members["Eva Lund Berg"].title) == ("leder", "Dekan")
    assert members["Tor Ask"].organisation == "Nesby kommune"
    assert members["Per Dal"].role == members["Siv Ek"].role == "varamedlem"


@pytest.mark.parametrize("body, title", [
    ("<p>Nominasjonsmøtet vedtok lista.</p><p>Dei fem første på lista:</p><ul><li>1. Eva Lund, 52, Nesby</li>"
     "<li>2. Tor Ask, 44, Holmen</li><li>3. Liv Moe, 38, Nesby</li></ul>", "Eva Lund toppar lista"),
    ("<p>Dagleg leiar</p><p>Eva Lund<br>Tlf. 476 12 880</p><p>Rådgjevar</p><p>Tor Ask<br>Tlf. 958 40 112<br>"
     "Sekretær for kontrollutvalet i Nesby</p>", "Tilsette"),
])
def test_ballot_lists_and_staff_under_role_headings_name_no_members(body, title):
    assert _members(_page(body, title=title)) == {}


PROGRAMME = """URL: https://www.nesby-sykehus.no/kurs/brukerkonferansen-2025
CUT: no
---
Brukerkonferansen 2025

Velkommen til den årlige konferansen for brukerorganisasjoner og ansatte, i samarbeid med brukerutvalget.

Program

09.30 Registrering
10.00 Velkommen v/ direktør Eva Lund
10.15 Hva er samvalg? Tor Ask, førsteamanuensis, Universitetet i Nesby
11.30 Pasienthistorie – Liv Moe
12.45 Samvalg i kreftbehandlingen. Per Dal, overlege, og Siv Ek, kreftsykepleier
13.30 Panelsamtale ledet av Kari Holm, fagsjef
14.45 Avslutning
"""


@pytest.mark.parametrize("template", TEMPLATES)
def test_an_event_programme_names_no_members(template):
    doc = parse_page_text(PROGRAMME)
    assert extract(render(doc, template), "t", url=doc.url).member_count == 0


def test_staff_listed_after_the_board_are_no_members():
    html = _page("<h2>Fylkesstyret</h2><ul><li>Eva Lund, fylkesleiar</li><li>Tor Ask, nestleiar</li>"
                 "<li>Tilsette på fylkeskontoret</li><li>Kontorleiar Liv Moe, tlf. 57 62 10 40</li></ul>",
                 title="Fylkesstyret")
    found = extract(html, "t")
    assert {m.name for g in found.groups for m in g.members} == {"Eva Lund", "Tor Ask"}
    assert found.groups[0].chair == "Eva Lund"


def test_news_prose_seats():
    seats = {m.name: m for m in seats_in("Eva Lund (H) tar over som styreleder etter Tor Ask (Sp), som ikke ønsket gjenvalg.")}
    assert list(seats) == ["Eva Lund"] and seats["Eva Lund"].role == "styreleder"
    assert [(m.name, m.role) for m in seats_in("Nestleder blir Per Dal (17).")] == [("Per Dal", "nestleder")]
    assert [(m.name, m.role) for m in seats_in("Ny nestleiar vert Siv Ek (Sp).")] == [("Siv Ek", "nestleiar")]
    assert [(m.name, m.role) for m in seats_in("Liv Moe er valgt av de ansatte og fortsetter som ansatterepresentant.")] == [
        ("Liv Moe", "ansatterepresentant")]
    (secretary,) = seats_in("Ungdomskontakt Karin Holm i kommunen er sekretær for rådet.")
    assert (secretary.name, secretary.role, secretary.title) == ("Karin Holm", "sekretær", "Ungdomskontakt")
    host = seats_in("Fra senteret deltar leder Eva Lund og rådgiver Tor Ask, som også er rådets sekretær.")
    assert [(m.name, m.role, m.title) for m in host] == [("Eva Lund", None, "leder"), ("Tor Ask", "sekretær", "rådgiver")]
    assert [m.name for m in seats_in("Generalsekretær Per Dal møter fast i styrets møter, uten stemmerett.")] == ["Per Dal"]


def test_an_elected_chair_in_a_news_story_chairs_the_body_of_the_headline():
    html = _page("<p>Eva (16) skal lede det nye ungdomsrådet</p><p>Eva Lund Berg (16) fra Nesby skole ble torsdag "
                 "valgt til leder av Nesby ungdomsråd. Nestleder blir Tor Ask (17).</p><p>Ungdomsrådet består ellers av "
                 "Liv Moe, Per Dal og Siv Ek.</p>", title="Nesby Tidende")
    found = extract(html, "t")
    assert "Eva Lund Berg" in {g.chair for g in found.groups}
    assert found.member_count == 5


def test_the_last_unfinished_sentence_of_a_cut_copy_loses_its_cut_name():
    html = _page("<p>Styret er valgt.</p><p>Varamedlemmer er Eva Lund (H), Tor Ask (Ap) og Liv Mo</p>", title="Styret")
    assert list(_members(html)) == ["Eva Lund", "Tor Ask"]


def test_a_bold_organisation_under_a_card_is_a_line_of_that_card():
    html = _page("<h2>Medlemmer</h2><p>Eva Lund, leder</p><p><strong>LHL Nesby</strong></p><p>e-post</p>"
                 "<p>Tor Ask</p><p><strong>Mental Helse Nesby</strong></p><p>e-post</p>", title="Brukerutvalget")
    members = _members(html)
    assert (members["Eva Lund"].organisation, members["Tor Ask"].organisation) == ("LHL Nesby", "Mental Helse Nesby")


def test_a_vacancy_line_starts_no_group():
    html = _page("<h2>Varamedlemmer</h2><p>FFO Nesby v/ Eva Lund<br>Mental Helse Nesby: ikke oppnevnt<br>"
                 "Tor Ask (Ap)<br>Liv Moe (H)</p>")
    found = extract(html, "t")
    assert [(g.name, len(g.members)) for g in found.groups] == [("Varamedlemmer", 3)]


# ------------------------------------------------------------------------------ markups: <dl>, typed dashes

def test_a_definition_list_description_reads_like_a_parenthesis():
    html = _page("<h2>Medlemmer</h2><dl><dt>konst. adm. dir./leder</dt><dd>Eva Lund</dd>"
                 "<dt>Konsernhovedverneombud, Helse Nord</dt><dd>Tor Ask</dd>"
                 "<dt>direktoratet for eHelse</dt><dd>Liv Moe</dd>"
                 "<dt>leder av fagnettverk i Helse Vest</dt><dd>Per Dal</dd>"
                 "<dt>Fra Autismeforeningen, Nesby-avdelingen</dt><dd>Siv Ek</dd></dl>", title="Styringsgruppen")
    found = extract(html, "t")
    members = {m.name: m for g in found.groups for m in g.members}
    assert (members["Eva Lund"].role, members["Eva Lund"].title) == ("leder", "konst. adm. dir")
    assert (members["Tor Ask"].title, members["Tor Ask"].organisation) == ("Konsernhovedverneombud", "Helse Nord")
    assert members["Liv Moe"].organisation == "direktoratet for eHelse"
    assert members["Per Dal"].region == "Helse Vest"
    assert members["Siv Ek"].organisation == "Autismeforeningen, Nesby-avdelingen"
    assert [g.chair for g in found.groups] == ["Eva Lund"], "leading another body's network chairs nothing here"


def test_a_name_typed_with_an_en_dash_is_one_name():
    _one("Norsk forening for X v/ Kari Stray–Pedersen", name="Kari Stray–Pedersen", organisation="Norsk forening for X")
    _one("Kari Hansen – leder", name="Kari Hansen", role="leder")


# ------------------------------------------------------------------------------ kinds from the fourth blind set

def test_news_prose_from_the_fourth_blind_set():
    html = _page("<p>Eks-rektor blir ny styreleder i kulturhuset</p><p>Eva Lund Berg (64) skal lede Nesby kulturhus KF de "
                 "neste fire årene.</p><p>Med seg i styret får hun Tor Ask (Sp), som fortsetter som nestleder, samt Liv Moe, "
                 "Per Dal og Siv Ek. Ansattes representant er scenetekniker Kari Holm.</p>", title="Nesby Avis")
    found = extract(html, "t")
    members = {m.name: m for g in found.groups for m in g.members}
    assert set(members) == {"Eva Lund Berg", "Tor Ask", "Liv Moe", "Per Dal", "Siv Ek", "Kari Holm"}
    assert "Eva Lund Berg" in {g.chair for g in found.groups}
    assert members["Tor Ask"].role == "nestleder"
    assert (members["Kari Holm"].role, members["Kari Holm"].title) == ("ansattes representant", "scenetekniker")


def test_leading_another_unlisted_body_adds_no_one():
    html = _page("<h2>Sentralstyret</h2><ul><li>Eva Lund (leder), Nesby</li><li>Tor Ask, Holmen</li></ul>"
                 "<p>Valgkomiteen ledes av Liv Moe. Forslag sendes valgkomiteen.</p>", title="Sentralstyret")
    found = extract(html, "t")
    assert {m.name for g in found.groups for m in g.members} == {"Eva Lund", "Tor Ask"}
    assert [g.chair for g in found.groups] == ["Eva Lund"]
    listed = _page("<p>Ekspertutvalget skal ledes av professor Liv Moe, Nesby universitet. Øvrige medlemmer er Tor Ask og "
                   "Per Dal.</p>", title="Historisk arkiv")
    assert "Liv Moe" in {g.chair for g in extract(listed, "t").groups}


def test_a_work_programme_is_no_event_programme():
    html = _page("<h2>Organisering av programmet</h2><ul><li>Styringsgruppe</li><li>Leder: Eva Lund (Nesby kommune)</li>"
                 "<li>Medlem: Tor Ask (KS)</li><li>Tillitsvalgt: Liv Moe (NTL)</li></ul>", title="Organisering")
    members = _members(html)
    assert set(members) == {"Eva Lund", "Tor Ask", "Liv Moe"} and members["Liv Moe"].role == "tillitsvalgt"


@pytest.mark.parametrize("text, expected", [
    ("Kirkens Bymisjon v/ Hamza Butt", dict(name="Hamza Butt", organisation="Kirkens Bymisjon")),
    ("Live Aasen Seim (15), Nesby skole", dict(name="Live Aasen Seim")),
    ("Chair: Eva Lund, CEO, Nesby AS", dict(role="chair")),
    ("Ansattvalgte styremedlemmer: Tor Ask", dict(role="ansattvalgt styremedlem")),
])
def test_a_member_line_from_the_fourth_blind_set(text, expected):
    _one(text, **expected)


def test_a_company_is_no_person_and_mid_sentence_capitals_are_names():
    assert [n.name for n in find_names("Nesby kommune, Omsorgsteknologi Nord AS, Tryggheim AS")] == []
    assert [n.name for n in find_names("Varamedlemer er Live Aasen Seim og Kasper Flo.")] == ["Live Aasen Seim", "Kasper Flo"]
    assert [n.name for n in find_names("Av Kristin Aune")] == ["Kristin Aune"]


def test_honorary_members_and_former_leaders_are_no_members():
    html = _page("<h2>Tidligere ledere</h2><p>1968–1974  Eva Lund<br>1974–1982  Tor Ask</p><h2>Æresmedlemmer</h2>"
                 "<p>Liv Moe (utnevnt 1990)<br>Per Dal (utnevnt 2012)</p>", title="Historikk")
    assert _members(html) == {}


def test_a_header_row_under_a_one_cell_title_reads_the_table():
    html = _page("<table><thead><tr><th>Varamedlemmer</th></tr></thead><tbody><tr><td>Rolle</td><td>Navn</td>"
                 "<td>Representerer</td></tr><tr><td>1. vara</td><td>Eva Lund</td><td>Nesby pensjonistlag</td></tr>"
                 "<tr><td>Vara</td><td>Tor Ask</td><td>LHL Nesby</td></tr></tbody></table>", title="Eldrerådet")
    members = _members(html)
    assert (members["Eva Lund"].organisation, members["Tor Ask"].organisation) == ("Nesby pensjonistlag", "LHL Nesby")
    assert members["Eva Lund"].role == "1. vara" and members["Tor Ask"].role == "varamedlem"


def test_a_plural_seat_above_several_people_seats_them_all():
    html = _page("<p>Styreleder<br>Eva Lund<br>Nestleder<br>Tor Ask<br>Styremedlemmer<br>Liv Moe<br>Per Dal<br>"
                 "Varamedlemmer<br>Siv Ek (for de eiervalgte)<br>Kari Holm</p><p>Daglig leder Ole Berg er styrets sekretær.</p>",
                 title="Styret")
    members = _members(html)
    assert (members["Eva Lund"].role, members["Tor Ask"].role) == ("styreleder", "nestleder")
    assert members["Liv Moe"].role is None and members["Siv Ek"].role == members["Kari Holm"].role == "varamedlem"
    assert (members["Ole Berg"].role, members["Ole Berg"].title) == ("sekretær", "Daglig leder")


def test_an_unfinished_sentence_moved_up_by_the_layout_still_loses_its_cut_name():
    html = _page("<section><p>Varamedlemmer er Eva Lund, Tor Ask og Frode Tve</p></section>"
                 "<h2>Nytt styre</h2><p>Styret er valgt.</p>", title="Styret")
    assert "Frode Tve" not in _members(html)


# ------------------------------------------------------------------------------ kinds from the fifth blind set

def test_a_flattened_table_splits_the_name_where_the_organisation_begins():
    kinds = ("name", "organisation", "role")
    assert [(m.name, m.organisation) for m in parse_flat_row("Jon Olav Instebø Helse Nesby", kinds)] == [
        ("Jon Olav Instebø", "Helse Nesby")]
    assert [(m.name, m.organisation) for m in parse_flat_row("Tove Bratland Haraldseid Holmvik Diakonale Sykehus", kinds)] == [
        ("Tove Bratland Haraldseid", "Holmvik Diakonale Sykehus")]
    assert [(m.name, m.role) for m in parse_flat_row("Sunniva Aarrestad Helse Nesby leder", kinds)] == [
        ("Sunniva Aarrestad", "leder")]


def test_employee_seats_of_a_board_are_no_staff_list():
    html = _page("<h2>Styrets medlemmer</h2><p>Rektor Eva Lund (styreleder)</p><p>Eksterne medlemmer<br>Tor Ask, direktør, "
                 "Nesby AS<br>Faglig ansatte<br>Professor Liv Moe, Det medisinske fakultet<br>Teknisk og administrativt "
                 "ansatte<br>Seniorkonsulent Per Dal, Studieavdelingen<br>Tilsette på fakultetskontoret<br>"
                 "Rådgiver Siv Ek, tlf. 22 33 44 55</p>", title="Universitetsstyret")
    found = extract(html, "t")
    assert {m.name for g in found.groups for m in g.members} == {"Eva Lund", "Tor Ask", "Liv Moe", "Per Dal"}
    assert "Eva Lund" in {g.chair for g in found.groups}


def test_a_lead_in_naming_a_body_introduces_a_prose_list_with_deputies():
    html = _page("<p>Eldrerådet blir, med personleg vara i parentes:</p><p>Eva Lund (Tor Ask), Liv Moe (Per Dal) og "
                 "Siv Ek (Kari Holm). Frå kommunestyret kjem Ola Berg (Ap), med Ane Vik (Ap) som vara.</p>"
                 "<p>Sekretær for begge råda er konsulent Jon Rud i politisk sekretariat.</p>", title="Nesbybladet")
    members = _members(html)
    assert set(members) == {"Eva Lund", "Tor Ask", "Liv Moe", "Per Dal", "Siv Ek", "Kari Holm", "Ola Berg", "Ane Vik", "Jon Rud"}
    assert members["Tor Ask"].deputy_for == "Eva Lund" and members["Ane Vik"].deputy_for == "Ola Berg"
    assert (members["Jon Rud"].role, members["Jon Rud"].title) == ("sekretær", "konsulent")


def test_a_former_mayor_is_described_not_excluded():
    (found,) = [enumeration("Elles består styret av professor Eva Lund ved Nesby universitet, tidlegare ordførar i Holmen "
                            "Tor Ask (Sp) og Liv Moe, som er dagleg leiar i Nesby Næringsråd.")]
    assert [m.name for m in found.members] == ["Eva Lund", "Tor Ask", "Liv Moe"]
    assert enumeration("Tidligere leder Eva Lund og Tor Ask ble takket.") is None
