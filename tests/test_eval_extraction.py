"""eval-extraction: scores against gold, per fixture and in total, last line fixed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from extractors.evaluate import DEFAULT_GOLD, main

PAGES = Path(__file__).parent / "fixtures" / "pages"


def _gold(tmp_path: Path, stem: str, data: dict) -> Path:
    gold = tmp_path / "gold"
    gold.mkdir(exist_ok=True)
    (gold / f"{stem}.json").write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return gold


def test_perfect_scores_on_a_grouped_gold(tmp_path, capsys):
    gold = _gold(tmp_path, "norprem-om-nettverket-full", {
        "chair": "Hege Russnes",
        "mandate": ["skal styrke samarbeidet mellom klinisk og basalmedisinsk forskning"],
        "groups": [{"body": "Administrativ enhet (arbeidsgruppe)", "chair": "Hege Russnes", "members": [
            {"name": "Hege  Russnes", "organisation": "oslo univeristetssykehus", "role": "leder", "region": None},
        ]}],
    })
    assert main([str(gold), "--pages", str(PAGES)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("members F1=")
    assert "pages=1" in out[-1]
    assert any("extra member 'Matthias Baaske'" in line for line in out)
    assert any("mandate bullet 1" in line for line in out)


def test_flat_gold_misses_and_wrong_fields(tmp_path, capsys):
    gold = _gold(tmp_path, "fagrad-pm-2024-full", {
        "chair": "Hilde Myhren",
        "members": [
            {"name": "Hilde Myhren", "organisation": "Helsedirektoratet", "role": "leiar", "region": None},
            {"name": "Grethe Foss", "organisation": "Abelia", "role": None, "region": None},
            {"name": "Nobody Here", "organisation": None, "role": None, "region": None},
        ],
        "mandate": [],
    })
    main([str(gold), "--pages", str(PAGES)])
    out = capsys.readouterr().out
    assert "missing member 'Nobody Here'" in out
    assert "organisation of 'Grethe Foss'" in out
    last = out.splitlines()[-1]
    assert "F1=1.000" not in last and "fields=1.000" not in last and "mandate=0.000" in last


def test_no_gold_is_an_error(tmp_path, capsys):
    assert main([str(tmp_path)]) == 2
    assert "no gold JSON" in capsys.readouterr().out


@pytest.mark.skipif(not DEFAULT_GOLD.is_dir(), reason="needs ../shared/pages/gold")
def test_shared_gold_scores_perfectly(capsys):
    assert main([]) == 0
    last = capsys.readouterr().out.splitlines()[-1]
    assert last.startswith("members F1=1.000 fields=1.000 mandate=1.000 pages=")


UNSEEN = Path(__file__).parent / "fixtures" / "unseen"


def test_unseen_pages_score_perfectly(capsys):
    """Hand-written pages the rules were not built on: every grammar form, negatives, vara, dl, tables."""
    assert main([str(UNSEEN / "gold"), "--pages", str(UNSEEN)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-1].startswith("members F1=1.000 fields=1.000 mandate=1.000 pages=")
    assert int(out[-1].rsplit("=", 1)[1]) == len(list((UNSEEN / "gold").glob("*.json"))) >= 9


def test_an_extra_chair_only_group_is_a_field_error(tmp_path, capsys):
    gold = _gold(tmp_path, "styringsgruppe", {"groups": [{"body": "Nobody", "chair": None, "members": []}]})
    (tmp_path / "pages").mkdir()
    (tmp_path / "pages" / "styringsgruppe.html").write_text(
        "<html><body><main><h1>Rådet</h1><p>Rådet ledes av Kari Nordmann.</p>"
        "<p>Rådet skal gi råd om mye forskjellig til direktoratet.</p></main></body></html>", encoding="utf-8")
    main([str(gold), "--pages", str(tmp_path / "pages")])
    out = capsys.readouterr().out
    assert "extra group" in out and "fields=1.000" not in out.splitlines()[-1]
