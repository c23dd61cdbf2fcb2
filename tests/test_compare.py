"""Comparing two extractions: the events a user is told about, and the ones they must not be."""

from __future__ import annotations

import json
import re

from extractors.model import Extraction, Group, Member
from outputs.compare import CaptureRef, compare, word_diff
from outputs.events import person_id
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


def test_every_event_says_what_changed_where_and_from_what():
    """One comparison with every kind of event: the whole change event JSON of each."""
    a, b = CaptureRef(1, "2023-01-01T00:00:00Z", "https://x.no/old"), CaptureRef(2, "2024-01-01T00:00:00Z", "https://x.no/new")

    def seat(name, org=None, role=None, region=None):
        return Member(name=name, organisation=org, role=role, region=region, text=f"{org} v/{name}")

    before = Extraction(
        "s", "https://x.no/", "t", published="2019-11-25", updated="2023-01-10",
        mandate=("Fagrådet skal gje råd om persontilpassa medisin.", "Fagrådet skal følgje opp strategien 2017-2021.",
                 "Fagrådet møtest fire gonger i året."),
        groups=(
            Group("Kooridneringsgruppen", "Hege Russnes", (
                seat("Hege Russnes", "OUS", None, "Helse Sør-Øst"), seat("Rune Sundset", "UNN", "medlem", "Helse Nord"),
                seat("Grete Foss", "Helsedirektoratet"), seat("Ingunn Westerheim", "FFO"))),
            Group("Arbeidsutvalg", None, (seat("Berit Lagaard", "OUS"),)),
        ),
    )
    after = Extraction(
        "s", "https://x.no/", "t", published="2019-11-25", updated="2024-05-28",
        mandate=("Fagrådet skal gje råd om persontilpassa medisin.", "Fagrådet skal følgje opp strategien 2023-2030.",
                 "Rådet rapporterer kvart år til departementet."),
        groups=(
            Group("Koordineringsgruppen", "Rune Sundset", (
                seat("Hege Russnes", "UiO", None, "Helse Vest"), seat("Rune Sundset", "UNN", "leiar", "Helse Nord"),
                seat("Grethe Foss", "Helsedirektoratet"), seat("Lilly Ann Elvestad", "FFO"))),
            Group("Referansegruppe", None, (seat("Kari Nordmann", "Kreftforeningen"),)),
        ),
    )
    common = {"source": "s", "from_capture": 1, "to_capture": 2, "at": b.at, "from_at": a.at, "url": b.url, "from_url": a.url,
              "person": None, "person_id": None, "diff": None, "text": None, "from_text": None, "note": None}
    hege_before = {"name": "Hege Russnes", "organisation": "OUS", "role": None, "region": "Helse Sør-Øst"}
    hege_after = {"name": "Hege Russnes", "organisation": "UiO", "role": None, "region": "Helse Vest"}
    rune_before = {"name": "Rune Sundset", "organisation": "UNN", "role": "medlem", "region": "Helse Nord"}
    rune_after = {"name": "Rune Sundset", "organisation": "UNN", "role": "leiar", "region": "Helse Nord"}

    def person(name):
        return {"person": name, "person_id": person_id(name)}

    expected = [
        {"kind": "group_renamed", "group": "Koordineringsgruppen", "before": "Kooridneringsgruppen", "after": "Koordineringsgruppen"},
        {"kind": "chair_changed", "group": "Koordineringsgruppen", "before": "Hege Russnes", "after": "Rune Sundset"},
        {"kind": "name_variant", "group": "Koordineringsgruppen", "person": "Grethe Foss", "person_id": person_id("Grete Foss"),
         "before": {"name": "Grete Foss", "organisation": "Helsedirektoratet", "role": None, "region": None},
         "after": {"name": "Grethe Foss", "organisation": "Helsedirektoratet", "role": None, "region": None},
         "text": "Helsedirektoratet v/Grethe Foss", "from_text": "Helsedirektoratet v/Grete Foss"},
        {"kind": "joined", "group": "Koordineringsgruppen", **person("Lilly Ann Elvestad"), "before": None,
         "after": {"name": "Lilly Ann Elvestad", "organisation": "FFO", "role": None, "region": None}, "text": "FFO v/Lilly Ann Elvestad"},
        {"kind": "organisation_changed", "group": "Koordineringsgruppen", **person("Hege Russnes"), "before": hege_before,
         "after": hege_after, "text": "UiO v/Hege Russnes", "from_text": "OUS v/Hege Russnes"},
        {"kind": "region_changed", "group": "Koordineringsgruppen", **person("Hege Russnes"), "before": hege_before,
         "after": hege_after, "text": "UiO v/Hege Russnes", "from_text": "OUS v/Hege Russnes"},
        {"kind": "role_changed", "group": "Koordineringsgruppen", **person("Rune Sundset"), "before": rune_before,
         "after": rune_after, "text": "UNN v/Rune Sundset", "from_text": "UNN v/Rune Sundset"},
        {"kind": "left", "group": "Kooridneringsgruppen", **person("Ingunn Westerheim"),
         "before": {"name": "Ingunn Westerheim", "organisation": "FFO", "role": None, "region": None}, "after": None,
         "text": "FFO v/Ingunn Westerheim", "from_text": "FFO v/Ingunn Westerheim"},
        {"kind": "group_added", "group": "Referansegruppe", "before": None, "after": "Referansegruppe"},
        {"kind": "joined", "group": "Referansegruppe", **person("Kari Nordmann"), "before": None,
         "after": {"name": "Kari Nordmann", "organisation": "Kreftforeningen", "role": None, "region": None},
         "text": "Kreftforeningen v/Kari Nordmann"},
        {"kind": "group_removed", "group": "Arbeidsutvalg", "before": "Arbeidsutvalg", "after": None},
        {"kind": "left", "group": "Arbeidsutvalg", **person("Berit Lagaard"),
         "before": {"name": "Berit Lagaard", "organisation": "OUS", "role": None, "region": None}, "after": None,
         "text": "OUS v/Berit Lagaard", "from_text": "OUS v/Berit Lagaard"},
        {"kind": "mandate_edited", "group": None, "before": "Fagrådet skal følgje opp strategien 2017-2021.",
         "after": "Fagrådet skal følgje opp strategien 2023-2030.",
         "diff": "Fagrådet skal følgje opp strategien [-2017-2021.-] {+2023-2030.+}"},
        {"kind": "mandate_added", "group": None, "before": None, "after": "Rådet rapporterer kvart år til departementet."},
        {"kind": "mandate_removed", "group": None, "before": "Fagrådet møtest fire gonger i året.", "after": None},
        {"kind": "page_dates_changed", "group": None, "before": {"published": "2019-11-25", "updated": "2023-01-10"},
         "after": {"published": "2019-11-25", "updated": "2024-05-28"}},
    ]
    got = [json.loads(e.to_json()) for e in compare(before, after, a, b)]
    assert got == [{**common, **e} for e in expected]


