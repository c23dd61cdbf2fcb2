"""Words the pages use, in Bokmål and Nynorsk: headings, roles, the health regions.

Kept in one place so that a new spelling is one edit, and matched typo-tolerantly
(rapidfuzz) because pages misspell their own headings ("Kooridneringsgruppen").
"""

from __future__ import annotations

import re

from functools import lru_cache

from rapidfuzz import fuzz

# Headings and lead-ins that introduce who sits in a body.
MEMBER_WORDS = (
    "medlemmer", "medlemar", "medlemmar", "representanter", "representantar", "sammensetning",
    "samansetning", "deltakere", "deltakarar", "koordineringsgruppe", "koordineringsgruppen",
    "arbeidsutvalg", "arbeidsutvalget", "arbeidsgruppe", "arbeidsgruppen", "arbeidsgruppa",
    "styringsgruppe", "styringsgruppen", "styringsgruppa", "referansegruppe", "referansegruppen",
    "fagnettverk", "fagnettverket", "sekretariat", "sekretariatet", "ledelse", "leiing", "leder",
    "leiar", "styre", "styret", "utvalg", "utval", "utvalget", "fagråd", "fagrådet", "råd",
    "rådet", "gruppe", "gruppen", "gruppa", "enhet", "eining", "members",
)
MEMBER_PHRASES = ("består av", "bestående av", "beståande av", "er sett saman av", "er satt sammen av",
                  "bestått av", "bestå av", "besto av", "bestod av", "skal sitte", "skal sitja", "skal sitje",
                  "følgende personer", "fylgjande personar", "følgende medlemmer", "fylgjande medlemmer",
                  "følgende sammensetning", "fylgjande samansetjing", "er sammensatt slik", "er oppnevnt til",
                  "er oppnemnde til", "er oppnevnt som", "følgende er oppnevnt", "følgjande er oppnemnde")
# Body nouns: what a group name or a chair sentence talks about.
BODY_STEMS = (
    "gruppe", "gruppa", "utvalg", "utval", "råd", "nettverk", "styre", "forum", "enhet", "eining",
    "sekretariat", "komité", "komite", "panel", "senter", "senteret", "board", "committee", "council",
)
MANDATE_STEMS = ("formål", "oppgave", "oppgåve", "mandat", "ansvarsområde", "arbeidsoppgåve")

# Seat roles: what a parenthesis or a prefix says a person does in the body.
ROLE_WORDS = (
    "leder", "leiar", "nestleder", "nestleiar", "medlem", "varamedlem", "vara", "sekretær",
    "observatør", "prosjektadministrator", "prosjektleder", "prosjektleiar", "koordinator",
    "styreleder", "styreleiar", "fagnettverksleder", "nettverksleder", "kommunikasjonsrådgiver",
    "kommunikasjonsrådgjevar", "rådgiver", "rådgjevar", "representant", "brukerrepresentant",
    "brukarrepresentant", "sekretariat", "fagleder", "fagleiar", "kasserer", "kasserar", *(
        # the chair of an association's county, district or local board goes by its level
        f"{level}{word}" for level in ("fylkes", "krets", "lokallags") for word in ("leder", "leiar")),
)
ROLE_SUFFIXES = ("leder", "leiar", "rådgiver", "rådgjevar", "administrator", "koordinator", "sekretær")
CHAIR_ROLES = ("leder", "leiar", "styreleder", "styreleiar", "fylkesleder", "fylkesleiar", "kretsleder", "kretsleiar",
               "lokallagsleder", "lokallagsleiar", "chair", "chairman", "chairwoman", "chairperson")
# Seat roles proper (not job titles): what a "Leder:" label, a <dt> or a Rolle column says.
SEAT_ROLES = ("nestleder", "nestleiar", "medlem", "varamedlem", "vara", "sekretær", "observatør", "kasserer", "kasserar",
              "vice chair", "deputy chair", "secretary", "observer", "treasurer",  # bilingual pages
              "brukerrepresentant", "brukarrepresentant", *CHAIR_ROLES)
# Headings and labels whose people are substitutes of the member group above them.
SUBSTITUTE_WORDS = ("vara", "varamedlem", "varamedlemmer", "varamedlemar", "varamedlemmar",
                    "vararepresentanter", "vararepresentantar")
SUBSTITUTE_ROLE = "varamedlem"
# Labels that say a line is about something other than a seat ("Kontaktperson:", "Foto:").
NOT_SEAT_LABELS = ("kontakt", "foto", "tekst", "av", "redaktør", "journalist", "kilde", "e-post",
                   "revisjon", "revisor", "ansvarlig redaktør", "webansvarlig", "nettredaktør",
                   "epost", "telefon", "tlf", "adresse", "publisert", "oppdatert", "sist", "dato",
                   "sted", "stad", "møte", "referat", "innkalling", "spørsmål", "merk", "ansvarlig",
                   "ansvarleg", "les", "sjå", "se", "illustrasjon", "intervju")

