"""Groups on a page: which lists and sentences say who sits where, and who chairs.

A list becomes a group only in a member context (a member heading such as
"Representantar" or "Koordineringsgruppen", a lead-in such as "... består av:", or a
member table), and only with the persons the grammar confirms, so contact cards, news
quotes and meeting lists never turn into members. Chairs come from roles ("leiar"),
from chair sentences, and for sub-bodies linked from the page (the regional
fagnettverk) from roles that say "leder av fagnettverk i <region>".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from extractors.chairs import ChairClaim, chair_claims, pronoun_title
from extractors.content import Block
from extractors.mandate import is_mandate_list, lists_of
from extractors.members import group_phrase, parse_item, parse_prose, parse_row, parse_seat_sentence
from extractors.model import Group, Member, RelatedLink
from extractors.sections import Section
from extractors.text import clean, split_sentences
from extractors.vocabulary import (
    MEMBER_PHRASES, SUBSTITUTE_ROLE, find_region, fuzzy_in, is_chair_role, is_member_heading,
    is_substitute_heading, words,
)

_TABLE_HEADER_WORDS = ("navn", "namn", "representant", "representantar", "representanter",
                       "medlem", "medlemmer", "person", "organisasjon", "rolle", "verv")
_LEADS_SUB_BODY = re.compile(
    r"\b(?:leder|leiar)\s+av\s+(?:det\s+|den\s+)?(?:regionale\s+)?(?P<body>[\wæøå-]+)\s+i\s+(?P<region>Helse\s+[\wæøåØÅÆ-]+(?:\s+[\wæøåØÅÆ-]+)?)"
)


@dataclass
class _Draft:
    name: str
    section: int
    members: list[Member] = field(default_factory=list)
    chair: str | None = None

    def add(self, members: tuple[Member, ...]) -> None:
        for member in members:
            if all(m.name != member.name for m in self.members):
                self.members.append(member)


def extract_groups(
    sections: tuple[Section, ...], page_title: str | None, related: tuple[RelatedLink, ...]
) -> tuple[Group, ...]:
    drafts: list[_Draft] = []
    claims: list[tuple[int, ChairClaim, str | None]] = []
    for index, section in enumerate(sections):
        list_starts = {id(items[0]): (lead, items) for lead, items in lists_of(section)}
        for block in section.blocks:
            if id(block) in list_starts:
                lead, items = list_starts[id(block)]
                _from_list(drafts, index, section, lead, items, page_title)
            elif block.kind == "text" and _entry_line(section, block):
                _from_list(drafts, index, section, None, [block], page_title)
            elif block.kind == "text":
                _from_prose(drafts, claims, index, section, block)
    for draft in drafts:
        draft.chair = next((m.name for m in draft.members if is_chair_role(m.role)), None)
    _apply_claims(drafts, claims, page_title)
    groups = [Group(d.name, d.chair, tuple(d.members)) for d in drafts]
    groups.extend(_sub_bodies(groups, related))
    return tuple(groups)


def _from_list(drafts, index, section, lead, items, page_title) -> None:
    if not _member_context(section, lead, items):
        return
    if is_mandate_list(section, lead) and not any(b.kind == "row" for b in items):
        return
    members: list[Member] = []
    for block in items:
        found = parse_row(block.cells, block.header) if block.kind == "row" else parse_item(block.text)
        members.extend(found)
    if not members:
        return
    if _substitutes(section, lead) and drafts:
        drafts[-1].add(tuple(m if m.role else replace(m, role=SUBSTITUTE_ROLE) for m in members))
        return
    _draft(drafts, _list_name(section, lead, page_title), index).add(tuple(members))


def _substitutes(section: Section, lead: Block | None) -> bool:
    """A 'Varamedlemar' list: substitutes of the group above it, not a body of its own."""
    return any(text and is_substitute_heading(text) for text in (section.heading, lead and lead.text))


def _from_prose(drafts, claims, index, section: Section, block: Block) -> None:
    sentences = split_sentences(block.text)
    in_member_section = section.heading is not None and is_member_heading(section.heading)
    for n, sentence in enumerate(sentences):
        prose = parse_prose(sentence)
        if prose:
            name, members = prose
            _draft(drafts, name, index).add(members)
        seat = parse_seat_sentence(sentence) if in_member_section else None
        if seat:
            _draft(drafts, section.heading, index).add((seat,))
        following = sentences[n + 1] if n + 1 < len(sentences) else ""
        for claim in chair_claims(sentence):
            claims.append((index, claim, pronoun_title(following)))


def _entry_line(section: Section, block: Block) -> bool:
    """A lone short line under a member heading ('Kari Nordmann (Helse Vest)') is a list of one."""
    return (
        section.heading is not None
        and is_member_heading(section.heading)
        and len(block.text.split()) <= 12
        and not block.text.endswith((".", ":", "!", "?"))
        and bool(parse_item(block.text))
    )


def _draft(drafts: list[_Draft], name: str, section: int) -> _Draft:
    for draft in drafts:
        if draft.name.casefold() == name.casefold():
            return draft
    drafts.append(_Draft(name, section))
    return drafts[-1]


def _member_context(section: Section, lead: Block | None, items: list[Block]) -> bool:
    if section.heading and is_member_heading(section.heading):
        return True
    if lead is not None and lead.text.endswith(":") and is_member_heading(lead.text):
        return True
    header = items[0].header if items[0].kind == "row" else ()
    return any(w in _TABLE_HEADER_WORDS for cell in header for w in words(cell))


def _list_name(section: Section, lead: Block | None, page_title: str | None) -> str:
    if section.heading and is_member_heading(section.heading):
        return section.heading
    if lead is not None:
        low = lead.text.lower()
        for phrase in MEMBER_PHRASES:
            if phrase in low:
                subject = group_phrase(lead.text[: low.index(phrase)])
                if subject:
                    return subject
    return section.heading or page_title or "Medlemmer"


def _apply_claims(drafts: list[_Draft], claims, page_title: str | None) -> None:
    explicit = [c for c in claims if c[1].explicit]
    for index, claim, title in explicit:
        draft = _claim_target(drafts, index, claim)
        draft.chair = claim.name
        if title:
            draft.members = [
                replace(m, title=title) if m.name == claim.name and not m.title else m
                for m in draft.members
            ]
    if explicit or drafts:
        return
    for index, claim, _ in claims:
        _draft(drafts, page_title or claim.body or "Leiing", index).chair = claim.name
        return


def _claim_target(drafts: list[_Draft], index: int, claim: ChairClaim) -> _Draft:
    """The group a chair sentence is about: its section's group, a named one, or a new one."""
    in_section = [d for d in drafts if d.section == index]
    for draft in in_section:
        if any(m.name == claim.name for m in draft.members):
            return draft
    if in_section:
        return in_section[0]
    for draft in drafts:
        if any(m.name == claim.name for m in draft.members):
            return draft
    if claim.body:
        for draft in drafts:
            if fuzzy_in(claim.body.lower(), (draft.name.lower(),), cutoff=80):
                return draft
        if len(drafts) == 1 and claim.body[:1].islower():
            return drafts[0]
    return _draft(drafts, group_phrase(claim.body) if claim.body else "Leiing", index)


def _sub_bodies(groups: list[Group], related: tuple[RelatedLink, ...]) -> list[Group]:
    """Linked sub-bodies ('Regionalt fagnettverk Helse Vest') chaired by a listed member."""
    known = {g.name.casefold() for g in groups}
    out: list[Group] = []
    for link in related:
        region = find_region(link.title)
        if region is None or link.title.casefold() in known:
            continue
        chair = _sub_body_chair(groups, link.title, region)
        if chair:
            out.append(Group(clean(link.title), chair, ()))
            known.add(link.title.casefold())
    return out


def _sub_body_chair(groups: list[Group], title: str, region: str) -> str | None:
    title_words = words(title)
    for group in groups:
        for member in group.members:
            for m in _LEADS_SUB_BODY.finditer(member.role or ""):
                body = m["body"].lower()
                same_body = any(w[:8] == body[:8] for w in title_words if len(w) >= 6)
                if same_body and find_region(m["region"]) == region:
                    return member.name
    return None
