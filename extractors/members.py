"""The member grammar: how one line (a list item, a row, a card line) names who sits where.

A line is split at its top-level separators (commas, semicolons, spaced dashes, full stops,
"og") into pieces; a piece that holds a person's name starts a seat, the pieces after it
(and a title before it) describe that seat (``extractors.fields``). So one grammar reads
"Navn, tittel, organisasjon", "Tittel Navn (parti), Org", "Navn – Org (lagstype)",
"Navn (leder), Sted", "A, B og C", "A (leiar), B (nestleiar)" and a prose enumeration's
"Ernst Horgen (gjenvalgt), Ketil Kongelstad, Drammen, Grete Larsen, Statens helsetilsyn".
Besides that:

* ``Label: …`` — a seat role label ("Leder:", "Personlig varamedlem:") gives the role, a
  member word ("Medlemmer:") none, a capitalised other label ("Kleive pensjonistforening:")
  the organisation; "Kontaktperson:", "Foto:", "Av:" and lower-case labels mean no seat;
* ``Org v/ Person (x), Person og Person`` — one organisation, several people;
* ``Navn (Vara-navn)`` — a parenthesis holding a person is that member's personal deputy;
* glued items ("Jon Skarvøy, leiarAnne Lise H. Følsvik") and numbered ones ("1. Navn");
* table rows, by their header (Navn | Rolle | Virksomhet) or by what the cells hold.

Every member must be a confirmed person (``extractors.persons``); a line naming nobody
gives nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from functools import lru_cache

from extractors.fields import (
    Seat, classify, is_contact, is_generic_label, is_place, leads_this_body, looks_like_organisation, party,
    role_word,
)
from extractors.model import Member
from extractors.names import find_names, is_first_name, is_person_name, is_title_word, unglue
from extractors.persons import NAME_TOKEN, not_name_word
from extractors.text import clean, split_top_level
from extractors.vocabulary import (
    MEMBER_WORDS, SUBSTITUTE_ROLE, SUBSTITUTE_WORDS, canonical_region, find_region, fuzzy_in,
    is_not_seat_label, is_region, is_regional_authority, is_side_label, seat_role, words,
)

_VIA = re.compile(r"\s+(?:v\s?/|ved)\s*(?=[A-ZÆØÅ]|[a-zæøå]+\s+[A-ZÆØÅ])")
_LABEL = re.compile(r"^(?P<label>[A-ZÆØÅa-zæøå][\wæøåÆØÅ ./(),-]{0,50}?)\s*:\s*(?P<rest>\S.*)$")
_REPRESENTS_LABEL = re.compile(r"\b(?:for|fra|frå|fro)\s+(?P<whom>[A-ZÆØÅ][\wæøåÆØÅ .()-]*)$")
_DEPUTY_OF = re.compile(r"^(?:[Ff]or|[Vv]ara for|[Pp]ersonle?i?g vara for)\s+(?P<principal>[^:]{3,60}?)\s*:\s*(?P<rest>\S.*)$")
_ANGLE_EMAIL = re.compile(r"\s*<[^<>@\s]+@[^<>\s]+>")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}[.)]|[a-h]\))\s+(?=\S)")
_ABBREVIATION = re.compile(r"(?:^|[\s.])(?:[A-ZÆØÅ][a-zæøå]{0,2}|adm|dir|konst|kst|fung|ass|avd|dr|prof|bl\.a|f\.eks|jf|ca|mv|nr|st)$",
                           re.IGNORECASE)
# Separators between the pieces of a line, with how strongly they separate seats.
_SEPARATOR = re.compile(
    r"\s*;\s*|,?\s+(?:og|and|&|samt|i tillegg til)\s+|\s*,\s*\d{1,2}\.\s+(?=[A-ZÆØÅ])|\s*,\s*|\s+[–—-]\s+|"
    r"\.\s+(?=[A-ZÆØÅ])")
_DEFINITE_ROLES = {"lederen": "leder", "leiaren": "leiar", "nestlederen": "nestleder", "nestleiaren": "nestleiar",
                   "sekretæren": "sekretær", "styrelederen": "styreleder", "styreleiaren": "styreleiar"}
_COLUMNS = {
    "name": ("navn", "namn", "person", "representant", "medlem", "medlemmer", "medlemar", "medlemmar"),
    "role": ("rolle", "verv", "funksjon", "posisjon"),
    "title": ("tittel", "stilling"),
    "organisation": ("virksomhet", "verksemd", "organisasjon", "arbeidssted", "arbeidsstad",
                     "institusjon", "representerer", "arbeidsgiver", "arbeidsgjevar", "foretak",
                     "føretak", "helseforetak", "helseføretak", "enhet", "eining", "avdeling", "klinikk",
                     "tilhørighet", "tilhøyrsle", "lokallag", "fylkeslag", "klubb", "forening", "foreining"),
    "place": ("bosted", "bustad", "heimkommune", "hjemkommune", "kommune", "sted", "stad", "fylke"),
    "ignored": ("alder", "oppnevnt", "valgt", "periode", "år", "fra", "til", "funksjonstid", "e-post",
                "epost", "telefon", "tlf"),
    "region": ("region", "helseregion"),
    "party": ("parti", "partí", "liste"),
    "deputy": ("vara", "varamedlem", "varamedlemmer", "varamedlemar", "varamedlemmar", "personleg vara",
               "personlig vara", "personlig varamedlem", "personleg varamedlem", "vararepresentant"),
}


_EMPTY_CELL = {"-", "–", "—"}  # a column left empty in a flattened row ('Leif Holm - Styremedlem')


@dataclass
class _Piece:
    text: str
    separator: str  # the separator before this piece ('' for the first)
    written: str = ""  # that separator as the text has it ('&' where ``separator`` says 'og')


@dataclass
class _Draft:
    name: str
    before: str = ""
    parens: tuple[str, ...] = ()
    after: list[_Piece] = field(default_factory=list)
    joined_by_and: bool = False  # 'A og B, Org': the trailing organisation is also A's
    deputy_for: str | None = None  # 'A, Org – personleg vara: B, Org': B is A's deputy


@lru_cache(maxsize=8192)
def parse_item(text: str, organisation: str | None = None) -> tuple[Member, ...]:
    """Members in one list item (or line); () when it names no person.

    ``organisation`` is an organisation the surrounding list gives (an "Org:" line above).
    """
    item = _strip_stray(clean(_ANGLE_EMAIL.sub("", _NUMBERED.sub("", text))))
    if not item or is_contact(item) and not find_names(item):
        return ()
    glued = unglue(item)
    if len(glued) > 1 and all(find_names(p) for p in glued[1:]):
        return tuple(m for part in glued for m in parse_item(part, organisation))
    deputy_of = _DEPUTY_OF.match(item)
    if deputy_of:  # 'For Kari Nordmann: Per Hansen (Sp)' under personal deputies
        principal = [n.name for n in find_names(deputy_of["principal"])]
        if not principal and re.fullmatch(NAME_TOKEN, deputy_of["principal"]):
            principal = [deputy_of["principal"]]  # 'for Solberg:' - the group resolves the surname
        if len(principal) == 1:
            return tuple(replace(m, deputy_for=principal[0], role=m.role or SUBSTITUTE_ROLE)
                         for m in _unlabelled(deputy_of["rest"], item, organisation))
    label = _LABEL.match(item)
    if label and not _names_a_person(label["label"]):
        return _labelled(label["label"], label["rest"], item, organisation)
    if label and find_names(label["label"]) and not find_names(label["rest"]):
        item = f"{label['label']} – {label['rest']}"  # 'Astrid Berntsen: leder (Helse Sør-Øst)'
    return _unlabelled(item, item, organisation)


def _labelled(label: str, rest: str, source: str, organisation: str | None) -> tuple[Member, ...]:
    """'Leder: X' gives X the role, 'Medlemmer: X' no role, 'Kleive pensjonistforening: X'
    the organisation, a description ('leder av fagnettverk i Helse Vest: X') what a parenthesis
    would; 'Kontaktperson: X' and 'Foto: X' are no seat. A seat
    label's 'for/frå X' says whom the seat represents: 'Representant for Helse Vest:' the
    region, 'Observatør frå Ungdomsrådet:' the organisation."""
    role = label_role(label)
    if role is not None and _LEADS_ANOTHER.match(label) and not leads_this_body(label):
        role = None  # 'leder av fagnettverk i Helse Vest: X' leads another body: a description
    origin = _FROM_LABEL.match(label)
    if origin:  # 'Fra Autismeforeningen, Brattvik-avdelingen: X'
        return _unlabelled(rest, source, origin["whom"])
    if role is None and (label[:1].islower() or "/" in label or "," in label) and not is_not_seat_label(label):
        # a description before the colon, as a <dt> gives it ('konst. adm. dir./leder: X',
        # 'direktoratet for eHelse: X'): read like the parenthesis of 'X (…)'
        return tuple(replace(m, text=source) for m in parse_item(f"{rest} ({label})", organisation))
    if role is not None or is_member_label(label):
        members = _unlabelled(rest, source, organisation)
        if role is not None:
            members = tuple(m if m.role and role_word(m.role) else replace(m, role=role, title=m.title or m.role)
                            for m in members)
        represents = _REPRESENTS_LABEL.search(label)
        if represents:
            whom = clean(represents["whom"])
            if is_region(whom):  # the seat represents the region the label names, as written there
                members = tuple(replace(m, region=whom) for m in members)
            else:
                members = tuple(m if m.organisation else replace(m, organisation=whom) for m in members)
        return members
    if party(label):  # 'Ap: Ormø, Stine; Heggdal, Geir Magne'
        return tuple(m if m.party else replace(m, party=party(label)) for m in _unlabelled(rest, source, organisation))
    if is_side_label(label):
        return _unlabelled(rest, source, organisation)
    if is_not_seat_label(label):
        return ()
    if is_region(label):  # 'Helse Nord: X, overlege, UNN': the seat's health region, as written
        return tuple(replace(m, region=m.region or clean(label)) for m in _unlabelled(rest, source, organisation))
    if label[:1].isupper():  # 'Kleive pensjonistforening: X'
        return _unlabelled(rest, source, label)
    return ()


_LEADS_ANOTHER = re.compile(r"^(?:leder|leiar|styreleder|styreleiar)\s+(?:av|for|i)\s+\S", re.IGNORECASE)
_FROM_LABEL = re.compile(r"^(?:[Ff]ra|[Ff]rå)\s+(?P<whom>[A-ZÆØÅ].*)$")


def _names_a_person(label: str) -> bool:
    """A label before a colon is a person only with a first name ('Kari Lie: leder'); 'Mental
    Helse:' or 'Unge Funksjonshemmede:' is an organisation."""
    return any(is_first_name(n.name.split()[0].rstrip(",")) for n in find_names(label))


