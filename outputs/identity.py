"""Who is who: one identity per person and per organisation, across versions and bodies.

Names are compared part by part, never as one whole-string score, because a single score
cannot tell `Grete S. Foss` / `Grethe Foss` (one person) from `Grete Foss` / `Grete Fossum`
(two): the surname must be the same name up to a silent letter, a doubled consonant, one
inserted, dropped or swapped letter; the given names must be compatible (initials, an added
middle name, a spelling variant: `outputs.names.spelling_key`). A name that differs at all also needs support: a shared
body, organisation or region. Whatever the rules leave unmerged but close is a near-miss,
listed for a maintainer to decide in the reviewed file (`people.toml`, see `outputs.reviewed`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations

from rapidfuzz.distance import OSA, Levenshtein

from outputs.events import person_id
from outputs.names import name_key, normalise_name, spelling_key
from outputs.reviewed import Reviewed

# Nynorsk word forms that occur in body, organisation and role names, mapped to Bokmål, so
# that a page switching written standard is not a change.
_NN_TO_NB = {
    "dei": "de",
    "ein": "en",
    "eit": "et",
    "frå": "fra",
    "leiar": "leder",
    "nestleiar": "nestleder",
    "medlemer": "medlemmer",
    "representantar": "representanter",
    "høgskule": "høyskole",
    "høgskulen": "høyskolen",
    "høgskulesektoren": "høyskolesektoren",
    "sjukehus": "sykehus",
    "sjukehuset": "sykehuset",
}
_ORG_FORMS = {"hf", "rhf", "as", "asa", "sa", "ks"}
_DEFINITE = ("ene", "ane", "en", "et", "a")
_ABBREVIATION = re.compile(r"\(([A-ZÆØÅ][A-ZÆØÅa-zæøå0-9-]{1,9})\)\s*$")
_MIN_FUZZY_TOKEN = 5
_TOKEN_SIMILARITY = 0.8


# ------------------------------------------------------------------------------------ names


@dataclass(frozen=True)
class NameParts:
    given: tuple[str, ...]  # normalised given names and initials (one letter), hyphenated ones split
    surname: str  # normalised last name, hyphenated surnames kept whole

    @classmethod
    def of(cls, name: str) -> "NameParts":
        tokens = name_key(name).split()
        if not tokens:
            return cls((), "")
        given = tuple(part for token in tokens[:-1] for part in token.split("-") if part)
        return cls(given, tokens[-1])


def _given_compatible(a: str, b: str) -> bool:
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b or spelling_key(a) == spelling_key(b)


def given_names_compatible(a: tuple[str, ...], b: tuple[str, ...]) -> bool:
    """First given names agree; the shorter list's other names appear, in order, in the longer."""
    if not a or not b or not _given_compatible(a[0], b[0]):
        return False
    short, long = (a, b) if len(a) <= len(b) else (b, a)
    rest = iter(long[1:])
    return all(any(_given_compatible(name, other) for other in rest) for name in short[1:])


def surnames_compatible(a: str, b: str) -> bool:
    """Same surname up to spelling: same sound, or one letter added, dropped or swapped (not replaced)."""
    if a == b or spelling_key(a) == spelling_key(b):
        return True
    if min(len(a), len(b)) < _MIN_FUZZY_TOKEN:
        return False
    if len(a) != len(b):
        return Levenshtein.distance(a, b) == 1
    return OSA.distance(a, b) == 1 and Levenshtein.distance(a, b) == 2


@dataclass(frozen=True)
class NameMatch:
    same: bool  # the normalised names are equal
    compatible: bool  # the parts agree: the same person if something else supports it
    near: bool  # not compatible, but close enough to show a maintainer


@lru_cache(maxsize=65536)
def match_names(a: str, b: str) -> NameMatch:
    if name_key(a) == name_key(b):
        return NameMatch(True, True, False)
    pa, pb = NameParts.of(a), NameParts.of(b)
    compatible = surnames_compatible(pa.surname, pb.surname) and given_names_compatible(pa.given, pb.given)
    near = not compatible and (
        (Levenshtein.distance(pa.surname, pb.surname) <= 2 and given_names_compatible(pa.given, pb.given))
        or (pa.surname == pb.surname and bool(pa.given) and bool(pb.given) and pa.given[0][0] == pb.given[0][0])
    )
    return NameMatch(False, compatible, near)


