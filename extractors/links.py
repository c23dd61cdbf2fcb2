"""Related bodies: links in the article whose title names a body (a regional
fagnettverk, a working group), with absolute URLs, so a maintainer can track them too."""

from __future__ import annotations

import re
from urllib.parse import urljoin, urlsplit

from extractors.content import Block
from extractors.model import RelatedLink
from extractors.vocabulary import BODY_STEMS, words

_DATEISH = re.compile(r"\d{4}|\d{1,2}\.\s*\w+")


def related_links(blocks: tuple[Block, ...], base_url: str | None) -> tuple[RelatedLink, ...]:
    seen: set[tuple[str, str]] = set()
    out: list[RelatedLink] = []
    for block in blocks:
        for link in block.links:
            if not _names_a_body(link.text) or link.href.startswith(("mailto:", "tel:", "#", "javascript:")):
                continue
            url = urljoin(base_url, link.href) if base_url else link.href
            if not urlsplit(url).scheme.startswith("http") and base_url:
                continue
            key = (link.text, url)
            if key not in seen:
                seen.add(key)
                out.append(RelatedLink(title=link.text, url=url))
    return tuple(out)


def _names_a_body(title: str) -> bool:
    """'Regionalt fagnettverk Helse Nord' yes; 'Referat fra ... fagråd 18. mai 2021' no."""
    head = words(title)[:2]
    return bool(head) and not _DATEISH.search(title) and any(
        stem in w for w in head for stem in BODY_STEMS
    )
