"""What `rosterwatch extract` prints for a person: the page as rosterwatch read it.

A maintainer trying a new page needs to see, at a glance, which groups and members were
found, what each member's seat says, and the text each was read from, so a wrong reading
points straight at the line of the page that caused it; and to be told plainly when no
member list was found at all.
"""

from __future__ import annotations

from extractors.model import Extraction, Member
from outputs.safe import clean as _safe  # scraped text with no control character that could move or retitle a terminal

_FIELDS = ("role", "organisation", "region", "title", "party", "place", "status", "proposed_by", "deputy_for")
_LABELS = {"proposed_by": "proposed by", "deputy_for": "deputy for"}


def render_extraction(ex: Extraction) -> str:
    lines = [
        f"{_safe(ex.title or '(no title)')}  [{ex.language or '?'}]",
        f"  url: {_safe(ex.url or '-')}",
        f"  published {ex.published or '-'}, updated {ex.updated or '-'}; extractor {ex.extractor_version}",
        "",
    ]
    if ex.mandate:
        lines.append(f"Mandate ({len(ex.mandate)} bullet{'s' if len(ex.mandate) != 1 else ''}):")
        lines.extend(f"  • {_safe(b)}" for b in ex.mandate)
        lines.append("")
    if not ex.member_count:
        chairs = [g for g in ex.groups if g.chair]
        lines.append("No member list found on this page: no list, table, card or sentence names who sits in a body.")
        for group in chairs:
            lines.append(f"  (the page says {_safe(group.chair)} chairs {_safe(group.name)})")
        return "\n".join(lines) + "\n"
    for group in ex.groups:
        count = len(group.members)
        head = f"{_safe(group.name)} — {count} member{'s' if count != 1 else ''}"
        head += f", chair {_safe(group.chair)}" if group.chair else ", no chair named"
        lines.append(head)
        for member in group.members:
            lines.extend(_member_lines(member))
        lines.append("")
    lines.append(f"{ex.member_count} member{'s' if ex.member_count != 1 else ''} in {len(ex.groups)} "
                 f"group{'s' if len(ex.groups) != 1 else ''}.")
    return "\n".join(lines) + "\n"


def _member_lines(member: Member) -> list[str]:
    fields = [f"{_LABELS.get(k, k)}: {_safe(getattr(member, k))}" for k in _FIELDS if getattr(member, k)]
    out = [f"  • {_safe(member.name)}" + (f"  ({'; '.join(fields)})" if fields else "")]
    if member.text:
        source = _safe(member.text)
        out.append(f"      from: “{source if len(source) <= 160 else source[:157] + '…'}”")
    return out
