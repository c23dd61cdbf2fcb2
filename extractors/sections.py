"""Sections of the article: what each heading covers.

A heading is an h1-h6, a paragraph that is entirely bold, or a short title line (a few
words, capitalised, no closing punctuation) followed by more content; redesigns turn
one into the other, and the facts under them must not move.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.content import Block

_END_PUNCT = re.compile(r"[.:;,!?…]$")


@dataclass(frozen=True)
class Section:
    heading: str | None
    blocks: tuple[Block, ...]


def split_sections(blocks: tuple[Block, ...]) -> tuple[Section, ...]:
    sections: list[Section] = []
    heading: str | None = None
    current: list[Block] = []
    for i, block in enumerate(blocks):
        if _is_heading(block, blocks[i + 1] if i + 1 < len(blocks) else None, blocks[i - 1] if i else None):
            if heading is not None or current:
                sections.append(Section(heading, tuple(current)))
            heading, current = block.text, []
        else:
            current.append(block)
    if heading is not None or current:
        sections.append(Section(heading, tuple(current)))
    return tuple(sections)


def _is_heading(block: Block, following: Block | None, previous: Block | None = None) -> bool:
    if block.kind == "heading":
        return True
    if block.kind != "text" or following is None or _END_PUNCT.search(block.text):
        return False
    if block.links and block.links[0].text == block.text:
        return False
    if block.bold and len(block.text) <= 100:
        return not names_a_person(block.text)
    if not is_title_line(block.text) or names_a_person(block.text):
        return False
    # 'Dekan Kari Moe (leder)' / 'Institutt for språk' / 'Professor Ola Lie': a record's line
    return not (previous is not None and previous.kind != "heading" and _short_record(previous)
                and _short_record(following) and not _names_a_seat(block.text))


def _names_a_seat(text: str) -> bool:
    """'Varamedlemmer', 'Styreleder', 'Ansattvalgte medlemmer', 'Likepersonskoordinator': a list's,
    a seat's or a post's heading, which stays one between two people's lines."""
    from extractors.fields import role_word
    from extractors.names import is_title_word
    from extractors.vocabulary import MEMBER_WORDS, is_member_heading, words

    return is_member_heading(text) or any(
        role_word(w) or is_title_word(w) or w in MEMBER_WORDS or w.startswith(("medlem", "vara", "represent"))
        for w in words(text))


def _short_record(block: Block) -> bool:
    """A short line that names a person: one line of a record, not running text."""
    return len(block.text) <= 120 and not _END_PUNCT.search(block.text) and names_a_person(block.text)


def names_a_person(text: str) -> bool:
    """'Kari Guldbrandsøy, Helse Vest' or a card's 'Einar Klæboe Kristoffersen' is an entry, not a title."""
    from extractors.names import find_names

    return bool(find_names(text))


def is_title_line(text: str) -> bool:
    """'Koordineringsgruppen', 'Formålet med noverande fagråd': short, capitalised, unpunctuated.

    A labelled line ('Nestleiar: Kari Nordmann') or one with a comma in it (a card's 'Leder,
    studentrepresentant') is an entry, not a title.
    """
    return (
        len(text) <= 60
        and len(text.split()) <= 6
        and text[:1].isupper()
        and not _END_PUNCT.search(text)
        and "@" not in text
        and ": " not in text
        and ", " not in text
        and not re.search(r"\d", text)
    )
