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


def test_seats_set_as_bold_headings_under_an_empty_member_heading_are_one_list():
    seats = [("Leder (jurist)", "Tone Kvam Aasen, lagdommer, Frostating lagmannsrett", "Vara: Ole Bakke Rud, advokat, Advokatfirma Vik"),
             ("Medisinsk kyndig", "Stein Are Holm, professor, Universitetet i Bergen (nestleder)", "Vara: Eli Sofie Dahl, overlege, Haukeland"),
             ("Etikkyndig", "Rut Hilde Vangen, førsteamanuensis, VID", "Vara: Pål Arne Grude, prest, Stavanger domkirke")]
    body = "<h2>Komiteens medlemmer</h2>" + "".join(
        f"<p><strong>{seat}</strong></p><p>{member}</p><p>{deputy}</p>" for seat, member, deputy in seats)
    got = people(extract(page(body, "FEK vest A"), "t"))  # a title that names no body
    assert {"Tone Kvam Aasen", "Stein Are Holm", "Rut Hilde Vangen", "Ole Bakke Rud", "Eli Sofie Dahl", "Pål Arne Grude"} <= set(got)
    assert got["Stein Are Holm"][1] == "nestleder"


def test_an_organisation_line_between_two_peoples_lines_is_part_of_a_record_not_a_heading():
    lines = ["Faste medlemmer", "Dekan Solveig Lund Aas (leder)", "Institutt for nordistikk", "Professor Arne Vik Nes",
             "Institutt for arkeologi", "Førsteamanuensis Mia Tangen", "Institutt for filosofi"]
    got = extract(page("".join(f"<p>{line}</p>" for line in lines), "Fakultetsstyret"), "t")
    members = {m.name: m for g in got.groups for m in g.members}
    assert set(members) == {"Solveig Lund Aas", "Arne Vik Nes", "Mia Tangen"}
    assert members["Arne Vik Nes"].organisation == "Institutt for arkeologi"


def test_a_table_copied_with_every_cell_on_its_own_line_is_read_by_its_header():
    cells = ["Namn", "Representerer", "Arbeidsstad",
             "Torleif Haga Vik", "Helse Nord RHF", "Nordlandssykehuset",
             "Randi Aune Fosse", "Brukarrepresentant", "Norsk Revmatikerforbund",
             "Varamedlemer", "Namn", "Representerer", "Arbeidsstad",
             "Kjell Ivar Moen", "Helse Vest RHF", "Helse Førde"]
    html = page("<h2>Samansetjing</h2><ul>" + "".join(f"<li>{c}</li>" for c in cells) + "</ul>", "Fagrådet")
    members = {m.name: m for g in extract(html, "t").groups for m in g.members}
    assert set(members) == {"Torleif Haga Vik", "Randi Aune Fosse", "Kjell Ivar Moen"}
    haga = members["Torleif Haga Vik"]
    assert (haga.organisation, haga.region) == ("Nordlandssykehuset", "Helse Nord RHF"), "the workplace is the organisation"
    assert (members["Randi Aune Fosse"].role, members["Randi Aune Fosse"].organisation) == ("Brukarrepresentant", "Norsk Revmatikerforbund")
    assert members["Kjell Ivar Moen"].role == "varamedlem", "the label over the second table gives its rows their seat"


def test_a_labelled_card_line_is_no_table_header():
    html = page("<h2>Medlemmer</h2>"
                "<p>Oda Lien Berg<br>Leder<br>Representerer: Pårørende<br>e-post</p>"
                "<p>Amund Rye Sæther<br>Medlem<br>Representerer: Ungdom<br>e-post</p>"
                "<p>Selma Nordvik Aas<br>Medlem<br>Representerer: Pasientar<br>e-post</p>", "Ungdomsrådet")
    members = {m.name: m for g in extract(html, "t").groups for m in g.members}
    assert set(members) == {"Oda Lien Berg", "Amund Rye Sæther", "Selma Nordvik Aas"}
    assert members["Oda Lien Berg"].role.lower() == "leder" and members["Selma Nordvik Aas"].organisation == "Pasientar"


def test_cards_written_as_fields_are_read_field_by_field():
    cards = [("Sigrid Leikanger Vold", "Leder", "Norsk Revmatikerforbund"), ("Tarjei Opsahl", "Nestleder", "LHL"),
             ("Hawa Ismail Nur", "Medlem", "Mental Helse Ungdom")]
    html = page("<h2>Medlemmer</h2>" + "".join(
        f"<p>Navn: {n}<br>Verv: {r}<br>Organisasjon: {o}<br>Telefon: 900 00 000</p>" for n, r, o in cards), "Brukerutvalget")
    members = {m.name: m for g in extract(html, "t").groups for m in g.members}
    assert set(members) == {n for n, _, _ in cards}, "the field names are no organisations"
    assert [(members[n].role, members[n].organisation) for n, _, _ in cards] == [
        ("leder", "Norsk Revmatikerforbund"), ("nestleder", "LHL"), (None, "Mental Helse Ungdom")]


