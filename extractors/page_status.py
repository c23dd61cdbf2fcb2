"""What kind of page a capture is, and its text: what the history rules need from a page.

The history never re-reads raw HTML. It reads two things from the extraction instead:

* the **page status** — ``ok``, ``empty`` (no text at all), ``truncated`` (nested deeper than
  the HTML parser reads, so extraction saw only part of it) or ``error`` (an error or
  maintenance template served as a page: its title or main heading says "Siden finnes ikke",
  "Vi utfører vedlikehold", "404 Not Found" ... and nobody is listed on it). Only phrases an
  error page uses count, never a single word, so a body called "Fagråd for drift og
  vedlikehold" is an ordinary page;
* the **page text** — every word a reader sees (navigation, scripts and footers aside), read
  with no depth limit, so that "is this person still named on the page?" can be answered
  even where the member list was read badly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from lxml import etree
from lxml import html as lxml_html

from extractors.text import strip_invisible

MAX_TEXT = 200_000  # characters of page text kept; member pages are far shorter
_UNSEEN = ("script", "style", "noscript", "template", "nav", "header", "footer", "aside", "form", "svg", "button", "select")
_HEADINGS = "//title|//h1|//h2"
ERROR_PHRASES = re.compile(
    r"\b(?:(?:under|for|grunnet|grunna|pga\.?|på grunn av|på grunn av planlagt|utfører(?: planlagt)?|planlagt)\s+vedlikehald|"
    r"(?:under|for|grunnet|grunna|pga\.?|på grunn av|utfører(?: planlagt)?|utfører no|planlagt)\s+vedlikehold|"
    r"vedlikehold(?:et)? pågår|nede for vedlikehold|midlertidig (?:utilgjengelig|utilgjengeleg|nede|stengt)|"
    r"(?:siden|sida) (?:finnes ikke|finst ikkje|er ikke tilgjengelig|er ikkje tilgjengeleg|du leter etter|du leitar etter)|"
    r"fant ikke siden|finner ikke siden|fann ikkje sida|finn ikkje sida|noe gikk galt|noko gjekk gale|teknisk feil|"
    r"(?:page|file|side) not found|not found|"
    r"service (?:temporarily )?unavailable|internal server error|bad gateway|gateway time-?out|"
    r"(?:under|down for|scheduled) maintenance|maintenance (?:mode|in progress)|access denied|forbidden)\b",
    re.IGNORECASE,
)
ERROR_CODES = re.compile(r"^\W*(?:error\s+)?(?:40[0-9]|50[0-9])\b", re.IGNORECASE)  # a title or heading that starts with one


@dataclass(frozen=True)
class PageStatus:
    status: str  # ok | empty | truncated | error
    reason: str | None
    text: str


def page_status(html: str, title: str | None, member_count: int, parsed=None) -> PageStatus:
    """The status and text of a page; `title` and `member_count` are what extraction read from it.
    ``parsed``: the page as extraction parsed it (without the huge-tree option), done with and
    free to change; when it is not deep enough to have lost anything, its text is the page's."""
    if parsed is not None and not _deep(parsed):
        tree = parsed
    else:
        tree = _parse(html, huge=True)
    if tree is None:
        return PageStatus("empty", "the page is empty", "")
    text, headings = _text(tree), [_clean(" ".join(h.itertext())) for h in tree.xpath(_HEADINGS)]
    if not text:
        return PageStatus("empty", "the page has no text", "")
    if tree is not parsed and _deep(tree) and len(_text(_parse(html, huge=False))) < len(text):
        return PageStatus("truncated", "the page is nested too deep for the HTML parser to read all of it", text)
    if member_count == 0:
        for heading in [title or "", *headings]:
            if ERROR_PHRASES.search(heading) or ERROR_CODES.search(heading):
                return PageStatus("error", f"looks like an error or maintenance page ({heading[:80]!r})", text)
    return PageStatus("ok", None, text)


# libxml2 stops reading below 256 levels unless told otherwise; a page not that deep cannot
# have lost anything, so the second parse is only needed for one that is (most pages are not).
def _deep(tree) -> bool:
    return bool(tree.xpath("boolean(//*[count(ancestor::*) >= 250])"))  # a compiled XPath is not shared across threads


def _parse(html: str, huge: bool):
    if not html or not html.strip():
        return None
    parser = lxml_html.HTMLParser(huge_tree=huge, remove_comments=True, remove_pis=True, encoding="utf-8")
    data = html.encode("utf-8", errors="replace")
    try:
        return lxml_html.document_fromstring(data, parser=parser)
    except (etree.ParserError, ValueError):
        return None


def _text(tree) -> str:
    root = tree.body
    for element in root.xpath(" | ".join(f"//{tag}" for tag in _UNSEEN)):
        if element.getparent() is not None:
            element.drop_tree()
    return _clean(" ".join(root.itertext()))[:MAX_TEXT]


def _clean(text: str) -> str:
    return " ".join(strip_invisible(text).split())