# The four regional health authorities and the ways pages write them.
REGIONS = {
    "Helse Sør-Øst": ("helse sør-øst", "helse sør øst", "helse sørøst", "hsø", "helse sør-øst rhf",
                      "helse sør-aust", "helse sør aust", "helse sør-aust rhf"),
    "Helse Vest": ("helse vest", "helse vest rhf"),
    "Helse Midt-Norge": ("helse midt-norge", "helse midt norge", "helse midt", "hmn", "helse midt-norge rhf",
                         "helse midt-noreg", "helse midt noreg", "helse midt-noreg rhf"),
    "Helse Nord": ("helse nord", "helse nord rhf"),
}
_REGION_PATTERN = re.compile(
    r"\b(?:" + "|".join(
        re.escape(v).replace(r"\ ", r"\s+").replace(r"\-", r"[-\s]?")
        for variants in REGIONS.values() for v in sorted(variants, key=len, reverse=True)
    ) + r")\b",
    re.IGNORECASE,
)


def words(text: str) -> list[str]:
    return re.findall(r"[\wæøåÆØÅ-]+", text.lower())


def fuzzy_in(word: str, vocabulary: tuple[str, ...], cutoff: int = 88) -> bool:
    """Exact, or a near spelling for longer words (typos like 'kooridnering')."""
    if word in vocabulary:
        return True
    if len(word) < 8:
        return False
    return any(len(v) >= 8 and fuzz.ratio(word, v) >= cutoff for v in vocabulary)


@lru_cache(maxsize=4096)
def is_member_heading(text: str) -> bool:
    low = text.lower()
    if any(p in low for p in MEMBER_PHRASES):
        return True
    return any(fuzzy_in(w, MEMBER_WORDS) or _compound_of(w, MEMBER_WORDS) for w in words(text))


def is_body_word(word: str) -> bool:
    word = word.lower()
    return any(stem in word for stem in BODY_STEMS) or fuzzy_in(word, MEMBER_WORDS)


def is_mandate_text(text: str) -> bool:
    return any(any(w.startswith(stem) or stem in w for stem in MANDATE_STEMS) for w in words(text))


def _compound_of(word: str, vocabulary: tuple[str, ...]) -> bool:
    """'fagrådsmedlemmer', 'brukarrepresentantar': a compound ending in a known word."""
    return len(word) > 10 and any(len(v) >= 8 and word.endswith(v) for v in vocabulary)


def is_role(text: str) -> bool:
    """'leiar', 'leder av fagnettverk i Helse Vest', 'prosjektadministrator' ..."""
    ws = words(text)
    if not ws:
        return False
    first = ws[0]
    return first in ROLE_WORDS or (len(first) > 6 and first.endswith(ROLE_SUFFIXES))


def is_chair_role(role: str | None) -> bool:
    return bool(role) and role.strip().lower() in CHAIR_ROLES


def find_region(text: str) -> str | None:
    """The region named anywhere in the text, spelled as the text spells it ('Helse Midt',
    'Helse Nord RHF'); ``canonical_region`` says which of the four it is."""
    m = _REGION_PATTERN.search(text)
    return re.sub(r"\s+", " ", m.group(0)).strip() if m else None


def canonical_region(text: str) -> str | None:
    key = re.sub(r"\s+", " ", text.strip().lower())
    for name, variants in REGIONS.items():
        if key in variants or key.replace("-", " ") in {v.replace("-", " ") for v in variants}:
            return name
    return None


def is_region(text: str) -> bool:
    return canonical_region(text) is not None


def is_regional_authority(text: str) -> bool:
    """'Helse Vest RHF' is an organisation that is also a region; bare 'Helse Vest' only a region."""
    return is_region(text) and text.strip().upper().endswith("RHF")


def seat_role(text: str) -> str | None:
    """A label or cell that is a seat role, lower-cased ('Leder' -> 'leder', 'Vara' -> 'varamedlem')."""
    low = " ".join(words(text))
    if low in SUBSTITUTE_WORDS:
        return SUBSTITUTE_ROLE
    return low if low in SEAT_ROLES else None


def is_not_seat_label(text: str) -> bool:
    """'Kontaktperson', 'Foto', 'Sist oppdatert': a label whose person holds no seat."""
    ws = words(text)
    if not ws:
        return True
    return any(ws[0] == stem or (len(stem) > 3 and ws[0].startswith(stem)) for stem in NOT_SEAT_LABELS)


def is_side_label(text: str) -> bool:
    """'Arbeidsgiversiden', 'Arbeidstakarsida', 'Fra arbeidstakersiden': which side of a
    joint committee the people under it sit for; a side is no organisation."""
    ws = words(text)
    return bool(ws) and len(ws) <= 3 and len(ws[-1]) > 6 and ws[-1].endswith(("siden", "sida", "sidan"))


def is_substitute_heading(text: str) -> bool:
    """'Varamedlemar', 'Vara' - the people under it are substitutes, not a body of their own."""
    ws = words(text)
    return bool(ws) and ws[0] in SUBSTITUTE_WORDS
