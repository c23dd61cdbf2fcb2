"""The history rules one capture at a time (`outputs.rules.decide`), on extractions built by hand:
which captures are believed, which confirm a drop, and what the user is told. Each test names
the rule it guards; `make mutate` checks that breaking a rule fails one of them."""

from __future__ import annotations

from extractors.model import Extraction, Group, Member
from outputs.compare import CaptureRef, compare
from outputs.names import name_key, named_count, normalise_name, spelling_key, text_keys
from outputs.reviewed import EMPTY, Apart, PinnedPerson, Reviewed
from outputs.rules import Chain, assess, decide, derive, member_keys, still_named

NAMES = [
    "Hilde Myhren", "Grethe Foss", "Stephen McAdam", "Susanne Lie", "Hege Russnes", "Lars Eikvar",
    "Rune Sundset", "Giske Ursin", "Ina Dahlsveen", "Henrik Vogt",
]


def ref(n: int) -> CaptureRef:
    return CaptureRef(n, f"2024-06-{n:02d}T06:00:00Z", "https://x.no/r")


def page(names=NAMES, text: str | None = None, status: str = "ok", group: str = "Representantar", mandate=("Gje råd.",),
         chair=None, published="2020-01-01", updated="2024-01-01", groups=None) -> Extraction:
    members = tuple(Member(name=n, organisation="Org") for n in names)
    if text is None:
        text = "Representantar " + " ".join(f"Org v/{n}" for n in names) + " " + " ".join(mandate)
    return Extraction(
        source="s", url="https://x.no/r", extractor_version="t", mandate=tuple(mandate), published=published,
        updated=updated, groups=groups if groups is not None else (Group(group, chair, members),),
        page_status=status, page_status_reason=None if status == "ok" else f"reads as {status}", page_text=text,
    )


def run(*extractions, reviewed: Reviewed = EMPTY):
    """The steps of a history of these captures (None: a capture with an error status)."""
    return derive("s", [(ref(i + 1), e) for i, e in enumerate(extractions)], reviewed)


def kinds(step):
    return sorted((e.kind, e.person or e.group) for e in step.events)


FULL = page()


# ------------------------------------------------------------------------------ baselines and fetch outcomes


def test_the_first_readable_capture_is_the_baseline_and_an_error_page_never_is():
    steps = run(page(status="error", names=[], text="Vi utfører vedlikehold"), page(status="empty", names=[], text=""), FULL)
    assert [(s.accepted, s.baseline) for s in steps] == [(False, False), (False, False), (True, True)]
    assert [e.kind for e in steps[0].events] == ["suspect_extraction"]
    assert [e.kind for e in steps[1].events] == ["suspect_extraction"], "another broken page is another doubt"
    assert steps[2].events == []


def test_a_capture_with_an_error_status_says_nothing_and_changes_nothing():
    steps = run(FULL, None, page(NAMES[:3], text="only three"), None, page(NAMES[:3], text="only three"))
    assert [s.accepted for s in steps] == [True, False, False, False, True]
    assert steps[1].events == [] and steps[3].events == []
    assert [e.kind for e in steps[2].events] == ["suspect_extraction"]
    assert sorted(e.kind for e in steps[4].events) == ["left"] * 7, "the fetch failure between does not break the confirmation"


# ------------------------------------------------------------------------------ broken captures


def test_an_error_page_never_confirms_an_error_page():
    maintenance = page(names=[], status="error", text="Vi utfører vedlikehold")
    steps = run(FULL, maintenance, maintenance, maintenance, FULL)
    assert [s.accepted for s in steps] == [True, False, False, False, True]
    assert [len(s.events) for s in steps] == [0, 1, 0, 0, 0], "one doubt for the run of identical captures"


def test_two_different_broken_captures_never_confirm_each_other():
    steps = run(FULL, page(names=[], status="empty", text=""), page(names=[], status="truncated", text=" ".join(NAMES)), FULL)
    assert [s.accepted for s in steps] == [True, False, False, True]
    assert [e.kind for s in steps for e in s.events] == ["suspect_extraction", "suspect_extraction"]


def test_no_members_at_all_is_never_everyone_leaving():
    empty = page(names=[], text="Representantar Gje råd.")
    steps = run(FULL, empty, empty, empty)
    assert [s.accepted for s in steps] == [True, False, False, False]
    assert "no members found (the previous version had 10)" in steps[1].events[0].diff


