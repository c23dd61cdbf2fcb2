"""Groups on a page: which runs of lines and which sentences say who sits where, and who chairs.

A member list is found by what it is, not by the words of the pages seen so far: a run of
records (list items, lines, paragraphs, table rows, cards) that name one person each with
what they do. Member words in a heading or lead-in ("Medlemmer", "… består av:",
"følgende personer til utvalget:") make a run a list at once; without them a run needs
seats or affiliations on most of its records (roles, organisations, regions, parties) on a
page about a body. A run is never a list when what leads into it says its people are
applicants, candidates, contacts or signatories, or it is a photo caption or a byline.

Inside a run, lines ending in ":" and short lines before people are labels: a seat role
("Personlig varamedlemmer:") for the people under it, an organisation ("Kleive
pensjonistforening:"), or a sub-group ("Frå fylkestinget"). Where people alternate with
lines that name nobody ("Mona Wike - leder" / "Kreftforeningen - Tlf …", a name / "e-post"),
those lines describe the person above them. A flattened table header ("Representant Parti
Funksjon", "Medlemmar Varamedlemmar") says what the columns of the lines below hold.

Sentences add enumerations ("Resten av styret består av …"), seat sentences ("Sekretær for
utvalget er X") and chair claims ("ledes av X"). Deputies, the secretariat and observers
are groups of their own; a person named twice on a page (a "Leder:" line and a list, a
chair sentence and a list) is one member with the most informative seat.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from urllib.parse import urlsplit

from extractors.chairs import ChairClaim, chair_claims, names_this_body, pronoun_title
from extractors.content import Block
from extractors.fields import is_contact, is_generic_label, leads_this_body, looks_like_organisation, role_word
from extractors.members import (
    _singular_role, column_kinds, is_column_name, is_member_label, label_role, parse_flat_row, parse_item, parse_row,
)
from extractors.model import Group, Member, RelatedLink
from extractors.names import find_names, is_title_word, unglue
from extractors.members import _members
from extractors.prose import enumeration, mentions_non_members, seats_in
from extractors.sections import Section
from extractors.text import clean, split_sentences
from extractors.vocabulary import (
    CHAIR_ROLES, MEMBER_PHRASES, SUBSTITUTE_ROLE, find_region, is_member_heading,
    is_mandate_text, is_not_seat_label, is_region, is_regional_authority, is_side_label, words,
)

_LEADS_SUB_BODY = re.compile(
    r"\b(?:leder|leiar)\s+av\s+(?:det\s+|den\s+)?(?:regionale\s+)?(?P<body>[\wæøå-]+)\s+i\s+(?P<region>Helse\s+[\wæøåØÅÆ-]+(?:\s+[\wæøåØÅÆ-]+)?)"
)
_TABLE_HEADER_WORDS = ("navn", "namn", "representant", "representantar", "representanter",
                       "medlem", "medlemmer", "person", "organisasjon", "rolle", "verv")
# What a lead-in or heading says about the people after it when they are no members.
_NOT_MEMBERS_CONTEXT = re.compile(
    r"\b(?:kontakt|kontaktperson|kontaktpersoner|kontaktinformasjon|contact|spørsmål|søker|søkere|søkerne|"
    r"søkjarar|kandidat|kandidater|kandidatene|nominert|foreslått|foreslåtte|forfatter|forfattere|"
    r"skribent|journalist|fotograf|redaksjon|saksbehandler|saksbehandlar|revisjon|revisor|underskrift|"
    r"signert|referent|møtedeltakere|foredragsholdere|innledere|vinner|vinnere|prisvinner|tidligere|"
    r"tidlegare|æresmedlem|æresmedlemmer|æresmedlemar)\w*",
    re.IGNORECASE,
)
# Staff are no members - unless the heading speaks of their representatives ('Representanter
# for faglig ansatte').
_STAFF_CONTEXT = re.compile(r"\b(?:ansatte|tilsette|medarbeidere|medarbeidarar|administrasjonen)\b", re.IGNORECASE)
_SIGNATURE_LINE = re.compile(r"^[A-ZÆØÅ][\wæøå .-]*,\s*(?:den\s+)?\d{1,2}\.\s*(?:\d{1,2}\.\s*\d{2,4}|[a-zæøå]+\s+\d{4})$")
_DATE_LINE = re.compile(r"\b(?:publisert|oppdatert|endret|endra|skrevet|skrive)\b.*\d", re.IGNORECASE)
# A photo caption or credit: the people in it are pictured, not listed.
_CAPTION = re.compile(r"\b(?:(?-i:[Ff]ra venstre|[Ff]rå venstre)|f\.\s?v\.|foto|fotograf|bildet|biletet|illustrasjon|"
                      r"portrett av|portrett|bilde av|bilete av)\b", re.IGNORECASE)
_OWN_GROUP_ROLES = {"sekretær": "Sekretær", "sekretariat": "Sekretariat", "observatør": "Observatør",
                    SUBSTITUTE_ROLE: "Varamedlemmer", "personlig vara": "Varamedlemmer",
                    "personleg vara": "Varamedlemmer", "secretary": "Secretary", "observer": "Observer"}


@dataclass
class _Line:
    """One readable line of the article with where it stands."""

    block: Block
    heading: str | None  # the section heading above it

    @property
    def text(self) -> str:
        return self.block.text


@dataclass
class _Draft:
    name: str
    order: int
    members: list[Member] = field(default_factory=list)
    chair: str | None = None
    from_labels: bool = False  # a block of "Leder: X" / "Nestleder: Y" lines only

    def add(self, members) -> None:
        """Add members; someone already here keeps their seat and gains what they lacked."""
        for member in members:
            same = [n for n, m in enumerate(self.members) if m.name == member.name]
            if same:
                _fill(self, same[0], member)
            else:
                self.members.append(member)


@dataclass
class _Page:
    title: str | None
    headings: tuple[str, ...]
    drafts: list[_Draft] = field(default_factory=list)
    claims: list[tuple[ChairClaim, str | None]] = field(default_factory=list)  # and the chair's title
    seats: list[tuple[Member, str | None]] = field(default_factory=list)  # and its own group, if any
    headlines: list[str] = field(default_factory=list)  # short lines set as text: a news page's headline
    counter: int = 0
    staff_address: bool = False  # the site files the page under its staff ('/om-oss/ansatte/…')

    def draft(self, name: str) -> _Draft:
        name = clean(name) or "Medlemmer"
        for draft in self.drafts:
            if draft.name.casefold() == name.casefold():
                return draft
        self.counter += 1
        self.drafts.append(_Draft(name, self.counter))
        return self.drafts[-1]

    @property
    def about_a_body(self) -> bool:
        """The page is about a council, board or committee (its title or a heading says so)."""
        return any(_names_a_body(t) for t in (self.title or "", *self.headings) if t)


def extract_groups(
    sections: tuple[Section, ...], page_title: str | None, related: tuple[RelatedLink, ...], url: str | None = None
) -> tuple[Group, ...]:
    """The page's member lists; ``url`` says where the site files the page ('/ansatte/')."""
    page = _Page(page_title, tuple(s.heading for s in sections if s.heading),
                 staff_address=bool(url and _STAFF_ADDRESS.search(urlsplit(url).path)))
    lines = _lines(sections, page_title)
    run: list[_Line] = []
    lead: str | None = None
    previous_sentence = ""
    before = ""  # the paragraph of prose before the current run: what the page says it is about
    last_heading: str | None = None
    for n, line in enumerate(lines):
        block = line.block
        if line.heading != last_heading:
            _read_run(page, run, lead, before)
            run, lead, last_heading = [], None, line.heading
        text = clean(block.text)
        if block.kind == "text" and len(text.split()) <= 12 and not re.search(r"[.!?:]$", text):
            page.headlines.append(text)
        record = block.kind in ("item", "row") and not _is_prose_item(block) or _is_entry_line(line)
        if record or _is_label_line(text):
            run.append(line)
            continue
        _read_run(page, run, lead, before)
        run = []
        if text.endswith(":") and len(text) < 240:
            if len(split_sentences(text)) > 1:  # 'Utvalet vert leia av X. Elles består utvalet av:'
                _read_prose(page, line, previous_sentence)
            lead = text
            previous_sentence = before = text
            continue
        lead_list = lead if lead and (_member_words(lead) or is_member_heading(lead) or _names_a_body(lead)) else None
        lead = None
        if n == len(lines) - 1 or lines[n + 1].heading != line.heading:
            line = _without_cut_word(line)  # a copy's cut end may have been moved up by the layout
        previous_sentence = _read_prose(page, line, previous_sentence, lead_list)
        before = text
        if _lead_sentence(text):
            lead = text
    _read_run(page, run, lead, before)
    if lines:
        _drop_cut_name(page, clean(lines[-1].block.text))
    return _assemble(page, related)


