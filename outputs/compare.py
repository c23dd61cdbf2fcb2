"""Two extractions of one source -> the change events between them.

Members are matched per group on their name: first the same name (so reordering, whitespace
and markup produce nothing), then the same person under another spelling (`name_variant`,
never a leave and a join). Organisations, roles and regions are compared as identities too:
case, Bokmål/Nynorsk forms, abbreviations and typos are no change, and a rename recorded in
the reviewed file is reported as such. Groups keep their identity: a heading re-spelled, or
renamed with half its members the same, is one group (`group_renamed`). Which comparisons
are believed is decided in `outputs.rules`.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from extractors.model import Extraction, Group, Member
from outputs.events import ChangeEvent, person_id
from outputs.identity import Organisations, organisations_match, same_person_in_body, words_match
from outputs.names import name_key, normalise_name
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
        if not words_match(old.name, new.name):
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
    """Pair each new group with its earlier self: the same name (up to case, spacing and the
    other written standard), the same heading re-spelled, or (a renamed group) at least half of the members
    the same people."""
    pairs: dict[str, Group] = {}
    left = list(old)
    for matcher in (
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
