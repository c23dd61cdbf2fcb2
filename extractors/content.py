"""The article, not the chrome: locate the main content and read it as a list of blocks.

trafilatura is good at telling the article from navigation, banners and footers, but its
text drops lists, link lists and table structure. So trafilatura only *votes*: the DOM
element that holds (nearly) all the text trafilatura kept is the article root, and the
blocks (headings, paragraphs, list items, table rows, with their links and boldness) are
then read from that element's DOM with lxml, so list and table structure survives.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import trafilatura
from lxml import html as lxml_html
from lxml.etree import ParserError

from extractors.text import clean, has_bullet, strip_bullet

HEADING_TAGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
_SKIP_TAGS = {
    "script", "style", "noscript", "template", "nav", "aside", "form", "button", "select",
    "svg", "iframe", "footer", "input", "textarea", "img", "picture", "video", "audio",
}
_PARAGRAPH_TAGS = {"p", "dt", "dd", "figcaption", "address", "pre", "caption"}
_BOLD_TAGS = {"strong", "b"}
# Parts of a block structure; the article root is always above them.
_PART_TAGS = {"p", "li", "ul", "ol", "td", "th", "tr", "tbody", "thead", "table", "dd", "dt", "dl",
              "h1", "h2", "h3", "h4", "h5", "h6"}
# Class/id words of chrome ('related' and 'banner' are left out: CMSs use them for an
# article's own link lists and title banners).
_CHROME_TOKENS = {
    "cookie", "cookies", "consent", "breadcrumb", "breadcrumbs", "crumbs", "browser",
    "skip", "feedback", "share", "social", "menu", "nav", "navigation", "search",
    "toolbar", "print", "newsletter", "outdated", "sidebar", "alert", "modal", "popup", "topbar",
}
_CHROME_ROLES = {"navigation", "banner", "contentinfo", "complementary", "search", "dialog", "alert"}
_TOKEN_SPLIT = re.compile(r"[\s_-]+")


@dataclass(frozen=True)
class Link:
    text: str
    href: str


@dataclass(frozen=True)
class Block:
    """One readable unit of the article.

    kind: 'heading' (h1-h6), 'text' (a paragraph or a line of one), 'item' (a list item,
    a typed bullet line or a line of a <br> list) or 'row' (a table row; cells and header).
    Items and rows of one list share ``list_id``; ``continues`` marks a further line of the
    item before it (a list item broken by <br>: "Navn (ny)" / "Org. Foreslått av X.").
    """

    kind: str
    text: str
    level: int = 0
    bold: bool = False
    list_id: int = -1
    cells: tuple[str, ...] = ()
    header: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    continues: bool = False


@dataclass(frozen=True)
class Document:
    """What later steps read: the article blocks, plus page-level facts from the whole DOM."""

    blocks: tuple[Block, ...]
    title: str | None
    lang: str | None
    base_url: str | None
    nearby_text: str  # the article's text, then each enclosing element's, out to <body>
    tree: object = None  # the parsed page (lxml), for the readers that take a tree (htmldate)


def parse_document(html: str, url: str | None = None) -> Document:
    root = _parse(html)
    if root is None:
        return Document((), None, None, url, "")
    seen: dict = {}
    article = _article_root(root, seen)
    blocks = tuple(_Walker(seen).run(article))
    return Document(
        blocks=blocks,
        title=_title(root, seen),
        lang=_lang(root),
        base_url=url or _canonical(root),
        nearby_text=_nearby_text(article),
        tree=root,
    )


def _parse(html: str):
    if not html or not html.strip():
        return None
    try:
        return lxml_html.document_fromstring(html)
    except ValueError:  # a str that still carries an XML encoding declaration
        return lxml_html.document_fromstring(html.encode("utf-8"))
    except ParserError:
        return None


def _tag(el) -> str:
    return el.tag.lower() if isinstance(el.tag, str) else ""


def _is_chrome(el) -> bool:
    tag = _tag(el)
    if tag in _SKIP_TAGS:
        return True
    parent = el.getparent()
    if tag == "header" and ((parent is not None and _tag(parent) == "body") or el.xpath(".//nav|.//form")):
        return True  # the site header; an article's own <header> holds its title and ingress
    if (el.get("role") or "").lower() in _CHROME_ROLES:
        return True
    if el.get("hidden") is not None or (el.get("aria-hidden") or "").lower() == "true":
        return True
    names = f"{el.get('class') or ''} {el.get('id') or ''}".lower()
    return any(tok in _CHROME_TOKENS for tok in _TOKEN_SPLIT.split(names))


def _in_chrome(el, seen: dict) -> bool:
    """The element or an ancestor is chrome; ``seen`` memoises it per document, since
    every candidate element asks again about the same few ancestors."""
    if el not in seen:
        parent = el.getparent()
        seen[el] = _is_chrome(el) or (parent is not None and _in_chrome(parent, seen))
    return seen[el]


def _article_root(root, seen: dict):
    """The deepest element holding nearly all the text trafilatura calls main content.
    trafilatura reads the tree parsed here (it works on a copy), so the page is parsed once."""
    body = root.find("body") if root.find("body") is not None else root
    kept = trafilatura.extract(
        root, include_tables=True, include_comments=False, favor_recall=True, deduplicate=False
    )
    if not kept:
        return _semantic_root(body, seen)
    kept_text = clean(kept)
    weights: dict = {}
    for el in body.iter("p", "li", "td", "th", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6"):
        text = clean(el.text_content())
        if len(text) >= 12 and text in kept_text and not _in_chrome(el, seen):
            weights[el] = len(text)
    total = sum(weights.values())
    if not total:
        return _semantic_root(body, seen)
    shares: dict = {}
    for el, weight in weights.items():
        for holder in (el, *el.iterancestors()):
            shares[holder] = shares.get(holder, 0) + weight
    holders = [el for el, share in shares.items() if share >= 0.95 * total and not _is_chrome(el)]
    root = max(holders, key=_depth) if holders else body
    while _tag(root) in _PART_TAGS and root.getparent() is not None:
        root = root.getparent()
    return root


def _depth(el) -> int:
    return sum(1 for _ in el.iterancestors())


def _semantic_root(body, seen: dict):
    for xpath in ("//main", "//*[@role='main']", "//article"):
        found = [e for e in body.xpath(xpath) if not _in_chrome(e, seen)]
        if len(found) == 1:
            return found[0]
    return body


class _Walker:
    """Reads an element tree into blocks, in document order."""

    def __init__(self, seen: dict) -> None:
        self.seen = seen
        self.blocks: list[Block] = []
        self.next_list = 0
        self.bullet_lists: set[int] = set()

    def run(self, el) -> list[Block]:
        self._walk(el)
        return self.blocks

    def _new_list(self) -> int:
        self.next_list += 1
        return self.next_list

    def _walk(self, el) -> None:
        tag = _tag(el)
        if not tag or _is_chrome(el):
            return
        if tag in HEADING_TAGS:
            text = clean(el.text_content())
            if text:
                self.blocks.append(Block("heading", text, level=HEADING_TAGS[tag], links=_links(el)))
        elif tag in ("ul", "ol"):
            self._list(el, self._new_list())
        elif tag == "table":
            self._table(el)
        elif tag == "dl":
            self._definitions(el)
        elif tag in _PARAGRAPH_TAGS or not _has_block_child(el):
            self._lines(el)
        else:
            self._mixed(el)

    def _mixed(self, el) -> None:
        """A container: block children walk on; loose inline text becomes its own lines."""
        run: list = [el.text or ""]
        for child in el:
            if _tag(child) in _INLINE_TAGS or not isinstance(child.tag, str):
                run.append(child)
            else:
                self._emit_lines(_split_lines(run))
                run = []
                self._walk(child)
            run.append(child.tail or "")
        self._emit_lines(_split_lines(run))

    def _list(self, el, list_id: int) -> None:
        for li in el:
            if _tag(li) != "li":
                if _tag(li) in ("ul", "ol"):
                    self._list(li, list_id)
                continue
            nested = [c for c in li if _tag(c) in ("ul", "ol")]
            lines = _item_lines(li, nested)
            for n, line in enumerate(lines):
                text = strip_bullet(line.text) if n == 0 else line.text
                self.blocks.append(Block("item", text, list_id=list_id, links=line.links, continues=n > 0))
            for sub in nested:
                self._list(sub, self._new_list())

    def _table(self, el) -> None:
        list_id = self._new_list()
        header: tuple[str, ...] = ()
        for tr in el.iter("tr"):
            cells = [c for c in tr if _tag(c) in ("td", "th")]
            texts = tuple(clean(c.text_content()) for c in cells)
            if not any(texts):
                continue
            if all(_tag(c) == "th" for c in cells):
                header = texts
                continue
            self.blocks.append(
                Block("row", " | ".join(t for t in texts if t), list_id=list_id,
                      cells=texts, header=header, links=_links(tr))
            )

    def _definitions(self, el) -> None:
        """A <dl> is one list: each <dd> an item, labelled by its <dt> ('Leder: Kari Nordmann')."""
        list_id = self._new_list()
        label = ""
        for child in el.iter("dt", "dd"):
            if _in_chrome(child, self.seen):
                continue
            text = clean(child.text_content())
            if _tag(child) == "dt":
                label = text.rstrip(":")
            elif text:
                item = f"{label}: {text}" if label else text
                self.blocks.append(Block("item", item, list_id=list_id, links=_links(child)))

    def _lines(self, el) -> None:
        run: list = [el.text or ""]
        for child in el:
            run.extend((child, child.tail or ""))
        self._emit_lines(_split_lines(run, bold=_tag(el) in _BOLD_TAGS))

    def _emit_lines(self, lines: list[_Line]) -> None:
        """A paragraph; its <br> lines and typed bullet lines become list items."""
        lines = [ln for ln in lines if ln.text]
        if not lines:
            return
        list_id = self._list_continuing() if has_bullet(lines[0].text) else -1
        if len(lines) > 1 or list_id != -1:
            list_id = list_id if list_id != -1 else self._new_list()
            titled = False  # the line before was a title over running text
            for n, line in enumerate(lines):
                following = lines[n + 1] if n + 1 < len(lines) else None
                title = following is not None and _title_over_text(line.text, following.text)
                if not has_bullet(line.text) and ((n == 0 and line.text.endswith(":")) or title or titled):
                    # a paragraph's title line and the running text under it, not list items:
                    # '<p>Bakgrunn<br>Bufdir har fått i oppdrag …</p>'
                    self.blocks.append(Block("text", line.text, bold=line.bold or title, links=line.links))
                    titled = title
                    continue
                titled = False
                self.blocks.append(
                    Block("item", strip_bullet(line.text), list_id=list_id, bold=line.bold, links=line.links)
                )
            return
        line = lines[0]
        self.blocks.append(Block("text", line.text, bold=line.bold, links=line.links))

    def _list_continuing(self) -> int:
        """Consecutive typed-bullet paragraphs ('<p>• ...</p>') form one list."""
        prev = self.blocks[-1] if self.blocks else None
        if prev is not None and prev.kind == "item" and prev.list_id in self.bullet_lists:
            return prev.list_id
        list_id = self._new_list()
        self.bullet_lists.add(list_id)
        return list_id


_INLINE_TAGS = {
    "a", "abbr", "b", "strong", "i", "em", "u", "span", "small", "sup", "sub", "br", "code",
    "mark", "time", "font", "q", "cite", "s", "del", "ins", "wbr", "img", "label",
}


def _running_text(text: str) -> bool:
    """A line of running prose: long, and ending like a sentence or a lead-in."""
    return len(text.split()) >= 8 and text.rstrip().endswith((".", ":", "!", "?"))


def _title_over_text(text: str, following: str) -> bool:
    """A short title line directly over running text in the same paragraph ('Bakgrunn' /
    'Bufdir har fått i oppdrag …'): the paragraph's heading."""
    return (len(text.split()) <= 5 and text[:1].isupper() and not text.rstrip().endswith((".", ",", ";", ":"))
            and not re.search(r"\d|@", text) and _running_text(following))


