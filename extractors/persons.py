"""Is this a person's name? The shape rules, and the NER model that overrules them.

``looks_like_person_name`` judges by the shape of the words; ``ModelPersonDetector`` adds
the Norwegian NER model (``extractors.ner``), which knows that "Vestre Viken" and "Unge
Funksjonshemmede" are organisations although they look like names. Every caller goes
through ``PERSON_DETECTOR``, whose version (the model's) is part of ``EXTRACTOR_VERSION``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Protocol

from extractors import ner

# Latin letters with their diacritics ("Begić", "Ødegård", "Nuñez"), by case.
UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĔĖĘĚĜĞĠĢĤĦĨĪĬĮİĲĴĶĹĻĽĿŁŃŅŇŊŌŎŐŒŔŖŘŚŜŞŠŢŤŦŨŪŬŮŰŲŴŶŸ-ŹŻŽƁ-ƂƄƆ-ƇƉ-ƋƎ-ƑƓ-ƔƖ-ƘƜ-ƝƟ-ƠƢƤƦ-ƧƩƬƮ-ƯƱ-ƳƵƷ-ƸƼǄǇǊǍǏǑǓǕǗǙǛǞǠǢǤǦǨǪǬǮǱǴǶ-ǸǺǼǾȀȂȄȆȈȊȌȎȐȒȔȖȘȚȜȞȠȢȤȦȨȪȬȮȰȲȺ-ȻȽ-ȾɁɃ-ɆɈɊɌɎ"
LOWER = "a-zß-öø-ÿāăąćĉċčďđēĕėęěĝğġģĥħĩīĭįıĳĵķ-ĸĺļľŀłńņň-ŉŋōŏőœŕŗřśŝşšţťŧũūŭůűųŵŷźżž-ƀƃƅƈƌ-ƍƒƕƙ-ƛƞơƣƥƨƪ-ƫƭưƴƶƹ-ƺƽ-ƿǆǉǌǎǐǒǔǖǘǚǜ-ǝǟǡǣǥǧǩǫǭǯ-ǰǳǵǹǻǽǿȁȃȅȇȉȋȍȏȑȓȕȗșțȝȟȡȣȥȧȩȫȭȯȱȳ-ȹȼȿ-ɀɂɇɉɋɍɏ"
_NAME_PART = rf"[{UPPER}](?:['’][{UPPER}])?(?:[{LOWER}]+(?:[{UPPER}][{LOWER}]+)?|')[{LOWER}'’]*"
NAME_TOKEN = rf"{_NAME_PART}(?:[-\u2010\u2011\u2013]{_NAME_PART})*"  # 'Stray-Pedersen', typed 'Stray–Pedersen' too
INITIAL = rf"[{UPPER}]\."
PARTICLES = ("van", "von", "de", "der", "den", "af", "la", "le", "da", "di", "du", "del", "ter", "ten")
ABBREVIATED = rf"[{UPPER}][{LOWER}]{{1,2}}\."  # 'Aa.', 'Chr.', 'Th.': a middle name cut short
_TOKEN = re.compile(rf"^(?:{NAME_TOKEN}|{INITIAL}(?:-?{INITIAL})?|{ABBREVIATED})$")
_FULL_TOKEN = re.compile(rf"^{NAME_TOKEN}$")

# Words that are capitalised but never part of a personal name on these pages.
_NOT_NAME_WORDS = {
    "restaurant", "reiseliv", "hotell", "kafé", "kafe", "bibliotek", "biblioteket", "skule", "skulen", "skole",
    "skolen", "fagskule", "fagskulen", "fagskole", "fagskolen", "barnehage", "barnehagen", "museum", "museet",
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
    "institutt", "etaten", "verket", "forening", "foreininga", "ombudet", "avdelingen", "avdelinga",
    "næringsråd", "firmaet", "advokatfirma", "sparebank", "banken",
    "kontoret", "seksjonen", "enheten", "fakultetet", "parlamentet", "laget", "lagene",
    "forum", "forumet", "senter", "klubb", "klubben", "alliansen", "samvirke", "stiftelse", "stiftelsen",
)


class PersonDetector(Protocol):
    """What extraction needs to know about persons; the NER model implements the same."""

    version: str

    def is_person(self, name: str) -> bool: ...

    def prefetch(self, names) -> None: ...


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
    entities_of_each: Callable[[list[str]], list[list[tuple[int, int, str, str]]]] | None = None
    _cache: dict = field(default_factory=dict, compare=False, repr=False)

    def is_person(self, name: str) -> bool:
        if name not in self._cache:
            whole = name.strip()
            self._cache[name] = looks_like_person_name(name) and self._not_vetoed(whole, self.entities(whole))
        return self._cache[name]

    def prefetch(self, names) -> None:
        """Ask the model about every name-shaped candidate of a page in one batch, so the
        questions extraction asks afterwards are answered from the cache."""
        todo = sorted({n for n in names if n not in self._cache and looks_like_person_name(n)})
        if not todo or self.entities_of_each is None:
            return
        for name, found in zip(todo, self.entities_of_each([n.strip() for n in todo])):
            self._cache[name] = self._not_vetoed(name.strip(), found)

    @staticmethod
    def _not_vetoed(whole: str, found) -> bool:
        return not any(label != "PER" and text == whole for _, _, label, text in found)


_INITIALS_FIRST = re.compile(rf"^(?:{INITIAL}\s*)+$")


def not_name_word(word: str) -> bool:
    """'Helse', 'Norsk', 'Sykepleierforbund', 'Brukerutvalget': a word of organisations and
    places that is never part of a person's name."""
    low = word.lower()
    return low in _NOT_NAME_WORDS or (len(low) > 7 and low.endswith(_NOT_NAME_SUFFIXES))


def looks_like_person_name(text: str) -> bool:
    """2-6 capitalised name words, initials and particles allowed; it opens with a whole name
    word or with two initials ('A. K. Morken'), and ends with a whole name word."""
    tokens = text.split()
    if not 2 <= len(tokens) <= 6:
        return False
    opens = _FULL_TOKEN.match(tokens[0]) or (len(tokens) >= 3 and _INITIALS_FIRST.match(" ".join(tokens[:2])))
    if not (opens and _FULL_TOKEN.match(tokens[-1])):
        return False
    for tok in tokens:
        low = tok.lower()
        if low in PARTICLES and tok is not tokens[0]:
            continue
        if not _TOKEN.match(tok):
            return False
        if not_name_word(tok):
            return False
    return True


PERSON_DETECTOR: PersonDetector = ModelPersonDetector(ner.entities, ner.MODEL_VERSION, ner.entities_of_each)