def label_role(label: str) -> str | None:
    """The seat role a label or heading gives its people: 'Leder' -> 'leder', 'Vara' ->
    'varamedlem', 'Personlige varamedlemmer' -> 'varamedlem', 'Sekretær for utvalget' ->
    'sekretær', 'Jođiheaddji / Leder' (two languages) -> 'leder'; None for member words and
    anything else."""
    if " / " in label:
        return next((r for r in (label_role(part) for part in label.split(" / ")) if r), None)
    label = re.sub(r"(?<=\S)\s*\([^()]*\)\s*$", "", label)  # 'Leder (jurist)': the seat, and what it asks for
    ws = words(label)
    if not ws:
        return None
    deputy = next((w for w in ws if w.startswith("vara") and w in SUBSTITUTE_WORDS), None)
    if deputy and ws[:2] in (["personlig", "vara"], ["personleg", "vara"]) and len(ws) == 2:
        return " ".join(ws)  # 'Personlig vara:' as written (CONVENTIONS.md)
    if deputy and (ws[0] == deputy or ws[0] in ("personlig", "personleg", "personlige", "faste", "faste")):
        return _singular_role(deputy)
    head = re.split(r"\s+(?:for|i|til|av|hos|fra|frå|fro)\s+", " ".join(ws))[0]
    role = seat_role(head) or seat_role(_singular_role(head))
    if role and not is_generic_label(role):
        return role
    plural = _singular_role(head)
    if role_word(plural) and not is_generic_label(plural):
        return plural  # 'Brukerrepresentanter' -> 'brukerrepresentant', 'Tillitsvalgt' -> 'tillitsvalgt'
    elected = re.match(r"^(?P<who>[a-zæøå]+(?:valgt|vald|valt|oppnevnt|oppnemnd))e?\s+(?P<seat>\S*(?:medlem|representant)\w*)$", head)
    if elected:  # 'Ansattvalgte styremedlemmer' -> 'ansattvalgt styremedlem' (as written, in the singular)
        return f"{elected['who']} {_singular_role(elected['seat'])}"
    if head.endswith("representant") and not is_generic_label(head):
        return head
    if head in ("sekretariat", "sekretariatet"):
        return "sekretariat"
    if head in ("observatør", "observatører", "observatørar"):
        return "observatør"
    if head in ("sekretærer", "sekretærar"):
        return "sekretær"
    return None