# Norwegian surnames of one or two letters; any other name ending in such a word, where the
# article ends, is a name the copy cut short ('Synnøve Kr', 'Kjersti Ha', 'Solvik-Ha').
_SHORT_SURNAMES = {"aa", "bø", "ås", "li", "lø", "ek", "ry", "vo", "uv", "øy", "å", "ra", "bu", "by", "ro", "ho", "lo", "sæ", "vå",
                   "ly", "tø", "dy"}


def _drop_cut_name(page: _Page, last: str) -> None:
    """A copy cut at a size limit may stop inside the last person's name: a member whose name
    ends the article, and whose last word is cut to one or two letters (or to three after a
    hyphen) that no surname is, was never listed whole (CONVENTIONS.md: emit whole names only)."""
    for draft in page.drafts:
        for member in list(draft.members):
            if not last.endswith(member.name):
                continue
            tail = member.name.split()[-1]
            part = tail.rsplit("-", 1)[-1]
            if (len(tail) <= 2 and tail.lower() not in _SHORT_SURNAMES) or ("-" in tail and len(part) <= 3
                                                                            and part.lower() not in _SHORT_SURNAMES):
                draft.members.remove(member)


def _without_cut_word(line: _Line) -> _Line:
    """The last paragraph of the article or of a section, when it stops mid-sentence (a copy
    cut at a size limit; prose ends with a full stop otherwise), without its last word: 'og
    Wenche Tork' may be a name cut short."""
    text = clean(line.text)
    if re.search(r"[.!?:;)»”\"']$", text) or " " not in text:
        return line
    text = text.rsplit(" ", 1)[0]
    text = re.sub(r"(?:\s*,|\s+og|\s+samt)\s+[A-ZÆØÅ][\w.-]*$", "", text)  # '… og Wenche' of a cut name
    return _Line(replace(line.block, text=text), line.heading)


def _is_prose_item(block: Block) -> bool:
    """A list item or <br> line that is running text with a name in it ('Arbeidsgruppen ledes
    av X, Org. Øvrige medlemmer:'): read as prose, not as a record."""
    text = clean(block.text)
    return block.kind == "item" and len(text.split()) >= 10 and _is_sentence(text) and bool(find_names(text))


def _lines(sections: tuple[Section, ...], page_title: str | None = None) -> list[_Line]:
    """The article as lines under their headings. A heading that is only a person's name (a
    card's 'Kari Nordmann'), or only a seat role right under such a name (the card's
    'Leder'), is a line of the run, not a new section."""
    lines: list[_Line] = []
    heading: str | None = None
    parent: str | None = None  # an empty list heading whose seats follow as headings of their own
    table_until = -1  # sections up to here are cells of a table whose cells were set as lines
    for n, section in enumerate(sections):
        if n <= table_until:
            for text in ([section.heading] if section.heading else []) + [b.text for b in section.blocks if b.kind != "heading"]:
                if clean(text):
                    lines.append(_Line(Block("text", text), heading))
            continue
        table_until = _cells_as_headings(sections, n)
        if table_until >= n:
            lines.append(_Line(Block("text", section.heading), heading))
            continue
        after_name = bool(lines) and _is_name_only(lines[-1].text)
        seat = parent is not None and section.heading is not None and _seat_section(section)
        if section.heading is not None and (
                _is_name_only(section.heading)
                or (after_name and role_word(section.heading) and len(section.heading.split()) <= 2)
                or _card_organisation(section, lines)):
            lines.append(_Line(Block("text", section.heading), heading))
        elif seat and not (_is_list_heading(section.heading) or is_member_label(section.heading)):
            # a health region over its people ('Helse Nord' / 'X, overlege, UNN') labels them: 'Helse Nord:'
            label = f"{section.heading}:" if is_region(section.heading) else section.heading
            lines.append(_Line(Block("text", label), parent))
            heading = parent  # 'Komiteens medlemmer' / **Medisinsk kyndig** / 'Navn, tittel' / 'Vara: …'
        elif seat:
            heading = section.heading  # a seat the rules read under its own heading ('Leder (jurist)')
        else:
            heading = section.heading
            parent = None
        if section.heading is not None and not any(clean(b.text) for b in section.blocks if b.kind != "heading") \
                and section.heading != page_title and _is_list_heading(section.heading) and not label_role(section.heading):
            parent = section.heading  # a seat's heading ('Varamedlemmer') gives its seat to what follows: not folded
        for block in section.blocks:
            if block.kind != "heading" and clean(block.text):
                lines.append(_Line(block, heading))
    return lines


def _cells_as_headings(sections: tuple[Section, ...], start: int) -> int:
    """A table copied one cell a line, its short cells taken for headings: empty sections whose
    headings are a table header's cells ('Rolle' / 'Navn' / 'Representerer'), then sections of
    short lines (the rows). Returns the index of the table's last section, or -1."""
    heads, cells = [], []
    n = start
    while n < len(sections) and sections[n].heading and is_column_name(sections[n].heading):
        heads.append(sections[n].heading)
        n += 1
        cells = [clean(b.text) for b in sections[n - 1].blocks if b.kind != "heading"]
        if cells:  # the last header cell, with the first row's cells under it
            break
    name_at = _name_column(heads)
    if name_at is None:
        return -1
    end = n - 1
    while n < len(sections) and sections[n].heading and len(sections[n].heading.split()) <= 4:
        added = [sections[n].heading] + [clean(b.text) for b in sections[n].blocks if b.kind != "heading"]
        row_names = [c for i, c in enumerate(cells + added) if i % len(heads) == name_at]
        if any(len(c) > 80 for c in added) or not all(find_names(c) for c in row_names):
            break  # a cell no table has, or a row with no person in its name cell: the table ended
        cells += added
        end = n
        n += 1
    return end


def _seat_section(section: Section) -> bool:
    """A short heading over a few short lines of which one names a person: a seat of the list
    whose heading came just before ('Medisinsk kyndig' / 'Preben Vogt, professor, UiO')."""
    texts = [clean(b.text) for b in section.blocks if b.kind != "heading" and clean(b.text)]
    return (len(words(section.heading)) <= 5 and not section.heading.rstrip().endswith(".") and 1 <= len(texts) <= 4
            and all(len(t) <= 160 for t in texts) and any(find_names(t) for t in texts))


def _card_organisation(section: Section, lines: list[_Line]) -> bool:
    """A card's organisation set in bold ('Kari Nordmann, leder' / **LHL Sørmark** / 'e-post'):
    a line of the card under the person above it, not a heading over the next card."""
    text = section.heading or ""
    if not lines or not 1 <= len(text.split()) <= 8 or is_member_heading(text) or _names_a_body(text) \
            or find_names(text) or text.endswith(":"):
        return False
    above = clean(lines[-1].text)
    if len(above.split()) > 8 or not find_names(above) or _is_sentence(above):
        return False
    first = clean(section.blocks[0].text) if section.blocks else ""
    if find_names(first):
        return False  # 'Sykehuset Grenmar HF' over its people: a heading after all
    return looks_like_organisation(text, units=True) or is_contact(first) or _is_generic_card_word(first)


