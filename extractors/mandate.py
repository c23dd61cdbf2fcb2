"""The mandate: the bullets under oppgave / oppgåver / formål / mandat headings.

A list counts when its section heading or the lead-in line right before it ("Formål og
oppgåver for Fagrådet:") names the purpose. Bullets come out clean: no bullet sign, no
NBSP or narrow NBSP, no trailing blanks. A page whose mandate is written as prose only
(no list under any mandate heading) gives the paragraphs under those headings instead, so
that a changed mandate is still seen.
"""

from __future__ import annotations

from extractors.content import Block
from extractors.sections import Section
from extractors.text import clean, strip_bullet
from extractors.vocabulary import is_mandate_text


def page_mandate(sections: tuple[Section, ...]) -> list[str]:
    """Mandate bullets of the whole page, in order, each once; prose paragraphs when no list."""
    bullets: list[str] = []
    for section in sections:
        for lead, items in lists_of(section):
            if is_mandate_list(section, lead):
                bullets.extend(b for b in mandate_bullets(items) if b not in bullets)
    if bullets:
        return bullets
    for section in sections:
        if section.heading is None or not is_mandate_text(section.heading):
            continue
        for block in section.blocks:
            text = clean(block.text)
            if block.kind == "text" and text and text not in bullets:
                bullets.append(text)
    return bullets


def lists_of(section: Section) -> list[tuple[Block | None, list[Block]]]:
    """Each list in a section with the text block that leads into it (if any)."""
    out: list[tuple[Block | None, list[Block]]] = []
    previous: Block | None = None
    for block in section.blocks:
        if block.kind in ("item", "row"):
            if out and out[-1][1][-1].list_id == block.list_id and previous is out[-1][1][-1]:
                out[-1][1].append(block)
            else:
                lead = previous if previous is not None and previous.kind == "text" else None
                out.append((lead, [block]))
        previous = block
    return out


def is_mandate_list(section: Section, lead: Block | None) -> bool:
    if lead is not None and lead.text.endswith(":"):
        if is_mandate_text(lead.text):
            return True
    return section.heading is not None and is_mandate_text(section.heading)


def mandate_bullets(items: list[Block]) -> list[str]:
    return [b for b in (clean(strip_bullet(i.text)) for i in items) if b]