def test_groups_pair_by_name_then_spelling_then_members():
    one, two = Group("A", None, (m("Kari Nordmann"),)), Group("B", None, (m("Per Hansen"),))
    swapped = Extraction("s", None, "t", groups=(Group("B", None, (m("Ola Berntsen"),)), Group("A", None, (m("Eva Dahl"),))))
    assert sorted(kinds(compare(Extraction("s", None, "t", groups=(one, two)), swapped, A, B))) == [
        ("joined", "Eva Dahl"), ("joined", "Ola Berntsen"), ("left", "Kari Nordmann"), ("left", "Per Hansen")]

    def renamed(old_members, new_members, old="Arbeidsutvalget", new="Styringsgruppa"):
        before = Extraction("s", None, "t", groups=(Group(old, None, tuple(m(n) for n in old_members)),))
        after = Extraction("s", None, "t", groups=(Group(new, None, tuple(m(n) for n in new_members)),))
        return sorted(e.kind for e in compare(before, after, A, B))

    people = ["Kari Nordmann", "Per Hansen", "Ola Berntsen", "Eva Dahl"]
    assert renamed(people, people[:2] + ["Anne Lie", "Bo Ek"]) == ["group_renamed", "joined", "joined", "left", "left"], "half the same"
    assert "group_added" in renamed(people, people[:1] + ["Anne Lie", "Bo Ek", "Siri Moe"]), "a quarter is another group"
    assert "group_added" in renamed([], people), "a group without members is paired by name only"
    assert renamed([], [], "Fagrådet", "Fagradet") == ["group_renamed"], "eight letters, one changed"
    assert renamed([], [], "Koordineringsgruppen", "Kordineringsgrupen") == ["group_renamed"], "two letters"
    assert renamed([], [], "Referansegruppa", "Referansegruppen") == [], "the other written standard is no rename"
    assert "group_added" in renamed([], [], "Fagråd", "Fagrad"), "too short to tell a typo from another name"
    assert "group_added" in renamed([], [], "Referansegruppa", "Referansegrupper nord")


def test_a_new_spelling_with_another_organisation_is_still_the_same_person():
    before = page([m("Grete Foss", "Helsedirektoratet"), m("Grethe Foss", "FHI")])
    after = page([m("Grete S. Foss", "FHI"), m("Grete Foss", "Helsedirektoratet")])
    assert kinds(compare(before, after, A, B)) == [("name_variant", "Grete S. Foss")]
    moved = compare(page([m("Grete Foss", "Helsedirektoratet")]), page([m("Grethe Foss", "FHI")]), A, B)
    assert kinds(moved) == [("name_variant", "Grethe Foss"), ("organisation_changed", "Grethe Foss")]
    appears = compare(page([m("Kari Nordmann")]), page([m("Kari Nordmann", "Kreftforeningen")]), A, B)
    assert kinds(appears) == [("organisation_changed", "Kari Nordmann")]


def test_a_mandate_bullet_half_the_same_is_edited_and_goes_to_its_closest_old_bullet():
    before = page([m("A B")], mandate=["Fagrådet skal gje råd", "Rådet skal ha fire møte i året"])
    after = page([m("A B")], mandate=["Fagrådet skal rapportere årleg", "Rådet skal ha seks møte i året"])
    events = compare(before, after, A, B)
    assert [(e.kind, e.before, e.after) for e in events] == [
        ("mandate_edited", "Fagrådet skal gje råd", "Fagrådet skal rapportere årleg"),
        ("mandate_edited", "Rådet skal ha fire møte i året", "Rådet skal ha seks møte i året"),
    ]


def test_word_diff_of_removed_only_added_only_and_several_words():
    assert word_diff("a b c d", "a c d e f") == "a [-b-] c d {+e f+}"
    assert word_diff("x y z", "x") == "x [-y z-]"