def test_labelled_seat_lines_are_no_cards():
    html = page("<h2>Formannskapet</h2><p>Medlem: Oda Rist (Ap)<br>Medlem: Knut Hovda (H)<br>"
                "Vara: Siv Lunde (Ap)<br>Vara: Geir Tofte (H)</p>", "Formannskapet")
    members = {m.name: m for g in extract(html, "t").groups for m in g.members}
    assert set(members) == {"Oda Rist", "Knut Hovda", "Siv Lunde", "Geir Tofte"}


def test_a_news_item_naming_a_new_board_in_sentences():
    html = page(
        "<p>Tora Lindbæk Sand ble gjenvalgt som leder av Fjellbu revmatikerforening på årsmøtet.</p>"
        "<p>Med seg i styret får den nye lederen nestleder Olaf Hegge Rui, fastlege i Fjellbu, og styremedlemmene "
        "Yasmin Dirie Ali (Fjellbu sykehus), Bård Evjen Lie og Sunniva Rød Haug.</p>"
        "<p>Gjenoppnevnt er Kjell Åge Nerland og Vibeke Tufte Roa.</p>"
        "<p>Elles held Tiril Moe Aasland og Endre Fossli fram i styret.</p>"
        "<p>Arve Lunde Bakk fortsetter som kasserer, mens Heidi Rye Sletten går inn som ny sekretær.</p>"
        "<p>Brukarutvalets leiar, Ragna Hole Eide, møter i styret som observatør.</p>",
        "Nytt styre i revmatikerforeningen",
    )
    got = people(extract(html, "t"))
    assert {"Olaf Hegge Rui", "Yasmin Dirie Ali", "Bård Evjen Lie", "Sunniva Rød Haug", "Kjell Åge Nerland",
            "Vibeke Tufte Roa", "Tiril Moe Aasland", "Endre Fossli", "Heidi Rye Sletten", "Ragna Hole Eide"} <= set(got)
    assert got["Olaf Hegge Rui"][1] == "nestleder" and got["Ragna Hole Eide"][1] == "observatør"
    assert got["Heidi Rye Sletten"][1] == "sekretær"


def test_federation_and_staff_seats_are_roles():
    html = page("<h2>Forbundsstyret</h2><ul><li>Mari Sand Aune (president)</li><li>Tom Eik Voll (visepresident)</li>"
                "<li>Gro Lie Dahl (ansattes representant)</li></ul>", "Forbundsstyret")
    got = people(extract(html, "t"))
    assert got["Tom Eik Voll"][1] == "visepresident" and got["Gro Lie Dahl"][1] == "ansattes representant"


def test_a_deputy_column_names_the_deputies_seat_as_the_header_writes_it():
    html = page("<table><tr><th>Verv</th><th>Namn</th><th>Representerer</th><th>Personleg vara</th></tr>"
                "<tr><td>Leiar</td><td>Sigrun Ask Vik</td><td>FFO Fjellbu</td><td>Jon Lia Hole</td></tr>"
                "<tr><td>Medlem</td><td>Idun Rø Sand</td><td>HLF Fjellbu</td><td>Ola Berg Nes</td></tr></table>",
                "Rådet for personar med funksjonsnedsetjing")
    got = people(extract(html, "t"))
    assert got["Jon Lia Hole"][1:] == ("personleg vara", None, "Sigrun Ask Vik")


def test_a_seat_label_with_what_the_seat_asks_for_gives_the_seat():
    html = page("<h2>Komiteens medlemmer</h2><p>Leder (jurist)<br>Vera Lund Moe, lagdommer, Gulating lagmannsrett</p>"
                "<p>Nestleder (lege)<br>Emil Rud Aas, overlege, Haukeland</p>", "Komiteen")
    extraction = extract(html, "t")
    assert people(extraction)["Vera Lund Moe"][1] == "leder" and chairs(extraction) == ["Vera Lund Moe"]


def test_a_secretary_named_with_an_apposition_or_a_workplace_in_the_sentence():
    html = page("<h2>Medlemmer</h2><ul><li>Kari Ås Lid (leiar)</li><li>Per Moen Ulv</li><li>Siri Lo Dal</li></ul>"
                "<p>Rektor ved kulturskulen, Hege Strand Ness, er sekretær for driftsstyret.</p>"
                "<p>Rådgjevar Nils Ante Sara i Sametingets avdeling for helse er sekretær for rådet.</p>", "Driftsstyret")
    got = {m.name: m for g in extract(html, "t").groups for m in g.members}
    assert got["Hege Strand Ness"].role == "sekretær" and got["Hege Strand Ness"].title == "Rektor ved kulturskulen"
    assert (got["Nils Ante Sara"].role, got["Nils Ante Sara"].organisation) == ("sekretær", "Sametingets avdeling for helse")


