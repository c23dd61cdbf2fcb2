"""Is this a person's name? The interim, rule-based detector, and the model adapter.

The Norwegian NER model (``extractors.ner``) will answer this question; until it ships,
``InterimPersonDetector`` does, from the shape of the words. Every caller goes through
``PERSON_DETECTOR``, so switching to the model is one line here::

    from extractors import ner
    PERSON_DETECTOR = ModelPersonDetector(ner.entities, ner.MODEL_VERSION)

and ``EXTRACTOR_VERSION`` then carries the model version.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from extractors import ner

_UPPER = "A-ZÆØÅÄÖÜÉÈÁÓÍÚ"
_LOWER = "a-zæøåäöüéèáóíúñçß"
_NAME_PART = rf"[{_UPPER}](?:['’][{_UPPER}])?(?:[{_LOWER}]+(?:[{_UPPER}][{_LOWER}]+)?|')[{_LOWER}'’]*"
NAME_TOKEN = rf"{_NAME_PART}(?:-{_NAME_PART})*"
INITIAL = rf"[{_UPPER}]\."
PARTICLES = ("van", "von", "de", "der", "den", "af", "la", "le", "da", "di", "du", "del", "ter", "ten")
_TOKEN = re.compile(rf"^(?:{NAME_TOKEN}|{INITIAL}(?:-?{INITIAL})?)$")
_FULL_TOKEN = re.compile(rf"^{NAME_TOKEN}$")
# A run of name-like words in running text (candidates for person_spans).
NAME_RUN = re.compile(
    rf"(?<![\w{_UPPER}])(?:{NAME_TOKEN}|{INITIAL})(?:\s+(?:(?:{'|'.join(PARTICLES)})\s+)?(?:{NAME_TOKEN}|{INITIAL}))+"
)

# Words that are capitalised but never part of a personal name on these pages.
_NOT_NAME_WORDS = {
    "helse", "helsedirektoratet", "direktoratet", "norsk", "norges", "nasjonal", "nasjonalt",
    "nasjonale", "regional", "regionalt", "regionale", "oslo", "bergen", "trondheim", "tromsø",
    "universitet", "universitetet", "sykehus", "sykehuset", "cancer", "cluster", "strategi",
    "fagråd", "fagrådet", "rådet", "nettverket", "kompetansenettverket", "koordineringsgruppen",
    "det", "den", "dei", "de", "han", "hun", "ho", "her", "alle", "som", "med", "for", "og",
    "i", "på", "til", "fra", "frå", "les", "se", "sjå", "kontakt", "om", "referat", "innkalling",
    "agenda", "januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
    "september", "oktober", "november", "desember", "mandag", "tirsdag", "onsdag", "torsdag",
    "fredag", "lørdag", "søndag", "fagdirektør", "prosjektleder", "direktør", "leder", "leiar",
    "medlemmer", "representantar", "representanter", "rhf", "hf", "as", "asa", "sa", "ks",
    "ntnu", "ous", "oushf", "fhi", "hod", "nav", "ffo", "sintef", "forskningsråd", "foreningen",
    "gruppe", "gruppen", "utvalg", "utvalget", "nettverk", "fagnettverk", "senter", "senteret",
    "departementet", "kommune", "fylkeskommune", "etter", "ved", "dette", "disse", "nå", "når",
    "statens", "kommunenes", "noregs",
}
_NOT_NAME_SUFFIXES = (
    "direktoratet", "instituttet", "registeret", "foreningen", "tilsynet", "rådet", "forbundet",
    "forbund", "organisasjon", "organisasjonen", "sektoren", "industrien", "sykehuset",
    "universitetet", "departementet", "senteret", "nettverket", "gruppen", "gruppa", "utvalget",
    "kommune", "fylke", "foretak", "føretak", "føretaka", "foretakene", "tjenesten", "tenesta",
    "tilsyn", "sykehus", "sjukehus", "sjukehuset", "selskap", "selskapet", "klinikk", "klinikken",
    "institutt", "etaten", "verket", "forening", "foreininga",
)


class PersonDetector(Protocol):
    """What extraction needs to know about persons; the NER model implements the same."""

    version: str

    def is_person(self, name: str) -> bool: ...

    def person_spans(self, text: str) -> list[tuple[int, int, str]]: ...


@dataclass(frozen=True)
class InterimPersonDetector:
    """Names by shape: 2-6 capitalised tokens (initials and particles allowed), no org words."""

    version: str = "interim-rules-1"

    def is_person(self, name: str) -> bool:
        return looks_like_person_name(name)

    def person_spans(self, text: str) -> list[tuple[int, int, str]]:
        spans = []
        for m in NAME_RUN.finditer(text):
            start, end = _trim_to_name(text, m.start(), m.end())
            if end > start and looks_like_person_name(text[start:end]):
                spans.append((start, end, text[start:end]))
        return spans


@dataclass(frozen=True)
class ModelPersonDetector:
    """A name is a person when it has a name's shape and the NER model does not call all of it something else.

    Names are asked about alone, without the sentence that would tell the model more, and
    then the model often tags only part of a name ("F. Widerberg" of "Ketil F. Widerberg")
    or a surname that is also a place ("Kvam" of "Nils-Petter Kvam"). So only an entity
    over the whole name decides: "Helse Nord" tagged ORG is not a person. ``entities`` is
    ``extractors.ner.entities``; answers are cached per name, since one page asks about the
    same few names many times.
    """

    entities: Callable[[str], list[tuple[int, int, str, str]]]
    version: str
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def is_person(self, name: str) -> bool:
        if name not in self._cache:
            whole = name.strip()
            self._cache[name] = looks_like_person_name(name) and not any(
                label != "PER" and text == whole for _, _, label, text in self.entities(whole)
            )
        return self._cache[name]

    def person_spans(self, text: str) -> list[tuple[int, int, str]]:
        return [(a, b, t) for a, b, label, t in self.entities(text) if label == "PER" and looks_like_person_name(t)]


def looks_like_person_name(text: str) -> bool:
    tokens = text.split()
    if not 2 <= len(tokens) <= 6:
        return False
    if not (_FULL_TOKEN.match(tokens[0]) and _FULL_TOKEN.match(tokens[-1])):
        return False
    for tok in tokens:
        low = tok.lower()
        if low in PARTICLES and tok is not tokens[0]:
            continue
        if not _TOKEN.match(tok):
            return False
        if low in _NOT_NAME_WORDS or (len(low) > 7 and low.endswith(_NOT_NAME_SUFFIXES)):
            return False
    return True


def _trim_to_name(text: str, start: int, end: int) -> tuple[int, int]:
    """Drop leading capitalised non-name words (sentence starts like 'Her', 'Fagrådet')."""
    words = list(re.finditer(r"\S+", text[start:end]))
    while len(words) >= 2 and words[0].group(0).lower() in _NOT_NAME_WORDS | _leading_junk(words[0].group(0)):
        words = words[1:]
    if len(words) < 2:
        return start, start
    return start + words[0].start(), start + words[-1].end()


def _leading_junk(word: str) -> set[str]:
    low = word.lower()
    return {low} if len(low) > 7 and low.endswith(_NOT_NAME_SUFFIXES) else set()


PERSON_DETECTOR: PersonDetector = ModelPersonDetector(ner.entities, ner.MODEL_VERSION)
