"""Two extractions of one source -> the change events between them.

Members are matched per group on their normalised name, so reordering, whitespace and markup
produce nothing. A sudden drop to no members, or a loss of more than half at once, is not
believed: it becomes one `suspect_extraction` event and the earlier composition stays current.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass

from extractors.model import Extraction, Group, Member
from outputs.events import ChangeEvent, normalise_name, person_id

MANDATE_EDIT_SIMILARITY = 0.5


@dataclass(frozen=True)
class CaptureRef:
    """Which capture a side of the comparison comes from (provenance for every event)."""

    id: int
    at: str
    url: str | None = None


def is_suspect(before: Extraction | None, after: Extraction) -> str | None:
    """Why `after` should not be believed as a composition change, or None."""
    if before is None or before.member_count == 0:
        return None
    if after.member_count == 0:
        return f"no members found (the previous version had {before.member_count})"
    if after.member_count * 2 < before.member_count:
        return f"only {after.member_count} of {before.member_count} members found at once"
    return None


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
    )


def compare(before: Extraction, after: Extraction, before_ref: CaptureRef, after_ref: CaptureRef) -> list[ChangeEvent]:
    """Every change from `before` to `after`, in a stable order (groups as `after` lists them)."""
    events: list[ChangeEvent] = []

    def event(kind, group=None, person=None, old=None, new=None, diff=None, text=None):
        events.append(
            ChangeEvent(
                kind=kind,
                source=after.source,
                group=group,
                person=person,
                person_id=person_id(person) if person else None,
                before=old,
                after=new,
                from_capture=before_ref.id,
                to_capture=after_ref.id,
                at=after_ref.at,
                from_at=before_ref.at,
                url=after_ref.url,
                diff=diff,
                text=text,
            )
        )

    old_groups = {normalise_name(g.name): g for g in before.groups}
    new_groups = {normalise_name(g.name): g for g in after.groups}
    for key, group in new_groups.items():
        if key not in old_groups:
            event("group_added", group=group.name, new=group.name)
            for member in group.members:
                event("joined", group.name, member.name, None, _seat(member), text=member.text)
            continue
        _compare_group(old_groups[key], group, event)
    for key, group in old_groups.items():
        if key not in new_groups:
            event("group_removed", group=group.name, old=group.name)
            for member in group.members:
                event("left", group.name, member.name, _seat(member), None, text=member.text)

    _compare_mandate(before.mandate, after.mandate, event)
    if (before.published, before.updated) != (after.published, after.updated):
        event(
            "page_dates_changed",
            old={"published": before.published, "updated": before.updated},
            new={"published": after.published, "updated": after.updated},
        )
    return events


def _seat(member: Member) -> dict:
    return {"name": member.name, "organisation": member.organisation, "role": member.role, "region": member.region}


def _compare_group(old: Group, new: Group, event) -> None:
    old_members = {normalise_name(m.name): m for m in old.members}
    new_members = {normalise_name(m.name): m for m in new.members}
    if normalise_name(old.chair or "") != normalise_name(new.chair or ""):
        event("chair_changed", group=new.name, old=old.chair, new=new.chair)
    for key, member in new_members.items():
        previous = old_members.get(key)
        if previous is None:
            event("joined", new.name, member.name, None, _seat(member), text=member.text)
            continue
        for field, kind in (("role", "role_changed"), ("organisation", "organisation_changed"), ("region", "region_changed")):
            if normalise_name(getattr(previous, field) or "") != normalise_name(getattr(member, field) or ""):
                event(kind, new.name, member.name, _seat(previous), _seat(member), text=member.text)
    for key, member in old_members.items():
        if key not in new_members:
            event("left", old.name, member.name, _seat(member), None, text=member.text)


def _compare_mandate(old: tuple[str, ...], new: tuple[str, ...], event) -> None:
    old_keys = {normalise_name(b): b for b in old}
    new_keys = {normalise_name(b): b for b in new}
    removed = [b for k, b in old_keys.items() if k not in new_keys]
    added = [b for k, b in new_keys.items() if k not in old_keys]
    for bullet in added:
        best = max(removed, key=lambda r: _similarity(r, bullet), default=None)
        if best is not None and _similarity(best, bullet) >= MANDATE_EDIT_SIMILARITY:
            removed.remove(best)
            event("mandate_edited", old=best, new=bullet, diff=word_diff(best, bullet))
        else:
            event("mandate_added", new=bullet)
    for bullet in removed:
        event("mandate_removed", old=bullet)


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
