"""Chair sentences: who leads the body, when the page says it in prose.

"Hilde Myhren leier fagrådet.", "NorPreM ledes av Hege Russnes (OUSHF).",
"Fagrådet ledes av divisjonsdirektør Kari Nordmann.", "Leiar er Kari Nordmann.",
and a project leader named by title ("prosjektleder Kari Nordmann"). A following
"Ho/Hun/Han er <title>." gives the chair's job title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.persons import INITIAL, NAME_TOKEN, PARTICLES, PERSON_DETECTOR
from extractors.text import clean
from extractors.vocabulary import is_body_word

_NAME = rf"(?:{NAME_TOKEN}|{INITIAL})(?:\s+(?:(?:{'|'.join(PARTICLES)})\s+)*(?:{NAME_TOKEN}|{INITIAL}))*"
_LEADS = re.compile(
    rf"(?P<name>{_NAME})\s+(?:leier|leiar|leder|leiier)\s+(?P<body>[\wæøåÆØÅ-]+)"
)
_LED_BY = re.compile(
    rf"(?P<body>[\wæøåÆØÅ-]+)\s+(?:ledes|leiast|leies|blir ledet|blir leia|vert leia|vert leidd)\s+av\s+"
    rf"(?:[a-zæøå][\wæøå-]*\s+){{0,8}}?(?P<name>{_NAME})(?:\s*\((?P<org>[^()]+)\))?"
)
_CHAIR_IS = re.compile(
    rf"\b(?:Leder|Leiar|Styreleder|Styreleiar)(?:\s+(?:for|av|i)\s+[\wæøå-]+)?\s+er\s+(?P<name>{_NAME})"
)
_TITLED = re.compile(rf"\b(?:[Pp]rosjektleder|[Pp]rosjektleiar|[Nn]ettverksleder)\s+(?P<name>{_NAME})")
_PRONOUN_TITLE = re.compile(r"^(?:Ho|Hun|Han)\s+er\s+(?P<title>[a-zæøå].+?)\s*\.?$")


@dataclass(frozen=True)
class ChairClaim:
    name: str
    body: str | None  # the body word the sentence names ('fagrådet', 'NorPreM'), if any
    organisation: str | None
    explicit: bool  # a leads/led-by sentence, not just a title in passing
    sentence: str


def chair_claims(sentence: str) -> list[ChairClaim]:
    sentence = clean(sentence)
    claims = []
    for pattern, explicit in ((_LEADS, True), (_LED_BY, True), (_CHAIR_IS, True), (_TITLED, False)):
        for m in pattern.finditer(sentence):
            name = _person_suffix(m["name"])
            if not name:
                continue
            body = m.groupdict().get("body")
            if body is not None and pattern is _LEADS and not is_body_word(body):
                continue
            org = m.groupdict().get("org")
            claims.append(ChairClaim(name, body, clean(org) if org else None, explicit, sentence))
    return claims


def pronoun_title(sentence: str) -> str | None:
    """'Ho er direktør for divisjon X.' -> 'direktør for divisjon X'."""
    m = _PRONOUN_TITLE.match(clean(sentence))
    return m["title"] if m else None


def _person_suffix(text: str) -> str | None:
    """The longest tail of a capitalised run that is a person ('Fagrådet Kari Nordmann' -> 'Kari Nordmann')."""
    tokens = text.split()
    for start in range(len(tokens) - 1):
        candidate = " ".join(tokens[start:])
        if PERSON_DETECTOR.is_person(candidate):
            return candidate
    return None