def _is_label_line(text: str) -> bool:
    """'Kleive pensjonistforening:', 'Personlig varamedlemmer:', 'Medlemmer:': a label of a
    member list, read with the list. A lead-in that says what the list is ('Gruppen består
    av:'), a mandate lead-in ('Formål:') or one about non-members ('Kontaktpersoner:') stays
    a lead-in before the list."""
    return (text.endswith(":") and len(text.split()) <= 6 and text[:1].isupper() and not _is_sentence(text)
            and not any(p in text.lower() for p in MEMBER_PHRASES) and not is_mandate_text(text) and not _NOT_MEMBERS_CONTEXT.search(text) and not mentions_non_members(text))


def _is_name_only(text: str) -> bool:
    """'Kari Nordmann', 'Rektor Kari Nordmann' or 'Rektor Kari Nordmann (styreleder)': a person's
    name, with at most a title before it and a seat in parentheses after it."""
    text = re.sub(r"\s*\((?P<seat>[^()]{2,30})\)\s*$", lambda m: "" if role_word(m["seat"]) else m.group(), clean(text))
    names = find_names(text)
    if len(names) != 1 or not clean(text).strip(" .,").endswith(names[0].name):
        return False
    before = names[0].before.split()
    return all(is_title_word(w) for w in before)


def _is_entry_line(line: _Line) -> bool:
    """A short text line that is a record ('Kari Guldbrandsøy, Helse Vest', a card's lines),
    not a sentence of prose; a line under a seat or member label ('Sekretariat: X, rådgiver,
    Org, og en rådgiver fra Y.', 'Medlemmer: A (Org); B (Org); …') is a record however long."""
    text = clean(line.text)
    if line.block.kind != "text":
        return False
    label = re.match(r"^(?P<label>[A-ZÆØÅ][^:]{0,50}):\s+\S", text)
    if label and find_names(text[label.end() - 1:]) and not _VERB.search(label["label"]) and (
            label_role(label["label"]) or is_member_label(label["label"])
            or (len(label["label"].split()) <= 6 and not is_not_seat_label(label["label"])
                and not _NOT_MEMBERS_CONTEXT.search(label["label"]))):
        return True
    glued = unglue(text)
    if len(glued) >= 3 and sum(1 for part in glued if _opens_with_name(part)) * 4 >= len(glued) * 3:
        return True  # 'A (LHL)B (Mental Helse)C (INLO)': a list whose line breaks were lost
    if len(text.split()) > 16:
        return False
    if text.endswith(":"):
        return False
    if find_names(text):
        return not _is_sentence(text)
    return (len(text.split()) <= 8 or is_contact(text) and len(text.split()) <= 14) and not _is_sentence(text)


def _is_sentence(text: str) -> bool:
    """Running text, not a record: outside parentheses it ends like a sentence and has a
    finite verb, or it is long ('Aud Mette Myklebust, USN (kom inn for X i 2019)' is a record)."""
    plain = clean(re.sub(r"\([^()]*\)", " ", text))
    n_words = len(plain.split())
    if not re.search(r"[.!?]$", plain):
        return (n_words >= 12 and bool(_VERB.search(plain))) or bool(_SUBJECT_IS_NAME.match(plain))
    return n_words >= 7 or bool(_VERB.search(plain))


# 'Varamedlemmer er Kjersti Lindgren (H), Ole Johnny Vik (Ap) og …': a sentence, full stop or not
_SUBJECT_IS_NAME = re.compile(r"^[A-ZÆØÅ][\wæøå-]*(?:\s+[\wæøå-]+){0,3}\s+(?:er|var|blir|ble|vart|vert)\s+[A-ZÆØÅ]")
_VERB = re.compile(
    r"\b(?:er|var|ble|blei|vart|blir|vert|har|hadde|skal|vil|kan|må|består|bestod|ledes|leier|sier|seier|sa|"
    r"fikk|får|gikk|går|kom|kommer|kjem|takket|valgte|valde|oppnevnte|oppnevnes|utnevnes|møtte|møtes|"
    r"fortsetter|fortset|held|opplyste|opplyser|inngår|gir|tar|ønsket|ønskjer|mener|meiner)\b")


def _lead_sentence(text: str) -> bool:
    """A sentence that introduces the list after it ('Sentralstyret har oppnevnt følgende
    personer til utvalget:' is caught by its colon; this catches one without it)."""
    low = text.lower()
    return any(p in low for p in ("følgende personer", "følgende medlemmer", "fylgjande personar",
                                  "følgende representanter", "består av følgende"))


# ------------------------------------------------------------------------------- runs of records


def _read_run(page: _Page, run: list[_Line], lead: str | None, before: str = "") -> None:
    run = _without_signatures(run)
    if not run:
        return
    heading = run[0].heading
    context = " ".join(t for t in (heading, lead) if t)
    if context and _NOT_MEMBERS_CONTEXT.search(context) and not _member_words(lead or ""):
        return
    if any(_STAFF_LABEL.match(t) or (_STAFF_HEADING.match(t) and not page.about_a_body) for t in (heading or "", lead or "")) \
            and not _member_words(context):
        return  # 'Tilsette', 'Våre ansatte', 'Ansatte i sekretariatet' ('Faglig ansatte' are a board's seats)
    if lead and mentions_non_members(lead):
        return
    explicit = bool(lead and _member_words(lead)) or bool(heading and heading != page.title and _is_list_heading(heading))
    labels = [clean(line.text) for line in run if clean(line.text).endswith(":")]
    if not explicit and any(_APPLICANTS.search(t) for t in (before, page.title or "", heading or "", *labels)):
        return  # a list after 'Det kom inn ni søknader …', on a 'Søkerliste' page or 'Dei ti første på lista:'
        # lists applicants or candidates
    if (_STAFF_CONTEXT.search(page.title or "") or page.staff_address) and not _member_words(context):
        return  # a 'Tilsette' / 'Ansatte' page lists staff, under role headings too ('Dagleg leiar')
    if heading and is_mandate_text(heading) and not is_member_heading(heading):
        if not any(b.block.kind == "row" for b in run) and not _member_words(lead or ""):
            return
    if _is_mandate_run(run, lead):
        return
    if _is_programme(run, heading, lead):
        return
    entries = _entries(run)
    people = [m for _, _, members in entries for m in members]
    if not people or _signature_or_byline(run):
        return
    if not _is_member_list(page, run, lead, entries, people, before):
        return
    base = _list_name(None if heading and is_side_label(heading) else heading, lead, page.title)
    if heading and heading != page.title and not is_member_heading(heading) and looks_like_organisation(heading) \
            and not _names_a_body(heading) and not re.match(r"(?:om|about)\s", heading, re.IGNORECASE):
        # 'Sykehuset Grenmar HF' over its people: the heading is their organisation
        entries = [(label, role, tuple(m if m.organisation else replace(m, organisation=heading) for m in members))
                   for label, role, members in entries]
    context_role = label_role((lead or "").rstrip(":")) or (label_role(heading) if heading else None)
    if context_role:  # the heading's seat; a 'leder av brukerutvalget' on the line is a title there
        entries = [(label, role or context_role,
                    tuple(m if m.role and not _leads_elsewhere(m.role) else
                          replace(m, role=context_role, title=m.title or m.role) for m in members))
                   for label, role, members in entries]
    labels_only = all(line.block.kind == "item" and _LABEL_LINE.match(line.text) for line in run)
    for label, role, members in entries:
        if not members:
            continue
        name = label or base
        own = _OWN_GROUP_ROLES.get(role or "")
        if own and label is None:
            name = own
        draft = page.draft(name)
        draft.from_labels = draft.from_labels or (labels_only and len(draft.members) == 0)
        # a secretary, deputy or observer in the list sits in a group of their own ('Sekretær: X'
        # after the deputies), unless the whole list is theirs
        ordinary = [m for m in members if _OWN_GROUP_ROLES.get(m.role or "") in (None, name) or m.role == role]
        draft.add(ordinary)
        for member in members:
            if member not in ordinary:
                page.draft(_OWN_GROUP_ROLES[member.role]).add([member])


