"""Chair sentences: who leads the body, when the page says it in prose.

"Hilde Myhren leier fagrådet.", "NorPreM ledes av Hege Russnes (OUSHF).", "Fagrådet ledes
av divisjonsdirektør Kari Nordmann.", "Ekspertutvalget skal ledes av professor X, Org.",
"Leiar er Kari Nordmann.", "X fra Bergen ble valgt til ny leder.", "X er igjen oppnevnt som
styreleder", "X blir ny leder", "Brukerutvalgets nye leder, X, …", "Han ble gjenvalgt som
leder av <the body>" (the person named just before), and a project leader named by title
("prosjektleder Kari Nordmann"). A following "Ho/Hun/Han er <title>." gives the chair's job
title. "Leder av <another body>" and a "styreleder X" in passing chair nothing here.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from extractors.fields import Seat, classify
from extractors.names import find_names, is_person_name
from extractors.persons import INITIAL, NAME_TOKEN, PARTICLES
from extractors.text import clean
from extractors.vocabulary import is_body_word

_NAME = rf"(?:{NAME_TOKEN}|{INITIAL})(?:\s+(?:(?:{'|'.join(PARTICLES)})\s+)*(?:{NAME_TOKEN}|{INITIAL}))*"
_CHAIR_WORD = r"(?:leder|leiar|styreleder|styreleiar|utvalgsleder|utvalsleiar|rådsleder|rådsleiar)"
_LEADS = re.compile(
    rf"(?P<name>{_NAME})\s+(?:leier|leiar|leder|leiier)\s+(?P<body>[\wæøåÆØÅ-]+)"
)
# 'X (64) skal lede Lensmo kulturhus KF de neste fire årene': the body as the headline names it
_WILL_LEAD = re.compile(
    rf"(?P<name>{_NAME})(?:\s*\([^()]*\))?\s+(?:skal|vil)\s+(?:lede|leie|leia|leide)\s+"
    rf"(?P<body>[A-ZÆØÅa-zæøå][\wæøå-]*(?:\s+[A-ZÆØÅa-zæøå][\wæøå-]*){{0,3}}?)(?=\s+(?:de|dei|i|fra|frå|fram|framover|fremover|ut)\b|[.,;]|$)"
)
_LED_BY = re.compile(
    rf"(?P<body>[\wæøåÆØÅ-]+)\s+(?:skal\s+)?(?:ledes|leiast|leies|blir ledet|blir leia|vert leia|vert leidd)\s+av\s+"
    rf"(?P<title>(?:[a-zæøå][\wæøå.-]*\s+){{0,8}}?)(?P<name>{_NAME})"
    rf"(?:\s*\((?P<org>[^()]+)\)|,\s+(?P<org2>[A-ZÆØÅ][^,.;]*(?:\.[^\s][^,.;]*)*)|"
    rf"\s+(?:ved|fra|frå|hos|i)\s+(?P<org3>[A-ZÆØÅ][^,.;]*))?"
)
# "I 2025 ledes OSU av kommunedirektør X": the verb before the body (a sentence opening with an adverbial)
_LED_BY_INVERTED = re.compile(
    rf"\b(?:ledes|leiast|leies|vert leia|blir ledet|blir leia)\s+(?P<body>[\wæøåÆØÅ-]+)\s+av\s+"
    rf"(?P<title>(?:[a-zæøå][\wæøå.-]*\s+){{0,8}}?)(?P<name>{_NAME})"
    rf"(?:\s*\((?P<org>[^()]+)\)|,\s+(?P<org2>[A-ZÆØÅ][^,.;]*))?"
)
_CHAIR_IS = re.compile(
    rf"(?:^|(?<=[.:;]\s))(?:(?:[Nn]y|[Nn]ye)\s+)?(?P<role>[Ll]eder|[Ll]eiar|[Ss]tyreleder|[Ss]tyreleiar)"
    rf"(?:\s+(?:for|av|i)\s+[\wæøå-]+)?\s+(?:er|blir|vert)\s+(?P<name>{_NAME})"
    rf"(?:\s*\([^()]*\))?(?:,\s+(?P<attr>[^.;]+))?"
)
_WHEN = (r"(?:i\s+dag|i\s+går|i\s+kveld|enstemmig|samrøystes|mandag|måndag|tirsdag|tysdag|onsdag|torsdag|fredag|"
         r"lørdag|laurdag|søndag|sundag)")
_ELECTED = re.compile(
    rf"(?P<name>{_NAME})(?:\s*\((?:\d{{1,2}}|[A-ZÆØÅa-zæøå]{{1,5}})\))?"  # 'X (16)', 'X (Sp)'
    rf"(?:\s+(?:fra|frå)\s+(?P<place>[A-ZÆØÅ][\wæøå-]+(?:\s+[a-zæøå][\wæøå-]+)?))?\s+"
    rf"(?:er\s+(?:igjen\s+)?|ble\s+|blei\s+|vart\s+|blir\s+|vert\s+)?(?:{_WHEN}\s+)?"
    rf"(?:(?P<re>gjen|att)?(?:valgt|vald|valt|oppnevnt|oppnemnd|utnevnt|utnemnd)\s+(?:til|som)\s+)?"
    rf"(?:(?<=blir )|(?<=vert )|(?<=til )|(?<=som ))(?:ny\s+)?(?P<role>{_CHAIR_WORD})"
    rf"(?:\s+(?:av|for|i)\s+(?P<body>[A-ZÆØÅa-zæøå][\wæøå-]*(?:\s+[\wæøå-]+){{0,4}}?))?(?=[.,;]|\s+(?:og|for|i|med)\s|$)"
)
_PRONOUN_ELECTED = re.compile(
    rf"^(?:Han|Hun|Ho)\s+(?:ble|blei|vart|er|blir)\s+(?P<re>gjen|att)?(?:valgt|vald|valt|oppnevnt|oppnemnd)\s+"
    rf"(?:til|som)\s+(?:ny\s+)?{_CHAIR_WORD}(?:\s+(?:av|for|i)\s+(?P<body>[\wæøå -]+?))?(?=[\s.,]|$)"
)
_NEW_CHAIR = re.compile(rf"\b(?:nye|ny)\s+{_CHAIR_WORD},\s+(?P<name>{_NAME}),")
_TITLED = re.compile(rf"\b(?:[Pp]rosjektleder|[Pp]rosjektleiar|[Nn]ettverksleder)\s+(?P<name>{_NAME})")
# Every chair sentence has one of these; the rest are not worth the patterns' time.
_MAY_CLAIM = re.compile(r"led|leie|leia|leid|valgt|vald|valt|oppnevnt|oppnemnd|utnevnt|utnemnd")
_ELECTED_CUE = re.compile(r"(?:leder|leiar)\b")
_PATTERNS = (
    (_LEADS, True, re.compile(r"\b(?:leier|leiar|leder|leiier)\s")),
    (_LED_BY, True, re.compile(r"\b(?:ledes|leiast|leies|ledet|leia|leidd)\s+av\b")),
    (_LED_BY_INVERTED, True, re.compile(r"\b(?:ledes|leiast|leies|leia|ledet)\s+\S+\s+av\b")),
    (_CHAIR_IS, True, re.compile(r"(?:leder|leiar)\s+(?:\S+\s+\S+\s+)?(?:er|blir|vert)\s")),
    (_TITLED, False, re.compile(r"prosjektle|nettverksleder")),
)
_PRONOUN_TITLE = re.compile(r"^(?:Ho|Hun|Han)\s+er\s+(?P<title>[a-zæøå].+?)\s*\.?$")


@dataclass(frozen=True)
class ChairClaim:
    name: str
    body: str | None  # the body the sentence names ('fagrådet', 'NorPreM'), if any
    organisation: str | None
    explicit: bool  # a leads/led-by/elected sentence, not just a title in passing
    sentence: str
    title: str | None = None  # 'professor' in "ledes av professor X"
    place: str | None = None  # 'Bergen' in "X fra Bergen ble valgt til ny leder"
    status: str | None = None  # 'gjenvalgt'
    role: str | None = None  # the chair word as written ('leder', 'styreleder')
    body_checked: bool = False  # the pattern already found ``body`` to be the page's own body


def chair_claims(sentence: str, previous: str = "", body_names: tuple[str, ...] = ()) -> list[ChairClaim]:
    """Who the sentence says leads a body. ``previous`` resolves "Han ble gjenvalgt som
    leder"; ``body_names`` (the page title, group headings) tell "leder av <this body>"
    from "leder av <another body>"."""
    sentence = clean(sentence)
    low = sentence.lower()
    if not _MAY_CLAIM.search(low):
        return []
    claims = []
    for pattern, explicit, cue in _PATTERNS:
        if not cue.search(low):
            continue  # each pattern is costly on a long sentence; its key words are cheap to look for
        for m in pattern.finditer(sentence):
            name = _person_suffix(m["name"])
            if not name:
                continue
            body = m.groupdict().get("body")
            if body is not None and pattern is _LEADS and not is_body_word(body):
                continue
            org = m.groupdict().get("org") or m.groupdict().get("org2") or m.groupdict().get("org3")
            title = clean(m.groupdict().get("title") or "") or None
            if m.groupdict().get("attr"):  # 'Ny styreleder er X (57), daglig leder i Org'
                seat = Seat()
                classify(m["attr"], seat)
                org, title = org or seat.organisation, title or seat.title
            role = m.groupdict().get("role")
            claims.append(ChairClaim(name, body, clean(org) if org else None, explicit, sentence, title=title,
                                     role=role.lower() if role else None))
    for m in (_WILL_LEAD.finditer(sentence) if re.search(r"\b(?:skal|vil) (?:lede|leie|leia)\b", low) else ()):
        name = _person_suffix(m["name"])
        if name and _names_the_page(m["body"], body_names):
            claims.append(ChairClaim(name, m["body"], None, True, sentence, role="leder", body_checked=True))
    for m in (_ELECTED.finditer(sentence) if _ELECTED_CUE.search(low) else ()):
        name = _person_suffix(m["name"])
        if name and _this_body(m["body"], body_names):
            claims.append(ChairClaim(name, m["body"], None, True, sentence, place=m["place"],
                                     status="gjenvalgt" if m["re"] else None, role=m["role"].lower(),
                                     body_checked=True))
    pronoun = _PRONOUN_ELECTED.match(sentence)
    if pronoun and _this_body(pronoun["body"], body_names):
        named = find_names(previous)
        if named:
            claims.append(ChairClaim(named[-1].name, pronoun["body"], None, True, sentence,
                                     status="gjenvalgt" if pronoun["re"] else None, body_checked=True))
    for m in _NEW_CHAIR.finditer(sentence):
        name = _person_suffix(m["name"])
        if name:
            claims.append(ChairClaim(name, None, None, True, sentence))
    return _unique(claims)


def names_this_body(body: str | None, body_names: tuple[str, ...]) -> bool:
    """Public for the group assembly: does a chair sentence's body name the page's own body?"""
    return _this_body(body, body_names)


def _this_body(body: str | None, body_names: tuple[str, ...]) -> bool:
    """'leder' alone, 'leder for utvalget', or 'leder av <a name in the page title>'; not
    'leder av fylkesmennenes arbeidsutvalg'."""
    if body is None:
        return True
    body = clean(body)
    if body.split()[0].lower() in ("utvalget", "utvalet", "rådet", "styret", "gruppa", "gruppen", "komiteen",
                                   "nettverket", "foreningen", "foreininga", "brukerutvalget", "brukarutvalet"):
        return True
    if any(body.lower() in name.lower() for name in body_names if name):
        return True
    nouns = [w for w in body.lower().split() if len(w) > 5 and is_body_word(w)]
    # 'leder av Åsmark ungdomsråd' on a page about 'det nye ungdomsrådet'; 'Fagrådet' on 'Fagråd for X'
    return any(w.startswith(noun) or (len(w) > 5 and noun.startswith(w))
               for noun in nouns for name in body_names if name for w in name.lower().split())


def _names_the_page(body: str, body_names: tuple[str, ...]) -> bool:
    """'Lensmo kulturhus KF' on a page headed 'Ny styreleder i kulturhuset': a noun of the body
    begins a word of the title, a heading or the headline (so 'arbeidet med X' chairs nothing)."""
    nouns = [w for w in body.lower().split() if len(w) > 5]
    return _this_body(body, body_names) or any(
        w.startswith(noun) for noun in nouns for name in body_names if name for w in name.lower().split())


def _unique(claims: list[ChairClaim]) -> list[ChairClaim]:
    seen, out = set(), []
    for claim in claims:
        if claim.name not in seen:
            seen.add(claim.name)
            out.append(claim)
    return out


def pronoun_title(sentence: str) -> str | None:
    """'Ho er direktør for divisjon X.' -> 'direktør for divisjon X'."""
    m = _PRONOUN_TITLE.match(clean(sentence))
    return m["title"] if m else None


def _person_suffix(text: str) -> str | None:
    """The longest tail of a capitalised run that is a person ('Fagrådet Kari Nordmann' -> 'Kari Nordmann')."""
    tokens = text.split()
    for start in range(len(tokens) - 1):
        candidate = " ".join(tokens[start:])
        if is_person_name(candidate):
            return candidate
    return None