# ------------------------------------------------------------------------------------ organisations


@lru_cache(maxsize=65536)
def _org_tokens(name: str) -> tuple[str, ...]:
    text = normalise_name(_ABBREVIATION.sub("", unicodedata.normalize("NFC", name)))
    tokens = [t for t in re.split(r"[\s,/]+", text) if t]
    tokens = [_NN_TO_NB.get(t, t) for t in tokens]
    while len(tokens) > 1 and tokens[-1] in _ORG_FORMS:
        tokens.pop()
    return tuple(_stem(t) for t in tokens)


def _stem(token: str) -> str:
    for suffix in _DEFINITE:
        if len(token) - len(suffix) >= _MIN_FUZZY_TOKEN and token.endswith(suffix):
            return token[: -len(suffix)]
    return token


@lru_cache(maxsize=65536)
def abbreviation(name: str) -> str | None:
    """`Kommunesektorens interesseorganisasjon (KS)` -> `ks`; a short all-capitals name is its own."""
    text = name.strip()
    found = _ABBREVIATION.search(text)
    if found:
        return found.group(1).casefold()
    if re.fullmatch(r"[A-ZÆØÅ][A-ZÆØÅ0-9-]{1,9}", text):
        return text.casefold()
    return None


@lru_cache(maxsize=65536)
def organisations_match(a: str, b: str) -> bool:
    """The same organisation written another way: case, Bokmål/Nynorsk, abbreviation, a typo."""
    ta, tb = _org_tokens(a), _org_tokens(b)
    if ta == tb:
        return True
    ab, bb = abbreviation(a), abbreviation(b)
    if ab and (ab == bb or (ab,) == tb) or bb and (bb,) == ta:
        return True
    if len(ta) != len(tb):
        return False
    return all(_token_match(x, y) for x, y in zip(ta, tb))


def _token_match(a: str, b: str) -> bool:
    if a == b:
        return True
    if min(len(a), len(b)) < _MIN_FUZZY_TOKEN:
        return False
    return Levenshtein.normalized_similarity(a, b) >= _TOKEN_SIMILARITY


def words_match(a: str | None, b: str | None) -> bool:
    """Roles and regions: equal up to case, spacing and Bokmål/Nynorsk forms."""
    if not a or not b:
        return not a and not b
    return _org_tokens(a) == _org_tokens(b)


@dataclass(frozen=True)
class Organisation:
    id: str
    name: str  # the current name (after any recorded rename)
    variants: tuple[str, ...]
    former_names: tuple[tuple[str, str], ...] = ()  # (name, last day it was used) from recorded renames