_LABEL_LINE = re.compile(r"^[A-ZÆØÅ][\wæøå ]{1,30}:\s+\S")


_TIME_OF_DAY = re.compile(r"^(?:kl\.?\s*)?\d{1,2}[.:]\d{2}\b")
_PROGRAMME = re.compile(r"^(?:program|programmet|programme|agenda|dagsorden|dagsordenen)\b", re.IGNORECASE)


def _is_programme(run: list[_Line], heading: str | None, lead: str | None) -> bool:
    """An event's programme ('10.15 Hva er samvalg? Ole Kristian Ravn, førsteamanuensis'):
    its speakers are no members, under a 'Program' heading or lead, or on lines led by times
    of day ('Organisering av programmet' is about a programme of work, not an event's)."""
    timed = sum(1 for line in run if _TIME_OF_DAY.match(clean(line.text)))
    titled = any(_PROGRAMME.match(t) and len(t.split()) <= 4 for t in (heading or "", lead or ""))
    return titled or timed * 2 >= len(run) > 1


def _is_mandate_run(run: list[_Line], lead: str | None) -> bool:
    return bool(lead) and is_mandate_text(lead) and not _member_words(lead or "")


def _member_words(text: str) -> bool:
    low = text.lower()
    return any(p in low for p in MEMBER_PHRASES) or any(
        w.startswith(("medlem", "representant", "deltak", "sammensetning", "samansetning", "samansetjing"))
        or w in ("styret", "utvalget", "utvalet", "rådet", "gruppa", "gruppen", "følgende", "fylgjande")
        for w in words(text)
    )


def _is_member_list(page: _Page, run, lead, entries, people: list[Member], before: str = "") -> bool:
    heading = run[0].heading
    if heading and heading != page.title and _is_list_heading(heading):
        return True
    if lead and (is_member_heading(lead) or _member_words(lead) or label_role(lead.rstrip(":"))):
        return True
    if any(label and (is_member_label(label) or label_role(label)) for label, _, _ in entries):
        return True
    if page.about_a_body and any(_seat_label(m.text) for m in people):
        return True  # 'Sekretariat: X, rådgiver, Org' on a page about the body
    header = run[0].block.header if run[0].block.kind == "row" else ()
    if any(w in _TABLE_HEADER_WORDS for cell in header for w in words(cell)):
        return True
    seated = sum(1 for m in people if m.role or m.party)
    described = sum(1 for m in people if m.role or m.organisation or m.region or m.party or m.title)
    about_a_body = page.about_a_body or _names_a_body(before)
    if heading and about_a_body and any(d.members for d in page.drafts) and len(people) <= 2 \
            and all(m.organisation for m in people) and not any(_NOT_MEMBERS_CONTEXT.search(m.text or "") for m in people):
        return True  # 'Bedriftshelsetjenesten' / 'Sørmark BHT AS v/ X' under its own heading after the other seats
    if len(people) >= 2 and about_a_body and (seated >= 1 or described * 2 >= len(people)):
        return True
    return len(people) >= 3 and seated * 2 >= len(people)


_BODY = re.compile(r"(?:råd|rådet|utval|utvalg|utvalet|utvalget|styre|styret|gruppe|gruppa|gruppen|komit[eé]|komit[eé]en|"
                   r"representantskap|representantskapet|bedriftsforsamling|bedriftsforsamlinga|bedriftsforsamlingen|"
                   r"nettverk|nettverket|forum|forumet|panel|panelet|nemnd|nemnda|kollegium|utvalg|board|committee|council)\b",
                   re.IGNORECASE)


def _names_a_body(text: str) -> bool:
    """'Brukerutvalget', 'Styret i X', 'Interregional arbeidsgruppe': a council, board or
    committee is named (a centre or an office is not)."""
    return bool(_BODY.search(text or ""))


def _leads_elsewhere(role: str) -> bool:
    return bool(re.match(r"(?:leder|leiar|styreleder|styreleiar)\s+(?:av|for|i)\s", role, re.IGNORECASE)) \
        and not leads_this_body(role)


def _seat_label(text: str) -> bool:
    """The record was read from a line labelled with a seat ('Sekretariat: …', 'Observatør: …')."""
    m = re.match(r"^([^:]{1,60}):\s", text or "")
    return bool(m) and bool(label_role(m[1]))


def _is_list_heading(heading: str) -> bool:
    """'Medlemmer', 'Brukerutvalgets medlemmer', 'Styringsgruppe', 'Samansetjing', 'Styreleder',
    'Observatør fra brukerutvalget': a heading over a member list or a seat; a news headline
    with a body word in it ('Nytt råd skal styrke …') is not."""
    if _NOT_MEMBERS_CONTEXT.search(heading):
        return False
    return (_member_words(heading) or (is_member_heading(heading) and len(words(heading)) <= 4)
            or (label_role(heading) is not None and len(words(heading)) <= 4))


_APPLICANTS = re.compile(
    r"(?<![\w-])(?:søkerliste|søkjarliste|søkerne|søkjarane|søknader|søknadene|kandidatene|kandidatane|"
    r"nominasjon|nominasjonsmøtet?|nominerte|valgkomiteens innstilling|valnemnda si innstilling|innstilling til|har søkt|"
    r"(?:på|toppar|topper|til)\s+(?:lista|listen)|valg?lister?|valg?lista|valg?listen|kandidatlist\w*|listetopp\w*)\b",
    re.IGNORECASE,
)
_CLOSING = re.compile(r"^(?:med\s+)?(?:vennlig|venleg|beste|varm)?\s*(?:hilsen|helsing)\b", re.IGNORECASE)


def _without_signatures(run: list[_Line]) -> list[_Line]:
    """The run up to a letter's closing ('Med hilsen', 'Oslo, 20. januar 2025'): the names after
    it sign the page, they do not sit in the body."""
    if run and run[0].heading and _CLOSING.match(run[0].heading):
        return []  # 'Med hilsen' set as a heading over the names
    for n, line in enumerate(run):
        text = clean(line.text)
        if _CLOSING.match(text) or (n and _SIGNATURE_LINE.match(text)):
            return run[:n]
    return run


def _signature_or_byline(run: list[_Line]) -> bool:
    """A report's signatures ('Molde, 13.02.2018' above the names) or an article's byline
    (a name above 'Publisert …')."""
    first = clean(run[0].text)
    if _SIGNATURE_LINE.match(first) or _DATE_LINE.search(first):
        return True
    texts = [clean(line.text) for line in run]
    return any(_DATE_LINE.search(t) for t in texts[1:3]) and len(find_names(" ".join(texts))) <= 1


