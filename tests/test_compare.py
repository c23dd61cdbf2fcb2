"""Comparing two extractions: the events a user is told about, and the ones they must not be."""

from __future__ import annotations

import re

from extractors.model import Extraction, Group, Member
from outputs.compare import CaptureRef, compare, word_diff
from outputs.rules import assess
from outputs.report import SourceOutcome, describe, render_report

A = CaptureRef(1, "2023-01-01T00:00:00Z")
B = CaptureRef(2, "2024-01-01T00:00:00Z")


def page(members, chair=None, mandate=("Fagrådet skal gje råd.",), group="Representantar", updated="2024-01-01"):
    return Extraction(
        source="s",
        url="https://x.no/",
        extractor_version="t",
        mandate=tuple(mandate),
        updated=updated,
        groups=(Group(group, chair, tuple(members)),),
    )


def m(name, organisation=None, role=None, region=None):
    return Member(name=name, organisation=organisation, role=role, region=region)


def kinds(events):
    return [(e.kind, e.person) for e in events]


def test_reordering_spacing_and_case_of_names_are_no_change():
    before = page([m("Hege Russnes", "OUS"), m("Rune Sundset", "UNN")])
    after = page([m(" rune  sundset", "UNN"), m("Hege\u00a0Russnes", "OUS")])
    assert compare(before, after, A, B) == []


def test_replaced_member_is_one_left_and_one_joined_with_provenance():
    before = page([m("Grethe Foss", "Helsedirektoratet"), m("Ingunn Westerheim", "FFO")])
    after = page([m("Grethe Foss", "Helsedirektoratet"), m("Lilly Ann Elvestad", "FFO")])
    events = compare(before, after, A, B)
    assert kinds(events) == [("joined", "Lilly Ann Elvestad"), ("left", "Ingunn Westerheim")]
    joined = events[0]
    assert joined.after == {"name": "Lilly Ann Elvestad", "organisation": "FFO", "role": None, "region": None}
    assert (joined.from_capture, joined.to_capture, joined.at) == (1, 2, B.at)
    assert joined.person_id.startswith("p-")


def test_role_organisation_region_and_chair_changes():
    before = page([m("Hege Russnes", "OUS", "medlem", "Helse Sør-Øst")], chair="Olav Slåtta")
    after = page([m("Hege Russnes", "UiO", "leiar", "Helse Vest")], chair="Hege Russnes")
    events = compare(before, after, A, B)
    assert [e.kind for e in events] == ["chair_changed", "role_changed", "organisation_changed", "region_changed"]
    assert (events[0].before, events[0].after) == ("Olav Slåtta", "Hege Russnes")


def test_mandate_bullet_edit_carries_a_word_diff():
    before = page([m("A B")], mandate=["Fagrådet skal følgje opp strategien 2017-2021.", "Gje råd."])
    after = page([m("A B")], mandate=["Fagrådet skal følgje opp strategien 2023-2030.", "Gje råd.", "Heilt nytt punkt om data."])
    events = compare(before, after, A, B)
    assert [e.kind for e in events] == ["mandate_edited", "mandate_added"]
    assert events[0].diff == "Fagrådet skal følgje opp strategien [-2017-2021.-] {+2023-2030.+}"


def test_page_dates_change_is_reported_but_is_not_a_composition_change():
    events = compare(page([m("A B")], updated="2024-01-01"), page([m("A B")], updated="2024-05-28"), A, B)
    assert kinds(events) == [("page_dates_changed", None)]


def test_losing_most_members_at_once_is_suspect_not_everyone_leaving():
    full = page([m(f"Person {i} Etternamn") for i in range(10)])

    def reason(after):
        found = assess(full, after, compare(full, after, A, B))
        return found.reason if found else None

    assert reason(page([])) == "no members found (the previous version had 10)"
    assert reason(page([m("Person 1 Etternamn")])) == "only 1 of 10 members found at once"
    assert reason(page([m(f"Person {i} Etternamn") for i in range(4)])) == "only 4 of 10 members found at once"
    assert reason(page([m(f"Person {i} Etternamn") for i in range(5)])) is None, "losing exactly half is believed"
    assert assess(None, page([]), []) is None


def test_word_diff_marks_removed_and_added_words():
    assert word_diff("a b c", "a x c") == "a [-b-] {+x+} c"


def test_report_escapes_scraped_text():
    evil = page([m("<script>alert(1)</script> [x](http://evil) | y", "ORG")])
    events = compare(page([]), evil, A, B)
    text = describe(events[0])
    assert "<script>" not in text and not re.search(r"(?<!\\)\]\(http", text), "no live Markdown link"
    outcome = SourceOutcome("s", "Body", "https://x.no/", "changed", events, evil, B.at, A.at)
    report = render_report([outcome], "2024-01-01T00:00:00Z")
    assert "<script>" not in report and "\\| y" in report
