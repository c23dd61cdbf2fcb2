"""Page dates from the DOM: labels in both written standards, nearest the article first."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from extractors import extract

ARTICLE = (
    "<article><h1>Fagråd</h1><p>Fagrådet gir råd om persontilpassa medisin og møtest fire gonger "
    "i året for å følgje opp strategien og tiltaka i han.</p></article>"
)


def _page(inside: str = "", outside: str = "", head: str = "") -> str:
    return (
        f"<html lang='nn'><head>{head}</head><body><main>{ARTICLE.replace('</article>', inside + '</article>')}"
        f"</main>{outside}</body></html>"
    )


@pytest.mark.parametrize(
    "footer, expected",
    [
        ("Først publisert: 25.11.2019 Sist fagleg oppdatert: 28.05.2024", ("2019-11-25", "2024-05-28")),
        ("Først publisert: 01.06.2016 Sist endret: 14.06.2019", ("2016-06-01", "2019-06-14")),
        ("Publisert 1. mars 2020 · Sist oppdatert 3. februar 2023", ("2020-03-01", "2023-02-03")),
        ("Sist faglig oppdatert: 2024-05-28", (None, "2024-05-28")),
    ],
)
def test_labelled_dates(footer, expected):
    ex = extract(_page(outside=f"<div class='page-dates'><p>{footer}</p></div>"), "s")
    assert (ex.published, ex.updated) == expected


def test_article_footer_wins_over_a_teaser_elsewhere():
    teaser = "<aside><p>Nyhende</p><p>Publisert 02.02.2022</p></aside>"
    html = (
        "<html><body>" + teaser + "<main>" + ARTICLE
        + "<p class='dates'>Først publisert: 25.11.2019</p></main></body></html>"
    )
    assert extract(html, "s").published == "2019-11-25"


def test_htmldate_only_as_fallback():
    meta = '<meta property="article:published_time" content="2021-04-06T10:00:00+02:00">'
    assert extract(_page(head=meta), "s").published == "2021-04-06"
    labelled = _page(head=meta, outside="<p>Først publisert: 25.11.2019</p>")
    assert extract(labelled, "s").published == "2019-11-25"
    assert (extract(_page(), "s").published, extract(_page(), "s").updated) == (None, None)


def test_json_identical_across_processes():
    """No hash-order or clock dependence: other interpreters, other hash seeds, same bytes."""
    pages = Path(__file__).parent / "fixtures" / "pages"
    code = (
        "import sys; from extractors import extract\n"
        "for p in sys.argv[1:]: print(extract(open(p, encoding='utf-8').read(), 's').to_json())"
    )
    args = [str(pages / "norprem-om-nettverket-full.table.html"), str(pages / "fagrad-pm-2024-full.redesign.html")]
    root = Path(__file__).resolve().parents[1]
    outs = [
        subprocess.run([sys.executable, "-c", code, *args], capture_output=True, check=True, cwd=root,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    ]
    assert outs[0] == outs[1] and outs[0]