def _entries(run: list[_Line]) -> list[tuple[str | None, str | None, tuple[Member, ...]]]:
    """(label, label role, members) per sub-list of a run: labels, cards, flattened tables."""
    heading_header = _flat_header(run[0].heading) if run[0].heading else None
    if heading_header:  # a flattened header that became the section's heading
        deputy = _deputy_column(run[0].heading)
        return _split_deputies(None, None, tuple(m for row in run for m in parse_flat_row(row.text, heading_header, deputy)))
    keyed = _keyed_records(run)
    if keyed:
        start, members, end = keyed
        return (_entries(run[:start]) if start else []) + _split_deputies(None, None, members) \
            + (_entries(run[end:]) if end < len(run) else [])
    table = _cell_per_line_table(run)
    if table:
        start, header, rows, end = table
        members = tuple(m for row in rows for m in parse_row(row, header))
        label = clean(run[start - 1].text).rstrip(":") if start else ""
        if label and not find_names(label) and (label_role(label) or is_member_label(label)):
            start -= 1  # 'Varamedlemer' over the table: its seat is the rows'
            role = label_role(label)
            members = tuple(m if m.role or not role else replace(m, role=role) for m in members)
        else:
            label = None
        return (_entries(run[:start]) if start else []) + _split_deputies(label, label_role(label) if label else None, members) \
            + (_entries(run[end:]) if end < len(run) else [])
    for n, line in enumerate(run):
        header = _flat_header(line.text) if line.block.kind != "row" else None
        if header:
            before = _entries(run[:n]) if n else []
            end = next((k for k in range(n + 1, len(run)) if _ends_flat_table(run[k].text)), len(run))
            deputy = _deputy_column(line.text)
            members = tuple(m for row in run[n + 1:end] for m in parse_flat_row(row.text, header, deputy))
            after = _entries(run[end:]) if end < len(run) else []
            return before + _split_deputies(None, None, members) + after
    has_person = [bool(find_names(_label_rest(line.text))) for line in run]
    if _labels_before_names(run, has_person):
        return _label_then_name(run, has_person)
    first_seat = next((n for n, line in enumerate(run) if not has_person[n] and _seat_word(line.text)), 0)
    if first_seat and all(has_person[n] and ":" in run[n].text or not has_person[n] for n in range(first_seat)) \
            and _labels_before_names(run[first_seat:], has_person[first_seat:]):
        # 'Leiar: X' / 'Nestleiar: Y', then each owner's seats, a label over each person
        start = max((n for n in range(first_seat) if has_person[n]), default=-1) + 1
        return _entries(run[:start]) + _label_then_name(run[start:], has_person[start:])
    alternating = _alternating(run, has_person)
    if alternating:  # on a card a person's line starts with the name; 'Observatør, Org' describes
        has_person = [p and _opens_with_name(_label_rest(line.text)) for p, line in zip(has_person, run)]
    entries: list[tuple[str | None, str | None, list[Member]]] = [(None, None, [])]
    organisation: str | None = None
    pending: list[str] = []  # the lines of the current record: a person line and what describes it
    pending_org: str | None = None
    region: str | None = None  # 'Helse Nord:' over the seats of that region

    def flush() -> None:
        nonlocal pending
        if pending:
            label, role, members = entries[-1]
            found = tuple(m if m.region or not region else replace(m, region=region)
                          for m in _record(pending, pending_org))
            members.extend(m if (m.role and not _leads_elsewhere(m.role)) or not role
                           else replace(m, role=role, title=m.title or m.role) for m in found)
            pending = []

    row_header: tuple[str, ...] = ()
    table: int | None = None
    for n, line in enumerate(run):
        text = clean(line.text)
        if line.block.kind == "row":
            flush()
            if line.block.list_id != table:
                table, row_header = line.block.list_id, ()
            if _header_row(line.block.cells):
                # 'Rolle | Navn | Representerer' as the first plain row, under a one-cell title
                # ('Varamedlemmer') set as the table's header: that title labels the rows
                row_header = line.block.cells
                caption = line.block.header[0] if len(line.block.header) == 1 else None
                if caption and (label_role(caption) or is_member_label(caption)):
                    entries.append((caption, label_role(caption), []))
                continue
            entries[-1][2].extend(parse_row(line.block.cells, row_header or line.block.header))
            continue
        if _CAPTION.search(text):
            flush()
            continue
        if has_person[n] and not line.block.continues:
            flush()
            pending, pending_org = [text], organisation
            continue
        if pending and (line.block.continues or (alternating and not text.endswith(":"))) \
                and not _STAFF_LABEL.match(text):  # 'Tilsette på kontoret' heads the staff after the board
            pending.append(text)
            continue
        flush()
        if _VACANCY.search(text):
            continue  # 'Mental Helse Steinbekk: ikke oppnevnt': a seat with nobody in it
        label = text.rstrip(":").strip()
        role = label_role(label)
        if role or is_member_label(label):
            entries.append((label, role, []))
            region = None
        elif is_region(label) and not is_regional_authority(label):
            region = label
        elif _org_label(text, run, n, has_person):
            organisation = _label_organisation(label)
        elif _sub_group_label(text, run, n, has_person):
            entries.append((label, None, []))
            organisation = None
    flush()
    out = []
    for label, role, members in entries:
        if label and (_STAFF_LABEL.match(label) or _NOT_MEMBERS_CONTEXT.search(label)) and not _member_words(label):
            continue  # 'Tilsette på fylkeskontoret' after the board: the office's staff ('Faglig ansatte' are seats)
        out.extend(_split_deputies(label, role, tuple(members)))
    return out


def _header_row(cells: tuple[str, ...]) -> bool:
    """A row of column names ('Rolle', 'Navn', 'Representerer'), one of them the person's."""
    kinds = column_kinds(cells)
    return len(cells) >= 2 and all(kinds) and kinds.count("name") == 1 and not find_names(" ".join(cells))


_STAFF_ADDRESS = re.compile(r"/(?:ansatte|tilsette|medarbeidere|medarbeidarar)(?:/|$)", re.IGNORECASE)
_STAFF_HEADING = re.compile(r"^(?:våre?\s+|alle\s+)?(?:ansatte|tilsette|medarbeidere|medarbeidarar|administrasjonen)\b",
                            re.IGNORECASE)
_STAFF_LABEL = re.compile(r"^(?:ansatte|tilsette|medarbeidere|medarbeidarar|administrasjonen)\s+(?:på|ved|i|hos)\s+\S",
                          re.IGNORECASE)


def _ends_flat_table(text: str) -> bool:
    """A line after a flattened table that is no row of it: a seat label ('Varamedlemmer')
    or a labelled line ('Studenter: Nora Salvesen')."""
    text = clean(text)
    return text.endswith(":") or (_seat_word(text) and not find_names(text)) or bool(re.match(r"^[^:]{2,40}:\s+\S", text))


def _opens_with_name(text: str) -> bool:
    """The line starts with a person's name, perhaps after a job title ('Professor Liv Moe, …')."""
    text = re.sub(r"^\s*\d{1,2}[.)]\s+", "", clean(text))  # '2. Geir Ivar Jakobsen (H)'
    names = find_names(text)
    if not names:
        return False
    before = text[: names[0].start]
    return "," not in before and all(is_title_word(w) for w in before.strip(" :–-").split())


def _labels_before_names(run: list[_Line], has_person: list[bool]) -> bool:
    """'Leder' / 'Amina Hassan' / 'Nestleder' / 'Sindre Lie' / 'Medlem' / 'Thea Rønningen': each
    seat written on the line above its person."""
    seats = [n for n, line in enumerate(run) if not has_person[n] and _seat_word(line.text)]
    others = sum(1 for n, line in enumerate(run) if not has_person[n] and not _seat_word(line.text))
    persons = sum(has_person)
    labelled = sum(1 for n in seats if n + 1 < len(run) and has_person[n + 1])
    # most persons under a seat of their own, or every line a seat or a person ('Styremedlemmer'
    # over two people)
    return len(seats) >= 2 and labelled == len(seats) and (labelled * 5 >= persons * 4 or not others) and (
        not has_person[0] and _seat_word(run[0].text))


def _seat_word(text: str) -> bool:
    label = clean(text).rstrip(":")
    return len(label.split()) <= 4 and bool(label_role(label) or is_member_label(label) or role_word(label))


