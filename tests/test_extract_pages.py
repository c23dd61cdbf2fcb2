"""Every HTML fixture: negative pages give no members, and JSON is stable run to run."""

from __future__ import annotations

from pathlib import Path

import pytest

from extractors import extract
from extractors.cms import TEMPLATES

PAGES = Path(__file__).parent / "fixtures" / "pages"
ALL = sorted(PAGES.glob("*.html"))
NEGATIVE = (
    "farmatid-fagrad-apotekfarmasi",  # names a project leader and a fagdirektør in news prose
    "ffo-brukermedvirkning",  # organisation-level statement only
    "hdir-fagrad-old-url-2022",  # cut after the 'Medlemmer' heading
    "hdir-strategi-2019-fagrad",  # 'Grethe Foss' is the contact person
    "norprem-na-er-vi-i-gang",  # quotes the project leader; categories, no names
    "norprem-om-nettverket-v2",  # 'ledes av' sentence only
)


def _read(stem: str, template: str) -> str:
    return (PAGES / f"{stem}.{template}.html").read_text(encoding="utf-8")


def test_every_shared_page_has_every_template():
    stems = {p.name.split(".")[0] for p in ALL}
    assert len(stems) >= 8
    for stem in stems:
        assert all((PAGES / f"{stem}.{t}.html").exists() for t in TEMPLATES)


@pytest.mark.parametrize("template", TEMPLATES)
@pytest.mark.parametrize("stem", NEGATIVE)
def test_negative_pages_give_no_members(stem, template):
    ex = extract(_read(stem, template), stem)
    assert [m.name for g in ex.groups for m in g.members] == []


@pytest.mark.parametrize("template", TEMPLATES)
def test_chair_only_pages(template):
    v2 = extract(_read("norprem-om-nettverket-v2", template), "norprem")
    assert [(g.name, g.chair) for g in v2.groups] == [("NorPreM", "Hege Russnes")]
    news = extract(_read("norprem-na-er-vi-i-gang", template), "norprem")
    assert [g.chair for g in news.groups] == ["Hege Russnes"]
    for stem in ("farmatid-fagrad-apotekfarmasi", "hdir-strategi-2019-fagrad", "ffo-brukermedvirkning"):
        assert extract(_read(stem, template), stem).groups == ()


@pytest.mark.parametrize("template", TEMPLATES)
def test_mandate_of_older_fagrad_pages(template):
    old = extract(_read("hdir-fagrad-old-url-2022", template), "fagrad-pm")
    assert old.mandate == (
        "å sikre samordnet og koordinert oppfølging og implementering av anbefalingene i strategien",
        "å sikre forankring i helsetjenesten",
        "å sikre at vi prioriterer de riktige problemstillingene.",
    )
    strategy = extract(_read("hdir-strategi-2019-fagrad", template), "fagrad-pm")
    assert strategy.mandate[1] == "å sikre forankring i helsetjenesten og"
    assert (strategy.published, strategy.updated) == ("2016-06-01", "2019-06-14")
    assert extract(_read("farmatid-fagrad-apotekfarmasi", template), "x").mandate == ()


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_json_byte_identical_across_runs(path):
    html = path.read_text(encoding="utf-8")
    assert extract(html, "s").to_json() == extract(html, "s").to_json()


def test_language_hint_only_when_page_and_text_do_not_say():
    html = _read("ffo-brukermedvirkning", "redesign")
    assert extract(html, "s", language="nb").language == "nb"
    assert extract(_read("fagrad-pm-2024-full", "redesign"), "s", language="nb").language == "nn"
