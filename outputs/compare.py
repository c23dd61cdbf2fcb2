"""Two extractions of one source -> the change events between them.

Members are matched per group on their name: first the same name (so reordering, whitespace
and markup produce nothing), then the same person under another spelling (`name_variant`,
never a leave and a join). Organisations, roles and regions are compared as identities too:
case, Bokmål/Nynorsk forms, abbreviations and typos are no change, and a rename recorded in
the reviewed file is reported as such. A sudden drop to no members, a loss of more than half
at once, or a page that looks like an error or maintenance page is not believed: it becomes
one `suspect_extraction` event and the earlier composition stays current.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from extractors.model import Extraction, Group, Member
from outputs.events import ChangeEvent, person_id
from outputs.identity import Organisations, organisations_match, same_person_in_body, words_match
from outputs.names import name_key, named_count, normalise_name, text_keys
from outputs.reviewed import EMPTY, Reviewed

MANDATE_EDIT_SIMILARITY = 0.5
GROUP_RENAME_OVERLAP = 0.5
GROUP_RESPELLING = 2  # letters a heading may gain, lose, swap or change and stay the same group
GROUP_RESPELLING_MIN = 8  # ... if it is at least this long

@dataclass(frozen=True)
class CaptureRef:
    """Which capture a side of the comparison comes from (provenance for every event)."""

    id: int
    at: str
    url: str | None = None


@dataclass(frozen=True)
class Suspicion:
    """Why a capture is not believed as a composition, and whether a later one may confirm it."""

    reason: str
    confirmable: bool  # a drop whose names are gone from the page: the next identical capture confirms it


def is_suspect(before: Extraction | None, after: Extraction) -> str | None:
    """Why `after` loses too many members at once to be believed without confirmation, or None."""
    if before is None or before.member_count == 0:
        return None
    if after.member_count == 0:
        return f"no members found (the previous version had {before.member_count})"
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
    still = still_named(after, events, reviewed)
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


def still_named(after: Extraction, events: list[ChangeEvent], reviewed: Reviewed = EMPTY) -> list[str]:
    """What `events` say is gone (`left`, `group_removed`, `mandate_removed`) that the page still names.

    A person counts as still named when the page names them more often than `after` seats
    them (a member moved to another group is seated there; one extraction lost is not).
    """
    if after.page_text is None:
        return []
    page = text_keys(after.page_text)
    joined = " " + " ".join(page) + " "
    found: list[str] = []
    with_members = {e.group for e in events if e.kind == "left"}
    for event in events:
        if event.kind == "left" and event.person not in found:
            seats = sum(1 for g in after.groups if any(same_person_in_body(event.person, m.name, reviewed) for m in g.members))
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


class _Events:
    """Collects the events of one comparison, each with the provenance of both captures."""

    def __init__(self, source: str, before_ref: CaptureRef, after_ref: CaptureRef):
        self.source, self.before_ref, self.after_ref = source, before_ref, after_ref
        self.items: list[ChangeEvent] = []

    def add(self, kind, group=None, person=None, old=None, new=None, diff=None, text=None, from_text=None, note=None, pid=None):
        self.items.append(
            ChangeEvent(
                kind=kind,
                source=self.source,
                group=group,
                person=person,
                person_id=pid or (person_id(person) if person else None),
                before=old,
                after=new,
                from_capture=self.before_ref.id,
                to_capture=self.after_ref.id,
                at=self.after_ref.at,
                from_at=self.before_ref.at,
                url=self.after_ref.url,
                diff=diff,
                text=text,
                from_url=self.before_ref.url,
                from_text=from_text,
                note=note,
            )
        )


def compare(
    before: Extraction,
    after: Extraction,
    before_ref: CaptureRef,
    after_ref: CaptureRef,
    reviewed: Reviewed = EMPTY,
) -> list[ChangeEvent]:
    """Every change from `before` to `after`, in a stable order (groups as `after` lists them)."""
    events = _Events(after.source, before_ref, after_ref)
    organisations = Organisations(
        [m.organisation for e in (before, after) for g in e.groups for m in g.members], reviewed
    )
    pairs, removed = _match_groups(before.groups, after.groups, reviewed)
    for new in after.groups:
        old = pairs.get(new.name)
        if old is None:
            events.add("group_added", group=new.name, new=new.name)
            for member in new.members:
                events.add("joined", new.name, member.name, None, _seat(member), text=member.text)
            continue
        if not _same_group_name(old.name, new.name):
            events.add("group_renamed", group=new.name, old=old.name, new=new.name)
        _compare_group(old, new, events, organisations, reviewed)
    for old in removed:
        events.add("group_removed", group=old.name, old=old.name)
        for member in old.members:
            events.add("left", old.name, member.name, _seat(member), None, text=member.text, from_text=member.text)

    _compare_mandate(before.mandate, after.mandate, events)
    if (before.published, before.updated) != (after.published, after.updated):
        events.add(
            "page_dates_changed",
            old={"published": before.published, "updated": before.updated},
            new={"published": after.published, "updated": after.updated},
        )
    return events.items


def _match_groups(old: tuple[Group, ...], new: tuple[Group, ...], reviewed: Reviewed):
    """Pair each new group with its earlier self: same name, same name in the other written
    standard, the same heading re-spelled, or (a renamed group) at least half of the members
    the same people."""
    pairs: dict[str, Group] = {}
    left = list(old)
    for matcher in (
        lambda a, b: normalise_name(a.name) == normalise_name(b.name),
        lambda a, b: words_match(a.name, b.name),
        lambda a, b: respelled(a.name, b.name),
        lambda a, b: _overlap(a, b, reviewed) >= GROUP_RENAME_OVERLAP,
    ):
        for group in new:
            if group.name in pairs:
                continue
            found = next((g for g in left if matcher(g, group)), None)
            if found is not None:
                pairs[group.name] = found
                left.remove(found)
    return pairs, left


def _same_group_name(a: str, b: str) -> bool:
    return normalise_name(a) == normalise_name(b) or words_match(a, b)


def respelled(a: str, b: str) -> bool:
    """A heading with a typo fixed (`Kooridneringsgruppen` -> `Koordineringsgruppen`)."""
    ka, kb = name_key(a), name_key(b)
    return min(len(ka), len(kb)) >= GROUP_RESPELLING_MIN and OSA.distance(ka, kb) <= GROUP_RESPELLING


def _overlap(a: Group, b: Group, reviewed: Reviewed) -> float:
    if not a.members or not b.members:
        return 0.0
    shared = sum(1 for m in a.members if any(same_person_in_body(m.name, n.name, reviewed) for n in b.members))
    return shared / min(len(a.members), len(b.members))


def _seat(member: Member) -> dict:
    return {"name": member.name, "organisation": member.organisation, "role": member.role, "region": member.region}


def _compare_group(old: Group, new: Group, events: _Events, organisations: Organisations, reviewed: Reviewed) -> None:
    if not _same_chair(old.chair, new.chair, reviewed):
        events.add("chair_changed", group=new.name, old=old.chair, new=new.chair)
    old_members = {name_key(m.name): m for m in old.members}
    new_members = {name_key(m.name): m for m in new.members}
    pairs = [(old_members[k], m) for k, m in new_members.items() if k in old_members]
    unmatched_old = [m for k, m in old_members.items() if k not in new_members]
    for key, member in new_members.items():
        if key in old_members:
            continue
        previous = _earlier_spelling(member, unmatched_old, organisations, reviewed)
        if previous is None:
            events.add("joined", new.name, member.name, None, _seat(member), text=member.text)
            continue
        unmatched_old.remove(previous)
        events.add(
            "name_variant", new.name, member.name, _seat(previous), _seat(member),
            text=member.text, from_text=previous.text, pid=person_id(previous.name),
        )
        pairs.append((previous, member))
    for previous, member in pairs:
        _compare_seat(new.name, previous, member, events, organisations)
    for member in unmatched_old:
        events.add("left", old.name, member.name, _seat(member), None, text=member.text, from_text=member.text)


def _same_chair(a: str | None, b: str | None, reviewed: Reviewed) -> bool:
    if not a or not b:
        return not a and not b
    return name_key(a) == name_key(b) or same_person_in_body(a, b, reviewed)


def _earlier_spelling(member: Member, candidates: list[Member], organisations: Organisations, reviewed: Reviewed) -> Member | None:
    """The one member of the earlier version who is this member under another spelling."""
    found = [c for c in candidates if same_person_in_body(c.name, member.name, reviewed)]
    if len(found) > 1:
        found = [c for c in found if organisations.same(c.organisation, member.organisation)]
    return found[0] if len(found) == 1 else None


def _compare_seat(group: str, previous: Member, member: Member, events: _Events, organisations: Organisations) -> None:
    def add(kind, note=None):
        events.add(
            kind, group, member.name, _seat(previous), _seat(member),
            text=member.text, from_text=previous.text, note=note, pid=person_id(previous.name),
        )

    if not words_match(previous.role, member.role):
        add("role_changed")
    if previous.organisation != member.organisation and (previous.organisation or member.organisation):
        rename = organisations.rename(previous.organisation or "", member.organisation or "")
        if rename is not None:
            add(
                "organisation_changed",
                f"renamed: {rename.old} is {rename.new} from {rename.date} (reviewed file); the same seat",
            )
        elif not organisations.same(previous.organisation, member.organisation):
            add("organisation_changed")
    if not (words_match(previous.region, member.region) or (
        previous.region and member.region and organisations_match(previous.region, member.region)
    )):
        add("region_changed")


def _compare_mandate(old: tuple[str, ...], new: tuple[str, ...], events: _Events) -> None:
    old_keys = {normalise_name(b): b for b in old}
    new_keys = {normalise_name(b): b for b in new}
    removed = [b for k, b in old_keys.items() if k not in new_keys]
    added = [b for k, b in new_keys.items() if k not in old_keys]
    for bullet in added:
        best = max(removed, key=lambda r: _similarity(r, bullet), default=None)
        if best is not None and _similarity(best, bullet) >= MANDATE_EDIT_SIMILARITY:
            removed.remove(best)
            events.add("mandate_edited", old=best, new=bullet, diff=word_diff(best, bullet))
        else:
            events.add("mandate_added", new=bullet)
    for bullet in removed:
        events.add("mandate_removed", old=bullet)


def _similarity(a: str, b: str) -> float:
    return difflib.SequenceMatcher(None, a.split(), b.split()).ratio()


def word_diff(old: str, new: str) -> str:
    """`[-removed-]{+added+}` word diff, as `git diff --word-diff` prints it."""
    a, b = old.split(), new.split()
    out: list[str] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b).get_opcodes():
        if op == "equal":
            out.extend(a[i1:i2])
            continue
        if i2 > i1:
            out.append("[-" + " ".join(a[i1:i2]) + "-]")
        if j2 > j1:
            out.append("{+" + " ".join(b[j1:j2]) + "+}")
    return " ".join(out)