def _label_then_name(run: list[_Line], has_person: list[bool]):
    """Read a run where each seat label stands on the line above the person holding it."""
    entries: list[tuple[str | None, str | None, list[Member]]] = [(None, None, [])]
    role: str | None = None
    plural = False  # 'Varamedlemmer' seats every person under it, 'Nestleder' only the next
    organisation: str | None = None  # 'Eiterdal kommune' over its seats
    principal: str | None = None  # the last member seated: a 'Personleg vara' under it is theirs
    for n, line in enumerate(run):
        text = clean(line.text)
        if not has_person[n]:
            label = text.rstrip(":")
            role = label_role(label) or (role_word(label) if not is_member_label(label) else None)
            if role and role_word(role) and not is_generic_label(role):
                role = role.lower()
            plural = bool(role) and any(_singular_role(w) != w for w in words(label))
            if not role and not is_member_label(label) and looks_like_organisation(label):
                organisation = label
            continue
        for member in parse_item(text, organisation):
            keep = (member.role and not _leads_elsewhere(member.role)) or not role
            member = member if keep else replace(member, role=role, title=member.title or member.role)
            if role in ("personlig vara", "personleg vara") and principal:
                member = replace(member, deputy_for=principal)
            elif not member.deputy_for:
                principal = member.name
            entries[-1][2].append(member)
        if not plural:
            role = None
    out = []
    for label, role_, members in entries:
        out.extend(_split_deputies(label, role_, tuple(members)))
    return out


def _label_rest(text: str) -> str:
    """A labelled line's people part ('Medlem: Marit Skaldehaug' -> 'Marit Skaldehaug'); a
    person before the colon ('Astrid Berntsen: leder') is the line's person, not a label."""
    m = re.match(r"^(?P<label>[^:]{1,60}):\s*(?P<rest>.*)$", clean(text))
    if not m or not m["rest"] or _is_name_only(m["label"]):
        return text
    return m["rest"]


_LEAVING = re.compile(r"\b(?:trer ut|trer av|går ut|gjekk ut|gikk ut|går av|gjekk av|gikk av|fratrer|fratrådt|"
                      r"slutter|har sluttet|har slutta|fritatt|fritak|død|døydde|permisjon)\b", re.IGNORECASE)


def _record(lines: list[str], organisation: str | None) -> tuple[Member, ...]:
    """A person line and the lines that describe it, read as one line; a record that says
    the person is leaving ('… – trer ut 1. mars 2025') names no member."""
    if any(_LEAVING.search(line) for line in lines):
        return ()
    deputies = [m for m in map(_DEPUTY_LINE.match, lines[1:]) if m]
    if deputies:  # 'Personlig vara: Johan Buljo, Guovdageaidnu' under the member's line
        members = _record([line for line in lines if not _DEPUTY_LINE.match(line)], organisation)
        found = [m for d in deputies for m in parse_item(d["rest"])]
        if len(members) != 1 or len(found) != len(deputies):
            return members
        text = clean(" / ".join(lines))
        return (replace(members[0], text=text), *(
            replace(m, role=label_role(d["label"]) or SUBSTITUTE_ROLE, deputy_for=members[0].name, text=text)
            for d, m in zip(deputies, found)))
    head, *rest = lines
    rest = [r for r in rest if r and not _is_generic_card_word(r)]
    if not rest:
        return parse_item(head, organisation)
    text = " – ".join([head.rstrip(" .,"), *(_as_piece(r) for r in rest)])
    members = parse_item(text, organisation)
    if len(members) == len(parse_item(head, organisation)):
        return tuple(replace(m, text=clean(" / ".join(lines))) for m in members)
    return parse_item(head, organisation)


_DEPUTY_LINE = re.compile(r"^(?P<label>(?:personlig|personleg)\s+vara|vara(?:medlem|representant)?)\s*:\s*(?P<rest>\S.*)$",
                          re.IGNORECASE)


def _as_piece(text: str) -> str:
    """A card line as a piece of the record: 'Arbeidssted: X' -> 'X', 'Tlf: …' stays contact."""
    m = re.match(r"^(?:arbeidssted|arbeidsstad|arbeidsplass|organisasjon|virksomhet|verksemd|institusjon|"
                 r"representerer|stilling|tittel)\s*:\s*(?P<value>.+)$", text, re.IGNORECASE)
    return m["value"] if m else text.rstrip(" .")


def _is_generic_card_word(text: str) -> bool:
    return clean(text).lower() in ("member", "medlem", "e-post", "epost", "send e-post", "kontakt", "profil",
                                  "les mer", "vis mer", "mer om", "bilde", "foto")


def _alternating(run: list[_Line], has_person: list[bool]) -> bool:
    """Cards: most person lines are followed by a line naming nobody that is no label."""
    followed = sum(
        1 for n in range(len(run) - 1)
        if has_person[n] and not has_person[n + 1] and not clean(run[n + 1].text).endswith(":")
    )
    persons = sum(has_person)
    return persons >= 1 and followed * 2 >= persons and followed >= 1


_VACANCY = re.compile(r"\b(?:ikke|ikkje)\s+(?:oppnevnt|oppnemnd|valgt|vald|valt|utpekt|klar)\b|\bvakant\b|\bledig\b|"
                      r"\butpekes senere\b|…|\.\.\.", re.IGNORECASE)
_PEOPLE_PLURAL = ("ere", "erne", "arar", "arane", "ane", "ene")


def _org_label(text: str, run, n: int, has_person: list[bool]) -> bool:
    """'Kleive pensjonistforening:' above 'Medlem: X': the organisation of the seats under it;
    'Politikere:' or 'Organisasjonene:' names a kind of member, a sub-group, not an organisation."""
    if not text.endswith(":") or not text[:1].isupper() or is_not_seat_label(text):
        return False
    label = text.rstrip(":")
    if " " not in label and len(label) > 6 and label.lower().endswith(_PEOPLE_PLURAL) and not looks_like_organisation(label):
        return False
    whom = _FROM.match(label)
    if whom:  # 'Frå fylkestinget:' makes a sub-group; 'Fra Kreftforeningen:' names the organisation
        return whom["whom"][:1].isupper() and looks_like_organisation(whom["whom"])
    return not is_member_heading(label) or len(words(label)) > 3


_FROM = re.compile(r"^(?:fra|frå|fro)\s+(?P<whom>\S.*)$", re.IGNORECASE)


def _label_organisation(label: str) -> str:
    """The organisation an organisation label names: 'Fra Kreftforeningen' -> 'Kreftforeningen'."""
    m = _FROM.match(label)
    return m["whom"] if m else label


def _sub_group_label(text: str, run, n: int, has_person: list[bool]) -> bool:
    """A short line naming nobody right before people: a sub-group ('Frå fylkestinget')."""
    nxt = has_person[n + 1] if n + 1 < len(run) else False
    return nxt and len(text.split()) <= 6 and not is_side_label(text) and not is_contact(text) and text[:1].isupper() and not _DATE_LINE.search(text)


def _flat_header(text: str) -> tuple[str | None, ...] | None:
    """'Representant Parti Funksjon', 'Rolle Navn Enhet', 'Medlemmar Varamedlemmar': a table
    header flattened into a line, every word a column's name and one of them the person's."""
    tokens = clean(text).split()
    if not 2 <= len(tokens) <= 6 or text.endswith(":"):
        return None
    names = _column_names(tokens)
    return column_kinds(tuple(names)) if _name_column(names) is not None else None


_KEYED = re.compile(r"^(?P<key>[A-ZÆØÅa-zæøå][\wæøå -]{1,28}?)\s*:\s*(?P<value>\S.*)$")


