"""Bytes to text like a browser (`snapshots.charset`): header, then BOM, then meta, then detection;
the one decoder for fetched, replayed and backfilled copies."""

from __future__ import annotations

from datetime import datetime, timezone

from extractors import EXTRACTOR_VERSION
from extractors.model import Extraction
from flows.config import Source
from flows.pipeline import process_pending, replay_capture
from snapshots.charset import choose_charset, decode, detect
from snapshots.store import SnapshotStore

TEXT = "<html><head><title>Fagråd</title></head><body><p>Grethe Foss, Asbjørg Stray-Pedersen, Lars Ødegård – æøå</p></body></html>"


def test_the_header_wins_then_the_bom_then_meta():
    latin = TEXT.encode("cp1252")
    assert choose_charset("ISO-8859-1", latin) == ("windows-1252", "header")
    assert choose_charset("no-such-charset", b"\xef\xbb\xbf" + TEXT.encode()) == ("utf-8", "bom")
    assert choose_charset(None, b"\xff\xfe" + TEXT.encode("utf-16-le")) == ("utf-16-le", "bom")
    meta = TEXT.replace("<head>", '<head><meta charset="windows-1252">').encode("cp1252")
    assert choose_charset(None, meta) == ("windows-1252", "meta")
    assert choose_charset("utf-8", meta) == ("utf-8", "header")


def test_an_undeclared_page_is_detected():
    assert choose_charset(None, TEXT.encode("utf-8")) == ("utf-8", "detected")
    assert choose_charset(None, TEXT.encode("cp1252")) == ("windows-1252", "detected")
    assert choose_charset(None, TEXT.encode("latin-1", errors="xmlcharrefreplace")) == ("windows-1252", "detected")
    assert detect(b"<p>plain ASCII</p>") == "utf-8"


def test_a_utf8_page_with_a_few_stray_bytes_stays_utf8():
    body = TEXT.encode("utf-8").replace(b"Grethe Foss", b"Grethe Foss\xff\xfe")
    assert detect(body) == "utf-8"
    text = decode(body, None)
    assert "Grethe Foss," in text and "Ødegård" in text and "\ufffd" not in text


def test_decoding_drops_what_no_reader_sees():
    body = "<p>Da\x00ta\u200btil\u00adsynet\x1b</p>".encode("utf-8")
    assert decode(body, "utf-8") == "<p>Datatilsynet</p>"
    assert decode(b"\xef\xbb\xbf<p>x</p>", "utf-8") == "<p>x</p>"
    assert decode(b"<p>\x80 \x9f</p>", "latin-1") == "<p>€ Ÿ</p>", "latin-1 read as windows-1252"
    assert decode("<p>ø</p>".encode("utf-8"), "no-such-charset") == "<p>ø</p>"


def test_a_replayed_latin1_copy_reads_like_the_utf8_one(tmp_path):
    source = Source("s", "S", "https://x.no/", "nb", ("x.no",))
    store = SnapshotStore(tmp_path / "data")
    for day, body in ((1, TEXT.encode("utf-8")), (2, TEXT.encode("cp1252"))):
        path = tmp_path / f"2024-06-0{day}.html"
        path.write_bytes(body)
        replay_capture(store, source, datetime(2024, 6, day, tzinfo=timezone.utc), path)
    process_pending(store, source)
    captures = store.captures("s")
    assert [c.charset for c in captures] == ["utf-8", "windows-1252"]
    texts = [Extraction.from_json(store.extraction_json(c.id, EXTRACTOR_VERSION)).page_text for c in captures]
    assert texts[0] == texts[1] and "Lars Ødegård" in texts[1]