def test_a_health_region_written_as_the_label_or_as_the_seat_is_the_region():
    html = page("<h2>Medlemmer</h2><ul>"
                "<li>Helse Nord: Ante Nils Somby, overlege, Universitetssykehuset Nord-Norge</li>"
                "<li>Helse Vest: Liv Ravn Aske, fysioterapeut, Haukeland universitetssjukehus</li>"
                "<li>Tor Lunde Eng, overlege, St. Olavs hospital – representant for Helse Midt-Norge</li></ul>",
                "Referansegruppe")
    got = {m.name: m for g in extract(html, "t").groups for m in g.members}
    assert (got["Ante Nils Somby"].region, got["Ante Nils Somby"].organisation) == ("Helse Nord", "Universitetssykehuset Nord-Norge")
    assert got["Liv Ravn Aske"].region == "Helse Vest"
    assert (got["Tor Lunde Eng"].region, got["Tor Lunde Eng"].organisation) == ("Helse Midt-Norge", "St. Olavs hospital")


def test_a_teachers_title_is_no_part_of_the_name():
    html = page("<h2>Medlemmer</h2><ul><li>Lærer Hanne Moe Sund (Fjellbu skole)</li>"
                "<li>Adjunkt Ola Rud Vik (Bakke skole)</li><li>Rektor Siv Lie Aas (Dal skole)</li></ul>", "Ekspertgruppa")
    assert set(people(extract(html, "t"))) == {"Hanne Moe Sund", "Ola Rud Vik", "Siv Lie Aas"}


def test_a_represented_region_beside_a_title_and_workplace_column():
    html = page("<table><tr><th>Namn</th><th>Stilling / arbeidsstad</th><th>Representerer</th></tr>"
                "<tr><td>Eli Moe Fjell</td><td>Overlege, St. Olavs hospital</td><td>Helse Midt-Norge RHF</td></tr>"
                "<tr><td>Aud Lie Ness</td><td>Psykolog, Helse Bergen</td><td>Helse Vest RHF</td></tr></table>", "Fagrådet")
    got = {m.name: m for g in extract(html, "t").groups for m in g.members}
    eli = got["Eli Moe Fjell"]
    assert (eli.organisation, eli.title, eli.region) == ("St. Olavs hospital", "Overlege", "Helse Midt-Norge RHF")


def test_a_table_one_cell_a_paragraph_whose_short_cells_look_like_headings():
    cells = ["Rolle", "Navn", "Representerer", "Personlig varamedlem",
             "Leder", "Sverre Holm Bakke", "Pensjonistforeningen", "Ruth Lie Ask",
             "Nestleder", "Gunn Eide Rud", "Kommunestyret (H)", "Odd Vik Moe",
             "Medlem", "Aslaug Teig Sand", "Kommunestyret (Ap)", "Per Nes Lund"]
    html = page("<h2>Medlemmer og varamedlemmer</h2>" + "".join(f"<p>{c}</p>" for c in cells), "Eldrerådet")
    extraction = extract(html, "t")
    got = people(extraction)
    assert got["Gunn Eide Rud"][1].lower() == "nestleder" and got["Odd Vik Moe"][3] == "Gunn Eide Rud"
    assert chairs(extraction) == ["Sverre Holm Bakke"]


def _list_page(items: list[str]) -> str:
    return f"<html><head><title>Rådet</title></head><body><main><h1>Rådet</h1><h2>Medlemmer</h2><ul>" \
           + "".join(f"<li>{i}</li>" for i in items) + "</ul></main><footer><p>Kontakt oss</p></footer></body></html>"


def test_a_name_the_copy_cut_short_at_the_end_of_the_article_is_no_member():
    assert set(people(extract(_list_page(["Anne Berit Lund", "Tor Inge Vik", "Synnøve Kr"]), "t"))) == {
        "Anne Berit Lund", "Tor Inge Vik"}
    assert "Ola Einar Lid-Sk" not in people(extract(_list_page(["Anne Berit Lund", "Ola Einar Lid-Sk"]), "t"))
    assert "Kari Marie Bø" in people(extract(_list_page(["Anne Berit Lund", "Kari Marie Bø"]), "t")), "a short surname"
    assert "Ola Kr" in people(extract(_list_page(["Ola Kr", "Anne Berit Lund"]), "t")), "not where the article ends"