def _keyed_records(run: list[_Line]):
    """Cards written as fields: 'Navn: X' / 'Verv: Leder' / 'Organisasjon: Y' / 'Telefon: …',
    each record opened by its name field. Returns (where they start, the members, where they
    end), or None."""
    fields = [(n, _KEYED.match(clean(line.text))) for n, line in enumerate(run)]
    records: list[list[tuple[str, str]]] = []
    start = end = None
    for n, m in fields:
        if not m or not is_column_name(m["key"]):
            if records:
                break
            continue
        if clean(m["key"]).lower() in ("navn", "namn"):  # not 'Medlem:' / 'Vara:': those label seat lines
            records.append([])
            start = n if start is None else start
        if records:
            records[-1].append((m["key"], m["value"]))
            end = n + 1
    if len(records) < 2 or start is None:
        return None
    members = tuple(m for record in records
                    for m in parse_row(tuple(v for _, v in record), tuple(k for k, _ in record)))
    return (start, members, end) if members else None


def _cell_per_line_table(run: list[_Line]):
    """A table copied with every cell on a line of its own: a header ('Namn' / 'Representerer' /
    'Arbeidsstad', one of them the person's), then its rows, as many lines each. Returns (where
    the header starts, the header, the rows, where the rows end), or None."""
    texts = [clean(line.text) for line in run]
    for start in range(len(texts)):
        header: list[str] = []
        while start + len(header) < len(texts) and is_column_name(texts[start + len(header)]):
            header.append(texts[start + len(header)])
        name_at = _name_column(header)
        if name_at is None:
            continue
        rows, at = [], start + len(header)
        while at + len(header) <= len(texts) and find_names(texts[at + name_at]) \
                and not any(t.endswith(":") for t in texts[at:at + len(header)]):
            rows.append(tuple(texts[at:at + len(header)]))
            at += len(header)
        if rows:
            return start, tuple(header), rows, at
    return None


def _name_column(header: list[str]) -> int | None:
    """Where the person's column is, when `header` is a table's header: two to six column
    names ('Navn', 'Parti', 'Personlig vara'), one of them the person's; else None."""
    kinds = column_kinds(tuple(header))
    if not 2 <= len(header) <= 6 or not all(kinds) or kinds.count("name") != 1:
        return None
    return kinds.index("name")


def _column_names(tokens: list[str]) -> list[str]:
    """The header's words, a two-word column name kept whole ('Navn Parti Personlig vara')."""
    out: list[str] = []
    for token in tokens:
        if out and column_kinds((f"{out[-1]} {token}",)) == ("deputy",) and column_kinds((out[-1],)) == (None,):
            out[-1] = f"{out[-1]} {token}"
        else:
            out.append(token)
    return out


def _deputy_column(header: str) -> str:
    """The role of a personal deputy, as the header's column names it ('Personlig vara')."""
    for column in _column_names(clean(header).split()):
        if column_kinds((column,)) == ("deputy",):
            return _singular_role(column.lower())
    return SUBSTITUTE_ROLE


def _split_deputies(label, role, members: tuple[Member, ...]):
    """Personal deputies ('Navn (Vara-navn)', a Vara column) go to a group of their own."""
    main = tuple(m for m in members if not m.deputy_for)
    deputies = tuple(m for m in members if m.deputy_for)
    out = [(label, role, main)]
    if deputies:
        out.append(("Varamedlemmer", SUBSTITUTE_ROLE, deputies))
    return out


def _list_name(heading: str | None, lead: str | None, page_title: str | None) -> str:
    if heading and is_member_heading(heading):
        return heading
    if lead is not None:
        low = lead.lower()
        for phrase in MEMBER_PHRASES:
            if phrase in low:
                from extractors.members import group_phrase

                subject = group_phrase(lead[: low.index(phrase)])
                if subject:
                    return subject
        if is_member_heading(lead) and len(lead) <= 60:
            return lead.rstrip(":")
    return heading or page_title or "Medlemmer"


# ------------------------------------------------------------------------------------- prose


def _read_prose(page: _Page, line: _Line, previous: str, lead_list: str | None = None) -> str:
    """Enumerations, seat sentences and chair claims in a paragraph; returns its last sentence.

    ``lead_list``: the paragraph follows a lead-in that announces members ("Det nye eldrerådet
    skal bestå av:", "I rådet skal desse sitja:"), so a first sentence that is a list of names is
    that body's members."""
    sentences = split_sentences(clean(line.text))
    heading = line.heading
    in_member_section = heading is not None and is_member_heading(heading)
    body_names = tuple(t for t in (page.title, heading, *page.headings, *page.headlines) if t)
    claims_before, listed = len(page.claims), False
    for n, sentence in enumerate(sentences):
        before = sentences[n - 1] if n else previous
        if not _may_name_someone(sentence):
            continue  # no name, and no pronoun to stand for one: nothing for the readers below
        found = enumeration(sentence, before)
        listed = listed or bool(found)
        if found:
            name = found.group
            if found.role:
                name = _OWN_GROUP_ROLES.get(found.role, name)
            elif in_member_section or not name or name.lower() in ("disse", "desse", "medlemmer", "komiteen"):
                name = heading if in_member_section else (name if name and name.lower() not in ("disse", "desse") else
                                                          heading or page.title or "Medlemmer")
            page.draft(name).add(found.members)
        elif n == 0 and lead_list:
            members = _lead_list(sentence)
            if members:
                page.draft(_lead_group(lead_list, heading, page.title)).add(members)
                continue
        for seat in seats_in(sentence):
            if is_chair_role(seat.role):
                page.claims.append((ChairClaim(seat.name, None, None, True, sentence, role=seat.role), None))
            else:
                own = _OWN_GROUP_ROLES.get(seat.role or "")
                page.seats.append((seat, own or (heading if in_member_section else None)))  # secretariat: own group
        following = sentences[n + 1] if n + 1 < len(sentences) else ""
        for claim in chair_claims(sentence, before, body_names):
            page.claims.append((claim, pronoun_title(following)))
    if listed:  # 'X skal lede utvalget. Øvrige medlemmer er …': the chair of the body listed beside
        page.claims[claims_before:] = [(replace(c, body_checked=True), t) for c, t in page.claims[claims_before:]]
    return sentences[-1] if sentences else previous


def _may_name_someone(sentence: str) -> bool:
    return bool(find_names(sentence)) or bool(re.match(r"(?:Han|Hun|Ho)\s", sentence))


def _lead_list(sentence: str) -> tuple[Member, ...]:
    """'A (B), C (D) og E (F).' right after a member lead-in: a list in a sentence of its own."""
    from extractors.prose import _cut_list

    text = clean(sentence).rstrip(".")
    names = find_names(text)
    if not names or names[0].start > 0:
        return ()
    members = _members(_cut_list(text), text, one_per_piece=False)
    return members if len(members) >= 2 else ()


def _lead_group(lead: str, heading: str | None, page_title: str | None) -> str:
    """The body a lead-in names: 'Det nye eldrerådet skal bestå av, …:' -> 'Eldrerådet',
    'I rådet for funksjonshemma skal desse sitja:' -> 'Rådet for funksjonshemma'."""
    from extractors.members import group_phrase
    from extractors.prose import _subject_group

    text = clean(lead).rstrip(":")
    low = text.lower()
    for phrase in ("skal bestå av", "består av", "bestått av", "skal desse sitja", "skal disse sitte", "skal sitja",
                   "skal sitte", "er sett saman av", "er satt sammen av"):
        if phrase in low:
            subject = text[: low.index(phrase)]
            subject = re.sub(r"^(?:i|I)\s+", "", subject.strip())
            return _subject_group(subject) or heading or page_title or "Medlemmer"
    return group_phrase(text) if len(text) <= 60 else heading or page_title or "Medlemmer"


# ----------------------------------------------------------------------------------- assembly


