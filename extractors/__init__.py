"""extractors: pure functions from a stored page to an :class:`Extraction`.

``extract(html, source)`` reads the article (not the chrome), its sections, the mandate,
the groups with their members and chairs, the page dates and links to related bodies.
No I/O, no network, no clock: the same bytes and the same ``EXTRACTOR_VERSION`` give
the same JSON. Bump ``EXTRACTOR_VERSION`` whenever a change can alter any output.
"""

from __future__ import annotations

from extractors.content import parse_document
from extractors.dates import page_dates
from extractors.groups import extract_groups
from extractors.language import detect_language
from extractors.links import related_links
from extractors.mandate import page_mandate
from extractors.model import Extraction, Group, Member, RelatedLink
from extractors.names import candidate_names
from extractors.page_status import page_status
from extractors.persons import PERSON_DETECTOR
from extractors.sections import split_sections

__all__ = ["EXTRACTOR_VERSION", "Extraction", "Group", "Member", "RelatedLink", "extract"]

RULES_VERSION = "0.9.13"
EXTRACTOR_VERSION = f"{RULES_VERSION}+{PERSON_DETECTOR.version}"


def extract(html: str, source: str, *, url: str | None = None, language: str | None = None) -> Extraction:
    """Read one page. ``language`` is the source's declared language, used only as a hint."""
    html = html.replace("\x00", "")  # a browser ignores NUL in text; the HTML parser would make it U+FFFD
    doc = parse_document(html, url)
    PERSON_DETECTOR.prefetch(n for b in doc.blocks for n in candidate_names(b.text))
    sections = split_sections(doc.blocks)
    related = related_links(doc.blocks, doc.base_url)
    dates = page_dates(doc.nearby_text, doc.tree if doc.tree is not None else html)
    body_text = " ".join(b.text for b in doc.blocks)
    groups = extract_groups(sections, doc.title, related, url or doc.base_url)
    page = page_status(html, doc.title, sum(len(g.members) for g in groups), parsed=doc.tree)  # last use of the tree
    return Extraction(
        source=source,
        url=url or doc.base_url,
        extractor_version=EXTRACTOR_VERSION,
        title=doc.title,
        language=detect_language(doc.lang, body_text, language),
        published=dates.published,
        updated=dates.updated,
        mandate=tuple(page_mandate(sections)),
        groups=groups,
        related=related,
        page_status=page.status,
        page_status_reason=page.reason,
        page_text=page.text,
    )