def _has_block_child(el) -> bool:
    return any(isinstance(c.tag, str) and _tag(c) not in _INLINE_TAGS for c in el.iterdescendants())


def _item_lines(li, nested: list) -> list["_Line"]:
    """A list item's own lines: split at <br> when it holds only inline content."""
    if not nested and not _has_block_child(li):
        run: list = [li.text or ""]
        for child in li:
            run.extend((child, child.tail or ""))
        lines = [ln for ln in _split_lines(run) if ln.text]
        if lines:
            return lines
    own = _own_text(li, exclude=nested)
    return [_Line(own, False, _links(li))] if own else []


def _own_text(el, exclude: list) -> str:
    parts = [el.text or ""]
    for child in el:
        if child in exclude:
            parts.append(child.tail or "")
            continue
        if isinstance(child.tag, str) and not _is_chrome(child):
            parts.append(child.text_content())
        parts.append(child.tail or "")
    return clean(" ".join(parts))


@dataclass
class _Line:
    text: str
    bold: bool
    links: tuple[Link, ...]


def _split_lines(run: list, bold: bool = False) -> list[_Line]:
    """An inline run (strings and inline elements) split at <br>, with boldness and links.

    A line is bold when all its visible text sits inside <b>/<strong>.
    """
    lines: list[list[tuple[str, bool]]] = [[]]
    links: list[list[Link]] = [[]]

    def visit(node, in_bold: bool) -> None:
        if node.text:
            lines[-1].append((node.text, in_bold))
        for child in node:
            descend(child, in_bold)
            if child.tail:
                lines[-1].append((child.tail, in_bold))

    def descend(child, in_bold: bool) -> None:
        tag = _tag(child)
        if tag == "br":
            lines.append([])
            links.append([])
        elif tag and not _is_chrome(child):
            if tag == "a" and child.get("href"):
                links[-1].append(Link(clean(child.text_content()), child.get("href").strip()))
            visit(child, in_bold or tag in _BOLD_TAGS)

    for piece in run:
        if isinstance(piece, str):
            lines[-1].append((piece, bold))
        else:
            descend(piece, bold)
    out = []
    for segs, lks in zip(lines, links):
        text = clean("".join(s for s, _ in segs))
        is_bold = any(s.strip() for s, _ in segs) and all(b for s, b in segs if s.strip())
        out.append(_Line(text, is_bold, tuple(lk for lk in lks if lk.text)))
    return out


