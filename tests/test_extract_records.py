"""Record kinds met on the sixth blind set (tests/fixtures/realistic-f): a flattened table with a
personal-deputy column, party short forms with a capital inside, a staff directory filed under
the site's staff, 'Personlig vara:' lines under a member, a seat given by a relative clause and
English academic titles. Each page here is written for the test; none is a fixture's."""

from __future__ import annotations

from extractors import extract


def page(body: str, title: str = "Styret") -> str:
    return f"<html><head><title>{title}</title></head><body><main><h1>{title}</h1>{body}</main></body></html>"


def people(extraction) -> dict[str, tuple]:
    return {m.name: (g.name, m.role, m.party, m.deputy_for) for g in extraction.groups for m in g.members}


def chairs(extraction) -> list[str]:
    return [g.chair for g in extraction.groups if g.chair]


FLAT_TABLE = page(
    "<p>Styret har fire medlemmer med personlige varamedlemmer.</p>"
    "<p>Navn Parti Verv Personlig vara<br>"
    "Gudrun Helle Vatne Ap Styreleder Oddvar Rise Ap<br>"
    "Kasper Lund Moe H Nestleder Sigrun Bakke Holt H<br>"
    "Tone Aasen Rud KrF Styremedlem Jarle Fossum KrF<br>"
    "Eivind Storli - Styremedlem Marte Lien -</p>",
    "Havnestyret",
)


def test_a_flattened_table_with_a_personal_deputy_column_gives_each_row_a_member_and_a_deputy():
    got = people(extract(FLAT_TABLE, "t"))
    members = {n: v for n, v in got.items() if not v[3]}
    deputies = {n: v for n, v in got.items() if v[3]}
    assert set(members) == {"Gudrun Helle Vatne", "Kasper Lund Moe", "Tone Aasen Rud", "Eivind Storli"}
    assert set(deputies) == {"Oddvar Rise", "Sigrun Bakke Holt", "Jarle Fossum", "Marte Lien"}
    assert members["Gudrun Helle Vatne"][1:3] == ("Styreleder", "Ap")
    assert members["Tone Aasen Rud"][2] == "KrF", "a party with a capital inside is the party, not a name's end"
    assert deputies["Jarle Fossum"] == ("Varamedlemmer", "personlig vara", "KrF", "Tone Aasen Rud")
    assert chairs(extract(FLAT_TABLE, "t")) == ["Gudrun Helle Vatne"]


def test_a_party_short_form_with_a_capital_inside_is_no_part_of_the_name():
    html = page("<ul><li>Ragnar Tveit FrP</li><li>Oda Meland KrF</li><li>Sven Aune Sp</li></ul>", "Formannskapet")
    assert set(people(extract(html, "t"))) == {"Ragnar Tveit", "Oda Meland", "Sven Aune"}


STAFF = page(
    "<p>Seksjonen forbereder møtene i kommunestyret og utvalgene.</p>"
    "<p>Leder for seksjonen<br>Gro Synnøve Lie<br>Telefon 48 00 10 01</p>"
    "<p>Utvalgssekretær for formannskapet<br>Yngve Brekke Sand<br>Telefon 48 00 10 02</p>"
    "<p>Arkivleder<br>Hanne Marit Dahle<br>Telefon 48 00 10 03</p>",
    "Politisk sekretariat",
)


def test_a_page_the_site_files_under_its_staff_lists_no_members():
    assert extract(STAFF, "t", url="https://www.eksempel.kommune.no/om-kommunen/ansatte/politisk-sekretariat/").groups == ()
    elsewhere = extract(STAFF, "t", url="https://www.eksempel.kommune.no/politikk/politisk-sekretariat/")
    assert "Gro Synnøve Lie" in people(elsewhere), "the address is the evidence: without it the cards read as a list"


def test_personal_deputy_lines_under_a_member_are_that_members_deputies():
    html = page(
        "<h2>Medlemmer</h2><ul>"
        "<li>Inga Marja Sara, Kautokeino (leder)<br>Personlig vara: Nils Per Gaup, Karasjok</li>"
        "<li>Jon Ante Bals, Tana<br>Personlig vara: Ellen Berit Hætta, Nesseby</li>"
        "<li>Kari Nystad Rise, Røros</li></ul>",
        "Eldrerådet",
    )
    got = people(extract(html, "t"))
    assert got["Nils Per Gaup"] == ("Varamedlemmer", "personlig vara", None, "Inga Marja Sara")
    assert got["Ellen Berit Hætta"][3] == "Jon Ante Bals"
    assert got["Inga Marja Sara"][1] == "leder" and not got["Kari Nystad Rise"][3]


def test_a_relative_clause_gives_the_seat_in_a_sentence_that_lists_the_members():
    html = page(
        "<p>Styret består av Sigve Nordbø Tangen (Ap), som er leiar, Marit Oline Helland (H), "
        "Frode Lie Skaret og Nina Aasheim Vik.</p>",
        "Driftsstyret",
    )
    extraction = extract(html, "t")
    assert people(extraction)["Sigve Nordbø Tangen"][1] == "leiar"
    assert chairs(extraction) == ["Sigve Nordbø Tangen"]


def test_english_academic_titles_before_a_name_are_no_part_of_it():
    html = page(
        "<h2>Members</h2><ul>"
        "<li>Associate Professor Lena Kowalski-Brandt, University of Gdańsk, Poland</li>"
        "<li>Research Professor Tom Eriksen Haug, Havforskningsinstituttet</li>"
        "<li>Professor Ingrid Solheim Berg, Universitetet i Bergen (chair)</li></ul>",
        "Scientific Advisory Board",
    )
    assert set(people(extract(html, "t"))) == {"Lena Kowalski-Brandt", "Tom Eriksen Haug", "Ingrid Solheim Berg"}