def test_none_of_the_old_members_left_is_never_confirmed():
    others = [f"Kari Nordmann{chr(97 + i)}sen" for i in range(3)]
    strangers = page(others, text=" ".join(others))
    steps = run(FULL, strangers, strangers)
    assert [s.accepted for s in steps] == [True, False, False]
    assert "none of them the same" in steps[1].events[0].diff


# ------------------------------------------------------------------------------ a drop, confirmed or not


def test_a_drop_with_the_names_gone_is_confirmed_by_the_same_members_again():
    three = page(NAMES[:3])
    steps = run(FULL, three, three)
    assert [s.accepted for s in steps] == [True, False, True]
    assert steps[1].events[0].diff == "only 3 of 10 members found at once"
    assert kinds(steps[2]) == sorted(("left", n) for n in NAMES[3:])


def test_two_suspect_captures_with_different_members_do_not_confirm_each_other():
    steps = run(FULL, page(NAMES[:3]), page(NAMES[1:4]), page(NAMES[1:4]))
    assert [s.accepted for s in steps] == [True, False, False, True]
    assert [len(s.events) for s in steps[:3]] == [0, 1, 1]


def test_the_drop_threshold_is_more_than_half():
    assert run(FULL, page(NAMES[:4]))[1].accepted is False, "4 of 10 waits for confirmation"
    believed = run(FULL, page(NAMES[:5]))[1]
    assert believed.accepted and kinds(believed) == sorted(("left", n) for n in NAMES[5:])


# ------------------------------------------------------------------------------ names still on the page


def test_a_member_the_page_still_names_has_not_left_however_often_it_repeats():
    missed = page(NAMES[1:], text=FULL.page_text)
    steps = run(FULL, missed, missed, missed, FULL)
    assert [s.accepted for s in steps] == [True, False, False, False, True]
    assert [len(s.events) for s in steps] == [0, 1, 0, 0, 0]
    assert "Hilde Myhren" in steps[1].events[0].diff and "left" not in [e.kind for s in steps for e in s.events]


def test_a_member_named_only_in_prose_after_the_list_lost_them_is_still_named():
    text = "Olav Slåtta leier rådet. " + " ".join(f"Org v/{n}" for n in NAMES[1:])
    before = page(["Olav Slåtta", *NAMES[1:]], text="Olav Slåtta leier rådet. " + " ".join(f"Org v/{n}" for n in ["Olav Slåtta", *NAMES[1:]]))
    steps = run(before, page(NAMES[1:], text=text))
    assert steps[1].accepted is False and "Olav Slåtta" in steps[1].events[0].diff


def test_a_member_who_moved_to_another_group_is_seated_there_and_has_left_the_first():
    before = page(groups=(Group("A", None, (Member("Hege Russnes"), Member("Rune Sundset"))), Group("B", None, (Member("Giske Ursin"),))))
    after = page(
        groups=(Group("A", None, (Member("Rune Sundset"),)), Group("B", None, (Member("Giske Ursin"), Member("Hege Russnes")))),
        text="A Rune Sundset B Giske Ursin Hege Russnes",
    )
    step = run(before, after)[1]
    assert step.accepted and kinds(step) == [("joined", "Hege Russnes"), ("left", "Hege Russnes")]


def test_a_member_named_twice_but_seated_once_after_a_misread_is_still_named():
    before = page(groups=(Group("A", None, (Member("Hege Russnes"),)), Group("B", None, (Member("Hege Russnes"), Member("Giske Ursin")))))
    after = page(
        groups=(Group("A", None, (Member("Hege Russnes"),)), Group("B", None, (Member("Giske Ursin"),))),
        text="A leder Hege Russnes. B Hege Russnes (leder) Giske Ursin",
    )
    assert run(before, after)[1].accepted is False


def test_a_group_without_members_the_page_still_names_is_not_removed():
    before = page(groups=(Group("Representantar", None, tuple(Member(n) for n in NAMES)), Group("Regionalt fagnettverk Helse Nord", "Rune Sundset", ())))
    still = page(groups=(before.groups[0],), text=FULL.page_text + " Regionalt fagnettverk Helse Nord")
    gone = page(groups=(before.groups[0],))
    assert run(before, still)[1].accepted is False
    removed = run(before, gone)[1]
    assert removed.accepted and kinds(removed) == [("group_removed", "Regionalt fagnettverk Helse Nord")]


