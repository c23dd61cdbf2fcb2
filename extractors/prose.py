"""Members named in running text: sentences that enumerate a body's people, and seat sentences.

Enumerations, by what they are rather than by any page's words:

* "<body> består av / bestående av / er satt sammen av / er sett saman slik: A (leiar), B, C og D";
* "<member word> er[:] A, B og C" ("Andre styremedlemmer er: …", "Øvrige medlemmer er …",
  "Varamedlemmer er …", "Disse er: …" after a sentence about the body);
* "A, B, C og D er ansatterepresentanter" (the seat named after the list);
* "Komiteen, medlemene frå Arbeidarpartiet, A, B, frå Høgre, C, …, leiaren D, viser til …".

A sentence about applicants, candidates, people proposed or a photo ("søkere", "kandidater",
"vil ha", "Fra venstre:") enumerates no members. Seat sentences name one person's seat:
"Sekretær for utvalget er Sonja Johansen.", "X kommer inn som ny nestleder".
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extractors.fields import Seat, classify, party, role_word
from extractors.members import _members, group_phrase, label_role
from extractors.model import Member
from extractors.names import find_names
from extractors.text import clean, split_top_level
from extractors.vocabulary import CHAIR_ROLES, SUBSTITUTE_ROLE, seat_role, words

_COMPOSED = re.compile(
    r"(?P<subject>.*?)\s*,?\s*\b(?:som\s+)?(?:bestående av|består av|beståande av|besto av|bestod av|"
    r"(?:består|bestod|besto)\s+(?:[\wæøå]+\s+){1,3}?av|"
    r"er sett saman av|er satt sammen av|er sett saman slik|er satt sammen slik|utgjøres av|vert utgjort av|"
    r"har (?:følgende|fylgjande) medlemmer|med (?:følgende|fylgjande) medlemmer|"
    r"har (?:følgende|fylgjande|denne) (?:sammensetning|samansetjing|samansetning|samansetjinga)|"
    r"er sammensatt slik|er samansett slik|ser slik ut|(?:vart|ble|blei|er|blir)\s+slik)\s*(?:(?:følgende|fylgjande)\s*)?:?\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_ARE = re.compile(
    r"^(?P<subject>(?:[\wæøåÆØÅ.-]+\s+){0,4}?(?:[\wæøåÆØÅ-]*(?:medlem|representant|deltak|vara|nemnda|nemnd|komit[eé]en|"
    r"komit[eé]|utvalet|utvalget|styret)[\wæøå]*|disse|desse)(?:\s+(?:fram til|til|for|i)\s+[^,]{1,40}?)?)"
    r"\s+(?:er|var|blir|vart|ble)\s*:?\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_ARE_AFTER = re.compile(
    r"^(?P<rest>.+?)\s+(?:er|var|blir|vart|ble)\s+(?P<new>(?:nye|ny|faste|fast|våre|vår)\s+)?"
    r"(?P<seat>[\wæøå-]*(?:representanter|representantar|medlemmer|medlemar|medlemmar|observatører|observatørar))"
    r"(?:\s+i\s+[\wæøå-]+)?\s*(?:,\s*(?:opplyser|opplyste|sier|sa|seier|melder|meldte|skriver|skriv)\b.*)?\.?$",
    re.IGNORECASE,
)
_PARTY_MEMBERS = re.compile(r"\b(?:medlemene|medlemmene)\s+(?:frå|fra)\s+(?P<rest>.+)$", re.IGNORECASE)
_FROM_PARTY = re.compile(r"(?:^|,\s*|\s+og\s+)(?:og\s+)?(?:frå|fra)\s+(?P<party>[A-ZÆØÅ][\wæøå]*(?:\s+[A-ZÆØÅ][\wæøå]*)?)\s*,\s*")
_COUNT_LEAD = re.compile(
    r"^(?:(?:to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|elleve|tolv|\d+)\s+"
    r"(?:personer|personar|medlemmer|medlemar|representanter|representantar|stk\.?)\s*)?[-–—:]?\s*",
    re.IGNORECASE,
)
_COMMON_ORIGIN = re.compile(
    r"\s*\((?:alle|begge)(?:\s+(?:to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|\d+))?\s+(?:fra|frå|i)\s+(?P<org>[^()]+)\)\s*[.]?$",
    re.IGNORECASE,
)
# A sentence about people who are not (or not yet) members.
_NOT_MEMBERS = re.compile(
    r"(?<![\w-])(?:søker|søkere|søkerne|søkjar|søkjarar|søkjarane|kandidat|kandidater|kandidatene|kandidatar|"
    r"kandidatane|nominert|nominerte|foreslåtte|foreslått til|innstilt|vil ha|ønsker seg|"
    r"(?-i:[Ff]ra venstre|[Ff]rå venstre)|f\.v\.|foto|bildet|gikk av|går av|går ut|trer ut|"
    # a former holder of a seat ('tidligere leder X'); 'tidlegare ordførar X' only describes a member
    r"(?:tidligere|tidlegare)\s+(?:styre)?(?:leder|leiar|nestleder|nestleiar|medlem\w*|medlemmer|representant\w*)|"
    r"takket av|takka av|takk for seg|erstatter|erstattar|kom inn for|avløser|avløyser)\b",
    re.IGNORECASE,
)
# Where the list in a sentence ends: a relative clause or a verb phrase after the last name.
_LIST_END = re.compile(r"\s+(?:som|der|da|når|viser|har|hadde|skal|vil|ble|blei|vart|er|var|sier|seier)\s+[a-zæøå].*$")
_SEAT_SENTENCE = re.compile(
    r"^(?:(?:Ny|Nye)\s+(?=[a-zæøå]))?(?P<role>[A-ZÆØÅa-zæøå][a-zæøå]+)(?:\s+(?:for|i|til|av)(?:\s+[\wæøå-]+){1,2}?)?\s+(?:er|blir|vert)\s+(?:ny\s+)?(?P<rest>.+?)\.?$"
)
# 'Ansattes representant er scenetekniker X', 'Dei tilsette sin representant er X': a seat held for a group
_OWN_SEAT_SENTENCE = re.compile(
    r"^(?P<role>(?:[Dd]e |[Dd]ei )?[A-ZÆØÅa-zæøå][a-zæøå]+s representant|(?:[Dd]e |[Dd]ei )?[a-zæøå]+ sin representant)"
    r"\s+(?:er|blir|vert)\s+(?P<rest>.+?)\.?$")
_SEAT_AFTER = re.compile(
    r"(?P<name>[A-ZÆØÅ][\w.' -]+?)\s+(?:er\s+(?:igjen\s+)?(?:oppnevnt|utnevnt|valgt|vald|gjenvalgt|attvald)\s+som|"
    r"kommer\s+inn\s+som|kjem\s+inn\s+som|blir|vert|ble\s+valgt\s+til|vart\s+vald\s+til)\s+(?:ny\s+)?"
    r"(?P<role>nestleder|nestleiar|sekretær|observatør|varamedlem|styremedlem)\b"
)


@dataclass(frozen=True)
class Enumeration:
    group: str  # the group phrase the sentence names ('Resten av styret' -> 'Styret'), '' if none
    members: tuple[Member, ...]
    role: str | None  # the seat all of them hold ('ansatterepresentant', 'varamedlem'), if any


def mentions_non_members(sentence: str) -> bool:
    return bool(_NOT_MEMBERS.search(sentence))


def parse_enumeration(sentence: str, previous: str = "") -> tuple[str, tuple[Member, ...]] | None:
    """The group phrase and members a sentence enumerates, or None (see the module docstring)."""
    found = enumeration(sentence, previous)
    return (found.group, found.members) if found else None


def enumeration(sentence: str, previous: str = "") -> Enumeration | None:
    text = clean(sentence)
    if mentions_non_members(text):
        return None
    clauses = [text, *re.split(r",\s*mens\s+|\s+mens\s+", text)[:1]] if " mens " in text else [text]
    for clause in clauses:
        for reader in (_composed, _elected_list, _elected_are, _party_members, _are, _are_after, _gets_with):
            found = reader(clause, previous)
            if found is not None and found.members:
                return found
    return None


def _composed(text: str, previous: str) -> Enumeration | None:
    m = _COMPOSED.match(text)
    if not m:
        return None
    rest = _COUNT_LEAD.sub("", m["rest"], count=1).rstrip(". ")
    members = _listed(rest, text)
    return Enumeration(_subject_group(m["subject"]), members, None) if members else None


def _are(text: str, previous: str) -> Enumeration | None:
    m = _ARE.match(text)
    if not m:
        return None
    subject = m["subject"]
    if label_role(subject.split()[0]) and not subject.split()[0].lower().startswith("vara"):
        return None  # 'Sekretær for utvalget er X': a seat sentence, not a list
    if words(subject)[-1:] in (["disse"], ["desse"]) and not _about_a_body(previous):
        return None
    vara_word = next((w for w in words(subject) if w.startswith("vara")), None)
    role = (_singular(vara_word) if vara_word and _singular(vara_word) != vara_word else SUBSTITUTE_ROLE) \
        if vara_word else None  # 'Vararepresentanter er …' -> 'vararepresentant'
    members = _listed(m["rest"].rstrip(". "), text)
    if role:
        members = tuple(x if x.role else replace(x, role=role) for x in members)
    group = "Varamedlemmer" if role else _subject_group(subject)
    return Enumeration(group, members, role) if members else None


# 'Med seg i styret får hun A (Sp), som fortsetter som nestleder, samt B, C og D.'
_GETS_WITH = re.compile(
    r"^(?:[Mm]ed seg i (?P<body>[\wæøå-]+) får (?:hun|han|ho|hen|de|dei|den nye [\wæøå-]+|[A-ZÆØÅ][\wæøå-]+)|"
    r"(?:I|Inn i) (?P<body2>styret|rådet|utvalget|utvalet|gruppa|gruppen|komiteen) (?:kommer|kjem|går|kom|gjekk|gikk) (?:også |og )?)"
    r"\s+(?P<rest>(?:[a-zæøå-]+\s+){0,2}[A-ZÆØÅ].+)$")  # 'nestleder X, …' or 'X, …'
_CONTINUES_CLAUSE = re.compile(r",\s+som\s+(?:fortsetter|fortset|held fram|blir|vert|er)\s+(?:som\s+)?(?:ny\s+)?(?P<role>[a-zæøå]+)\s*(?=,|$)")


def _gets_with(text: str, previous: str) -> Enumeration | None:
    m = _GETS_WITH.match(text)
    if not m:
        return None
    rest = _CONTINUES_CLAUSE.sub(lambda c: f" ({c['role']})" if role_word(c["role"]) else "", m["rest"].rstrip(". "))
    members = _listed(rest, text)
    body = m["body"] or m["body2"]
    return Enumeration(group_phrase(body), members, None) if len(members) >= 2 else None


def _are_after(text: str, previous: str) -> Enumeration | None:
    """'A, B, C og D er ansatterepresentanter.': the seat comes after the list."""
    m = _ARE_AFTER.match(text)
    if not m:
        return None
    people = find_names(m["rest"])
    if not people or not _only_names(m["rest"], people) or (len(people) < 2 and not m["new"]):
        return None
    seat = m["seat"].lower()
    role = _singular(seat)
    generic = role.endswith("medlem")
    status = "ny" if m["new"] and m["new"].strip().lower() in ("ny", "nye") else None
    members = tuple(Member(name=p.name, role=None if generic else role, status=status, text=text) for p in people)
    return Enumeration("" if generic else seat[:1].upper() + seat[1:], members, None if generic else role)


def _party_members(text: str, previous: str) -> Enumeration | None:
    """'medlemene frå Arbeidarpartiet, A, B og C, frå Høgre, D, …, og frå KrF, leiaren E, viser til'."""
    m = _PARTY_MEMBERS.search(text)
    if not m:
        return None
    rest = "frå " + m["rest"]
    marks = list(_FROM_PARTY.finditer(rest))
    if len(marks) < 2:
        return None
    members: list[Member] = []
    for n, mark in enumerate(marks):
        end = marks[n + 1].start() if n + 1 < len(marks) else len(rest)
        chunk = _cut_list(rest[mark.end():end])
        for member in _members(chunk, text, one_per_piece=False):
            members.append(replace(member, party=member.party or party(mark["party"]) or mark["party"]))
    subject = text[: m.start()].strip(" ,")
    return Enumeration(_subject_group(subject), tuple(members), None)


# 'Til hovudutvalet vert valt A (Sp) som leiar, B (Ap) som nestleiar og elles C (H), D (Ap)'
_ELECTED_LIST = re.compile(
    r"^(?:\d+\.\s+)?(?P<subject>.*?)\b(?:vert|blir|ble|vart|er)\s+(?:(?:gjen|att)?(?:valt|valgt|vald)|"
    r"oppnemnd|oppnevnt|oppnemnde|oppnevnte)\s+(?=[A-ZÆØÅ])(?P<rest>.+)$"
)
_AS_SEAT = re.compile(r"\s+som\s+(?:ny\s+)?(?P<role>[a-zæøå]+)(?:\s+for\s+(?P<principal>.+))?$")


_ELECTED_ARE = re.compile(
    r"^(?:Gjen|Att|Ny|Nye|Re)?(?:oppnevnt|oppnemnd|valgt|vald|valt|oppnevnte|oppnemnde|valgte|valde)e?\s+"
    r"(?:i\s+[\wæøå-]+\s+)?(?:er|ble|vart|blei)\s+(?P<rest>[A-ZÆØÅ].+)$", re.IGNORECASE)


def _elected_are(text: str, previous: str) -> Enumeration | None:
    """'Gjenoppnevnt er A og B.', 'Attvald er A, B og C.': people elected (again) to the body."""
    m = _ELECTED_ARE.match(text)
    if not m:
        return None
    members = _listed(m["rest"].rstrip(". "), text)
    status = "gjenvalgt" if re.match(r"^(?:gjen|att|re)", text, re.IGNORECASE) else None
    return Enumeration("", tuple(replace(x, status=x.status or status) for x in members), None) if members else None


def _elected_list(text: str, previous: str) -> Enumeration | None:
    """'Til hovudutval for X vert valt A (Sp) som leiar, B som nestleiar og elles C, D og E' and
    'Som personlege varamedlemer vert valt A som vara for B, …': a decision electing several."""
    m = _ELECTED_LIST.match(text)
    if not m:
        return None
    rest = re.sub(r"\b(?:og\s+)?(?:elles|ellers|dessuten)\s+", "og ", m["rest"].rstrip(". "))
    chunks = split_top_level(rest, re.compile(r"\s*,\s*(?:og\s+)?|\s+og\s+(?=[A-ZÆØÅ])"))
    subject_role = SUBSTITUTE_ROLE if re.search(r"\bvara", m["subject"], re.IGNORECASE) else None
    members: list[Member] = []
    for chunk in chunks:
        seat = _AS_SEAT.search(chunk)
        head = chunk[: seat.start()] if seat else chunk
        found = _members(head, text, one_per_piece=False)
        if len(found) != 1:
            continue
        member = found[0]
        role = seat["role"] if seat and role_word(seat["role"]) else None
        principal = find_names(seat["principal"]) if seat and seat["principal"] else ()
        if role in ("vara", "varamedlem") or principal:
            role = SUBSTITUTE_ROLE
        members.append(replace(member, role=member.role or role or subject_role,
                               deputy_for=principal[-1].name if principal else None))
    if len(members) < 2:
        return None
    return Enumeration(_subject_group(re.sub(r"^(?:til|som)\s+", "", m["subject"], flags=re.IGNORECASE)),
                       tuple(members), subject_role)


def _listed(rest: str, source: str) -> tuple[Member, ...]:
    # 'Rune Tjelta (Ap), som er leiar, Kirsti Vike (H)': the clause gives the seat, as '(leiar)' would
    rest = _CONTINUES_CLAUSE.sub(lambda c: f" ({c['role']})" if role_word(c["role"]) else c.group(0), rest)
    organisation = None
    origin = _COMMON_ORIGIN.search(rest)
    if origin:
        organisation = clean(origin["org"])
        rest = rest[: origin.start()]
    rest = _cut_list(rest)
    members = _members(rest, source, one_per_piece=False)
    if organisation:
        members = tuple(replace(m, organisation=m.organisation or organisation) for m in members)
    return members


def _cut_list(rest: str) -> str:
    """The list without what follows its last name ('… Ellingsen som ble valgt av årsmøtet');
    a relative clause that only says what someone is (', som er økonomidirektør i Helse Vest
    RHF') stays, as a description of that person."""
    rest = _DESCRIBING_CLAUSE.sub(lambda m: f", {m['what']}", rest)
    names = find_names(rest)
    if not names:
        return rest
    tail = rest[names[-1].end:]
    cut = _LIST_END.search(tail)
    return rest[: names[-1].end + cut.start()] if cut else rest


_DESCRIBING_CLAUSE = re.compile(r",\s+som\s+(?:er|var)\s+(?P<what>[a-zæøå][^,.;]*?\s+(?:i|ved|hos|på|for)\s+[A-ZÆØÅ][^,.;]*)(?=[,.;]|$)")


def _singular(seat: str) -> str:
    for plural, singular in (("representanter", "representant"), ("representantar", "representant"),
                             ("medlemmer", "medlem"), ("medlemmar", "medlem"), ("medlemar", "medlem"),
                             ("medlemer", "medlem"),
                             ("observatører", "observatør"), ("observatørar", "observatør")):
        if seat.endswith(plural):
            return seat[: -len(plural)] + singular
    return seat


def _about_a_body(sentence: str) -> bool:
    return any(w.startswith(("styre", "utval", "råd", "gruppe", "komit", "medlem", "representant"))
               for w in words(sentence))


def _subject_group(subject: str) -> str:
    """'Resten av styret' -> 'Styret', 'Det nye utvalet' -> 'Utvalet', 'Fag- og kvalitetsutvalget' kept."""
    subject = clean(subject).strip(" ,:-–")
    subject = re.sub(r"^(?:resten|halvparten|flertallet|de øvrige|dei andre)\s+(?:av|i)\s+", "", subject, flags=re.IGNORECASE)
    subject = re.sub(r"^(?:det|den|dei|de)\s+(?:nye|ny|nåværende|noverande)\s+", "", subject, flags=re.IGNORECASE)
    subject = re.sub(r"^(?:andre|øvrige|dei andre|de andre)\s+", "", subject, flags=re.IGNORECASE)
    return group_phrase(subject) if subject else ""


_ROLE = (r"(?:styreleder|styreleiar|nestleder|nestleiar|leder|leiar|sekretær|observatør|varamedlem|vara|"
         r"styremedlem|medlem|kasserer|[a-zæøå]{3,}representant)")
_NAME = r"[A-ZÆØÅ][\w.'’-]*(?:,? [A-ZÆØÅ][\w.'’-]*){1,5}"
# 'X fortsetter som styreleder og Y som nestleder', 'X er oppnevnt/valgt til leder', 'X tar over som styreleder'
_CONTINUES_AS = re.compile(
    rf"(?P<a>{_NAME})(?:\s*\([^()]*\))?(?:,\s+(?P<apposition>[^,]{{3,80}}),)?,?\s+"
    rf"(?:er\s+(?:valgt|vald|valt)\s+av\s+[^,.]{{3,40}}?\s+og\s+)?"  # 'X er valgt av de ansatte og fortsetter som …'
    rf"(?:fortsetter|fortset|held fram|tar over|tek over|overtar|er\s+(?:igjen\s+)?(?:oppnevnt|valgt|vald|gjenvalgt|attvald|utnevnt)|"
    rf"ble\s+(?:valgt|oppnevnt|gjenvalgt)|vart\s+(?:vald|oppnemnd|attvald)|kommer\s+inn|kjem\s+inn|"
    rf"går\s+inn|gjekk\s+inn|gikk\s+inn|møter(?:\s+i\s+[\wæøå]+)?|blir|vert)\s+"
    rf"(?:(?:som|til)\s+)?(?:ny\s+)?(?P<ra>{_ROLE})\b"
    rf"(?:\s+og\s+(?P<b>{_NAME})\s+(?:(?:blir|vert)\s+)?(?:som\s+)?(?:ny\s+)?(?P<rb>{_ROLE})\b)?"
)
# '…, og nestleder er viseadministrerende direktør X': a seat named inside a longer sentence
_SEAT_IS_INLINE = re.compile(
    r"(?:^|,\s*(?:og|mens)\s+|\s+og\s+)(?P<role>nestleder|nestleiar|sekretær|observatør|kasserer)"
    r"(?:\s+(?:for|i|til|av)\s+[\wæøå-]+)?\s+er\s+(?P<rest>[^,.;]+)"
)
# 'A og B ble gjenvalgt som styremedlemmer': several people, one seat in the plural
_ELECTED_PLURAL = re.compile(
    r"^(?P<names>.+?)\s+(?:ble|blei|vart|er|blir|vert)\s+(?:gjen|att)?(?:valgt|vald|valt|oppnevnt|oppnemnde?)\s+"
    r"(?:inn\s+)?(?:som|til)\s+(?:nye?\s+)?(?P<seat>[\wæøå]*(?:medlemmer|medlemar|medlemmar|representanter|representantar))\b"
)
# 'X er observatør frå dei tilsette', 'X er sekretær', 'Ungdomskontakt X i kommunen er sekretær for rådet'
# (not 'X er leder av <another body>')
_IS_SEAT = re.compile(
    rf"^(?:(?P<pre2>[A-ZÆØÅ][\wæøå-]*(?:\s+[\wæøå-]+){{0,4}}),\s+(?=[A-ZÆØÅ]))?"  # 'Rektor ved skulen, X, er sekretær'
    rf"(?P<pre>[A-ZÆØÅ][\wæøå-]*\s+(?:[a-zæøå][\wæøå-]*\s+){{1,2}}(?=[A-ZÆØÅ]))?"  # 'Daglig leder X er styrets sekretær'
    rf"(?P<a>{_NAME})(?:\s*\([^()]*\))?(?:\s+(?:i|ved|hos|på)\s+(?:[a-zæøå][\wæøå-]*(?:\s+[a-zæøå][\wæøå-]*)?|"
    rf"(?P<where>[A-ZÆØÅ][\wæøå-]*(?:\s+[\wæøå-]+){{0,6}}?)))?"  # '… i Sametingets avdeling for helse og sosial'
    rf"(?:\s+[a-zæøå]+(?:\s+[a-zæøå]+){{0,3}}\s+og)?"  # 'X følgjer opp rådet og er sekretær'
    rf",?\s+er\s+(?:ny\s+)?(?:[a-zæøå]+s\s+)?(?P<role>nestleder|nestleiar|sekretær|skrivar|observatør|"
    rf"kasserer|varamedlem|vara|styremedlem)\b(?!\s+(?:av|for|i|ved|hos)\s+[A-ZÆØÅ])"
)
# 'Dei tilsette har valt A og B som medlemer frå dei tilsette'
_CHOSE_AS = re.compile(
    r"\b(?:har|hadde)\s+(?:gjen|att)?(?:valgt|valt|vald|oppnevnt|oppnemnt|utpekt|peika ut)\s+(?P<names>.+?)\s+som\s+"
    r"(?:nye?\s+)?(?P<seat>[\wæøå]*(?:medlemmer|medlemer|medlemmar|representanter|representantar|medlem|representant|"
    r"observatør|observatørar|observatører|varamedlemmer|varamedlemar))\b"
)
# 'X og Y er oppnevnt til henholdsvis leder og nestleder'
_RESPECTIVELY = re.compile(
    rf"^(?P<names>.+?)\s+(?:er|ble|blir|vart|vert)\s+(?:\w+\s+)?(?:til|som)\s+(?:henholdsvis|høvesvis)\s+"
    rf"(?P<roles>{_ROLE}(?:\s*,\s*{_ROLE})*\s+og\s+{_ROLE})\b"
)
# 'A, B og C fortsetter i styret', 'A og B sit i rådet'
_STAYS_IN = re.compile(
    r"^(?P<names>.+?)\s+(?:fortsetter|fortset|held fram|sitter|sit|blir sittende|blir sitjande)\s+i\s+"
    r"(?P<body>styret|rådet|utvalget|utvalet|gruppa|gruppen|komiteen|nettverket)\b|"
    # 'Elles held A og B fram i styret'
    r"^(?:(?:Elles|Ellers|Dessuten|Og)\s+)?(?:held|holder)\s+(?P<names2>[A-ZÆØÅ].+?)\s+fram\s+i\s+"
    r"(?:styret|rådet|utvalget|utvalet|gruppa|gruppen|komiteen|nettverket)\b"
)
# 'X vert den politiske representanten med Y (KrF) som (personleg) vara'
_REPRESENTS = re.compile(
    rf"^(?P<a>{_NAME})(?:\s*\((?P<pa>[^()]+)\))?\s+(?:fortsetter|fortset|held fram|vert|blir|er)\s+som\s+|"
    rf"^(?P<a2>{_NAME})(?:\s*\((?P<pa2>[^()]+)\))?\s+(?:vert|blir|er)\s+(?=den\s|det\s|[a-zæøå]+\s+sin\s+representant)|"
    # 'Frå kommunestyret kjem X (Ap), med Y (Ap) som vara'
    rf"^(?:[Ff]rå|[Ff]ra)\s+[\wæøå-]+\s+(?:kjem|kommer|møter|sit|sitter)\s+(?P<a3>{_NAME})(?:\s*\((?P<pa3>[^()]+)\))?"
)
_DEPUTY_WITH = re.compile(
    rf"\bmed\s+(?P<d>{_NAME})(?:\s*\((?P<pd>[^()]+)\))?\s+som\s+(?:personleg\s+|personlig\s+)?(?:vara|varamedlem|vararepresentant)\b"
)


# 'Sametinget deltek med ein observatør, X, rådgjevar i Sametinget'
_TAKES_PART_WITH = re.compile(
    r"^(?P<who>[A-ZÆØÅ][\wæøå-]*(?:\s+[A-ZÆØÅ][\wæøå-]*)*)\s+(?:deltek|deltar|møter|stiller)\s+med\s+(?:ein|en|eit|et)?\s*"
    r"(?P<role>observatør|representant|sekretær|vara)\s*,\s*(?P<rest>.+?)\.?$"
)
# 'Fra kompetansetjenesten deltar leder A og rådgiver B, som også er fagrådets sekretær':
# the host's people who take part; 'Generalsekretær X møter fast i sentralstyrets møter'
_HOST_TAKES_PART = re.compile(
    r"^(?:[Ff]ra|[Ff]rå)\s+(?P<host>[^,]{3,60}?)\s+(?:deltar|deltek|møter)\s+(?:også\s+)?(?P<rest>(?:[a-zæøå]+\s+)?[A-ZÆØÅ].+?)\.?$")
_ATTENDS = re.compile(
    r"^(?P<rest>.+?)\s+(?:(?:møter|deltar|deltek)\s+(?:fast|alltid|som fast deltaker|som fast deltakar)\s+(?:i|på)|"
    r"attends\s+all)\s+")
_ALSO_SECRETARY = re.compile(r"(?:,\s+som\s+(?:også\s+)?er\s+[\wæøå]+|\s+and\s+serves\s+as)\s+(?P<role>sekretær|sekretariat|secretary)\b.*$")
# 'Gruppens sekretariat ligger i avdeling X, ved seniorrådgiverne A og B'
_SECRETARIAT_BY = re.compile(r"\bsekretariat\w*\b(?P<where>.*?),?\s+(?:ved|v/)\s+(?:[a-zæøå]+\s+)?(?P<names>[A-ZÆØÅ].+?)\.?$",
                             re.IGNORECASE)


def seats_in(sentence: str) -> list[Member]:
    """The seats one sentence names, in prose (chairs among them):

    "Sekretær for utvalget er X, rådgiver i Y." · "X fortsetter som styreleder og Y som
    nestleder." · "X og Y er oppnevnt til henholdsvis leder og nestleder." · "A, B og C
    fortsetter i styret." · "X (SP) fortsetter som den politiske representanten, med Y (KrF)
    som personleg vara." · "X kommer inn som ny nestleder".
    """
    text = clean(sentence)
    main_clause = re.sub(r",\s+som\s+[^,]*(?:,|$)", ",", text)  # ', som ikke ønsket gjenvalg' is about another
    if mentions_non_members(text) or re.search(r"\b(?:ikke|ikkje|ikkje lenger|ikke lenger)\b", main_clause):
        return []
    m = _SEAT_SENTENCE.match(text) or _OWN_SEAT_SENTENCE.match(text)
    if m:
        role = seat_role(m["role"]) or label_role(m["role"]) or (m["role"].lower() if " " in m["role"] else None)
        if role is not None and role not in CHAIR_ROLES:
            rest = _DEPUTY_WITH.sub("", m["rest"]).strip(" ,")
            members = _members(_cut_list(rest), text, one_per_piece=False)
            if len(members) == 1:
                seats = [replace(members[0], role=role)]
                deputy = _DEPUTY_WITH.search(m["rest"])
                if deputy and find_names(deputy["d"]):
                    seats.append(Member(find_names(deputy["d"])[-1].name, role=SUBSTITUTE_ROLE, text=text,
                                        deputy_for=members[0].name))
                return seats
            return []
    seats: list[Member] = []
    for clause in re.split(r",\s*mens\s+|\s+mens\s+", text):
        plural = _ELECTED_PLURAL.match(clause)
        people = find_names(plural["names"]) if plural else ()
        if people and _only_names(plural["names"], people):
            role = _singular(plural["seat"].lower())
            status = "gjenvalgt" if re.search(r"\b(?:gjen|att)(?:valgt|vald|valt)", clause) else None
            seats.extend(Member(p.name, role=None if role.endswith("medlem") else role, status=status, text=text)
                         for p in people)
    inline = _SEAT_IS_INLINE.search(text)
    if inline:
        found = find_names(inline["rest"])
        if len(found) == 1:
            seats.append(Member(found[0].name, role=inline["role"].lower(), text=text))
    chose = _CHOSE_AS.search(text)
    if chose:
        people = find_names(chose["names"])
        if people and _only_names(chose["names"], people):
            role = _singular(chose["seat"].lower())
            role = None if role.endswith("medlem") and not role.startswith("vara") else (
                SUBSTITUTE_ROLE if role.startswith("vara") else role)
            seats.extend(Member(p.name, role=role, text=text) for p in people)
    takes_part = _TAKES_PART_WITH.match(text)
    if takes_part:
        found = _members(takes_part["rest"], text, one_per_piece=False)
        if len(found) == 1:
            member = found[0]
            seats.append(replace(member, role=takes_part["role"].lower(),
                                 organisation=member.organisation or takes_part["who"]))
    secretariat = _SECRETARIAT_BY.search(text)
    if secretariat:
        people = find_names(secretariat["names"])
        if people and _only_names(secretariat["names"], people):
            host = re.findall(r"\b(?:i|hos|til)\s+([A-ZÆØÅ][\wæøå-]*(?:\s+[A-ZÆØÅ][\wæøå-]*)*)", secretariat["where"])
            subject = re.match(r"^(?P<host>[A-ZÆØÅ][\wæøå-]*(?:\s+[\wæøå-]+){0,3}?)\s+(?:er|var|blir)\s+sekretariat", text)
            if not host and subject:  # 'Stortingets administrasjon er sekretariat for utvalget, ved X'
                host = [subject["host"]]
            seats.extend(Member(p.name, role="sekretariat", organisation=host[-1] if host else None, text=text)
                         for p in people)
    seats.extend(_host_people(text))
    is_seat = _IS_SEAT.match(text)
    if is_seat and find_names(is_seat["a"]):
        role = is_seat["role"].lower()
        person = find_names(is_seat["a"])[-1]
        title = (is_seat["pre"] or is_seat["pre2"] or "").strip() or (
            person.before.strip() if len(person.before.split()) == 1 else None)  # 'Ungdomskontakt X er …'
        seats.append(Member(person.name, role=SUBSTITUTE_ROLE if role == "vara" else role, title=title or None,
                            organisation=is_seat["where"], text=text))
    respectively = _RESPECTIVELY.match(text)
    if respectively:
        people = find_names(respectively["names"])
        roles = re.split(r"\s*,\s*|\s+og\s+", respectively["roles"])
        if len(people) == len(roles):
            return [Member(p.name, role=r.lower(), text=text) for p, r in zip(people, roles)]
    stays = _STAYS_IN.match(text)
    if stays:
        names = stays["names"] or stays["names2"]
        people = find_names(names)
        if people and _only_names(names, people):
            return [Member(p.name, text=text) for p in people]
    for m in _CONTINUES_AS.finditer(text):
        for name, role, apposition in ((m["a"], m["ra"], m["apposition"]), (m["b"], m["rb"], None)):
            found = find_names(name) if name else []
            if found and all(s.name != found[-1].name for s in seats):
                seat = Seat()
                if apposition:  # 'X, dagleg leiar i Fjordvik Næringshage, held fram som nestleiar'
                    classify(apposition, seat)
                seats.append(Member(found[-1].name, role=role.lower(), title=seat.title,
                                    organisation=seat.organisation, text=text))
    if seats:
        return seats
    represents = _REPRESENTS.match(text)
    if represents:
        name = represents["a"] or represents["a2"] or represents["a3"]
        paren = represents["pa"] or represents["pa2"] or represents["pa3"]
        found = find_names(name)
        if found:
            member = Member(found[-1].name, party=party(paren) if paren else None, text=text)
            seats.append(member)
            deputy = _DEPUTY_WITH.search(text)
            if deputy and find_names(deputy["d"]):
                seats.append(Member(find_names(deputy["d"])[-1].name, role=SUBSTITUTE_ROLE, text=text,
                                    party=party(deputy["pd"]) if deputy["pd"] else None, deputy_for=member.name))
    return seats


def _host_people(text: str) -> list[Member]:
    """People of the host who take part ('Fra kompetansetjenesten deltar leder A og rådgiver B,
    som også er fagrådets sekretær') or attend every meeting ('Generalsekretær X møter fast
    i styrets møter'): members, with their titles; a 'som også er … sekretær' gives the seat."""
    host = _HOST_TAKES_PART.match(text)
    attends = _ATTENDS.match(text) if not host else None
    rest = host["rest"] if host else attends["rest"] if attends else None
    if rest is None:
        return []
    role = None
    also = _ALSO_SECRETARY.search(rest)
    if also:
        role, rest = also["role"], rest[: also.start()]
    people = _members(rest, text, one_per_piece=False)
    if not people or (attends and len(people) != 1) or len(find_names(rest)) != len(people):
        return []
    people = [replace(p, title=p.title or p.role, role=None) if p.role and not seat_role(p.role) or p.role in CHAIR_ROLES
              else p for p in people]
    if role:
        people[-1] = replace(people[-1], role=role)
    return people


def _only_names(text: str, people) -> bool:
    """The text is nothing but these names, separated by commas and 'og'."""
    leftover = text
    for person in reversed(people):
        leftover = leftover[: person.start] + leftover[person.end:]
    return not re.sub(r"\s*(?:,|\bog\b)\s*", "", leftover).strip()


def parse_seat_sentence(sentence: str) -> Member | None:
    """One seat other than the chair named in prose (chairs are ``extractors.chairs``'s)."""
    seats = [s for s in seats_in(sentence) if s.role not in CHAIR_ROLES]
    return seats[0] if len(seats) == 1 else None
