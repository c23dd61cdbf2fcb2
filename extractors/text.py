"""Text normalisation shared by every extraction step.

Pages carry NO-BREAK SPACE, NARROW NO-BREAK SPACE, zero-width characters and trailing
blanks that a reader never sees; facts must not change when only those change.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u3000]+")
# Invisible, and untrusted: zero-width and soft hyphen; C0/DEL/C1 controls (ESC sequences),
# bidi embeddings, overrides and isolates, lone surrogates and noncharacters (whitespace
# controls are spaces, below). outputs/safe.py strips the same from what is written.
# A terminal control sequence ('ESC[2J', 8-bit CSI) goes whole, not leaving '[2J' in a name.
_INVISIBLE = re.compile("(?:\x1b\\[|\x9b)[0-?]*[ -/]*[@-~]|"
                        "[\u200b\u200c\u200d\u2060\ufeff\u00ad\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f"
                        "\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")


def strip_invisible(text: str) -> str:
    """``text`` without what a reader never sees and a terminal or a bidi renderer would obey."""
    return _INVISIBLE.sub("", text)
_BULLET_MARK = re.compile(r"^\s*(?:[•·▪●◦‣∙*]|[-–—](?=\s))\s*")


@lru_cache(maxsize=65536)
def clean(text: str) -> str:
    """NFC, invisible characters dropped, every kind of space collapsed to one, stripped.
    (Memoised: extraction cleans the same few thousand strings of a page many times.)"""
    text = unicodedata.normalize("NFC", text)
    text = _INVISIBLE.sub("", text)
    return _SPACES.sub(" ", text).strip()


def strip_bullet(text: str) -> str:
    """The text of a list item without its typed bullet sign ('• ', '- ', '– ')."""
    return _BULLET_MARK.sub("", text, count=1).strip()


_QUOTE_TAIL = re.compile(r",\s+(?:sier|seier|sa|uttaler|forteller|fortel)\s+\S", re.IGNORECASE)


def has_bullet(text: str) -> bool:
    """A typed bullet; a news quote ('– Vi er i gang, sier X.') starts with a dash but is none."""
    return bool(_BULLET_MARK.match(text)) and not _QUOTE_TAIL.search(text)


def split_sentences(text: str) -> list[str]:
    """Sentences, not split inside parentheses nor after initials and abbreviations."""
    sentences: list[str] = []
    depth = 0
    start = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch in ".!?" and depth == 0 and _ends_sentence(text, i):
            sentences.append(text[start : i + 1].strip())
            start = i + 1
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if s]


_ABBREVIATIONS = {"bl.a", "f.eks", "dvs", "m.fl", "ca", "nr", "jf", "mv", "osv", "pr", "t.d", "m.a"}


def _ends_sentence(text: str, i: int) -> bool:
    rest = text[i + 1 :]
    if rest and not rest[0].isspace():
        return False
    word = re.search(r"(\S+)$", text[:i])
    token = word.group(1) if word else ""
    if re.fullmatch(r"[A-ZÆØÅ]", token) or token.lower() in _ABBREVIATIONS:
        return False
    return True


def split_top_level(text: str, separators: re.Pattern[str]) -> list[str]:
    """Split on a separator pattern, but never inside parentheses."""
    parts: list[str] = []
    depth = 0
    start = 0
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = separators.match(text, i)
            if m and m.end() > i:
                parts.append(text[start:i])
                start = i = m.end()
                continue
        i += 1
    parts.append(text[start:])
    return [p.strip() for p in parts if p.strip()]
