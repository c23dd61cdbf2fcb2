"""What the words around a name say about the seat: role, title, organisation, region,
party, place, status, who proposed the member, or nothing (a phone number, "e-post").

Member lines write these in any order after (or before) the name, separated by commas,
dashes, parentheses and full stops: "Navn, tittel, organisasjon", "Navn (parti), leder",
"Navn – Org (lagstype)", "Org. Foreslått av X.". Each piece is classified on its own by the
kind of thing it is (a seat role word, a known party, one of the health regions, a town,
a lower-case job title), never by the words of one page.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from extractors.names import is_title_word
from extractors.text import clean
from extractors.vocabulary import SEAT_ROLES, SUBSTITUTE_WORDS, is_region, is_regional_authority, words

# Norwegian political parties, Bokmål and Nynorsk, full names and the abbreviations lists use.
PARTY_NAMES = (
    "arbeiderpartiet", "arbeidarpartiet", "høyre", "høgre", "fremskrittspartiet",
    "framstegspartiet", "senterpartiet", "sosialistisk venstreparti", "venstre",
    "kristelig folkeparti", "kristeleg folkeparti", "miljøpartiet de grønne",
    "miljøpartiet dei grøne", "rødt", "raudt", "pensjonistpartiet", "kystpartiet",
    "demokratene", "industri- og næringspartiet", "partiet sentrum", "folkeaksjonen nei til mer bompenger",
    "tverrpolitisk liste", "bygdelista", "felleslista",
)
PARTY_ABBREVIATIONS = ("ap", "a", "h", "frp", "sp", "sv", "v", "krf", "mdg", "r", "pp", "pf", "kyst",
                       "inp", "fnb", "tvp", "bl", "fl", "ind", "uavh")
STATUS_WORDS = ("ny", "nytt", "gjenvalgt", "gjenvald", "attvald", "attval", "gjenval", "gjenoppnevnt", "attoppnemnd",
                "ny som leder")
# Seat roles proper, as CONVENTIONS.md lists them; the body's chair among them.
ROLE_WORDS = SEAT_ROLES + (
    "sekretariat", "ansatterepresentant", "ansattrepresentant", "tilsattrepresentant",
    "registerrepresentant", "tillitsvalgrepresentant", "brukerrepresentant", "brukarrepresentant",
    "vararepresentant", "personlig varamedlem", "personleg varamedlem", "nestleder og sekretær",
    "sekretær og nestleder", "kasserer", "kasserar", "skrivar", "styremedlem", "varamedlem", "observatør",
    "medlem", "tillitsvalgt", "tillitsvald", "visepresident", "ansattes representant", "tilsettes representant",
    "de ansattes representant", "dei tilsette sin representant",
)
GENERIC_LABELS = ("medlem", "medlemmer", "medlemar", "medlemmar", "representant", "representanter",
                  "representantar", "styremedlem", "styremedlemmer", "deltaker", "deltakar", "member", "members")
_CONTACT = re.compile(r"(?:\b(?:tlf|telefon|mobil|tel|e-post|epost|e-mail|email)\b|@|\+?\d[\d ]{6,}\d)", re.IGNORECASE)
_EMAIL = re.compile(r"<[^<>@\s]+@[^<>\s]+>|\S+@\S+\.\w+")
_PROPOSED = re.compile(r"^(?:foreslått|foreslege|føreslått|nominert|innstilt|oppnevnt|utpekt)\s+av\s+(?P<by>.+)$",
                       re.IGNORECASE)
_SINCE = re.compile(r"^(?:fra|frå|siden|sidan)?\s*(?:\d{1,2}\.\s*)?(?:\d{1,2}\.\s*)?(?P<year>(?:19|20)\d\d)$")
_LEADS_OTHER = re.compile(r"^(?P<role>leder|leiar|styreleder|styreleiar|nestleder|nestleiar|sekretær)\s+"
                          r"(?:(?:for|av|i|ved|på|til)\s+)?(?P<what>.+)$", re.IGNORECASE)
_REPRESENTS = re.compile(r"^(?P<role>[a-zæøå]+representant)\s+(?P<org>[A-ZÆØÅ0-9].*)$")
_TRAILING_ROLE = re.compile(r"^(?P<text>.*\S)\s*\((?P<role>[^()]+)\)$")
_TITLE_THEN_ORG = re.compile(r"^(?P<title>[a-zæøå][\wæøå.-]*(?:\s+[a-zæøå][\wæøå.-]*){0,3})\s+(?P<org>[A-ZÆØÅ][\wæøå-]*(?:\s+\S+)*)$")
_AT = re.compile(r"^(?P<title>.+?)\s+(?:ved|hos|i|på|for|fra|frå)\s+(?P<org>[A-ZÆØÅ0-9].*)$")
_THIS_BODY = ("utvalget", "utvalet", "rådet", "gruppa", "gruppen", "styret", "komiteen", "komitéen",
              "nettverket", "forumet", "panelet", "arbeidsgruppa", "arbeidsgruppen", "fagrådet")


@dataclass
class Seat:
    """What the words around one name say; ``None`` where they say nothing."""

    role: str | None = None
    title: str | None = None
    organisation: str | None = None
    region: str | None = None
    party: str | None = None
    place: str | None = None
    status: str | None = None
    proposed_by: str | None = None
    label: str | None = None
    notes: list[str] = field(default_factory=list)

    def fill(self, name: str, value: str | None) -> None:
        if value and getattr(self, name) is None:
            setattr(self, name, value)


@lru_cache(maxsize=1)
def _places() -> frozenset[str]:
    from extractors.ner.gazetteer import GAZETTEER_DIR

    return frozenset((GAZETTEER_DIR / "place.txt").read_text(encoding="utf-8").split("\n"))


def is_place(text: str) -> bool:
    """A town or municipality: 'Drammen', 'Mo i Rana', 'Sofienberg, Oslo', 'Ulvik i Hardanger'."""
    text = clean(text).strip(" .")
    if not text or not text[:1].isupper():
        return False
    if text in _places():
        return True
    within = re.fullmatch(r"(?P<place>\S+)\s+i\s+(?P<area>\S+)", text)  # 'Ulvik i Hardanger'
    if within:
        return within["place"] in _places() and within["area"][:1].isupper()
    parts = [p.strip() for p in text.split(",")]  # 'Sofienberg, Oslo'
    return len(parts) == 2 and parts[-1] in _places() and len(parts[0].split()) == 1 and parts[0][:1].isupper()


def party(text: str) -> str | None:
    t = clean(text).strip(" .()")
    low = t.lower()
    if low in PARTY_NAMES or (low in PARTY_ABBREVIATIONS and (t.isupper() or t[:1].isupper())):
        return t
    return None


def status(text: str) -> str | None:
    low = clean(text).strip(" .()").lower()
    return low if low in STATUS_WORDS else None


def role_word(text: str) -> str | None:
    """A seat role ('leder', 'Nestleder', 'varamedlem', 'sekretariat'), as written; None for others."""
    t = re.sub(r"^\d{1,2}\.\s*", "", clean(text).strip(" .,:;"))  # '(1. varamedlem)': a deputy's rank
    low = " ".join(words(t))
    if low in SUBSTITUTE_WORDS or low in ROLE_WORDS:
        return t
    if " " not in low and len(low) > 12 and low.endswith(("representant", "representantar")):
        return t  # 'studentrepresentant', 'elevrepresentant': a seat held for a group
        return t
    return None


def is_generic_label(text: str) -> bool:
    return " ".join(words(text)) in GENERIC_LABELS


def is_contact(text: str) -> bool:
    return bool(_CONTACT.search(text)) or clean(text).lower() in ("e-post", "epost", "send e-post", "kontakt")


def classify(part: str, seat: Seat, after_title: bool = False) -> None:
    """Put one piece of a member line into the seat: the first fitting field wins."""
    text = clean(_EMAIL.sub("", part)).strip(" ,;–—-")
    text = re.sub(r"\.$", "", text) if not re.search(r"\b[A-ZÆØÅa-zæøå]\.$", text) else text
    if not text:
        return
    if is_contact(text):
        seat.notes.append(text)
        return
    proposed = _PROPOSED.match(text)
    if proposed:
        seat.fill("proposed_by", proposed["by"].strip(" ."))
        return
    if status(text):
        seat.fill("status", status(text))
        return
    if _SINCE.match(text):
        seat.notes.append(text)
        return
    if party(text) and not is_place(text):
        seat.fill("party", party(text))
        return
    role = role_word(text)
    if role:
        if is_generic_label(role):
            seat.fill("label", role)
        else:
            seat.fill("role", role)
        return
    if _role_with_term(text, seat):
        return
    for_region = re.match(r"^(?:representant|representerer)\s+(?:for\s+)?(?P<region>.+)$", text, re.IGNORECASE)
    if for_region and is_region(for_region["region"]):  # '… – representant for Helse Vest': the seat's region
        seat.fill("region", clean(for_region["region"]))
        return
    represents = _REPRESENTS.match(text)
    if represents and role_word(represents["role"]):
        seat.fill("role", represents["role"])  # 'tillitsvalgrepresentant NSF'
        seat.fill("organisation", represents["org"])
        return
    trailing = _TRAILING_ROLE.match(text)
    if trailing and _describes(trailing["role"], seat):
        # 'Statped Vest (2018)', 'Mental Helse Sogn og Fjordane (leiar)', 'Tindfjord (ny)',
        # 'leder (Helse Sør-Øst)': what the parenthesis says, then the words before it
        classify(trailing["text"], seat, after_title)
        return
    if trailing and role_word(trailing["text"]) and trailing["role"][:1].isupper():
        seat.fill("role", role_word(trailing["text"]))  # 'brukerrepresentant (Norsk forening for X)'
        seat.fill("organisation", trailing["role"])
        return
    leads = _LEADS_OTHER.match(text)
    if leads and not role_word(leads["what"]):
        # 'leder for utvalget' (this body: a seat), 'leder for Leppe-ganespalteforeningen',
        # 'Leder FMK' (another body: also a title, and its organisation)
        seat.fill("role", text)
        if not leads_this_body(text):
            seat.fill("title", text)
            if leads["what"][:1].isupper():
                seat.fill("organisation", leads["what"])
        return
    if is_region(text) and not after_title:
        if is_regional_authority(text):
            seat.fill("organisation", text)
        else:
            seat.fill("region", text)
        return
    at_org = re.match(r"^(?:ved|hos|i|på|fra|frå|for)\s+(?P<org>[A-ZÆØÅ].*)$", text)
    if at_org:  # 'ved Forskningsadministrativ avdeling'
        seat.fill("organisation", at_org["org"])
        return
    if text[:1].islower() and looks_like_organisation(text) and not _AT.match(text) and not _TITLE_THEN_ORG.match(text):
        seat.fill("organisation", text)  # 'direktoratet for eHelse', 'oslo universitetssykehus'
        return
    if text[:1].islower() or is_title_word(text.split()[0]):
        at = _AT.match(text)
        if at and not is_place(at["org"]):
            seat.fill("title", at["title"])
            org = re.split(r"\s+og\s+(?=[a-zæøå])", at["org"])[0]
            seat.fill("organisation", org)
            return
        titled = _TITLE_THEN_ORG.match(text)
        if titled and not is_place(titled["org"]):
            seat.fill("title", titled["title"])  # 'logoped Statped Sørøst', 'plastikkirurg Oslo Universitetssykehus'
            seat.fill("organisation", titled["org"])
            return
        seat.fill("title", text)
        return
    if is_place(text):
        seat.fill("place", text)
        return
    seat.fill("organisation", text)


_ORGANISATION_ENDINGS = (
    "direktoratet", "instituttet", "registeret", "foreningen", "forening", "foreininga", "tilsynet",
    "departementet", "forbundet", "forbund", "organisasjon", "organisasjonen", "sykehus", "sykehuset",
    "sjukehus", "sjukehuset", "universitet", "universitetet", "høgskule", "høgskolen", "høyskolen",
    "senter", "senteret", "kommune", "kommunen", "fylkeskommune", "foretak", "føretak", "selskap",
    "selskapet", "klinikk", "klinikken", "etaten", "verket", "lag", "laget", "rådet", "styret", "akademi",
    "tjenesten", "tenesta", "ombudet", "fakultet", "fakultetet", "biblioteket", "senteret", "forbundet",
)
# Units inside an organisation ('seksjon for eiendom', 'Fagavdelingen'): an organisation column
# may hold one, but a unit written beside an organisation is not that organisation.
_UNIT_ENDINGS = ("avdeling", "avdelingen", "avdelinga", "seksjon", "seksjonen", "kontor", "kontoret", "enhet",
                 "enheten", "eininga")


def _describes(paren: str, seat: Seat) -> bool:
    """A parenthesis after a piece that is a year or age, a status, a seat role or a region;
    it is put in the seat and True returned."""
    paren = clean(paren)
    if _SINCE.match(paren) or re.fullmatch(r"\d{1,3}", paren):
        seat.notes.append(paren)
    elif status(paren):
        seat.fill("status", status(paren))
    elif role_word(paren):
        seat.fill("role", role_word(paren))
    elif is_region(paren) and not is_regional_authority(paren):
        seat.fill("region", paren)
    elif _MEMBER_KIND.fullmatch(paren):
        seat.notes.append(paren)  # '(eksternt medlem)', '(uten stemmerett)': how the seat is held
    else:
        return False
    return True


_MEMBER_KIND = re.compile(r"(?:eksternt?|internt?|fast|faste|ordinært?|vanleg|vanlig)\s+(?:medlem|representant)|"
                          r"(?:uten|utan|med)\s+stemmerett|(?:ekstern|intern)", re.IGNORECASE)


def looks_like_organisation(text: str, units: bool = False) -> bool:
    """'direktoratet for eHelse', 'oslo univeristetssykehus', 'NSF': an organisation's words
    (with ``units``, also a unit's: 'Fagavdelingen')."""
    ws = words(text)
    endings = _ORGANISATION_ENDINGS + (_UNIT_ENDINGS if units else ())
    if any(len(w) > 5 and w.endswith(endings) for w in ws):
        return True
    return bool(re.fullmatch(r"[A-ZÆØÅ]{2,6}", clean(text)))


def _role_with_term(text: str, seat: Seat) -> bool:
    """'leder fra 01.01.2022-31.12.2023', 'leiar til 2025': a seat role with its term."""
    m = re.match(r"^(?P<role>\w+)\s+(?:fra|frå|til|t\.o\.m\.|f\.o\.m\.)\s+[\d.\s–-]+.*$", text)
    if m and role_word(m["role"]):
        seat.fill("role", text)
        return True
    return False


def leads_this_body(role: str) -> bool:
    """'leder for utvalget', 'leiar av rådet': a seat in this very body, not a title elsewhere."""
    m = _LEADS_OTHER.match(clean(role))
    return bool(m) and bool(words(m["what"])) and words(m["what"])[0] in _THIS_BODY