def _singular_role(word: str) -> str:
    """The seat of a heading word: 'Vararepresentanter' -> 'vararepresentant', 'Varamedlemmer'
    and 'Vara' -> 'varamedlem' (CONVENTIONS.md: the lower-case singular of the heading)."""
    for plural, singular in (("representanter", "representant"), ("representantar", "representant"),
                             ("medlemmer", "medlem"), ("medlemmar", "medlem"), ("medlemar", "medlem"), ("medlemer", "medlem"),
                             ("observatører", "observatør"), ("observatørar", "observatør"),
                             ("tillitsvalgte", "tillitsvalgt"), ("tillitsvalde", "tillitsvald")):
        if word.endswith(plural):
            return word[: -len(plural)] + singular
    return SUBSTITUTE_ROLE if word == "vara" else word


def is_member_label(label: str) -> bool:
    """'Medlemmer', 'Medlem', 'Faste medlemmer gruppe A', 'Representant', 'For de eksterne
    medlemmene': people under it hold no special seat."""
    head = re.split(r"\s+(?:for|fra|frå|fro|i|til)\s+", clean(label))[0]
    ws = words(head)
    return len(ws) <= 4 and any(fuzzy_in(w, MEMBER_WORDS) or is_generic_label(w)
                                or w.startswith(("medlem", "representant")) for w in ws)


def _unlabelled(item: str, source: str, organisation: str | None) -> tuple[Member, ...]:
    via = _split_via(item)
    if via:
        org, people = via
        return _members(people, source, organisation=org, via=True)
    return _members(item, source, organisation=organisation)


def _members(text: str, source: str, organisation: str | None = None, via: bool = False,
             one_per_piece: bool = True) -> tuple[Member, ...]:
    drafts = _drafts(text, strict=not via and one_per_piece)
    members: list[Member] = []
    carried: str | None = None  # 'styremedlemmene A, B og C': the plural seat runs on
    for n, draft in enumerate(drafts):
        seat = _seat(draft, via)
        before_last = draft.before.split()[-1] if draft.before.split() else ""
        if _plural_seat(before_last) is not None:
            plural = _plural_seat(before_last)
            carried = None if is_generic_label(plural) or plural == "styremedlem" else (
                SUBSTITUTE_ROLE if plural.startswith("vara") else plural)
            seat.role = seat.role or carried
        elif draft.before.strip() and (seat.role or seat.title):
            carried = None
        elif carried:
            seat.role = seat.role or carried
        if draft.joined_by_and and not draft.after and n + 1 < len(drafts):
            shared = _seat(drafts[n + 1], via)
            seat.fill("organisation", shared.organisation if drafts[n + 1].after else None)
        members.extend(_to_members(draft, seat, source, organisation if via or not seat.organisation else None,
                                   via, organisation))
    return tuple(members)


def _drafts(text: str, strict: bool = False) -> list[_Draft]:
    """The seats in a line: each piece holding a name starts one; the pieces after it describe it.

    With semicolons ("professor ved X, Navn; forsker Navn, Org; …") each record may also put
    its description before the name, and 'og' between two records separates them too."""
    if any(p.separator == ";" for p in _pieces(text)):
        drafts: list[_Draft] = []
        for record in split_top_level(text, re.compile(r"\s*;\s*")):
            for part in _and_records(record):
                drafts.extend(_record_drafts(_pieces(part), leading_before=True))
        return drafts
    return _record_drafts(_pieces(text), leading_before=False, strict=strict)


def _and_records(record: str) -> list[str]:
    """'rådmann i X, Helene Ohm og rådmann i Y, Margrethe Hagerupsen': two records."""
    parts = split_top_level(record, re.compile(r"\s+og\s+"))
    out: list[str] = []
    for part in parts:
        if out and find_names(out[-1]) and find_names(part):
            out.append(part)
        elif out:
            out[-1] = f"{out[-1]} og {part}"
        else:
            out.append(part)
    return out


