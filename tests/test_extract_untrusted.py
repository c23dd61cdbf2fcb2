"""Scraped text is untrusted: no control, bidi-override or noncharacter code point from a
page survives into any field of the extraction, so no later writer has to be the only guard."""

from __future__ import annotations

import json
import re

from extractors import extract

HOSTILE = "\x1b[2J\u202e\x00\x07\x9b\ufffe\u2066"
PAGE = (f"<html><head><title>Brukerrådet{HOSTILE}</title></head><body><main><article>"
        f"<h1>Brukerrådet{HOSTILE}</h1><p>Rådet skal gi råd{HOSTILE} om tilbudet.</p>"
        f"<h2>Medlemmer{HOSTILE}</h2><ul><li>Eva{HOSTILE} Lund, FFO{HOSTILE} (leder)</li>"
        f"<li>Tor Ask, LHL{HOSTILE}</li><li>Liv Moe{HOSTILE}, Mental Helse</li></ul>"
        f"<h2>Mandat</h2><ul><li>gi råd{HOSTILE} til styret</li></ul></article></main></body></html>")
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufdd0-\ufdef\ufffe\uffff]")


def test_no_control_character_from_the_page_reaches_the_extraction():
    found = extract(PAGE, "t")
    assert found.member_count == 3, found
    assert {m.name for g in found.groups for m in g.members} == {"Eva Lund", "Tor Ask", "Liv Moe"}
    text = json.dumps(found.to_dict(), ensure_ascii=False)
    assert not FORBIDDEN.search(text), [hex(ord(c)) for c in FORBIDDEN.findall(text)]
