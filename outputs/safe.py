"""Scraped text made safe to write: no control characters, whatever the output.

Pages are untrusted. A member's name may carry an escape sequence (ESC ] 0 ; … BEL retitles a
terminal, ESC [ 2 J clears it), a form feed or a NUL (invalid in XML, so one would break the
Atom feed), or bidirectional overrides that make text read differently from what it is.
Extraction strips these too; every writer also passes scraped text through `clean` (one-line
fields) before its own escaping, so a page stored before that, or a path extraction missed,
still cannot reach a terminal, a feed reader or a spreadsheet.
"""

from __future__ import annotations

import re

# Bidirectional embeddings, overrides and isolates ("Trojan Source"); LRM/RLM marks are harmless.
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_CONTROL = re.compile(f"[\x00-\x1f\x7f-\x9f{_BIDI}\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff]")
_TERMINAL = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f{_BIDI}]")
_SPACE = re.compile(r"[\t\n\r\x0b\x0c\x1c-\x1f\x85]")
_FORMULA = ("=", "+", "-", "@")


def clean(text: str) -> str:
    """One line of scraped text with every control character gone (line breaks become spaces)."""
    return _CONTROL.sub("", _SPACE.sub(" ", text)) if _CONTROL.search(text) else text


def printable(text: str) -> str:
    """Terminal output: control characters other than tab, newline and carriage return removed."""
    return _TERMINAL.sub("", text)


def cell(value):
    """A CSV/spreadsheet cell: clean, and a leading = + - @ quoted with ' so no spreadsheet runs it."""
    if not isinstance(value, str):
        return value
    value = clean(value)
    return "'" + value if value.startswith(_FORMULA) else value


def clean_json(value):
    """Every string in a JSON-shaped value cleaned (keys included)."""
    if isinstance(value, str):
        return clean(value)
    if isinstance(value, dict):
        return {clean_json(k): clean_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [clean_json(v) for v in value]
    return value
