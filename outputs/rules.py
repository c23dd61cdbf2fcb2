"""The history rules: which captures are believed, and what a user is told about the others.

`decide` takes a source's captures one at a time, oldest first (`derive` runs it over a whole
history), and is pure, so tracking, re-extraction and backfill derive the same history from
the same extractions. The rules:

* a capture with an error status is a fetch outcome, never a composition: it changes nothing;
* a broken page (empty, an error or maintenance template, nested too deep to read) is never
  believed, never the baseline, and never confirms anything;
* **a person leaves only when the page stops naming them**: a `left`, `group_removed` or
  `mandate_removed` whose name or text is still on the page is an extraction failure, however
  often it repeats;
* no members at all, or none of the old members left, is never "everyone left";
* losing more than half of the members at once, with the names gone from the page, waits for
  the next capture: the same members again confirm it;
* a capture not believed gives one `suspect_extraction` event and the previous composition
  stays current; identical captures repeating the same doubt say nothing more.
"""

from __future__ import annotations

from dataclasses import dataclass

from extractors.model import Extraction
from outputs.compare import CaptureRef, compare
from outputs.events import ChangeEvent
from outputs.identity import same_person_in_body
from outputs.names import name_key, named_count, normalise_name, text_keys
from outputs.reviewed import EMPTY, Reviewed


@dataclass(frozen=True)
class Suspicion:
    """Why a capture is not believed as a composition, and whether a later one may confirm it."""

    reason: str
    confirmable: bool  # a drop whose names are gone from the page: the next identical capture confirms it


def is_suspect(before: Extraction, after: Extraction) -> str | None:
    """Why `after` loses too many members at once to be believed without confirmation, or None."""
    if after.member_count * 2 < before.member_count:
        return f"only {after.member_count} of {before.member_count} members found at once"
    return None


def assess(before: Extraction | None, after: Extraction, events: list[ChangeEvent], reviewed: Reviewed = EMPTY) -> Suspicion | None:
    """Whether the capture read as `after` (with `events` against `before`) is to be doubted.

    A broken page (empty, an error template, too deep to read) is never believed. A person, a
    group or a mandate bullet that `events` say is gone but that the page still names is an
    extraction failure, however often it repeats. A page with no members, or one that lost
    everyone, is never "everyone left". Losing more than half at once, with the names gone
    from the page, waits for a second identical capture.
    """
    if after.page_status != "ok":
        return Suspicion(after.page_status_reason or f"the page reads as {after.page_status}", confirmable=False)
    if before is None:
        return None
    still = still_named(before, after, events)
    if after.member_count == 0 and before.member_count > 0:
        return Suspicion(f"no members found (the previous version had {before.member_count})", confirmable=False)
    if still:
        return Suspicion(
            f"the page still says what extraction did not read: {', '.join(still)}; the body did not change",
            confirmable=False,
        )
    drop = is_suspect(before, after)
    if drop is None:
        return None
    now = [m.name for g in after.groups for m in g.members]
    stayed = [m for g in before.groups for m in g.members if any(same_person_in_body(m.name, n, reviewed) for n in now)]
    if not stayed:
        return Suspicion(f"{drop}, none of them the same", confirmable=False)
    page = _joined(after.page_text)
    if page is not None and not any(not m.text or _phrase_in(m.text, page) for m in stayed):
        return Suspicion(f"{drop}, and the list they were read from is gone", confirmable=False)
    return Suspicion(drop, confirmable=True)


def _joined(text: str | None) -> str | None:
    return None if text is None else " " + " ".join(text_keys(text)) + " "


def still_named(before: Extraction, after: Extraction, events: list[ChangeEvent]) -> list[str]:
    """What `events` say changed that the page still says as before: extraction misread it.

    - a person `left` whom the page names more often than `after` seats members printed that
      way (a member who moved to another group is seated there; another person whose name
      reads the same, kept apart in the reviewed file, is seated too; a name the extraction
      lost is not);
    - a `group_removed` without members whose name is still on the page, and a
      `group_renamed` whose old name is on the page as often as before (the extraction named
      the group after another of the page's headings);
    - a `mandate_removed` bullet still on the page;
    - an `organisation_changed`, `role_changed` or `region_changed` whose earlier value
      still stands beside the name, on the same side, in the text the seat was read from.
    """
    if after.page_text is None:
        return []
    page = text_keys(after.page_text)
    joined = _joined(after.page_text)
    earlier = text_keys(before.page_text) if before.page_text is not None else None
    printed = [text_keys(m.name) for g in after.groups for m in g.members]
    found: list[str] = []
    with_members = {e.group for e in events if e.kind == "left"}
    for event in events:
        if event.kind == "left" and event.person not in found:
            seats = sum(1 for words in printed if named_count(event.person, words))
            if named_count(event.person, page) > seats:
                found.append(event.person)
        elif event.kind == "group_removed" and event.group not in with_members and _phrase_in(event.group, joined):
            found.append(f"group {event.group}")
        elif event.kind == "group_renamed" and earlier is not None:
            now = _phrase_count(event.before, page)
            if now and now >= _phrase_count(event.before, earlier):
                found.append(f"group {event.before}")
        elif event.kind == "mandate_removed" and _phrase_in(event.before, joined):
            found.append(f"mandate bullet {event.before[:40]!r}…" if len(event.before) > 40 else f"mandate bullet {event.before!r}")
        elif event.kind in SEAT_CHANGES and _still_said(event, event.kind.split("_")[0]):
            found.append(f"{event.person}'s {event.kind.split('_')[0]} {event.before[event.kind.split('_')[0]]!r}")
    return found