def _assemble(page: _Page, related: tuple[RelatedLink, ...]) -> tuple[Group, ...]:
    drafts = [d for d in page.drafts if d.members]
    _resolve_principals(drafts)
    _apply_seats(page, drafts)
    _merge_duplicates(drafts)
    drafts = [d for d in drafts if d.members]
    for draft in drafts:
        draft.chair = next((m.name for m in draft.members if is_chair_role(m.role)), None)
    _apply_claims(page, drafts)
    groups = [Group(d.name, d.chair, tuple(d.members)) for d in drafts]
    groups.extend(_sub_bodies(groups, related))
    return tuple(groups)


def _resolve_principals(drafts: list[_Draft]) -> None:
    """A personal deputy listed 'for Solberg:' stands for the one member of that surname."""
    members = [m for d in drafts for m in d.members if not m.deputy_for]
    for draft in drafts:
        for n, member in enumerate(draft.members):
            if member.deputy_for and " " not in member.deputy_for:
                same = [m.name for m in members if m.name.split()[-1] == member.deputy_for]
                if len(same) == 1:
                    draft.members[n] = replace(member, deputy_for=same[0])


def _apply_seats(page: _Page, drafts: list[_Draft]) -> None:
    """Seat sentences ('X kommer inn som ny nestleder', 'Sekretær for utvalget er Y'): the
    person's listed seat gets the role; someone listed nowhere joins the seat's own group
    (secretariat, observers, deputies) or the page's first group."""
    for member, group in page.seats:
        existing = _find(drafts, member.name)
        if existing:
            _fill(*existing, member)
        elif member.deputy_for and _find(drafts, member.deputy_for):
            principal, _ = _find(drafts, member.deputy_for)
            deputies = _deputy_group(page, drafts, principal)
            deputies.add((member,))
        elif group:
            draft = next((d for d in drafts if d.name == group), None)
            if draft is None:
                draft = page.draft(group)
                drafts.append(draft)
            draft.add((member,))
        elif drafts:
            drafts[0].add((member,))
        else:  # a page naming its members in prose only
            drafts.append(page.draft(page.headings[0] if page.headings else page.title or "Medlemmer"))
            drafts[0].add((member,))


def _deputy_group(page: _Page, drafts: list[_Draft], principal: _Draft) -> _Draft:
    """The deputies' group beside a principal's group ('Eldrerådet - personleg vara')."""
    for draft in drafts:
        if draft.order > principal.order and all(_OWN_GROUP_ROLES.get(m.role or "") == "Varamedlemmer" for m in draft.members) \
                and draft.members and _find([principal], draft.members[0].deputy_for or ""):
            return draft
    name = f"{principal.name} – varamedlemmer"
    draft = page.draft(name)
    if draft not in drafts:
        drafts.insert(drafts.index(principal) + 1, draft)
    return draft


def _find(drafts: list[_Draft], name: str):
    for draft in drafts:
        for n, member in enumerate(draft.members):
            if member.name == name:
                return draft, n
    return None


def _fill(draft: _Draft, n: int, other: Member) -> None:
    """The member at ``n`` with the fields it lacks taken from another mention of the same person."""
    member = draft.members[n]
    updates = {k: getattr(other, k) for k in ("organisation", "role", "region", "title", "party", "status",
                                              "place", "proposed_by", "affiliation")
               if getattr(member, k) is None and getattr(other, k) is not None}
    if updates:
        draft.members[n] = replace(member, **updates)


def _merge_duplicates(drafts: list[_Draft]) -> None:
    """Once per page: a person on a 'Leder: X' line and in a list is one member, seated in
    the list with the role from the label line."""
    for draft in drafts:
        for member in list(draft.members):
            if not _OFFICER_LINE.match(member.text or ""):
                continue
            elsewhere = [(d, n) for d in drafts for n, m in enumerate(d.members)
                         if m.name == member.name and not (d is draft and m is member)
                         and not _OFFICER_LINE.match(m.text or "")]
            if not elsewhere:
                continue
            target, n = elsewhere[0]
            _fill(target, n, member)
            draft.members.remove(member)
    for draft in drafts:
        if draft.members and all(m.role in ("sekretær", "sekretariat") for m in draft.members) \
                and not any(_OWN_GROUP_ROLES.get(m.role or "") == draft.name for m in draft.members):
            draft.name = _OWN_GROUP_ROLES[draft.members[0].role]


_OFFICER_LINE = re.compile(r"^(?:leder|leiar|nestleder|nestleiar|styreleder|styreleiar|sekretær|kasserer)\s*:",
                           re.IGNORECASE)


def is_chair_role(role: str | None) -> bool:
    """'leder', 'Leiar', 'styreleder', 'leder fra 01.01.2022-31.12.2023', 'leder for utvalget',
    'konst. adm. dir./leder'; not 'leder av fagnettverk i Helse Vest' or 'Leder FMK'."""
    if not role:
        return False
    low = clean(role).lower()
    chair = CHAIR_ROLES
    if low in chair:
        return True
    if re.match(r"^(?:leder|leiar|styreleder|styreleiar)\s+(?:fra|frå|til|f\.o\.m\.?|t\.o\.m\.?)\s", low):
        return True
    if any(part.strip() in chair for part in low.split("/")):
        return True
    return leads_this_body(role)


def _apply_claims(page: _Page, drafts: list[_Draft]) -> None:
    """Chair sentences: the claimed person chairs the group listing them; someone listed
    nowhere joins the page's first group as its chair, or, on a page listing nobody, chairs
    a group of their own with no members (the page says who leads, not who sits)."""
    explicit = [(c, t) for c, t in page.claims if c.explicit]
    names = tuple(t for t in (page.title, *page.headings, *page.headlines, *(d.name for d in drafts)) if t)
    for claim, title in explicit:
        chair = Member(claim.name, organisation=claim.organisation, role=claim.role or "leder",
                       text=claim.sentence, title=title or claim.title, place=claim.place, status=claim.status)
        found = _find(drafts, claim.name)
        if not found and drafts and claim.body and not claim.body_checked and not names_this_body(claim.body, names):
            continue  # 'Valgkomiteen ledes av X' on the board's page: another body, its members not listed
        if found:
            draft, n = found
            if not is_chair_role(draft.members[n].role):
                draft.members[n] = replace(draft.members[n], role=chair.role)
            _fill(draft, n, chair)
            draft.chair = claim.name
        elif drafts:
            drafts[0].add((chair,))
            drafts[0].chair = claim.name
        else:
            draft = page.draft(_claim_group(claim, page.title))
            drafts.append(draft)
            draft.chair = claim.name
    if explicit or drafts:
        return
    for claim, _ in page.claims:
        draft = page.draft(page.title or claim.body or "Leiing")
        drafts.append(draft)
        draft.chair = claim.name
        return


def _claim_group(claim: ChairClaim, page_title: str | None) -> str:
    from extractors.members import group_phrase

    if claim.body and claim.body[:1].isupper():
        return group_phrase(claim.body)
    return page_title or (group_phrase(claim.body) if claim.body else "Leiing")


def _sub_bodies(groups: list[Group], related: tuple[RelatedLink, ...]) -> list[Group]:
    """Linked sub-bodies ('Regionalt fagnettverk Helse Vest') chaired by a listed member."""
    known = {g.name.casefold() for g in groups}
    out: list[Group] = []
    for link in related:
        region = find_region(link.title)
        if region is None or link.title.casefold() in known:
            continue
        chair = _sub_body_chair(groups, link.title, region)
        if chair:
            out.append(Group(clean(link.title), chair, ()))
            known.add(link.title.casefold())
    return out


def _sub_body_chair(groups: list[Group], title: str, region: str) -> str | None:
    title_words = words(title)
    for group in groups:
        for member in group.members:
            for m in _LEADS_SUB_BODY.finditer(member.role or ""):
                body = m["body"].lower()
                same_body = any(w[:8] == body[:8] for w in title_words if len(w) >= 6)
                if same_body and find_region(m["region"]) == region:
                    return member.name
    return None