def _record_drafts(pieces: list[_Piece], leading_before: bool, strict: bool = False) -> list[_Draft]:
    """``strict``: a list item's later comma piece is another person only if it starts with a
    known first name ('Ordfører X (AP), Øystre Slidre': the municipality is no person)."""
    drafts: list[_Draft] = []
    leading: list[_Piece] = []
    for piece in pieces:
        deputy_label = _DEPUTY_LABEL.match(piece.text) if drafts else None
        if deputy_label and find_names(deputy_label["rest"]):
            piece = _Piece(deputy_label["rest"], piece.separator)
        body, parens = _split_parens(piece.text)
        names = find_names(body)
        if strict and drafts and not deputy_label and piece.separator not in ("og", "and", "&", "samt") and names and not all(
                is_first_name(n.name.split()[0]) for n in names):
            names = []
        if not names:
            deputies = tuple(p for p in parens if _deputy(p))
            if drafts and deputies:  # 'Navn, Org (vara: Navn)': the deputy belongs to the seat
                drafts[-1].parens += deputies
                rest = " ".join([body, *(f"({p})" for p in parens if p not in deputies)])
                piece = _Piece(rest.strip(), piece.separator)
            if drafts:
                drafts[-1].after.append(piece)
            else:
                leading.append(piece)
            continue
        for k, span in enumerate(names):
            before = body[:span.start] if k == 0 else body[names[k - 1].end:span.start]
            tail = body[span.end:] if k == len(names) - 1 else ""
            draft = _Draft(span.name, before=before.strip(), parens=parens if k == len(names) - 1 else ())
            if tail.strip():
                draft.after.append(_Piece(tail.strip(), ""))
            if k == 0 and leading and leading_before:
                draft.before = ", ".join(p.text for p in leading) + (" " + draft.before if draft.before else "")
            if drafts and k == 0 and piece.separator in ("og", "and", "&", "samt") and not drafts[-1].after:
                drafts[-1].joined_by_and = True
            if deputy_label and drafts:
                draft.deputy_for = next(d.name for d in reversed(drafts) if not d.deputy_for)
            drafts.append(draft)
        leading = []
    return drafts


def _pieces(text: str) -> list[_Piece]:
    """Top-level pieces with the separator before each; no split inside parentheses, after an
    initial or abbreviation ('Philip A. Skau', 'konst. adm. dir.'), nor at 'og' inside an
    organisation ('Sogn og Fjordane')."""
    pieces: list[_Piece] = []
    depth, start, sep, written, i = 0, 0, "", "", 0
    while i < len(text):
        ch = text[i]
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif depth == 0:
            m = _SEPARATOR.match(text, i)
            if m and m.end() > i and _real_separator(text, i, m):
                pieces.append(_Piece(text[start:i].strip(), sep, written))
                sep, written, start = _separator_word(m.group()), m.group().strip(" ,"), m.end()
                i = m.end()
                continue
        i += 1
    pieces.append(_Piece(text[start:].strip(), sep, written))
    pieces = [p for p in pieces if p.text]
    return _join_and_pieces(pieces)


def _separator_word(found: str) -> str:
    """', og ' and ' samt ' join like 'og'; ', ' ';' ' – ' '. ' keep their sign."""
    word = found.strip(" ,")
    if word in ("og", "and", "&", "samt", "i tillegg til"):
        return "og"
    return found.strip() or " "


def _real_separator(text: str, i: int, m: re.Match) -> bool:
    """A full stop ends a piece unless it ends an initial or an abbreviation."""
    if m.group().strip().startswith("."):
        return not _ABBREVIATION.search(text[:i])
    return True


def _join_and_pieces(pieces: list[_Piece]) -> list[_Piece]:
    """'og' separates seats only when a name follows it and one came before it; otherwise it
    belongs to the piece ('Mental Helse Sogn og Fjordane', 'professor ved NTNU og leder av
    TBU', 'Kommunalsjef helse og omsorg Ole Petter Rustad')."""
    out: list[_Piece] = []
    for piece in pieces:
        if out and piece.separator in ("og", "and", "&", "samt") and (
                not find_names(_split_parens(piece.text)[0])
                or not any(find_names(_split_parens(p.text)[0]) for p in out)):
            out[-1] = _Piece(f"{out[-1].text} {piece.written or piece.separator} {piece.text}", out[-1].separator,
                             out[-1].written)
        else:
            out.append(piece)
    return _repair_comma_names(out)


def _repair_comma_names(pieces: list[_Piece]) -> list[_Piece]:
    """Names with a comma in them, kept as written: 'Eiliv, K. Berdal' (a lone first name, a
    stray comma, an initial) and 'Aarsæther, Liv Kristin' (surname first)."""
    out: list[_Piece] = []
    for piece in pieces:
        prev = out[-1] if out else None
        joined = f"{prev.text}, {piece.text}" if prev is not None else ""
        if prev is not None and piece.separator == "," and (
                (re.fullmatch(r"\S+", prev.text) and is_first_name(prev.text)
                 and re.match(r"[A-ZÆØÅ]\.\s+[A-ZÆØÅ]", piece.text))
                or _surname_first(prev.text, piece.text)):
            out[-1] = _Piece(joined, prev.separator)
        else:
            out.append(piece)
    return out


def _surname_first(left: str, right: str) -> bool:
    """'Aarsæther' + 'Liv Kristin (Ap)': the two pieces are one name written surname first."""
    body, _ = _split_parens(right)
    names = find_names(f"{left}, {body}")
    return len(names) == 1 and names[0].name == f"{left}, {body.split(' (')[0]}".strip() and "," in names[0].name


def _split_parens(text: str) -> tuple[str, tuple[str, ...]]:
    """'Navn (SV) (vara: Navn (Ap))' -> ('Navn', ('SV', 'vara: Navn (Ap)')): the text outside
    top-level parentheses and each parenthesis; an unclosed one (a cut page) is dropped, and
    so is a dangling 'og' where a copy stops mid-list."""
    text = re.sub(r"\s+(?:og|and)$", "", text)
    body, parens, depth, start = [], [], 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            if depth == 0:
                body.append(text[start:i])
                start = i + 1
            depth += 1
        elif ch == ")" and depth:
            depth -= 1
            if depth == 0:
                parens.append(text[start:i].strip())
                start = i + 1
    if depth == 0:
        body.append(text[start:])
    return clean(" ".join(body)), tuple(p for p in parens if p)