def _links(el) -> tuple[Link, ...]:
    return tuple(
        Link(clean(a.text_content()), a.get("href").strip())
        for a in el.iter("a")
        if a.get("href") and clean(a.text_content())
    )


def _title(root, seen: dict) -> str | None:
    for h1 in root.iter("h1"):
        if not _in_chrome(h1, seen) and clean(h1.text_content()):
            return clean(h1.text_content())
    og = root.xpath("//meta[@property='og:title']/@content")
    if og and clean(og[0]):
        return clean(og[0])
    title = root.find(".//title")
    if title is not None and clean(title.text_content()):
        return re.split(r"\s+[|–-]\s+", clean(title.text_content()))[0]
    return None


def _lang(root) -> str | None:
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang")
    return lang.strip().lower() if lang else None


def _canonical(root) -> str | None:
    for xpath in ("//base/@href", "//link[@rel='canonical']/@href", "//meta[@property='og:url']/@content"):
        found = root.xpath(xpath)
        if found and found[0].strip():
            return found[0].strip()
    return None


def _nearby_text(article) -> str:
    """Page text ordered by distance from the article, so that its own dated footer is read
    before a teaser's date in a sidebar; dates live in chrome that the blocks leave out.

    Each ring is an enclosing element's text without the ring inside it, so every element
    is read once."""
    levels = [article, *(a for a in article.iterancestors() if _tag(a) != "html")]
    rings = [_visible_text(el, skip=inner) for inner, el in zip([None, *levels], levels)]
    return "\n".join(ring for ring in rings if ring)


_LINE_TAGS = {"br", "p", "div", "li", "tr", "td", "span", "section", "footer", "header", "dd", "dt",
              "h1", "h2", "h3", "h4", "h5", "h6", "time"}


def _visible_text(root, skip=None) -> str:
    """All text under an element but ``skip`` (scripts and comments left out), one line per
    block element."""
    pieces: list[str] = []

    def visit(el) -> None:
        tag = _tag(el)
        if not tag or tag in ("script", "style", "noscript", "template") or el is skip:
            return
        pieces.append("\n" if tag in _LINE_TAGS else "")
        pieces.append(el.text or "")
        for child in el:
            visit(child)
            pieces.append(child.tail or "")
        pieces.append("\n" if tag in _LINE_TAGS else "")

    visit(root)
    lines = (clean(line) for line in "".join(pieces).split("\n") if not line.isspace() and line)
    return "\n".join(line for line in lines if line)
