"""The one name key: how every stage tells whether two printed names are the same string.

Three levels, each built on the one before, used everywhere a name is compared:

* `normalise_name`: case, Unicode form, spacing, dashes (hyphen, en dash, minus, ...) and stray
  punctuation do not make a different name. Group names and mandate bullets use it too.
* `name_key`: `normalise_name`, with full stops as spaces (`Ketil F. Widerberg` and
  `Ketil F Widerberg`): two names with the same key are the same name, and give no event.
* `spelling_key`: one word as Norwegian spelling may vary it (silent h, sch/skj, x/ks,
  ph/f, c/k, doubled letters, æ/ae, ø/oe, å/aa, accents): the same person under another
  spelling gives a `name_variant` event (see `outputs.identity`), never a leave and a join.

`named_count` counts how often a name stands in a page's text under these keys, so the
history can tell a person the page stops naming from one that extraction missed.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

DASHES = "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_DASH = str.maketrans({d: "-" for d in DASHES})
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007]+")
_AROUND_HYPHEN = re.compile(r"\s*-\s*")
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Spelling pairs folded to one form, longest first; applied after case folding.
_SPELLINGS = (
    ("sch", "sj"), ("skj", "sj"), ("aa", "å"), ("ae", "æ"), ("oe", "ø"), ("ph", "f"), ("ck", "k"),
    ("ch", "k"), ("qu", "kv"), ("x", "ks"),
)
_LETTERS = str.maketrans({"c": "k", "w": "v", "z": "s", "q": "k", "é": "e", "ü": "y", "ö": "ø", "ä": "æ"})
_SILENT_H = re.compile(r"(?<=[^aeiouyæøå])h|^h(?=[jv])")
_DOUBLED = re.compile(r"(.)\1+")
_GIVEN_WINDOW = 3  # tokens allowed between a given name and the surname (middle names, initials)


def normalise_name(name: str) -> str:
    """Case, Unicode form, spacing, dashes and stray punctuation do not make a different name."""
    text = unicodedata.normalize("NFC", name).translate(_DASH)
    text = _AROUND_HYPHEN.sub("-", _SPACES.sub(" ", text)).strip(" .,;:-")
    return text.casefold()


@lru_cache(maxsize=65536)
def name_key(name: str) -> str:
    """Two names with the same key are the same name: `normalise_name`, full stops as spaces."""
    return " ".join(t for t in re.split(r"[\s.]+", normalise_name(name)) if t)


@lru_cache(maxsize=65536)
def spelling_key(word: str) -> str:
    """A Norwegian spelling key for one word: `Grethe`/`Grete`, `Alexander`/`Aleksander`,
    `Schjelderup`/`Schelderup`, `Ødegård`/`Oedegaard` get one key; `Eikvar`/`Eikvam` do not."""
    text = unicodedata.normalize("NFC", word.casefold()).translate(_DASH)
    text = text.translate(str.maketrans({"ö": "ø", "ä": "æ"}))
    text = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c) or c == "\u030a")
    text = unicodedata.normalize("NFC", text)
    for old, new in _SPELLINGS:
        text = text.replace(old, new)
    text = _SILENT_H.sub("", text.translate(_LETTERS))
    return _DOUBLED.sub(r"\1", text)


def text_keys(text: str) -> tuple[str, ...]:
    """The words of a text as spelling keys, in order (hyphenated words split)."""
    return tuple(spelling_key(w) for w in _WORD.findall(normalise_name(text).replace("-", " ")))


def named_count(name: str, page: tuple[str, ...]) -> int:
    """How often the page (as `text_keys`) names this person: the whole name in a row, or the
    first given name up to a few words before the surname (a middle name or initial added), or
    `Surname, Given`."""
    words = text_keys(name)
    if not words:
        return 0
    if len(words) == 1:
        return sum(1 for w in page if w == words[0])
    first, surname = words[0], words[-1]
    count = 0
    for at, word in enumerate(page):
        if word != surname:
            continue
        before = page[max(0, at - _GIVEN_WINDOW - len(words) + 2) : at]
        if first in before or page[at + 1 : at + 2] == (first,):
            count += 1
    return count