def _seat(draft: _Draft, via: bool) -> Seat:
    seat = Seat()
    before = clean(draft.before).strip(" ,:")
    if before:
        _classify_before(before, seat)
    for paren in draft.parens:
        if _deputy(paren) is None:
            _classify_paren(paren, seat, via)
    for piece in _merge_organisations(draft.after):
        # 'overlege, Helse Sør-Øst': a bare region as a piece of its own is the seat's region;
        # '(Konsernhovedverneombud, Helse Nord)' in a parenthesis is the employer
        bare = clean(re.sub(r"\([^()]*\)", "", piece))
        bare_region = is_region(bare) and not is_regional_authority(bare)
        classify(piece, seat, after_title=seat.title is not None and not bare_region)
    if seat.region is None and seat.role and find_region(seat.role):
        seat.region = find_region(seat.role)
    return seat


def _classify_before(before: str, seat: Seat) -> None:
    """What precedes a name: 'Ordfører', 'Ansattrepresentant', 'leiaren', 'medlemmer er',
    'nestleder' after 'består av … og', 'professor ved Universitetet i Oslo' (a semicolon list
    written title first). A role word after a modifier ('Dagleg leiar', 'daglig leder') is a
    job title, not a seat."""
    low = before.lower()
    if low in ("med", "ved", "og", "samt", "for", "av", "hos", "mens", "der", "da"):
        return  # 'med Martin Aarø som vara': a little word of the sentence, not a title
    for definite, role in _DEFINITE_ROLES.items():
        if re.search(rf"\b{definite}$", low):
            seat.fill("role", role)
            return
    tokens = before.split()
    last = tokens[-1] if tokens else ""
    if role_word(before) and not is_generic_label(before):
        seat.fill("role", role_word(before))
        return
    if is_generic_label(last) or _plural_seat(last) or re.search(r"\b(?:er|var|blir|er:)$", low):
        return
    if role_word(last) and not is_generic_label(last):
        previous = tokens[-2].lower() if len(tokens) > 1 else ""
        if not previous or previous.endswith((",", ":")) or previous in _CONNECTIVES:
            seat.fill("role", last)
        else:
            seat.fill("title", before)
        return
    if before[:1].islower() and len(tokens) == 1 and _is_role_phrase(before):
        seat.fill("role", before)  # 'kommunikasjonsrådgiver Berit Lagaard'
        return
    org_words = _trailing_organisation(tokens)
    if org_words and is_title_word(tokens[0]):  # 'Hovedtillitsvalgt Fagforbundet Rolf Amundsen'
        seat.fill("title", " ".join(tokens[:-org_words]))
        seat.fill("organisation", " ".join(tokens[-org_words:]))
        return
    if "," not in before and is_title_word(last):  # 'Helse- og omsorgssjef Anita Grøtterud'
        seat.fill("title", before)
        return
    for part in [p for p in re.split(r"\s*,\s*", before) if p]:
        classify(part, seat)
    if seat.title is None and last and is_title_word(last):
        seat.fill("title", before)


def _trailing_organisation(tokens: list[str]) -> int:
    """How many of the last words before a name are an organisation's ('… Fagforbundet',
    '… NSF'): capitalised organisation words only; 0 when none or when all are."""
    n = 0
    while n < min(3, len(tokens) - 1) and tokens[-1 - n][:1].isupper() and not_name_word(tokens[-1 - n].strip(",")):
        n += 1
    return n


_CONNECTIVES = {"og", "samt", "av", "er", "var", "blir", "ny", "nye", "som", "til", "med", "and", "&"}


def _plural_seat(word: str) -> str | None:
    """'styremedlemmene', 'varamedlemmene', 'representantane': a seat word in the plural
    before a list of names, giving each of them the seat (None for ordinary members)."""
    low = word.lower().strip(",:")
    for plural, singular in (("medlemmene", "medlem"), ("medlemane", "medlem"), ("medlemmane", "medlem"),
                             ("representantene", "representant"), ("representantane", "representant")):
        if low.endswith(plural) and len(low) > len(plural) - 2:
            seat = low[: -len(plural)] + singular
            return seat
    return None


def _classify_paren(paren: str, seat: Seat, via: bool) -> None:
    """'(leder)', '(Helse Vest)', '(H)', '(gjenvalgt)', '(overlege, Mosjøen)', '(konst. adm. dir./leder)';
    '(57)' or '(f. 1951)' is an age or a birth year, kept out of the seat."""
    if re.fullmatch(r"(?:f\.\s*)?\d{1,4}", clean(paren)):
        seat.notes.append(paren)
        return
    if via and not role_word(paren) and not is_region(paren):
        seat.fill("organisation", None)
        seat.notes.append(f"affiliation:{paren}")
        return
    pieces = [p for p in split_top_level(paren, re.compile(r"\s*,\s*|\s*/\s*(?=\S)")) if p]
    if len(pieces) > 1 and any(role_word(p) for p in pieces):
        for piece in pieces:
            classify(piece, seat)
        return
    if len(pieces) > 1:
        first, *rest = pieces
        classify(first, seat)
        for piece in rest:
            classify(piece, seat, after_title=seat.title is not None)
        return
    if _is_role_phrase(paren):
        seat.fill("role", paren)
        region = find_region(paren)
        seat.fill("region", region)
        return
    if is_region(paren):
        seat.fill("region", clean(paren))
        if is_regional_authority(paren):
            seat.notes.append(f"rhf:{paren}")
        return
    classify(paren, seat)


def _is_role_phrase(text: str) -> bool:
    """'leder av fagnettverk i Helse Vest', 'prosjektadministrator': a role in parentheses, as written."""
    from extractors.vocabulary import is_role

    return is_role(text) and text[:1].islower()