class Organisations:
    """Organisation names resolved to identities, with the reviewed aliases and renames."""

    def __init__(self, names: list[str], reviewed: Reviewed):
        self.reviewed = reviewed
        seen = list(dict.fromkeys(n.strip() for n in names if n and n.strip()))
        self._order = {name.strip(): number for number, name in enumerate(names) if name and name.strip()}
        for entry in reviewed.organisations:
            seen.extend(n for n in (entry.name, *entry.aliases) if n not in seen)
        for rename in reviewed.renames:
            seen.extend(n for n in (rename.old, rename.new) if n not in seen)
        parent = list(range(len(seen)))

        def find(i: int) -> int:
            while parent[i] != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i

        def union(i: int, j: int) -> None:
            ri, rj = find(i), find(j)
            if ri != rj:
                parent[max(ri, rj)] = min(ri, rj)

        for i, j in combinations(range(len(seen)), 2):
            if self._linked(seen[i], seen[j]):
                union(i, j)
        clusters: dict[int, list[str]] = {}
        for i, name in enumerate(seen):
            clusters.setdefault(find(i), []).append(name)
        self._by_name: dict[str, Organisation] = {}
        for members in clusters.values():
            org = self._organisation(members)
            for name in members:
                self._by_name[name] = org

    def _linked(self, a: str, b: str) -> bool:
        if organisations_match(a, b):
            return True
        for entry in self.reviewed.organisations:
            names = (entry.name, *entry.aliases)
            if any(organisations_match(a, n) for n in names) and any(organisations_match(b, n) for n in names):
                return True
        return self.rename(a, b) is not None or self.rename(b, a) is not None

    def _organisation(self, members: list[str]) -> Organisation:
        reviewed_name = next(
            (e.name for e in self.reviewed.organisations if any(organisations_match(e.name, m) for m in members)), None
        )
        renamed_to = [r for r in self.reviewed.renames if any(organisations_match(r.new, m) for m in members)]
        name = renamed_to[-1].new if renamed_to else reviewed_name or self._latest(members)
        former = tuple((r.old, r.last_day_of_old) for r in renamed_to)
        key = " ".join(_org_tokens(members[0]))
        return Organisation("o-" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:10], name, tuple(members), former)

    def _latest(self, members: list[str]) -> str:
        """The form seen last (names arrive oldest first), so a table shows what the page says now."""
        return max(members, key=lambda n: self._order.get(n, -1))

    def get(self, name: str | None) -> Organisation | None:
        if not name or not name.strip():
            return None
        found = self._by_name.get(name.strip())
        if found is None:
            found = next((o for n, o in self._by_name.items() if organisations_match(n, name)), None)
        return found

    def same(self, a: str | None, b: str | None) -> bool:
        if not a or not b:
            return not a and not b
        oa, ob = self.get(a), self.get(b)
        if oa and ob:
            return oa.id == ob.id
        return organisations_match(a, b)

    def rename(self, old: str, new: str):
        """The reviewed rename that turns `old` into `new`, if there is one."""
        return next(
            (r for r in self.reviewed.renames if organisations_match(r.old, old) and organisations_match(r.new, new)),
            None,
        )

    @property
    def all(self) -> list[Organisation]:
        """Every organisation some page named (not those only the reviewed file knows)."""
        return list({o.id: o for n, o in self._by_name.items() if n in self._order}.values())


# ------------------------------------------------------------------------------------ people


def _close(a: str, b: str) -> bool:
    match = match_names(a, b)
    return match.near or (match.compatible and not match.same)


def pinned_key(name: str, reviewed: Reviewed) -> str | None:
    """The reviewed `[[person]]` a printed name belongs to, as a key, if any."""
    key = name_key(name)
    for entry in reviewed.persons:
        if key in {name_key(v) for v in entry.names}:
            return "pinned:" + name_key(entry.name)
    return None


def kept_apart(a: str, b: str, reviewed: Reviewed) -> bool:
    ka, kb = name_key(a), name_key(b)
    return any(ka in keys and kb in keys and ka != kb for keys in ({name_key(n) for n in p.names} for p in reviewed.apart))


def same_person_in_body(a: str, b: str, reviewed: Reviewed) -> bool:
    """Two names printed in one body (which supports them): the same person?"""
    if kept_apart(a, b, reviewed):
        return False
    pinned = pinned_key(a, reviewed)
    return (pinned is not None and pinned == pinned_key(b, reviewed)) or match_names(a, b).compatible


@dataclass(frozen=True)
class Mention:
    """One printed name in one place: what identity resolution groups into persons."""

    name: str
    source: str
    group: str
    organisation: str | None = None
    region: str | None = None
    first_seen: str = ""  # capture time, ISO UTC; orders variants and fixes which one names the id


@dataclass
class Person:
    id: str
    name: str  # the name as most recently printed
    variants: list[str]
    mentions: list[Mention] = field(default_factory=list)


@dataclass(frozen=True)
class NearMiss:
    """Two identities the rules kept apart although their names are close: for a maintainer to review."""

    a: str
    b: str
    reason: str
    decided: bool = False  # the reviewed file already keeps them apart: nothing left to review


