"""Is this an HTML page? Asked of every local copy before it is read as one.

A saved file handed to `extract`, `track --replay` or `backfill --html` may be anything: a
screenshot, a PDF of the page, a text export, an empty file from a failed download. Read as
HTML, each of these yields an empty extraction that looks like a page without members. So
the bytes are looked at first, as a browser sniffs a resource with no type: empty or blank,
a known binary format (`filetype` names it by its magic number), bytes no text has (the
WHATWG "binary data bytes"), or text with no HTML markup at all.
"""

from __future__ import annotations

import re

import filetype

_BINARY = re.compile(rb"[\x00-\x08\x0b\x0e-\x1a\x1c-\x1f]")
_MARKUP = re.compile(
    rb"<(?:!doctype\s+html|html|head|body|title|meta|main|article|section|div|p|h[1-6]|ul|ol|li|table|a|br|span)[\s>/]",
    re.I,
)
SNIFF_BYTES = 64 * 1024


def not_html(body: bytes) -> str | None:
    """Why `body` is not an HTML page, worded to follow its name ("is empty"); None if it is one."""
    if not body.strip():
        return "is empty" if not body else "holds only white space"
    kind = filetype.guess(body[:8192])
    if kind is not None:
        return f"is {kind.mime} (a .{kind.extension} file), not an HTML page"
    head = body[:SNIFF_BYTES]
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 with its byte order mark: look at it as text
        head = head.decode("utf-16", errors="replace").encode("utf-8")
    if b"\x00" in head[:1445] or (_BINARY.search(head[:1445]) and not _MARKUP.search(head)):
        return "is binary data, not an HTML page"  # a stray control character in a real page is the page's problem
    if not _MARKUP.search(head):
        return "is plain text with no HTML markup, not an HTML page"
    return None