def _merge_organisations(pieces: list[_Piece]) -> list[str]:
    """Consecutive organisation pieces are one slot ('Nasjonalt servicemiljø, SKDE',
    'Norsk Kvalitetsregister Øre-Nese-Hals – Tonsilleregisteret')."""
    out: list[str] = []
    previous_org = False
    for piece in pieces:
        probe = Seat()
        classify(piece.text, probe)
        is_org = probe.organisation is not None and probe.organisation == clean(piece.text).strip(" .,;")
        if is_org and previous_org and piece.separator in (",", "–", "—", "-"):
            sep = ", " if piece.separator == "," else f" {piece.separator} "
            out[-1] = f"{out[-1]}{sep}{piece.text}"
        else:
            out.append(piece.text)
        previous_org = is_org
    return out


def _to_members(draft: _Draft, seat: Seat, source: str, organisation: str | None, via: bool,
                given_org: str | None) -> list[Member]:
    affiliation = next((n.split(":", 1)[1] for n in seat.notes if n.startswith("affiliation:")), None)
    org = seat.organisation
    if via:
        org = given_org
    elif org is None:
        org = organisation or given_org
    region = seat.region
    if region is None and org and is_regional_authority(org) and seat.title is None:
        # 'Per Olav Skjæran, Helse Nord RHF' holds the region's seat, spelled as on the page;
        # 'rådgiver, Helse Nord RHF' only works there (CONVENTIONS.md)
        region = clean(org)
    elif region is not None:
        region = clean(region)
    deputies = [d for d in (_deputy(p) for p in draft.parens) if d]
    deputy = deputies[0] if deputies else None
    if draft.deputy_for:
        seat.role, org = SUBSTITUTE_ROLE, org if org != given_org else seat.organisation
    main = Member(
        name=draft.name,
        organisation=org,
        role=seat.role,
        region=region,
        text=source,
        affiliation=affiliation,
        title=seat.title,
        party=seat.party,
        status=seat.status,
        place=seat.place,
        proposed_by=seat.proposed_by,
        label=seat.label,
        deputy_for=draft.deputy_for,
    )
    if deputy is None:
        return [main]
    name, deputy_party = deputy
    return [main, Member(name=name, role=SUBSTITUTE_ROLE, text=source, deputy_for=draft.name, party=deputy_party)]


_DEPUTY_PAREN = re.compile(r"^(?:personle?i?g\s+)?(?:vara|varamedlem|vararepresentant)\b\s*[:=]?\s*(?P<rest>.+)$",
                           re.IGNORECASE)
_DEPUTY_LABEL = re.compile(r"^(?:personle?i?g\s+)?(?:vara|varamedlem|vararepresentant)\s*:\s*(?P<rest>.+)$", re.IGNORECASE)


def _deputy(paren: str) -> tuple[str, str | None] | None:
    """The personal deputy a parenthesis names, with their party: 'Navn (Vara-navn)' (a name
    alone, starting with a first name), 'Navn (vara: Vara-navn (Ap))'."""
    labelled = _DEPUTY_PAREN.match(clean(paren))
    text = labelled["rest"] if labelled else clean(paren)
    body, parens = _split_parens(text)
    names = find_names(body)
    if len(names) != 1 or names[0].name != body.strip(" ."):
        return None
    if not labelled and not is_first_name(names[0].name.split()[0]):
        return None
    return names[0].name, next((party(p) for p in parens if party(p)), None)


def parse_row(cells: tuple[str, ...], header: tuple[str, ...]) -> tuple[Member, ...]:
    """A table row, read by its header, else by what its cells hold."""
    cells = tuple(clean(c) for c in cells)
    if not any(cells):
        return ()
    if len([c for c in cells if c]) == 1:
        return parse_item(next(c for c in cells if c))
    by_header = _row_by_header(cells, header)
    if by_header is not None:
        return by_header
    cells = tuple(c for c in cells if c)
    first, rest = cells[0], cells[1:]
    if is_person_name(_strip_stray(first)):
        return parse_item(f"{first} ({', '.join(rest)})" if len(rest) == 1 else ", ".join(cells))
    if find_names(rest[0]):
        return parse_item(f"{first} v/ {rest[0]}")
    return parse_item(" ".join(cells))


def is_column_name(text: str) -> bool:
    """'Namn', 'Representerer', 'Personlig varamedlem': a table header's cell, word for word."""
    low = clean(text).lower()
    return any(low in heads for heads in _COLUMNS.values())


@lru_cache(maxsize=4096)
def column_kinds(header: tuple[str, ...]) -> tuple[str | None, ...]:
    """What each column of a header holds: 'name', 'role', 'organisation', 'party', 'deputy' …"""
    kinds: list[str | None] = []
    for head in header:
        ws = words(head)
        low = " ".join(ws)
        found = None
        for kind in ("deputy", "name", "role", "title", "organisation", "region", "party", "place", "ignored"):
            if low in _COLUMNS[kind] or (ws and any(w in _COLUMNS[kind] for w in ws) and kind != "deputy"):
                found = kind
                break
        kinds.append(found)
    return tuple(kinds)


_WORKPLACE_COLUMNS = {"arbeidssted", "arbeidsstad", "arbeidsgiver", "arbeidsgjevar", "virksomhet", "verksemd", "institusjon"}
_REPRESENTS_COLUMNS = {"representerer", "tilhørighet", "tilhøyrsle"}