def test_a_mandate_bullet_still_on_the_page_is_not_removed():
    before = page(mandate=("Gje råd.", "Følgje opp strategien."))
    missed = page(mandate=("Gje råd.",), text=FULL.page_text + " • Følgje opp strategien.")
    assert run(before, missed)[1].accepted is False
    removed = run(before, page(mandate=("Gje råd.",)))[1]
    assert removed.accepted and [e.kind for e in removed.events] == ["mandate_removed"]


def test_an_extraction_without_page_text_is_judged_on_its_members_alone():
    assert still_named(FULL, page(text=None), []) == []
    old = page(NAMES[1:], text=None)
    assert run(FULL, old)[1].accepted


# ------------------------------------------------------------------------------ compare: what counts as a change


def test_a_chair_appearing_or_going_is_a_change():
    for before, after in (("Hilde Myhren", None), (None, "Hilde Myhren")):
        events = compare(page(chair=before), page(chair=after), ref(1), ref(2))
        assert [(e.kind, e.before, e.after) for e in events] == [("chair_changed", before, after)]
    assert compare(page(chair=None), page(chair=None), ref(1), ref(2)) == []
    assert compare(page(chair="Grete S. Foss"), page(chair="Grethe Foss"), ref(1), ref(2)) == []


def test_either_page_date_changing_is_a_change():
    assert [e.kind for e in compare(page(published="2019-01-01"), page(published="2019-02-01"), ref(1), ref(2))] == ["page_dates_changed"]
    assert [e.kind for e in compare(page(updated="2024-01-01"), page(updated="2024-02-01"), ref(1), ref(2))] == ["page_dates_changed"]


def test_an_unrelated_mandate_bullet_is_added_and_removed_not_edited():
    before = page(mandate=("Fagrådet skal gje råd om persontilpassa medisin.",))
    after = page(mandate=("Rådet rapporterer kvart år til departementet.",))
    assert sorted(e.kind for e in compare(before, after, ref(1), ref(2))) == ["mandate_added", "mandate_removed"]
    edited = page(mandate=("Fagrådet skal gje råd om persontilpasset medisin.",))
    assert [e.kind for e in compare(before, edited, ref(1), ref(2))] == ["mandate_edited"]


def test_apart_in_the_reviewed_file_holds_inside_one_body():
    before, after = page(["Grete Foss", "Rune Sundset"]), page(["Grethe Foss", "Rune Sundset"])
    assert [e.kind for e in compare(before, after, ref(1), ref(2))] == ["name_variant"]
    apart = Reviewed(apart=(Apart(("Grete Foss", "Grethe Foss")),))
    assert sorted(e.kind for e in compare(before, after, ref(1), ref(2), apart)) == ["joined", "left"]
    pinned = Reviewed(persons=(PinnedPerson("Lars Eikvar", ("Lars Eikvam",)),))
    assert [e.kind for e in compare(page(["Lars Eikvam"]), page(["Lars Eikvar"]), ref(1), ref(2), pinned)] == ["name_variant"]


def test_close_surnames_of_different_people_are_a_leave_and_a_join():
    for old, new in (("Ola Nilsen", "Ola Nilsson"), ("Kari Berg", "Kari Berge"), ("Lars Eikvar", "Lars Eikvam"), ("Grete Foss", "Grete Fossum")):
        events = compare(page([old]), page([new]), ref(1), ref(2))
        assert sorted(e.kind for e in events) == ["joined", "left"], (old, new)


def test_spelling_variants_of_one_name_are_a_name_variant():
    for old, new in (
        ("Ole Alexander Opdalshei", "Ole Aleksander Opdalshei"), ("Stephen McAdam", "Stefen McAdam"),
        ("Torstein Rø", "Thorstein Rø"), ("Mari Trommald", "Mari Tromald"), ("Henrik Næss", "Henrik Naess"),
        ("Lars Ødegård", "Lars Oedegaard"), ("Hans-Johnny Schjelderup-Nilsen", "Hans-Johnny Schelderup-Nilsen"),
    ):
        events = compare(page([old]), page([new]), ref(1), ref(2))
        assert [(e.kind, e.person) for e in events] == [("name_variant", new)], (old, new)