def test_a_card_field_naming_the_local_branch_is_the_organisation():
    cards = [("Tor Helge Rye", "Fylkesleder", "Mental Helse Fjellbu"), ("Åse Lind Moe", "Nestleder", "Mental Helse Dal")]
    html = page("".join(f"<p>Navn: {n}<br>Verv: {r}<br>Lokallag: {o}</p>" for n, r, o in cards), "Fylkesstyret")
    extraction = extract(html, "t")
    got = {m.name: m for g in extraction.groups for m in g.members}
    assert (got["Tor Helge Rye"].organisation, got["Åse Lind Moe"].role.lower()) == ("Mental Helse Fjellbu", "nestleder")
    assert chairs(extraction) == ["Tor Helge Rye"]


def test_a_student_title_and_a_forum_as_an_employer():
    html = page("<h2>Medlemmer</h2><p>Student Ida Rønning Lie<br>Student Jon Ask Bru<br>"
                "Daglig leder Eva Holt Sand<br>Fjellbu Næringsforum</p>", "Styret")
    assert set(people(extract(html, "t"))) == {"Ida Rønning Lie", "Jon Ask Bru", "Eva Holt Sand"}


def test_a_paragraph_of_list_items_whose_line_breaks_were_lost():
    html = page("<p>Medlemmer fra 1. januar:</p><p>Kari Aspenes Moe (LHL Dal, leder av fylkeslaget)Tore Ring Haug "
                "(Mental Helse Ungdom)Anna Nowak Lie (INLO)Helge Sætre Bu (Pensjonistforbundet Dal)Ida Lund Rakvåg "
                "(Kreftforeningen, leder for brukerpanelet)</p>", "Brukerutvalget")
    got = {m.name: m for g in extract(html, "t").groups for m in g.members}
    assert set(got) == {"Kari Aspenes Moe", "Tore Ring Haug", "Anna Nowak Lie", "Helge Sætre Bu", "Ida Lund Rakvåg"}
    assert got["Anna Nowak Lie"].organisation == "INLO"


def test_owners_seats_with_a_label_over_each_person_after_the_leaders_lines():
    lines = ["Leiar: Trond Veka Holm", "Nestleiar: Siv Lund Ask",
             "Dalby kommune", "Medlem", "Trond Veka Holm", "Personleg vara", "Åse Tonning Rud",
             "Bergvik kommune", "Medlem", "Siv Lund Ask", "Personleg vara", "Jakob Rygg Lie"]
    html = page("<h2>Om selskapet</h2><ul>" + "".join(f"<li>{t}</li>" for t in lines) + "</ul>", "Representantskapet")
    got = {m.name: m for g in extract(html, "t").groups for m in g.members}
    assert (got["Åse Tonning Rud"].deputy_for, got["Åse Tonning Rud"].organisation) == ("Trond Veka Holm", "Dalby kommune")
    assert got["Jakob Rygg Lie"].deputy_for == "Siv Lund Ask" and got["Trond Veka Holm"].role == "leiar"
    assert got["Trond Veka Holm"].organisation != "Om selskapet", "an 'Om …' heading is no organisation"


def test_schools_restaurants_and_tourist_boards_are_no_people():
    html = page("<p>Med seg i styret får han Kari Holm Vik frå Dalby Sparebank, Linh Tran frå Mai Restaurant og "
                "Per Ask Lie frå Fagskulen Dalby.</p><p>Varamedlem er Lise Bø Rud frå Dalby Reiseliv.</p>",
                "Nytt styre i næringsrådet")
    got = {m.name: m for g in extract(html, "t").groups for m in g.members}
    assert {"Mai Restaurant", "Fagskulen Dalby", "Dalby Reiseliv"}.isdisjoint(got)
    assert {"Kari Holm Vik", "Linh Tran", "Per Ask Lie"} <= set(got)


def test_people_under_a_health_regions_heading_represent_that_region():
    html = page("<h2>Medlemmer</h2><h3>Helse Nord</h3><p>Aslak Nango Eira, overlege, UNN</p>"
                "<h3>Helse Midt-Norge</h3><p>Vera Lund Iversen, psykolog, St. Olavs hospital</p>"
                "<h3>Helse Vest</h3><p>Tor Mykle Eide, overlege, Haukeland universitetssjukehus<br>"
                "Lisa Herheim Sand, sykepleier, Helse Førde</p>"
                "<h3>Helse Sør-Øst</h3><p>Ola Brekke Rud, overlege, Sykehuset Innlandet</p>", "Nasjonalt fagråd")
    got = {m.name: m for g in extract(html, "t").groups for m in g.members}
    assert (got["Aslak Nango Eira"].region, got["Vera Lund Iversen"].region) == ("Helse Nord", "Helse Midt-Norge")
    assert got["Ola Brekke Rud"].region == "Helse Sør-Øst"
    assert (got["Tor Mykle Eide"].region, got["Tor Mykle Eide"].organisation) == ("Helse Vest", "Haukeland universitetssjukehus")