def _row_by_header(cells: tuple[str, ...], header: tuple[str, ...]) -> tuple[Member, ...] | None:
    """A row under a header naming its columns (Navn | Rolle | Virksomhet); None without one.

    A column whose header names several fields ("Rolle / organisasjon") is read like a
    parenthesis after the name.
    """
    if len(header) != len(cells):
        return None
    kinds: dict[str, int] = {}
    by_content: list[int] = []
    # 'Representerer' beside 'Arbeidsstad' (or 'Stilling / arbeidsstad'): the workplace is the
    # organisation, and the represented seat is read by what it says (a region, a role)
    workplace = next((n for n, head in enumerate(header) if any(w in _WORKPLACE_COLUMNS for w in words(head))), None)
    represents = next((n for n, head in enumerate(header) if clean(head).lower() in _REPRESENTS_COLUMNS), None)
    if workplace is not None and represents is not None:
        by_content.append(represents)
        if clean(header[workplace]).lower() in _WORKPLACE_COLUMNS:
            kinds["organisation"] = workplace
    for n, head in enumerate(header):
        if n == kinds.get("organisation") or n in by_content:
            continue
        if column_kinds((head,)) == ("deputy",) and "deputy" not in kinds:
            kinds["deputy"] = n  # 'Varamedlem', 'Personlig vara': the member's personal deputy
            continue
        named = [f for f, heads in _COLUMNS.items() if f != "deputy" and any(w in heads for w in words(head))]
        if len(named) == 1 and named[0] not in kinds:
            kinds[named[0]] = n
        elif named:
            by_content.append(n)
    if "name" not in kinds:
        return None
    name_cell = cells[kinds["name"]]
    org_cell = cells[kinds["organisation"]] if "organisation" in kinds else ""
    if org_cell and (not is_region(org_cell) or is_regional_authority(org_cell)):
        people = parse_item(f"{org_cell} v/ {name_cell}") or parse_item(name_cell)
    else:
        people = parse_item(name_cell)
    if not people:
        return ()
    seat = Seat()
    if org_cell and is_region(org_cell) and not is_regional_authority(org_cell):
        seat.fill("region", org_cell)
    if "region" in kinds and cells[kinds["region"]]:
        seat.fill("region", cells[kinds["region"]])
    if "role" in kinds and cells[kinds["role"]]:
        role = cells[kinds["role"]]
        if is_generic_label(role):
            seat.fill("label", role)
        elif is_region(role):
            seat.fill("region", role)
        else:
            seat.fill("role", seat_role(role) or role)
    if "title" in kinds:
        seat.fill("title", cells[kinds["title"]] or None)
    if "party" in kinds:
        seat.fill("party", cells[kinds["party"]] or None)
    deputy_cell = cells[kinds["deputy"]] if "deputy" in kinds else ""
    for n in by_content:
        if cells[n] and _deputy(cells[n]):
            deputy_cell = cells[n]  # 'vara: Navn' in a column read by content
        elif cells[n]:
            _classify_paren(cells[n], seat, via=False)
    out = []
    for member in people:
        region = member.region or (clean(seat.region) if seat.region else None)
        if region is None and member.organisation and is_regional_authority(member.organisation) and not member.title:
            region = clean(member.organisation)  # as on the page (CONVENTIONS.md)
        role = member.role or seat.role
        if region is None and role:
            region = find_region(role)
        out.append(replace(
            member, organisation=member.organisation or seat.organisation, role=role, region=region,
            title=member.title or seat.title, party=member.party or seat.party, label=member.label or seat.label,
            text=" | ".join(c for c in cells if c),
        ))
    deputy = (_deputy(deputy_cell) or _deputy(f"vara: {deputy_cell}")) if deputy_cell and len(out) == 1 else None
    if deputy:
        column = clean(header[kinds["deputy"]]).lower() if "deputy" in kinds else ""
        out.append(Member(name=deputy[0], role=_singular_role(column) if " " in column else SUBSTITUTE_ROLE,
                          deputy_for=out[0].name, party=deputy[1],
                          organisation=out[0].organisation,  # the seat's organisation: the deputy represents it too
                          text=" | ".join(c for c in cells if c)))
    return tuple(out)


def parse_flat_row(text: str, kinds: tuple[str | None, ...], deputy_role: str = SUBSTITUTE_ROLE) -> tuple[Member, ...]:
    """A table row flattened into one line under a flattened header ('Representant Parti
    Funksjon' / 'Nils Alm SV Nestleder'; 'Rolle Navn Enhet' / 'Leder Ingrid Holm
    Fagavdelingen'; 'Medlemmar Varamedlemmar' / 'A (leiar) B'): one-word columns (role, party)
    are read from both ends, and the name is split from the words after it by what they hold."""
    tokens = clean(text).split(" ")
    fields: dict[str, str] = {}
    at = kinds.index("name") if "name" in kinds else 0
    for kind in kinds[:at]:
        if tokens and kind == "role" and (role_word(tokens[0]) or is_title_word(tokens[0])):
            fields["role"] = tokens.pop(0)  # the role column: 'Leder', 'Tillitsvalgt', 'Verneombud'
        elif tokens and kind == "party" and party(tokens[0]):
            fields["party"] = tokens.pop(0)
    trailing = kinds[at + 1:]
    while trailing and tokens:
        kind = trailing[-1]
        if kind == "role" and role_word(tokens[-1]):
            fields["role"] = tokens.pop()
        elif kind == "party" and party(tokens[-1]):
            fields["party"] = tokens.pop()
        elif kind == "ignored" and re.fullmatch(r"[\d.–-]+", tokens[-1]):
            tokens.pop()
        elif tokens[-1] in _EMPTY_CELL:
            tokens.pop()
        else:
            break
        trailing = trailing[:-1]
    rest = " ".join(tokens)
    if "deputy" in kinds:
        return _with_deputy(rest, kinds, clean(text), deputy_role)
    described = [k for k in trailing if k in ("organisation", "title", "place", "region")]
    members = _name_then_columns(rest, described) if described else parse_item(rest)
    if len(members) != 1:
        return members
    member = members[0]
    role, label = fields.get("role"), None
    if role and is_generic_label(role):
        role, label = None, role
    return (replace(member, role=member.role or role, party=member.party or fields.get("party"),
                    label=member.label or label, text=clean(text)),)


