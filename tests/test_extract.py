"""extract() on the rendered fixtures of the two full pages, in every template."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import EXTRACTOR_VERSION, extract
from extractors.model import Extraction
from extractors.cms import TEMPLATES

PAGES = Path(__file__).parent / "fixtures" / "pages"


def _extract(stem: str, template: str = "standard", **kw) -> Extraction:
    return extract((PAGES / f"{stem}.{template}.html").read_text(encoding="utf-8"), "test", **kw)


def _members(ex: Extraction) -> dict[str, object]:
    return {m.name: m for g in ex.groups for m in g.members}


@pytest.mark.parametrize("template", TEMPLATES)
def test_fagrad_full_page(template):
    ex = _extract("fagrad-pm-2024-full", template, language="nn")
    assert ex.title == "Fagråd for persontilpassa medisin"
    assert ex.language == "nn"
    assert (ex.published, ex.updated) == ("2019-11-25", "2024-05-28")
    assert len(ex.mandate) == 3 and ex.mandate[0].startswith("Fagrådet skal ha ei pådrivarrolle")
    assert all(not b.endswith((" ", "\u00a0")) for b in ex.mandate)
    [group] = ex.groups
    assert group.chair == "Hilde Myhren"
    members = _members(ex)
    assert len(members) == 22
    assert members["Hilde Myhren"].role == "leiar"
    assert members["Grethe Foss"].organisation == "Helsedirektoratet"
    assert members["Gunnar Douzgos Houge"].region == "Helse Vest"
    assert members["Gunnar Douzgos Houge"].organisation == "Dei regionale helseføretaka"
    assert members["Mari Trommald"].organisation == "Kommunesektorens interesseorganisasjon (KS)"
    assert members["Torstein Baade Rø"].affiliation == "NTNU"
    assert members["Torstein Baade Rø"].organisation == "Universitets- og høgskulesektoren"


@pytest.mark.parametrize("template", TEMPLATES)
def test_norprem_full_page(template):
    url = "https://spesialisthelsetjenesten.no/nasjonalt-kompetansenettverk-for-persontilpasset-medisin/om-nettverket"
    ex = _extract("norprem-om-nettverket-full", template, language="nb", url=url)
    assert ex.title == "Om nettverket"
    assert ex.language == "nb"
    assert len(ex.mandate) == 6
    groups = {g.name: g for g in ex.groups}
    admin = groups["Administrativ enhet (arbeidsgruppe)"]
    assert admin.chair == "Hege Russnes"
    assert [(m.name, m.role, m.organisation) for m in admin.members] == [
        ("Hege Russnes", "leder", "oslo univeristetssykehus"),
        ("Matthias Baaske", None, "oslo univeristetssykehus"),
        ("Berit Lagaard", "kommunikasjonsrådgiver", "oslo univeristetssykehus"),
    ]
    coord = groups["Koordineringsgruppen"]
    assert coord.chair is None
    assert len(coord.members) == 10
    by_name = {m.name: m for m in coord.members}
    assert by_name["Grete S. Foss"].organisation == "Helsedirektoratet"
    assert by_name["Rune Sundset"].region == "Helse Nord"
    assert by_name["Matthias Baaske"].role == "prosjektadministrator"
    assert groups["Regionalt fagnettverk Helse Vest"].chair == "Gunnar Houge"
    assert {r.title for r in ex.related} >= {"Regionalt fagnettverk Helse Nord", "Regionalt fagnettverk Helse Sør-Øst"}
    assert all(r.url.startswith("https://spesialisthelsetjenesten.no/") for r in ex.related)


def test_json_is_byte_identical_across_runs():
    html = (PAGES / "fagrad-pm-2024-full.standard.html").read_text(encoding="utf-8")
    first = extract(html, "fagrad-pm").to_json()
    assert extract(html, "fagrad-pm").to_json() == first
    assert Extraction.from_json(first).to_json() == first
    assert EXTRACTOR_VERSION in first
