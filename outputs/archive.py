"""A stored capture as a page a person can open offline, with nothing of the page able to run.

The HTML report links each change to the page as it was captured before and after, written
beside the report. A captured page is untrusted: lxml_html_clean removes its scripts, event
handler attributes, `javascript:` links, frames, embedded objects, forms and `<meta>`/`<base>`
tags; a strict Content-Security-Policy (nothing may load or run, no base URL, no form
target) is then the only `<meta>` in its head, so a trick the cleaner missed still cannot run
or fetch anything. Links are made absolute to the page's own URL (in-page `#` links stay),
so a click leads to the live site plainly, not to a broken local path. A banner says what the copy is.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from urllib.parse import urljoin

import lxml.html
from lxml import etree
from lxml_html_clean import Cleaner

CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'"

_CLEANER = Cleaner(
    scripts=True,
    javascript=True,
    comments=True,
    style=False,
    inline_style=False,
    links=True,
    meta=True,
    page_structure=False,
    processing_instructions=True,
    embedded=True,
    frames=True,
    forms=True,
    annoying_tags=True,
    remove_unknown_tags=False,
    safe_attrs_only=False,
    kill_tags=["base", "noscript", "template"],
)

BANNER_STYLE = (
    "all:initial;display:block;font:14px/1.4 system-ui,sans-serif;background:#fff8d6;color:#222;"
    "border-bottom:2px solid #c9a400;padding:.5em 1em"
)


@dataclass(frozen=True)
class CapturedPage:
    """What a stored capture holds: its id, where and when it was taken, and the decoded page."""

    capture_id: int
    source: str
    url: str
    at: str
    text: str


def archived_page(page: CapturedPage) -> str:
    """The capture as a standalone HTML document: scripts removed, strict CSP, a banner on top."""
    try:
        document = lxml.html.document_fromstring(page.text or "<p></p>")
    except (ValueError, etree.ParserError):
        document = lxml.html.document_fromstring("<p></p>")
    _CLEANER(document)
    if page.url.startswith(("http://", "https://")):
        document.rewrite_links(lambda link: link if link.startswith("#") else urljoin(page.url, link))
    for element in document.iter("a"):
        element.set("rel", "noopener noreferrer")
    body = document.find("body")
    if body is None:
        body = lxml.html.Element("body")
        document.append(body)
    body.insert(0, lxml.html.fragment_fromstring(_banner(page)))
    head = document.find("head")
    if head is None:
        head = lxml.html.Element("head")
        document.insert(0, head)
    head.insert(0, lxml.html.fragment_fromstring(f'<meta http-equiv="Content-Security-Policy" content="{CSP}">'))
    head.insert(0, lxml.html.fragment_fromstring('<meta charset="utf-8">'))
    return "<!DOCTYPE html>\n" + lxml.html.tostring(document, encoding="unicode") + "\n"


def _banner(page: CapturedPage) -> str:
    url = html.escape(page.url, quote=True)
    return (
        f'<div style="{BANNER_STYLE}" id="rosterwatch-archived"><strong>Archived copy</strong> of '
        f"{url} as rosterwatch captured it at {html.escape(page.at)} (capture {page.capture_id}, "
        f"{html.escape(page.source)}). Scripts removed; nothing on this page loads or runs.</div>"
    )
