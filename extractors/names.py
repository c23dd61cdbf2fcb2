"""Where a person's name sits in a piece of text, without the words around it.

Member lists put titles and seat words before names ("Ordfører Alfred Bjørlo",
"Ansattrepresentant Klaus Becker", "professor Signy Vabo"), glue items together when a
table or a list is flattened ("Jon Skarvøy, leiarAnne Lise H. Følsvik"), and run two names
together when a two-column table loses its columns ("Odd Asbjørn Bævre Eva Jorid Svendsen").
This module finds the name spans in such text; whether a span is a person at all is
``extractors.persons``'s decision. First names come from the NER gazetteer and from
gender-guesser's name dictionary (48,000 first names, Nordic ones included).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from extractors.persons import (
    ABBREVIATED, INITIAL, LOWER, NAME_TOKEN, PARTICLES, PERSON_DETECTOR, UPPER, looks_like_person_name,
)

# 'FrP', 'KrF': a party's short form with a capital inside is one word, not a name word and a letter
_WORD = re.compile(rf"(?:[{UPPER}][{LOWER}]{{1,2}}[{UPPER}](?![\w'’-])|{ABBREVIATED}(?=\s)|{NAME_TOKEN}|{INITIAL}(?:-?{INITIAL})?|[{UPPER}{LOWER}][\w.'’-]*)")
_NAMEISH = re.compile(rf"^(?:{NAME_TOKEN}|{INITIAL}(?:-?{INITIAL})?|{ABBREVIATED})$")

# Job titles and seat words written before a name, by how they end ("Spesialrådgiver",
# "Ekspedisjonssjef", "Konserntillitsvalgt") or whole ("Ordfører", "Professor").
TITLE_WORDS = {
    "ordfører", "varaordfører", "fylkesmann", "fylkesordfører", "rådmann", "kommunedirektør",
    "professor", "dosent", "forsker", "stipendiat", "lektor", "lege", "fastlege", "overlege",
    "sykepleier", "sjukepleiar", "jordmor", "psykolog", "advokat", "dommer", "statsråd",
    "statssekretær", "minister", "stortingsrepresentant", "representant", "prost", "biskop",
    "dr", "dr.", "prof", "prof.", "adm", "adm.", "dir", "dir.", "konst", "konst.", "fung",
    "fung.", "ass", "ass.", "cand", "seniorforsker", "førsteamanuensis", "amanuensis",
    "ansattrepresentant", "brukerrepresentant", "brukarrepresentant", "tillitsvalgt",
    "verneombud", "hovedverneombud", "styreleder", "styreleiar", "leder", "leiar", "nestleder",
    "nestleiar", "sekretær", "observatør", "medlem", "varamedlem", "vara", "ekspedisjonssjef",
    "avdelingsdirektør", "direktør", "sjef", "konsulent", "journalist", "fotograf",
    "kommunikasjonsrådgiver", "rådgiver", "rådgjevar", "seniorrådgiver", "seniorrådgjevar",
    "spesialrådgiver", "spesialrådgjevar", "koordinator", "prosjektleder", "prosjektleiar",
    "sentralstyremedlem", "helseminister", "kommunalråd", "byråd", "politimester",
    "generalsekretær", "administrerende", "konstituert", "kst", "kst.", "viseadministrerende",
    "dagleg", "daglig", "fung", "fungerende", "fungerande", "assisterende", "assisterande",
    "rektor", "prorektor", "viserektor", "dekan", "prodekan", "instituttleder", "instituttleiar",
    "biskop", "prost", "sokneprest", "ordstyrer", "ordstyrar", "møteleder", "møteleiar",
    # bilingual pages
    "centre", "center", "director", "head", "ceo", "chief", "senior", "dean", "rector", "professor",
    "coordinator", "manager", "officer", "secretary", "chair", "vice", "associate", "assistant",
    "adjunct", "visiting", "emeritus", "emerita", "lecturer", "researcher", "research", "postdoc",
    "lærer", "lærar", "adjunkt", "sosionom", "vernepleier", "vernepleiar", "farmasøyt", "jurist", "prest",
    "student", "elev", "lærling", "stipendiat",
}
TITLE_SUFFIXES = (
    "direktør", "sjef", "rådgiver", "rådgjevar", "leder", "leiar", "lege", "representant",
    "sekretær", "konsulent", "koordinator", "professor", "forsker", "forskar", "sykepleier",
    "sjukepleiar", "ombud", "ordfører", "ordførar", "mann", "tillitsvalgt", "tillitsvald",
    "minister", "medlem", "amanuensis", "psykolog", "terapeut", "pedagog", "økonom", "ingeniør",
    "jurist", "advokat", "prest", "sekretar", "lektor", "amanuensis", "stipendiat", "konsulent",
)


def is_title_word(word: str) -> bool:
    """'Ordfører', 'Spesialrådgiver', 'Adm.': a title, not part of a name (unless a first name)."""
    low = word.lower().rstrip(",")
    if low in TITLE_WORDS:
        return True
    return len(low) > 6 and low.endswith(TITLE_SUFFIXES) and not is_first_name(word)


@lru_cache(maxsize=1)
def _first_names() -> frozenset[str]:
    from extractors.ner.gazetteer import GAZETTEER_DIR

    names = set((GAZETTEER_DIR / "first.txt").read_text(encoding="utf-8").split())
    try:
        from gender_guesser import detector

        names.update(detector.Detector(case_sensitive=True).names)
    except ImportError:  # the gazetteer alone still knows 4,700 names
        pass
    return frozenset(n for n in names if n[:1].isupper())


def _distinct_first_name(word: str) -> bool:
    from extractors.fields import is_place

    return is_first_name(word) and _common_words().get(word.lower(), 0) < 3 and not is_place(word)


def is_first_name(word: str) -> bool:
    word = word.strip(",.")
    if word in _first_names():
        return True
    parts = word.split("-")
    return len(parts) > 1 and all(p in _first_names() for p in parts)  # "Hans-Johnny", "Anne-Lise"


def _trailing_word(word: str) -> bool:
    from extractors.fields import PARTY_ABBREVIATIONS, role_word

    low = word.lower()
    return (low in PARTY_ABBREVIATIONS and len(word) <= 4 and word[:1].isupper()) or (
        bool(role_word(word)) and not is_first_name(word))


@lru_cache(maxsize=1)
def _common_words() -> dict[str, int]:
    from extractors.ner.gazetteer import load

    return load().common


def _function_word(word: str) -> bool:
    """'Av Kristin Aune', 'Med Ola Nordmann': a very common word capitalised at the start of a
    line is no first name (unless it is one: 'Per', 'Kari')."""
    return len(word) <= 4 and _common_words().get(word.lower(), 0) >= 3 and not is_first_name(word)


@dataclass(frozen=True)
class NameSpan:
    start: int
    end: int
    name: str
    before: str  # the words before it in the chunk ('Ordfører', 'leder', 'professor ved X,')


def name_tokens(text: str) -> list[tuple[int, int, str]]:
    return [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]


@lru_cache(maxsize=16384)
def find_names(text: str, expect_two: bool = False) -> tuple[NameSpan, ...]:
    """Person names in a short text, left to right; title words before a name are not part of it.

    ``expect_two``: the text is known to hold two names run together (a flattened two-column
    table), so a run of name words is split where it best reads as two names."""
    found: list[NameSpan] = []
    tokens = name_tokens(text)
    runs: list[list[tuple[int, int, str]]] = []
    for tok in tokens:
        nameish = _NAMEISH.match(tok[2]) or (tok[2].lower() in PARTICLES and runs and runs[-1])
        gap = text[runs[-1][-1][1]:tok[0]] if runs and runs[-1] else ""
        if nameish and runs and runs[-1] and (gap.strip() == "" or _comma_typo(runs[-1], gap, tok)):
            runs[-1].append(tok)
        elif nameish:
            runs.append([tok])
        else:
            runs.append([])
    n = 0
    while n < len(runs):
        inverted = _inverted(text, runs[n], runs[n + 1]) if n + 1 < len(runs) else None
        if inverted:  # 'Aarsæther, Liv Kristin': a list sorted by surname
            found.append(inverted)
            n += 2
            continue
        found.extend(_names_in_run(text, runs[n], expect_two))
        n += 1
    return tuple(found)


def _inverted(text: str, left: list, right: list) -> NameSpan | None:
    """'Surname, Given names' as one name, kept as written: one or two surname words (none a
    distinct first name), a comma, then one to three words that are all first names."""
    if not left or not right or not 1 <= len(left) <= 2 or not 1 <= len(right) <= 3:
        return None
    if text[left[-1][1]:right[0][0]].strip() != ",":
        return None
    if any(_distinct_first_name(t) or not re.fullmatch(NAME_TOKEN, t) for _, _, t in left):
        return None
    from extractors.fields import is_place

    if is_place(" ".join(t for _, _, t in left)):
        return None
    if not all(is_first_name(t) for _, _, t in right) or any(
            is_title_word(t) or _function_word(t) for _, _, t in left):
        return None
    natural = " ".join([*(t for _, _, t in right), *(t for _, _, t in left)])
    if not is_person_name(natural):
        return None
    return NameSpan(left[0][0], right[-1][1], text[left[0][0]:right[-1][1]], text[:left[0][0]])


def candidate_names(text: str) -> set[str]:
    """Every phrase of ``text`` that extraction may ask the person detector about: each run
    of name words, its tails (a title or body word before a name), and the two halves of
    each split of a long run, unless it opens with a distinct first name (``is_person_name``
    decides those without the model). ``PERSON_DETECTOR.prefetch`` asks the model about all
    of them at once."""
    out: set[str] = set()
    words = name_tokens(text)
    run: list[tuple[int, int, str]] = []
    for tok in words + [(len(text) + 1, len(text) + 1, "")]:
        nameish = bool(tok[2]) and (_NAMEISH.match(tok[2]) or (tok[2].lower() in PARTICLES and run))
        if nameish and (not run or not text[run[-1][1]:tok[0]].strip()):
            run.append(tok)
            continue
        for start in range(len(run)):
            first = run[start][2]
            if first.lower() in PARTICLES or is_title_word(first) or _leading_function_word(text, run[start:]):
                continue  # find_names never asks about a phrase opening with these
            if _distinct_first_name(first):
                continue  # a name opening with a distinct first name needs no model
            for end in range(start + 2, min(len(run), start + 6) + 1):
                out.add(text[run[start][0]:run[end - 1][1]])
        run = [tok] if nameish else []
    return out


def _comma_typo(run: list[tuple[int, int, str]], gap: str, tok: tuple[int, int, str]) -> bool:
    """'Eiliv, K. Berdal': a lone first name, a stray comma, then an initial - one name, as written."""
    return len(run) == 1 and gap.strip() == "," and is_first_name(run[0][2]) and bool(re.fullmatch(INITIAL, tok[2]))


def _names_in_run(text: str, run: list[tuple[int, int, str]], expect_two: bool = False) -> list[NameSpan]:
    while run and (run[0][2].lower() in PARTICLES or is_title_word(run[0][2])
                   or _leading_function_word(text, run)
                   or _noun_before_name(text, run)):
        run = run[1:]
    if run and run[-1][1] < len(text) and _ORGANISATION_FORM.match(text, run[-1][1]):
        return []  # 'Omsorgsteknologi Nord AS', 'Sykehuset Bergtun HF': a company or trust
    while run and (run[-1][2].lower() in PARTICLES or _trailing_word(run[-1][2])):
        run = run[:-1]  # 'Gunnar Tveten Sp Leder': a flattened row's party and seat after the name
    if len(run) < 2:
        return []
    whole = text[run[0][0]:run[-1][1]]
    if "," in whole:  # 'Eiliv, K. Berdal', kept as written
        return [NameSpan(run[0][0], run[-1][1], whole, text[:run[0][0]])] if is_person_name(whole) else []
    if len(run) <= 4 and not expect_two and is_person_name(whole):
        return [NameSpan(run[0][0], run[-1][1], whole, text[:run[0][0]])]
    for split in _two_name_splits(run, expect_two):
        left, right = run[:split], run[split:]
        a, b = text[left[0][0]:left[-1][1]], text[right[0][0]:right[-1][1]]
        if is_person_name(a) and is_person_name(b):
            return [NameSpan(left[0][0], left[-1][1], a, text[:left[0][0]]),
                    NameSpan(right[0][0], right[-1][1], b, text[:right[0][0]])]
    if is_person_name(whole):
        return [NameSpan(run[0][0], run[-1][1], whole, text[:run[0][0]])]
    for end in range(min(len(run) - 1, 4), 1, -1):  # 'Guro Mæland Brukerutvalget': the name, then an organisation
        name, tail = text[run[0][0]:run[end - 1][1]], " ".join(t for _, _, t in run[end:])
        if _organisation_words(tail) and is_person_name(name):
            return [NameSpan(run[0][0], run[end - 1][1], name, text[:run[0][0]])]
    for start in range(1, min(len(run) - 1, 3)):  # 'Fagforbundet Rolf Amundsen': an organisation, then the name
        if all(_organisation_words(t) for _, _, t in run[:start]) and is_person_name(text[run[start][0]:run[-1][1]]):
            return _names_in_run(text, run[start:], expect_two)
    return []


_ORGANISATION_FORM = re.compile(r"\s+(?:AS|ASA|HF|RHF|KF|IKS|SA|BA|DA|ANS|SF|NUF|Ltd|GmbH|AB|Oy)\b")


def _leading_function_word(text: str, run: list[tuple[int, int, str]]) -> bool:
    """'Av Kristin Aune', 'Med Ola Nordmann': a common little word opening a sentence or line,
    before a first name, is no part of the name ('Live Aasen Seim' after 'er' is a name)."""
    return (_function_word(run[0][2]) and _opens_a_sentence(text, run[0][0])
            and (len(run) < 2 or is_first_name(run[1][2])))


def _opens_a_sentence(text: str, start: int) -> bool:
    """A capitalised common word is a function word only where a sentence or a line begins
    ('Av Kristin Aune'); mid-sentence ('er Live Aasen Seim') a capital marks a name."""
    before = text[:start].rstrip()
    return not before or before[-1] in ".:!?;•–—-(»\"'/"


_AFTER_PREPOSITION = re.compile(r"\b(?:i|ved|frå|fra|på|hos)\s*$")


def _noun_before_name(text: str, run: list[tuple[int, int, str]]) -> bool:
    """'Ungdomskontakt Karianne Lysø': a long compound that is no first name, before a
    distinct first name and a surname, is the person's job, not part of the name."""
    if len(run) < 3 or is_first_name(run[0][2]) or not _distinct_first_name(run[1][2]):
        return False
    # 'Ungdomskontakt Karianne Lysø'; 'ordførar i Lidvoll Gunnar Årdal': a place after its preposition
    return (len(run[0][2]) >= 10 and "-" not in run[0][2]) or bool(_AFTER_PREPOSITION.search(text[:run[0][0]]))


