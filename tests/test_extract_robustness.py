"""Markup the templates do not produce: div soup, odd spaces, glued links, news chrome."""

from __future__ import annotations

from extractors import extract

BASE = "https://example.no/rad/fagrad"


def _page(article: str, chrome: str = "") -> str:
    return (
        "<html lang='no'><head><title>Fagråd | Example</title></head><body>"
        "<div class='cookie-banner'>Vi bruker informasjonskapsler. Kontakt Kari Nordmann om personvern.</div>"
        f"{chrome}<div id='content'><div class='body'>{article}</div></div>"
        "<div class='footer-area'>Sist endret 03.02.2023 · Publisert 1. mars 2020</div></body></html>"
    )


def test_div_soup_with_bold_heading_dashes_and_odd_spaces():
    article = (
        "<div><b>Fagråd for sjeldne saker</b></div>"
        "<div>Fagrådet skal gi råd om sjeldne saker og bidra til samordning på tvers av helseregionane. "
        "Rådet møtest fire gonger i året og rapporterer til direktoratet.</div>"
        "<div><strong>Mandat</strong></div>"
        "<div>– gi råd til direktoratet\u00a0\u00a0<br>– bidra til samordning\u202f<br>– følgje med på forsking </div>"
        "<div><strong>Medlemar</strong></div>"
        "<div>– Kari\u00a0Nordmann (leiar), Helse Vest<br>"
        "– Helse Nord v/ Ola\u202fNordmann (nestleiar) og Per Hansen<br>"
        "– Siri Berg, seniorrådgjevar, Folkehelseinstituttet.</div>"
    )
    ex = extract(_page(article), "t", url=BASE)
    assert ex.mandate == ("gi råd til direktoratet", "bidra til samordning", "følgje med på forsking")
    [group] = ex.groups
    assert group.name == "Medlemar" and group.chair == "Kari Nordmann"
    got = [(m.name, m.organisation, m.role, m.region, m.title) for m in group.members]
    assert got == [
        ("Kari Nordmann", None, "leiar", "Helse Vest", None),
        ("Ola Nordmann", "Helse Nord", "nestleiar", None, None),
        ("Per Hansen", "Helse Nord", None, None, None),
        ("Siri Berg", "Folkehelseinstituttet", None, None, "seniorrådgjevar"),
    ]
    assert (ex.published, ex.updated) == ("2020-03-01", "2023-02-03")


def test_glued_link_titles_give_separate_related_links():
    article = (
        "<h1>Om nettverket</h1><p>Nettverket har fire regionale fagnettverk, eitt i kvar helseregion, "
        "som samarbeider tett med kvarandre og med den nasjonale eininga.</p>"
        "<h2>Regionale fagnettverk</h2><p><a href='helse-nord'>Regionalt fagnettverk Helse Nord</a>"
        "<a href='/x/helse-vest'>Regionalt fagnettverk Helse Vest</a></p>"
        "<p><a href='referat.pdf'>Referat fra fagnettverket 18. mai 2021</a> <a href='mailto:a@b.no'>Fagnettverket</a></p>"
    )
    ex = extract(_page(article), "t", url="https://example.no/nett/om")
    assert [(r.title, r.url) for r in ex.related] == [
        ("Regionalt fagnettverk Helse Nord", "https://example.no/nett/helse-nord"),
        ("Regionalt fagnettverk Helse Vest", "https://example.no/x/helse-vest"),
    ]
    assert ex.groups == ()


