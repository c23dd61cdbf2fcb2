"""Page dates: "Først publisert" and "Sist (fagleg) oppdatert / Sist endret", from the DOM.

trafilatura drops the footer line that carries them and htmldate returns the first
publication, never the update, so the labelled dd.mm.yyyy dates are read from the page
text; htmldate is asked only when the page prints no labelled date at all.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_MONTHS = {
    "januar": 1, "februar": 2, "mars": 3, "april": 4, "mai": 5, "juni": 6, "juli": 7,
    "august": 8, "september": 9, "oktober": 10, "november": 11, "desember": 12,
}
_DATE = (
    r"(?:(?P<d>\d{1,2})\.\s*(?:(?P<m>\d{1,2})\.\s*|(?P<mname>[a-zæøå]+)\s+)(?P<y>\d{4})"
    r"|(?P<iy>\d{4})-(?P<im>\d{2})-(?P<id>\d{2}))"
)
_PUBLISHED = re.compile(rf"\b(?:Først publisert|Fyrst publisert|Publisert)\s*:?\s*{_DATE}", re.IGNORECASE)
_UPDATED = re.compile(
    rf"\b(?:Sist\s+(?:fagleg\s+|faglig\s+)?(?:oppdatert|endret|endra|revidert)|Oppdatert|Endret)\s*:?\s*{_DATE}",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class PageDates:
    published: str | None
    updated: str | None


def page_dates(text: str, html: str) -> PageDates:
    """Labelled dates from ``text`` (nearest the article first); htmldate as the fallback."""
    published = _first(_PUBLISHED, text)
    updated = _first(_UPDATED, text)
    if published is None and updated is None:
        published = _htmldate(html)
    return PageDates(published, updated)


def _first(pattern: re.Pattern[str], text: str) -> str | None:
    for m in pattern.finditer(text):
        iso = _iso(m)
        if iso:
            return iso
    return None


def _iso(m: re.Match[str]) -> str | None:
    if m["iy"]:
        day, month, year = int(m["id"]), int(m["im"]), int(m["iy"])
    else:
        month = int(m["m"]) if m["m"] else _MONTHS.get((m["mname"] or "").lower())
        day, year = int(m["d"]), int(m["y"])
    if not month or not 1 <= month <= 12 or not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


def _htmldate(html) -> str | None:
    """Metadata dates only (no guessing from text), with fixed bounds so runs agree. ``html``
    is the parsed page (or its text when it could not be parsed)."""
    from htmldate import find_date

    try:
        return find_date(
            html, original_date=True, extensive_search=False,
            min_date="1995-01-01", max_date="2100-12-31",
        )
    except (ValueError, TypeError):
        return None