class People:
    """Mentions resolved to persons: `id_of(name)` gives the stable person id of a printed name."""

    def __init__(self, mentions: list[Mention], reviewed: Reviewed, organisations: Organisations | None = None):
        self.reviewed = reviewed
        self.organisations = organisations or Organisations([m.organisation for m in mentions], reviewed)
        ordered = sorted(mentions, key=lambda m: (m.first_seen or "~", name_key(m.name)))
        clusters = self._seed(ordered)
        clusters = self._merge(clusters)
        self.persons: list[Person] = []
        self._by_key: dict[str, Person] = {}
        self._by_place: dict[tuple[str, str, str], Person] = {}
        for cluster in clusters:
            person = self._person(cluster)
            self.persons.append(person)
            for mention in cluster:
                self._by_key.setdefault(name_key(mention.name), person)
                self._by_place[(name_key(mention.name), mention.source, normalise_name(mention.group))] = person
        self.persons.sort(key=lambda p: (NameParts.of(p.name).surname, name_key(p.name)))
        self.near_misses = self._near_misses(clusters)

    def _seed(self, mentions: list[Mention]) -> list[list[Mention]]:
        """Equal names are one person; names pinned together in the reviewed file too."""
        by_key: dict[str, list[Mention]] = {}
        for mention in mentions:
            key = pinned_key(mention.name, self.reviewed) or name_key(mention.name)
            by_key.setdefault(key, []).append(mention)
        return list(by_key.values())

    def _merge(self, clusters: list[list[Mention]]) -> list[list[Mention]]:
        """Merge clusters whose every pair of names is compatible and that share a body, organisation or region."""
        merged = True
        while merged:
            merged = False
            for i, j in combinations(range(len(clusters)), 2):
                if self._belong_together(clusters[i], clusters[j]):
                    clusters[i] = clusters[i] + clusters[j]
                    del clusters[j]
                    merged = True
                    break
        return clusters

    def _belong_together(self, a: list[Mention], b: list[Mention]) -> bool:
        names_a, names_b = {m.name for m in a}, {m.name for m in b}
        if self._kept_apart(names_a, names_b):
            return False
        if not all(match_names(x, y).compatible for x in names_a for y in names_b):
            return False
        return self._supported(a, b)

    def _kept_apart(self, names_a: set[str], names_b: set[str]) -> bool:
        return any(kept_apart(x, y, self.reviewed) for x in names_a for y in names_b)

    def _supported(self, a: list[Mention], b: list[Mention]) -> bool:
        if {m.source for m in a} & {m.source for m in b}:
            return True
        if any(words_match(x.region, y.region) for x in a for y in b if x.region and y.region):
            return True
        return any(self.organisations.same(x.organisation, y.organisation) for x in a for y in b if x.organisation and y.organisation)

    def _person(self, cluster: list[Mention]) -> Person:
        first = min(cluster, key=lambda m: (m.first_seen or "~", name_key(m.name)))
        pinned = next((e for e in self.reviewed.persons if name_key(first.name) in {name_key(v) for v in e.names}), None)
        latest = max(cluster, key=lambda m: (m.first_seen or "", name_key(m.name)))
        ident = (pinned.id if pinned and pinned.id else None) or person_id(first.name)
        name = pinned.name if pinned else latest.name
        variants = sorted({m.name for m in cluster}, key=name_key)
        return Person(ident, name, variants, sorted(cluster, key=lambda m: (m.first_seen, m.source, m.group)))

    def _near_misses(self, clusters: list[list[Mention]]) -> list[NearMiss]:
        misses = []
        for a, b in combinations(clusters, 2):
            for x in sorted({m.name for m in a}):
                y = next((n for n in sorted({m.name for m in b}) if _close(x, n)), None)
                if y is not None:
                    misses.append(NearMiss(x, y, self._near_reason(x, y), self._kept_apart({x}, {y})))
                    break
        return misses

    def _near_reason(self, x: str, y: str) -> str:
        if self._kept_apart({x}, {y}):
            return "kept apart in the reviewed file"
        if match_names(x, y).compatible:
            return "names compatible, but no shared body, organisation or region"
        return "names close, but the parts differ"

    def get(self, name: str, source: str | None = None, group: str | None = None) -> Person | None:
        key = name_key(name)
        if source is not None and group is not None:
            found = self._by_place.get((key, source, normalise_name(group)))
            if found is not None:
                return found
        return self._by_key.get(key)

    def id_of(self, name: str | None, source: str | None = None, group: str | None = None) -> str | None:
        if not name:
            return None
        found = self.get(name, source, group)
        return found.id if found else person_id(name)
