"""The member grammar: how pages write who sits in a body.

Forms understood (each yields zero members unless a person name is confirmed):

* ``Organisation v/ Person (x), Person og Person`` — one organisation, several people;
* ``Person (x)`` where x is a role, a region or an organisation;
* ``Person, title, organisation (role)`` (and ``Person, organisation``);
* ``Label: <any of the above>`` where the label is a seat role ("Leder:", "Vara:", a
  ``<dt>``) or a member word ("Medlemmer:"); any other label ("Kontaktperson:", "Foto:")
  says the line is not a seat;
* a table row: by its header (Navn | Rolle | Virksomhet ...), else by what the cells hold;
* prose: "... bestående av tre personer - leder A, B og kommunikasjonsrådgiver C
  (alle tre fra D)".

A parenthesis is classified as role, region, organisation or (after an ``Org v/``)
affiliation; a role that names a region gives the region too, and so does an
organisation that is a regional health authority ("Helse Vest RHF").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from extractors.model import Member
from extractors.persons import PERSON_DETECTOR
from extractors.text import clean, split_top_level
from extractors.vocabulary import (
    CHAIR_ROLES, MEMBER_WORDS, canonical_region, find_region, fuzzy_in, is_not_seat_label, is_region,
    is_regional_authority, is_role, seat_role, words,
)

_VIA = re.compile(r"\s+(?:v\s?/|ved)\s*(?=[A-ZÆØÅ])")
_PEOPLE_SEP = re.compile(r"\s*,\s*|\s+(?:og|and|&)\s+")
_COMMA = re.compile(r"\s*,\s*")
_CHUNK = re.compile(
    r"^(?P<pre>(?:[a-zæøå][\wæøå-]*\s+)*)(?P<name>[^()]+?)\s*(?:\((?P<paren>.*)\))?\s*[.;:,]*$"
)
_COMMON_ORIGIN = re.compile(
    r"\s*\((?:alle|begge)(?:\s+(?:to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|\d+))?\s+(?:fra|frå|i)\s+(?P<org>[^()]+)\)\s*[.]?$",
    re.IGNORECASE,
)
_COUNT_LEAD = re.compile(
    r"^(?:(?:to|tre|fire|fem|seks|sju|syv|åtte|ni|ti|elleve|tolv|\d+)\s+"
    r"(?:personer|personar|medlemmer|medlemar|representanter|representantar|stk\.?)\s*)?[-–—:]?\s*",
    re.IGNORECASE,
)
_PROSE = re.compile(
    r"(?P<subject>.*?)\s*,?\s*\b(?:som\s+)?(?:bestående av|består av|beståande av|"
    r"er sett saman av|er satt sammen av)\s*:?\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_LABEL = re.compile(r"^(?P<label>[A-ZÆØÅa-zæøå][\wæøåÆØÅ -]{0,40}?)\s*:\s+(?P<rest>\S.*)$")
_TRAILING_PAREN = re.compile(r"^(?P<text>.*?\S)\s*\((?P<paren>[^()]+)\)$")
# Table header words, by the field their column holds.
_COLUMNS = {
    "name": ("navn", "namn", "person"),
    "role": ("rolle", "verv", "funksjon"),
    "title": ("tittel", "stilling"),
    "organisation": ("virksomhet", "verksemd", "organisasjon", "arbeidssted", "arbeidsstad",
                     "institusjon", "representerer", "arbeidsgiver", "arbeidsgjevar", "foretak",
                     "føretak", "helseforetak", "helseføretak"),
    "region": ("region", "helseregion"),
}
_SEAT_SENTENCE = re.compile(
    r"^(?P<role>[A-ZÆØÅ][a-zæøå]+)(?:\s+(?:for|i|til|av)\s+[\wæøå-]+)?\s+er\s+(?P<rest>.+?)\.?$"
)
_AT_ORGANISATION = re.compile(r"^(?P<title>[a-zæøå][\wæøå -]*?)\s+(?:i|ved|på|hos|frå|fra)\s+(?P<org>[A-ZÆØÅ].*)$")
_DETERMINER = re.compile(r"\b(?:en|ei|et|eit|ein|egen|eiga|eget|eige)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class _Chunk:
    prefix: str  # lowercase words before the name ('leder', 'kommunikasjonsrådgiver')
    name: str
    paren: str | None


def parse_item(text: str) -> tuple[Member, ...]:
    """Members in one list item (or line); () when it names no person."""
    item = _strip_stray(clean(text))
    if not item:
        return ()
    label = _LABEL.match(item)
    if label:
        return _labelled(label["label"], label["rest"])
    return _unlabelled(item)


def _labelled(label: str, rest: str) -> tuple[Member, ...]:
    """'Leder: X' gives X the role, 'Medlemmer: X' no role, 'Helsedirektoratet: X' the
    organisation; 'Kontaktperson: X', 'Foto: X' and lower-case labels are no seat."""
    role = seat_role(label)
    if role is not None:
        return tuple(m if m.role else replace(m, role=role) for m in _unlabelled(rest))
    if _is_member_label(label):
        return _unlabelled(rest)
    if label[:1].isupper() and not is_not_seat_label(label) and not PERSON_DETECTOR.is_person(label):
        return _people(rest, f"{label}: {rest}", organisation=label)
    return ()


def _is_member_label(label: str) -> bool:
    ws = words(label)
    return len(ws) <= 2 and any(fuzzy_in(w, MEMBER_WORDS) for w in ws)


def _unlabelled(item: str) -> tuple[Member, ...]:
    via = _split_via(item)
    if via:
        organisation, people = via
        return _people(people, item, organisation=organisation)
    whole = _people(item, item)
    if whole and len(whole) == len(split_top_level(item, _PEOPLE_SEP)):
        return whole
    return _comma_form(item)


def parse_row(cells: tuple[str, ...], header: tuple[str, ...]) -> tuple[Member, ...]:
    """A table row, read back into the list grammar by what its columns hold."""
    cells = tuple(clean(c) for c in cells if clean(c))
    if not cells:
        return ()
    if len(cells) == 1:
        return parse_item(cells[0])
    by_header = _row_by_header(cells, header)
    if by_header is not None:
        return by_header
    first, rest = cells[0], cells[1:]
    if PERSON_DETECTOR.is_person(_strip_stray(first)):
        return parse_item(f"{first} ({', '.join(rest)})" if len(rest) == 1 else ", ".join(cells))
    if any(PERSON_DETECTOR.is_person(p.name) for p in _chunks(rest[0])):
        return parse_item(f"{first} v/ {rest[0]}")
    return parse_item(" ".join(cells))


def _row_by_header(cells: tuple[str, ...], header: tuple[str, ...]) -> tuple[Member, ...] | None:
    """A row under a header naming its columns (Navn | Rolle | Virksomhet); None without one.

    A column whose header names several fields ("Rolle / organisasjon") or only a role is
    read like a parenthesis after the name.
    """
    if len(header) != len(cells):
        return None
    columns: dict[str, int] = {}
    by_content: list[int] = []
    for n, head in enumerate(header):
        named = [f for f, heads in _COLUMNS.items() if any(w in heads for w in words(head))]
        if len(named) == 1 and named[0] not in ("role", *columns):
            columns[named[0]] = n
        elif named:
            by_content.append(n)
    if "name" not in columns:
        return None
    name = _strip_stray(cells[columns["name"]])
    if not PERSON_DETECTOR.is_person(name):
        return ()
    organisation, region = _organisation_region(cells[columns["organisation"]] if "organisation" in columns else None)
    fields = {"organisation": organisation, "region": region}
    if "region" in columns:
        fields["region"] = canonical_region(cells[columns["region"]])
    for n in by_content:
        fields.update({k: v for k, v in _classify(cells[n] or None, in_organisation=False).items() if v})
    role = fields.get("role")
    return (
        Member(
            name=name,
            organisation=fields.get("organisation"),
            role=(seat_role(role) or role) if role else None,
            region=fields.get("region"),
            text=" | ".join(cells),
            title=cells[columns["title"]] or None if "title" in columns else None,
        ),
    )


def _organisation_region(text: str | None) -> tuple[str | None, str | None]:
    """An organisation and the region it implies: a bare region is a region, an RHF both."""
    if not text:
        return None, None
    if is_regional_authority(text):
        return text, canonical_region(text)
    if is_region(text):
        return None, canonical_region(text)
    return text, None


def parse_prose(sentence: str) -> tuple[str, tuple[Member, ...]] | None:
    """'<group> bestående av [tre personer -] leder A, B og rådgiver C (alle tre fra D)'.

    Returns the group name phrase and its members, or None when no person is listed.
    """
    m = _PROSE.match(clean(sentence))
    if not m:
        return None
    rest = _COUNT_LEAD.sub("", m["rest"], count=1).rstrip(". ")
    organisation = None
    origin = _COMMON_ORIGIN.search(rest)
    if origin:
        organisation = clean(origin["org"])
        rest = rest[: origin.start()]
    members = []
    for chunk in _chunks(rest):
        if not PERSON_DETECTOR.is_person(chunk.name):
            continue
        fields = _classify(chunk.paren, in_organisation=organisation is not None)
        members.append(
            Member(
                name=chunk.name,
                organisation=fields.get("organisation") or organisation,
                role=chunk.prefix or fields.get("role"),
                region=fields.get("region"),
                text=clean(sentence),
                affiliation=fields.get("affiliation"),
            )
        )
    if not members:
        return None
    return group_phrase(m["subject"]), tuple(members)


def parse_seat_sentence(sentence: str) -> Member | None:
    """'Sekretær for gruppen er Nils Berg, rådgiver i Helse Vest RHF.': a seat named in prose.

    Chairs are left to chair sentences; this reads the other seat roles (sekretær,
    nestleder, observatør ...).
    """
    m = _SEAT_SENTENCE.match(clean(sentence))
    role = seat_role(m["role"]) if m else None
    if role is None or role in CHAIR_ROLES:
        return None
    head, _, tail = m["rest"].partition(",")
    name = _strip_stray(head)
    if not PERSON_DETECTOR.is_person(name):
        return None
    title, organisation, region = None, None, None
    at = _AT_ORGANISATION.match(_strip_stray(tail))
    if at:
        title = at["title"]
        organisation, region = _organisation_region(at["org"])
    elif tail.strip():
        organisation, region = _organisation_region(_strip_stray(tail))
    return Member(name=name, organisation=organisation, role=role, region=region,
                  text=clean(sentence), title=title)


def group_phrase(subject: str) -> str:
    """'... etableres med en administrativ enhet (arbeidsgruppe)' -> 'Administrativ enhet (arbeidsgruppe)'."""
    subject = clean(subject).strip(" ,:-–")
    determiners = list(_DETERMINER.finditer(subject))
    if determiners:
        subject = subject[determiners[-1].end():]
    return subject[:1].upper() + subject[1:]


def _split_via(item: str) -> tuple[str, str] | None:
    depth = 0
    for i, ch in enumerate(item):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0 and ch.isspace():
            m = _VIA.match(item, i)
            if m:
                organisation = item[:i].strip(" ,:-–")
                return (organisation, item[m.end():]) if organisation else None
    return None


def _chunks(text: str) -> list[_Chunk]:
    out = []
    for part in split_top_level(text, _PEOPLE_SEP):
        m = _CHUNK.match(_strip_stray(part))
        if not m:
            continue
        prefix = clean(m["pre"] or "")
        name = _strip_stray(m["name"])
        out.append(_Chunk(prefix, name, clean(m["paren"]) if m["paren"] else None))
    return out


def _people(text: str, source: str, organisation: str | None = None) -> tuple[Member, ...]:
    members = []
    for chunk in _chunks(text):
        if chunk.prefix or not PERSON_DETECTOR.is_person(chunk.name):
            continue
        fields = _classify(chunk.paren, in_organisation=organisation is not None)
        members.append(
            Member(
                name=chunk.name,
                organisation=organisation or fields.get("organisation"),
                role=fields.get("role"),
                region=fields.get("region"),
                text=source,
                affiliation=fields.get("affiliation"),
            )
        )
    return tuple(members)


def _comma_form(item: str) -> tuple[Member, ...]:
    """'Person, title, organisation' / 'Person, organisation' / 'Person, leder'."""
    parts = split_top_level(item, _COMMA)
    if len(parts) < 2:
        return ()
    head = _CHUNK.match(parts[0])
    if not head or head["pre"] or not PERSON_DETECTOR.is_person(_strip_stray(head["name"])):
        return ()
    fields = _classify(clean(head["paren"]) if head["paren"] else None, in_organisation=False)
    title = None
    for part in parts[1:]:
        part = _split_trailing_role(_strip_stray(part), fields)
        if is_role(part) and part[:1].islower() and "role" not in fields and _is_seat_role(part):
            fields["role"] = part
        elif is_region(part) and "region" not in fields:
            organisation, fields["region"] = _organisation_region(part)
            if organisation and "organisation" not in fields:
                fields["organisation"] = organisation
        elif part[:1].islower() and title is None:
            title = part
        elif "organisation" not in fields:
            fields["organisation"] = part
    return (
        Member(
            name=_strip_stray(head["name"]),
            organisation=fields.get("organisation"),
            role=fields.get("role"),
            region=fields.get("region"),
            text=item,
            title=title,
        ),
    )


def _split_trailing_role(part: str, fields: dict) -> str:
    """'Helse Bergen (leder)': the role parenthesis ends the line, it is not the organisation's."""
    m = _TRAILING_PAREN.match(part)
    if m and "role" not in fields and is_role(m["paren"]):
        fields["role"] = clean(m["paren"])
        return m["text"]
    return part


def _is_seat_role(text: str) -> bool:
    first = words(text)[0]
    return first in {"leder", "leiar", "nestleder", "nestleiar", "medlem", "varamedlem", "vara",
                     "sekretær", "observatør", "styreleder", "styreleiar"}


def _classify(paren: str | None, in_organisation: bool) -> dict:
    """What a parenthesis after a name says: role, region, organisation or affiliation."""
    if not paren:
        return {}
    if is_role(paren):
        region = find_region(paren)
        return {"role": paren, **({"region": region} if region else {})}
    if is_region(paren):
        return {"region": canonical_region(paren)}
    return {"affiliation": paren} if in_organisation else {"organisation": paren}


def _strip_stray(text: str) -> str:
    """Stray punctuation around an item: a trailing period after ')', a leading dash."""
    return clean(text).strip(" .,;:-–—•")
