"""The mandate: the bullets under oppgave / oppgåver / formål / mandat headings.

A list counts when its section heading or the lead-in line right before it ("Formål og
oppgåver for Fagrådet:") names the purpose. Bullets come out clean: no bullet sign, no
NBSP or narrow NBSP, no trailing blanks.
"""

from __future__ import annotations

from extractors.content import Block
from extractors.sections import Section
from extractors.text import clean, strip_bullet
from extractors.vocabulary import is_mandate_text


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