def _organisation_words(text: str) -> bool:
    """Capitalised words that name an organisation, not a person ('Norsk Sykepleierforbund')."""
    from extractors.persons import not_name_word

    return any(not_name_word(w) for w in text.split())


def is_person_name(name: str) -> bool:
    """A person by the shape of the words, then: a name opening with a distinct first name
    (known as one, not a common word, not a place) is a person; any other is asked about to
    the NER model, which rules it out when it tags all of it as something else ('Vestre
    Viken', 'Unge Funksjonshemmede'), and a phrase of common words with no first name is no
    person ('Parti Funksjon', 'Sjeldne Diagnoser'). The model, asked about a short unusual
    name alone, may call it an organisation ('Odd Ry'), which the first name overrides."""
    plain = " ".join(name.replace(",", " ").split())
    if not looks_like_person_name(plain):
        return False
    if _distinct_first_name(plain.split()[0]):
        return True
    if not PERSON_DETECTOR.is_person(plain):
        return False
    tokens = [t for t in plain.split() if not re.fullmatch(rf"{INITIAL}(?:-?{INITIAL})?", t)]
    if any(is_first_name(t) for t in tokens):
        return True
    common = _common_words()
    return not all(common.get(t.lower(), 0) >= 2 for t in tokens)


def _two_name_splits(run: list[tuple[int, int, str]], expect_two: bool = False) -> list[int]:
    """Where a run of name words may hold two names: the second starts with a first name
    after a word that is not one ('… Bævre | Eva Jorid Svendsen'), best candidates first.
    With ``expect_two`` every split into two names of two words or more is a candidate,
    those starting the second name with a first name (and not an initial) first."""
    candidates = []
    for i in range(2, len(run) - 1):
        prev, word = run[i - 1][2], run[i][2]
        if is_first_name(word) and not is_first_name(prev) and not re.fullmatch(INITIAL, prev):
            candidates.append(i)
    if expect_two:
        rest = [i for i in range(2, len(run) - 1) if i not in candidates]
        rest.sort(key=lambda i: (bool(re.fullmatch(INITIAL, run[i][2])), is_first_name(run[i - 1][2]),
                                 abs(i - (len(run) - i))))
        candidates += rest
    return candidates


_GLUE = re.compile(rf"(?<=[{LOWER}\)])(?=[{UPPER}][{LOWER}])")


def unglue(text: str) -> list[str]:
    """'Jon Skarvøy, leiarAnne Lise H. Følsvik' -> ['Jon Skarvøy, leiar', 'Anne Lise H. Følsvik'].

    Items of a flattened list lose their separator; a lower-case letter or ')' followed
    directly by a capitalised word marks the seam. A seam inside a name ('McAdam',
    'DeLuca') has at most three letters before it in its word and is left alone.
    """
    parts, start = [], 0
    for m in _GLUE.finditer(text):
        word_start = max(text.rfind(" ", 0, m.start()), text.rfind("(", 0, m.start())) + 1
        if m.start() - word_start <= 3 and text[m.start() - 1] != ")":
            continue
        parts.append(text[start:m.start()].strip())
        start = m.start()
    parts.append(text[start:].strip())
    return [p for p in parts if p]