def test_dashes_and_spacing_in_a_name_are_no_change():
    before, after = page(["Asbjørg Stray-Pedersen"]), page(["Asbjørg  Stray – Pedersen"])
    assert compare(before, after, ref(1), ref(2)) == []
    assert member_keys(before) == member_keys(after)


# ------------------------------------------------------------------------------ the name key


def test_name_keys():
    assert normalise_name("  Hege\u00a0RUSSNES. ") == "hege russnes"
    assert normalise_name("Stray–Pedersen") == normalise_name("Stray - Pedersen") == "stray-pedersen"
    assert name_key("Ketil F. Widerberg") == name_key("ketil f widerberg") == "ketil f widerberg"
    assert spelling_key("Schjelderup") == spelling_key("Schelderup")
    assert spelling_key("Alexander") == spelling_key("Aleksander")
    assert spelling_key("Ødegård") == spelling_key("Oedegaard")
    assert spelling_key("Næss") == spelling_key("Naess")
    assert spelling_key("Eikvar") != spelling_key("Eikvam")
    assert text_keys("Hans-Johnny Schjelderup–Nilsen (Helse Midt-Norge)") == ("hans", "johny", "sjelderup", "nilsen", "helse", "midt", "norge")


def test_a_name_is_counted_on_the_page_with_a_middle_name_or_the_surname_first():
    page_words = text_keys("Grete S. Foss (Helsedirektoratet). Leiar: Foss, Grete. Gunnar Douzgos Houge. Grete Fossum.")
    assert named_count("Grethe Foss", page_words) == 2
    assert named_count("Gunnar Houge", page_words) == 1
    assert named_count("Grete Fossum", page_words) == 1
    assert named_count("Rune Sundset", page_words) == 0
    assert named_count("Foss", page_words) == 2
    assert named_count("", page_words) == 0


def test_the_suspicion_says_why():
    missed = page(NAMES[2:], text=FULL.page_text)
    found = assess(FULL, missed, compare(FULL, missed, ref(1), ref(2)))
    assert found is not None and not found.confirmable
    assert found.reason == "the page still says what extraction did not read: Hilde Myhren, Grethe Foss; the body did not change"
    assert assess(FULL, page(status="error", names=[]), []).reason == "reads as error"
    assert decide("s", ref(1), FULL, Chain())[1].current == (ref(1), FULL)


def test_a_suspect_event_says_which_captures_it_compares_and_why():
    first = run(page(names=[], status="error", text="Siden finnes ikke"))[0].events[0]
    assert json_of(first) == {
        "kind": "suspect_extraction", "source": "s", "group": None, "person": None, "person_id": None, "before": None,
        "after": None, "from_capture": None, "to_capture": 1, "at": ref(1).at, "from_at": None, "url": ref(1).url,
        "diff": "reads as error", "text": None, "from_url": None, "from_text": None, "note": None,
    }
    later = run(FULL, page(NAMES[:2]))[1].events[0]
    assert (later.from_capture, later.from_at, later.from_url, later.to_capture, later.at) == (1, ref(1).at, ref(1).url, 2, ref(2).at)


def json_of(event) -> dict:
    import json

    return json.loads(event.to_json())


def test_the_reviewed_file_decides_identity_in_every_step():
    pinned = Reviewed(persons=(PinnedPerson("Lars Eikvar", ("Lars Eikvam",)),))
    others = [n for n in NAMES if "Eikvar" not in n and "Foss" not in n]
    before, after = page(["Lars Eikvam", *others]), page(["Lars Eikvar", *others])
    assert [e.kind for e in run(before, after, reviewed=pinned)[1].events] == ["name_variant"]
    assert sorted(e.kind for e in run(before, after)[1].events) == ["joined", "left"]
    seated = page(["Lars Eikvar", *others], text=before.page_text.replace("Lars Eikvam", "Lars Eikvar"))
    apart = Reviewed(apart=(Apart(("Grete Foss", "Grethe Foss")),))
    grete = page(["Grete Foss", *others])
    grethe = page(["Grethe Foss", *others], text=grete.page_text.replace("Grete Foss", "Grethe Foss"))
    assert run(before, seated, reviewed=pinned)[1].accepted
    assert run(grete, grethe)[1].events[0].kind == "name_variant"
    step = run(grete, grethe, reviewed=apart)[1]
    assert step.accepted and sorted(e.kind for e in step.events) == ["joined", "left"], (
        "kept apart: Grete Foss left, though Grethe Foss reads the same on the page"
    )