SEAT_CHANGES = ("organisation_changed", "role_changed", "region_changed")
BESIDE = 2  # words between a name and what the page says about it ("Org v/ Name", "Name (Org)")


def _still_said(event: ChangeEvent, field: str) -> bool:
    old = event.before.get(field)
    if not old or not event.text or not event.from_text:
        return False
    was = _sides(old, event.before["name"], event.from_text)
    return bool(was & _sides(old, event.after["name"], event.text))


def _sides(value: str, name: str, text: str) -> set[str]:
    """On which side of `name` the text says `value`, a few words at most from it."""
    words, said, who = text_keys(text), text_keys(value), text_keys(name)
    sides = set()
    for at in _positions(who, words):
        end = at + len(who)
        for place in _positions(said, words):
            if at - BESIDE <= place + len(said) <= at:
                sides.add("before")
            if end <= place <= end + BESIDE:
                sides.add("after")
    return sides


def _positions(part: tuple[str, ...], words: tuple[str, ...]) -> list[int]:
    if not part:
        return []
    return [i for i in range(len(words) - len(part) + 1) if words[i : i + len(part)] == part]


def _phrase_count(text: str, words: tuple[str, ...]) -> int:
    return len(_positions(text_keys(text), words))


def _phrase_in(text: str, page: str) -> bool:
    words = text_keys(text)
    return bool(words) and f" {' '.join(words)} " in page


def suspect_event(source: str, reason: str, before: CaptureRef | None, after: CaptureRef) -> ChangeEvent:
    return ChangeEvent(
        kind="suspect_extraction",
        source=source,
        group=None,
        person=None,
        person_id=None,
        before=None,
        after=None,
        from_capture=before.id if before else None,
        to_capture=after.id,
        at=after.at,
        from_at=before.at if before else None,
        url=after.url,
        diff=reason,
        from_url=before.url if before else None,
    )


@dataclass(frozen=True)
class Step:
    """What one capture does to a source's history: its events and whether it is believed."""

    events: list[ChangeEvent]
    accepted: bool
    baseline: bool = False

    @property
    def suspect(self) -> bool:
        return any(e.kind == "suspect_extraction" for e in self.events)


@dataclass(frozen=True)
class Doubt:
    """A capture that was not believed: why, and whether the next one may confirm it."""

    reason: str
    confirmable: bool
    members: frozenset[tuple[str, str]]


@dataclass(frozen=True)
class Chain:
    """Where a source's history stands: the composition believed now, and the last capture's doubt."""

    current: tuple[CaptureRef, Extraction] | None = None
    doubt: Doubt | None = None


def decide(source_id: str, capture: CaptureRef, extraction: Extraction | None, chain: Chain, reviewed: Reviewed = EMPTY) -> tuple[Step, Chain]:
    """The rules for one capture: its step, and where the history stands after it.

    `extraction` is None for a capture with an error status.
    """
    if extraction is None:
        return Step([], accepted=False), chain
    before_ref, before = chain.current if chain.current else (None, None)
    events = compare(before, extraction, before_ref, capture, reviewed) if before is not None else []
    suspicion = assess(before, extraction, events, reviewed)
    if suspicion is None:
        return Step(events, accepted=True, baseline=before is None), Chain((capture, extraction))
    members = member_keys(extraction)
    previous = chain.doubt
    if suspicion.confirmable and previous is not None and previous.confirmable and previous.members == members:
        return Step(events, accepted=True), Chain((capture, extraction))
    doubt = Doubt(suspicion.reason, suspicion.confirmable, members)
    said = [] if doubt == previous else [suspect_event(source_id, suspicion.reason, before_ref, capture)]
    return Step(said, accepted=False), Chain(chain.current, doubt)


def derive(source_id: str, captures: list[tuple[CaptureRef, Extraction | None]], reviewed: Reviewed = EMPTY) -> list[Step]:
    """`decide` over a source's captures in time order: its whole history."""
    chain, steps = Chain(), []
    for capture, extraction in captures:
        step, chain = decide(source_id, capture, extraction, chain, reviewed)
        steps.append(step)
    return steps


def member_keys(extraction: Extraction) -> frozenset[tuple[str, str]]:
    return frozenset((normalise_name(g.name), name_key(m.name)) for g in extraction.groups for m in g.members)