def test_news_article_names_no_members():
    article = (
        "<h1>Nytt fagråd er på plass</h1><p class='byline'>Av Kari Nordmann, journalist</p>"
        "<p>Helsedirektoratet har oppretta eit nytt fagråd med 13 medlemer frå heile landet. "
        "Rådet skal gi råd om persontilpassa medisin i åra som kjem.</p>"
        "<p>– Dette er eit viktig steg, seier fagdirektør Ola Nordmann i Helse Vest.</p>"
        "<h2>Medlemmer</h2><p>Medlemene kjem frå dei regionale helseføretaka, pasientorganisasjonane "
        "og forskingsmiljøa. Lista blir publisert seinare.</p>"
        "<figure><img src='x.jpg' alt='Per Hansen'><figcaption>Foto: Per Hansen</figcaption></figure>"
        "<h2>Kontakt</h2><p>Siri Berg<br>siri.berg@example.no<br>Telefon 22 00 00 00</p>"
    )
    ex = extract(_page(article), "t", url=BASE)
    assert all(not g.members for g in ex.groups)
    assert all(g.chair is None for g in ex.groups)


def test_member_table_without_header_and_lead_in_heading_typo():
    article = (
        "<h1>Koordineringsgruppa</h1><p>Gruppa samordnar arbeidet i nettverket og møtest kvar månad "
        "for å følgje opp tiltaka i strategien.</p>"
        "<p>Kooridneringsgruppa består av:</p><table><tr><td>Kari Nordmann</td><td>leiar</td></tr>"
        "<tr><td>Ola Nordmann</td><td>Helse Sør-Øst</td></tr><tr><td>Per Hansen</td><td>Kreftforeningen</td></tr></table>"
    )
    ex = extract(_page(article), "t", url=BASE)
    [group] = ex.groups
    assert group.name == "Koordineringsgruppa" and group.chair == "Kari Nordmann"
    assert [(m.name, m.role, m.region, m.organisation) for m in group.members] == [
        ("Kari Nordmann", "leiar", None, None),
        ("Ola Nordmann", None, "Helse Sør-Øst", None),
        ("Per Hansen", None, None, "Kreftforeningen"),
    ]


def test_single_member_paragraph_under_member_heading():
    article = (
        "<h1>Styringsgruppe</h1><p>Styringsgruppa har det overordna ansvaret for prosjektet og "
        "godkjenner planar og budsjett.</p><h2>Leiar</h2><p>Kari Nordmann (Helse Vest)</p>"
    )
    ex = extract(_page(article), "t", url=BASE)
    [group] = ex.groups
    assert [(m.name, m.region) for m in group.members] == [("Kari Nordmann", "Helse Vest")]


def test_empty_and_broken_html():
    assert extract("", "t").groups == ()
    assert extract("<html><body><p>Berre tekst</p>", "t").mandate == ()


def test_tiny_page_with_xml_declaration():
    html = (
        '<?xml version="1.0" encoding="utf-8"?><html><body><h1>T</h1><h2>Medlemmer</h2>'
        "<ul><li>Kari Nordmann (leiar)</li></ul></body></html>"
    )
    [group] = extract(html, "t").groups
    assert (group.name, group.chair, [m.name for m in group.members]) == ("Medlemmer", "Kari Nordmann", ["Kari Nordmann"])


def test_article_header_ingress_and_related_component_are_content():
    html = (
        "<html><body><header class='site'><nav><a href='/'>Forside</a></nav></header>"
        "<main><article><header class='hero-banner'><h1>Fagråd for sjeldne saker</h1>"
        "<p class='ingress'>Fagrådet gir råd om sjeldne saker. Kari Nordmann leier fagrådet.</p></header>"
        "<h2>Medlemer</h2><ul><li>Helse Vest v/Kari Nordmann (leiar) og Ola Nordmann</li>"
        "<li>Kreftforeningen v/Per Hansen</li></ul>"
        "<div class='related-links'><h2>Arbeidsgrupper</h2><ul>"
        "<li><a href='/ag1'>Arbeidsgruppe for diagnostikk</a></li></ul></div>"
        "</article></main></body></html>"
    )
    ex = extract(html, "t", url="https://example.no/fagrad/")
    assert ex.title == "Fagråd for sjeldne saker"
    [group] = ex.groups
    assert group.chair == "Kari Nordmann" and len(group.members) == 3
    assert [(r.title, r.url) for r in ex.related] == [("Arbeidsgruppe for diagnostikk", "https://example.no/ag1")]
