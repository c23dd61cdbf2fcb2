"""What kind of page a capture is (`extractors.page_status`), as the extraction JSON reports it:
empty, an error or maintenance template, too deep to parse, or an ordinary page, even one
whose body has "vedlikehold" or "maintenance" in its name."""

from __future__ import annotations

import json

from extractors import extract
from extractors.cms import Block, PageDoc, render
from extractors.page_status import page_status

MEMBERS = Block("list", items=("Helsedirektoratet v/Hilde Myhren (leiar)", "Abelia v/Stephen McAdam", "Datatilsynet v/Susanne Lie"))


def body(title: str, *blocks: Block) -> str:
    return render(PageDoc(url="https://www.example.no/rad", title=title, blocks=blocks))


def test_an_ordinary_page_is_ok_and_its_text_is_what_a_reader_sees():
    found = extract(body("Fagråd", Block("heading", text="Representantar"), MEMBERS), "s")
    assert (found.page_status, found.page_status_reason) == ("ok", None)
    assert "Abelia v/Stephen McAdam" in found.page_text
    assert "Godta alle" not in found.page_text and "Hovedmeny" not in found.page_text, "no cookie banner, no navigation"
    data = json.loads(found.to_json())
    assert (data["page_status"], data["page_status_reason"]) == ("ok", None) and data["page_text"] == found.page_text


def test_bodies_named_for_maintenance_are_ordinary_pages():
    for title in ("Fagråd for drift og vedlikehold", "Maintenance and operations council", "Not Foundation board"):
        found = extract(body(title, Block("heading", text="Medlemmer"), MEMBERS), "s")
        assert found.page_status == "ok", title
    prose = page_status(body("Fagråd", Block("para", text="Siden er under vedlikehold i natt.")), "Fagråd", 0)
    assert prose.status == "ok", "body text does not make an error page"


def test_error_and_maintenance_templates():
    for title in ("Vi utfører vedlikehold", "Siden finnes ikke", "404 Not Found", "Sida finst ikkje", "Noe gikk galt",
                  "503 Service Unavailable", "Error 500", "Under maintenance", "Midlertidig utilgjengelig"):
        found = page_status(body(title, Block("para", text="Prøv igjen seinare.")), title, 0)
        assert found.status == "error", title
        assert found.reason == f"looks like an error or maintenance page ({title!r})" and found.text
    heading_only = "<html><head><title>Helsedirektoratet</title></head><body><h1>Fant ikke siden</h1><p>Søk på nytt.</p></body></html>"
    assert page_status(heading_only, "Helsedirektoratet", 0).status == "error"


def test_an_error_phrase_on_a_page_that_lists_members_is_no_error_page():
    assert page_status(body("Siden finnes ikke", MEMBERS), "Siden finnes ikke", 3).status == "ok"


def test_an_empty_page():
    for html, reason in (("", "the page is empty"), ("   \n", "the page is empty"),
                         ("<html><body><script>var x = 1;</script></body></html>", "the page has no text")):
        found = extract(html, "s")
        assert (found.page_status, found.page_status_reason, found.page_text) == ("empty", reason, "")


def test_a_page_nested_too_deep_for_the_parser_is_truncated_and_its_text_still_read():
    nested = "<html><body><article>" + "<div>" * 300 + "<p>Helsedirektoratet v/Hilde Myhren</p>" + "</div>" * 300 + "</article></body></html>"
    found = extract(nested, "s")
    assert (found.page_status, found.page_status_reason) == ("truncated", "the page is nested too deep for the HTML parser to read all of it")
    assert "Hilde Myhren" in found.page_text
    shallow = nested.replace("<div>" * 300, "<div>" * 20).replace("</div>" * 300, "</div>" * 20)
    assert page_status(shallow, None, 0).status == "ok"


def test_page_text_is_only_what_a_reader_sees():
    page = "<html><head><title>Rådet</title></head><body><!-- Ola Nordmann (gått ut) --><?php echo 1 ?><p>Kari Nordmann</p></body></html>"
    assert page_status(page, "Rådet", 1).text == "Kari Nordmann", "a name in a comment is not on the page"


def test_page_text_drops_invisible_characters():
    found = page_status("<p>Hil\u00adde\u200b My\x07hren</p>", None, 1)
    assert found.text == "Hilde Myhren"
