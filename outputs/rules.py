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
    still = still_named(after, events)
    if after.member_count == 0 and before.member_count > 0:
        return Suspicion(f"no members found (the previous version had {before.member_count})", confirmable=False)
    if still:
        return Suspicion(
            f"extraction missed what the page still names: {', '.join(still)}; the body did not change",
            confirmable=False,
        )
    drop = is_suspect(before, after)
    if drop is None:
        return None
    stayed = _anyone_stayed(before, after, reviewed)
    return Suspicion(drop if stayed else f"{drop}, none of them the same", confirmable=stayed)


def _anyone_stayed(before: Extraction, after: Extraction, reviewed: Reviewed) -> bool:
    now = [m.name for g in after.groups for m in g.members]
    return any(same_person_in_body(m.name, n, reviewed) for g in before.groups for m in g.members for n in now)


def still_named(after: Extraction, events: list[ChangeEvent]) -> list[str]:
    """What `events` say is gone (`left`, `group_removed`, `mandate_removed`) that the page still names.

    A person counts as still named when the page names them more often than `after` seats
    members printed that way: a member who moved to another group is seated there, another
    person whose name reads the same (kept apart in the reviewed file) is seated too, and a
    name the extraction lost is not.
    """
    if after.page_text is None:
        return []
    page = text_keys(after.page_text)
    joined = " " + " ".join(page) + " "
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
        elif event.kind == "mandate_removed" and _phrase_in(event.before, joined):
            found.append(f"mandate bullet {event.before[:40]!r}…" if len(event.before) > 40 else f"mandate bullet {event.before!r}")
    return found


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
