"""Bytes to text as a browser reads them; the one decoder for fetched, replayed and backfilled copies.

The charset comes from, in order: the Content-Type header, a byte order mark, a `<meta>`
declaration, and for a page that declares nothing, detection: a body that is UTF-8 (up to a
few stray bytes) is UTF-8, anything else goes to charset-normalizer (see `detect`). As browsers do
(WHATWG Encoding), a page labelled ISO-8859-1 or ASCII is read as windows-1252.

Decoding drops what no reader sees and what would corrupt a name: control characters,
replacement characters left by invalid bytes, soft hyphens and zero-width characters.
"""

from __future__ import annotations

import codecs
import re

from bs4.dammit import EncodingDetector
from charset_normalizer import from_bytes

_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii", "iso_8859-1", "cp819", "ibm819"}
_UNSEEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u00ad\u200b-\u200f\u2060\ufeff\ufffd]")
TIE = 0.01  # detection scores this close are a tie, which the locale's default breaks
_SNIFF = 8192  # bytes a <meta> declaration is looked for in


def choose_charset(header_charset: str | None, body: bytes) -> tuple[str, str]:
    """(charset, where it came from): "header", "bom", "meta" or "detected"."""
    if header_charset and _codec(header_charset):
        return _codec(header_charset), "header"
    for mark, charset in _BOMS:
        if body.startswith(mark):
            return charset, "bom"
    declared = EncodingDetector.find_declared_encoding(body[:_SNIFF], is_html=True)
    if declared and _codec(declared):
        return _codec(declared), "meta"
    return detect(body), "detected"


def detect(body: bytes) -> str:
    """The charset of a body that declares none.

    UTF-8 when its valid multi-byte characters outnumber its invalid bytes (a few stray bytes
    in a UTF-8 page). Otherwise charset-normalizer's best guess; where single-byte code pages
    tie (short Norwegian text reads as well in windows-1250 as in windows-1252), windows-1252,
    the default browsers use for Norwegian pages, as WHATWG's locale fallback does.
    """
    text = body.decode("utf-8", errors="replace")
    invalid = text.count("\ufffd")
    valid = sum(1 for c in text if ord(c) > 127) - invalid
    if invalid == 0 or valid > invalid:
        return "utf-8"
    matches = list(from_bytes(body))
    if not matches:
        return "windows-1252"
    best = matches[0]
    tied = [m.encoding for m in matches if m.chaos <= best.chaos + TIE and m.coherence >= best.coherence - TIE]
    return "windows-1252" if "cp1252" in tied else (_codec(best.encoding) or "windows-1252")


def decode(body: bytes, charset: str | None) -> str:
    """The text of a body: `charset` (else as `choose_charset` finds it), BOM and unseen characters dropped."""
    codec = _codec(charset) if charset else None
    codec = codec or choose_charset(None, body)[0]
    for mark, _ in _BOMS:
        if body.startswith(mark):
            body = body[len(mark) :]
            break
    return _UNSEEN.sub("", body.decode(codec, errors="replace"))


def _codec(name: str | None) -> str | None:
    """The Python codec a charset label names (windows-1252 for latin-1 labels), or None if unknown."""
    label = (name or "").strip().strip("\"'").lower()
    if label in _WINDOWS_1252:
        return "windows-1252"
    try:
        codec = codecs.lookup(label).name if label else None
    except LookupError:
        return None
    return "windows-1252" if codec == "cp1252" else codec