def test_a_long_mandate_bullet_still_on_the_page_is_named_short():
    bullet = "Fagrådet skal følgje opp den nasjonale strategien for persontilpassa medisin."
    before = page(mandate=("Gje råd.", bullet))
    missed = page(mandate=("Gje råd.",), text=FULL.page_text + " " + bullet)
    reason = run(before, missed)[1].events[0].diff
    assert "mandate bullet 'Fagrådet skal følgje opp den nasjonale s'…" in reason


def test_an_earlier_organisation_still_beside_the_name_is_a_misread_not_a_change():
    def seat(name, org, text):
        return Extraction("s", None, "t", groups=(Group("R", None, (Member(name, organisation=org, text=text),)),), page_text=text)

    before = seat("Torstein Rø", "Universitets- og høgskulesektoren", "Universitets- og høgskulesektoren v/Torstein Rø (NTNU)")
    misread = seat("Torstein Rø", "NTNU", "Universitets- og høgskulesektoren: Torstein Rø (NTNU)")
    step = run(before, misread)[1]
    assert not step.accepted and "Torstein Rø's organisation 'Universitets- og høgskulesektoren'" in step.events[0].diff
    moved = seat("Torstein Rø", "Forskningsrådet", "Forskningsrådet v/Torstein Rø (NTNU)")
    assert [e.kind for e in run(before, moved)[1].events] == ["organisation_changed"]
    # another member's organisation just before the name is not this member's
    row = "Helse Sør-Øst Dag Reikvam Helse Vest Gunnar Houge"
    region = Extraction("s", None, "t", groups=(Group("R", None, (Member("Gunnar Houge", region="Helse Sør-Øst", text="Gunnar Houge (Helse Sør-Øst)"),)),), page_text="Gunnar Houge (Helse Sør-Øst)")
    changed = Extraction("s", None, "t", groups=(Group("R", None, (Member("Gunnar Houge", region="Helse Vest", text=row),)),), page_text=row)
    assert [e.kind for e in run(region, changed)[1].events] == ["region_changed"]


def test_a_group_named_after_another_heading_of_the_same_page_is_a_misread():
    members = tuple(Member(n) for n in NAMES)
    text = "Ny ledelse i brukerutvalget " + " ".join(NAMES) + " Det nye brukerutvalget sitter i to år"
    before = Extraction("s", None, "t", groups=(Group("Ny ledelse i brukerutvalget", None, members),), page_text=text)
    after = Extraction("s", None, "t", groups=(Group("Det nye brukerutvalget sitter i to år", None, members),), page_text=text)
    assert run(before, after)[1].accepted is False
    renamed = Extraction("s", None, "t", groups=(Group("Det nye brukerutvalget sitter i to år", None, members),),
                         page_text=text.replace("Ny ledelse i brukerutvalget ", ""))
    assert [e.kind for e in run(before, renamed)[1].events] == ["group_renamed"]


def test_a_drop_whose_list_is_gone_is_never_confirmed():
    listed = tuple(Member(n, text=f"{n}, Org") for n in NAMES)
    before = Extraction("s", None, "t", groups=(Group("R", None, listed),), page_text=" ".join(f"{n}, Org" for n in NAMES))
    prose = "Nyleiar er Hilde Myhren, nestleiar Grethe Foss."
    after = Extraction("s", None, "t", groups=(Group("R", None, (Member("Hilde Myhren"), Member("Grethe Foss"))),), page_text=prose)
    steps = run(before, after, after)
    assert [s.accepted for s in steps] == [True, False, False]
    assert steps[1].events[0].diff == "only 2 of 10 members found at once, and the list they were read from is gone"
    kept = Extraction("s", None, "t", groups=(Group("R", None, listed[:2]),), page_text="Hilde Myhren, Org Grethe Foss, Org")
    assert [s.accepted for s in run(before, kept, kept)] == [True, False, True]
