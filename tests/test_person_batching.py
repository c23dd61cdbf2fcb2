"""The NER model is asked about a page's candidate names in one batch, not once per name."""

from __future__ import annotations

from pathlib import Path

from extractors import extract
from extractors.persons import PERSON_DETECTOR, ModelPersonDetector

PAGE = Path(__file__).parent / "fixtures" / "pages" / "fagrad-pm-2024-full.standard.html"


def test_one_model_batch_per_page_and_no_single_name_calls(monkeypatch):
    calls = {"single": 0, "batch": 0, "names": 0}
    single, batch = PERSON_DETECTOR.entities, PERSON_DETECTOR.entities_of_each

    def count_single(text):
        calls["single"] += 1
        return single(text)

    def count_batch(texts):
        calls["batch"] += 1
        calls["names"] += len(texts)
        return batch(texts)

    detector = ModelPersonDetector(count_single, PERSON_DETECTOR.version, count_batch)
    monkeypatch.setattr("extractors.persons.PERSON_DETECTOR", detector)
    for module in ("extractors", "extractors.names", "extractors.members", "extractors.chairs", "extractors.groups"):
        monkeypatch.setattr(f"{module}.PERSON_DETECTOR", detector, raising=False)
    from extractors.names import find_names
    from extractors.members import parse_item

    find_names.cache_clear()
    parse_item.cache_clear()
    try:
        extraction = extract(PAGE.read_text(encoding="utf-8"), "fagrad-pm")
    finally:
        find_names.cache_clear()
        parse_item.cache_clear()
    assert extraction.member_count == 22
    # Names opening with a distinct first name need no model; the rest go in one batch.
    assert calls["batch"] == 1 and calls["names"] >= 1
    assert calls["single"] == 0