def _with_deputy(rest: str, kinds: tuple[str | None, ...], row: str, deputy_role: str) -> tuple[Member, ...]:
    """A row with a personal deputy's column ('Rune Holm Ap Styreleder Turid Elvebakk Ap'): the
    member's name, then the member's one-word cells (party, role, an empty '-'), then the
    deputy, whose own party may follow."""
    own = kinds[:kinds.index("deputy")]
    names = find_names(rest)
    if len(names) == 1:
        names = find_names(rest, expect_two=True)
    if not names:
        return parse_item(rest)
    tokens = rest[names[0].end:].split()
    while tokens and tokens[0].startswith("(") and any(t.endswith(")") for t in tokens):
        closing = next(n for n, t in enumerate(tokens) if t.endswith(")"))
        tokens = tokens[closing + 1:]  # the member's own marker, '(leiar)', stays with the member
    cells = 0
    while tokens and cells < len(own) - 1 and (party(tokens[0]) or role_word(tokens[0]) or tokens[0] in _EMPTY_CELL):
        tokens.pop(0)
        cells += 1
    deputy_text = " ".join(tokens)
    if not deputy_text:
        return parse_item(rest)
    main_text = rest[:len(rest) - len(deputy_text)].strip()
    main = parse_flat_row(main_text, own) if len(own) > 1 else parse_item(main_text)
    after = deputy_text.split()
    if len(after) > 2 and (party(after[-1]) or after[-1] in _EMPTY_CELL):
        deputy_party, deputy_text = (after[-1] if party(after[-1]) else None), " ".join(after[:-1])
    else:
        deputy_party = None
    deputies = parse_item(deputy_text)
    if len(main) != 1 or len(deputies) != 1:
        return parse_item(rest)
    deputy = replace(deputies[0], role=deputy_role, text=row, deputy_for=main[0].name,
                     party=deputies[0].party or deputy_party)
    return (replace(main[0], text=row), deputy)


def _name_then_columns(rest: str, described: list[str]) -> tuple[Member, ...]:
    """'Ingrid Bergsli Holm Fagavdelingen', 'Vegard Tønnessen Medisinsk klinikk': the name ends
    where the next column's words begin. A split whose next column opens with an organisation's
    word ('… Helse Bergen') wins, the longest such; else the split after three words, then four,
    whose rest reads as that column ('Tove Bratland Haraldseid Haraldsplass Diakonale Sykehus');
    two words last."""
    tokens = rest.split(" ")
    fitting: list[int] = []
    for end in range(min(len(tokens) - 1, 5), 1, -1):
        name, tail = " ".join(tokens[:end]), " ".join(tokens[end:])
        if any(t.endswith(",") for t in tokens[:end]) or is_title_word(tokens[end - 1]) or not_name_word(tokens[end - 1]) \
                or not is_person_name(name):
            continue  # 'Bente Lauritzen Ekstern, Sykehuset Nordmo HF', 'Elin Berge Dekan (leder)'
        if _column_opens(tokens[end]) and end <= 4:
            return _name_and_cell(name, tail, described[0], rest)
        if _cell_fits(tokens, end, described[0]):
            fitting.append(end)
    for end in sorted(fitting, key=lambda e: (e != 3, e != 4, -e)):
        return _name_and_cell(" ".join(tokens[:end]), " ".join(tokens[end:]), described[0], rest)
    if len(tokens) > 2 and is_person_name(" ".join(tokens[:2])):
        return _name_and_cell(" ".join(tokens[:2]), " ".join(tokens[2:]), described[0], rest)
    return parse_item(rest)


def _column_opens(token: str) -> bool:
    """A word no name has, opening the next column: 'Helse', 'Sykehuset', 'NTNU', 'Dekan'."""
    return token[:1].isupper() and (not_name_word(token) or bool(re.fullmatch(r"[A-ZÆØÅ]{2,}", token))
                                    or is_title_word(token))


def _cell_fits(tokens: list[str], end: int, kind: str) -> bool:
    tail = " ".join(tokens[end:])
    described_cell = "(" in tail or "," in tail
    fits = tail[:1].isupper() and (looks_like_organisation(tail, units=True) or any(t[:1].islower() for t in tokens[end + 1:])
                                   or described_cell or any(not_name_word(t) for t in tokens[end:]))
    return fits or (kind == "place" and is_place(tail))


def _name_and_cell(name: str, cell: str, kind: str, rest: str) -> tuple[Member, ...]:
    seat = Seat()
    if is_title_word(cell.split()[0]) or "(" in cell or "," in cell:
        _describe_cell(cell, seat)  # 'Dekan (leder)', 'Ekstern, Sykehuset Nordmo HF'
    else:
        seat.fill({"organisation": "organisation", "title": "title", "place": "place", "region": "region"}[kind], cell)
    return (Member(name=name, organisation=seat.organisation, title=seat.title, place=seat.place,
                   region=seat.region, role=seat.role, party=seat.party, text=rest),)


def _describe_cell(cell: str, seat: Seat) -> None:
    """A cell that says more than one thing ('Dekan (leder)', 'Ekstern, Sykehuset Nordmo HF'):
    each part for what it is, an organisation's name before a category's ('Ekstern')."""
    parts = [p for p in re.split(r"\s*,\s*", cell) if p]
    for part in sorted(parts, key=lambda p: not looks_like_organisation(p, units=True)):
        classify(part, seat)


def parse_prose(sentence: str):
    """Kept for the enumeration reader: see ``extractors.prose``."""
    from extractors.prose import parse_enumeration

    return parse_enumeration(sentence)


def parse_seat_sentence(sentence: str):
    from extractors.prose import parse_seat_sentence as seat_sentence

    return seat_sentence(sentence)


_DETERMINER = re.compile(r"\b(?:en|ei|et|eit|ein|egen|eiga|eget|eige)\s+", re.IGNORECASE)


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
                organisation, people = item[:i].strip(" ,:-–"), item[m.end():]
                # 'Kirkens Bymisjon v/ X': before a 'v/' stands an organisation unless it opens with a
                # first name; before 'ved' it may be a person ('Kari Lie ved UiO')
                written_via = "/" in m.group()
                if organisation[:1].isupper() and find_names(people) and (
                        not find_names(organisation) or (written_via and not _names_a_person(organisation))):
                    return organisation, people
                return None
    return None


def _strip_stray(text: str) -> str:
    """Stray punctuation around an item: a trailing period after ')', a leading dash."""
    return clean(text).strip(" .,;:-–—•")
